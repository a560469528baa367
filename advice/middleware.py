"""Response headers Django's own middleware does not set."""

from django.conf import settings


class SecurityHeadersMiddleware:
    """Adds Permissions-Policy everywhere and keeps the admin out of search engines."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.admin_prefix = f"/{settings.ADMIN_URL}"

    def __call__(self, request):
        response = self.get_response(request)
        response.setdefault("Permissions-Policy", settings.PERMISSIONS_POLICY)
        if request.path.startswith(self.admin_prefix):
            response["X-Robots-Tag"] = "noindex, nofollow"
        return response

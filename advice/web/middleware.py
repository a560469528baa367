"""Response headers Django's own middleware does not set."""

from django.conf import settings
from django.utils.cache import patch_cache_control


class SecurityHeadersMiddleware:
    """Keeps the admin out of search engines and signed-in pages out of every cache.

    A signed-in editor sees drafts and the admin: no browser history, shared
    proxy or CDN may keep a copy of any response made for them.
    """

    def __init__(self, get_response):
        self.get_response = get_response
        self.admin_prefix = f"/{settings.ADMIN_URL}"

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)  # absent on a page-cache hit
        if user is not None and user.is_authenticated:
            patch_cache_control(response, no_store=True, private=True)
        if request.path.startswith(self.admin_prefix):
            response["X-Robots-Tag"] = "noindex, nofollow"
        return response

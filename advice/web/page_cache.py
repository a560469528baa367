"""Full-page caching of public pages that never serves stale advice.

Pages are cached under a key that includes the content version (a counter in
the database, bumped by any change to content), so a change made through the
import or the admin retires every cached page on every app server at once.

Only anonymous GET and HEAD requests are cached (staff see drafts), and only
complete 200 responses that set no cookie and do not forbid storing. Views
decide what must never be stored: the symptom checker and everything a
signed-in user sees say ``Cache-Control: no-store, private``, and this cache
obeys it, so no path list here has to know about them.
"""

import hashlib

from django.conf import settings
from django.core.cache import cache
from django.http import HttpResponse
from django.utils.cache import set_response_etag
from django.utils.http import http_date

from advice.content.version import last_changed, pinned_version

from .htmx import HTMX_VARY

CACHEABLE_TYPES = ("text/html", "application/json", "application/xml", "text/plain")


class PublicPageCacheMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not self._cacheable_request(request):
            return self.get_response(request)
        with pinned_version() as version:
            return self._serve(request, version)

    def _serve(self, request, version):
        key = self._key(request, version)
        frozen = cache.get(key)
        if frozen is not None:
            return _thaw(frozen)
        response = self.get_response(request)
        if self._cacheable_response(response):
            changed_at = last_changed()
            if changed_at and not response.has_header("Last-Modified"):
                response["Last-Modified"] = http_date(changed_at.timestamp())
            # Hash the body once here, not on every hit (ConditionalGetMiddleware
            # only computes an ETag where there is none).
            set_response_etag(response)
            cache.set(key, _freeze(response), settings.PAGE_CACHE_SECONDS)
        return response

    def _cacheable_request(self, request):
        return (
            settings.PAGE_CACHE_SECONDS > 0
            and request.method in ("GET", "HEAD")
            and settings.SESSION_COOKIE_NAME not in request.COOKIES
            and len(request.get_full_path()) <= settings.PAGE_CACHE_MAX_URL_LENGTH
        )

    @staticmethod
    def _cacheable_response(response):
        cache_control = response.get("Cache-Control", "")
        return (
            response.status_code == 200
            and not response.streaming
            and not response.cookies
            and "private" not in cache_control
            and "no-store" not in cache_control
            and response.get("Content-Type", "").startswith(CACHEABLE_TYPES)
        )

    @staticmethod
    def _key(request, version):
        # The htmx headers pick between a page and its fragment (the views
        # vary on them); a history restore asks for the whole page.
        htmx = "|".join(request.headers.get(name, "") for name in HTMX_VARY)
        raw = f"{version}|{htmx}|{request.get_full_path()}"
        return "page:" + hashlib.sha256(raw.encode("utf-8", "surrogatepass")).hexdigest()


def _freeze(response):
    return response.status_code, response.content, list(response.items())


def _thaw(frozen):
    status, content, headers = frozen
    response = HttpResponse(content, status=status)
    for name, value in headers:
        response[name] = value
    return response

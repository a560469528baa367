"""Full-page caching of public pages that never serves stale advice.

Pages are cached under a key that includes the content version (a counter in
the database, bumped by any change to content), so a change made through the
import or the admin retires every cached page on every app server at once.

What gets cached, and under which key, is decided in one place per view: the
``@public_page(...)`` decorator says that a view shows the same page to every
anonymous reader and names the query parameters it reads. Only those views
are cached. The key holds the path, the content version, whether htmx asked
for the fragment, and the declared parameters only: any other parameter
(``?utm_source=``, ``?x=123``) is removed before the view sees the request, so
it is served the canonical page and makes no new entry. Each path keeps at
most ``PAGE_CACHE_VARIANTS`` entries per content version (its parameter
values and fragments), so no stream of queries can grow the cache without
bound. Nothing in the key or the page comes from the Host header: absolute
URLs are built from ``settings.SITE_URL``.

Only anonymous GET and HEAD requests are served from the cache. A session
cookie is looked up rather than trusted: a signed-in editor (who sees drafts)
bypasses the cache, while a made-up cookie is an anonymous reader like any
other. Only complete 200 responses that set no cookie and do not forbid
storing are kept: the symptom checker and everything a signed-in user sees say
``Cache-Control: no-store, private``, and this cache obeys it.

Responses kept here also say ``Cache-Control: public, max-age=0,
s-maxage=EDGE_CACHE_SECONDS``, so nginx or a CDN in front can serve them for
a few seconds too (deploy/nginx/hamstring.conf, README "The edge").

Stale-if-error: when the database cannot be reached, pages cached under the
last content version read are still served; other requests get the outage's
503 (``outage.py``).
"""

import hashlib
from importlib import import_module

from django.conf import settings
from django.contrib.auth import SESSION_KEY
from django.core.cache import cache
from django.http import HttpResponse, QueryDict
from django.urls import Resolver404, get_urlconf, resolve
from django.utils.cache import patch_cache_control
from django.utils.http import http_date, urlencode

from advice.content.version import (
    current_version,
    last_changed,
    pinned_version,
    remembered_version,
)
from advice.memo import per_process

from .conditional import set_etag
from .htmx import wants_partial
from .outage import OUTAGE_ERRORS, outage_log, service_unavailable

CACHEABLE_TYPES = ("text/html", "application/json", "application/xml", "text/plain")
# A parameter value longer than this is no reader's: the page is rendered, not stored.
MAX_PARAM_LENGTH = 200


def public_page(*params):
    """Declare a view a public page that reads only the query parameters ``params``.

    The page is the same for every anonymous reader with the same values of
    ``params``; the view sees only those parameters (the last value of each).
    """

    def decorate(view):
        view.public_page_params = tuple(params)
        return view

    return decorate


def declared_params(request):
    """The parameters the request's view declared with ``@public_page``; None if undeclared."""
    return _declared_params(request.path_info, get_urlconf())


@per_process(maxsize=1024)
def _declared_params(path, urlconf):
    # Which view a path reaches depends on the URLconf alone. Django resolves
    # the path again for the view (it keeps nothing between requests), and
    # resolving it here too was a tenth of the cheapest response's CPU.
    try:
        match = resolve(path, urlconf)
    except Resolver404:
        return None
    return getattr(match.func, "public_page_params", None)


def only_params(query, params):
    """``query`` (a QueryDict) cut down to the last non-empty value of each of ``params``."""
    kept = [(name, query.get(name, "")) for name in params]
    return QueryDict(urlencode([(name, value) for name, value in kept if value]))


class PublicPageCacheMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response
        self.session_store = import_module(settings.SESSION_ENGINE).SessionStore

    def __call__(self, request):
        if request.method not in ("GET", "HEAD"):
            return self.get_response(request)
        params = declared_params(request)
        if params is None:
            return self.get_response(request)
        request.get_host()  # a Host not in ALLOWED_HOSTS gets its 400, cached page or not
        request.GET = only_params(request.GET, params)
        if not self._cacheable_query(request):
            return self.get_response(request)
        try:
            if self._signed_in(request):
                return self.get_response(request)
            version = current_version()
        except OUTAGE_ERRORS as error:
            return self._serve_stale(request, error)
        with pinned_version(version):
            return self._serve(request, version)

    def _serve(self, request, version):
        key, path_key = _keys(request, version)
        frozen = cache.get(key)
        if frozen is not None:
            return _thaw(frozen)
        response = self.get_response(request)
        if self._cacheable_response(response):
            # For caches in front (nginx, a CDN): keep it for a few seconds,
            # which bounds how stale a page can be after a content change;
            # browsers revalidate every time (a 304 when nothing changed).
            patch_cache_control(
                response,
                public=True,
                max_age=0,
                s_maxage=settings.EDGE_CACHE_SECONDS,
                stale_if_error=settings.PAGE_CACHE_SECONDS,
            )
            changed_at = last_changed()
            if changed_at and not response.has_header("Last-Modified"):
                response["Last-Modified"] = http_date(changed_at.timestamp())
            # Hash the body once here, not on every hit (ConditionalGetMiddleware
            # only computes an ETag where there is none).
            set_etag(response)
            if self._new_variant_allowed(path_key):
                cache.set(key, _freeze(response), settings.PAGE_CACHE_SECONDS)
        return response

    def _serve_stale(self, request, error):
        """The database is down: the page cached under the last version read, or a 503."""
        version = remembered_version()
        frozen = cache.get(_keys(request, version)[0]) if version else None
        if frozen is None:
            return service_unavailable(error)
        outage_log.record(error)
        return _thaw(frozen)

    @staticmethod
    def _cacheable_query(request):
        return settings.PAGE_CACHE_SECONDS > 0 and all(
            len(value) <= MAX_PARAM_LENGTH for value in request.GET.values()
        )

    def _signed_in(self, request):
        """Whether the session cookie belongs to a signed-in user (one query when there is one).

        Anyone can send a cookie with any value; only a session that exists
        and holds a user takes the request past the cache.
        """
        session_key = request.COOKIES.get(settings.SESSION_COOKIE_NAME)
        if not session_key:
            return False
        return self.session_store(session_key=session_key).get(SESSION_KEY) is not None

    @staticmethod
    def _new_variant_allowed(path_key):
        """Count the entries stored for one path and version; refuse past the limit."""
        counter = _key(path_key, prefix="page-variants:")
        cache.add(counter, 0, settings.PAGE_CACHE_SECONDS)
        try:
            stored = cache.incr(counter)
        except ValueError:  # expired between add() and incr()
            return True
        return stored <= settings.PAGE_CACHE_VARIANTS

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


def _keys(request, version):
    """The entry's key, and the path's (for counting its entries)."""
    path_key = f"{version}|{request.path}"
    rendering = "partial" if wants_partial(request) else "page"
    return _key(f"{path_key}|{rendering}|{request.GET.urlencode()}"), path_key


def _key(raw, prefix="page:"):
    return prefix + hashlib.sha256(raw.encode("utf-8", "surrogatepass")).hexdigest()


def _freeze(response):
    return response.status_code, response.content, list(response.items())


def _thaw(frozen):
    status, content, headers = frozen
    response = HttpResponse(content, status=status)
    for name, value in headers:
        response[name] = value
    return response

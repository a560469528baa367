"""Full-page caching of public pages that never serves stale advice.

Pages are cached under a key that includes the content version (a counter in
the database, bumped by any change to content), so a change made through the
import or the admin retires every cached page on every app server at once.

Only anonymous GET requests are cached (staff see drafts), only complete 200
responses that set no cookie, and never the symptom checker: what a reader
tells the checker is not stored anywhere, a cache included.
"""

import hashlib

from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.db.models import F
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.http import HttpResponse
from django.utils import timezone
from django.utils.cache import set_response_etag
from django.utils.http import http_date

from .models import FAQ, Article, Cause, CauseSymptom, ContentVersion, Page, Remedy, Symptom, Topic

VERSIONED_MODELS = [Topic, Page, Symptom, Remedy, Cause, CauseSymptom, Article, FAQ]
VERSION_SQL = f"SELECT version, changed_at FROM {ContentVersion._meta.db_table} WHERE id = 1"
VARY_HEADERS = ("HX-Request", "HX-History-Restore-Request")
CACHEABLE_TYPES = ("text/html", "application/json", "application/xml", "text/plain")


def current_version():
    """An opaque token that changes whenever content changes.

    Read on every cacheable request, so it is one raw query rather than an
    ORM one. It pairs the counter with the time of the change, so a counter
    value reused after a rolled-back transaction still gives a new token.
    """
    with connection.cursor() as cursor:
        cursor.execute(VERSION_SQL)
        row = cursor.fetchone()
    return f"{row[0]}@{row[1]}" if row else "0"


def last_changed():
    """When content last changed, for Last-Modified; None before any change."""
    return ContentVersion.objects.filter(pk=1).values_list("changed_at", flat=True).first()


def bump_version(**kwargs):
    bumped = ContentVersion.objects.filter(pk=1).update(
        version=F("version") + 1, changed_at=timezone.now()
    )
    if not bumped:
        ContentVersion.objects.update_or_create(pk=1, defaults={"version": 1})


def connect_signals():
    for model in VERSIONED_MODELS:
        post_save.connect(bump_version, sender=model, dispatch_uid=f"bump-{model.__name__}")
        post_delete.connect(bump_version, sender=model, dispatch_uid=f"unbump-{model.__name__}")
        for field in model._meta.local_many_to_many:
            m2m_changed.connect(
                bump_version,
                sender=field.remote_field.through,
                dispatch_uid=f"m2m-{model.__name__}-{field.name}",
            )


class PublicPageCacheMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response
        self.excluded = (*tuple(settings.PAGE_CACHE_EXCLUDED_PATHS), f"/{settings.ADMIN_URL}")

    def __call__(self, request):
        if not self._cacheable_request(request):
            return self.get_response(request)
        key = self._key(request, current_version())
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
            and request.method == "GET"
            and settings.SESSION_COOKIE_NAME not in request.COOKIES
            and not request.path.startswith(self.excluded)
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
        htmx = "|".join(request.headers.get(name, "") for name in VARY_HEADERS)
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

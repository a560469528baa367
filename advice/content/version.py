"""The content version: one counter, in the shared database, that changes with any content.

Whatever is derived from the content and kept between requests (cached pages,
the checker's loaded data) is keyed by ``current_version()``, so an import or
an admin save retires it on every app server at once.
"""

import time
from contextlib import contextmanager
from contextvars import ContextVar
from functools import wraps

from django.apps import apps
from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.db.models import F
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.utils import timezone

from advice.models import ContentDraft, ContentVersion, DerivedFromContent

from . import batch

VERSION_SQL = f"SELECT version, changed_at FROM {ContentVersion._meta.db_table} WHERE id = 1"
_pinned = ContextVar("pinned_content_version", default=None)
# The last version read from the database, for when it cannot be reached:
# kept in the process, and in the (possibly shared) cache for processes that
# start during an outage. Refreshed in the cache at most every REMEMBER_EVERY s.
REMEMBERED_KEY = "content-version:last-read"
REMEMBER_EVERY = 30
_remembered = {"version": None, "written_at": 0.0}


def current_version():
    """An opaque token that changes whenever content changes.

    Inside ``pinned_version()`` (one request) it is read once; otherwise it is
    read from the database every time.
    """
    pinned = _pinned.get()
    return pinned if pinned is not None else _read_version()


@contextmanager
def pinned_version(version=None):
    """Read the version once (or take ``version``) and use it for everything inside the block.

    One request then sees one version throughout, and pays for one query.
    """
    token = _pinned.set(version if version is not None else _read_version())
    try:
        yield _pinned.get()
    finally:
        _pinned.reset(token)


# Values one function keeps per content version, at most (one per set of arguments).
PER_VERSION_LIMIT = 1000


def per_content_version(compute):
    """Decorate a function so it runs once per content version for each set of arguments.

    Only the values for the current version are kept (they hold published
    content only, the same for every reader); a change anywhere retires them
    on every server. At most ``PER_VERSION_LIMIT`` are kept per function, so
    arguments a reader chooses (a slug in a URL) cannot grow the memory
    without bound; a call that raises (a 404) keeps nothing.
    """
    kept = {"version": None, "values": {}}

    @wraps(compute)
    def current(*args):
        version = current_version()
        if version != kept["version"]:
            kept.update(version=version, values={})
        values = kept["values"]
        if args not in values:
            value = compute(*args)
            if len(values) >= PER_VERSION_LIMIT:
                values.clear()
            values[args] = value
        return values[args]

    return current


def reads_one_version(view):
    """Decorate a view so everything it derives from content uses one version, read once.

    The page cache pins the version for the pages it serves; views it does not
    cache (the checker, whose answers are never stored) pin it themselves.
    """

    @wraps(view)
    def pinned_view(*args, **kwargs):
        with pinned_version():
            return view(*args, **kwargs)

    return pinned_view


def _read_version():
    """Read on every cacheable request, so it is one raw query rather than an
    ORM one. It pairs the counter with the time of the change, so a counter
    value reused after a rolled-back transaction still gives a new token.
    """
    with connection.cursor() as cursor:
        cursor.execute(VERSION_SQL)
        row = cursor.fetchone()
    version = f"{row[0]}@{row[1]}" if row else "0"
    _remember(version)
    return version


def _remember(version):
    now = time.monotonic()
    if version != _remembered["version"] or now - _remembered["written_at"] > REMEMBER_EVERY:
        if settings.PAGE_CACHE_SECONDS:
            cache.set(REMEMBERED_KEY, version, settings.PAGE_CACHE_SECONDS)
        _remembered.update(version=version, written_at=now)


def remembered_version():
    """The last version read from the database, for serving cached pages while it
    cannot be reached (stale-if-error); None if there is none.

    Pages cached under it expire on their own (``PAGE_CACHE_SECONDS``), which
    bounds how long an outage can be bridged.
    """
    return _remembered["version"] or cache.get(REMEMBERED_KEY)


def last_changed():
    """When content last changed, for Last-Modified; None before any change."""
    return ContentVersion.objects.filter(pk=1).values_list("changed_at", flat=True).first()


def bump_version(**kwargs):
    pending = _BUMPS.current()
    if pending is None:
        _bump(1)
    else:
        pending[0] += 1


def _bump(times):
    bumped = ContentVersion.objects.filter(pk=1).update(
        version=F("version") + times, changed_at=timezone.now()
    )
    if not bumped:
        ContentVersion.objects.update_or_create(pk=1, defaults={"version": times})


def _bump_noted(pending):
    if pending[0]:
        _bump(pending[0])


# Inside a batch of content writes, the bumps asked for are counted ([count])
# and made in one update when it ends: the counter ends where it would have,
# for one query instead of several per item. Registered with ``content.batch``.
_BUMPS = batch.Noted("pending_version_bumps", lambda: [0], _bump_noted)
deferred = _BUMPS.deferred


def versioned_models():
    """Every model of the app, link tables included, except the counter itself,
    the tables derived from the content (the search index) and the drafts
    awaiting sign-off (readers never see them).

    Derived rather than listed, so a new content kind retires cached pages
    without anyone having to remember to add it here.
    """
    app = apps.get_app_config("advice")
    return [
        model
        for model in app.get_models(include_auto_created=True)
        if not _unseen_by_readers(model._meta.auto_created or model)  # a link table: its owner
    ]


def _unseen_by_readers(model):
    return model in (ContentVersion, ContentDraft) or issubclass(model, DerivedFromContent)


def connect_signals():
    for model in versioned_models():
        label = model._meta.label
        post_save.connect(bump_version, sender=model, dispatch_uid=f"bump-{label}")
        post_delete.connect(bump_version, sender=model, dispatch_uid=f"unbump-{label}")
        m2m_changed.connect(bump_version, sender=model, dispatch_uid=f"m2m-{label}")

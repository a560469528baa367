"""Values worked out once per process: the site's one memoising mechanism.

For what is a function of its arguments and of code and settings alone (a
URL from the URLconf, a static file's hashed name, a date's wording, an
answer's plain text): never for anything that changes while the process runs
(content from the database) unless it is an argument itself. Each function
keeps a bounded number of results, and all of them are forgotten when a
setting changes (tests override settings; production never does).
"""

import functools

from django.core.signals import setting_changed

_kept = []


def per_process(func=None, *, maxsize=4096):
    """Decorate ``func`` to keep its results for each set of (hashable) arguments."""
    if func is None:
        return functools.partial(per_process, maxsize=maxsize)
    cached = functools.lru_cache(maxsize=maxsize)(func)
    _kept.append(cached)
    return cached


def forget_all(**kwargs):
    for cached in _kept:
        cached.cache_clear()


setting_changed.connect(forget_all, dispatch_uid="advice-memo-forget-all")

"""While the database cannot be reached.

Cached pages go on being served (``page_cache.py`` falls back to the last
content version read); every other request gets a friendly 503 with
``Retry-After``, rendered without the database. The log gets one line per
``REPORT_INTERVAL`` seconds saying how many requests were affected, not a
traceback per request: ``logs.QuietOutage`` keeps Django's own per-request
error lines for these 503s out of the log.
"""

import logging
import threading
import time

from django.db import InterfaceError, OperationalError
from django.http import HttpResponse
from django.template import loader
from django.utils.cache import patch_cache_control

# What a lost or refused connection raises (psycopg and SQLite alike).
OUTAGE_ERRORS = (OperationalError, InterfaceError)
RETRY_AFTER_SECONDS = 30
REPORT_INTERVAL = 60

logger = logging.getLogger(__name__)


class _OutageLog:
    """Counts affected requests; logs the first at once, then one line per interval."""

    def __init__(self):
        self.lock = threading.Lock()
        self.reset()

    def reset(self):
        self.last_logged = None
        self.unlogged = 0

    def record(self, error):
        with self.lock:
            self.unlogged += 1
            now = time.monotonic()
            if self.last_logged is not None and now - self.last_logged < REPORT_INTERVAL:
                return
            count, self.unlogged, self.last_logged = self.unlogged, 0, now
        first_line = str(error).strip().splitlines()[0] if str(error).strip() else ""
        logger.error(
            "Database unreachable (%s: %s): %d request(s) since the last report "
            "answered from the page cache or with 503; next report in %d s at most.",
            type(error).__name__,
            first_line,
            count,
            REPORT_INTERVAL,
        )


outage_log = _OutageLog()


def service_unavailable(error):
    """The friendly 503 for a request that needs the database while it is down."""
    outage_log.record(error)
    # Without the request context, like the 500 page: nothing here may need the database.
    body = loader.get_template("503.html").render({"page_title": "Sorry, try again soon"})
    response = HttpResponse(body, status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    patch_cache_control(response, no_store=True)
    return response

"""Logging filters named in ``settings.LOGGING``: what reaches the log, and how much of it.

The site logs problems, never readers: Django's request logger writes the
path of a failed request (never its query string, where checker answers
are), and these filters keep expected, client-caused or already-counted
errors to a line.
"""

import logging


class QuietOutage(logging.Filter):
    """For ``django.request``: drop its per-request line (and traceback) for a 503.

    Every 503 the site sends is a database-outage answer, already counted in
    the outage's one line per interval (``outage.py``).
    """

    def filter(self, record):
        return getattr(record, "status_code", None) != 503


class WithoutTraceback(logging.Filter):
    """The message alone, for errors a client causes on purpose (a Host header not
    in ALLOWED_HOSTS): one line each, not a twenty-line traceback."""

    def filter(self, record):
        record.exc_info = None
        record.exc_text = None
        return True

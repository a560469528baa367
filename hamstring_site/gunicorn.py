"""gunicorn's settings: ``gunicorn -c python:hamstring_site.gunicorn hamstring_site.wsgi``.

What gunicorn logs, at these settings: start-up and shutdown, worker
restarts and timeouts, and one line per malformed request with the client's
address but not what it sent (a request line can carry a checker answer).
There is no access log here: nginx in front writes it, without query strings
(deploy/nginx/hamstring.conf). If one is switched on (``--access-logfile -``), its
format below still leaves the query string out.
"""

from gunicorn.glogging import Logger

accesslog = None
access_log_format = '%(h)s %(t)s "%(m)s %(U)s" %(s)s %(B)s %(M)sms'
errorlog = "-"
loglevel = "info"
# A request line or URI over this is refused before the app sees it (414).
limit_request_line = 4094
# No control socket: its default path is one per user, so two servers on one
# machine (make scale-check) would take it from each other.
control_socket_disable = True
# Restart each worker now and then, so a slow leak cannot grow for ever.
max_requests = 10000
max_requests_jitter = 1000
# The site is served at the root. gunicorn would take SCRIPT_NAME and PATH_INFO
# from headers sent by a local peer (forwarded_allow_ips): a page rendered at
# another mount point links everything under it, and what is kept per content
# version would keep those links for every reader. nginx never sends them (it
# drops header names with underscores); nothing else may.
forwarder_headers = ""


class RedactingLogger(Logger):
    """gunicorn's error log, without the request line or URI of the request it is about."""

    def warning(self, msg, *args, **kwargs):
        # "Invalid request from ip=<address>: <what was sent, verbatim>"
        if msg.startswith("Invalid request from ip="):
            msg, args = msg.split(": ", 1)[0] + ": malformed request (not logged)", ()
        super().warning(msg, *args, **kwargs)

    def exception(self, msg, *args, **kwargs):
        # "Error handling request <method> <uri>"
        if msg.startswith("Error handling request"):
            msg, args = "Error handling request (URI not logged)", ()
        super().exception(msg, *args, **kwargs)


logger_class = RedactingLogger

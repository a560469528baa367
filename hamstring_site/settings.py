"""Settings for the hamstring advice site.

One module, driven by environment variables. Development defaults apply only
while DEBUG is on; with DEBUG off, anything that would be insecure to guess
must be given explicitly, or start-up stops with a message saying what is
missing.
"""

import os
from pathlib import Path
from urllib.parse import urlsplit

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name, default=False):
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name):
    return [item.strip() for item in os.environ.get(name, "").split(",") if item.strip()]


def require_env(name, purpose):
    value = os.environ.get(name, "").strip()
    if not value:
        raise ImproperlyConfigured(
            f"{name} must be set when DJANGO_DEBUG is off ({purpose}). "
            f"For local development, run with DJANGO_DEBUG=1 (as `make run` does)."
        )
    return value


def site_origin(value):
    """``scheme://host[:port]``, checked: the one origin every absolute URL is built from."""
    parts = urlsplit(value.strip())
    if (
        parts.scheme not in ("http", "https")
        or not parts.hostname
        or parts.path not in ("", "/")
        or parts.query
        or parts.fragment
        or parts.username
    ):
        raise ImproperlyConfigured(
            f"SITE_URL must be an origin such as https://hamstring.example.org "
            f"(scheme and host, no path), not {value!r}"
        )
    return f"{parts.scheme}://{parts.netloc}"


DEBUG = env_bool("DJANGO_DEBUG")

if DEBUG:
    SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY") or "insecure-development-key-only-for-debug"
    ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS") or ["127.0.0.1", "localhost", "[::1]"]
else:
    SECRET_KEY = require_env("DJANGO_SECRET_KEY", "it signs sessions and CSRF tokens")
    ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS") or [
        require_env("DJANGO_ALLOWED_HOSTS", "a comma-separated list of the site's host names")
    ]

# The canonical origin of the site. Every absolute URL (sitemap, robots.txt,
# canonical links, og:url, JSON-LD) is built from it, never from the request's
# Host header, so a forged Host cannot end up in a cached page.
if DEBUG:
    SITE_URL = site_origin(os.environ.get("SITE_URL", "").strip() or "http://127.0.0.1:8000")
else:
    SITE_URL = site_origin(
        require_env("SITE_URL", "the site's public origin, e.g. https://hamstring.example.org")
    )

CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.forms",
    "django_htmx",
    "csp",
    "axes",
    "reversion",
    "advice",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # ETag and 304s for every response, cached or not (Django's, hashing with SHA-256).
    "advice.web.conditional.ConditionalGetMiddleware",
    "django_permissions_policy.PermissionsPolicyMiddleware",
    "advice.web.middleware.SecurityHeadersMiddleware",
    "advice.web.page_cache.PublicPageCacheMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # django-csp's, keeping the site's policy (advice/web/content_security.py).
    "advice.web.content_security.SitePolicyCSPMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "hamstring_site.urls"
WSGI_APPLICATION = "hamstring_site.wsgi.application"

# The public pages (templates/jinja2/) render through Jinja2, listed first so that their
# lookups stop there; the admin and form widgets (templates/ and the apps' own)
# through Django's engine. advice/web/templating.py holds what the pages call.
TEMPLATES = [
    {
        "BACKEND": "django.template.backends.jinja2.Jinja2",
        "DIRS": [BASE_DIR / "templates" / "jinja2"],
        "APP_DIRS": False,
        "OPTIONS": {"environment": "advice.web.templating.environment"},
    },
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

# Form widgets render through TEMPLATES, so our own widget templates live in templates/.
FORM_RENDERER = "django.forms.renderers.TemplatesSetting"

# --- Database ---------------------------------------------------------------
# DATABASE_URL (PostgreSQL in production) when set, else an SQLite file here.
DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=int(os.environ.get("DJANGO_CONN_MAX_AGE", "600")),
        conn_health_checks=True,
    )
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Cache ------------------------------------------------------------------
# Local memory by default; a shared cache (redis://... or memcached host:port)
# when several app servers run behind a load balancer.
CACHE_URL = os.environ.get("CACHE_URL", "")
if CACHE_URL.startswith(("redis://", "rediss://")):
    CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": CACHE_URL}
    }
elif CACHE_URL.startswith("memcached://"):
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.memcached.PyMemcacheCache",
            "LOCATION": CACHE_URL.removeprefix("memcached://"),
        }
    }
elif CACHE_URL:
    raise ImproperlyConfigured(
        f"CACHE_URL must start with redis:// or memcached://, not {CACHE_URL!r}"
    )
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "OPTIONS": {"MAX_ENTRIES": 5000},
        }
    }

# Full-page cache for anonymous readers (advice/web/page_cache.py); 0 turns it off.
PAGE_CACHE_SECONDS = int(os.environ.get("PAGE_CACHE_SECONDS", "600"))
# How long nginx or a CDN in front may serve a public page (Cache-Control
# s-maxage): the most a page can lag behind a content change there.
EDGE_CACHE_SECONDS = int(os.environ.get("EDGE_CACHE_SECONDS", "5"))
# At most this many cached copies of one path per content version (its query
# parameter values and htmx fragments); past it, pages are rendered, not stored.
PAGE_CACHE_VARIANTS = int(os.environ.get("PAGE_CACHE_VARIANTS", "32"))

# --- Auth -------------------------------------------------------------------
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# Sessions live in the database, so any app server can serve any request.
SESSION_ENGINE = "django.contrib.sessions.backends.db"

# Lock the admin's sign-in after repeated failures (advice/lockout.py): a
# username from one address after AXES_FAILURE_LIMIT, an address over any
# usernames after AXES_ADDRESS_FAILURE_LIMIT.
AXES_HANDLER = "advice.lockout.AccountAndAddressLockout"
AXES_FAILURE_LIMIT = int(os.environ.get("AXES_FAILURE_LIMIT", "5"))
AXES_ADDRESS_FAILURE_LIMIT = int(os.environ.get("AXES_ADDRESS_FAILURE_LIMIT", "20"))
AXES_COOLOFF_TIME = float(os.environ.get("AXES_COOLOFF_HOURS", "1"))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"], "ip_address"]
AXES_RESET_ON_SUCCESS = True
AXES_CLIENT_IP_CALLABLE = "advice.lockout.client_ip"

DEFAULT_ADMIN_URL = "admin/"
ADMIN_URL = os.environ.get("DJANGO_ADMIN_URL", DEFAULT_ADMIN_URL).strip("/") + "/"

# --- Internationalisation ---------------------------------------------------
LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True

# --- Static files -----------------------------------------------------------
STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = Path(os.environ.get("DJANGO_STATIC_ROOT", BASE_DIR / "staticfiles"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
WHITENOISE_MAX_AGE = 31536000 if not DEBUG else 0

# --- Content ----------------------------------------------------------------
CONTENT_DIR = Path(os.environ.get("CONTENT_DIR", BASE_DIR / "content"))

# --- Security headers -------------------------------------------------------
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
# Behind a TLS-terminating proxy, production traffic is HTTPS only.
SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", default=not DEBUG)
SESSION_COOKIE_SECURE = not DEBUG
CSRF_COOKIE_SECURE = not DEBUG
SECURE_HSTS_SECONDS = 0 if DEBUG else int(os.environ.get("DJANGO_HSTS_SECONDS", "31536000"))
SECURE_HSTS_INCLUDE_SUBDOMAINS = not DEBUG
# Preloading only takes effect once the domain is submitted to the browser list.
SECURE_HSTS_PRELOAD = env_bool("DJANGO_HSTS_PRELOAD", default=not DEBUG)
# Behind a proxy (nginx, deploy/nginx/hamstring.conf), trust the headers it sets, and
# only then: the scheme it was reached by, and the client's address (for the
# admin lock-out), from the header named by DJANGO_CLIENT_IP_HEADER.
CLIENT_IP_HEADER = None
if env_bool("DJANGO_BEHIND_PROXY"):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    header = os.environ.get("DJANGO_CLIENT_IP_HEADER", "X-Real-IP").strip()
    CLIENT_IP_HEADER = "HTTP_" + header.upper().replace("-", "_")

# Content-Security-Policy (django-csp 4). No inline script or style at all:
# htmx is configured through a <meta> tag and its indicator styles live in
# our stylesheet. JSON-LD blocks are data, not script, so script-src does not
# apply to them; without a nonce, cached pages stay valid for every reader.
from csp.constants import NONE, SELF  # noqa: E402

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [NONE],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    },
}

# Sent by django-permissions-policy: no page of ours needs any of these.
PERMISSIONS_POLICY = {
    feature: []
    for feature in (
        "accelerometer",
        "autoplay",
        "camera",
        "display-capture",
        "geolocation",
        "gyroscope",
        "magnetometer",
        "microphone",
        "payment",
        "usb",
    )
}

# --- Logging ----------------------------------------------------------------
# Warnings and errors go to stderr: a failed request's path (never its query
# string, where the checker's answers are), one line per disallowed Host, one
# line a minute while the database is unreachable. README "What is logged".
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {
        "quiet_outage": {"()": "advice.web.logs.QuietOutage"},
        "without_traceback": {"()": "advice.web.logs.WithoutTraceback"},
    },
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "loggers": {
        # A lost database is logged once per interval by advice.web.outage,
        # not once per request with a traceback.
        "django.request": {"filters": ["quiet_outage"]},
        "django.security.DisallowedHost": {"filters": ["without_traceback"]},
    },
    "root": {"handlers": ["console"], "level": os.environ.get("DJANGO_LOG_LEVEL", "WARNING")},
}

"""Settings for the test run: the site's own settings, with what only tests need.

The environment still drives everything else (``make test`` runs with DEBUG
off, as production does), so the tests exercise the real configuration.
"""

import os

# The canonical origin, unless the run sets its own (`make test` does). It is
# deliberately not "testserver", the test client's Host, so tests show that
# absolute URLs come from SITE_URL and never from the request.
os.environ.setdefault("SITE_URL", "https://hamstring.example.org")

from hamstring_site.settings import *  # noqa: F403
from hamstring_site.settings import STORAGES

# Tests render templates without running collectstatic first, so use the
# plain storage; the hashed manifest storage is exercised by `make serve`.
STORAGES = {
    **STORAGES,
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# ...and let WhiteNoise find files in static/ rather than in STATIC_ROOT.
WHITENOISE_AUTOREFRESH = True
WHITENOISE_USE_FINDERS = True
# Hashing test users' passwords slowly proves nothing and costs seconds.
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

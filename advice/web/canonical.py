"""Absolute URLs, built from the configured origin (``settings.SITE_URL``).

Never from the request's Host header: pages are cached and shared between
readers, so a URL in a page must not depend on what one requester sent.
"""

from urllib.parse import urlsplit

from django.conf import settings


def absolute_url(path):
    """``path`` (starting with "/") on the site's canonical origin."""
    return settings.SITE_URL + path


def site_scheme_and_host():
    parts = urlsplit(settings.SITE_URL)
    return parts.scheme, parts.netloc

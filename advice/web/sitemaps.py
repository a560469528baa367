"""sitemap.xml: every published article, cause, remedy and page, and the site's sections.

Its URLs are on the canonical origin (``settings.SITE_URL``), whatever Host the
request came with.

Up to ``URLS_PER_SITEMAP`` URLs, /sitemap.xml is the sitemap itself. Past
that it becomes a sitemap index (``index_items``) naming one sitemap per
section, /sitemap-<section>.xml, each paginated with ``?p=`` at that many URLs
(Django's own ``Sitemap.limit``), so no response grows with the content.
"""

from django.contrib.sitemaps import Sitemap
from django.contrib.sitemaps.views import SitemapIndexItem
from django.urls import reverse
from django.utils.functional import cached_property
from django.utils.http import urlencode

from advice.models import Article, Cause, Page, Remedy

from .canonical import absolute_url, site_scheme_and_host

# Far below the protocol's 50,000: a sitemap page is rendered per request when
# the page cache is off, and this many URLs keeps that quick.
URLS_PER_SITEMAP = 250


class CanonicalSitemap(Sitemap):
    """Ignores the request's scheme and host, which Django would otherwise use."""

    limit = URLS_PER_SITEMAP

    @cached_property
    def paginator(self):
        """Django's paginator, kept: sizing the sitemap and listing it count the items once."""
        return super().paginator

    def get_protocol(self, protocol=None):
        return site_scheme_and_host()[0]

    def get_domain(self, site=None):
        return site_scheme_and_host()[1]


class SectionSitemap(CanonicalSitemap):
    """The list pages and the home page."""

    priority = 0.8
    changefreq = "weekly"

    def items(self):
        return [
            "home",
            "library",
            "cause_list",
            "remedy_list",
            "faq",
            "checker",
            "checker_method",
            "running_planner",
        ]

    def location(self, item):
        return reverse(f"advice:{item}")


class ContentSitemap(CanonicalSitemap):
    """Published items of one model; ``lastmod`` is when the item was last saved."""

    model = None
    changefreq = "monthly"

    def items(self):
        return self.model.objects.published().only("slug", "updated_at").order_by("slug")

    def lastmod(self, item):
        return item.updated_at


class ArticleSitemap(ContentSitemap):
    model = Article
    priority = 0.7


class CauseSitemap(ContentSitemap):
    model = Cause
    priority = 0.7


class RemedySitemap(ContentSitemap):
    model = Remedy
    priority = 0.6


class PageSitemap(ContentSitemap):
    model = Page
    priority = 0.3


SITEMAPS = {
    "sections": SectionSitemap,
    "articles": ArticleSitemap,
    "causes": CauseSitemap,
    "remedies": RemedySitemap,
    "pages": PageSitemap,
}


def sitemaps():
    """One instance of each section's sitemap, for one request (each counts its items once)."""
    return {section: sitemap() for section, sitemap in SITEMAPS.items()}


def url_count(sections):
    """How many URLs ``sections`` list (one count query per content section)."""
    return sum(sitemap.paginator.count for sitemap in sections.values())


def index_items(sections):
    """The sitemap index: each section's pages, on the canonical origin."""
    items = []
    for section, sitemap in sections.items():
        path = reverse("advice:sitemap_section", args=[section])
        for page in sitemap.paginator.page_range:
            query = f"?{urlencode({'p': page})}" if page > 1 else ""
            items.append(SitemapIndexItem(absolute_url(path + query)))
    return items

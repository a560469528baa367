"""sitemap.xml: every published article, cause, remedy and page, and the site's sections.

Its URLs are on the canonical origin (``settings.SITE_URL``), whatever Host the
request came with.
"""

from django.contrib.sitemaps import Sitemap
from django.urls import reverse

from advice.models import Article, Cause, Page, Remedy

from .canonical import site_scheme_and_host


class CanonicalSitemap(Sitemap):
    """Ignores the request's scheme and host, which Django would otherwise use."""

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

"""sitemap.xml: every published article, cause, remedy and page, and the site's sections.

Its URLs are on the canonical origin (``settings.SITE_URL``), whatever Host the
request came with.

Up to ``URLS_PER_SITEMAP`` URLs, /sitemap.xml is the sitemap itself. Past
that it becomes a sitemap index naming one sitemap per section,
/sitemap-<section>.xml, each paginated with ``?p=`` at that many URLs, so no
response grows with the content. A bad ``p`` (not a number, or past the last
page) is a 404.

The XML is written here, not by Django's sitemap framework and its
templates: a sitemap is a fixed shape (location, last change, change
frequency, priority), and the framework built a dictionary per URL and
rendered each through the template engine, which made this the slowest
small page of the site. The output is the same, byte for byte.
"""

from dataclasses import dataclass

from django.db.models import Count, Value
from django.http import Http404, HttpResponse
from django.utils import timezone
from django.utils.html import escape
from django.utils.http import http_date, urlencode

from advice.models import Article, Cause, Page, Remedy, item_url

from .canonical import absolute_url

# Far below the protocol's 50,000: a sitemap page is built per request when
# the page cache is off, and this many URLs keeps that quick.
URLS_PER_SITEMAP = 250
URLSET_START = (
    '<?xml version="1.0" encoding="UTF-8"?>\n'
    '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" '
    'xmlns:xhtml="http://www.w3.org/1999/xhtml">\n'
)
URLSET_END = "\n</urlset>\n"
INDEX_START = (
    '<?xml version="1.0" encoding="UTF-8"?>\n'
    '<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n'
)
INDEX_END = "\n</sitemapindex>\n"


@dataclass(frozen=True)
class Section:
    """One sitemap section: a content model's published items (``lastmod`` is when
    each was last saved), or a fixed list of the site's own pages."""

    name: str
    priority: str
    changefreq: str
    model: type | None = None
    url_names: tuple = ()

    def count(self):
        return len(self.url_names)

    def urls(self, offset, limit):
        """(path, last change or None) of the section's URLs ``offset`` to ``offset + limit``."""
        if self.model is None:
            return [(item_url(f"advice:{name}"), None) for name in self.url_names][
                offset : offset + limit
            ]
        rows = self.rows().order_by("slug")[offset : offset + limit]
        return [(self.model.url_for_slug(slug), changed) for _, slug, changed in rows]

    def rows(self):
        """(section name, slug, last change) of each published item, as plain tuples:
        a sitemap needs three columns, not model instances."""
        return (
            self.model.objects.published()
            .annotate(section=Value(self.name))
            .values_list("section", "slug", "updated_at")
        )


SECTIONS = (
    Section(
        "sections",
        "0.8",
        "weekly",
        url_names=(
            "home",
            "library",
            "cause_list",
            "remedy_list",
            "faq",
            "checker",
            "checker_method",
            "running_planner",
        ),
    ),
    Section("articles", "0.7", "monthly", model=Article),
    Section("causes", "0.7", "monthly", model=Cause),
    Section("remedies", "0.6", "monthly", model=Remedy),
    Section("pages", "0.3", "monthly", model=Page),
)
SECTION_NAMES = {section.name: section for section in SECTIONS}


def sitemap(page):
    """/sitemap.xml: the whole sitemap while it fits one page, the index past that."""
    content_urls = _content_urls_if_one_page()
    if content_urls is None:
        return _response(_index(_counts()))
    if _page_number(page) != 1:
        raise Http404("The sitemap has one page.")
    return _response(
        _urlset(
            [
                (section, section.urls(0, URLS_PER_SITEMAP))
                if section.model is None
                else (section, content_urls[section.name])
                for section in SECTIONS
            ]
        )
    )


def _content_urls_if_one_page():
    """{section name: [(path, last change)]} of every content section, read in one
    query; None if the sitemap does not fit one page (it is then an index)."""
    room = URLS_PER_SITEMAP - sum(section.count() for section in SECTIONS)
    content = [section for section in SECTIONS if section.model is not None]
    queries = [section.rows().order_by() for section in content]
    rows = list(queries[0].union(*queries[1:], all=True)[: room + 1])
    if len(rows) > room:
        return None
    urls = {section.name: [] for section in content}
    for name, slug, changed in sorted(rows, key=lambda row: row[1]):
        urls[name].append((SECTION_NAMES[name].model.url_for_slug(slug), changed))
    return urls


def section_sitemap(name, page):
    """/sitemap-<name>.xml: page ``page`` of one section's URLs (404 past the last)."""
    section = SECTION_NAMES.get(name)
    if section is None:
        raise Http404("No such sitemap section.")
    number = _page_number(page)
    urls = section.urls((number - 1) * URLS_PER_SITEMAP, URLS_PER_SITEMAP)
    if not urls and number > 1:
        raise Http404("No such sitemap page.")
    changes = [changed for _, changed in urls]
    # Last-Modified lets a crawler's conditional request be answered with a 304.
    last_modified = max(changes) if changes and None not in changes else None
    return _response(_urlset([(section, urls)]), last_modified)


def _counts():
    """{section name: URLs}, the content sections counted in one query."""
    counted = [
        section.model.objects.published()
        .order_by()
        .annotate(section=Value(section.name))
        .values("section")
        .annotate(n=Count("pk"))
        for section in SECTIONS
        if section.model is not None
    ]
    counts = {section.name: section.count() for section in SECTIONS}
    counts.update(counted[0].union(*counted[1:], all=True).values_list("section", "n"))
    return counts


def _page_number(page):
    """The page number ``p`` asks for, as Django's paginator reads it; 404 if it is none."""
    try:
        number = int(page)
    except (TypeError, ValueError):
        raise Http404("The page is not a number.") from None
    if number < 1:
        raise Http404("No such sitemap page.")
    return number


def _urlset(sections):
    parts = [URLSET_START]
    for section, urls in sections:
        tail = (
            f"<changefreq>{section.changefreq}</changefreq>"
            f"<priority>{section.priority}</priority></url>"
        )
        for path, changed in urls:
            lastmod = (
                f"<lastmod>{timezone.localtime(changed).date().isoformat()}</lastmod>"
                if changed
                else ""
            )
            parts.append(f"<url><loc>{escape(absolute_url(path))}</loc>{lastmod}{tail}")
    parts.append(URLSET_END)
    return "".join(parts)


def _index(counts):
    """The sitemap index: each section's pages, on the canonical origin."""
    parts = [INDEX_START]
    for section in SECTIONS:
        path = item_url("advice:sitemap_section", section.name)
        pages = max(1, -(-counts[section.name] // URLS_PER_SITEMAP))
        for page in range(1, pages + 1):
            query = f"?{urlencode({'p': page})}" if page > 1 else ""
            parts.append(f"<sitemap><loc>{escape(absolute_url(path + query))}</loc></sitemap>")
    parts.append(INDEX_END)
    return "".join(parts)


def _response(xml, last_modified=None):
    response = HttpResponse(xml, content_type="application/xml")
    response["X-Robots-Tag"] = "noindex, noodp, noarchive"  # as Django's sitemap views say
    if last_modified is not None:
        response["Last-Modified"] = http_date(last_modified.timestamp())
    return response

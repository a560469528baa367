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

from django.db import connection
from django.http import Http404, HttpResponse
from django.utils import timezone
from django.utils.html import escape
from django.utils.http import http_date, urlencode

from advice.models import Article, Cause, Page, Remedy, item_url

from .canonical import absolute_url

# Far below the protocol's 50,000: a sitemap page is built per request when
# the page cache is off, and this many URLs keeps that quick.
URLS_PER_SITEMAP = 250
# The last page whose offset a database can take (a signed 64-bit integer).
LAST_POSSIBLE_PAGE = (2**63 - 1) // URLS_PER_SITEMAP
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
        sql, params = _published_urls(self)
        rows = _fetch(f"{sql} ORDER BY 2 LIMIT %s OFFSET %s", [*params, limit, offset])
        return _located(self.model, [(slug, changed) for _, slug, changed in rows])


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
    counts = _counts()
    if sum(counts.values()) > URLS_PER_SITEMAP:
        return _response(_index(counts))
    if _page_number(page) != 1:
        raise Http404("The sitemap has one page.")
    content_urls = _content_urls()
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


def _content_urls():
    """{section name: [(path, last change)]} of every content section, in one query
    (called only when they all fit one sitemap)."""
    content = [section for section in SECTIONS if section.model is not None]
    sql, params = _union(_published_urls(section) for section in content)
    rows = {section.name: [] for section in content}
    for name, slug, changed in _fetch(f"{sql} ORDER BY 2", params):
        rows[name].append((slug, changed))
    return {name: _located(SECTION_NAMES[name].model, items) for name, items in rows.items()}


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
    counted = (_published(section, "COUNT(*)") for section in SECTIONS if section.model is not None)
    counts = {section.name: section.count() for section in SECTIONS}
    counts.update(_fetch(*_union(counted)))
    return counts


# What a sitemap says of each item: where it is and when it last changed.
URL_FIELDS = ("slug", "updated_at")

# The sitemap's two queries are written in SQL, from the models' own table and
# column names. Through the ORM, building the four-way UNIONs (of counts, and
# of rows) cost more than the database took to answer them and the page took
# to write: 1.9 ms of a 3 ms sitemap.


def _published(section, select):
    """(SQL, parameters) selecting the section's name and ``select`` (SQL over the
    section's table) for each of its published items."""
    meta = section.model._meta
    table = connection.ops.quote_name(meta.db_table)
    published = connection.ops.quote_name(meta.get_field("published").column)
    return f"SELECT %s, {select} FROM {table} WHERE {published} = %s", [section.name, True]


def _published_urls(section):
    """(SQL, parameters) of the section's name, slug and last change for each of its
    published items."""
    meta = section.model._meta
    columns = (connection.ops.quote_name(meta.get_field(name).column) for name in URL_FIELDS)
    return _published(section, ", ".join(columns))


def _union(parts):
    """One query of several (SQL, parameters), their rows one after the other."""
    parts = list(parts)
    return " UNION ALL ".join(sql for sql, _ in parts), [p for _, params in parts for p in params]


def _fetch(sql, params):
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def _located(model, rows):
    """[(path, last change)] of (slug, stored moment) rows. Each moment as the ORM
    reads it: SQLite's come back naive, in the connection's time zone. The zone
    and the script prefix are read once (each is a context-local lookup, and
    reading them for every URL was a quarter of the sitemap's CPU)."""
    zone = connection.timezone
    paths = model.urls_for_slugs(slug for slug, _ in rows)
    changes = (
        changed if timezone.is_aware(changed) else timezone.make_aware(changed, zone)
        for _, changed in rows
    )
    return list(zip(paths, changes, strict=True))


def _page_number(page):
    """The page number ``p`` asks for, as Django's paginator reads it; 404 if it is none."""
    try:
        number = int(page)
    except (TypeError, ValueError):
        raise Http404("The page is not a number.") from None
    if not 1 <= number <= LAST_POSSIBLE_PAGE:
        raise Http404("No such sitemap page.")
    return number


def _urlset(sections):
    parts = [URLSET_START]
    zone = timezone.get_current_timezone()
    for section, urls in sections:
        tail = (
            f"<changefreq>{section.changefreq}</changefreq>"
            f"<priority>{section.priority}</priority></url>"
        )
        for path, changed in urls:
            lastmod = (
                f"<lastmod>{changed.astimezone(zone).date().isoformat()}</lastmod>"
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

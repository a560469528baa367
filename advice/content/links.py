"""Internal links in content bodies, and what they point at.

Editors link to other items with their site paths (``/causes/<slug>/``).
What a path means is asked of the URLconf itself (``resolve()``), so there is
no second copy of the site's URL shapes to drift from it.
"""

import re
from dataclasses import dataclass
from urllib.parse import parse_qs, urlsplit

from django.conf import settings
from django.db.models import Q
from django.urls import Resolver404, URLPattern, URLResolver, get_resolver, resolve

from advice.memo import per_process

from .problems import shown
from .schema import KIND_BY_URL_NAME

# [text](/path) and [label]: /path (reference definitions).
INLINE_LINK = re.compile(r"\]\(\s*<?(/[^)\s>]*)")
REFERENCE_LINK = re.compile(r"^\s{0,3}\[[^\]]+\]:\s*<?(/\S*?)>?(?:\s|$)", re.MULTILINE)


@dataclass(frozen=True)
class InternalLink:
    line: int  # 1-based, within the text that was scanned
    path: str


@dataclass(frozen=True)
class Target:
    kind: str
    slug: str


def find_internal_links(text):
    """Every site-relative link in markdown ``text``, with its line number."""
    links = []
    for pattern in (INLINE_LINK, REFERENCE_LINK):
        for match in pattern.finditer(text):
            line = text.count("\n", 0, match.start(1)) + 1
            links.append(InternalLink(line=line, path=match.group(1)))
    return sorted(links, key=lambda link: link.line)


@per_process
def link_target(path):
    """The content item ``path`` shows, None for a page that is not an item, or ValueError.

    Remembered: an import checks tens of thousands of links, mostly the same few
    hundred paths, and what a path means only changes with the code."""
    parts = urlsplit(path)
    try:
        match = resolve(parts.path)
    except Resolver404:
        raise ValueError(f"link {shown(path)} is not a page of this site") from None
    kind = KIND_BY_URL_NAME.get(match.url_name) if match.namespace == "advice" else None
    if kind is None:
        return None
    if kind.slug_in_fragment:
        # /faq/#<slug> as editors write it, or /faq/?question=<slug> (the item's own URL).
        slug = parts.fragment or parse_qs(parts.query).get("question", [""])[-1]
        return Target(kind.name, slug) if slug else None
    return Target(kind.name, match.kwargs["slug"])


def broken_links(text, catalogue, linking_is_published=True):
    """(line, message) for each internal link in ``text`` that would not work.

    ``catalogue`` maps a kind ("causes") to {slug: published}. A link to an
    unpublished item is broken for readers, unless the linking item is a
    draft too.
    """
    problems = []
    for link in find_internal_links(text):
        try:
            target = link_target(link.path)
        except ValueError as error:
            problems.append((link.line, str(error)))
            continue
        if target is None:
            continue
        published = catalogue.get(target.kind, {}).get(target.slug)
        where = f"link {shown(link.path)} points to {target.kind} {shown(target.slug)}"
        if published is None:
            problems.append((link.line, f"{where}, which does not exist"))
        elif linking_is_published and not published:
            problems.append((link.line, f"{where}, which is not published"))
    return problems


def reserved_page_slug(slug):
    """Why ``slug`` cannot name a site page (served at /<slug>/), or "" if it can.

    Every other route's first path segment is taken: /library/, /api/, the
    admin, static files. The list is read from the URLconf, not typed here.
    """
    if slug in _route_prefixes():
        return f"/{slug}/ is already a section of the site"
    try:
        match = resolve(f"/{slug}/")
    except Resolver404:
        return ""
    if match.url_name != "page":
        return f"/{slug}/ is already a section of the site"
    return ""


@per_process
def _route_prefixes():
    prefixes = {settings.STATIC_URL.strip("/").split("/")[0]}
    for route in _routes(get_resolver().url_patterns):
        first = route.split("/")[0]
        if first and "<" not in first:
            prefixes.add(first)
    return frozenset(prefixes)


def _routes(patterns, prefix=""):
    for pattern in patterns:
        route = prefix + str(pattern.pattern).lstrip("^")
        if isinstance(pattern, URLResolver):
            yield from _routes(pattern.url_patterns, route)
        elif isinstance(pattern, URLPattern):
            yield route


def item_path(kind, slug):
    """The site path of one item, as editors are asked to write it in links."""
    return kind.model.url_for_slug(slug)


def may_link_to(kind, slug):
    """A filter for the bodies that may hold a link to one item, however it is
    written (``link_target`` reads which do): its path, or its fragment on the
    page that holds it."""
    may_link = Q(body__contains=item_path(kind, slug).rstrip("/"))
    if kind.slug_in_fragment:
        may_link |= Q(body__contains=f"#{slug}")
    return may_link

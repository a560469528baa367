"""Internal links in content bodies, and what they point at.

Editors link to other items with their site paths (``/causes/<slug>/``); the
import and the admin both check that each such link resolves, so a renamed or
missing item is an error before it is a broken page.
"""

import re
from dataclasses import dataclass

# [text](/path) and [label]: /path (reference definitions).
INLINE_LINK = re.compile(r"\]\(\s*<?(/[^)\s>]*)")
REFERENCE_LINK = re.compile(r"^\s{0,3}\[[^\]]+\]:\s*<?(/\S*?)>?(?:\s|$)", re.MULTILINE)

ITEM_PATHS = [
    (re.compile(r"^/library/(?P<slug>[a-z0-9-]+)/?$"), "articles"),
    (re.compile(r"^/causes/(?P<slug>[a-z0-9-]+)/?$"), "causes"),
    (re.compile(r"^/remedies/(?P<slug>[a-z0-9-]+)/?$"), "remedies"),
    (re.compile(r"^/faq/#(?P<slug>[a-z0-9-]+)$"), "faqs"),
    (re.compile(r"^/(?P<slug>[a-z0-9-]+)/?$"), "pages"),
]
# Site sections that are not content items (query strings and anchors allowed).
SECTION_PATHS = {"/", "/library/", "/causes/", "/remedies/", "/faq/", "/checker/", "/search/"}


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


def link_target(path):
    """The content item a path points at, None for a site section, or raise ValueError."""
    section = re.split(r"[?#]", path, maxsplit=1)[0]
    if section in SECTION_PATHS and not path.startswith("/faq/#"):
        return None
    for pattern, kind in ITEM_PATHS:
        match = pattern.match(path)
        if match and not (kind == "pages" and f"/{match['slug']}/" in SECTION_PATHS):
            return Target(kind=kind, slug=match["slug"])
    raise ValueError(f"link {path!r} is not a page of this site")


def broken_links(text, slugs_by_kind):
    """(line, message) for each internal link in ``text`` that does not resolve.

    ``slugs_by_kind`` maps a kind ("causes") to the set of slugs that exist.
    """
    problems = []
    for link in find_internal_links(text):
        try:
            target = link_target(link.path)
        except ValueError as error:
            problems.append((link.line, str(error)))
            continue
        if target and target.slug not in slugs_by_kind.get(target.kind, set()):
            problems.append(
                (
                    link.line,
                    f"link {link.path!r} points to {target.kind} {target.slug!r}, "
                    f"which does not exist",
                )
            )
    return problems

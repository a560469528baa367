"""The public pages: home, library, causes, remedies, FAQ, search and site pages.

Every view is a plain function answering GET and HEAD. ``@public_page(...)``
marks the ones that show every anonymous reader the same page and names the
query parameters each reads: the page cache keys on exactly those. Lists that
htmx updates in place (library, remedies, FAQ, search) render a named partial
of their own template when the request comes from htmx, and vary on
``HX-Request``. Drafts are 404 to the public and shown to staff with a banner.
The 404 and 500 handlers read nothing from the database but a signed-in
editor's session (only sent with a session cookie); the 500 handler answers a
lost database with the outage's 503 (``outage.py``).
``render_preview`` shows an item's page with an editor's unsaved
changes, through the same template and context as its public view.
"""

import sys
from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from math import ceil
from urllib.parse import urlencode

from django.conf import settings
from django.core.exceptions import TooManyFieldsSent
from django.db import DatabaseError, connection
from django.db.models import Case, Count, Prefetch, Q, Value, When
from django.http import HttpResponse, QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.template import loader
from django.urls import reverse
from django.utils.cache import patch_cache_control, patch_vary_headers
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from advice.care import WORDING, CareLevel
from advice.content.version import per_content_version
from advice.models import (
    FAQ,
    Article,
    Cause,
    CauseSymptom,
    Page,
    Phase,
    Remedy,
    RemedyKind,
    RunningStage,
    Symptom,
    Topic,
)
from advice.search import clean_query, suggest
from advice.search import search as find
from advice.wording import in_sentence

from . import running, sitemaps
from . import search as site_search
from .canonical import absolute_url
from .htmx import HTMX_VARY, render_page_or_partial, wants_partial
from .outage import OUTAGE_ERRORS, outage_log, service_unavailable
from .page_cache import public_page
from .paging import Prepared, page_of

# Page sizes of the lists (templates/jinja2/includes/pagination.html draws their page links).
# Causes, remedies and the FAQ: today's whole list on one page (20 causes, 28
# remedies, 22 questions), a long one in pieces a reader can scan (and a
# phone can load: 50 answers made a 155 kB page). The FAQ pages by count,
# keeping each page's questions under their topics: a topic can hold hundreds
# of questions once content grows, so paging by topic would not bound a page.
ARTICLES_PER_PAGE = 10
CAUSES_PER_PAGE = 30
REMEDIES_PER_PAGE = 30
FAQS_PER_PAGE = 25
# What the FAQ page shows of each question, read as named tuples rather than models.
FAQ_SHOWN = ("slug", "title", "body_html", "topic_id")
WORDS_PER_MINUTE = 200
TOC_MIN_HEADINGS = 3
RELATED_LIMIT = 5  # links in a related list before "see all"
HOME_CAUSES = 6
# The article that explains the stages the planner uses (a test keeps them in step).
RUNNING_ARTICLE = "back-to-running-after-a-hamstring-strain"


# What a list shows of each item (with .only(): a list page reads no bodies it
# does not show); each list adds its own.
LISTED = ("slug", "title", "summary")


def _published_or_staff(request, queryset, slug):
    """The item with ``slug``: published ones for everyone, drafts for staff only."""
    if not request.user.is_staff:
        queryset = queryset.published()
    return get_object_or_404(queryset, slug=slug)


def _crumb(url_name, label):
    return (label, reverse(f"advice:{url_name}"))


def _reading_minutes(item):
    return max(1, ceil(len(item.body.split()) / WORDS_PER_MINUTE))


@dataclass(frozen=True)
class Related:
    """A related list, best first, cut to RELATED_LIMIT: (item, URL) ``links``
    (``_linked``); ``more`` were left out, all of them at ``more_url``."""

    links: list
    more: int = 0
    more_url: str = ""


def _related(items, more_url="", limit=RELATED_LIMIT):
    items = list(items)
    return Related(_linked(items[:limit]), max(0, len(items) - limit), more_url)


def _linked(items):
    """(item, URL) pairs for ``items``, for an item page's context.

    The context is kept per content version (``_published_context``) with
    its links worked out, as its "see all" URLs are: a cause page links some
    twenty items, and building their URLs on every request was a sixth of
    its CPU.
    """
    return [(item, item.get_absolute_url()) for item in items]


def _published(model, *related):
    """Published ``model`` rows, for the ``Prefetch`` of a related list."""
    queryset = model.objects.published()
    if related:
        queryset = queryset.select_related(*related)
    return queryset


# --- Home ----------------------------------------------------------------------


@public_page()
@require_safe
def home(request):
    return render(request, "advice/home.html", dict(_home_context()))


@per_content_version
def _home_context():
    """The home page's lists: the same for every reader until the content changes."""
    red_flags = sorted(
        Symptom.objects.published().filter(care_level__in=[CareLevel.URGENT, CareLevel.EMERGENCY]),
        key=lambda symptom: (-CareLevel.rank(symptom.care_level), symptom.group, symptom.order),
    )
    # "Common" causes: the ones the library discusses most.
    causes = (
        Cause.objects.published()
        .annotate(mentions=Count("articles", filter=Q(articles__published=True)))
        .order_by("-mentions", "title")[:HOME_CAUSES]
    )
    return {
        "page_title": "Hamstring pain: causes, self-care and when to get help",
        "emergency_wording": WORDING[CareLevel.EMERGENCY],
        "urgent_wording": WORDING[CareLevel.URGENT],
        "emergency_signs": [s for s in red_flags if s.care_level == CareLevel.EMERGENCY],
        "urgent_signs": [s for s in red_flags if s.care_level == CareLevel.URGENT],
        "causes": list(causes),
        "featured": list(Article.objects.published().filter(featured=True).select_related("topic")),
        "popular_faqs": list(FAQ.objects.published().filter(popular=True).select_related("topic")),
    }


# --- Library -------------------------------------------------------------------


@public_page("topic", "q", "page")
@require_safe
def library(request):
    topics = _topics()
    topic = next((t for t in topics if t.slug == request.GET.get("topic")), None)
    query = site_search.clean_query(request.GET.get("q", ""))
    terms = site_search.terms_of(query)

    topic_pk = topic.pk if topic else None
    if terms:
        articles = _articles_in_order(topic_pk)
        articles = site_search.ranked(site_search.matching(articles, terms), terms)
    elif query:
        articles = []  # only punctuation or one-letter words: nothing to match
    else:
        articles = Prepared(_articles_in_order, topic_pk)
    page_obj = page_of(request, articles, ARTICLES_PER_PAGE)
    _with_topics(page_obj.object_list, topics)

    context = {
        "page_title": f"Library: {topic.title}" if topic else "Library",
        "meta_description": "Articles about hamstring pain: strains and tears, soreness, "
        "running and training, treatment and recovery, and when to get help.",
        "breadcrumbs": [],
        "topics": topics,
        "topic": topic,
        "query": query,
        "terms": terms,
        "page_obj": page_obj,
    }
    return render_page_or_partial(request, "advice/library.html", "results", context)


def _articles_in_order(topic_pk):
    """The published articles (of one topic, unless ``topic_pk`` is None) in the
    library's order: by topic, then title."""
    articles = (
        Article.objects.published().only(*LISTED, "topic").order_by("topic__order", "title", "pk")
    )
    return articles if topic_pk is None else articles.filter(topic_id=topic_pk)


@per_content_version
def _topics():
    """The topics of the library and the FAQ: the same for every reader until content changes."""
    return tuple(Topic.objects.all())


def _with_topics(articles, topics):
    """``articles``, each given its topic from ``topics`` (all of them, from
    ``_topics()``) rather than by a join in the list's query."""
    topic_of = _topic_finder(topics)
    for article in articles:
        article.topic = topic_of(article.topic_id)
    return articles


def _topic_finder(topics):
    """The topic with a given pk: one of ``topics`` (all of them, from ``_topics()``)
    or, for a topic added after they were read (in the same instant as the item
    that names it), the database's."""
    by_pk = {topic.pk: topic for topic in topics}

    def topic_of(pk):
        return by_pk.get(pk) or Topic.objects.get(pk=pk)

    return topic_of


def _article_queryset():
    return Article.objects.select_related("topic").prefetch_related(
        Prefetch("causes", queryset=_published(Cause)),
        Prefetch("remedies", queryset=_published(Remedy)),
    )


def _article_context(article):
    cause_ids = [cause.pk for cause in article.causes.all()]
    # Ranked by how much they share with the article: FAQs and remedies that
    # more of its causes have come first, then the editors' order.
    related_faqs = (
        FAQ.objects.published()
        .filter(causes__in=cause_ids)
        .annotate(shared=Count("causes"))
        .select_related("topic")
        .order_by("-shared", "-popular", "topic__order", "order", "title")
    )
    shared = Counter(
        Cause.remedies.through.objects.filter(cause_id__in=cause_ids).values_list(
            "remedy_id", flat=True
        )
    )
    remedies = sorted(article.remedies.all(), key=lambda r: (-shared[r.pk], r.order, r.title))
    toc = [heading for heading in article.body_toc if heading["level"] == 2]
    return {
        "article": article,
        "item": article,
        "page_title": article.title,
        "meta_description": article.summary,
        "breadcrumbs": [_crumb("library", "Library")],
        "toc": toc if len(toc) >= TOC_MIN_HEADINGS else [],
        "reading_minutes": _reading_minutes(article),
        "related_causes": _related(article.causes.all(), reverse("advice:cause_list")),
        "related_remedies": _related(remedies, reverse("advice:remedy_list")),
        "related_faqs": _related(related_faqs, reverse("advice:faq")),
    }


@public_page()
@require_safe
def article_detail(request, slug):
    return render(request, "advice/article_detail.html", _detail_context(request, Article, slug))


# --- Causes --------------------------------------------------------------------


@public_page("page")
@require_safe
def cause_list(request):
    page_obj = page_of(request, Prepared(_causes_in_order), CAUSES_PER_PAGE)
    context = {
        "page_title": "Causes of pain in the back of the thigh",
        "meta_description": "The common causes of hamstring pain, from soreness after exercise "
        "to strains, tears and pain from the back, and the look-alikes that need care.",
        "causes": page_obj.object_list,
        "page_obj": page_obj,
    }
    return render(request, "advice/cause_list.html", context)


def _causes_in_order():
    # The model's order, with the key last so that a page's rows are never in doubt.
    return Cause.objects.published().only(*LISTED, "also_known_as").order_by("order", "title", "pk")


def _cause_queryset():
    return Cause.objects.prefetch_related(
        Prefetch(
            "symptom_links",
            queryset=CauseSymptom.objects.filter(symptom__published=True).select_related("symptom"),
        ),
        Prefetch("remedies", queryset=_published(Remedy)),
        Prefetch("articles", queryset=_published(Article, "topic")),
        Prefetch("faqs", queryset=_published(FAQ, "topic")),
    )


def _cause_context(cause):
    remedies = list(cause.remedies.all())  # in the editors' order
    # Each remedy once, under the phase where it matters most: the first its
    # content lists. The other phases are noted beside it.
    remedies_by_phase = [
        (phase, [remedy for remedy in remedies if remedy.phases[:1] == [phase.value]])
        for phase in Phase
    ]
    body_says_how_long = any(
        heading["name"].lower().startswith("how long") for heading in cause.body_toc
    )
    return {
        "cause": cause,
        "item": cause,
        "page_title": cause.title,
        "meta_description": cause.summary,
        "breadcrumbs": [_crumb("cause_list", "Causes")],
        "care_cards": cause.care_cards(),
        "remedies_by_phase": [
            (phase, _linked(items)) for phase, items in remedies_by_phase if items
        ],
        "show_recovery_time": not body_says_how_long,
        "related_articles": _related(
            sorted(cause.articles.all(), key=lambda a: (not a.featured, a.title)),
            reverse("advice:library"),
        ),
        "related_faqs": _related(
            sorted(cause.faqs.all(), key=lambda f: (not f.popular, f.topic.order, f.order)),
            reverse("advice:faq"),
        ),
    }


@public_page()
@require_safe
def cause_detail(request, slug):
    return render(request, "advice/cause_detail.html", _detail_context(request, Cause, slug))


# --- Remedies ------------------------------------------------------------------


@public_page("phase", "page")
@require_safe
def remedy_list(request):
    phase_value = request.GET.get("phase", "")
    phase = Phase(phase_value) if phase_value in Phase.values else None
    page_obj = page_of(request, Prepared(_remedies_in_order, phase), REMEDIES_PER_PAGE)
    by_kind = defaultdict(list)
    for remedy in page_obj:
        by_kind[remedy.kind].append(remedy)
    context = {
        "page_title": f"Remedies: {in_sentence(phase.label)}" if phase else "Remedies",
        "meta_description": "What helps hamstring pain and when: first aid in the first 72 "
        "hours, recovery, and prevention, with the cautions for each.",
        "phases": list(Phase),
        "phase": phase,
        "count": page_obj.paginator.count,
        "groups": [(kind, by_kind[kind.value]) for kind in RemedyKind if by_kind[kind.value]],
        "page_obj": page_obj,
    }
    return render_page_or_partial(request, "advice/remedy_list.html", "results", context)


def _remedies_in_order(phase):
    """The published remedies (those for ``phase``, unless it is None), grouped by kind
    in RemedyKind's order, so a page continues where the last one ended."""
    kind_order = Case(
        *(When(kind=kind.value, then=Value(rank)) for rank, kind in enumerate(RemedyKind)),
        default=Value(len(RemedyKind)),
    )
    remedies = (
        Remedy.objects.published()
        .only(*LISTED, "kind", "phases", "avoid_phases")
        .order_by(kind_order, "order", "title", "pk")
    )
    if phase is not None:
        # ``phases`` is a JSON list of Phase values: its text holds each one quoted.
        remedies = remedies.filter(phases__icontains=f'"{phase.value}"')
    return remedies


def _remedy_queryset():
    return Remedy.objects.prefetch_related(
        Prefetch("causes", queryset=_published(Cause)),
        Prefetch("articles", queryset=_published(Article, "topic")),
    )


def _remedy_context(remedy):
    return {
        "remedy": remedy,
        "item": remedy,
        "page_title": remedy.title,
        "meta_description": remedy.summary,
        "breadcrumbs": [_crumb("remedy_list", "Remedies")],
        "kind_label": RemedyKind(remedy.kind).label,
        "related_causes": _related(remedy.causes.all(), reverse("advice:cause_list")),
        "related_articles": _related(remedy.articles.all(), reverse("advice:library")),
    }


@public_page()
@require_safe
def remedy_detail(request, slug):
    return render(request, "advice/remedy_detail.html", _detail_context(request, Remedy, slug))


# --- FAQ -----------------------------------------------------------------------


@public_page("q", "page", "question")
@require_safe
def faq(request):
    question = request.GET.get("question")
    if question:
        return _faq_question(question)
    query = site_search.clean_query(request.GET.get("q", ""))
    terms = site_search.terms_of(query)
    # With a query, the matching questions in the list's order.
    if query:
        matches = site_search.matching(_faqs_in_order(), terms)
        shown = matches.values_list(*FAQ_SHOWN, named=True)
    else:
        shown = Prepared(_faqs_in_order, fields=FAQ_SHOWN)
    page_obj = page_of(request, shown, FAQS_PER_PAGE)
    context = {
        "page_title": "Questions and answers",
        "meta_description": "Short answers to common questions about hamstring pain: "
        "heat or ice, running, painkillers, healing times and when to see a doctor.",
        "faqs": page_obj.object_list,
        "groups": _by_topic(page_obj.object_list),
        "count": page_obj.paginator.count,
        "page_obj": page_obj,
        "query": query,
        "terms": terms,
    }
    return render_page_or_partial(request, "advice/faq.html", "results", context)


def _faqs_in_order():
    # One order for the pages and for finding a question's page.
    return FAQ.objects.published().order_by("topic__order", "order", "title", "pk")


def _by_topic(faqs):
    """(topic, questions) pairs for the questions ``faqs``, in their order."""
    groups = defaultdict(list)
    for faq in faqs:
        groups[faq.topic_id].append(faq)
    topic_of = _topic_finder(_topics())
    return [(topic_of(pk), group) for pk, group in groups.items()]


def _faq_question(slug):
    """A question's link (``FAQ.get_absolute_url``): to the FAQ page that holds it,
    opened at its answer; an unknown question goes to the first page."""
    slugs = list(_faqs_in_order().values_list("slug", flat=True))
    if slug not in slugs:
        return redirect("advice:faq")
    number = slugs.index(slug) // FAQS_PER_PAGE + 1
    page = f"?{urlencode({'page': number})}" if number > 1 else ""
    return redirect(f"{reverse('advice:faq')}{page}#{slug}")


# --- Search --------------------------------------------------------------------

SEARCH_SUGGESTED_CAUSES = 6


@public_page("q", "kind", "page", "spell")
@require_safe
def search(request):
    results = find(
        request.GET.get("q", ""),
        kind=request.GET.get("kind", ""),
        page=request.GET.get("page"),
        spelling=request.GET.get("spell") != "0",
    )
    query = results.searched
    context = {
        "page_title": f"Search results for “{query}”" if query else "Search",
        "meta_description": "Search the hamstring advice library, causes, remedies and FAQs.",
        "query": results.query,
        "results": results,
        "page_obj": results.page,
        "suggestions": (
            Cause.objects.published().only("slug", "title")[:SEARCH_SUGGESTED_CAUSES]
            if results.query and not results.all_kinds_total
            else []
        ),
    }
    return render_page_or_partial(request, "advice/search.html", "results", context)


@public_page("q")
@require_safe
def search_suggest(request):
    """Pages for the site-wide search box's suggestions, as the combobox's options.

    Only htmx asks for them; anyone else opening this URL gets the search page.
    """
    query = clean_query(request.GET.get("q", ""))
    if not wants_partial(request):
        return redirect(f"{reverse('advice:search')}?{urlencode({'q': query})}")
    context = {"query": query, "hits": suggest(query)}
    response = render(request, "advice/includes/search_suggestions.html", context)
    patch_vary_headers(response, HTMX_VARY)
    return response


# --- Return to running -----------------------------------------------------------


@require_safe
def running_planner(request):
    """The return-to-running planner: the reader's stage from the checks they pass.

    The answers are only in the URL: a page with answers is never cached or
    indexed, and keeps the URL out of Referer headers.
    """
    try:
        params = request.GET
    except TooManyFieldsSent:
        params = QueryDict()
    stages = list(RunningStage.objects.published())
    plan = running.plan_for(stages, params)
    slugs = {exercise["remedy"] for stage in stages for exercise in stage.exercises}
    remedies = {r.slug: r for r in Remedy.objects.published().filter(slug__in=slugs)}
    signs = Symptom.objects.published().filter(
        care_level__in=[CareLevel.URGENT, CareLevel.EMERGENCY]
    )
    context = {
        "page_title": "Return-to-running planner",
        "meta_description": "Find your stage in returning to running after a hamstring strain: "
        "the checks to pass, the exercises for your stage and when to get help.",
        "plan": plan,
        "exercises": [
            (exercise, remedies[exercise["remedy"]])
            for exercise in (plan.current.stage.exercises if plan.current else ())
            if exercise["remedy"] in remedies
        ],
        "emergency_wording": WORDING[CareLevel.EMERGENCY],
        "urgent_wording": WORDING[CareLevel.URGENT],
        "emergency_signs": [s.summary for s in signs if s.care_level == CareLevel.EMERGENCY],
        "urgent_signs": [s.summary for s in signs if s.care_level == CareLevel.URGENT],
        "article": Article.objects.published().filter(slug=RUNNING_ARTICLE).first(),
        "asked": running.ASKED,
    }
    response = render(request, "advice/running_planner.html", context)
    if plan.answered:
        patch_cache_control(response, no_store=True, private=True)
        response["X-Robots-Tag"] = "noindex"
        response["Referrer-Policy"] = "no-referrer"
    return response


# --- Site pages ----------------------------------------------------------------


def _page_context(page):
    return {
        "page": page,
        "item": page,
        "page_title": page.title,
        "meta_description": page.summary,
    }


@public_page()
@require_safe
def page_detail(request, slug):
    return render(request, "advice/page_detail.html", _detail_context(request, Page, slug))


# --- Previews of unsaved edits ---------------------------------------------------


@dataclass(frozen=True)
class DetailPage:
    """How an item's own page is read and shown: for its view and for the admin's preview."""

    queryset: Callable
    template: str
    context: Callable


DETAIL_PAGES = {
    Article: DetailPage(_article_queryset, "advice/article_detail.html", _article_context),
    Cause: DetailPage(_cause_queryset, "advice/cause_detail.html", _cause_context),
    Remedy: DetailPage(_remedy_queryset, "advice/remedy_detail.html", _remedy_context),
    Page: DetailPage(Page.objects.all, "advice/page_detail.html", _page_context),
}


def _detail_context(request, model, slug):
    """The context of item ``slug``'s own page.

    Staff may see drafts, so theirs is read every time. Everyone else sees
    the published item, with its related lists: the same for every reader
    until the content changes, so it is read once per content version.
    """
    page = DETAIL_PAGES[model]
    if request.user.is_staff:
        return page.context(_published_or_staff(request, page.queryset(), slug))
    return dict(_published_context(model, slug))


@per_content_version
def _published_context(model, slug):
    page = DETAIL_PAGES[model]
    return page.context(get_object_or_404(page.queryset().published(), slug=slug))


def render_preview(request, model, pk, edit):
    """The page of saved item ``pk`` as readers would see it after ``edit(item)``.

    Nothing is saved: ``edit`` changes the loaded instance in memory only.
    The page says it is a preview.
    """
    page = DETAIL_PAGES[model]
    item = get_object_or_404(page.queryset(), pk=pk)
    edit(item)
    return render(request, page.template, {**page.context(item), "preview": True})


# --- Machine-readable ----------------------------------------------------------


@public_page("p")
@require_safe
def sitemap(request):
    """The whole sitemap while it fits one page; past that, the index of the sections'."""
    return sitemaps.sitemap(request.GET.get("p", 1))


@public_page("p")
@require_safe
def sitemap_section(request, section):
    """One section's sitemap, page ``p`` (404 for a bad section or page)."""
    return sitemaps.section_sitemap(section, request.GET.get("p", 1))


@public_page()
@require_safe
def robots_txt(request):
    lines = ["User-agent: *"]
    # A custom admin address is meant to be hard to find: robots.txt would
    # publish it. The admin's X-Robots-Tag keeps it out of indexes either way.
    if settings.ADMIN_URL == settings.DEFAULT_ADMIN_URL:
        lines.append(f"Disallow: /{settings.ADMIN_URL}")
    lines.append(f"Sitemap: {absolute_url(reverse('advice:sitemap'))}")
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain; charset=utf-8")


@never_cache
@require_safe
def healthz(request):
    """200 "ok" when the app can reach its database; 503 otherwise."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except DatabaseError as error:
        outage_log.record(error)
        return HttpResponse("database unavailable", status=503, content_type="text/plain")
    return HttpResponse("ok", content_type="text/plain")


# --- Errors (no database: these must work when it is down) ----------------------


def page_not_found(request, exception):
    return render(request, "404.html", {"page_title": "Page not found"}, status=404)


def server_error(request):
    # Django calls this while handling the exception, so it is still at hand.
    error = sys.exc_info()[1]
    if isinstance(error, OUTAGE_ERRORS):
        return service_unavailable(error)
    # Rendered without the request context, as Django's own handler does, so
    # that nothing a context processor needs (sessions, the database) can fail.
    template = loader.get_template("500.html")
    return HttpResponse(template.render({"page_title": "Sorry, there is a problem"}), status=500)

"""The Jinja2 environment of the public pages (templates/jinja2/): everything their templates call.

The public pages render through Jinja2, which compiles a template to Python
once per process and costs a fraction of Django's template engine per page;
the admin and the form widgets keep Django's engine (templates/). Each helper
here is the one home of what it does: a template never repeats a URL shape or
a wording rule.

Autoescaping is on, as in Django's engine: a value is escaped unless it is
marked safe (``Markup``, or Django's ``SafeString``, which Jinja2 honours).
A missing value prints as nothing and a missing attribute of it is missing
too (``ChainableUndefined``), as Django's engine treats them: the 500 and 503
pages render without a request.
"""

import datetime
import itertools

from django.template import defaultfilters
from django.template.defaulttags import GroupedResult
from django.template.defaulttags import querystring as django_querystring
from django.templatetags.static import static
from django.urls import get_script_prefix
from django.utils.timezone import template_localtime
from django_htmx.jinja import htmx_script
from jinja2 import ChainableUndefined, Environment, pass_context
from markupsafe import Markup

from advice.memo import per_process
from advice.models import item_url
from advice.web import canonical, search, seo
from advice.wording import in_sentence


def environment(**options):
    options["undefined"] = ChainableUndefined
    env = Environment(**options)
    env.globals.update(
        absolute_url=canonical.absolute_url,
        faq_page=seo.faq_page,
        htmx_script=htmx_script_tags,
        medical_web_page=seo.medical_web_page,
        layout_part=layout_part,
        querystring=querystring,
        static=static_url,
        url=url,
    )
    env.filters.update(
        capfirst=defaultfilters.capfirst,
        date=date,
        highlight=search.highlight,
        in_sentence=lambda title: in_sentence(str(title)),
        percent=percent,
        pluralize=defaultfilters.pluralize,
        regroup=regroup,
        slugify=defaultfilters.slugify,
        time=time,
        urlencode=defaultfilters.urlencode,
    )
    return env


def url(name, *args):
    """``url("advice:page", "about")``: the path of a named URL, by ``reverse()``
    worked out once per process (``item_url``: a page links a dozen URLs, and
    reverse() costs more than the rest of a link)."""
    return item_url(name, *args)


@per_process
def static_url(path):
    """``static("css/site.css")``: a static file's URL (hashed in production), worked
    out once per process: the manifest does not change while the process runs."""
    return static(path)


@per_process
def htmx_script_tags():
    """django-htmx's script element(s) for htmx, from our own static files. No CSP
    nonce: the script is a file ('self'), and a per-request nonce would make every
    page differ (request.csp_nonce is there for an inline script, which we never have)."""
    return htmx_script()


@pass_context
def querystring(context, **changes):
    """The current query string with ``changes`` (a value of None removes the parameter),
    as Django's ``{% querystring %}`` tag makes it."""
    return django_querystring(_RequestHolder(context["request"]), **changes)


class _RequestHolder:
    """What Django's querystring reads of its template context: ``.request``."""

    __slots__ = ("request",)

    def __init__(self, request):
        self.request = request


@pass_context
def layout_part(context, template_name):
    """The part of the layout in ``template_name`` (the header, the footer), rendered
    once per process for each current page rather than on every request.

    These parts are the same on every page but for which navigation link is
    current; rendering them was a tenth of a page's cost. The template sees
    ``current``, the URL name of the page (None on an error page), and must
    read nothing else of the request or the page. Keyed on the script prefix
    too, which its links (``url()``) read. In development (DEBUG, when Jinja2
    reloads changed templates) it is rendered every time, so an edit shows.
    """
    match = getattr(context.get("request"), "resolver_match", None)
    current = match.url_name if match is not None else None
    environment = context.environment
    if environment.auto_reload:
        return _render_part(environment, template_name, current)
    return _kept_part(environment, template_name, current, get_script_prefix())


@per_process(maxsize=256)
def _kept_part(environment, template_name, current, prefix):
    return _render_part(environment, template_name, current)


def _render_part(environment, template_name, current):
    return Markup(environment.get_template(template_name).render(current=current))


def date(value, format_string=None):
    """Django's ``date`` filter, in the current time zone as Django's engine shows it.

    A calendar date (a review date) repeats on every page that shows it: its
    wording is worked out once per process; a moment in time is not kept."""
    if type(value) is datetime.date:
        return _date_wording(value, format_string)
    return defaultfilters.date(template_localtime(value), format_string)


@per_process
def _date_wording(value, format_string):
    return defaultfilters.date(value, format_string)


def time(value, format_string=None):
    """Django's ``time`` filter, in the current time zone as Django's engine shows it."""
    return defaultfilters.time(template_localtime(value), format_string)


def percent(rate):
    """A rate between 0 and 1 as a whole percentage (what ``{% widthratio rate 1 100 %}`` gave)."""
    return round(rate * 100)


def regroup(items, attribute):
    """Consecutive items with the same ``attribute``, as (grouper, list) pairs in their
    own order (Django's ``{% regroup %}``; Jinja2's ``groupby`` would sort them)."""
    key = lambda item: getattr(item, attribute)  # noqa: E731
    return [GroupedResult(grouper, list(group)) for grouper, group in itertools.groupby(items, key)]

"""Small presentation helpers for the public templates."""

from django import template
from django.conf import settings
from django.core.signals import setting_changed
from django.template.loader import get_template
from django.urls import reverse
from django.utils.html import format_html
from django.utils.safestring import mark_safe

from advice.web import search
from advice.wording import in_sentence as _in_sentence

register = template.Library()


@register.simple_tag(takes_context=True)
def nav_link(context, url_name, label, *section_names):
    """A main-navigation link, marked as the current page or section."""
    request = context.get("request")
    match = getattr(request, "resolver_match", None)
    current = match.url_name if match is not None else None
    url = reverse(f"advice:{url_name}")
    if current == url_name:
        return format_html('<a href="{}" aria-current="page">{}</a>', url, label)
    if current in section_names:
        return format_html('<a href="{}" aria-current="true">{}</a>', url, label)
    return format_html('<a href="{}">{}</a>', url, label)


@register.filter
def in_sentence(title):
    """A title inside a sentence: lower-case first letter, abbreviations kept (DVT, GP)."""
    return _in_sentence(str(title))


@register.filter
def highlight(text, terms):
    """``text`` escaped, with each search term wrapped in <mark>."""
    return search.highlight(text, terms)


# --- Markup rendered once per process ------------------------------------------

_rendered_once = {}


@register.tag
def once(parser, token):
    """``{% once "name" value ... %}...{% endonce %}``: render the block once per process
    for each combination of the values, and reuse that markup on every later request.

    Only for markup that depends on nothing but the code, the settings and the
    values named (the site's header and footer): never around content, which
    changes while the process runs, nor around anything that belongs to one
    reader (their answers, their session, a CSRF token or a CSP nonce). With
    DEBUG on it renders every time, so edited templates show at once.
    """
    bits = token.split_contents()
    if len(bits) < 2:
        raise template.TemplateSyntaxError("'once' needs a name, e.g. {% once \"header\" %}")
    nodelist = parser.parse(("endonce",))
    parser.delete_first_token()
    return OnceNode(nodelist, [parser.compile_filter(bit) for bit in bits[1:]])


class OnceNode(template.Node):
    def __init__(self, nodelist, key_parts):
        self.nodelist, self.key_parts = nodelist, key_parts

    def render(self, context):
        if settings.DEBUG:
            return self.nodelist.render(context)
        key = (id(self), *(part.resolve(context) for part in self.key_parts))
        kept = _rendered_once.get(key)
        if kept is None:
            # The node is kept with its markup, so its id() is never reused.
            kept = _rendered_once[key] = (self, mark_safe(self.nodelist.render(context)))
        return kept[1]


_rendered_pure = {}
PURE_LIMIT = 4096  # distinct renderings kept; past it they are forgotten and rendered again


@register.simple_tag
def include_pure(template_name, **values):
    """``{% include_pure "template.html" name=value ... %}``: include a template that sees
    only ``values`` (not the page's context), rendered once per process for each
    distinct set of values.

    The markup is then a function of the values alone, so keeping it is safe
    even for content and for what a reader chose (a checkbox's ``checked``
    is one of the values: there are only two renderings of each box). The
    values must be hashable (strings, numbers, booleans, None).
    """
    if settings.DEBUG:
        return get_template(template_name).render(values)
    key = (template_name, *sorted(values.items()))
    markup = _rendered_pure.get(key)
    if markup is None:
        if len(_rendered_pure) >= PURE_LIMIT:
            _rendered_pure.clear()
        markup = _rendered_pure[key] = mark_safe(get_template(template_name).render(values))
    return markup


def forget_rendered_once(**kwargs):
    """A setting changed (tests do this): what was rendered under the old one is forgotten."""
    _rendered_once.clear()
    _rendered_pure.clear()


setting_changed.connect(forget_rendered_once, dispatch_uid="forget-rendered-once")

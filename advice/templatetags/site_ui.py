"""Small presentation helpers for the public templates."""

from django import template
from django.urls import reverse
from django.utils.html import format_html

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

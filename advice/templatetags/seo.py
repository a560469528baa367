"""Tags for what search engines and link previews read: canonical URLs and JSON-LD."""

import json

from django import template
from django.urls import reverse
from django.utils.html import format_html
from django.utils.safestring import mark_safe

from advice.web import canonical

register = template.Library()

# The characters that could end or confuse a <script> element, escaped the way
# django.utils.html.json_script does.
JSON_SCRIPT_ESCAPES = {">": "\\u003E", "<": "\\u003C", "&": "\\u0026"}


@register.simple_tag(takes_context=True)
def absolute_url(context, path=None):
    """The canonical URL of ``path`` (default: the current page, without its query).

    Built from ``settings.SITE_URL``, never from the Host header the request sent.
    """
    if path is None:
        request = context.get("request")
        if request is None:
            return ""
        path = request.path
    return canonical.absolute_url(path)


def json_ld(data):
    """A schema.org JSON-LD block, escaped for a script element.

    Browsers never execute JSON-LD, so the CSP's script-src does not govern it
    and it needs no nonce (a per-request nonce would also defeat page caching).
    """
    payload = json.dumps(data, ensure_ascii=False, default=str)
    # str.replace, not str.translate: translating a page of FAQ answers
    # character by character took milliseconds; no replacement adds a character
    # that another one replaces.
    for char, escaped in JSON_SCRIPT_ESCAPES.items():
        payload = payload.replace(char, escaped)
    # The payload is escaped for script context above.
    return format_html('<script type="application/ld+json">{}</script>', mark_safe(payload))


def _publisher():
    return {"@type": "Organization", "name": "Hamstring advice"}


@register.simple_tag
def medical_web_page(item, about_type="MedicalCondition"):
    """``MedicalWebPage`` data for an article or cause, with its review date."""
    data = {
        "@context": "https://schema.org",
        "@type": "MedicalWebPage",
        "name": item.title,
        "headline": item.title,
        "description": item.summary,
        "url": canonical.absolute_url(item.get_absolute_url()),
        "lastReviewed": item.last_reviewed.isoformat(),
        "inLanguage": "en-GB",
        "publisher": _publisher(),
    }
    if about_type:
        data["about"] = {"@type": about_type, "name": item.title}
    return json_ld(data)


@register.simple_tag
def faq_page(faqs):
    """``FAQPage`` data: every question with its answer as plain text."""
    data = {
        "@context": "https://schema.org",
        "@type": "FAQPage",
        "url": canonical.absolute_url(reverse("advice:faq")),
        "mainEntity": [
            {
                "@type": "Question",
                "name": faq.title,
                "acceptedAnswer": {"@type": "Answer", "text": faq.body_text},
            }
            for faq in faqs
        ],
    }
    return json_ld(data)

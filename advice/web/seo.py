"""What search engines read besides the page itself: schema.org JSON-LD.

The public templates call these (advice/web/templating.py makes them globals).
"""

import json
from html import unescape

from django.utils.html import format_html, strip_tags
from django.utils.safestring import mark_safe

from advice.memo import per_process
from advice.models import item_url
from advice.web import canonical

# The characters that could end or confuse a <script> element, escaped the way
# django.utils.html.json_script does (by str.replace: str.translate with a
# dict costs more than the rest of the FAQ page on its 60 kB of JSON).
JSON_SCRIPT_ESCAPES = (("&", "\\u0026"), ("<", "\\u003C"), (">", "\\u003E"))


def json_ld(data):
    """A schema.org JSON-LD block, escaped for a script element.

    Browsers never execute JSON-LD, so the CSP's script-src does not govern it
    and it needs no nonce (a per-request nonce would also defeat page caching).
    """
    return _script(_script_safe_json(data))


def _script_safe_json(data):
    payload = json.dumps(data, ensure_ascii=False, default=str)
    for character, escaped in JSON_SCRIPT_ESCAPES:
        payload = payload.replace(character, escaped)
    return payload


def _script(payload):
    # The payload was escaped for script context by _script_safe_json.
    return format_html('<script type="application/ld+json">{}</script>', mark_safe(payload))


def _publisher():
    return {"@type": "Organization", "name": "Hamstring advice"}


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


def faq_page(faqs):
    """``FAQPage`` data: every question with its answer as plain text."""
    frame = _script_safe_json(
        {
            "@context": "https://schema.org",
            "@type": "FAQPage",
            "url": canonical.absolute_url(item_url("advice:faq")),
        }
    )
    questions = ", ".join(_question(faq.title, faq.body_html) for faq in faqs)
    # The frame without its closing brace, then the questions and the brace.
    return _script(f'{frame[:-1]}, "mainEntity": [{questions}]}}')


@per_process(maxsize=2048)
def _question(title, answer_html):
    """One question's JSON, written once per process for each question's text (an
    edit makes new text): stripping and encoding every answer on the page was
    a fifth of the FAQ page's CPU."""
    return _script_safe_json(
        {
            "@type": "Question",
            "name": title,
            "acceptedAnswer": {"@type": "Answer", "text": _text(answer_html)},
        }
    )


def _text(html):
    """What a reader sees of ``html``: no tags, and "A&E" rather than "A&amp;E"."""
    return unescape(strip_tags(html)).strip()

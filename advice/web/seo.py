"""What search engines read besides the page itself: schema.org JSON-LD.

The public templates call these (advice/web/templating.py makes them globals).
"""

import json

from django.urls import reverse
from django.utils.html import format_html, strip_tags
from django.utils.safestring import mark_safe

from advice.memo import per_process
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
    payload = json.dumps(data, ensure_ascii=False, default=str)
    for character, escaped in JSON_SCRIPT_ESCAPES:
        payload = payload.replace(character, escaped)
    # The payload is escaped for script context above.
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
    data = {
        "@context": "https://schema.org",
        "@type": "FAQPage",
        "url": canonical.absolute_url(reverse("advice:faq")),
        "mainEntity": [
            {
                "@type": "Question",
                "name": faq.title,
                "acceptedAnswer": {"@type": "Answer", "text": plain_text(faq.body_html)},
            }
            for faq in faqs
        ],
    }
    return json_ld(data)


@per_process(maxsize=2048)
def plain_text(html):
    """``html`` without its tags: an answer's text for search engines. Worked out once
    per process for each answer's (stored, sanitised) markup, which changes only
    when an editor changes the answer; stripping it costs more than the FAQ page."""
    return strip_tags(html).strip()

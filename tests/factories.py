"""Small factories for content rows: only what a test names needs saying."""

from datetime import date

from advice.models import FAQ, Article, Cause, CauseSymptom, Page, Remedy, Symptom, Topic

NHS_HAMSTRING_INJURY = {
    "title": "Hamstring injury",
    "publisher": "NHS",
    "url": "https://www.nhs.uk/conditions/hamstring-injury/",
}

REVIEWED = date(2026, 11, 1)
DUE = date(2027, 5, 1)
EDITORIAL_TEAM = "Editorial team"


def _common(slug, kwargs):
    title = kwargs.pop("title", slug.replace("-", " ").capitalize())
    return {
        "slug": slug,
        "title": title,
        "summary": kwargs.pop("summary", f"About {title.lower()}."),
        "body": kwargs.pop("body", f"## About\n\nText about {title.lower()}."),
        "last_reviewed": kwargs.pop("last_reviewed", REVIEWED),
        "next_review": kwargs.pop("next_review", DUE),
        "owner": kwargs.pop("owner", EDITORIAL_TEAM),
        "clinical_reviewer": kwargs.pop("clinical_reviewer", EDITORIAL_TEAM),
        "sources": kwargs.pop("sources", [NHS_HAMSTRING_INJURY]),
        **kwargs,
    }


def make_topic(slug="strains-and-tears", **kwargs):
    defaults = {"title": slug.replace("-", " ").capitalize(), "summary": "A topic."}
    return Topic.objects.create(slug=slug, **{**defaults, **kwargs})


def make_page(slug="about", **kwargs):
    return Page.objects.create(**_common(slug, kwargs))


def make_symptom(slug, care_level="self-care", group="feel", **kwargs):
    return Symptom.objects.create(
        **_common(slug, {"care_level": care_level, "group": group, **kwargs})
    )


def make_remedy(slug, phases=("recovery",), kind="self-care", **kwargs):
    kwargs.setdefault("cautions", "Stop if it hurts more.")
    return Remedy.objects.create(**_common(slug, {"phases": list(phases), "kind": kind, **kwargs}))


def make_cause(slug, symptoms=None, remedies=(), **kwargs):
    kwargs.setdefault("recovery_time", "A few weeks.")
    kwargs.setdefault("care_urgent", "You cannot walk.")
    cause = Cause.objects.create(**_common(slug, kwargs))
    for symptom, weight in (symptoms or {}).items():
        CauseSymptom.objects.create(cause=cause, symptom=symptom, weight=weight)
    cause.remedies.set(remedies)
    return cause


def make_article(slug, topic=None, causes=(), remedies=(), **kwargs):
    topic = topic or Topic.objects.first() or make_topic()
    article = Article.objects.create(**_common(slug, {"topic": topic, **kwargs}))
    article.causes.set(causes)
    article.remedies.set(remedies)
    return article


def make_faq(slug, topic=None, causes=(), **kwargs):
    topic = topic or Topic.objects.first() or make_topic()
    faq = FAQ.objects.create(**_common(slug, {"topic": topic, **kwargs}))
    faq.causes.set(causes)
    return faq

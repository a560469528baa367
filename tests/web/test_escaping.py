"""Whatever a reader sends or an editor types is shown as text on every public page:
the Jinja2 templates escape by default, and only stored, sanitised markup is marked safe."""

import pytest
from django.urls import reverse

from tests.factories import make_article, make_cause, make_faq, make_remedy, make_topic

pytestmark = pytest.mark.usefixtures("no_page_cache")

SCRIPT = "<script>alert(1)</script>"
ESCAPED = "&lt;script&gt;alert(1)&lt;/script&gt;"


@pytest.mark.parametrize(
    "url",
    [
        reverse("advice:checker"),
        reverse("advice:checker_all"),
        reverse("advice:checker_step", args=["signs"]),
        reverse("advice:checker_step", args=["pain"]),
        reverse("advice:checker_step", args=["details"]),
        reverse("advice:checker_check"),
        reverse("advice:checker_summary"),
        reverse("advice:running_planner"),
    ],
)
def test_hostile_answers_never_reach_a_checker_page_as_markup(client, real_content, url):
    query = {name: SCRIPT for name in ("symptom", "duration", "severity", "age", "signs")}
    response = client.get(url, {**query, "next": "1", "change": "1", "walking": SCRIPT})
    assert response.status_code in (200, 302)
    assert SCRIPT not in response.content.decode()


@pytest.mark.django_db
def test_markup_in_an_editors_text_is_shown_as_text_on_every_page_that_shows_it(client):
    topic = make_topic("hostile-topic", title=f"Topic {SCRIPT}")
    remedy = make_remedy("heat", title=f"Heat {SCRIPT}", summary=f"Warmth {SCRIPT}")
    cause = make_cause(
        "cramp", title=f"Cramp {SCRIPT}", summary=f"Tight {SCRIPT}", remedies=[remedy]
    )
    make_article("strains", topic=topic, title=f"Strains {SCRIPT}", causes=[cause])
    make_faq("ice", topic=topic, title=f"Ice {SCRIPT}?")
    pages = ["/library/", "/causes/", "/remedies/", "/faq/", "/library/strains/"]
    pages += [cause.get_absolute_url(), remedy.get_absolute_url()]
    pages += ["/search/?q=cramp", "/search/?q=heat"]
    for url in pages:
        page = client.get(url).content.decode()
        assert SCRIPT not in page, url
        assert ESCAPED in page, url

"""The return-to-running planner: stages from content, answers in the URL, the article agrees."""

import re

import pytest
from django.urls import reverse

from advice.care import WORDING, CareLevel
from advice.models import Article, RunningStage
from advice.web.views import RUNNING_ARTICLE

PLANNER = reverse("advice:running_planner")


def text(response):
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.content.decode()))


def ticks(*stages, leave_out=()):
    """The query string of a reader who passes every check of ``stages`` (by slug)."""
    pairs = [
        f"{stage.slug}={check['id']}"
        for stage in RunningStage.objects.filter(slug__in=stages)
        for check in stage.checks
        if check["id"] not in leave_out
    ]
    return "?plan=1&" + "&".join(pairs)


def stages():
    return list(RunningStage.objects.published())


def test_blank_planner_asks_every_check_and_may_be_cached(client, real_content):
    response = client.get(PLANNER)
    assert response.status_code == 200
    html = response.content.decode()
    for stage in stages():
        assert f'<legend class="checker-fieldset__legend">{stage.title}</legend>' in html
        for check in stage.checks:
            assert f'name="{stage.slug}" value="{check["id"]}"' in html
    assert "Your stage" not in html
    assert "no-store" not in response.get("Cache-Control", "")


def test_nothing_ticked_is_stage_one_with_its_exercises_rules_and_next_checks(client, real_content):
    response = client.get(PLANNER + "?plan=1")
    page = text(response)
    first, second = stages()[:2]
    assert f"Your stage: {first.title}" in page
    assert "isometric-heel-press" in response.content.decode()
    assert f"Move on to {second.title} when" in page
    for check in first.checks:
        assert check["text"][1:] in page
    assert "The 24-hour pain rule" in page and first.pain_rule in page
    # Answers in the URL are never cached, indexed or sent on as a referrer.
    assert response["Cache-Control"] == "no-store, private"
    assert response["X-Robots-Tag"] == "noindex"
    assert response["Referrer-Policy"] == "no-referrer"


def test_the_stage_is_the_first_not_passed_whatever_is_ticked_later(client, real_content):
    slugs = [stage.slug for stage in stages()]
    query = ticks(slugs[0], slugs[2], slugs[3])  # stage 2 not passed
    page = text(client.get(PLANNER + query))
    assert f"Your stage: {stages()[1].title}" in page


def test_exercises_link_to_their_pages_with_sets_reps_and_progress(client, real_content):
    strength = RunningStage.objects.get(slug="strength")
    html = client.get(PLANNER + ticks("walking", "range-and-early-strength")).content.decode()
    assert f"Your stage: {strength.title}" in html
    for exercise in strength.exercises:
        url = reverse("advice:remedy_detail", args=[exercise["remedy"]])
        row = re.search(rf'<tr>\s*<th scope="row"><a href="{url}">.*?</tr>', html, re.S).group(0)
        assert f"<td>{exercise['sets']}</td>" in row
        assert exercise["reps"] in row
        assert exercise["progress"].replace("'", "&#x27;") in row
    for slug in ("bridges", "nordic-hamstring-curls"):
        assert reverse("advice:remedy_detail", args=[slug]) in html


def test_passing_every_check_says_ready_to_race(client, real_content):
    page = text(client.get(PLANNER + ticks(*[stage.slug for stage in stages()])))
    assert "You have passed every stage" in page


def test_when_to_stop_and_get_help_uses_the_site_wording(client, real_content):
    page = text(client.get(PLANNER + "?plan=1"))
    assert "When to stop and get help" in page
    assert WORDING[CareLevel.URGENT].card_heading in page
    assert WORDING[CareLevel.EMERGENCY].card_heading.replace("&", "&amp;") in page


@pytest.mark.parametrize(
    "query",
    [
        "?walking=%00",
        "?walking=" + "x" * 5000,
        "?strength=hopping&strength=hopping",
        "?plan=x&%ff=1",
    ],
)
def test_hostile_answers_get_a_normal_page(client, real_content, query):
    response = client.get(PLANNER + query)
    assert response.status_code == 200


def test_more_fields_than_django_parses_is_a_normal_page(client, real_content, settings):
    query = "&".join(["walking=normal-walking"] * (settings.DATA_UPLOAD_MAX_NUMBER_FIELDS + 5))
    assert client.get(PLANNER + "?" + query).status_code == 200


@pytest.mark.django_db
def test_queries_do_not_grow_with_the_answers(client, real_content, django_assert_max_num_queries):
    query = ticks(*[stage.slug for stage in stages()][:3])
    with django_assert_max_num_queries(6):
        assert client.get(PLANNER + query).status_code == 200


# --- The planner and the back-to-running article say the same thing ------------------------


def article_sections():
    """The article's stage sections: {heading: markdown of the section}."""
    body = Article.objects.get(slug=RUNNING_ARTICLE).body
    parts = re.split(r"^## (.+)$", body, flags=re.M)
    return dict(zip(parts[1::2], parts[2::2], strict=True))


def bullets_after(label, section):
    block = section.split(label, 1)[1].strip()
    return [line[2:].strip() for line in block.splitlines() if line.startswith("- ")]


def test_every_stage_agrees_with_the_article(real_content):
    sections = article_sections()
    article = Article.objects.get(slug=RUNNING_ARTICLE).body
    assert len([h for h in sections if h.startswith("Stage ")]) == len(stages())
    for stage in stages():
        section = sections[stage.title]  # the same title, case and all
        aim = section.split("**Aim:**", 1)[1].strip().split("\n", 1)[0]
        assert aim[0].upper() + aim[1:] == stage.aim
        label = "**Move on when:**" if "**Move on when:**" in section else "**Ready to race"
        assert bullets_after(label, section) == [check["text"] for check in stage.checks]
        rule = stage.pain_rule[0].lower() + stage.pain_rule[1:]
        assert rule in article, f"{stage.slug}: the article does not state its pain rule"
        for exercise in stage.exercises:
            url = reverse("advice:remedy_detail", args=[exercise["remedy"]])
            assert f"]({url})" in article, f"{stage.slug}: the article never links {url}"


def test_the_planners_stop_rules_are_the_articles(client, real_content):
    page = text(client.get(PLANNER + "?plan=1"))
    article = " ".join(Article.objects.get(slug=RUNNING_ARTICLE).body.split())
    for rule in (
        "stop the session",
        "rest from running for a day or two",
        "go back to the previous stage",
        "do not try to run it off",
        "see a physiotherapist before you start the stages again",
        "stuck at a stage for more than two weeks",
    ):
        assert rule in page and rule in article, rule


def test_the_article_links_to_the_planner(client, real_content):
    html = client.get(reverse("advice:article_detail", args=[RUNNING_ARTICLE])).content.decode()
    assert f'href="{PLANNER}"' in html

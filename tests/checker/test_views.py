"""The checker page and API through the test client, on the real library and on factories."""

import re

import pytest
from django.urls import reverse

from advice.checker.engine.result import DISCLAIMER
from advice.models import Symptom, TriageRule
from tests.factories import make_cause, make_remedy, make_symptom

CHECKER = reverse("advice:checker")
ONE_PAGE = reverse("advice:checker_all")
API = reverse("advice:checker_api")
# The content version, then (once per version) symptoms, remedies,
# cause-symptom links, cause-remedy links, causes and triage rules.
QUERIES_FIRST = 7
QUERIES_REPEAT = 1

URGENT_TEAR = "?symptom=pop-at-injury&symptom=large-bruise&symptom=cannot-bear-weight"
DOMS = "?symptom=soreness-24-72h&symptom=unaccustomed-exercise&duration=under-3-days"


def text(response):
    """The response's visible text, tags removed and whitespace squeezed."""
    html = response.content.decode()
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


# --- The page -----------------------------------------------------------------


def test_start_page_leads_to_the_first_question_and_the_one_page_form(client, real_content):
    response = client.get(CHECKER)
    assert response.status_code == 200
    html = response.content.decode()
    assert f'href="{reverse("advice:checker_step", args=["signs"])}"' in html
    assert f'href="{ONE_PAGE}"' in html
    assert "Start now" in html
    assert "call 999" in html.lower()
    assert response["Cache-Control"] == "no-store, private"


def test_empty_form_shows_grouped_questions_and_no_errors(client, real_content):
    response = client.get(ONE_PAGE)
    assert response.status_code == 200
    html = response.content.decode()
    assert "There is a problem" not in html
    assert "Your result" not in html
    # Warning signs come first, emergencies first within them.
    legends = re.findall(r'<legend class="checker-fieldset__legend">([^<]+)</legend>', html)
    assert legends[:6] == [
        "Warning signs",
        "How it started",
        "What it feels like",
        "What you can&#39;t do",
        "What you can see or feel",
        "Other symptoms",
    ]
    warning = html[html.index("Warning signs") : html.index("How it started")]
    assert warning.index("breathless-or-chest-pain") < warning.index("pop-at-injury")
    assert warning.index("pop-at-injury") < warning.index("numbness-or-tingling")
    # Each hint is tied to its checkbox.
    assert 'aria-describedby="symptom-pop-at-injury-hint"' in html
    assert 'id="symptom-pop-at-injury-hint"' in html
    assert "do not store or log your answers" in html
    assert response["Referrer-Policy"] == "no-referrer"
    assert response["Cache-Control"] == "no-store, private"


def test_one_page_form_is_a_plain_get_form_to_the_result(client, real_content):
    html = client.get(ONE_PAGE).content.decode()
    form = re.search(r"<form id=\"checker-form\"[^>]*>", html).group(0)
    assert 'method="get"' in form
    assert f'action="{CHECKER}"' in form
    assert "hx-" not in form
    assert " style=" not in html
    assert "hx-on" not in html
    assert "checker.js" in html


def test_urgent_tear_picture(client, real_content):
    response = client.get(CHECKER + URGENT_TEAR)
    assert response.status_code == 200
    page = text(response)
    # The care card comes first in the result, before the disclaimer and causes.
    result = page[page.index("Your result") :]
    assert result.index("Get seen today") < result.index("not a diagnosis")
    assert result.index("not a diagnosis") < result.index("What might be causing it")
    assert "111" in result
    assert "Hamstring tear (grade 3) and avulsion" in result
    html = response.content.decode()
    assert '<meta name="robots" content="noindex">' in html
    assert response["Referrer-Policy"] == "no-referrer"
    assert response["X-Robots-Tag"] == "noindex"


def test_the_blank_form_may_be_indexed_but_is_never_stored(client, real_content):
    response = client.get(CHECKER)
    assert "X-Robots-Tag" not in response
    assert '<meta name="robots" content="noindex">' not in response.content.decode()
    assert "no-store" in response["Cache-Control"]


def test_results_say_which_answers_set_the_level(client, real_content):
    page = text(client.get(CHECKER + "?symptom=dull-ache&duration=over-6-weeks&severity=7"))
    assert "See a GP or physiotherapist in the next few days" in page
    # The triage rules (content/triage-rules/) give the reasons, in the reader's terms.
    rules = {rule.slug: rule for rule in TriageRule.objects.all()}
    assert rules["pain-not-settling"].reason in page
    assert rules["severe-pain"].reason not in page  # 7 is not severe


@pytest.mark.parametrize(
    "symptoms",
    [("sudden-onset", "sharp-pain-on-movement"), ("dull-ache", "gradual-onset")],
    ids=["after-an-injury", "without-an-injury"],
)
def test_severe_pain_means_get_seen_today_as_our_lists_say(client, real_content, symptoms):
    query = "?" + "&".join(f"symptom={slug}" for slug in symptoms) + "&severity=9"
    body = client.get(API + query).json()
    assert body["care_level"]["code"] == "urgent"
    assert TriageRule.objects.get(slug="severe-pain").reason in body["care_level"]["because"]


def test_severe_pain_with_a_cramp_is_checked_soon_and_says_when_it_is_urgent(client, real_content):
    body = client.get(API + "?symptom=cramp-or-spasm&severity=9").json()
    assert body["care_level"]["code"] == "soon"
    rule = TriageRule.objects.get(slug="severe-pain-with-a-cramp")
    assert body["care_level"]["because"] == [rule.reason]
    assert "get seen today" in rule.reason


def test_self_care_result_says_when_to_get_help(client, real_content):
    page = text(client.get(CHECKER + DOMS))
    assert "You can probably look after this yourself" in page
    assert "None of your answers is a warning sign" in page
    assert "Get help now if you notice any of these" in page
    # Soreness is not an injury: no first-aid phase and no "avoid heat and massage".
    assert "In the first 72 hours, avoid" not in page


def test_emergency_result_says_call_999_and_lists_no_remedies(client, real_content):
    response = client.get(CHECKER + "?symptom=breathless-or-chest-pain&symptom=swelling")
    page = text(response)
    result = page[page.index("Your result") :]
    assert result.index("Call 999 or go to A&amp;E now") < result.index("not a diagnosis")
    assert '<a class="care-actions__link" href="tel:999">Call 999</a>' in response.text
    assert "Get help now. Do not try to treat this yourself first." in result


def test_what_to_do_now_is_one_action_per_remedy_first_aid_first(client, real_content):
    from advice.models import Remedy

    query = "?symptom=sudden-onset&symptom=sharp-pain-on-movement&duration=under-3-days"
    html = client.get(CHECKER + query).content.decode()
    section = html[html.index('id="remedies-heading"') : html.index('id="safety-net-heading"')]
    first_aid = section[: section.index("<h3>Recovery</h3>")]
    price = Remedy.objects.get(slug="price-first-aid")
    tape = Remedy.objects.get(slug="kinesiology-tape-and-compression")
    # The action sentence, then the link to the remedy for more.
    assert re.search(
        rf'{re.escape(price.action)}</span>\s*<a class="checker-todo__link" '
        rf'href="{price.get_absolute_url()}">',
        first_aid.replace("&#x27;", "'"),
    )
    assert first_aid.index(price.get_absolute_url()) < first_aid.index(tape.get_absolute_url())
    # The page and the API list the remedies in the same order.
    slugs = [r["slug"] for r in client.get(API + query).json()["remedies"]]
    links = re.findall(r'class="checker-todo__link" href="/remedies/([^/]+)/"', section)
    assert links == slugs
    assert slugs[0] == "price-first-aid"


def test_unknown_duration_is_treated_as_possibly_new_and_says_so(client, real_content):
    page = text(client.get(CHECKER + "?symptom=sudden-onset&symptom=sharp-pain-on-movement"))
    assert "You did not say how long you have had it" in page


def test_answers_are_kept_in_the_one_page_form(client, real_content):
    html = client.get(ONE_PAGE + DOMS + "&severity=3").content.decode()
    assert re.search(r'value="soreness-24-72h" id="symptom-soreness-24-72h" checked', html)
    assert re.search(r'value="under-3-days" id="duration-under-3-days" checked', html)
    assert '<option value="3" selected>' in html
    assert "Clear all answers" in html
    assert "There is a problem" not in html  # a half-filled form is not an error here


def test_result_page_offers_to_change_the_answers_instead_of_repeating_the_form(
    client, real_content
):
    response = client.get(CHECKER + URGENT_TEAR + "&duration=under-3-days")
    html = response.content.decode()
    assert "<title>Your result: Get seen today" in html
    assert 'id="checker-form"' not in html
    assert 'type="checkbox"' not in html
    check = reverse("advice:checker_check")
    link = re.search(rf'href="{check}\?([^"]+)"', html).group(1).replace("&amp;", "&")
    assert sorted(link.split("&")) == sorted(
        (URGENT_TEAR[1:] + "&duration=under-3-days").split("&")
    )
    page = text(response)
    # Care first, then causes, what to do, the safety net, and changing the answers.
    order = [
        "Get seen today",
        "What might be causing it",
        "What to do until you are seen",
        "Get help now if you notice any of these",
        "Change your answers",
    ]
    positions = [page.index(heading) for heading in order]
    assert positions == sorted(positions)
    assert response["Cache-Control"] == "no-store, private"


def test_post_is_not_allowed(client, real_content):
    assert client.post(CHECKER).status_code == 405
    assert client.post(API).status_code == 405


# --- Errors -----------------------------------------------------------------------


def error_summary(response):
    html = response.content.decode()
    match = re.search(r'<div class="checker-error-summary".*?</div>', html, re.S)
    return match.group(0) if match else ""


def test_submitting_without_a_symptom_shows_the_form_with_a_linked_error(client, real_content):
    response = client.get(CHECKER + "?duration=under-3-days&severity=")
    assert response.status_code == 200
    summary = error_summary(response)
    assert "There is a problem" in summary
    assert 'href="#symptom-saddle-numbness-or-bladder-changes"' in summary
    assert "Choose at least one symptom" in summary
    html = response.content.decode()
    assert 'id="symptom-error"' in html
    assert 'aria-describedby="symptom-error' in html
    assert "<title>Error: symptom checker" in html
    assert "Your result" not in html


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("?symptom=not-a-symptom", "did not recognise one of the symptoms"),
        ("?symptom=dull-ache&duration=forever", "how long you have had it"),
        ("?symptom=dull-ache&duration=under-3-days&duration=over-6-weeks", "only one answer"),
        ("?symptom=dull-ache&severity=11", "from 0 to 10"),
        ("?symptom=dull-ache&severity=-1", "from 0 to 10"),
        ("?symptom=dull-ache&severity=five", "from 0 to 10"),
        ("?symptom=dull-ache&severity=3&severity=4", "only one answer"),
        ("?symptom=dull-ache&x=" + "a" * 101, "too long"),
        ("?" + "&".join(f"k{i}=1" for i in range(60)) + "&symptom=dull-ache", "Too many"),
    ],
)
def test_bad_input_is_a_clear_error_never_a_crash(client, real_content, query, message):
    response = client.get(CHECKER + query)
    assert response.status_code == 200
    assert message in error_summary(response)
    api = client.get(API + query)
    assert api.status_code == 400
    errors = api.json()["errors"]
    assert any(message in m for messages in errors.values() for m in messages)


def test_repeated_symptoms_count_once(client, real_content):
    once = client.get(API + "?symptom=dull-ache&symptom=gradual-onset").json()
    twice = client.get(
        API + "?symptom=dull-ache&symptom=dull-ache&symptom=gradual-onset&symptom="
    ).json()
    assert twice == once


def test_the_error_message_does_not_echo_the_input(client, real_content):
    response = client.get(CHECKER + "?symptom=%3Cscript%3Ealert(1)%3C/script%3E")
    assert "<script>alert" not in response.content.decode()
    assert "alert(1)" not in error_summary(response)


def test_unpublished_symptoms_are_not_offered_or_accepted(client, real_content):
    from advice.models import Symptom

    symptom = Symptom.objects.get(slug="dull-ache")
    symptom.published = False
    symptom.save()
    assert 'value="dull-ache"' not in client.get(ONE_PAGE).content.decode()
    assert client.get(API + "?symptom=dull-ache").status_code == 400


# --- The API ------------------------------------------------------------------------


def test_api_shape_on_the_issue_example(client, real_content):
    response = client.get(API + URGENT_TEAR + "&duration=under-3-days&severity=6")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    body = response.json()
    assert set(body) == {"care_level", "causes", "remedies", "disclaimer"}
    assert set(body["care_level"]) == {"code", "title", "advice", "because"}
    assert body["care_level"]["code"] == "urgent"
    titles = Symptom.objects.filter(
        slug__in=["pop-at-injury", "large-bruise", "cannot-bear-weight"]
    ).values_list("title", flat=True)
    assert set(titles) <= set(body["care_level"]["because"])
    assert body["causes"][0]["slug"] == "hamstring-tear"
    for cause in body["causes"]:
        assert set(cause) == {"slug", "title", "score", "strength", "matched", "url"}
        assert cause["url"] == reverse("advice:cause_detail", args=[cause["slug"]])
        assert 0 < cause["score"] <= 1
    scores = [c["score"] for c in body["causes"]]
    assert scores == sorted(scores, reverse=True)
    for remedy in body["remedies"]:
        assert set(remedy) == {"slug", "title", "phase", "url"}
    slugs = [r["slug"] for r in body["remedies"]]
    assert len(slugs) == len(set(slugs))
    assert body["disclaimer"] == DISCLAIMER


def test_api_and_page_come_from_the_same_result(client, real_content):
    body = client.get(API + DOMS).json()
    page = text(client.get(CHECKER + DOMS))
    for cause in body["causes"]:
        assert cause["title"] in page
    for remedy in body["remedies"]:
        assert remedy["title"] in page


def test_api_without_parameters_is_a_400_with_errors(client, real_content):
    response = client.get(API)
    assert response.status_code == 400
    assert "symptom" in response.json()["errors"]


def test_issue_example_doms(client, real_content):
    body = client.get(API + DOMS).json()
    assert body["care_level"]["code"] == "self-care"
    assert body["care_level"]["because"] == []
    assert body["causes"][0]["slug"] == "delayed-onset-muscle-soreness"
    assert body["causes"][0]["strength"] == "strong match"
    # Soreness is not an injury: no first-aid phase, so heat is not held back.
    phases = [r["phase"] for r in body["remedies"]]
    assert "first-72-hours" not in phases
    assert phases == sorted(phases, key=["recovery", "prevention"].index)


def test_later_durations_lead_with_recovery(client, real_content):
    body = client.get(
        API + "?symptom=sudden-onset&symptom=sharp-pain-on-movement&duration=3-to-14-days"
    ).json()
    assert body["remedies"][0]["phase"] == "recovery"
    assert "price-first-aid" not in [r["slug"] for r in body["remedies"]]


# --- Constant queries -------------------------------------------------------------


def few_items():
    ache = make_symptom("ache")
    make_cause("strain", symptoms={ache: 3}, remedies=[make_remedy("rest")])
    return "?symptom=ache"


def many_items():
    symptoms = [
        make_symptom(f"s{i}", care_level="urgent" if i % 7 == 0 else "self-care") for i in range(40)
    ]
    remedies = [make_remedy(f"r{i}", phases=("first-72-hours", "recovery")) for i in range(25)]
    for i in range(30):
        make_cause(
            f"c{i}",
            symptoms={s: 1 + (i + n) % 3 for n, s in enumerate(symptoms[i % 10 : i % 10 + 12])},
            remedies=remedies[i % 5 : i % 5 + 8],
        )
    return "?" + "&".join(f"symptom=s{i}" for i in range(0, 40, 3)) + "&duration=under-3-days"


@pytest.mark.parametrize("items", [few_items, many_items])
@pytest.mark.parametrize("url", [CHECKER, API])
def test_queries_per_request_are_constant(client, db, django_assert_num_queries, items, url):
    query = items()
    with django_assert_num_queries(QUERIES_FIRST):
        response = client.get(url + query)
    assert response.status_code == 200
    with django_assert_num_queries(QUERIES_REPEAT):
        assert client.get(url).status_code in (200, 400)


# --- Age, and how the checker works ---------------------------------------------------


@pytest.mark.parametrize("age", ["twelve", "under-17", "16-to-24&age=25-to-64"])
def test_a_bad_age_is_a_400_and_a_form_error(client, real_content, age):
    query = f"?symptom=sudden-onset&age={age}"
    response = client.get(API + query)
    assert response.status_code == 400
    assert "age" in response.json()["errors"]
    assert "Error:" in client.get(CHECKER + query).content.decode()


def test_age_is_asked_and_changes_the_level_where_the_rules_say(client, real_content):
    page = client.get(ONE_PAGE).content.decode()
    assert 'name="age" value="under-16"' in page
    teen = "?symptom=sudden-onset&symptom=pain-sitting"
    assert client.get(API + teen + "&age=16-to-24").json()["care_level"]["code"] == "urgent"


def test_how_it_works_page_shows_the_computed_scorecard_and_the_rules(client, real_content):
    from advice.checker.data import load_checker_data
    from advice.checker.vignettes import run

    scorecard = run(load_checker_data())
    page = text(client.get(reverse("advice:checker_method")))
    assert f"Test cases {scorecard.total}" in page
    assert f"First suggested cause acceptable {round(scorecard.top1_rate * 100)}%" in page
    for rule in TriageRule.objects.published():
        assert rule.reason in page
    assert "It cannot examine you" in page

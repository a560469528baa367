"""The stepped checker through the test client: one question topic per page, answers in the URL."""

import re
from urllib.parse import parse_qsl, urlsplit

import pytest
from django.urls import reverse

from advice.checker.data import load_checker_data
from advice.checker.forms import CheckerForm
from advice.checker.steps import StepForm, on_first_step
from advice.models import Symptom

SIGNS = reverse("advice:checker_step", args=["signs"])
PAIN = reverse("advice:checker_step", args=["pain"])
DETAILS = reverse("advice:checker_step", args=["details"])
CHECK = reverse("advice:checker_check")
RESULT = reverse("advice:checker")


def html(response):
    return response.content.decode()


def query(url):
    return sorted(parse_qsl(urlsplit(url).query))


def checkbox_values(page):
    return re.findall(r'type="checkbox" name="symptom" value="([^"]+)"', page)


def hidden(page):
    return sorted(re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)">', page))


def error_summary(page):
    match = re.search(r'<div class="checker-error-summary".*?</div>', page, re.S)
    return match.group(0) if match else ""


def test_first_page_asks_only_the_emergency_and_urgent_signs_with_a_none_option(
    client, real_content
):
    page = html(client.get(SIGNS))
    asked = checkbox_values(page)
    first = {s.slug for s in load_checker_data().symptoms if on_first_step(s)}
    assert set(asked) == first
    assert len(asked) <= 12  # a short screen
    levels = dict(Symptom.objects.filter(slug__in=asked).values_list("slug", "care_level"))
    assert {levels[slug] for slug in asked} == {"emergency", "urgent"}
    # Emergencies first.
    ranks = ["emergency" if levels[slug] == "emergency" else "urgent" for slug in asked]
    assert ranks == sorted(ranks)
    # Signs that describe the pain itself wait for the pain page.
    assert "pop-at-injury" not in asked
    assert 'name="signs" value="none" id="signs-none"' in page
    assert "<h1>Do you have any of these?</h1>" in page
    assert "Step 1 of 3" in page
    assert f'class="back-link" href="{RESULT}"' in page


def test_continue_without_an_answer_shows_a_linked_error_on_the_same_page(client, real_content):
    response = client.get(SIGNS + "?next=1")
    assert response.status_code == 200
    page = html(response)
    summary = error_summary(page)
    assert "No, I do not have any of these" in summary
    first_id = re.search(r'href="#(symptom-[^"]+)"', summary).group(1)
    assert f'id="{first_id}"' in page
    assert "<title>Error: Do you have any of these?" in page
    assert 'aria-describedby="signs-hint signs-error"' in page


def test_none_of_these_and_a_sign_together_is_an_error(client, real_content):
    response = client.get(SIGNS + "?signs=none&symptom=fever-or-hot-red-skin&next=1")
    assert "not both" in error_summary(html(response))


def test_the_flow_carries_every_answer_in_the_url(client, real_content):
    response = client.get(SIGNS + "?signs=none&next=1")
    assert response.status_code == 302
    assert response["Location"] == PAIN + "?signs=none"

    page = html(client.get(response["Location"]))
    assert "pop-at-injury" in checkbox_values(page)
    assert "fever-or-hot-red-skin" not in checkbox_values(page)
    assert hidden(page) == [("signs", "none")]
    assert f'class="back-link" href="{SIGNS}?signs=none"' in page

    response = client.get(PAIN + "?signs=none&symptom=sudden-onset&symptom=pain-sitting&next=1")
    assert urlsplit(response["Location"]).path == DETAILS
    details = response["Location"]
    page = html(client.get(details))
    assert hidden(page) == [
        ("signs", "none"),
        ("symptom", "pain-sitting"),
        ("symptom", "sudden-onset"),
    ]

    response = client.get(details + "&duration=3-to-14-days&severity=4&age=16-to-24&next=1")
    assert urlsplit(response["Location"]).path == CHECK
    assert query(response["Location"]) == [
        ("age", "16-to-24"),
        ("duration", "3-to-14-days"),
        ("severity", "4"),
        ("signs", "none"),
        ("symptom", "pain-sitting"),
        ("symptom", "sudden-onset"),
    ]


def test_unticking_on_a_page_removes_the_answer(client, real_content):
    """A page's own answers are its inputs, never hidden fields, so unticking sticks."""
    page = html(client.get(PAIN + "?signs=none&symptom=sudden-onset&duration=under-3-days"))
    assert re.search(r'value="sudden-onset" id="symptom-sudden-onset" checked', page)
    assert ("symptom", "sudden-onset") not in hidden(page)
    response = client.get(PAIN + "?signs=none&symptom=pain-sitting&duration=under-3-days&next=1")
    assert ("symptom", "sudden-onset") not in query(response["Location"])


def test_an_emergency_sign_goes_straight_to_the_result(client, real_content):
    response = client.get(SIGNS + "?symptom=breathless-or-chest-pain&next=1")
    assert response.status_code == 302
    assert response["Location"] == RESULT + "?symptom=breathless-or-chest-pain"
    page = html(client.get(response["Location"]))
    assert "Call 999 or go to A&amp;E now" in page


def test_an_urgent_sign_offers_the_result_now(client, real_content):
    response = client.get(SIGNS + "?symptom=fever-or-hot-red-skin&next=1")
    assert urlsplit(response["Location"]).path == PAIN
    page = html(client.get(response["Location"]))
    assert "You told us about a sign that needs care today" in page
    assert f'href="{RESULT}?symptom=fever-or-hot-red-skin"' in page
    # With a sign ticked, the pain page may be left empty.
    response = client.get(PAIN + "?symptom=fever-or-hot-red-skin&next=1")
    assert urlsplit(response["Location"]).path == DETAILS


def test_the_pain_page_needs_at_least_one_answer(client, real_content):
    page = html(client.get(PAIN + "?signs=none&next=1"))
    assert "Select at least one thing that describes your pain" in error_summary(page)
    assert 'id="symptom-error"' in page


def test_check_your_answers_lists_every_answer_and_what_was_not_given(client, real_content):
    answers = "?signs=none&symptom=sudden-onset&symptom=pop-at-injury&severity=6"
    response = client.get(CHECK + answers)
    page = html(response)
    text = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", page))
    assert "No, none of these" in text
    pop = Symptom.objects.get(slug="pop-at-injury").title
    assert pop in text
    assert "6 out of 10" in text
    assert text.count("Not given") == 2  # duration and age
    # Each answer can be changed, and the change comes back here.
    changes = re.findall(r'<a href="([^"]+)">Change<span class="visually-hidden">', page)
    assert len(changes) == 5
    assert all(("change", "1") in query(url.replace("&amp;", "&")) for url in changes)
    result = re.search(rf'href="({RESULT}\?[^"]+)"[^>]*>See my result', page).group(1)
    assert query(result.replace("&amp;", "&")) == query(answers)
    assert response["Cache-Control"] == "no-store, private"


def test_a_change_returns_to_check_your_answers(client, real_content):
    page = html(client.get(DETAILS + "?signs=none&symptom=sudden-onset&change=1"))
    assert f'class="back-link" href="{CHECK}?signs=none&amp;symptom=sudden-onset"' in page
    response = client.get(DETAILS + "?signs=none&symptom=sudden-onset&change=1&age=25-to-64&next=1")
    assert urlsplit(response["Location"]).path == CHECK
    assert ("change", "1") not in query(response["Location"])


def test_check_your_answers_without_a_symptom_sends_the_reader_back(client, real_content):
    page = html(client.get(CHECK + "?signs=none"))
    assert "See my result" not in page
    assert f'href="{PAIN}?signs=none&amp;change=1"' in page


def test_bad_values_are_reported_and_never_carried_on(client, real_content):
    response = client.get(PAIN + "?symptom=%3Cscript%3E&symptom=dull-ache&severity=99&next=1")
    assert response.status_code == 200
    page = html(response)
    summary = error_summary(page)
    assert "did not recognise one of the symptoms" in summary
    # The severity is asked on another page: the link goes there.
    assert f'href="{DETAILS}?symptom=dull-ache#severity"' in summary
    assert "<script>" not in page
    assert ("severity", "99") not in hidden(page)


def test_an_unknown_symptom_on_the_details_page_links_to_the_pain_page(client, real_content):
    page = html(client.get(DETAILS + "?symptom=nope&symptom=dull-ache&next=1"))
    summary = error_summary(page)
    assert re.search(rf'href="{PAIN}\?symptom=dull-ache#symptom-[a-z-]+"', summary)


def test_a_strange_none_answer_is_an_error_that_does_not_echo_it(client, real_content):
    page = html(client.get(SIGNS + "?signs=%3Cb%3Eboo&next=1"))
    summary = error_summary(page)
    assert "did not recognise that answer" in summary
    assert "boo" not in summary


@pytest.mark.parametrize("path", [SIGNS, PAIN, DETAILS, CHECK, RESULT + "?symptom=dull-ache"])
def test_every_page_is_private_and_not_indexed(client, real_content, path):
    response = client.get(path)
    assert response["Cache-Control"] == "no-store, private"
    assert response["Referrer-Policy"] == "no-referrer"
    assert '<meta name="robots" content="noindex">' in html(response)


def test_post_is_not_allowed_on_the_question_pages(client, real_content):
    for path in (SIGNS, PAIN, DETAILS, CHECK):
        assert client.post(path).status_code == 405


def test_an_unknown_step_is_a_404(client, real_content):
    assert client.get("/checker/nope/").status_code == 404


def test_the_forms_fields_are_shared_so_no_form_may_change_one(real_content):
    # Every form instance uses the same field objects (forms.SharedField): a
    # change made for one reader's form would reach every other reader's.
    symptoms = load_checker_data().symptoms
    step_form = StepForm(None, symptoms=symptoms, step="pain")
    result_form = CheckerForm(None, symptoms=symptoms)
    assert step_form.fields["duration"] is result_form.fields["duration"]
    assert not step_form.fields["symptom"].required
    assert result_form.fields["symptom"].required
    with pytest.raises(AttributeError):
        result_form.fields["symptom"].required = False

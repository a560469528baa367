"""The one-page appointment summary and the .ics reminder, through the test client."""

import re
from datetime import timedelta

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar

from advice.checker.appointment import QR_LABEL, qr_svg
from advice.models import Symptom

SUMMARY = reverse("advice:checker_summary")
REMINDER = reverse("advice:checker_reminder")
RESULT = reverse("advice:checker")
# In the order the questions are asked, as the pages write them.
ANSWERS = "?signs=none&symptom=sudden-onset&symptom=pop-at-injury&severity=7"


def text(response):
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.content.decode()))


def test_the_result_page_offers_the_summary_and_the_reminder(client, real_content):
    html = client.get(RESULT + ANSWERS).content.decode()
    assert f'href="{SUMMARY}{ANSWERS.replace("&", "&amp;")}"' in html
    assert f'href="{REMINDER}{ANSWERS.replace("&", "&amp;")}" download' in html
    assert "Download .ics reminder to check again in 3 days" in html


def test_summary_has_the_date_answers_given_and_not_given_care_and_causes(client, real_content):
    response = client.get(SUMMARY + ANSWERS)
    assert response.status_code == 200
    assert response["Cache-Control"] == "no-store, private"
    page = text(response)
    today = timezone.localtime()
    assert f"on {today:%-d %B %Y} at " in page
    pop = Symptom.objects.get(slug="pop-at-injury")
    assert pop.title in page
    assert "How bad it is now 7 out of 10" in page
    assert "How long I have had it Not given" in page
    assert "My age Not given" in page
    # The warning signs asked about and not selected are listed; the pop is not among them.
    not_selected = page[page.index("did not select") : page.index("Suggested care")]
    chest = Symptom.objects.get(slug="breathless-or-chest-pain")
    assert chest.title.replace("'", "&#x27;") in not_selected
    assert pop.title not in not_selected
    assert "Suggested care: Get seen today" in page
    assert "Because:" in page
    assert f"{settings.SITE_URL}/causes/hamstring-tear/" in page


def test_summary_addresses_are_absolute_and_the_qr_code_opens_the_result(client, real_content):
    html = client.get(SUMMARY + ANSWERS).content.decode()
    result_url = settings.SITE_URL + RESULT + ANSWERS
    assert result_url.replace("&", "&amp;") in html
    assert str(qr_svg(result_url)) in html
    assert '<svg role="img"' in html and f"<title>{QR_LABEL}</title>" in html
    article = html.split('<article class="checker appointment">')[1].split("</article>")[0]
    assert re.findall(r'href="(/[^"]*)"', article) == []


def test_summary_with_bad_answers_shows_the_form_with_errors(client, real_content):
    response = client.get(SUMMARY + "?symptom=nope")
    assert response.status_code == 200
    assert "There is a problem" in response.content.decode()


def test_reminder_is_an_ics_three_days_ahead_carrying_the_result_url(client, real_content):
    response = client.get(REMINDER + ANSWERS)
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    assert response["Content-Disposition"] == (
        'attachment; filename="check-your-hamstring-again.ics"'
    )
    assert response["Cache-Control"] == "no-store, private"
    assert b"\r\n" in response.content
    event = Calendar.from_ical(response.content).walk("VEVENT")[0]
    result_url = settings.SITE_URL + RESULT + ANSWERS
    assert str(event["URL"]) == result_url
    assert result_url in str(event["DESCRIPTION"])
    assert "Get seen today" in str(event["DESCRIPTION"])
    assert event.decoded("DTSTART") == timezone.localdate() + timedelta(days=3)
    assert event.walk("VALARM")[0].decoded("TRIGGER") == timedelta(hours=9)
    # A new UID each time: nothing is kept to make it repeatable.
    again = Calendar.from_ical(client.get(REMINDER + ANSWERS).content).walk("VEVENT")[0]
    assert again["UID"] != event["UID"]


@pytest.mark.parametrize("query", ["", "?symptom=nope", "?severity=99&symptom=dull-ache"])
def test_reminder_for_bad_answers_is_a_400(client, real_content, query):
    response = client.get(REMINDER + query)
    assert response.status_code == 400
    assert response["Cache-Control"] == "no-store, private"

"""The review dashboard, its CSV and manage.py review_due: what is due, by owner."""

import csv
import io
from datetime import timedelta

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import timezone

from advice.models import Page
from tests.factories import make_article, make_faq, make_page, make_symptom


def days(n):
    return timezone.localdate() + timedelta(days=n)


def reviewed(due_in, **kwargs):
    """Review dates for an item due in ``due_in`` days (negative: overdue)."""
    return {"last_reviewed": days(due_in - 180), "next_review": days(due_in), **kwargs}


@pytest.fixture
def schedule(db):
    make_page("about", title="About us", **reviewed(-3, owner="Web team"))
    make_symptom("pop", title="A pop", **reviewed(0, owner="Clinical lead"))  # due today
    make_faq("how-long", title="How long?", **reviewed(12, owner="Web team"))
    make_article("first-aid", title="First aid", **reviewed(30, owner="Web team"))
    make_article("later", title="Later", **reviewed(31, owner="Web team"))  # not yet


DASHBOARD = reverse("review_dashboard")


def test_dashboard_lists_overdue_and_due_soon_by_owner(schedule, client, editor):
    client.force_login(editor)
    page = client.get(DASHBOARD).text
    assert "<strong>2</strong> overdue and <strong>2</strong> due within 30 days" in page
    # One table per owner, in name order; overdue first, then by due date.
    assert page.index("<caption>Clinical lead</caption>") < page.index(
        "<caption>Web team</caption>"
    )
    web = page[page.index("<caption>Web team</caption>") :]
    assert web.index("About us") < web.index("How long?") < web.index("First aid")
    assert "Later" not in page
    about = Page.objects.get(slug="about")
    assert f'<a href="{reverse("admin:advice_page_change", args=[about.pk])}">About us</a>' in page


def test_dashboard_is_for_staff_only(schedule, client):
    response = client.get(DASHBOARD)
    assert response.status_code == 302 and reverse("admin:login") in response["Location"]


def test_dashboard_needs_the_permission_to_see_drafts(schedule, client, django_user_model):
    clerk = django_user_model.objects.create_user("cleo", password="a-long-test-password-8")
    clerk.is_staff = True
    clerk.save()
    client.force_login(clerk)
    assert client.get(DASHBOARD).status_code == 403
    assert client.get(DASHBOARD, {"format": "csv"}).status_code == 403


def test_admin_index_links_to_the_dashboard(client, editor):
    client.force_login(editor)
    assert f'href="{DASHBOARD}"' in client.get(reverse("admin:index")).text


def test_csv_download_has_one_row_per_item_due(schedule, client, editor):
    client.force_login(editor)
    response = client.get(DASHBOARD, {"format": "csv"})
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    assert [(row["Owner"], row["Slug"], row["Status"]) for row in rows] == [
        ("Clinical lead", "pop", "Overdue"),
        ("Web team", "about", "Overdue"),
        ("Web team", "how-long", "Due within 30 days"),
        ("Web team", "first-aid", "Due within 30 days"),
    ]
    assert rows[0]["Clinical reviewer"] == "Editorial team" and rows[0]["Kind"] == "Symptom"


def test_csv_keeps_a_formula_like_title_as_text(db, client, editor):
    make_page("sum", title="=SUM(A1:A9)", **reviewed(-1))
    client.force_login(editor)
    text = client.get(DASHBOARD, {"format": "csv"}).content.decode()
    assert "'=SUM(A1:A9)" in text


def test_command_lists_the_same_and_fails_when_anything_is_overdue(schedule, capsys):
    with pytest.raises(CommandError, match="2 item\\(s\\) overdue"):
        call_command("review_due")
    out = capsys.readouterr().out
    assert out.index("Clinical lead") < out.index("Web team")
    assert "Overdue: " in out and "pages/about (About us)" in out
    assert "faqs/how-long" in out and "later" not in out
    assert "2 overdue, 2 due within 30 days, 0 awaiting clinical sign-off." in out


def test_command_csv_matches_the_download(schedule, client, editor, capsys):
    with pytest.raises(CommandError):
        call_command("review_due", "--csv")
    client.force_login(editor)
    download = client.get(DASHBOARD, {"format": "csv"}).content.decode()
    assert capsys.readouterr().out == download


def test_command_succeeds_when_nothing_is_overdue(db, capsys):
    make_faq("how-long", **reviewed(5))
    call_command("review_due")
    assert "0 overdue, 1 due within 30 days, 0 awaiting clinical sign-off." in (
        capsys.readouterr().out
    )


def test_nothing_due_says_so(db, client, editor):
    make_faq("how-long", **reviewed(200))
    client.force_login(editor)
    assert "Nothing is overdue, due in the next 30 days or awaiting sign-off." in (
        client.get(DASHBOARD).text
    )

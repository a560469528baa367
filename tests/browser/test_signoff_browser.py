"""Clinical sign-off in a real browser: an editor's body change waits as a draft while
readers keep the approved page; a second person approves it from the dashboard
(the review page passes axe, with no CSP errors)."""

from django.urls import reverse
from playwright.sync_api import expect

from advice.models import Cause

PASSWORD = "a-long-test-password-1"
NEW_TEXT = "A sentence the clinical reviewer has not seen yet."


def sign_in(page, username, url):
    page.goto(url)
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("input[type=submit]")
    page.wait_for_url(f"**{url}")


def test_a_body_change_waits_for_a_second_person_to_approve_it(
    page, browser, live_server, django_user_model, assert_no_axe_violations
):
    # Two people with every permission: still, nobody approves their own change.
    for username in ("ed", "rhea"):
        django_user_model.objects.create_superuser(username, f"{username}@example.com", PASSWORD)
    cause = Cause.objects.get(slug="hamstring-strain")
    public = cause.get_absolute_url()
    sign_in(page, "ed", reverse("admin:advice_cause_change", args=[cause.pk]))
    page.fill("#id_body", f"{cause.body}\n\n{NEW_TEXT}")
    # Let the live preview finish before saving (SQLite serves one writer at a time).
    frame = page.frame_locator("iframe[name=live-preview]")
    expect(frame.locator("main")).to_contain_text(NEW_TEXT)
    page.click("input[name=_continue]")
    expect(page.locator(".messagelist")).to_contain_text(
        "Saved as a draft awaiting clinical review"
    )

    reader = browser.new_context(base_url=live_server.url).new_page()
    reader.goto(public)
    expect(reader.locator("main")).not_to_contain_text(NEW_TEXT)

    page.context.clear_cookies()
    sign_in(page, "rhea", reverse("review_dashboard"))
    page.get_by_role("link", name=cause.title).click()
    expect(page.locator(".diff-body")).to_contain_text(f"+{NEW_TEXT}")
    assert_no_axe_violations(page)
    page.get_by_role("button", name="Approve: publish this version").click()
    expect(page.locator(".messagelist")).to_contain_text("Approved: readers now see")

    reader.goto(public)
    expect(reader.locator("main")).to_contain_text(NEW_TEXT)
    reader.context.close()

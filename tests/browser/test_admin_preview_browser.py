"""The admin's live preview in a real browser: typing refreshes the framed public page
(no CSP errors), and the button works with JavaScript off."""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from advice.models import Cause

PASSWORD = "a-long-test-password-1"


@pytest.fixture
def strain_change_url(site_content, django_user_model):
    django_user_model.objects.create_superuser("ed", "ed@example.com", PASSWORD)
    cause = Cause.objects.get(slug="hamstring-strain")
    return reverse("admin:advice_cause_change", args=[cause.pk])


def sign_in_and_open(page, url):
    page.goto(url)
    page.fill("#id_username", "ed")
    page.fill("#id_password", PASSWORD)
    page.click("input[type=submit]")
    page.wait_for_url(f"**{url}")


def test_typing_in_the_body_refreshes_the_preview(page, strain_change_url):
    sign_in_and_open(page, strain_change_url)
    page.fill("#id_body", "## Typed just now\n\nStill unsaved.")
    frame = page.frame_locator("iframe[name=live-preview]")
    expect(frame.locator("h2#typed-just-now")).to_have_text("Typed just now")
    expect(frame.locator(".draft-banner")).to_contain_text("Preview of your unsaved changes")
    assert "Typed just now" not in Cause.objects.get(slug="hamstring-strain").body


def test_preview_button_works_without_javascript(browser, live_server, strain_change_url):
    context = browser.new_context(base_url=live_server.url, java_script_enabled=False)
    page = context.new_page()
    sign_in_and_open(page, strain_change_url)
    page.fill("#id_summary", "Summary typed without JavaScript.")
    page.click(".preview-button")
    frame = page.frame_locator("iframe[name=live-preview]")
    expect(frame.locator(".summary-line")).to_have_text("Summary typed without JavaScript.")
    context.close()

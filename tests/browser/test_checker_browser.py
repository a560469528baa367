"""The symptom checker in a real browser: htmx swaps, focus, no-JS, accessibility."""

import re

import pytest
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

URGENT = "/checker/?symptom=pop-at-injury&symptom=large-bruise&symptom=cannot-bear-weight"


def tick_strain_with_a_pop(page):
    page.check("#symptom-pop-at-injury")
    page.check("#symptom-sudden-onset")
    page.check("#symptom-sharp-pain-on-movement")
    page.check("#duration-under-3-days")
    page.select_option("#severity", "6")


def focused_id(page):
    return page.evaluate("document.activeElement && document.activeElement.id")


def test_htmx_swaps_the_result_in_moves_focus_and_updates_the_url(page):
    page.goto("/checker/")
    page.evaluate("window.sameDocument = true")
    tick_strain_with_a_pop(page)
    page.get_by_role("button", name="Check my symptoms").click()

    heading = page.locator("#result-heading")
    heading.wait_for()
    assert page.evaluate("window.sameDocument") is True  # swapped, not navigated
    assert focused_id(page) == "result-heading"
    page.wait_for_url(re.compile(r"/checker/\?.*symptom=pop-at-injury.*duration=under-3-days"))
    assert page.title().startswith("Your result: Get seen today")
    result = page.locator(".checker-result")
    assert "Get seen today" in result.inner_text()
    assert "Hamstring" in page.locator(".checker-causes").inner_text()
    # The enhancements work inside swapped content.
    assert page.locator("[data-checker-print]").is_visible()
    # The answers are still ticked in the re-rendered form.
    assert page.is_checked("#symptom-pop-at-injury")
    # A second answer swaps again; htmx would normally snapshot the first
    # result into its history cache in sessionStorage before pushing the new
    # URL, but hx-history="false" keeps the answers out of the browser's storage.
    page.check("#symptom-dull-ache")
    page.get_by_role("button", name="Check my symptoms").click()
    page.wait_for_url(re.compile(r"symptom=dull-ache"))
    stored = page.evaluate("JSON.stringify([sessionStorage, localStorage])")
    assert "Your result" not in stored


def test_back_button_after_a_swap_restores_the_empty_form(page):
    page.goto("/checker/")
    page.check("#symptom-dull-ache")
    page.get_by_role("button", name="Check my symptoms").click()
    page.locator("#result-heading").wait_for()
    page.go_back()
    page.wait_for_url(re.compile(r"/checker/$"))
    # htmx fetches the page again (answers are never kept in its history cache).
    expect(page.locator("#result-heading")).to_have_count(0)
    expect(page.locator("#checker-form")).to_be_visible()
    assert not page.is_checked("#symptom-dull-ache")


def test_htmx_error_focuses_the_summary_whose_link_reaches_the_field(page):
    page.goto("/checker/")
    page.check("#duration-under-3-days")
    page.get_by_role("button", name="Check my symptoms").click()
    summary = page.locator(".checker-error-summary")
    summary.wait_for()
    assert "Choose at least one symptom" in summary.inner_text()
    assert page.evaluate("document.activeElement.classList.contains('checker-error-summary')")
    summary.get_by_role("link").first.click()
    assert focused_id(page) == "symptom-saddle-numbness-or-bladder-changes"


def test_the_checker_works_without_javascript(page_without_js):
    page = page_without_js
    page.goto("/checker/")
    tick_strain_with_a_pop(page)
    with page.expect_navigation():
        page.get_by_role("button", name="Check my symptoms").click()
    assert "symptom=pop-at-injury" in page.url
    assert "Get seen today" in page.locator(".checker-result").inner_text()
    assert page.locator("pre.checker-summary__text").inner_text().startswith("Hamstring pain")
    assert not page.locator("[data-checker-print]").is_visible()  # needs JavaScript


def test_no_javascript_error_state(page_without_js):
    page = page_without_js
    page.goto("/checker/?duration=over-6-weeks")
    assert "There is a problem" in page.locator(".checker-error-summary").inner_text()
    assert page.title().startswith("Error:")


def test_empty_form_has_no_axe_violations(page, assert_no_axe_violations):
    page.goto("/checker/")
    assert_no_axe_violations(page)


def test_error_state_has_no_axe_violations(page, assert_no_axe_violations):
    page.goto("/checker/?severity=4")
    page.locator(".checker-error-summary").wait_for()
    assert_no_axe_violations(page)


def test_urgent_result_has_no_axe_violations(page, assert_no_axe_violations):
    page.goto(URGENT + "&duration=under-3-days&severity=8")
    assert page.locator(".care-card--urgent").first.is_visible()
    assert_no_axe_violations(page)


def test_emergency_result_after_htmx_swap_has_no_axe_violations(page, assert_no_axe_violations):
    page.goto("/checker/")
    page.check("#symptom-breathless-or-chest-pain")
    page.check("#symptom-swelling")
    page.get_by_role("button", name="Check my symptoms").click()
    page.locator(".care-card--emergency").first.wait_for()
    assert_no_axe_violations(page)


@pytest.mark.parametrize("path", ["/checker/", URGENT + "&duration=under-3-days&severity=8"])
def test_no_horizontal_scroll_at_320px(page, path):
    page.set_viewport_size({"width": 320, "height": 800})
    page.goto(path)
    assert page.evaluate("document.documentElement.scrollWidth") <= 320

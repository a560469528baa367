"""The symptom checker in a real browser: the step flow with and without JavaScript,
Back and Forward keeping answers, keyboard-only use, touch targets and accessibility."""

import re
from pathlib import Path

import pytest
from django.conf import settings
from playwright.sync_api import expect

URGENT = "/checker/?symptom=pop-at-injury&symptom=large-bruise&symptom=cannot-bear-weight"
SELF_CARE = "/checker/?signs=none&symptom=soreness-24-72h&symptom=unaccustomed-exercise"
EMERGENCY = "/checker/?symptom=breathless-or-chest-pain&symptom=swelling"
PAIN = "/checker/pain/?signs=none&symptom=sudden-onset"
# Every page type of the checker, with answers where the page needs them.
PAGES = {
    "start": "/checker/",
    "signs": "/checker/signs/",
    "signs-error": "/checker/signs/?next=1",
    "pain": PAIN,
    "details": "/checker/details/?signs=none&symptom=sudden-onset&severity=5",
    "check": "/checker/check/?signs=none&symptom=sudden-onset&duration=under-3-days",
    "result-self-care": SELF_CARE + "&duration=under-3-days&age=25-to-64",
    "result-urgent": URGENT + "&duration=under-3-days&severity=8",
    "result-emergency": EMERGENCY,
    "one-page": "/checker/all/",
    "one-page-error": "/checker/?severity=4",
}


def focused(page, expression="document.activeElement.id"):
    return page.evaluate(expression)


def answer_the_steps(page):
    """The sprinter who felt a pop, through every page, by pointer."""
    page.goto("/checker/")
    page.get_by_role("button", name="Start now").click()
    page.wait_for_url(re.compile(r"/checker/signs/$"))
    page.check("#signs-none")
    page.get_by_role("button", name="Continue").click()
    page.wait_for_url(re.compile(r"/checker/pain/\?signs=none$"))
    page.check("#symptom-sudden-onset")
    page.check("#symptom-pop-at-injury")
    page.get_by_role("button", name="Continue").click()
    page.wait_for_url(re.compile(r"/checker/details/\?"))
    page.check("#duration-under-3-days")
    page.select_option("#severity", "6")
    page.check("#age-16-to-24")
    page.get_by_role("button", name="Continue").click()
    page.wait_for_url(re.compile(r"/checker/check/\?"))


def assert_result_of_the_sprinter(page):
    assert page.title().startswith("Your result: Get seen today")
    assert "Get seen today" in page.locator(".checker-care").inner_text()
    assert "Hamstring" in page.locator(".checker-causes").inner_text()


@pytest.mark.parametrize("javascript", [True, False])
def test_the_step_flow_reaches_the_result(page, page_without_js, javascript):
    page = page if javascript else page_without_js
    answer_the_steps(page)
    rows = page.locator(".summary-list").inner_text()
    assert "No, none of these" in rows and "6 out of 10" in rows and "16 to 24" in rows
    page.get_by_role("button", name="See my result").click()
    page.wait_for_url(re.compile(r"/checker/\?.*symptom=pop-at-injury"))
    assert_result_of_the_sprinter(page)
    # "Change your answers" goes back to the answers, not to a whole form.
    expect(page.locator("#checker-form")).to_have_count(0)
    page.get_by_role("link", name="Check or change your answers").click()
    page.wait_for_url(re.compile(r"/checker/check/\?"))
    page.get_by_role("link", name="Change how long you have had it").click()
    assert page.is_checked("#duration-under-3-days")
    page.check("#duration-3-to-14-days")
    page.get_by_role("button", name="Continue").click()
    page.wait_for_url(re.compile(r"/checker/check/\?.*duration=3-to-14-days"))
    assert "3 to 14 days" in page.locator(".summary-list").inner_text()


@pytest.mark.parametrize("javascript", [True, False])
def test_back_and_forward_keep_every_answer(page, page_without_js, javascript):
    page = page if javascript else page_without_js
    answer_the_steps(page)
    page.get_by_role("button", name="See my result").click()
    page.wait_for_url(re.compile(r"/checker/\?"))

    page.go_back()
    page.wait_for_url(re.compile(r"/checker/check/\?"))
    assert "6 out of 10" in page.locator(".summary-list").inner_text()
    page.go_back()
    page.wait_for_url(re.compile(r"/checker/details/\?"))
    assert page.is_checked("#duration-under-3-days")
    assert page.locator("#severity").input_value() == "6"
    assert page.is_checked("#age-16-to-24")
    page.go_back()
    page.wait_for_url(re.compile(r"/checker/pain/\?"))
    assert page.is_checked("#symptom-pop-at-injury")
    assert page.is_checked("#symptom-sudden-onset")
    page.go_back()
    page.wait_for_url(re.compile(r"/checker/signs/"))
    assert page.is_checked("#signs-none")

    page.go_forward()
    page.wait_for_url(re.compile(r"/checker/pain/\?"))
    assert page.is_checked("#symptom-pop-at-injury")
    page.go_forward()
    page.go_forward()
    page.go_forward()
    page.wait_for_url(re.compile(r"/checker/\?"))
    assert_result_of_the_sprinter(page)


def test_back_from_the_one_page_result_keeps_the_answers(page):
    page.goto("/checker/all/")
    page.check("#symptom-dull-ache")
    page.check("#duration-over-6-weeks")
    page.get_by_role("button", name="Check my symptoms").click()
    page.wait_for_url(re.compile(r"/checker/\?symptom=dull-ache"))
    page.go_back()
    page.wait_for_url(re.compile(r"/checker/all/"))
    assert page.is_checked("#symptom-dull-ache")
    assert page.is_checked("#duration-over-6-weeks")


def test_none_of_these_is_exclusive(page):
    page.goto("/checker/signs/")
    page.check("#symptom-fever-or-hot-red-skin")
    page.check("#signs-none")
    assert not page.is_checked("#symptom-fever-or-hot-red-skin")
    page.check("#symptom-foot-drop")
    assert not page.is_checked("#signs-none")
    assert "symptom=foot-drop" in page.url  # the address bar follows the answers


def test_without_javascript_both_answers_are_an_error_on_the_page(page_without_js):
    page = page_without_js
    page.goto("/checker/signs/")
    page.check("#symptom-fever-or-hot-red-skin")
    page.check("#signs-none")
    page.get_by_role("button", name="Continue").click()
    assert "not both" in page.locator(".checker-error-summary").inner_text()
    assert page.title().startswith("Error:")


def test_an_error_focuses_the_summary_whose_link_reaches_the_field(page):
    page.goto("/checker/signs/")
    page.get_by_role("button", name="Continue").click()
    summary = page.locator(".checker-error-summary")
    summary.wait_for()
    assert page.evaluate("document.activeElement.classList.contains('checker-error-summary')")
    summary.get_by_role("link").first.click()
    assert focused(page) == page.locator(".checker-option__input").first.get_attribute("id")


def test_the_whole_flow_by_keyboard_alone_with_focus_always_in_view(page):
    """Tab, Space and Enter only; every focused control is on screen (WCAG 2.4.11)."""
    page.set_viewport_size({"width": 375, "height": 700})
    page.emulate_media(reduced_motion="reduce")  # scroll to the focus at once, not smoothly
    page.goto("/checker/")

    def tab_to(predicate, limit=80):
        for _ in range(limit):
            page.keyboard.press("Tab")
            box = page.evaluate(
                "(() => { const r = document.activeElement.getBoundingClientRect();"
                " return [r.top, r.bottom, window.innerHeight]; })()"
            )
            assert box[0] >= -1 and box[1] <= box[2] + 1, "focused control is off screen"
            if page.evaluate(predicate):
                return
        raise AssertionError(f"never reached {predicate}")

    tab_to("document.activeElement.textContent.trim() === 'Start now'")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/checker/signs/"))
    tab_to("document.activeElement.id === 'signs-none'")
    page.keyboard.press("Space")
    tab_to("document.activeElement.textContent.trim() === 'Continue'")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/checker/pain/"))
    tab_to("document.activeElement.id === 'symptom-tightness'")
    page.keyboard.press("Space")
    tab_to("document.activeElement.id === 'symptom-worse-with-running'")
    page.keyboard.press("Space")
    tab_to("document.activeElement.textContent.trim() === 'Continue'")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/checker/details/"))
    tab_to("document.activeElement.id === 'duration-under-3-days'")
    page.keyboard.press("ArrowDown")  # radios move with the arrow keys
    assert page.is_checked("#duration-3-to-14-days")
    tab_to("document.activeElement.textContent.trim() === 'Continue'")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/checker/check/"))
    tab_to("document.activeElement.textContent.trim() === 'See my result'")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/checker/\?"))
    assert page.locator(".checker-care").is_visible()


@pytest.mark.parametrize("path", ["/checker/signs/", PAIN, "/checker/all/"])
def test_touch_targets_are_40px(page, path):
    page.set_viewport_size({"width": 320, "height": 800})
    page.goto(path)
    sizes = page.evaluate(
        "[...document.querySelectorAll('.checker-option__input')]"
        ".map(e => { const r = e.getBoundingClientRect(); return [r.width, r.height]; })"
    )
    assert sizes
    assert all(width >= 40 and height >= 40 for width, height in sizes), sizes


@pytest.mark.parametrize("width", [320, 375, 1280])
@pytest.mark.parametrize("name", PAGES)
def test_every_page_has_no_axe_violations_at_every_width(
    page, assert_no_axe_violations, name, width
):
    page.set_viewport_size({"width": width, "height": 900})
    page.goto(PAGES[name])
    assert_no_axe_violations(page)


@pytest.mark.parametrize("width", [320, 375])
def test_no_horizontal_scroll_on_a_phone(page, width):
    page.set_viewport_size({"width": width, "height": 800})
    too_wide = []
    for name, path in PAGES.items():
        page.goto(path)
        if page.evaluate("document.documentElement.scrollWidth") > width:
            too_wide.append(name)
    assert not too_wide


# --- The appointment summary and the reminder ---------------------------------------------

# A heavy result: many answers, several reasons for the level, four causes.
HEAVY = (
    "/checker/summary/?signs=none&symptom=sudden-onset&symptom=pop-at-injury"
    "&symptom=sharp-pain-on-movement&symptom=weakness&symptom=pain-sitting"
    "&symptom=cannot-bear-weight&symptom=swelling&symptom=large-bruise&symptom=lump-or-gap"
    "&symptom=pain-walking&symptom=no-warm-up&symptom=previous-hamstring-injury"
    "&symptom=lower-back-pain&duration=under-3-days&severity=9&age=16-to-24"
)


def pdf_pages(pdf):
    return len(re.findall(rb"/Type\s*/Page(?![s\w])", pdf))


@pytest.mark.parametrize("path", [HEAVY, "/checker/summary/?symptom=dull-ache"])
def test_the_appointment_summary_prints_on_one_a4_page(page, live_server, path):
    page.goto(path)
    text = page.locator(".appointment").inner_text()
    assert settings.SITE_URL + "/checker/?" in text  # the result's full address
    assert page.locator(".appointment svg.qr-code").is_visible()
    pdf = page.pdf(format="A4")
    assert pdf_pages(pdf) == 1


def test_the_print_button_appears_with_javascript(page, page_without_js):
    page.goto("/checker/summary/?symptom=dull-ache")
    assert page.get_by_role("button", name="Print this summary").is_visible()
    page_without_js.goto("/checker/summary/?symptom=dull-ache")
    assert not page_without_js.get_by_role("button", name="Print this summary").is_visible()


def test_the_ics_reminder_downloads_with_the_result_address(page, live_server):
    page.goto(SELF_CARE)
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Download .ics reminder to check again in 3 days").click()
    download = download_info.value
    assert download.suggested_filename == "check-your-hamstring-again.ics"
    ics = Path(download.path()).read_bytes().decode()
    unfolded = ics.replace("\r\n ", "")
    assert "BEGIN:VEVENT" in unfolded
    assert f"URL:{settings.SITE_URL}{SELF_CARE}" in unfolded


def test_the_summary_has_no_axe_violations(page, assert_no_axe_violations):
    page.goto(HEAVY)
    assert_no_axe_violations(page)

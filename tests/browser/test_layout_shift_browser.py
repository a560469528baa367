"""No layout shift on any page type (issue 15, point 9), on a phone-sized screen.

The pages are `make lighthouse`'s list (tests/perf/lighthouse.py), loaded at
the size of Lighthouse's emulated phone; the browser's own layout-shift
entries, from navigation until the scripts have run, must add up to zero.
"""

from tests.perf.lighthouse import PAGES

# Lighthouse's mobile profile (a moto g power): 412 x 823 CSS pixels.
PHONE = {"width": 412, "height": 823}

# Every layout shift since navigation (buffered), once the deferred scripts
# have run and two more frames have been painted.
LAYOUT_SHIFTS = """
() => new Promise((resolve) => {
  const shifts = [];
  new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) {
      if (!entry.hadRecentInput) shifts.push(entry.value);
    }
  }).observe({ type: "layout-shift", buffered: true });
  requestAnimationFrame(() => requestAnimationFrame(() => setTimeout(() => resolve(shifts), 100)));
})
"""


def test_no_page_type_moves_after_its_first_paint(page):
    # One test for every page: the content is imported once, not once a page.
    page.set_viewport_size(PHONE)
    moved = {}
    for label, path, _ in PAGES:
        page.goto(path)
        shifts = page.evaluate(LAYOUT_SHIFTS)
        if shifts:
            moved[f"{label} ({path})"] = shifts
    assert moved == {}

"""Every participant page as a screen reader's browser sees it: axe-core, signed out and in, phone and laptop.

No serious or critical violation is allowed: every field has a name, the
page has a language, confirmations are announced. Lesser findings are
printed for a person to read, not failed on. And no page is wider than the
screen: on a phone, a sideways scroll hides half of every sentence.
"""

from __future__ import annotations

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

from extramile import content
from tests.browser.conftest import WAIT, sign_in

WIDTHS = {"phone": {"width": 390, "height": 844}, "laptop": {"width": 1280, "height": 800}}
BLOCKING = ("serious", "critical")


def violations(page) -> list[str]:
    found = Axe().run(page).response["violations"]
    for finding in found:
        if finding["impact"] not in BLOCKING:
            print(f"axe ({finding['impact']}): {finding['id']} on {page.url}")
    return [f"{v['id']} ({v['impact']}): {v['nodes'][0]['html'][:160]}" for v in found if v["impact"] in BLOCKING]


@pytest.mark.parametrize("width", WIDTHS)
def test_every_participant_page_passes_axe_and_fits_the_screen_signed_out_and_in(app, contexts, width):
    page = contexts(viewport=WIDTHS[width]).new_page()
    found = {}
    for signed_in in (False, True):
        if signed_in:
            sign_in(page, app.base_url, f"Reader on a {width}")
        for name in content.PARTICIPANT_NOTEBOOKS:
            page.goto(app.base_url + content.route_of(name))
            expect(page.locator(".em-card").first).to_be_visible(timeout=WAIT)
            expect(page.locator(".em-welcome" if signed_in else ".em-signin input").first).to_be_visible()
            page.wait_for_function("() => [...document.querySelectorAll('.em-app textarea')]"
                                   ".every(t => t.getAttribute('aria-label') || t.labels.length)")
            problems = violations(page)
            wide = page.evaluate("document.documentElement.scrollWidth")
            if wide > WIDTHS[width]["width"]:
                problems.append(f"{wide} px wide on a {WIDTHS[width]['width']} px screen")
            if problems:
                found[f"{name}, {'signed in' if signed_in else 'signed out'}"] = problems
    assert found == {}

"""Every page as a screen reader's browser sees it: axe-core, signed out and in, phone and laptop, and the console.

No serious or critical violation is allowed: every field has a name, the
page has a language, confirmations are announced. Lesser findings are
printed for a person to read, not failed on. And no page is wider than the
screen: on a phone, a sideways scroll hides half of every sentence.
"""

from __future__ import annotations

import re

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

from extramile import content
from extramile.store.journal import Journal
from tests.browser.conftest import WAIT, sign_in
from tests.browser.test_facilitator_console import PASSPHRASE, SCENARIO, SHARED, open_console, projector_choice

WIDTHS = {"phone": {"width": 390, "height": 844}, "laptop": {"width": 1280, "height": 800}}
BLOCKING = ("serious", "critical")


def violations(page) -> list[str]:
    # Solara's "busy" bar shows while the server is working on this tab (a loaded machine): judge the page at rest
    page.wait_for_function("() => [...document.querySelectorAll('.v-progress-linear--absolute')]"
                           ".every(bar => getComputedStyle(bar).visibility === 'hidden')", timeout=WAIT)
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


def test_the_console_and_the_projector_pass_axe_with_every_control_in_use(app_servers, contexts):
    """The facilitator's screens too: the console with its queue and countdown, the projector's every view."""
    server = app_servers(env={"FACILITATOR_PASSPHRASE": PASSPHRASE})
    journal = Journal(server.journal_dir)
    _owner, scenario = content.exercise(SCENARIO)
    for number in range(6):
        team, name = ("Blue", "Green")[number % 2], f"Colleague {number}"
        journal.append(participant=name, team=team, kind="profile", answer={"team": team})
        journal.append(participant=name, team=team, kind="exercise", exercise=SCENARIO,
                       answer={"option": scenario.options[number % 3].id})
        journal.append(participant=name, team=team, kind="exercise", exercise=SHARED, shared=True,
                       answer={"text": f"Shared story {number} " + "and a long one " * 40})
    console = contexts(viewport=WIDTHS["laptop"]).new_page()
    open_console(console, server)
    expect(console.locator(".em-online")).to_be_visible(timeout=WAIT)
    projector = console.context.new_page()
    open_console(projector, server, "/facilitator/projector")
    expect(projector.locator(".em-qr svg")).to_be_visible(timeout=WAIT)
    found = {"join screen": violations(projector)}
    for exercise in (SCENARIO, SHARED):
        console.get_by_label("Projector").select_option(label=projector_choice(exercise))
        console.get_by_role("button", name="Reveal results").click()
        console.get_by_role("button", name="Start countdown").click()
        expect(projector.locator(".em-countdown")).to_be_visible(timeout=WAIT)
        if exercise == SHARED:
            console.get_by_role("button", name=re.compile(r"Approve$")).first.click()
            expect(projector.locator(".em-wall-card")).to_have_count(1, timeout=WAIT)
        else:
            expect(projector.locator(".em-bar-count").first).to_be_visible(timeout=WAIT)
        found[f"projector, {exercise}"] = violations(projector)
        found[f"console, {exercise}"] = violations(console)
    assert {where: problems for where, problems in found.items() if problems} == {}

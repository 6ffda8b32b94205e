"""Two participants and a facilitator log in through the hub's own login form and use the pages.

Everything a person would do, in Chromium: log in (the first login sets the
password), land on the welcome page rendered in their own server, give their
team, answer, save. The facilitator then opens the group summary in their own
server and sees the shared answer but never the private one. Screenshots land
in test-output/ for a person to look at.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from extramile.store.remote_journal import RemoteJournal
from tests.hub.hubtools import FACILITATOR

REPO_OUTPUT = __import__("pathlib").Path(__file__).resolve().parents[2] / "test-output"
SPAWN = 180_000  # ms: the first login spawns the server and renders the page
RENDER = 120_000
TEAM = "Harbour"
SHARED = "I carried her shopping to the bus stop"
PRIVATE = "I nearly snapped at a caller today"
NOTHING_IN_FLIGHT = """() => {
    const models = [...window.jupyterapp._widgetManager._modelsSync.values()];
    return models.every(m => !m._pending_msgs && m._msg_buffer === null);
}"""


def log_in(browser, hub, name: str, landing: str = "**/voila/render/00_welcome.ipynb") -> Page:
    page = browser.new_context(viewport={"width": 1200, "height": 900}).new_page()
    page.goto(f"{hub.url}/hub/login")
    page.locator("#username_input").fill(name)
    page.locator("#password_input").fill(f"{name}-first-use")
    page.locator("#login_submit").click()
    page.wait_for_url(landing, timeout=SPAWN)
    return page


def screenshot(page: Page, name: str) -> None:
    REPO_OUTPUT.mkdir(exist_ok=True)
    page.screenshot(path=REPO_OUTPUT / f"hub-{name}.png", full_page=True)


def answer_on_the_welcome_page(page: Page, name: str, text: str, share: bool) -> None:
    page.get_by_placeholder("Your team").fill(TEAM, timeout=RENDER)
    page.get_by_role("button", name="Sign in").click()
    expect(page.locator(".em-welcome")).to_contain_text(f"Welcome, {name} (team {TEAM})", timeout=RENDER)
    card = page.locator(".em-card").filter(has=page.locator("textarea")).first
    card.locator("textarea").fill(text)
    if share:
        card.get_by_role("checkbox", name="Share with my team").check()
    card.locator("textarea").blur()
    page.wait_for_function(NOTHING_IN_FLIGHT, timeout=RENDER)
    card.get_by_role("button", name="Save").click()
    expect(card.locator(".em-status")).to_have_text(re.compile(r"^Saved \d\d:\d\d"), timeout=RENDER)


@pytest.mark.timeout(600)
def test_participants_log_in_through_the_hub_and_the_facilitator_sees_only_what_was_shared(hub, in_a_browser):
    third = RemoteJournal(hub.journal_url, hub.token_for("yara"))  # a third member: the team's words may show
    third.append(participant="yara", team=TEAM, kind="profile", answer={"team": TEAM})
    third.append(participant="yara", team=TEAM, kind="exercise", exercise="welcome-mindset-before",
                 answer={"value": 7, "measure": "mindset", "moment": "before"})

    def scenario(browser):
        for name, text, share in [("wren", SHARED, True), ("xavi", PRIVATE, False)]:
            page = log_in(browser, hub, name)
            answer_on_the_welcome_page(page, name, text, share)
            screenshot(page, f"welcome-{name}")
            page.context.close()

        page = log_in(browser, hub, FACILITATOR)
        page.goto(f"{hub.url}/user/{FACILITATOR}/voila/render/group_summary.ipynb")
        expect(page.get_by_role("button", name="Refresh")).to_be_visible(timeout=RENDER)
        expect(page.get_by_text(SHARED)).to_have_count(1, timeout=RENDER)
        screenshot(page, "facilitator-summary")
        content = page.content()
        page.context.close()
        return content

    summary = in_a_browser(scenario)
    assert PRIVATE not in summary
    assert "/services/journal" in summary  # the summary names where it read from

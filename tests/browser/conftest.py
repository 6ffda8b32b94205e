"""Fixtures for browser tests: Debian's Chromium driven by Playwright, against `extramile serve`.

Why Debian's Chromium: Playwright's own browser download cannot work on these
machines, while `apt-get install chromium` does. The server runs as a
subprocess (tests/conftest.py: app_servers), so the tests see exactly what
`make workshop` serves, on a free port of 127.0.0.1, with a journal of its own.
"""

from __future__ import annotations

import json
import os
import time
import urllib.request
from pathlib import Path

import pytest
from playwright.sync_api import expect

REPO = Path(__file__).resolve().parents[2]
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic"]
SCREENSHOTS = REPO / "test-output"



@pytest.fixture(scope="session")
def chromium_path() -> str:
    if CHROMIUM.is_file() and os.access(CHROMIUM, os.X_OK):
        return str(CHROMIUM)
    message = f"{CHROMIUM} is missing: apt-get install chromium (Playwright's browser download does not work)"
    if os.environ.get("CI") == "true":
        pytest.fail(message)  # CI must really run these tests
    pytest.skip(message)


@pytest.fixture(scope="session")
def browser(chromium_path):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=chromium_path, headless=True,
                                              args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


LOCAL = ("http://127.0.0.1:", "ws://127.0.0.1:", "https://127.0.0.1:", "wss://127.0.0.1:", "data:", "blob:", "about:")


def offline_context(browser, **options):
    """A browser context that fails every request to another machine and remembers it.

    Rooms often have no internet: a page must work with nothing but the server.
    `context.left_the_machine` lists what was refused; the fixtures assert it stays empty.
    """
    context = browser.new_context(**{"viewport": {"width": 1200, "height": 900}, **options})
    context.left_the_machine = []

    def only_local(route):
        if route.request.url.startswith(LOCAL):
            route.continue_()
        else:
            context.left_the_machine.append(route.request.url)
            route.abort()
    context.route("**/*", only_local)
    return context


@pytest.fixture
def contexts(browser):
    """Factory for more browser contexts (other participants, other browsers); all checked and closed after."""
    made = []

    def make(**options):
        made.append(offline_context(browser, **options))
        return made[-1]
    yield make
    for context in made:
        assert context.left_the_machine == []
        context.close()


@pytest.fixture
def page(contexts):
    return contexts().new_page()


@pytest.fixture(scope="module")
def app(app_servers):
    """One participant app for a module whose tests tell one story on it."""
    return app_servers()


def kernels_in(server) -> dict:
    """How many tab sessions the server holds now (Solara's aggregate resource counts, no identifiers)."""
    with urllib.request.urlopen(server.base_url + "/resourcez", timeout=30) as response:
        return json.load(response)["kernels"]


WAIT = 30_000  # ms: two cores shared by a server and several browsers


SESSION_COOKIE = "extramile-session"


def session_cookie(context) -> str | None:
    """The browser's sign-in cookie (HttpOnly: only the browser, not the page, can read it)."""
    return next((c["value"] for c in context.cookies() if c["name"].endswith(SESSION_COOKIE)), None)


def wait_until(condition, timeout: float = WAIT / 1000, what: str = "the condition") -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.05)


def sign_in(page, base_url: str, name: str, team: str = "Blue", passphrase: str = "lemon squeezer",
            goto: bool = True) -> None:
    """Sign in on the welcome page as a participant types it; wait for the welcome line and the browser's cookie.

    The page collects the cookie a moment after the welcome shows; a test that reloads at once waits for it.
    """
    before = session_cookie(page.context)
    if goto:
        page.goto(base_url + "/")
    page.get_by_placeholder("Your name").fill(name)
    page.get_by_placeholder("Your team").fill(team)
    page.get_by_placeholder("At least 6 characters").fill(passphrase)
    page.get_by_role("button", name="Sign in").click()
    expect(page.locator(".em-welcome")).to_contain_text(f"Welcome, {name}", timeout=WAIT)
    wait_until(lambda: session_cookie(page.context) not in (None, before), what="the session cookie")


def reflection_card(page):
    return page.locator(".em-card", has=page.locator("textarea")).first

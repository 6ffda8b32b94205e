"""Fixtures for the hub tests: one trial JupyterHub for the session (tests/hub/trial_hub.py), and Chromium.

One hub serves the whole session because starting one costs seconds. Under
CI=true a missing prerequisite fails the run instead of skipping it.
"""

from __future__ import annotations

import os
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from tests.hub.hubtools import missing
from tests.hub.trial_hub import require_hub_prerequisites, trial_hub


@pytest.fixture(scope="session")
def hub(tmp_path_factory):
    require_hub_prerequisites()
    with trial_hub(tmp_path_factory.mktemp("hub")) as running:
        yield running


CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic"]


@pytest.fixture(scope="session")
def in_a_browser():
    """Run `scenario(browser)` with Debian's Chromium, in a thread of its own.

    Playwright's sync API refuses to start where an event loop already runs,
    and the browser tests' own Playwright runs in the main thread for the whole
    session; a fresh thread has no loop. (Playwright's own browser download
    does not work on these machines, hence /usr/bin/chromium.)
    """
    if not (CHROMIUM.is_file() and os.access(CHROMIUM, os.X_OK)):
        missing(f"{CHROMIUM} is missing: apt-get install chromium")

    def run(scenario):
        from playwright.sync_api import sync_playwright

        with sync_playwright() as playwright:
            chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True,
                                                  args=CHROMIUM_ARGS)
            try:
                return scenario(chromium)
            finally:
                chromium.close()

    def in_own_thread(scenario):
        with ThreadPoolExecutor(1) as thread:
            return thread.submit(run, scenario).result()
    return in_own_thread

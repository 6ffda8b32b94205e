"""Smoke: a participant opens `/`, types, clicks, and the kernel answers.

Why in a real browser: the widgets only live once Voila's JavaScript has
connected the page to its kernel; HTTP tests cannot see that. The screenshot in
test-output/ is for a person to look at.
"""

from __future__ import annotations

import time
import urllib.error
import urllib.request
from pathlib import Path

from playwright.sync_api import expect

SCREENSHOTS = Path(__file__).resolve().parents[2] / "test-output"  # git-ignored


def kernel_of(page) -> str:
    return page.evaluate("JSON.parse(document.getElementById('jupyter-config-data').textContent).kernelId")


def kernel_status(server, kernel_id: str) -> int:
    try:
        return urllib.request.urlopen(f"{server.base_url}/api/kernels/{kernel_id}", timeout=10).status
    except urllib.error.HTTPError as error:
        return error.code


def test_welcome_page_types_clicks_and_answers(voila_server, placeholder_notebooks, page):
    server = voila_server(placeholder_notebooks)
    assert server.announced.startswith(f"Extra Mile is ready. Participants open: {server.base_url}/")

    page.goto(server.base_url + "/?s=tok123")
    page.get_by_placeholder("Your name").fill("Zoë")
    page.get_by_role("button", name="Say hello").click()

    expect(page.get_by_text("Hello Zoë")).to_contain_text(f"journal={server.journal_dir}", timeout=20_000)
    expect(page.get_by_text("query=")).to_have_text("query=s=tok123")
    assert page.url == server.base_url + "/voila/render/00_welcome.ipynb?s=tok123"
    assert "page_request import" not in page.content()  # the code cell is not shown
    SCREENSHOTS.mkdir(exist_ok=True)
    page.screenshot(path=SCREENSHOTS / "smoke-welcome.png", full_page=True)


def test_an_open_page_keeps_its_kernel_however_idle(voila_server, placeholder_notebooks, page):
    """Culling must never hit a participant who is still on the page (cull_connected=False)."""
    server = voila_server(placeholder_notebooks, "--cull-idle-timeout", "2", "--cull-interval", "1")
    page.goto(server.base_url + "/")
    name = page.get_by_placeholder("Your name")
    name.wait_for()
    time.sleep(6)  # idle three times the timeout, page still open
    name.fill("Ana")
    page.get_by_role("button", name="Say hello").click()
    expect(page.get_by_text("Hello Ana")).to_be_visible(timeout=20_000)
    assert kernel_status(server, kernel_of(page)) == 200


def test_leaving_a_page_shuts_its_kernel_down_at_once(voila_server, placeholder_notebooks, page):
    """Voila's shutdown beacon works (serve sets the _xsrf cookie it needs); culling is only the backstop."""
    server = voila_server(placeholder_notebooks)  # default cull timeout: 20 minutes
    for leave in (page.reload, lambda: page.goto("about:blank")):
        page.goto(server.base_url + "/")
        page.get_by_placeholder("Your name").wait_for()
        kernel_id = kernel_of(page)
        leave()
        deadline = time.monotonic() + 10
        while kernel_status(server, kernel_id) == 200 and time.monotonic() < deadline:
            time.sleep(0.2)
        assert kernel_status(server, kernel_id) == 404

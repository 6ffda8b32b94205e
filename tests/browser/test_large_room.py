"""A room served by two processes (serve --workers 2) in real browsers: still one room.

HAProxy keeps each browser on one process by a cookie; here each browser is
put on a chosen process by setting that cookie before its first visit, so
the console is in one process and a participant in the other. The console's
lock, its message and its count of who is online reach across; a sign-out on
one browser ends the same person's page in a browser on the other process.
"""

from __future__ import annotations

import os

import pytest
from playwright.sync_api import expect

from extramile import content
from extramile.server.workers import ROUTE_COOKIE, haproxy_program
from tests.browser.conftest import WAIT, sign_in

PASSPHRASE = "harbor-maple-willow-42"
ACROSS_MS = 5_000  # a look at the room's file twice a second, then the page's own render, on a busy machine


@pytest.fixture(scope="module")
def room(app_servers):
    if not haproxy_program():
        message = "haproxy is missing: apt-get install haproxy (make test installs it when run as root)"
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)
    return app_servers("--workers", "2", env={"FACILITATOR_PASSPHRASE": PASSPHRASE})


def page_on(contexts, room, worker: str):
    """A new browser that HAProxy will keep on process `worker` ("w1" or "w2")."""
    context = contexts()
    context.add_cookies([{"name": ROUTE_COOKIE, "value": worker, "url": room.base_url + "/"}])
    return context.new_page()


def open_console(page, room) -> None:
    page.set_viewport_size({"width": 1280, "height": 720})
    page.goto(room.base_url + "/facilitator")
    page.get_by_placeholder("As printed by make workshop").fill(PASSPHRASE)
    page.get_by_role("button", name="Open the console").click()


def test_the_console_in_one_process_paces_and_counts_the_pages_of_the_other(room, contexts):
    elsewhere = page_on(contexts, room, "w2")
    sign_in(elsewhere, room.base_url, "Other Process", team="Blue")
    beside = page_on(contexts, room, "w1")
    sign_in(beside, room.base_url, "Same Process", team="Green")
    console = page_on(contexts, room, "w1")
    open_console(console, room)
    expect(console.locator(".em-online")).to_contain_text("2 participants online now", timeout=WAIT)

    lesson = content.notebook("02_positive_mindset")
    console.get_by_role("button", name=f"{lesson.title}: Open").click()
    expect(console.get_by_role("button", name=f"{lesson.title}: Locked")).to_be_visible(timeout=WAIT)
    elsewhere.goto(room.base_url + content.route_of("02_positive_mindset"))
    expect(elsewhere.get_by_text("We'll open this lesson together soon")).to_be_visible(timeout=WAIT)
    expect(elsewhere.locator(".em-card")).to_have_count(0)

    console.get_by_label("Message").fill("Back at ten past")
    console.get_by_role("button", name="Send to everyone").click()
    expect(elsewhere.get_by_role("status").filter(has_text="Back at ten past")).to_be_visible(timeout=ACROSS_MS)

    console.get_by_role("button", name=lesson.title).click()  # open again: the waiting page opens by itself
    expect(elsewhere.locator(".em-card").first).to_be_visible(timeout=WAIT)


def test_a_sign_out_on_one_process_ends_the_same_persons_page_on_the_other(room, contexts):
    laptop = page_on(contexts, room, "w1")
    sign_in(laptop, room.base_url, "Two Browsers", team="Blue")
    phone = page_on(contexts, room, "w2")
    sign_in(phone, room.base_url, "Two Browsers", team="Blue")
    phone.get_by_role("button", name="Sign out").click()
    expect(laptop.get_by_placeholder("Your name")).to_be_visible(timeout=ACROSS_MS)
    expect(laptop.locator(".em-welcome")).to_have_count(0)
    laptop.reload()
    expect(laptop.get_by_placeholder("Your name")).to_be_visible(timeout=WAIT)

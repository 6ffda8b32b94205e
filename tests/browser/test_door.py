"""The door, as people use it on the day: Enter (a phone's Go key) submits, and the console counts only
the people who are really there.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import WAIT, session_cookie, wait_until

PASSPHRASE = "harbor-maple-willow-delta-417"
ONLINE = re.compile(r"(\d+) participants? online now")


@pytest.fixture(scope="module")
def door(app_servers):
    return app_servers(env={"FACILITATOR_PASSPHRASE": PASSPHRASE})


def online_now(console) -> int:
    return int(ONLINE.search(console.locator(".em-online").inner_text()).group(1))


def test_enter_signs_in_and_opens_the_console_and_a_tab_gone_without_a_goodbye_leaves_online_now(door, contexts):
    console = contexts().new_page()
    console.goto(door.base_url + "/facilitator")
    console.get_by_placeholder("As printed by make workshop").fill(PASSPHRASE)
    console.get_by_placeholder("As printed by make workshop").press("Enter")
    expect(console.locator(".em-online")).to_contain_text("online now", timeout=WAIT)
    wait_until(lambda: any(c["name"] == "extramile-console" for c in console.context.cookies()),
               what="the console's cookie")
    projector = console.context.new_page()  # the same browser, another window: let in by the cookie
    projector.goto(door.base_url + "/facilitator/projector")
    expect(projector.locator(".em-projector")).to_be_visible(timeout=WAIT)
    already = online_now(console)
    laptop = contexts().new_page()
    laptop.goto(door.base_url + "/?solara-no-close-beacon")  # a tab that will vanish without telling the server
    laptop.get_by_placeholder("Your name").fill("Vic")
    laptop.get_by_placeholder("Your team").fill("Blue")
    laptop.get_by_placeholder("At least 6 characters").fill("lemon squeezer")
    laptop.get_by_placeholder("At least 6 characters").press("Enter")  # a phone's Go key sends the same
    expect(laptop.locator(".em-welcome")).to_contain_text("Welcome, Vic", timeout=WAIT)
    wait_until(lambda: session_cookie(laptop.context) is not None, what="the session cookie")
    expect(console.locator(".em-online")).to_contain_text(f"{already + 1} participant", timeout=WAIT)
    laptop.context.close()  # a lid shut, a phone's tab killed: no close message reaches the server
    expect(console.locator(".em-online")).to_contain_text(f"{already} participant", timeout=60_000)


def test_a_cookie_planted_before_the_console_opens_gives_its_holder_no_console(door, contexts):
    attacker = contexts().new_page()
    attacker.goto(door.base_url + "/facilitator")
    expect(attacker.get_by_placeholder("As printed by make workshop")).to_be_visible(timeout=WAIT)
    laptop = contexts()
    laptop.add_cookies(attacker.context.cookies())  # the facilitator's laptop, with the attacker's cookie on it
    console = laptop.new_page()
    console.goto(door.base_url + "/facilitator")
    console.get_by_placeholder("As printed by make workshop").fill(PASSPHRASE)
    console.get_by_role("button", name="Open the console").click()
    expect(console.locator(".em-online")).to_contain_text("online now", timeout=WAIT)
    attacker.reload()
    expect(attacker.get_by_placeholder("As printed by make workshop")).to_be_visible(timeout=WAIT)
    expect(attacker.locator(".em-online")).to_have_count(0)


class BusyServer:
    """The page's websocket, with the server's answers held back (a server busy with a crowd) until `release`."""

    def __init__(self) -> None:
        self.held, self.page_side, self.released, self.sending = [], None, False, False

    def route(self, socket) -> None:
        self.page_side = socket
        socket.connect_to_server().on_message(self.answer)

    def answer(self, message) -> None:
        self.held.append(message)
        self.send_held()

    def release(self) -> None:
        self.released = True
        self.send_held()

    def send_held(self) -> None:
        if not self.released or self.sending:
            return
        self.sending = True  # sending may hear the next answer: it joins the queue, in order
        while self.held:
            self.page_side.send(self.held.pop(0))
        self.sending = False


def test_a_page_slow_to_come_says_why_and_that_the_tab_keeps_its_place_until_it_shows(door, contexts):
    page = contexts().new_page()
    busy = BusyServer()
    page.route_web_socket(re.compile(r".*/jupyter/api/kernels/.*"), busy.route)
    page.goto(door.base_url + "/")
    arriving = page.get_by_role("status").filter(has_text="your page is on its way")
    expect(arriving).to_be_visible(timeout=WAIT)
    expect(arriving).to_contain_text("Keep this tab open; you keep your place.")
    assert page.locator(".em-page").count() == 0
    busy.release()  # the server's turn comes
    expect(page.locator(".em-page")).to_be_visible(timeout=WAIT)
    expect(page.locator("#em-arriving")).to_have_count(0)


def test_a_page_that_comes_at_once_says_nothing_of_a_crowd(door, contexts):
    page = contexts().new_page()
    page.goto(door.base_url + "/")
    expect(page.locator(".em-page")).to_be_visible(timeout=WAIT)
    page.wait_for_function("performance.now() > 3500")  # past the moment the notice would have shown
    expect(page.locator("#em-arriving")).to_have_count(0)

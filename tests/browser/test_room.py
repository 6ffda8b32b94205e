"""The room, in real browsers: many tabs on one server, sign-in per browser, lost connections, freed sessions.

What a workshop does to the server that one participant's journey does not:
ten people saving at the same moment, one person with two tabs, a tab closed
or a laptop shut, Wi-Fi dropping mid-answer.
"""

from __future__ import annotations

import re
import time

import psutil
from playwright.sync_api import expect

from extramile import content
from extramile.store.journal import Journal
from tests.browser.conftest import WAIT, kernels_in, reflection_card, sign_in
from tests.browser.widget_sync import wait_until_nothing_in_flight

SAVED = re.compile(r"^Saved \d\d:\d\d")


def test_reload_keeps_the_sign_in_and_no_page_address_carries_it(app, page):
    sign_in(page, app.base_url, "Rosa")
    page.reload()
    expect(page.locator(".em-welcome")).to_contain_text("Welcome, Rosa", timeout=WAIT)
    page.get_by_role("link", name="Keep a positive mindset").first.click()
    page.wait_for_url(app.base_url + "/positive-mindset")
    expect(page.locator("h1")).to_have_text(content.notebook("02_positive_mindset").title, timeout=WAIT)
    expect(page.locator(".em-welcome")).to_contain_text("Welcome, Rosa", timeout=WAIT)
    cookies = page.context.cookies()
    [session] = [c for c in cookies if c["name"] == "solara-session-id"]
    assert session["httpOnly"] and session["value"] not in page.content()
    assert page.evaluate("document.cookie").find(session["value"]) == -1  # page scripts cannot read it


def test_sign_out_in_one_tab_ends_the_session_in_every_tab(app, contexts):
    browser = contexts()
    first, second = browser.new_page(), browser.new_page()
    sign_in(first, app.base_url, "Teo")
    second.goto(app.base_url + "/never-an-inconvenience")
    expect(second.locator(".em-welcome")).to_contain_text("Welcome, Teo", timeout=WAIT)
    second.get_by_role("button", name="Sign out").click()
    expect(first.locator(".em-signin")).to_contain_text("Signed out in another tab", timeout=WAIT)
    expect(first.get_by_placeholder("Your name")).to_be_visible()
    first.reload()
    expect(first.get_by_placeholder("Your name")).to_be_visible(timeout=WAIT)
    expect(first.locator(".em-welcome")).to_have_count(0)


def test_ten_participants_saving_at_once_each_find_their_answer_in_their_own_journal(app, contexts):
    people = [f"Person {n} ✓" for n in range(10)]
    pages = []
    for name in people:
        page = contexts().new_page()
        sign_in(page, app.base_url, name, team=f"Team {len(pages) % 3}")
        box = reflection_card(page).locator("textarea")
        box.fill(f"the answer of {name}")
        box.blur()
        pages.append(page)
    for page in pages:
        wait_until_nothing_in_flight(page, WAIT)
    for page in pages:  # all ten Saves go out before any confirmation is awaited
        reflection_card(page).get_by_role("button", name="Save").click(no_wait_after=True)
    for page in pages:
        expect(reflection_card(page).locator(".em-status")).to_have_text(SAVED, timeout=WAIT)
    journal = Journal(app.journal_dir)
    for name in people:
        texts = [e["answer"]["text"] for e in journal.entries(name) if e["kind"] == "exercise"]
        assert texts == [f"the answer of {name}"], name


def test_closed_tabs_free_their_sessions_and_many_sign_ins_leave_memory_where_it_was(app_servers, contexts):
    server = app_servers()
    warm = contexts().new_page()
    sign_in(warm, server.base_url, "Warm Up")
    warm.get_by_role("link", name="Notice small opportunities").first.click()
    expect(warm.locator(".em-card").first).to_be_visible(timeout=WAIT)
    warm.close()
    time.sleep(6)  # the server hands back free memory every few seconds
    process = psutil.Process(server.process.pid)
    baseline_kernels, baseline_memory = kernels_in(server)["total"], process.memory_info().rss
    for number in range(12):  # twelve people, each in a browser of their own, sign in and leave
        tab = contexts().new_page()
        sign_in(tab, server.base_url, f"Visitor {number}")
        tab.get_by_role("link", name="Notice small opportunities").first.click()
        expect(tab.locator(".em-card").first).to_be_visible(timeout=WAIT)
        tab.close()
    deadline = time.monotonic() + 60
    while kernels_in(server)["total"] > baseline_kernels and time.monotonic() < deadline:
        time.sleep(0.5)
    assert kernels_in(server)["total"] <= baseline_kernels
    deadline = time.monotonic() + 20  # the next trims hand the pages' memory back
    while (grown := (process.memory_info().rss - baseline_memory) / 2**20) >= 30 and time.monotonic() < deadline:
        time.sleep(0.5)
    assert grown < 30, f"12 sign-ins in closed tabs left {grown:.0f} MiB behind"  # was 13 MiB each, and 65 per page


def test_a_lost_connection_is_said_at_once_and_the_typed_text_stays(app_servers, contexts):
    server = app_servers()
    page = contexts().new_page()
    sign_in(page, server.base_url, "Ada")
    card = reflection_card(page)
    card.locator("textarea").fill("saved before the drop")
    card.locator("textarea").blur()
    wait_until_nothing_in_flight(page, WAIT)
    card.get_by_role("button", name="Save").click()
    expect(card.locator(".em-status")).to_have_text(SAVED, timeout=WAIT)
    card.locator("textarea").fill("typed after the save")
    expect(card.locator(".em-status:visible")).to_have_text("Not saved yet")
    server.stop()
    expect(page.locator("#em-connection")).to_have_text(re.compile("^Connection lost: your text is not saved yet"),
                                                       timeout=10_000)
    expect(card.locator("textarea")).to_have_value("typed after the save")
    expect(card.locator(".em-status:visible")).to_have_text("Not saved yet")


def test_text_typed_but_not_saved_is_still_in_the_box_after_a_reload(app, page):
    sign_in(page, app.base_url, "Rena")
    card = reflection_card(page)
    card.locator("textarea").fill("half an answer, not saved yet")
    page.reload()
    card = reflection_card(page)
    expect(card.locator("textarea")).to_have_value("half an answer, not saved yet", timeout=WAIT)
    expect(card.locator(".em-status.em-ok:visible")).to_have_count(0)  # nothing claims it is saved
    card.locator("textarea").blur()
    wait_until_nothing_in_flight(page, WAIT)
    card.get_by_role("button", name="Save").click()
    expect(card.locator(".em-status:visible")).to_have_text(SAVED, timeout=WAIT)
    assert [e["answer"]["text"] for e in Journal(app.journal_dir).entries("Rena") if e["kind"] == "exercise"] == [
        "half an answer, not saved yet"]
    page.get_by_role("button", name="Sign out").click()
    page.reload()
    expect(page.get_by_placeholder("Your name")).to_be_visible(timeout=WAIT)
    expect(reflection_card(page).locator("textarea")).to_have_value("")  # nothing left for the next person


def test_signing_out_on_one_browser_ends_the_sign_in_on_another(app, contexts):
    laptop, phone = contexts().new_page(), contexts(viewport={"width": 390, "height": 844}).new_page()
    sign_in(laptop, app.base_url, "Noor")
    sign_in(phone, app.base_url, "Noor")
    phone.get_by_role("button", name="Sign out").click()
    expect(laptop.get_by_placeholder("Your name")).to_be_visible(timeout=WAIT)
    laptop.reload()
    expect(laptop.get_by_placeholder("Your name")).to_be_visible(timeout=WAIT)

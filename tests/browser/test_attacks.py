"""The room as someone in it would attack it, in real browsers: another port's page, planted and copied cookies,
a shared laptop, text typed while signed out, a server that freezes or restarts.

Each test is the attack itself, done the way a person in the room could do it, and checks what the
victim would care about: their journal, and what the next person at their screen can see.
"""

from __future__ import annotations

import http.server
import os
import re
import signal
import threading

import pytest
from playwright.sync_api import expect

from extramile.store.journal import Journal
from tests.browser.conftest import SESSION_COOKIE, WAIT, reflection_card, session_cookie, sign_in
from tests.browser.widget_sync import wait_until_nothing_in_flight
from tests.server.test_serve import make_certificate

SAVED = re.compile(r"^Saved \d\d:\d\d")
LOST = re.compile("^Connection lost: your text is not saved yet")
SECRET = "my private reflection 7c1e"
INJECTED = "written by a page on another port"

# A page on another port of the same machine: it opens the room's websocket as the room's own page
# would (the browser sends the participant's cookies: cookies do not tell ports apart), runs the
# welcome page, looks for the participant's private text, then types into every text box and
# presses every Save.
ATTACK = """<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Another page</title></head><body>
<script>
window.result = {done: false, opened: false, sawSecret: false, saved: false};
const uuid = () => crypto.randomUUID();
const seen = [], models = {};
let clicked = false;
const ws = new WebSocket("ROOM/jupyter/api/kernels/" + uuid() + "/channels?session_id=" + uuid());
ws.binaryType = "arraybuffer";
function text(data) {  // a binary frame: a count, offsets, then the message's JSON, then its buffers
  if (typeof data === "string") { return data; }
  const view = new DataView(data), count = view.getUint32(0), start = view.getUint32(4);
  const end = count > 1 ? view.getUint32(8) : data.byteLength;
  return new TextDecoder().decode(new Uint8Array(data, start, end - start));
}
function send(type, content) {
  ws.send(JSON.stringify({header: {msg_id: uuid(), msg_type: type, session: uuid(), username: "", version: "5.3",
    date: ""}, parent_header: {}, metadata: {}, content: content, channel: "shell", buffers: []}));
}
function finish() { window.result.done = true; }
ws.onopen = () => {
  window.result.opened = true;
  const control = uuid();
  send("comm_open", {comm_id: control, target_name: "solara.control", data: {}});
  send("comm_msg", {comm_id: control, data: {method: "run", args: {path: "/", appName: null}}});
};
ws.onclose = finish;
ws.onmessage = (event) => {
  const said = text(event.data);
  seen.push(said);
  let message;
  try { message = JSON.parse(said); } catch (error) { return; }
  const kind = message.header.msg_type, data = message.content.data || {};
  if (kind === "comm_open" && data.state) { models[message.content.comm_id] = data.state; }
  if (kind === "comm_msg" && data.method === "finished") {
    window.result.sawSecret = seen.some((t) => t.includes("SECRET"));
    for (const [id, state] of Object.entries(models)) {
      if (state._model_name === "TextareaModel") {
        send("comm_msg", {comm_id: id, data: {method: "update", state: {value: "INJECTED"}, buffer_paths: []}});
      }
    }
    for (const [id, state] of Object.entries(models)) {
      if (state._model_name === "ButtonModel" && state.description === "Save") {
        send("comm_msg", {comm_id: id, data: {method: "custom", content: {event: "click"}}});
      }
    }
    clicked = true;
  } else if (clicked && said.includes("Saved ")) {
    window.result.saved = true;
    finish();
  }
};
</script></body></html>"""


@pytest.fixture
def another_port(app):
    """A web server on another port of this machine, serving the attacking page."""
    page = ATTACK.replace("ROOM", app.base_url.replace("http", "ws")).replace("SECRET", SECRET)
    page = page.replace("INJECTED", INJECTED).encode()

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802 - http.server's name
            self.send_response(200)
            self.send_header("content-type", "text/html; charset=utf-8")
            self.end_headers()
            self.wfile.write(page)

        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}/attack.html"
    server.shutdown()


def save_reflection(page, text: str) -> None:
    card = reflection_card(page)
    card.locator("textarea").fill(text)
    card.locator("textarea").blur()
    wait_until_nothing_in_flight(page, WAIT)
    card.get_by_role("button", name="Save").click()
    expect(card.locator(".em-status:visible")).to_have_text(SAVED, timeout=WAIT)


def reflections(journal_dir, name: str) -> list[str]:
    return [e["answer"]["text"] for e in Journal(journal_dir).entries(name) if e["kind"] == "exercise"]


def test_a_page_on_another_port_can_neither_read_nor_write_a_participants_journal(app, contexts, another_port):
    browser = contexts()
    participant = browser.new_page()
    sign_in(participant, app.base_url, "Maya")
    save_reflection(participant, SECRET)
    attack = browser.new_page()  # the same browser: it holds Maya's cookies
    attack.goto(another_port)
    attack.wait_for_function("window.result.done", timeout=WAIT)
    result = attack.evaluate("window.result")
    assert not result["opened"] and not result["sawSecret"] and not result["saved"], result
    assert reflections(app.journal_dir, "Maya") == [SECRET]
    assert any("Refused a websocket" in line and another_port.rsplit("/", 1)[0] in line for line in app.output)


def test_a_cookie_planted_before_sign_in_gives_its_holder_nothing(app, contexts):
    attacker = contexts().new_page()
    attacker.goto(app.base_url + "/")
    expect(attacker.get_by_placeholder("Your name")).to_be_visible(timeout=WAIT)
    planted = [*attacker.context.cookies(),
               {"name": SESSION_COOKIE, "value": "chosen-by-the-last-user-of-this-laptop", "url": app.base_url}]
    laptop = contexts()
    laptop.add_cookies(planted)  # the shared laptop, as its last user left it
    victim = laptop.new_page()
    sign_in(victim, app.base_url, "Nadia")
    save_reflection(victim, "Nadia's own words")
    for holder in (attacker, contexts(storage_state={"cookies": planted, "origins": []}).new_page()):
        holder.goto(app.base_url + "/")
        expect(holder.get_by_placeholder("Your name")).to_be_visible(timeout=WAIT)
        expect(holder.locator(".em-welcome")).to_have_count(0)
        expect(reflection_card(holder).locator("textarea")).to_have_value("")
    assert session_cookie(laptop) != "chosen-by-the-last-user-of-this-laptop"  # the server made Nadia's


def test_a_cookie_copied_before_sign_out_never_works_again(app, contexts):
    laptop = contexts()
    page = laptop.new_page()
    sign_in(page, app.base_url, "Omar")
    copied = laptop.cookies()
    page.get_by_role("button", name="Sign out").click()
    expect(page.get_by_placeholder("Your name")).to_be_visible(timeout=WAIT)
    sign_in(page, app.base_url, "Pia", passphrase="pia's own passphrase")  # the next person at the laptop
    thief = contexts()
    thief.add_cookies(copied)
    stolen = thief.new_page()
    stolen.goto(app.base_url + "/")
    expect(stolen.get_by_placeholder("Your name")).to_be_visible(timeout=WAIT)
    expect(stolen.locator(".em-welcome")).to_have_count(0)


def test_the_next_person_on_a_shared_browser_finds_nothing_the_last_one_typed(app, contexts):
    browser = contexts()
    tab_a, tab_b = browser.new_page(), browser.new_page()
    sign_in(tab_a, app.base_url, "Alice", passphrase="alice's passphrase")
    tab_b.goto(app.base_url + "/")
    expect(tab_b.locator(".em-welcome")).to_contain_text("Welcome, Alice", timeout=WAIT)
    reflection_card(tab_b).locator("textarea").fill("Alice's words, typed and never saved")  # still in the box
    tab_a.get_by_role("button", name="Sign out").click()
    expect(tab_b.locator(".em-signin")).to_contain_text("Signed out in another tab", timeout=WAIT)
    sign_in(tab_a, app.base_url, "Bob", passphrase="bob's passphrase", goto=False)
    expect(tab_b.locator(".em-welcome")).to_contain_text("Welcome, Bob", timeout=WAIT)
    expect(reflection_card(tab_b).locator("textarea")).to_have_value("")
    assert tab_b.evaluate("Object.keys(sessionStorage).filter(k => k.startsWith('em-draft:'))") == []
    tab_b.reload()
    expect(tab_b.locator(".em-welcome")).to_contain_text("Welcome, Bob", timeout=WAIT)
    expect(reflection_card(tab_b).locator("textarea")).to_have_value("")
    reflection_card(tab_b).get_by_role("button", name="Save").click()
    expect(reflection_card(tab_b).locator(".em-status")).to_contain_text("write something", timeout=WAIT)
    assert reflections(app.journal_dir, "Bob") == []


def test_text_typed_while_signed_out_stays_in_view_beside_the_saved_answer(app, page):
    sign_in(page, app.base_url, "Quinn")
    save_reflection(page, "the answer saved this morning")
    page.get_by_role("button", name="Sign out").click()
    card = reflection_card(page)
    expect(card.locator("textarea")).to_have_value("", timeout=WAIT)
    card.locator("textarea").fill("a better answer, typed while signed out")
    card.locator("textarea").blur()
    wait_until_nothing_in_flight(page, WAIT)
    card.get_by_role("button", name="Save").click()
    expect(card.locator(".em-status")).to_contain_text("Sign in at the top", timeout=WAIT)
    sign_in(page, app.base_url, "Quinn", goto=False)
    expect(card.locator("textarea")).to_have_value("a better answer, typed while signed out")
    expect(card).to_contain_text("the answer saved this morning")
    card.get_by_role("button", name="Keep what I typed").click()
    expect(card.get_by_role("button", name="Use the answer in my journal")).to_be_hidden()
    card.get_by_role("button", name="Save").click()
    expect(card.locator(".em-status:visible")).to_have_text(SAVED, timeout=WAIT)
    assert reflections(app.journal_dir, "Quinn") == ["a better answer, typed while signed out"]


def test_a_frozen_server_is_said_within_five_seconds_and_a_restarted_one_is_rejoined_without_a_reload(
        app_servers, contexts):
    server = app_servers()
    page = contexts().new_page()
    sign_in(page, server.base_url, "Rui")
    save_reflection(page, "saved before the freeze")
    page.evaluate("window.sameDocument = true")
    card = reflection_card(page)
    card.locator("textarea").fill("typed after the save")
    os.kill(server.process.pid, signal.SIGSTOP)
    try:
        expect(page.locator("#em-connection")).to_have_text(LOST, timeout=5_000)
        card.get_by_role("button", name="Save").click()  # pressed while frozen: not saved, and not said to be
        expect(card.locator(".em-status:visible")).to_have_text("Not saved yet")
    finally:
        os.kill(server.process.pid, signal.SIGCONT)
    expect(card.locator(".em-status:visible")).to_have_text(SAVED, timeout=WAIT)  # the Save goes through
    expect(page.locator("#em-connection")).to_have_text("", timeout=WAIT)
    card.locator("textarea").fill("typed before the restart")
    server.stop()
    expect(page.locator("#em-connection")).to_have_text(LOST, timeout=5_000)
    port = int(server.base_url.rsplit(":", 1)[1])
    app_servers(journal=server.journal_dir, port=port)
    expect(page.locator("#em-connection")).to_have_text("", timeout=60_000)
    card = reflection_card(page)
    expect(page.locator(".em-welcome")).to_contain_text("Welcome, Rui", timeout=WAIT)
    expect(card.locator("textarea")).to_have_value("typed before the restart", timeout=WAIT)
    assert page.evaluate("window.sameDocument") is True  # rebuilt in place, not reloaded
    card.locator("textarea").blur()
    wait_until_nothing_in_flight(page, WAIT)
    card.get_by_role("button", name="Save").click()
    expect(card.locator(".em-status:visible")).to_have_text(SAVED, timeout=WAIT)
    assert reflections(server.journal_dir, "Rui")[-1] == "typed before the restart"


def test_over_https_the_browser_keeps_its_sign_in_in_a_secure_cookie(app_servers, contexts, tmp_path):
    cert, key = make_certificate(tmp_path)
    server = app_servers("--cert", str(cert), "--key", str(key))
    page = contexts(ignore_https_errors=True).new_page()  # a self-signed certificate, clicked through
    sign_in(page, server.base_url, "Tess")
    [cookie] = [c for c in page.context.cookies() if c["name"] == "__Host-" + SESSION_COOKIE]
    assert cookie["secure"] and cookie["httpOnly"] and cookie["sameSite"] == "Strict"
    page.reload()
    expect(page.locator(".em-welcome")).to_contain_text("Welcome, Tess", timeout=WAIT)

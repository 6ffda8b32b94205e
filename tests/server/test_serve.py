"""`python -m extramile serve` seen over HTTP and its websocket, as a client in the room would see it.

Why a real subprocess: what a room can reach depends on Solara's routes, our
guard in front of them and the settings read at import, together.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import ssl
import subprocess
import sys
import time
import urllib.error
import urllib.request
import uuid
from pathlib import Path

import pytest
from websockets.exceptions import ConnectionClosed
from websockets.sync.client import connect

from extramile import content
from extramile.server import addresses, serve

REPO = Path(__file__).resolve().parents[2]
SECRET = "PRIVATE-ANSWER-7f3a"


def fetch(url: str, headers: dict | None = None) -> tuple[int, dict, str]:
    """(status, headers, body), without following redirects into a browser's view."""
    request = urllib.request.Request(url, headers=headers or {})
    try:
        with urllib.request.urlopen(request, timeout=60) as response:
            return response.status, dict(response.headers), response.read().decode("utf-8", "replace")
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read().decode("utf-8", "replace")


@pytest.fixture(scope="module")
def served(app_servers):
    server = app_servers()
    (server.journal_dir / "alice-1a2b3c4d5e6f.jsonl").write_text(json.dumps({"answer": SECRET}) + "\n")
    return server


def test_prints_the_url_participants_type(served):
    assert served.announced.startswith(f"Extra Mile is ready. Participants open: {served.base_url}/")


@pytest.mark.parametrize("name", content.PARTICIPANT_NOTEBOOKS)
def test_every_page_of_the_day_has_an_address(served, name):
    status, _headers, body = fetch(served.base_url + content.route_of(name))
    assert status == 200 and "<title>Extra Mile</title>" in body


def test_pages_send_privacy_headers_and_an_http_only_session_cookie(served):
    status, headers, body = fetch(served.base_url + "/")
    assert status == 200
    assert headers["referrer-policy"] == "same-origin"  # no Referer to other sites
    assert "connect-src 'self'" in headers["content-security-policy"]
    assert headers["x-frame-options"] == "DENY"
    cookie = headers["set-cookie"]
    assert cookie.startswith("solara-session-id=") and "HttpOnly" in cookie and "SameSite=lax" in cookie
    session_id = cookie.split("=", 1)[1].split(";", 1)[0]
    assert session_id not in body  # the id a sign-in is bound to is never in the page


def test_the_page_loads_nothing_from_another_machine(served):
    _status, _headers, body = fetch(served.base_url + "/")
    loaded = re.findall(r'(?:src|href)="([^"]+)"', body)
    assert loaded and all(not re.match(r"(?:https?:)?//", url) for url in loaded), loaded


@pytest.mark.parametrize("path", [
    "/alice-1a2b3c4d5e6f.jsonl", "/journal/alice-1a2b3c4d5e6f.jsonl", "/static/assets/../alice-1a2b3c4d5e6f.jsonl",
    "/static/assets/%2E%2E/%2E%2E/journal/alice-1a2b3c4d5e6f.jsonl", "/_solara/cdn/../../alice-1a2b3c4d5e6f.jsonl",
    "/static/public/alice-1a2b3c4d5e6f.jsonl", "/static/assets/custom.css/../../../alice-1a2b3c4d5e6f.jsonl",
    "/api/contents", "/api/kernels", "/voila/render/group_summary.ipynb", "/notebooks/group_summary.ipynb",
])
def test_no_address_reaches_a_journal_file(served, path):
    _status, _headers, body = fetch(served.base_url + path)
    assert SECRET not in body


def test_the_browser_cannot_run_code_in_the_server(served, tmp_path):
    """The app speaks the widget protocol only: an execute request over the page's websocket runs nothing."""
    marker = tmp_path / "ran"
    code = f"open({str(marker)!r}, 'w').write('x')"
    url = (served.base_url.replace("http", "ws") + f"/jupyter/api/kernels/{uuid.uuid4()}/channels"
           f"?session_id={uuid.uuid4()}")
    replies = []
    with connect(url, open_timeout=30, origin=served.base_url) as socket:
        def send(msg_type: str, msg_content: dict) -> None:
            header = {"msg_id": uuid.uuid4().hex, "msg_type": msg_type, "session": uuid.uuid4().hex,
                      "username": "", "version": "5.3", "date": ""}
            socket.send(json.dumps({"header": header, "parent_header": {}, "metadata": {}, "content": msg_content,
                                    "channel": "shell", "buffers": []}))

        send("kernel_info_request", {})  # first prove the socket speaks the protocol
        while "kernel_info_reply" not in replies:
            replies.append(json.loads(socket.recv(timeout=30))["header"]["msg_type"])
        send("execute_request", {"code": code, "silent": False})
        with pytest.raises(ConnectionClosed):
            while True:
                replies.append(json.loads(socket.recv(timeout=30))["header"]["msg_type"])
    assert "execute_reply" not in replies and "execute_result" not in replies
    assert not marker.exists()


def test_a_flood_of_page_requests_from_one_address_gets_a_kind_busy_page(app_servers):
    server = app_servers(env={"EXTRAMILE_PAGE_LOADS_PER_MINUTE": "10"})
    answers = [fetch(server.base_url + "/") for _ in range(14)]
    assert [status for status, _, _ in answers[:10]] == [200] * 10
    status, headers, body = answers[-1]
    assert status == 503 and headers["retry-after"] == "5"
    assert "The room is busy" in body and 'http-equiv="refresh"' in body
    assert headers["referrer-policy"] == "same-origin"
    assert fetch(server.base_url + "/static/assets/custom.css")[0] == 200  # the page's own files still load


def test_solara_is_set_for_a_room_before_it_is_imported(tmp_path):
    """No telemetry, production mode, HttpOnly cookie, abandoned tabs freed after a minute (and rebuilt in place
    if they come back), assets from disk."""
    probe = (
        "import sys; from pathlib import Path; from extramile.server import serve\n"
        f"serve.configure_environment(Path({str(tmp_path)!r}))\n"
        "import solara.server.settings as s, solara.settings as ss\n"
        "print(s.telemetry.mixpanel_enable, s.main.mode, s.session.http_only, s.kernel.cull_timeout,"
        " s.state.auto_remount, ss.assets.proxy, s.theme.show_banner, ss.assets.cdn)\n"
    )
    env = {key: value for key, value in os.environ.items() if key != "EXTRAMILE_TAB_TIMEOUT"}
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, cwd=REPO, check=True, env=env)
    assert out.stdout.split() == ["False", "production", "True", "60s", "True", "True", "False",
                                  serve.CLOSED_PORT_CDN]


def test_lan_address_prefers_a_real_private_interface():
    candidates = [("lo", "127.0.0.1"), ("docker0", "172.17.0.1"), ("eth0", "81.2.69.160"),
                  ("wlan0", "192.168.1.23"), ("eth1", "169.254.3.3")]
    assert addresses.pick_lan_address(candidates) == "192.168.1.23"
    assert addresses.pick_lan_address([("lo", "127.0.0.1")]) is None
    assert addresses.participant_url("10.0.0.5", 8866) == "http://10.0.0.5:8866/"


def test_listening_on_all_addresses_prints_the_lan_address(monkeypatch):
    monkeypatch.setattr(addresses, "lan_address", lambda: "192.168.1.23")
    assert addresses.participant_url("0.0.0.0", 8866) == "http://192.168.1.23:8866/"


def test_defaults_are_the_journal_variable_host_and_port(tmp_path, monkeypatch):
    monkeypatch.setenv("EXTRAMILE_JOURNAL_DIR", str(tmp_path / "j"))
    for name in ("HOST", "PORT"):
        monkeypatch.delenv(name, raising=False)
    parser = argparse.ArgumentParser()
    serve.add_arguments(parser)
    args = parser.parse_args([])
    assert (args.journal, args.host, args.port) == (tmp_path / "j", "127.0.0.1", 8866)


def test_a_port_in_use_is_an_error_not_another_port(served, tmp_path):
    port = served.base_url.rsplit(":", 1)[1]
    result = subprocess.run([sys.executable, "-m", "extramile", "serve", "--port", port, "--journal", str(tmp_path)],
                            capture_output=True, text=True, cwd=REPO, timeout=120)
    assert result.returncode != 0 and "Participants open" not in result.stdout


def test_the_console_address_and_a_new_passphrase_are_printed_and_the_passphrase_is_never_stored(app_servers):
    server = app_servers(env={"FACILITATOR_PASSPHRASE": ""})
    deadline = time.monotonic() + 30
    while not any(line.startswith("Facilitator console") for line in server.output) and time.monotonic() < deadline:
        time.sleep(0.1)
    line = next(line for line in server.output if line.startswith("Facilitator console"))
    assert f"{server.base_url}/facilitator" in line
    passphrase = re.search(r"passphrase: (\S+) \(new at every start", line).group(1)
    assert re.fullmatch(r"[a-z]+-[a-z]+-[a-z]+-[a-z]+-\d\d\d", passphrase)
    fetch(server.base_url + "/")
    stored = b"".join(p.read_bytes() for p in server.journal_dir.rglob("*") if p.is_file())
    assert passphrase.encode() not in stored


def make_certificate(folder: Path) -> tuple[Path, Path]:
    """A self-signed certificate for 127.0.0.1, made with the command facilitator_guide.md gives."""
    cert, key = folder / "cert.pem", folder / "key.pem"
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "30", "-keyout", str(key),
                    "-out", str(cert), "-subj", "/CN=Extra Mile", "-addext", "subjectAltName=IP:127.0.0.1"],
                   check=True, capture_output=True)
    return cert, key


def test_with_a_certificate_the_room_is_served_over_https_only(app_servers, tmp_path):
    cert, key = make_certificate(tmp_path)
    server = app_servers("--cert", str(cert), "--key", str(key))
    assert server.announced.startswith(f"Extra Mile is ready. Participants open: {server.base_url}/")
    assert server.base_url.startswith("https://")
    trusted = ssl.create_default_context(cafile=str(cert))
    with urllib.request.urlopen(server.base_url + "/", context=trusted, timeout=60) as answer:
        assert answer.status == 200 and "<title>Extra Mile</title>" in answer.read().decode()
    with pytest.raises((urllib.error.URLError, ConnectionError)):  # plain HTTP is not answered
        urllib.request.urlopen(server.base_url.replace("https", "http") + "/", timeout=60)


def test_over_https_the_session_cookie_is_secure_and_host_only(monkeypatch):
    from extramile.identity.sessions import PARTICIPANT
    from extramile.room.session_cookie import set_cookie

    assert set_cookie(PARTICIPANT, "abc") == b"extramile-session=abc; Path=/; Max-Age=43200; HttpOnly; SameSite=Strict"
    monkeypatch.setenv("EXTRAMILE_TLS", "1")
    assert set_cookie(PARTICIPANT, "abc").endswith(b"; HttpOnly; SameSite=Strict; Secure")
    assert set_cookie(PARTICIPANT, None).startswith(b"__Host-extramile-session=; Path=/; Max-Age=0")

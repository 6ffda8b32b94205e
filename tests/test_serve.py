"""`python -m extramile serve` seen over HTTP, as a browser in the room would see it.

Why a real subprocess: what matters is which URLs answer, and that depends on
Voila's routing, our handler changes and the config together. The served folder
holds placeholder participant notebooks plus everything that must stay out of
reach: the facilitator's summary, a journal folder inside the served folder
(the worst case), code, and a folder beside it reached by `..`.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import queue
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

import nbformat
import pytest

from extramile import serve

REPO = Path(__file__).resolve().parent.parent


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def write_notebook(path: Path, *cells) -> None:
    nb = nbformat.v4.new_notebook(cells=list(cells))
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nbformat.write(nb, path)


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    root = tmp_path_factory.mktemp("serve")
    notebooks, journal = root / "notebooks", root / "notebooks" / "journal"
    (root / "outside").mkdir()
    journal.mkdir(parents=True)
    for name in serve.SERVED_NOTEBOOKS:
        write_notebook(notebooks / name, nbformat.v4.new_markdown_cell(f"# Page {name}"),
                       nbformat.v4.new_code_cell("# CODE-MARKER-7\nprint('ran ' + 'ok')"))
    write_notebook(notebooks / "group_summary.ipynb", nbformat.v4.new_markdown_cell("# Facilitator"))
    (notebooks / "helper.py").write_text("SECRET = 1\n")
    (journal / "alice-1a2b.jsonl").write_text('{"answer": "private"}\n')
    (journal / "pic.png").write_bytes(b"\x89PNG journal")
    (root / "outside" / "x.png").write_bytes(b"\x89PNG outside")
    (notebooks / "logo.png").write_bytes(b"\x89PNG logo")

    with running_serve(notebooks, journal, "--cull-idle-timeout", "3", "--cull-interval", "1") as server:
        yield server


@contextlib.contextmanager
def running_serve(notebooks: Path, journal: Path, *extra: str):
    """Start `python -m extramile serve` on a free port; yield once it printed its URL line."""
    port = free_port()
    env = {**os.environ, "EXTRAMILE_JOURNAL_DIR": str(journal)}
    env.pop("HOST", None)
    proc = subprocess.Popen(
        [sys.executable, "-m", "extramile", "serve", "--port", str(port), "--notebooks", str(notebooks),
         *extra],
        cwd=REPO, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
    )
    lines: queue.Queue[str] = queue.Queue()
    threading.Thread(target=lambda: [lines.put(line) for line in proc.stdout], daemon=True).start()
    announced, deadline = None, time.monotonic() + 60
    while announced is None and time.monotonic() < deadline and proc.poll() is None:
        try:
            line = lines.get(timeout=0.5)
        except queue.Empty:
            continue
        if "Participants open:" in line:
            announced = line.strip()
    try:
        assert announced, "serve never printed its URL line"
        yield {"base": f"http://127.0.0.1:{port}", "port": port, "line": announced}
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()


def fetch(url: str) -> tuple[int, str, str]:
    """(status, final URL after redirects, body)."""
    try:
        with urllib.request.urlopen(url, timeout=60) as response:
            return response.status, response.url, response.read().decode("utf-8", "replace")
    except urllib.error.HTTPError as error:
        return error.code, error.url, ""


def test_prints_the_url_participants_type(served):
    url = f"http://127.0.0.1:{served['port']}/"
    assert served["line"].startswith(f"Extra Mile is ready. Participants open: {url}")


def test_root_lands_on_the_welcome_page_with_its_query(served):
    status, url, body = fetch(served["base"] + "/?s=tok123")
    assert status == 200
    assert url == served["base"] + "/voila/render/00_welcome.ipynb?s=tok123"
    assert "Page 00_welcome.ipynb" in body and "ran ok" in body
    assert "CODE-MARKER-7" not in body  # sources are stripped
    assert "data-jp-theme-name=\"JupyterLab Light\"" in body


@pytest.mark.parametrize("path", [
    "/voila/render/group_summary.ipynb", "/voila/render/./group_summary.ipynb",
    "/voila/render/journal/alice-1a2b.jsonl", "/voila/render/helper.py",
    "/voila/files/group_summary.ipynb", "/voila/files/00_welcome.ipynb", "/voila/files/helper.py",
    "/voila/files/journal/alice-1a2b.jsonl", "/voila/files/journal/pic.png", "/voila/render/journal/pic.png",
    "/voila/files/../outside/x.png", "/voila/files/%2E%2E/outside/x.png",
    "/voila/tree", "/voila/tree/", "/voila/tree/journal", "/tree", "/voila/api/contents",
    "/voila/api/contents/journal", "/api/contents", "/api/kernels", "/api/sessions",
    "/files/group_summary.ipynb",
    "/notebooks/group_summary.ipynb", "/lab", "/voila/render/00_welcome.ipynb/../group_summary.ipynb",
])
def test_nothing_else_is_reachable(served, path):
    status, _, _ = fetch(served["base"] + path)
    assert status in (403, 404), path


def test_pictures_beside_the_notebooks_are_served(served):
    assert fetch(served["base"] + "/voila/files/logo.png")[0] == 200


def test_kernel_of_a_page_nobody_holds_open_is_culled(served):
    _, _, body = fetch(served["base"] + "/voila/render/01_notice_small_opportunities.ipynb")
    config = body.split('id="jupyter-config-data" type="application/json">', 1)[1].split("</script>", 1)[0]
    kernel = served["base"] + "/api/kernels/" + json.loads(config)["kernelId"]
    assert fetch(kernel)[0] == 200
    deadline = time.monotonic() + 30
    while fetch(kernel)[0] == 200 and time.monotonic() < deadline:
        time.sleep(0.5)
    assert fetch(kernel)[0] == 404


def test_lan_address_prefers_a_real_private_interface():
    candidates = [("lo", "127.0.0.1"), ("docker0", "172.17.0.1"), ("eth0", "81.2.69.160"),
                  ("wlan0", "192.168.1.23"), ("eth1", "169.254.3.3")]
    assert serve.pick_lan_address(candidates) == "192.168.1.23"
    assert serve.pick_lan_address([("lo", "127.0.0.1")]) is None
    assert serve.participant_url("10.0.0.5", 8866) == "http://10.0.0.5:8866/"


def test_listening_on_all_addresses_prints_the_lan_address(monkeypatch):
    monkeypatch.setattr(serve, "lan_address", lambda: "192.168.1.23")
    assert serve.participant_url("0.0.0.0", 8866) == "http://192.168.1.23:8866/"


def test_defaults_are_the_real_notebooks_and_the_journal_variable(tmp_path, monkeypatch):
    monkeypatch.setenv("EXTRAMILE_JOURNAL_DIR", str(tmp_path / "j"))
    for name in ("HOST", "PORT", "EXTRAMILE_CULL_IDLE_TIMEOUT", "EXTRAMILE_CULL_INTERVAL"):
        monkeypatch.delenv(name, raising=False)
    parser = argparse.ArgumentParser()
    serve.add_arguments(parser)
    args = parser.parse_args([])
    assert (args.notebooks, args.journal) == (REPO / "notebooks", tmp_path / "j")
    assert (args.host, args.port) == ("127.0.0.1", 8866)
    assert (args.cull_idle_timeout, args.cull_interval) == (serve.CULL_IDLE_TIMEOUT, serve.CULL_INTERVAL)


def test_the_real_welcome_page_renders_at_root(tmp_path):
    welcome = nbformat.read(REPO / "notebooks" / serve.WELCOME, as_version=4)
    title = next(c.source for c in welcome.cells if c.cell_type == "markdown").splitlines()[0].lstrip("# ")
    with running_serve(REPO / "notebooks", tmp_path / "journal") as server:
        status, url, body = fetch(server["base"] + "/")
        assert (status, url) == (200, server["base"] + "/voila/render/00_welcome.ipynb")
        assert title in body and "There was an error" not in body
        assert fetch(server["base"] + "/voila/render/group_summary.ipynb")[0] == 404

"""Fixtures for browser tests: Debian's Chromium driven by Playwright, and `extramile serve`.

Why Debian's Chromium: Playwright's own browser download cannot work on these
machines, while `apt-get install chromium` does. Why a subprocess for the
server: the tests then see exactly what `make workshop` serves, on a free port
of 127.0.0.1, with a journal folder of their own.
"""

from __future__ import annotations

import os
import queue
import socket
import subprocess
import sys
import threading
import time
from dataclasses import dataclass
from pathlib import Path

import nbformat
import pytest

REPO = Path(__file__).resolve().parents[2]
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic"]
SCREENSHOTS = REPO / "test-output"


def pytest_collection_modifyitems(items):
    """Everything under tests/browser is a `browser` test (`-m "not browser"` skips them)."""
    here = Path(__file__).parent
    for item in items:
        if here in Path(item.fspath).parents:
            item.add_marker(pytest.mark.browser)


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


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1200, "height": 900})
    yield context.new_page()
    context.close()


@dataclass
class VoilaServer:
    base_url: str  # ends without a slash: base_url + "/" is what participants type
    journal_dir: Path
    announced: str  # the line serve printed for the facilitator
    process: subprocess.Popen


def _serve(tmp_path_factory):
    """Factory: `start(notebooks_dir, *extra_serve_args)` starts serve and waits for its URL line.

    Each server gets an empty journal folder (EXTRAMILE_JOURNAL_DIR) and is
    stopped with SIGTERM, which makes Voila shut its kernels down, when the
    fixture ends.
    """
    started: list[VoilaServer] = []

    def start(notebooks: Path, *extra: str, env: dict[str, str] | None = None) -> VoilaServer:
        journal = tmp_path_factory.mktemp("journal")
        port = free_port()
        full_env = {**os.environ, **(env or {}), "EXTRAMILE_JOURNAL_DIR": str(journal)}
        process = subprocess.Popen(
            [sys.executable, "-m", "extramile", "serve", "--host", "127.0.0.1", "--port", str(port),
             "--notebooks", str(notebooks), *extra],
            cwd=REPO, env=full_env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
        )
        server = VoilaServer(f"http://127.0.0.1:{port}", journal, wait_for_url_line(process), process)
        started.append(server)
        return server

    yield start
    for server in started:
        server.process.terminate()
        try:
            server.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            server.process.kill()


@pytest.fixture
def voila_server(tmp_path_factory):
    """Factory: `voila_server(notebooks_dir, *extra_serve_args)`; servers stop after the test."""
    yield from _serve(tmp_path_factory)


@pytest.fixture(scope="module")
def module_voila_server(tmp_path_factory):
    """The same factory for a module whose tests tell one story on one server (a render costs seconds)."""
    yield from _serve(tmp_path_factory)


@pytest.fixture
def placeholder_notebooks(tmp_path) -> Path:
    """A welcome notebook with a Text and a Button, for tests that must not depend on the real content.

    The click writes "Hello <name>" and the kernel's journal folder; a label shows the page's query string.
    """
    folder = tmp_path / "notebooks"
    folder.mkdir()
    code = (
        "import os\nimport ipywidgets as w\nfrom extramile.page_request import query_string\n"
        "name = w.Text(placeholder='Your name')\nhello = w.Button(description='Say hello')\n"
        "greeting, query = w.HTML(), w.HTML('query=' + query_string())\n"
        "def greet(_):\n"
        "    greeting.value = 'Hello ' + name.value + ' journal=' + os.environ['EXTRAMILE_JOURNAL_DIR']\n"
        "hello.on_click(greet)\nw.VBox([name, hello, greeting, query])"
    )
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_markdown_cell("# Placeholder welcome"),
                                         nbformat.v4.new_code_cell(code)])
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nbformat.write(nb, folder / "00_welcome.ipynb")
    return folder


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for_url_line(process: subprocess.Popen, timeout: float = 60) -> str:
    lines: queue.Queue[str] = queue.Queue()
    threading.Thread(target=lambda: [lines.put(line) for line in process.stdout], daemon=True).start()
    seen, deadline = [], time.monotonic() + timeout
    while time.monotonic() < deadline and process.poll() is None:
        try:
            line = lines.get(timeout=0.5)
        except queue.Empty:
            continue
        seen.append(line)
        if "Participants open:" in line:
            return line.strip()
    process.kill()
    raise RuntimeError("extramile serve did not start:\n" + "".join(seen[-30:]))

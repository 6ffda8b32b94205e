"""Shared fixtures: every test gets its own journal folder, never the real journal/; app servers to test against."""

import html.parser
import os
import queue
import socket
import subprocess
import sys
import threading
import time
from dataclasses import dataclass
from pathlib import Path

import pytest

from extramile.store.journal import Journal

REPO = Path(__file__).resolve().parent.parent
MARKED_FOLDERS = ("browser", "hub")  # tests/browser are `browser` tests, tests/hub `hub` tests


def pytest_collection_modifyitems(items):
    """Mark every test by its folder, so `-m "not browser"` or `-m "not hub"` leaves those out."""
    here = Path(__file__).parent
    for item in items:
        for folder in MARKED_FOLDERS:
            if here / folder in Path(item.fspath).parents:
                item.add_marker(getattr(pytest.mark, folder))


SERIAL_FOLDERS = ("tests/hub/",)


@pytest.hookimpl(optionalhook=True)
def pytest_xdist_make_scheduler(config, log):
    """`make test` runs on two workers (pytest-xdist) and hands each a whole group: a file, so a module's
    server starts once and its tests keep their order, or a whole folder of SERIAL_FOLDERS. The hub tests
    share one trial hub and the machine's OS users. Two browser files may run at once, each with its own
    Chromium and server: their waits are on conditions, so they hold on two busy cores. (xdist's own
    `--dist loadgroup` cannot group under pytest 9, which no longer lets a plugin rename node ids.)
    """
    from xdist.scheduler import LoadScopeScheduling

    class Groups(LoadScopeScheduling):
        def _split_scope(self, nodeid: str) -> str:
            return next((folder for folder in SERIAL_FOLDERS if nodeid.startswith(folder)),
                        nodeid.split("::", 1)[0])

    return Groups(config, log)


class Shown(html.parser.HTMLParser):
    """What a browser shows of a page or snippet: its text, the elements it creates, bold words, paragraphs, rows.

    Tests of escaping ask this rather than look for one library's entity spelling
    (`&#x27;` and `&#39;` are the same apostrophe on screen).
    """

    def __init__(self, markup: str):
        super().__init__(convert_charrefs=True)
        self.tags: list[str] = []
        self.attributes: list[dict[str, str | None]] = []
        self.texts: list[str] = []
        self.bold: list[str] = []
        self.paragraphs: list[str] = []
        self.rows: list[list[str]] = []
        self._open: list[str] = []
        self.feed(str(markup))
        self.close()
        self.text = " ".join(" ".join(self.texts).split())

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        self.attributes.append(dict(attrs))
        if tag not in ("img", "meta", "br", "input", "link"):
            self._open.append(tag)
        if tag == "p":
            self.paragraphs.append("")
        elif tag == "tr":
            self.rows.append([])
        elif tag in ("td", "th") and self.rows:
            self.rows[-1].append("")

    def handle_endtag(self, tag):
        if tag in self._open:
            del self._open[len(self._open) - 1 - self._open[::-1].index(tag):]

    def handle_data(self, data):
        if "style" in self._open or "title" in self._open:
            return
        self.texts.append(data)
        if "b" in self._open:
            self.bold.append(data)
        if "p" in self._open and self.paragraphs:
            self.paragraphs[-1] += data
        if {"td", "th"} & set(self._open) and self.rows and self.rows[-1]:
            self.rows[-1][-1] += data


def shows_as_text(markup: str, typed: str) -> bool:
    """True when `typed` appears on the page as text and made no element or event handler of its own."""
    shown = Shown(markup)
    made_handler = any(name.startswith("on") for attributes in shown.attributes for name in attributes)
    made_element = "script" in shown.tags or "img" in shown.tags
    return " ".join(typed.split()) in shown.text and not made_element and not made_handler


def sign_in(bar, name: str = "Zoë", team: str = "Blue", passphrase: str = "lemon squeezer") -> None:
    """Type into a page's sign-in bar and press Sign in, as a participant does."""
    bar.name.value, bar.team.value, bar.passphrase.value = name, team, passphrase
    bar.sign_in_button.click()


def joined(journal, who: str, team: str) -> dict:
    """The entry a first sign-in writes: the participant and their team, nothing else."""
    return journal.append(participant=who, team=team, kind="profile", answer={"team": team})


@pytest.fixture(autouse=True)
def isolated_journal_dir(tmp_path, monkeypatch):
    directory = tmp_path / "journal"
    monkeypatch.setenv("EXTRAMILE_JOURNAL_DIR", str(directory))
    monkeypatch.delenv("JUPYTERHUB_USER", raising=False)
    return directory


@pytest.fixture
def workshop_yaml(tmp_path, monkeypatch):
    """Run a test under another workshop.yaml (checked as the real one is), for every page at once."""
    from extramile.content import workshop_choices
    from extramile.content.content_files import EXERCISES_DIR

    def choose(text: str):
        directory = tmp_path / "chosen-exercises"
        directory.mkdir(exist_ok=True)
        (directory / "habits.yaml").write_text((EXERCISES_DIR / "habits.yaml").read_text(encoding="utf-8"),
                                               encoding="utf-8")
        (directory / "workshop.yaml").write_text(text, encoding="utf-8")
        chosen = workshop_choices.workshop(directory)
        monkeypatch.setattr(workshop_choices, "workshop", lambda directory=None: chosen)
        workshop_choices._team_habits.cache_clear()
        return chosen
    yield choose
    workshop_choices._team_habits.cache_clear()


@pytest.fixture
def journal(isolated_journal_dir):
    return Journal(isolated_journal_dir)



def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@dataclass
class AppServer:
    """`python -m extramile serve` running in a subprocess, as `make workshop` runs it."""

    base_url: str  # without the trailing slash: base_url + "/" is what participants type
    journal_dir: Path
    announced: str  # the line serve printed for the facilitator
    process: subprocess.Popen
    output: list[str]

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.process.kill()


def start_app(journal: Path, *extra: str, env: dict[str, str] | None = None, port: int | None = None) -> AppServer:
    """Start the participant app on a free port (or `port`) of 127.0.0.1 and wait for its URL line."""
    port = port or free_port()
    full_env = {**os.environ, **(env or {}), "EXTRAMILE_JOURNAL_DIR": str(journal)}
    full_env.pop("HOST", None)
    process = subprocess.Popen(
        [sys.executable, "-m", "extramile", "serve", "--host", "127.0.0.1", "--port", str(port), *extra],
        cwd=REPO, env=full_env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
    )
    output: list[str] = []
    announced = _wait_for_url_line(process, output)
    scheme = "https" if "--cert" in extra else "http"
    return AppServer(f"{scheme}://127.0.0.1:{port}", journal, announced, process, output)


def _wait_for_url_line(process: subprocess.Popen, output: list[str], timeout: float = 90) -> str:
    lines: queue.Queue[str] = queue.Queue()

    def read() -> None:
        for line in process.stdout:
            output.append(line)
            lines.put(line)
    threading.Thread(target=read, daemon=True).start()
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and process.poll() is None:
        try:
            line = lines.get(timeout=0.5)
        except queue.Empty:
            continue
        if "Participants open:" in line:
            return line.strip()
    process.kill()
    raise RuntimeError("extramile serve did not start:\n" + "".join(output[-30:]))


@pytest.fixture(scope="session")
def app_servers(tmp_path_factory):
    """Factory: `app_servers(*serve_args, env=...)` starts a server with its own journal; all stop at the end.

    `journal=` and `port=` start it on another server's journal and port: the same server, restarted.
    """
    started: list[AppServer] = []

    def start(*extra: str, env: dict[str, str] | None = None, journal: Path | None = None,
              port: int | None = None) -> AppServer:
        server = start_app(journal or tmp_path_factory.mktemp("journal"), *extra, env=env, port=port)
        started.append(server)
        return server

    yield start
    for server in started:
        server.stop()


@pytest.fixture
def journal_service(tmp_path):
    """The real journal service (routes, access rules, store) in this process; tokens from a stand-in hub."""
    from tests.service_in_process import ServiceInProcess

    service = ServiceInProcess(tmp_path / "service-store")
    yield service
    service.close()

"""The room on one machine: `extramile serve` with 20 participants at once, in Debian's Chromium.

Budgets, each against a notebook with one button served by the same server in the same run:

- render: a lesson page's first render (every exercise card visible) within 1.5x of the one-button page;
- load: 20 participants each sign in and save 10 answers at once; no answer is lost (the journal
  holds exactly 20 x 10 answers plus 20 profiles), save latency p95 (click to "Saved" on screen)
  within 3x of a bare widget round trip (click, the kernel sets a label) made by 20 pages at once,
  and server memory per participant within 1.3x of a one-button page's (same per-page sum).

The 20 click together: they wait for each other before and after each page's saves, so a save is
timed against other saves, as the bare clicks are, and never against a page render. How long the
pages take when 20 open at once is printed too, without a budget: here the 20 browser tabs share
the server's cores, which a room's laptops do not.

Why the one-button page is called `weekly_journal.ipynb`: serve renders participant notebook
names only, and the baseline must come from the same server, template and settings as the
lessons. The served folder is a temporary copy of the five lesson notebooks plus that page.
"""

from __future__ import annotations

import asyncio
import queue
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import nbformat
import psutil

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from budget import OUTPUT, Budget, median, percentile, report  # noqa: E402

from extramile.journal import Journal  # noqa: E402
from tests.browser.widget_sync import NOTHING_IN_FLIGHT  # noqa: E402

REPO = Path(__file__).resolve().parent.parent
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic"]
LESSONS = {"00_welcome": 3, "01_notice_small_opportunities": 6, "02_positive_mindset": 6,
           "03_never_an_inconvenience": 6, "04_commitments": 4}  # notebook -> exercise cards
ONE_BUTTON = "weekly_journal"  # an allowed page name, see the module docstring
PARTICIPANTS = 20
SAVES = {"02_positive_mindset": 6, "03_never_an_inconvenience": 4}  # 10 answers, two pages, one sign-in
RENDER_RUNS = 5
TIMEOUT_MS = 180_000
SERVER_LOG = "bench_voila-serve.log"

ONE_BUTTON_CODE = (
    "import ipywidgets as w\n"
    "button, status = w.Button(description='Save'), w.HTML()\n"
    "clicks = [0]\n"
    "def save(_):\n"
    "    clicks[0] += 1\n"
    "    status.value = f'Saved {clicks[0]}'\n"
    "button.on_click(save)\n"
    "w.HBox([button, status])"
)

# Time from the click to the confirmation on screen, measured in the page (no Python in between).
CLICK_TO_TEXT = """([root, wanted, timeout]) => new Promise((resolve, reject) => {
    const pattern = new RegExp(wanted);
    const button = [...root.querySelectorAll('button')].find(b => b.textContent.trim() === 'Save');
    const shown = () => [...root.querySelectorAll('.widget-html-content')]
        .some(e => pattern.test(e.textContent));
    const start = performance.now();
    const observer = new MutationObserver(() => {
        if (shown()) { observer.disconnect(); resolve(performance.now() - start); }
    });
    observer.observe(root, {subtree: true, childList: true, characterData: true});
    document.activeElement?.blur();  // as a real click does first: a field that syncs on blur sends now
    button.click();
    setTimeout(() => {
        observer.disconnect();
        reject(new Error('no ' + wanted + ' after ' + timeout + ' ms'));
    }, timeout);
})"""


def one_button_notebook() -> nbformat.NotebookNode:
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(ONE_BUTTON_CODE)])
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    return nb


def served_folder(root: Path) -> Path:
    folder = root / "notebooks"
    folder.mkdir()
    for name in LESSONS:
        shutil.copy(REPO / "notebooks" / f"{name}.ipynb", folder)
    nbformat.write(one_button_notebook(), folder / f"{ONE_BUTTON}.ipynb")
    return folder


class Server:
    """`python -m extramile serve` on a free port of 127.0.0.1, with its own journal folder."""

    def __init__(self, notebooks: Path, journal: Path):
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            self.port = s.getsockname()[1]
        self.journal = journal
        self.process = subprocess.Popen(
            [sys.executable, "-m", "extramile", "serve", "--host", "127.0.0.1", "--port", str(self.port),
             "--notebooks", str(notebooks), "--journal", str(journal)],
            cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        self._wait_until_ready()
        self.base_url = f"http://127.0.0.1:{self.port}"

    def _wait_until_ready(self, timeout: float = 60) -> None:
        lines: queue.Queue[str] = queue.Queue()
        self.log: list[str] = []  # everything serve printed, for a failure's report

        def read() -> None:
            for line in self.process.stdout:
                self.log.append(line)
                lines.put(line)
        threading.Thread(target=read, daemon=True).start()
        seen, deadline = [], time.monotonic() + timeout
        while time.monotonic() < deadline and self.process.poll() is None:
            try:
                seen.append(lines.get(timeout=0.5))
            except queue.Empty:
                continue
            if "Participants open:" in seen[-1]:
                return
        self.stop()
        raise RuntimeError("extramile serve did not start:\n" + "".join(seen[-30:]))

    def url(self, notebook: str) -> str:
        return f"{self.base_url}/voila/render/{notebook}.ipynb"

    def kernels(self) -> list[psutil.Process]:
        """The live kernels; a kernel just shut down may linger a moment as a zombie."""
        alive = []
        for process in psutil.Process(self.process.pid).children(recursive=True):
            try:
                if process.status() != psutil.STATUS_ZOMBIE and "ipykernel" in " ".join(process.cmdline()):
                    alive.append(process)
            except psutil.Error:
                pass
        return alive

    def resident_mib(self) -> float:
        """RSS of the server and every kernel it started."""
        server = psutil.Process(self.process.pid)
        processes = [server, *server.children(recursive=True)]
        total = 0
        for process in processes:
            try:
                total += process.memory_info().rss
            except psutil.Error:
                pass
        return total / 2**20

    async def settle(self, kernels: int, timeout: float = 30) -> None:
        """Wait until exactly this many kernels run (closed pages shut theirs down by beacon)."""
        deadline = time.monotonic() + timeout
        while len(self.kernels()) != kernels:
            if time.monotonic() > deadline:
                raise RuntimeError(f"{len(self.kernels())} kernels running, expected {kernels}")
            await asyncio.sleep(0.2)
        await asyncio.sleep(0.5)

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.process.kill()


async def leave(context) -> None:
    """Close like a participant closing the tab: the page's beacon shuts its kernel down."""
    for page in context.pages:
        await page.goto("about:blank")
    await context.close()


async def render_seconds(browser, server: Server, notebook: str) -> float:
    """Seconds from navigation to every exercise card (or the one button) on screen, in a fresh context."""
    context = await browser.new_context(viewport={"width": 1200, "height": 900})
    try:
        page = await context.new_page()
        start = time.perf_counter()
        await page.goto(server.url(notebook))
        if notebook == ONE_BUTTON:
            await page.get_by_role("button", name="Save").wait_for(timeout=TIMEOUT_MS)
        else:
            await page.locator(".em-card").nth(LESSONS[notebook] - 1).wait_for(timeout=TIMEOUT_MS)
        return time.perf_counter() - start
    finally:
        await leave(context)


async def render_budgets(browser, server: Server) -> list[Budget]:
    pages = [ONE_BUTTON, *LESSONS]
    for notebook in pages:  # warm-up: disk caches, first imports; not counted
        await render_seconds(browser, server, notebook)
    times: dict[str, list[float]] = {notebook: [] for notebook in pages}
    for _ in range(RENDER_RUNS):  # interleaved, so every page sees the same machine weather
        for notebook in pages:
            times[notebook].append(await render_seconds(browser, server, notebook))
    baseline = median(times[ONE_BUTTON])
    print(f"first render, median of {RENDER_RUNS}: "
          + ", ".join(f"{notebook} {median(seconds):.2f} s" for notebook, seconds in times.items()))
    return [Budget(f"first render of {notebook} (all cards) vs one-button page", median(times[notebook]),
                   baseline, 1.5) for notebook in LESSONS]


async def click_latencies(page, root_selector: str, wanted: str) -> float:
    root = await page.query_selector(root_selector)
    return await page.evaluate(CLICK_TO_TEXT, [root, wanted, TIMEOUT_MS]) / 1000


@dataclass
class Crowd:
    """What the visitors leave behind: their browser contexts and how long their pages took under load."""

    contexts: list = field(default_factory=list)
    renders: list[float] = field(default_factory=list)
    barrier: asyncio.Barrier = field(default_factory=lambda: asyncio.Barrier(PARTICIPANTS))

    async def all_ready(self) -> None:
        """Wait for everyone, so clicks are timed together and never while someone's page renders."""
        async with asyncio.timeout(TIMEOUT_MS / 1000):
            await self.barrier.wait()


async def one_button_visitor(browser, server: Server, _number: int, crowd: Crowd) -> list[float]:
    context = await browser.new_context(viewport={"width": 1200, "height": 900})
    crowd.contexts.append(context)
    page = await context.new_page()
    page.set_default_timeout(TIMEOUT_MS)
    await page.goto(server.url(ONE_BUTTON))
    await page.get_by_role("button", name="Save").wait_for()
    await crowd.all_ready()
    return [await click_latencies(page, ".widget-hbox", f"^Saved {n}$") for n in range(1, 11)]


async def fill(card) -> None:
    """Any answer will do: text in every box, the first response of a scenario."""
    for box in await card.locator("textarea").all():
        await box.fill("A customer asked; I walked them to the shelf and it took 45 seconds.")
    radios = card.get_by_role("radio")
    if await radios.count():
        await radios.first.check()


async def participant(browser, server: Server, number: int, crowd: Crowd) -> list[float]:
    """Open the first page, sign in, save its answers; follow the link to the next page, save there."""
    context = await browser.new_context(viewport={"width": 1200, "height": 900})
    crowd.contexts.append(context)
    page = await context.new_page()
    page.set_default_timeout(TIMEOUT_MS)
    latencies = []
    for position, (notebook, saves) in enumerate(SAVES.items()):
        start = time.perf_counter()
        if position == 0:
            await page.goto(server.url(notebook))
        else:
            await page.locator(".em-next a", has_text="→").click()
            await page.wait_for_url(f"**/{notebook}.ipynb?s=*")
        cards = page.locator(".em-card")
        await cards.nth(LESSONS[notebook] - 1).wait_for()
        crowd.renders.append(time.perf_counter() - start)
        if position == 0:
            await page.get_by_placeholder("Your name").fill(f"Participant {number}")
            await page.get_by_placeholder("Your team").fill(f"Team {number % 4}")
            await page.get_by_placeholder("At least 4 characters").fill(f"passphrase {number}")
            await page.get_by_role("button", name="Sign in").click()
            await page.locator(".em-welcome").wait_for()
        await crowd.all_ready()
        for n in range(saves):
            card = cards.nth(n)
            await fill(card)
            await page.wait_for_function(NOTHING_IN_FLIGHT)
            root = await card.element_handle()
            milliseconds = await page.evaluate(CLICK_TO_TEXT, [root, r"^Saved \d\d:\d\d", TIMEOUT_MS])
            latencies.append(milliseconds / 1000)
        await crowd.all_ready()  # nobody's next page renders while others still save
    return latencies


async def at_once(server: Server, visitor, browser) -> tuple[list[float], float, Crowd]:
    """PARTICIPANTS visitors at once; their latencies and the memory with all their pages still open."""
    crowd = Crowd()
    try:
        results = await asyncio.gather(*(visitor(browser, server, i, crowd) for i in range(PARTICIPANTS)))
        await server.settle(kernels=PARTICIPANTS)
        memory = server.resident_mib()
    finally:
        await asyncio.gather(*(leave(context) for context in crowd.contexts))
    await server.settle(kernels=0)
    return [seconds for latencies in results for seconds in latencies], memory, crowd


def lost_answers(journal: Path) -> list[str]:
    """What the journal lacks after the load (empty when every answer is there, exactly once)."""
    store = Journal(journal)
    entries = list(store.read_all())
    kinds = Counter(e["kind"] for e in entries)
    per_person = Counter(e["participant"] for e in entries if e["kind"] != "profile")
    lines = sum(len(path.read_text(encoding="utf-8").splitlines()) for path in store.files())
    wanted = PARTICIPANTS * sum(SAVES.values())
    problems = []
    if kinds["profile"] != PARTICIPANTS:
        problems.append(f"{kinds['profile']} profiles, expected {PARTICIPANTS}")
    if sum(kinds.values()) - kinds["profile"] != wanted:
        problems.append(f"{sum(kinds.values()) - kinds['profile']} answers, expected {wanted}")
    if sorted(per_person.values()) != [sum(SAVES.values())] * PARTICIPANTS:
        problems.append(f"answers per participant: {sorted(per_person.values())}")
    if lines != wanted + PARTICIPANTS or store.problems.items:
        problems.append(f"{lines} lines on disk, {store.problems.summary()}")
    return problems


async def measure(server: Server) -> tuple[list[Budget], list[str]]:
    from playwright.async_api import async_playwright

    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(executable_path=CHROMIUM, headless=True,
                                                   args=CHROMIUM_ARGS)
        try:
            budgets = await render_budgets(browser, server)
            await server.settle(kernels=0)
            idle = server.resident_mib()

            bare, bare_memory, _ = await at_once(server, one_button_visitor, browser)
            saves, lesson_memory, crowd = await at_once(server, participant, browser)
        finally:
            await browser.close()

    per_button_page = (bare_memory - idle) / PARTICIPANTS
    per_participant = (lesson_memory - idle) / PARTICIPANTS
    print(f"server idle: {idle:.0f} MiB; with {PARTICIPANTS} pages open: one-button {bare_memory:.0f} MiB, "
          f"lessons {lesson_memory:.0f} MiB")
    print(f"per participant: {per_participant:.1f} MiB vs {per_button_page:.1f} MiB per one-button page "
          f"(ratio {per_participant / per_button_page:.2f})")
    save_p50, save_p95 = median(saves), percentile(saves, 0.95)
    bare_p50, bare_p95 = median(bare), percentile(bare, 0.95)
    print(f"save latency ({len(saves)} saves, {PARTICIPANTS} at once): p50 {save_p50 * 1000:.0f} ms, "
          f"p95 {save_p95 * 1000:.0f} ms; bare widget round trip ({len(bare)} clicks): "
          f"p50 {bare_p50 * 1000:.0f} ms, p95 {bare_p95 * 1000:.0f} ms; "
          f"ratios p50 {save_p50 / bare_p50:.2f}, p95 {save_p95 / bare_p95:.2f}")
    print(f"lesson pages under that load ({len(crowd.renders)} renders): all cards on screen after "
          f"p50 {median(crowd.renders):.1f} s, p95 {percentile(crowd.renders, 0.95):.1f} s "
          f"(alone: {min(b.measured for b in budgets):.1f}-{max(b.measured for b in budgets):.1f} s)")
    budgets += [
        Budget(f"save latency p95, {PARTICIPANTS} participants at once, vs bare widget round trip",
               save_p95, bare_p95, 3.0),
        Budget("server memory per participant (lesson page) vs per one-button page",
               per_participant, per_button_page, 1.3, "MiB"),
    ]
    return budgets, lost_answers(server.journal)


def main() -> int:
    with tempfile.TemporaryDirectory(prefix="bench-voila-") as tmp:
        server = Server(served_folder(Path(tmp)), Path(tmp) / "journal")
        try:
            budgets, lost = asyncio.run(measure(server))
        finally:
            server.stop()
            OUTPUT.mkdir(exist_ok=True)
            (OUTPUT / SERVER_LOG).write_text("".join(server.log), encoding="utf-8")
            print(f"serve's output: {OUTPUT / SERVER_LOG}", flush=True)
    status = report(budgets)
    if lost:
        print("FAIL  answers lost under load: " + "; ".join(lost), flush=True)
        return 1
    print(f"PASS  no answer lost: {PARTICIPANTS} x {sum(SAVES.values())} answers and {PARTICIPANTS} profiles "
          "in the journal, no torn line", flush=True)
    return status


if __name__ == "__main__":
    sys.exit(main())

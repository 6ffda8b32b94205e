"""`python -m extramile serve`: the participant app on Voila, locked down for a room.

Why a small subclass of Voila's own app rather than `voila notebooks/` plus flags:
Voila serving a directory exposes a file tree at `/`, a contents API and
`/voila/render/<any notebook>`, and the facilitator's `group_summary.ipynb` lives
in the same folder. Flags cannot take those routes away, so `ExtraMileVoila`
drops the tree and contents routes, turns `/` into a redirect to the welcome
page (keeping the query string, so `/?s=TOKEN` still signs in), and renders only
the participant notebooks named below. Everything else is plain Voila 0.5
configuration, set in `voila_config()` where the reasons are written down.

Config files (`voila.json`, `jupyter_*_config`) are deliberately not read: a
stray file in the current directory must not loosen what the room can reach.
"""

from __future__ import annotations

import argparse
import ipaddress
import os
import re
import socket
import sys
from pathlib import Path

from extramile.content import PARTICIPANT_NOTEBOOKS

REPO = Path(__file__).resolve().parent.parent
WELCOME = f"{PARTICIPANT_NOTEBOOKS[0]}.ipynb"
SERVED_NOTEBOOKS = frozenset(f"{name}.ipynb" for name in PARTICIPANT_NOTEBOOKS)

# Images next to the notebooks (plain names, optional plain sub-folders): no dot
# files, no `..`, nothing that is not a picture. Notebooks, code, journal data
# (.jsonl), exercise YAML and everything else are refused by Voila's file route.
ASSET_PATTERN = r"[\w-]+(?:/[\w-]+)*\.(?:png|jpe?g|gif|svg|webp)"
DENY_PATTERNS = [r".*\.(?:ipynb|py|jsonl?|ya?ml|txt|md|csv)", r"(?:.*/)?group_summary.*"]

# Kernel culling (seconds), jupyter_server's MappingKernelManager. "Idle" there
# means no IOPub message from the kernel: a widget change or click synced to the
# kernel counts, but a participant typing a long answer into a box that syncs on
# blur sends nothing for minutes. So a kernel is culled only when no page is
# connected to it (cull_connected=False) AND it has been idle CULL_IDLE_TIMEOUT:
# an open page keeps its kernel however long its owner thinks. Closed and
# reloaded pages are normally shut down at once by Voila's beacon (see
# ParticipantPageHandler); culling is the backstop for crashed browsers and lost
# laptops. 20 minutes covers a coffee break with a sleeping laptop (the server
# drops a dead websocket after ~30 s of missed pings) and still frees stray
# kernels well within a 3.5 h session.
CULL_IDLE_TIMEOUT = 20 * 60
CULL_INTERVAL = 60

# Seconds Voila waits, after a cell's reply, for that cell's output (nbclient's iopub_timeout,
# default 4). When it gives up it skips the output without a word: the participant's page
# just lacks an exercise. With 20 participants opening pages at once on 2 cores, outputs came
# later than 4 s and 3 to 10 of the 20 pages lacked a card in each run (benchmarks/bench_voila.py).
# Outputs normally arrive at once, so waiting longer costs nothing unless the machine is busy.
IOPUB_TIMEOUT = 60

CELL_ERROR_SENTENCE = (
    "Sorry, this part of the page did not load. Please reload the page; "
    "if it happens again, ask the facilitator. Your saved answers are safe."
)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    env = os.environ
    parser.add_argument("--host", default=env.get("HOST") or "127.0.0.1",
                        help="address to listen on; 0.0.0.0 for the whole room (default: $HOST or 127.0.0.1)")
    parser.add_argument("--port", type=int, default=int(env.get("PORT") or 8866),
                        help="port to listen on (default: $PORT or 8866)")
    parser.add_argument("--notebooks", type=Path, default=REPO / "notebooks",
                        help="folder holding the participant notebooks (default: the repo's notebooks/)")
    parser.add_argument("--journal", type=Path,
                        default=Path(env.get("EXTRAMILE_JOURNAL_DIR") or REPO / "journal"),
                        help="journal folder for the kernels (default: $EXTRAMILE_JOURNAL_DIR or journal/)")
    parser.add_argument("--cull-idle-timeout", type=int,
                        default=int(env.get("EXTRAMILE_CULL_IDLE_TIMEOUT") or CULL_IDLE_TIMEOUT),
                        help="seconds a kernel with no open page may sit idle before it is shut down")
    parser.add_argument("--cull-interval", type=int,
                        default=int(env.get("EXTRAMILE_CULL_INTERVAL") or CULL_INTERVAL),
                        help="seconds between checks for such kernels")


def run(args: argparse.Namespace) -> int:
    notebooks = args.notebooks.resolve()
    if not (notebooks / WELCOME).is_file():
        print(f"error: {notebooks / WELCOME} not found; nothing to serve.", file=sys.stderr)
        return 2
    journal = args.journal.resolve()
    journal.mkdir(parents=True, exist_ok=True)
    prepare_kernel_environment(journal)
    config = voila_config(notebooks, journal, args.host, args.port,
                          args.cull_idle_timeout, args.cull_interval)
    app = voila_app_class()(config=config)
    app.initialize([])  # an explicit empty argv: never parse our own sys.argv as Voila's
    app.start()  # blocks; SIGTERM or Ctrl-C stops it and shuts all kernels down
    return 0


def prepare_kernel_environment(journal: Path) -> None:
    """Voila starts each kernel with this process's environment (plus the request's).

    Kernels run with notebooks/ as their working directory, so they get the journal
    folder as an absolute path, and the repo on PYTHONPATH so `import extramile`
    works whether or not the package was pip-installed.
    """
    os.environ["EXTRAMILE_JOURNAL_DIR"] = str(journal)
    paths = [p for p in os.environ.get("PYTHONPATH", "").split(os.pathsep) if p]
    if str(REPO) not in paths:
        os.environ["PYTHONPATH"] = os.pathsep.join([str(REPO), *paths])


def voila_config(notebooks: Path, journal: Path, host: str, port: int, cull_idle_timeout: int,
                 cull_interval: int):
    from traitlets.config import Config

    c = Config()
    c.Voila.root_dir = str(notebooks)
    c.Voila.ip = host
    c.Voila.port = port
    c.Voila.port_retries = 0  # the printed URL must be the real one: fail rather than hop ports
    c.Voila.open_browser = False
    c.Voila.config_file_paths = []
    c.VoilaConfiguration.template = "lab"
    c.VoilaConfiguration.theme = "light"
    c.VoilaConfiguration.allow_theme_override = "NO"  # no ?theme= / ?template= from the URL
    c.VoilaConfiguration.allow_template_override = "NO"
    c.VoilaConfiguration.strip_sources = True  # Voila's default, stated: code cells are not sent
    c.VoilaConfiguration.show_tracebacks = False  # Voila's default, stated: errors become a sentence
    c.VoilaConfiguration.preheat_kernel = False  # see page_request.py for why
    c.VoilaConfiguration.file_allowlist = [ASSET_PATTERN]
    denied = list(DENY_PATTERNS)
    if journal.is_relative_to(notebooks):  # journal inside the served folder: refuse all of it
        denied.append(re.escape(journal.relative_to(notebooks).as_posix()) + r"(?:/.*)?")
    c.VoilaConfiguration.file_denylist = denied
    c.VoilaExecutor.cell_error_instruction = CELL_ERROR_SENTENCE
    c.VoilaExecutor.iopub_timeout = IOPUB_TIMEOUT
    # Kernels talk over Unix sockets, not TCP ports: a port picked for one kernel can be taken
    # before it binds ("Address already in use"), which left a page hanging about 1 start in 100.
    c.KernelManager.transport = "ipc"
    c.MappingKernelManager.cull_idle_timeout = cull_idle_timeout
    c.MappingKernelManager.cull_interval = cull_interval
    c.MappingKernelManager.cull_connected = False  # an open page keeps its kernel, idle or not
    c.MappingKernelManager.cull_busy = False
    return c


def voila_app_class():
    """Build the Voila subclass (imported lazily: other commands must not load Voila)."""
    import tornado.web
    from jupyter_server.utils import url_path_join
    from voila.app import Voila
    from voila.tornado.contentshandler import VoilaContentsHandler
    from voila.tornado.handler import TornadoVoilaHandler
    from voila.tornado.treehandler import TornadoVoilaTreeHandler

    class WelcomeRedirect(tornado.web.RequestHandler):
        def initialize(self, target: str) -> None:
            self.target = target

        def get(self) -> None:
            query = self.request.query
            self.redirect(self.target + (f"?{query}" if query else ""))

    class ParticipantPageHandler(TornadoVoilaHandler):
        """`/voila/render/<name>` for the participant notebooks only; pictures go to the file route."""

        async def get(self, path=None):
            if path in SERVED_NOTEBOOKS:
                # Voila's page sends a beacon on close/reload to shut its kernel down, with the
                # `_xsrf` cookie as proof; Voila 0.5 never sets that cookie, so the beacon is
                # refused (403) and kernels pile up. Reading the token sets the cookie.
                self.xsrf_token  # noqa: B018
                return await super().get(path)
            if path and re.fullmatch(ASSET_PATTERN, path, re.IGNORECASE):
                return self.redirect_to_file(path)  # the allow/deny lists decide there
            raise tornado.web.HTTPError(404)

    class ExtraMileVoila(Voila):
        def init_handlers(self):
            handlers = [(url_path_join(self.server_url, "/"), WelcomeRedirect,
                         {"target": url_path_join(self.base_url, "voila/render", WELCOME)})]
            for spec in super().init_handlers():
                handler = spec[1]
                if handler in (TornadoVoilaTreeHandler, VoilaContentsHandler):
                    continue  # no file tree, no contents API
                if handler is TornadoVoilaHandler:
                    spec = (spec[0], ParticipantPageHandler, *spec[2:])
                handlers.append(spec)
            return handlers

        def start(self):
            import tornado.ioloop

            # Runs once the loop starts, i.e. only after the port is bound.
            tornado.ioloop.IOLoop.current().add_callback(announce, self.ip, self.port)
            super().start()

    return ExtraMileVoila


def announce(host: str, port: int) -> None:
    url = participant_url(host, port)
    note = " (this computer only: start with HOST=0.0.0.0 make workshop for the room)" if is_loopback(host) else ""
    print(f"Extra Mile is ready. Participants open: {url}{note}", flush=True)


def participant_url(host: str, port: int) -> str:
    if host in ("0.0.0.0", "", "::"):
        host = lan_address() or socket.gethostname()
    elif ":" in host:
        host = f"[{host}]"
    return f"http://{host}:{port}/"


def is_loopback(host: str) -> bool:
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return host == "localhost"


def lan_address() -> str | None:
    """This machine's address on the room's network, read from its interfaces.

    Reading interfaces sends no packet anywhere (unlike resolving the host name,
    which may ask a DNS server). psutil comes with ipykernel.
    """
    try:
        import psutil
    except ImportError:
        return None
    stats = psutil.net_if_stats()
    candidates = [
        (name, addr.address)
        for name, addrs in psutil.net_if_addrs().items()
        if name in stats and stats[name].isup
        for addr in addrs
        if addr.family == socket.AF_INET
    ]
    return pick_lan_address(candidates)


VIRTUAL_INTERFACES = ("docker", "br-", "veth", "virbr", "vmnet", "vboxnet", "utun", "tun", "tap", "zt",
                      "tailscale")


def pick_lan_address(candidates: list[tuple[str, str]]) -> str | None:
    """Best IPv4 address for people in the room: real interfaces before virtual ones
    (docker, VPN), private addresses before public ones; never loopback or link-local."""

    def rank(item: tuple[str, str]) -> tuple[int, int]:
        name, address = item
        ip = ipaddress.IPv4Address(address)
        return (1 if name.lower().startswith(VIRTUAL_INTERFACES) else 0, 0 if ip.is_private else 1)

    usable = [
        (name, address)
        for name, address in candidates
        if not ipaddress.IPv4Address(address).is_loopback and not ipaddress.IPv4Address(address).is_link_local
    ]
    return min(usable, key=rank)[1] if usable else None

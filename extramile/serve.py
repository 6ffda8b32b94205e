"""`python -m extramile serve`: the participant app on Solara, set up for a room.

One process serves every tab (see extramile/app.py). What a room needs of it
is set here, before Solara is imported, because Solara reads its settings
from the environment at import time:

- no telemetry, and no request leaves the machine: the front end comes from
  the `solara-assets` package on disk, and the CDN Solara would fall back to
  for a file it lacks is pointed at a closed local port, so a gap shows as a
  local error in testing rather than a call to the internet in a room;
- production mode (no tracebacks, no dev reload), no Solara banner, our title;
- a tab whose browser vanished without closing it is freed after 20 minutes
  (Solara's default is a day); a tab that closes is freed at once;
- the session cookie is HttpOnly: page scripts cannot read the id that a
  sign-in is bound to;
- the server pings every tab every 20 s but never drops one for a late
  pong: on a busy server the pong waits behind the tab's own messages, and
  dropping live people (code 1011) is worse than keeping a vanished one,
  whose socket TCP closes within minutes anyway (then its session is freed
  after CULL_TIMEOUT); idle HTTP connections get 30 s, not 5, so a page
  request accepted while the loop is busy is not closed unanswered.

Solara's SOLARA_SERVER_SYNC_WS_WRITE (each tab writing its frames to the
socket's file descriptor itself) is left off on purpose: it halved the time
to open a lesson under a crowd of 200, but it writes to a descriptor number
that the event loop may already have closed and the journal reopened: under
that crowd a participant's journal file came back holding 0xC1, the first
byte of a compressed websocket frame, and could no longer be read.

The HTTP side (extramile/room_guard.py) adds privacy headers and caps floods.
"""

from __future__ import annotations

import argparse
import ipaddress
import os
import socket
import sys
import warnings
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
ASSETS = Path(__file__).resolve().parent / "assets"  # custom.css and custom.js, which Solara's page loads
CULL_TIMEOUT = "20m"
CLOSED_PORT_CDN = "http://127.0.0.1:9/"  # the discard port: nothing listens, nothing leaves the machine

SOLARA_SETTINGS = {
    "SOLARA_APP": "extramile.app",
    "SOLARA_MODE": "production",
    "SOLARA_TELEMETRY_MIXPANEL_ENABLE": "False",
    "SOLARA_THEME_SHOW_BANNER": "False",
    "SOLARA_THEME_TITLE": "Extra Mile",
    "SOLARA_THEME_LOADER": "plain",
    "SOLARA_KERNEL_CULL_TIMEOUT": CULL_TIMEOUT,
    "SOLARA_KERNEL_MAX_PER_SESSION": "30",
    "SOLARA_SESSION_HTTP_ONLY": "True",
    "SOLARA_ASSETS_PROXY": "True",
    "SOLARA_ASSETS_CDN": CLOSED_PORT_CDN,
}
WEBSOCKET_PING_SECONDS = 20
HTTP_KEEP_ALIVE_SECONDS = 30


def add_arguments(parser: argparse.ArgumentParser) -> None:
    env = os.environ
    parser.add_argument("--host", default=env.get("HOST") or "127.0.0.1",
                        help="address to listen on; 0.0.0.0 for the whole room (default: $HOST or 127.0.0.1)")
    parser.add_argument("--port", type=int, default=int(env.get("PORT") or 8866),
                        help="port to listen on (default: $PORT or 8866)")
    parser.add_argument("--journal", type=Path,
                        default=Path(env.get("EXTRAMILE_JOURNAL_DIR") or REPO / "journal"),
                        help="journal folder (default: $EXTRAMILE_JOURNAL_DIR or journal/)")


def configure_environment(journal: Path) -> None:
    """Settings Solara and our pages read from the environment; set before either is imported."""
    os.environ["EXTRAMILE_JOURNAL_DIR"] = str(journal)
    for key, value in SOLARA_SETTINGS.items():
        os.environ[key] = value
    os.environ["SOLARA_ASSETS_EXTRA_LOCATIONS"] = str(ASSETS)


def run(args: argparse.Namespace) -> int:
    journal = args.journal.resolve()
    try:
        journal.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        print(f"error: cannot create the journal folder {journal}: {exc.strerror}", file=sys.stderr)
        return 2
    configure_environment(journal)
    # Solara warns on every page load over plain http that it cannot embed in an iframe; we never want to be.
    warnings.filterwarnings("ignore", message="Cookies with samesite=none require https")
    import uvicorn

    from extramile import facilitator, memory_return
    from extramile.room_guard import guarded_app

    chosen = os.environ.get("FACILITATOR_PASSPHRASE") or None
    passphrase = chosen or facilitator.new_passphrase()
    facilitator.configure(passphrase)

    class AnnouncingServer(uvicorn.Server):
        async def startup(self, sockets: list[socket.socket] | None = None) -> None:
            await super().startup(sockets)
            if self.started:
                announce(args.host, args.port, None if chosen else passphrase)

    config = uvicorn.Config(guarded_app(), host=args.host, port=args.port, log_level="warning",
                            access_log=False, loop="asyncio", ws_ping_interval=WEBSOCKET_PING_SECONDS,
                            ws_ping_timeout=None, timeout_keep_alive=HTTP_KEEP_ALIVE_SECONDS)
    server = AnnouncingServer(config)
    memory_return.start()
    server.run()  # blocks; Ctrl-C or SIGTERM stops it and closes every tab's session
    return 0 if server.started else 1


def announce(host: str, port: int, new_passphrase: str | None) -> None:
    """The two addresses: the participants' and, on the next line, the facilitator's console with its passphrase."""
    url = participant_url(host, port)
    note = " (this computer only: start with HOST=0.0.0.0 make workshop for the room)" if is_loopback(host) else ""
    print(f"Extra Mile is ready. Participants open: {url}{note}", flush=True)
    secret = (f"passphrase: {new_passphrase} (new at every start; FACILITATOR_PASSPHRASE sets your own)"
              if new_passphrase else "passphrase: the one in FACILITATOR_PASSPHRASE")
    print(f"Facilitator console (never show it on the projector): {url}facilitator  {secret}", flush=True)


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
    which may ask a DNS server).
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

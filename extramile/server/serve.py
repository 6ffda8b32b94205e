"""`python -m extramile serve`: the participant app on Solara, set up for a room.

One process serves every tab (see extramile/room/app.py). What a room needs of it
is set here, before Solara is imported, because Solara reads its settings
from the environment at import time:

- no telemetry, and no request leaves the machine: the front end comes from
  the `solara-assets` package on disk, and the CDN Solara would fall back to
  for a file it lacks is pointed at a closed local port, so a gap shows as a
  local error in testing rather than a call to the internet in a room;
- production mode (no tracebacks, no dev reload), no Solara banner, our title;
- a tab that closes is freed at once, and one whose socket dropped (a browser
  that vanished, a page opened by a script) a minute later (Solara's default
  is a day): a flood of abandoned pages cannot pile up. A tab that comes back
  later, or after the server restarted, builds its page again by itself
  (auto-remount) instead of asking for a reload: the sign-in is in its
  cookie, unsaved text in the tab's own storage (custom.js);
- Solara's own session cookie is HttpOnly; it only ties a tab to its browser.
  Who is signed in is a cookie of ours that the server makes at sign-in
  (extramile/identity/sessions.py);
- the server pings every tab every 20 s but never drops one for a late
  pong: on a busy server the pong waits behind the tab's own messages, and
  dropping live people (code 1011) is worse than keeping a vanished one,
  whose socket TCP closes within minutes anyway (then its session is freed
  a minute later); idle HTTP connections get 30 s, not 5, so a page
  request accepted while the loop is busy is not closed unanswered.

Solara's SOLARA_SERVER_SYNC_WS_WRITE (each tab writing its frames to the
socket's file descriptor itself) is left off on purpose: it halved the time
to open a lesson under a crowd of 200, but it writes to a descriptor number
that the event loop may already have closed and the journal reopened: under
that crowd a participant's journal file came back holding 0xC1, the first
byte of a compressed websocket frame, and could no longer be read.

The HTTP side (extramile/server/room_guard.py) checks origins, adds privacy headers
and caps floods. A forwarded client address (X-Forwarded-For) is believed
only from the proxy the facilitator names (--proxy, EXTRAMILE_PROXY), so a
script on this machine cannot pose as many participants. With --cert and
--key the room is served over HTTPS and every cookie is marked Secure.
"""

from __future__ import annotations

import argparse
import asyncio
import ipaddress
import os
import socket
import sys
import warnings
from pathlib import Path

from extramile.store.journal_store import default_directory

REPO = Path(__file__).resolve().parents[2]
ASSETS = Path(__file__).resolve().parents[1] / "assets"  # custom.css and custom.js, which Solara's page loads
TAB_TIMEOUT = os.environ.get("EXTRAMILE_TAB_TIMEOUT") or "60"  # seconds a dropped tab is kept for its return
CLOSED_PORT_CDN = "http://127.0.0.1:9/"  # the discard port: nothing listens, nothing leaves the machine

SOLARA_SETTINGS = {
    "SOLARA_APP": "extramile.room.app",
    "SOLARA_MODE": "production",
    "SOLARA_TELEMETRY_MIXPANEL_ENABLE": "False",
    "SOLARA_THEME_SHOW_BANNER": "False",
    "SOLARA_THEME_TITLE": "Extra Mile",
    "SOLARA_THEME_LOADER": "plain",
    "SOLARA_KERNEL_CULL_TIMEOUT": f"{TAB_TIMEOUT}s",
    "SOLARA_STATE_AUTO_REMOUNT": "True",
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
                        default=default_directory(otherwise=REPO / "journal"),
                        help="journal folder (default: $EXTRAMILE_JOURNAL_DIR or journal/)")
    parser.add_argument("--cert", type=Path, help="serve over HTTPS with this certificate (PEM: make workshop CERT=)")
    parser.add_argument("--key", type=Path, help="the certificate's private key (PEM; make workshop KEY=...)")
    parser.add_argument("--proxy", default=env.get("EXTRAMILE_PROXY") or "",
                        help="address of a reverse proxy whose X-Forwarded-For to believe (default: none)")


def configure_environment(journal: Path, tls: bool = False) -> None:
    """Settings Solara and our pages read from the environment; set before either is imported."""
    os.environ["EXTRAMILE_JOURNAL_DIR"] = str(journal)
    os.environ["EXTRAMILE_TLS"] = "1" if tls else ""
    for key, value in SOLARA_SETTINGS.items():
        os.environ[key] = value
    os.environ["SOLARA_ASSETS_EXTRA_LOCATIONS"] = str(ASSETS)


def run(args: argparse.Namespace) -> int:
    from extramile.server import memory_return

    memory_return.run_with_c_malloc()
    journal = args.journal.resolve()
    try:
        journal.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        print(f"error: cannot create the journal folder {journal}: {exc.strerror}", file=sys.stderr)
        return 2
    if bool(args.cert) != bool(args.key):
        print("error: HTTPS needs both a certificate and its key: CERT=cert.pem KEY=key.pem", file=sys.stderr)
        return 2
    configure_environment(journal, tls=bool(args.cert))
    os.environ["EXTRAMILE_PARTICIPANT_URL"] = participant_url(args.host, args.port, bool(args.cert))  # join screen
    # Solara warns on every page load over plain http that it cannot embed in an iframe; we never want to be.
    warnings.filterwarnings("ignore", message="Cookies with samesite=none require https")
    import uvicorn

    from extramile.room import facilitator
    from extramile.server.room_guard import guarded_app

    chosen = os.environ.get("FACILITATOR_PASSPHRASE") or None
    passphrase = chosen or facilitator.new_passphrase()
    facilitator.configure(passphrase)

    class AnnouncingServer(uvicorn.Server):
        async def startup(self, sockets: list[socket.socket] | None = None) -> None:
            await super().startup(sockets)
            self.idle_threads = asyncio.get_running_loop().create_task(memory_return.end_idle_threads())
            if self.started:
                announce(args.host, args.port, None if chosen else passphrase, tls=bool(args.cert))

    config = uvicorn.Config(guarded_app(), host=args.host, port=args.port, log_level="warning",
                            access_log=False, loop="asyncio", ws_ping_interval=WEBSOCKET_PING_SECONDS,
                            ws_ping_timeout=None, timeout_keep_alive=HTTP_KEEP_ALIVE_SECONDS,
                            proxy_headers=bool(args.proxy), forwarded_allow_ips=args.proxy or "",
                            ssl_certfile=args.cert, ssl_keyfile=args.key)
    server = AnnouncingServer(config)
    memory_return.start()
    server.run()  # blocks; Ctrl-C or SIGTERM stops it and closes every tab's session
    return 0 if server.started else 1


def announce(host: str, port: int, new_passphrase: str | None, tls: bool = False) -> None:
    """The two addresses: the participants' and, on the next line, the facilitator's console with its passphrase."""
    url = participant_url(host, port, tls)
    note = " (this computer only: start with HOST=0.0.0.0 make workshop for the room)" if is_loopback(host) else ""
    print(f"Extra Mile is ready. Participants open: {url}{note}", flush=True)
    secret = (f"passphrase: {new_passphrase} (new at every start; FACILITATOR_PASSPHRASE sets your own)"
              if new_passphrase else "passphrase: the one in FACILITATOR_PASSPHRASE")
    print(f"Facilitator console (never show it on the projector): {url}facilitator  {secret}", flush=True)


def participant_url(host: str, port: int, tls: bool = False) -> str:
    if host in ("0.0.0.0", "", "::"):
        host = lan_address() or socket.gethostname()
    elif ":" in host:
        host = f"[{host}]"
    return f"{'https' if tls else 'http'}://{host}:{port}/"


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

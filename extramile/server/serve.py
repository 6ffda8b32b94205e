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

A tab's messages to its browser are queued and sent by the event loop every
50 ms (Solara's SOLARA_EXPERIMENTAL_PERFORMANCE), not each handed to the loop
and waited for: a lesson opens with some 600 widget messages, and handing
each over was most of the server's CPU under a crowd (py-spy). Measured with
benchmarks/bench_crowd.py, 40 arriving in 10 s: CPU per participant 0.72 s
-> 0.41 s, sign-in p95 4.9 s -> 0.7 s. Frames go out uncompressed
(permessage-deflate off): the room's network is local, and compressing
every frame was a tenth of the server's CPU.

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
import os
import socket
import sys
import warnings
from pathlib import Path

from extramile.server.addresses import announce, participant_url
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
    "SOLARA_EXPERIMENTAL_PERFORMANCE": "True",
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
    parser.add_argument("--workers", type=int, default=1,
                        help="app processes sharing the address, for rooms over about 100 (needs HAProxy; "
                             "make workshop WORKERS=2; default: 1)")
    parser.add_argument("--socket", type=Path, help=argparse.SUPPRESS)  # one of --workers' processes...
    parser.add_argument("--public-url", help=argparse.SUPPRESS)  # ...and the room's address, its proxy's


def configure_environment(journal: Path, tls: bool = False) -> None:
    """Settings Solara and our pages read from the environment; set before either is imported."""
    os.environ["EXTRAMILE_JOURNAL_DIR"] = str(journal)
    os.environ["EXTRAMILE_TLS"] = "1" if tls else ""
    for key, value in SOLARA_SETTINGS.items():
        os.environ[key] = value
    os.environ["SOLARA_ASSETS_EXTRA_LOCATIONS"] = str(ASSETS)


def run(args: argparse.Namespace) -> int:
    from extramile.server import memory_return

    if args.workers < 1:
        print("error: --workers needs a number from 1 up", file=sys.stderr)
        return 2
    journal = args.journal.resolve()
    try:
        journal.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        print(f"error: cannot create the journal folder {journal}: {exc.strerror}", file=sys.stderr)
        return 2
    if args.workers > 1 and not args.socket:
        from extramile.server import workers

        return workers.run(args, journal, keep_alive=HTTP_KEEP_ALIVE_SECONDS)
    memory_return.run_with_c_malloc()
    if bool(args.cert) != bool(args.key):
        print("error: HTTPS needs both a certificate and its key: CERT=cert.pem KEY=key.pem", file=sys.stderr)
        return 2
    configure_environment(journal, tls=bool(args.cert))
    os.environ["EXTRAMILE_PARTICIPANT_URL"] = args.public_url or participant_url(args.host, args.port,
                                                                               bool(args.cert))  # join screen
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
            if self.started and not args.socket:
                announce(args.host, args.port, None if chosen else passphrase, tls=bool(args.cert))

    config = uvicorn.Config(guarded_app(), log_level="warning", access_log=False, loop="asyncio",
                            ws_ping_interval=WEBSOCKET_PING_SECONDS, ws_ping_timeout=None,
                            ws_per_message_deflate=False,
                            timeout_keep_alive=HTTP_KEEP_ALIVE_SECONDS, ssl_certfile=args.cert,
                            ssl_keyfile=args.key, **listening(args))
    server = AnnouncingServer(config)
    memory_return.start()
    server.run()  # blocks; Ctrl-C or SIGTERM stops it and closes every tab's session
    return 0 if server.started else 1


def listening(args: argparse.Namespace) -> dict:
    """Where uvicorn listens and whose forwarded address it believes.

    One of --workers' processes listens on a Unix socket only its HAProxy can
    reach (extramile/server/workers.py), so it believes that proxy's
    X-Forwarded-For, which the proxy always sets itself.
    """
    if args.socket:
        return {"uds": str(args.socket), "proxy_headers": True, "forwarded_allow_ips": "*"}
    return {"host": args.host, "port": args.port, "proxy_headers": bool(args.proxy),
            "forwarded_allow_ips": args.proxy or ""}

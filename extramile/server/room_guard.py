"""The participant app's front door: privacy headers, pages of other sites refused, floods turned away kindly.

One laptop serves the whole room, so one misbehaving client (a script, a
stuck reload key, a browser gone wild) must not be able to fill its memory
or starve everyone else. Every page a browser opens becomes a virtual kernel
in the server when its websocket connects, and a kernel stays until it is
freed (at once when its tab closes, a minute after its socket drops, see
serve.py). So the door counts, per client address, the pages loaded in the
last minute, the websockets that made new kernels in the last minute
(whether or not a page was loaded first: a script can skip the page), and
the kernels it holds now; and per browser (its Solara cookie) the kernels it
holds. Past a cap the answer is a short
page that says the room is busy and retries by itself, not a hang and not an
error. The caps sit far above what a person does, and above a whole room seen
from one address (a server on a company VM sees the office's one public
address for everyone). The address is the connection's own: a forwarded
address is believed only from a proxy the facilitator names (serve.py).

The websocket and every request that changes something must come from a page
this server served (extramile/server/origins.py); our own routes live under
/_extramile/ (extramile/room/session_cookie.py). Every response also says: send no
Referer to other sites, load nothing from elsewhere, and never be framed.
"""

from __future__ import annotations

import asyncio
import os
import threading
import time
from collections import defaultdict, deque
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from starlette.requests import cookie_parser

from extramile.room import session_cookie
from extramile.server.origins import Origins

if TYPE_CHECKING:
    from starlette.types import ASGIApp, Message, Receive, Scope, Send

PAGE_LOADS_PER_MINUTE = int(os.environ.get("EXTRAMILE_PAGE_LOADS_PER_MINUTE") or 240)
TABS_PER_ADDRESS = int(os.environ.get("EXTRAMILE_TABS_PER_ADDRESS") or 200)
TABS_PER_BROWSER = int(os.environ.get("EXTRAMILE_TABS_PER_BROWSER") or 30)
RETRY_SECONDS = 5
STARTING_SECONDS = 30.0  # a kernel admitted this recently counts even before Solara has made it
TURNS_PER_ADDRESS = 2  # messages of one address's tabs worked on at once; the rest wait their turn
NOT_PAGES = ("/static/", "/_solara/", "/jupyter/", "/readyz", "/resourcez", "/favicon")
SOLARA_COOKIE = "solara-session-id"

SECURITY_HEADERS = [
    # same-origin, not no-referrer: our own pages then name their origin on the POSTs they send
    # (Solara's close beacon), which the origin check needs; other sites still get no Referer.
    (b"referrer-policy", b"same-origin"),
    (b"x-content-type-options", b"nosniff"),
    (b"x-frame-options", b"DENY"),
    (b"content-security-policy",
     b"default-src 'self'; script-src 'self' 'unsafe-inline' 'unsafe-eval'; style-src 'self' 'unsafe-inline'; "
     b"img-src 'self' data: blob:; font-src 'self' data:; connect-src 'self'; frame-ancestors 'none'; "
     b"base-uri 'none'; form-action 'none'"),
]



def _waiting_page(title: str, sentence: str) -> bytes:
    return f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="refresh" content="{RETRY_SECONDS}"><title>{title} · Extra Mile</title></head>
<body style="font-family: sans-serif; max-width: 32em; margin: 3em auto; padding: 0 1em; line-height: 1.5">
<h1>{title}</h1>
<p role="status">{sentence} This page will try again by itself in a few seconds; there is no need to reload
it.</p></body></html>
""".encode()


BUSY_PAGE = _waiting_page("The room is busy", "Many pages are opening at once.")
TOO_MANY_TABS_PAGE = _waiting_page("Too many tabs", "This browser has many pages of the workshop open: "
                                   "please close the ones you no longer need.")
BUSY, TOO_MANY_TABS = "busy", "too many tabs"


@dataclass
class _Held:
    """A kernel admitted from an address: for which browser, when, and whether Solara has made it yet."""

    browser: str
    at: float
    made: bool = False


class AddressBook:
    """Pages opened in the last minute and kernels held, per client address and per browser; thread-safe, bounded.

    `alive(kernel_id)` says whether Solara still holds a kernel: one whose tab
    closed long ago stops counting when Solara frees it, not when its socket
    closes, so pages opened and abandoned still count until they are gone.
    """

    def __init__(self, page_loads_per_minute: int, tabs_per_address: int, tabs_per_browser: int = TABS_PER_BROWSER,
                 alive: Callable[[str], bool] = lambda _kernel: True) -> None:
        self.page_loads_per_minute = page_loads_per_minute
        self.tabs_per_address = tabs_per_address
        self.tabs_per_browser = tabs_per_browser
        self.alive = alive
        self._lock = threading.Lock()
        self._loads: dict[str, deque] = defaultdict(deque)  # pages loaded over HTTP
        self._opened: dict[str, deque] = defaultdict(deque)  # kernels opened over the websocket, page loaded or not
        self._kernels: dict[str, dict[str, _Held]] = defaultdict(dict)

    def may_load_page(self, address: str, browser: str = "", now: float | None = None) -> str | None:
        """None when a page may load (and counts it), else why not: BUSY or TOO_MANY_TABS."""
        now = time.monotonic() if now is None else now
        with self._lock:
            refused = self._refusal(self._loads, address, browser, now)
            if refused is None:
                self._count(self._loads, address, now)
            return refused

    def open_kernel(self, address: str, kernel: str, browser: str = "", now: float | None = None) -> str | None:
        """None when this websocket may connect, else why not. A kernel new here counts as a page opened."""
        now = time.monotonic() if now is None else now
        with self._lock:
            if kernel in self._kernels.get(address, {}):
                return None  # the same tab reconnecting
            refused = self._refusal(self._opened, address, browser, now)
            if refused is None:
                self._count(self._opened, address, now)
                self._kernels[address][kernel] = _Held(browser, now)
            return refused

    def kernels_of(self, address: str) -> int:
        with self._lock:
            return len(self._held(address, time.monotonic()))

    def _refusal(self, counted: dict[str, deque], address: str, browser: str, now: float) -> str | None:
        recent = counted[address]
        while recent and now - recent[0] > 60:
            recent.popleft()
        if len(recent) >= self.page_loads_per_minute or len(self._held(address, now)) >= self.tabs_per_address:
            return BUSY
        if browser and sum(1 for kernels in self._kernels.values() for held in kernels.values()
                           if held.browser == browser) >= self.tabs_per_browser:
            return TOO_MANY_TABS
        return None

    def _held(self, address: str, now: float) -> dict[str, _Held]:
        """The address's kernels that Solara still holds (or is about to make), forgetting the rest."""
        kernels = self._kernels.get(address, {})
        for kernel, held in list(kernels.items()):
            if self.alive(kernel):
                held.made = True
            elif held.made or now - held.at > STARTING_SECONDS:
                del kernels[kernel]
        return kernels

    def _count(self, counted: dict[str, deque], address: str, now: float) -> None:
        counted[address].append(now)
        if len(counted) > 10_000:
            for quiet in [a for a, recent in counted.items() if not recent or now - recent[-1] > 60]:
                del counted[quiet]
                if not self._held(quiet, now):
                    self._kernels.pop(quiet, None)


class RoomGuard:
    """ASGI middleware in front of Solara's app."""

    def __init__(self, app: ASGIApp, addresses: AddressBook | None = None, origins: Origins | None = None) -> None:
        self.app = app
        self.addresses = addresses or AddressBook(PAGE_LOADS_PER_MINUTE, TABS_PER_ADDRESS)
        self.origins = origins or Origins()
        self._turns: dict[str, asyncio.Semaphore] = {}

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            await self._http(scope, receive, send)
        elif scope["type"] == "websocket":
            await self._websocket(scope, receive, send)
        else:
            await self.app(scope, receive, send)

    async def _http(self, scope: Scope, receive: Receive, send: Send) -> None:
        path, method = scope.get("path", ""), scope.get("method")

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                message = {**message, "headers": [*message.get("headers", []), *SECURITY_HEADERS]}
            await send(message)

        if method not in ("GET", "HEAD", "OPTIONS") and not self.origins.allows(scope):
            await _send_page(send, 403, b"This server answers only the pages it served.", [])
            return
        if path.startswith(session_cookie.PREFIX):
            await session_cookie.handle(scope, receive, send_with_headers)
            return
        if method == "GET" and not path.startswith(NOT_PAGES):
            refused = self.addresses.may_load_page(_address(scope), _browser(scope))
            if refused:
                await _send_page(send, 503, TOO_MANY_TABS_PAGE if refused == TOO_MANY_TABS else BUSY_PAGE,
                                 [(b"retry-after", str(RETRY_SECONDS).encode())])
                return
        await self.app(scope, receive, send_with_headers)

    async def _websocket(self, scope: Scope, receive: Receive, send: Send) -> None:
        if not self.origins.allows(scope):
            await send({"type": "websocket.close", "code": 1008, "reason": "Not a page of this server."})
            return
        parts = scope.get("path", "").split("/")  # /jupyter/api/kernels/{kernel_id}/channels
        kernel = parts[4] if len(parts) > 4 and parts[1:4] == ["jupyter", "api", "kernels"] else scope.get("path", "")
        address = _address(scope)
        if self.addresses.open_kernel(address, kernel, _browser(scope)):
            await send({"type": "websocket.close", "code": 1013, "reason": "The room is busy: try again soon."})
            return
        await self._in_turn(address, scope, receive, send)

    async def _in_turn(self, address: str, scope: Scope, receive: Receive, send: Send) -> None:
        """Hand a tab's messages to Solara only while its address has a turn free.

        Every tab works in a thread of this one process, so two hundred pages
        built at once from one machine would give each tab, a real participant's
        too, a two-hundredth of the interpreter. An address's tabs get at most
        TURNS_PER_ADDRESS messages worked on at once (a turn lasts from handing a
        message over until Solara asks for the next); the others wait in line,
        and every other address goes on as if the flood were not there.

        The connect message takes a turn too: after it Solara makes the tab's
        kernel before it asks for the first message, and it makes kernels one at
        a time under one lock for the whole server. Without a turn, two hundred
        sockets opened at once queued two hundred kernels in front of a
        participant's (sign-in took 13 s, not 3 s, in benchmarks/bench_flood.py).
        """
        if len(self._turns) > 10_000:
            self._turns = {a: turns for a, turns in self._turns.items() if turns.locked()}
        turns = self._turns.setdefault(address, asyncio.Semaphore(TURNS_PER_ADDRESS))
        holding = False

        async def receive_in_turn() -> Message:
            nonlocal holding
            if holding:
                turns.release()
                holding = False
            message = await receive()
            if message["type"] in ("websocket.connect", "websocket.receive"):
                await turns.acquire()
                holding = True
            return message

        try:
            await self.app(scope, receive_in_turn, send)
        finally:
            if holding:
                turns.release()


def _address(scope: Scope) -> str:
    client = scope.get("client")
    return client[0] if client else "unknown"


def _browser(scope: Scope) -> str:
    """The browser's Solara cookie: enough to count one browser's tabs, never to trust it."""
    cookies = b"; ".join(value for name, value in scope.get("headers", ()) if name == b"cookie")
    return cookie_parser(cookies.decode("latin-1")).get(SOLARA_COOKIE, "") if cookies else ""


async def _send_page(send: Send, status: int, body: bytes, headers: list[tuple[bytes, bytes]]) -> None:
    await send({"type": "http.response.start", "status": status, "headers": [
        (b"content-type", b"text/html; charset=utf-8"), (b"cache-control", b"no-store"), *headers,
        *SECURITY_HEADERS]})
    await send({"type": "http.response.body", "body": body})


def guarded_app() -> ASGIApp:
    """Solara's app behind the guard (imported here: Solara reads its settings when imported)."""
    from solara.server import kernel_context
    from solara.server.starlette import app

    return RoomGuard(app, AddressBook(PAGE_LOADS_PER_MINUTE, TABS_PER_ADDRESS,
                                      alive=lambda kernel: kernel in kernel_context.contexts))

"""The participant app's front door: privacy headers on every answer, and floods turned away kindly.

One laptop serves the whole room, so one misbehaving client (a script, a
stuck reload key, a browser gone wild) must not be able to fill its memory
or starve everyone else. Every open tab is a session in the server, so the
door counts, per client address, the page loads of the last minute and the
tabs open now. Past either cap the answer is a short page that says the
room is busy and retries by itself, not a hang and not an error. The caps
sit far above what a person does (a participant opens a handful of tabs and
moves between lessons inside the app, without loading a page), and above a
whole room seen from one address (a server on a company VM sees the office's
one public address for everyone). One browser's tabs are capped by Solara
itself (SOLARA_KERNEL_MAX_PER_SESSION, set in serve.py).

Every response also says: send no Referer (a page address never leaks to
another site), load nothing from elsewhere, and never be framed.
"""

from __future__ import annotations

import os
import threading
import time
from collections import defaultdict, deque
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from starlette.types import ASGIApp, Message, Receive, Scope, Send

PAGE_LOADS_PER_MINUTE = int(os.environ.get("EXTRAMILE_PAGE_LOADS_PER_MINUTE") or 240)
TABS_PER_ADDRESS = int(os.environ.get("EXTRAMILE_TABS_PER_ADDRESS") or 200)
RETRY_SECONDS = 5
NOT_PAGES = ("/static/", "/_solara/", "/jupyter/", "/readyz", "/resourcez", "/favicon")

SECURITY_HEADERS = [
    (b"referrer-policy", b"no-referrer"),
    (b"x-content-type-options", b"nosniff"),
    (b"x-frame-options", b"DENY"),
    (b"content-security-policy",
     b"default-src 'self'; script-src 'self' 'unsafe-inline' 'unsafe-eval'; style-src 'self' 'unsafe-inline'; "
     b"img-src 'self' data: blob:; font-src 'self' data:; connect-src 'self'; frame-ancestors 'none'; "
     b"base-uri 'none'; form-action 'none'"),
]

BUSY_PAGE = f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="refresh" content="{RETRY_SECONDS}"><title>The room is busy · Extra Mile</title></head>
<body style="font-family: sans-serif; max-width: 32em; margin: 3em auto; padding: 0 1em; line-height: 1.5">
<h1>The room is busy</h1>
<p role="status">Many pages are opening at once. This page will try again by itself in a few seconds;
there is no need to reload it.</p></body></html>
""".encode()


class AddressBook:
    """Page loads in the last minute and open tabs, per client address; thread-safe, bounded."""

    def __init__(self, page_loads_per_minute: int, tabs_per_address: int) -> None:
        self.page_loads_per_minute = page_loads_per_minute
        self.tabs_per_address = tabs_per_address
        self._lock = threading.Lock()
        self._loads: dict[str, deque] = defaultdict(deque)
        self._tabs: dict[str, int] = defaultdict(int)

    def may_load_page(self, address: str, now: float | None = None) -> bool:
        now = time.monotonic() if now is None else now
        with self._lock:
            loads = self._loads[address]
            while loads and now - loads[0] > 60:
                loads.popleft()
            if len(loads) >= self.page_loads_per_minute or self._tabs[address] >= self.tabs_per_address:
                return False
            loads.append(now)
            if len(self._loads) > 10_000:
                self._forget_quiet(now)
            return True

    def _forget_quiet(self, now: float) -> None:
        for address in [a for a, loads in self._loads.items() if not loads or now - loads[-1] > 60]:
            del self._loads[address]

    def open_tab(self, address: str) -> bool:
        with self._lock:
            if self._tabs[address] >= self.tabs_per_address:
                return False
            self._tabs[address] += 1
            return True

    def close_tab(self, address: str) -> None:
        with self._lock:
            self._tabs[address] -= 1
            if self._tabs[address] <= 0:
                del self._tabs[address]


class RoomGuard:
    """ASGI middleware in front of Solara's app."""

    def __init__(self, app: ASGIApp, addresses: AddressBook | None = None) -> None:
        self.app = app
        self.addresses = addresses or AddressBook(PAGE_LOADS_PER_MINUTE, TABS_PER_ADDRESS)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            await self._http(scope, receive, send)
        elif scope["type"] == "websocket":
            await self._websocket(scope, receive, send)
        else:
            await self.app(scope, receive, send)

    async def _http(self, scope: Scope, receive: Receive, send: Send) -> None:
        path = scope.get("path", "")
        is_page = scope.get("method") == "GET" and not path.startswith(NOT_PAGES)
        if is_page and not self.addresses.may_load_page(_address(scope)):
            await _send_busy(send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                message = {**message, "headers": [*message.get("headers", []), *SECURITY_HEADERS]}
            await send(message)

        await self.app(scope, receive, send_with_headers)

    async def _websocket(self, scope: Scope, receive: Receive, send: Send) -> None:
        address = _address(scope)
        if not self.addresses.open_tab(address):
            await send({"type": "websocket.close", "code": 1013, "reason": "The room is busy: try again soon."})
            return
        try:
            await self.app(scope, receive, send)
        finally:
            self.addresses.close_tab(address)


def _address(scope: Scope) -> str:
    client = scope.get("client")
    return client[0] if client else "unknown"


async def _send_busy(send: Send) -> None:
    await send({"type": "http.response.start", "status": 503, "headers": [
        (b"content-type", b"text/html; charset=utf-8"), (b"retry-after", str(RETRY_SECONDS).encode()),
        (b"cache-control", b"no-store"), *SECURITY_HEADERS]})
    await send({"type": "http.response.body", "body": BUSY_PAGE})


def guarded_app() -> ASGIApp:
    """Solara's app behind the guard (imported here: Solara reads its settings when imported)."""
    from solara.server.starlette import app

    return RoomGuard(app)

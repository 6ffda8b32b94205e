"""The participant app's own small HTTP routes: the session cookie, following another tab, a heartbeat.

A sign-in happens over the page's websocket, which cannot set a cookie, so
the page trades the one-time ticket it was handed (extramile.identity.sessions) here:

- `POST /_extramile/cookie`, body the ticket: sets (or, after a sign-out,
  clears) the HttpOnly, SameSite=Strict cookie with the server-made session
  id, Secure and `__Host-` named when the room is served over HTTPS;
- `POST /_extramile/follow`, body a tab's token: that tab looks at the session
  cookie this request carries and shows whoever it stands for (the other
  tabs of a browser ask this when one of them signs in or out);
- `GET /_extramile/alive`: answered at once, so a page notices within
  seconds when the server stops answering (custom.js).

The guard (extramile/server/room_guard.py) checks `Origin` before any POST gets here.
"""

from __future__ import annotations

import asyncio
import os
from typing import TYPE_CHECKING

from starlette.requests import cookie_parser

from extramile.identity.sessions import CONSOLE, PARTICIPANT, SESSION_SECONDS, TICKETS
from extramile.room.browser_tabs import TABS

if TYPE_CHECKING:
    from starlette.types import Receive, Scope, Send

PREFIX = "/_extramile/"
MAX_BODY = 1024
_NAMES = {PARTICIPANT: "extramile-session", CONSOLE: "extramile-console"}


def served_over_tls() -> bool:
    """Set by `extramile serve --cert` (extramile/server/serve.py)."""
    return os.environ.get("EXTRAMILE_TLS") == "1"


def cookie_name(kind: str) -> str:
    """Over HTTPS the `__Host-` prefix: a browser then refuses the cookie from any other site, port or path."""
    return ("__Host-" if served_over_tls() else "") + _NAMES[kind]


def set_cookie(kind: str, session: str | None) -> bytes:
    """The Set-Cookie value that gives the browser `session`, or takes the cookie away (None)."""
    value, age = (session, SESSION_SECONDS) if session else ("", 0)
    secure = "; Secure" if served_over_tls() else ""
    return f"{cookie_name(kind)}={value}; Path=/; Max-Age={age}; HttpOnly; SameSite=Strict{secure}".encode()


def session_in(headers: list[tuple[bytes, bytes]], kind: str) -> str | None:
    """The session id a request's cookies carry for `kind`, or None."""
    cookies = b"; ".join(value for name, value in headers if name == b"cookie").decode("latin-1")
    return cookie_parser(cookies).get(cookie_name(kind)) or None


async def handle(scope: Scope, receive: Receive, send: Send) -> None:
    route, method = scope["path"][len(PREFIX):], scope.get("method")
    if route == "alive" and method in ("GET", "HEAD"):
        await _answer(send, 204)
    elif route in ("cookie", "follow") and method == "POST":
        body = await _body(receive)
        if body is None:
            await _answer(send, 413)
        elif route == "cookie":
            await _trade(body, send)
        else:
            followed = await asyncio.to_thread(TABS.follow, body, session_in(scope["headers"], PARTICIPANT))
            await _answer(send, 204 if followed else 404)
    else:
        await _answer(send, 404)


async def _trade(ticket: str, send: Send) -> None:
    redeemed = TICKETS.redeem(ticket)
    if redeemed is None:
        await _answer(send, 404)
        return
    kind, session = redeemed
    await _answer(send, 204, [(b"set-cookie", set_cookie(kind, session))])


async def _body(receive: Receive) -> str | None:
    """The request's body as text, or None when it is longer than any ticket or token."""
    body = b""
    while True:
        message = await receive()
        body += message.get("body", b"")
        if len(body) > MAX_BODY:
            return None
        if not message.get("more_body"):
            return body.decode("utf-8", "replace").strip()


async def _answer(send: Send, status: int, headers: list[tuple[bytes, bytes]] | None = None) -> None:
    await send({"type": "http.response.start", "status": status,
                "headers": [(b"cache-control", b"no-store"), (b"content-length", b"0"), *(headers or [])]})
    await send({"type": "http.response.body", "body": b""})

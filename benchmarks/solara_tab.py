"""One browser tab of the participant app, spoken at the protocol level: HTTP, then Solara's websocket.

What Chromium does for a page of the app, step by step (recorded from a real
browser and replayed here, with no browser and no private way into the
server):

1. GET the page with the browser's cookies (the server sets its HttpOnly
   session cookie on the first visit), then the styles, scripts and fonts
   the page names; a browser keeps those in its cache, so one `Browser`
   fetches each once, like Chromium with the server's `immutable` answers.
2. Open the kernel websocket, `/jupyter/api/kernels/<kernel id>/channels
   ?session_id=<page id>` (both random UUIDs made by the page), sending the
   cookies and the page's Origin, as a browser must.
3. Ask `kernel_info_request`, open the `solara.control` comm and send it
   `run` with the page's path: the server builds the page and sends every
   widget as a `comm_open` with its whole state, then `finished`.
4. A person's actions are ipywidgets comm messages: typing in a box sends
   `update` with the new `value` (a choice sends its `index`), a button
   sends `custom` `{"event": "click"}`, a link (a Vue `<a>`) sends
   `click.prevent.stop`; the server answers with `update`s of the widgets
   that changed, which is all a person sees.
5. Leaving the page closes the websocket and posts the close beacon
   (`/_solara/api/close/<kernel id>`), as the page's `pagehide` handler does.

Every message on the wire is a Jupyter message as JSON text; the widget
tree is kept here as the front end keeps it: models by comm id, children as
`IPY_MODEL_<id>` references. A change to the protocol (a cookie set at
sign-in, an Origin check, a header the server starts to ask for) belongs in
`Browser` (HTTP and the handshake) or `Tab.open` (the websocket's first
messages), and nowhere else.
"""

from __future__ import annotations

import asyncio
import json
import re
import struct
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime

import httpx
from websockets.asyncio.client import ClientConnection, connect
from websockets.exceptions import ConnectionClosed

ASSET = re.compile(r"""(?:href|src)=["']([^"']+\.(?:css|js)(?:\?[^"']*)?)["']""")
LATER_ASSETS = ("/static/assets/favicon.svg", "/static/assets/favicon.png")  # fetched on every page load
USER_AGENT = "Mozilla/5.0 (X11; Linux x86_64) extramile-crowd/1 (protocol-level participant, no browser)"
REF = "IPY_MODEL_"


class Disconnected(Exception):
    """The server closed the tab's websocket (its code and reason say why)."""


class Browser:
    """One participant's browser: its cookie jar, its cache of static files, its Origin."""

    def __init__(self, base_url: str, timeout: float = 300) -> None:
        self.base_url = base_url.rstrip("/")
        self.origin = self.base_url
        self.http = httpx.AsyncClient(base_url=self.base_url, timeout=timeout, follow_redirects=True,
                                      headers={"User-Agent": USER_AGENT, "Accept-Encoding": "gzip"})
        self.cached: set[str] = set()

    async def load_page(self, path: str) -> str:
        """GET a page of the app as a browser loads it (then what it names that is not cached); its HTML."""
        page = await self.http.get(path, headers={"Accept": "text/html"})
        page.raise_for_status()
        for asset in [*ASSET.findall(page.text), *LATER_ASSETS]:
            if asset not in self.cached:
                self.cached.add(asset)
                await self.http.get(asset)
        return page.text

    async def collect_session(self, ticket: str) -> None:
        """Trade a sign-in's one-time ticket for the session cookie, as custom.js does after every sign-in."""
        answer = await self.http.post("/_extramile/cookie", content=ticket, headers={"Origin": self.origin})
        answer.raise_for_status()

    def websocket_headers(self) -> dict[str, str]:
        cookies = "; ".join(f"{name}={value}" for name, value in self.http.cookies.items())
        return {"Cookie": cookies, "User-Agent": USER_AGENT}

    def websocket_url(self, kernel_id: str, page_id: str) -> str:
        return (self.base_url.replace("http", "ws", 1)
                + f"/jupyter/api/kernels/{kernel_id}/channels?session_id={page_id}")

    async def close(self) -> None:
        await self.http.aclose()


@dataclass
class Model:
    comm_id: str
    state: dict
    closed: bool = False

    @property
    def name(self) -> str:
        return self.state.get("_model_name", "")

    def refs(self) -> list[str]:
        """The models this one holds (children, layout, style...), as the front end resolves them."""
        found: list[str] = []

        def walk(value: object) -> None:
            if isinstance(value, str) and value.startswith(REF):
                found.append(value[len(REF):])
            elif isinstance(value, list | tuple):
                for item in value:
                    walk(item)
            elif isinstance(value, dict):
                for item in value.values():
                    walk(item)
        for key, value in self.state.items():
            if key not in ("layout", "style"):
                walk(value)
        return found

    def classes(self) -> list[str]:
        return list(self.state.get("_dom_classes") or [])


@dataclass
class Tab:
    """One page view: a websocket to the server and the widgets it shows."""

    browser: Browser
    path: str
    kernel_id: str = field(default_factory=lambda: str(uuid.uuid4()))
    page_id: str = field(default_factory=lambda: str(uuid.uuid4()))
    models: dict[str, Model] = field(default_factory=dict)
    root: str | None = None
    closed_because: str | None = None
    _socket: ClientConnection | None = None
    _reader: asyncio.Task | None = None
    _changed: asyncio.Condition = field(default_factory=asyncio.Condition)
    _replies: dict[str, dict] = field(default_factory=dict)

    async def open(self, timeout: float) -> None:
        """Load the page, connect, run the app at this path and wait until its widgets are shown."""
        await self.browser.load_page(self.path)
        self._socket = await connect(self.browser.websocket_url(self.kernel_id, self.page_id),
                                     origin=self.browser.origin, additional_headers=self.browser.websocket_headers(),
                                     max_size=None, ping_interval=None, open_timeout=timeout)
        self._reader = asyncio.create_task(self._read())
        await self._request("kernel_info_request", {}, timeout)
        control = str(uuid.uuid4())
        await self._send("comm_open", {"comm_id": control, "target_name": "solara.control", "data": {}})
        await self._send("comm_msg", {"comm_id": control, "data": {"method": "run", "args": {
            "path": self.path, "dark": False, "themes": {"light": {}, "dark": {}}, "appName": None}}})
        await self.until(lambda: self.root is not None, timeout, "the page to be built")
        theme = self.find(lambda m: m.name == "ThemeModel")
        if theme is not None:
            await self.update(theme, {"dark_effective": False})

    async def leave(self) -> None:
        """Close the page as a browser does: the websocket, then the close beacon."""
        if self._socket is not None:
            await self._socket.close()
        if self._reader is not None:
            await asyncio.gather(self._reader, return_exceptions=True)
        try:
            await self.browser.http.post(f"/_solara/api/close/{self.kernel_id}", params={"session_id": self.page_id})
        except httpx.HTTPError:
            pass  # a beacon is fire-and-forget: a browser never learns whether it arrived

    # What a person does

    async def update(self, model: Model, state: dict) -> None:
        """A field changed in the page: the front end sends the new state (and keeps it itself)."""
        model.state.update(state)
        await self._send("comm_msg", {"comm_id": model.comm_id, "data": {
            "method": "update", "state": state, "buffer_paths": []}})

    async def click(self, model: Model, event: str = "click") -> None:
        data: dict = {"event": event}
        if event != "click":
            data["data"] = {"type": "click", "button": 0, "detail": 1, "isTrusted": True}
        await self._send("comm_msg", {"comm_id": model.comm_id, "data": {"method": "custom", "content": data}})

    # What a person sees

    def shown(self) -> list[Model]:
        """The widgets reachable from the page's root, in document order."""
        if self.root is None:
            return []
        seen: set[str] = set()
        order: list[Model] = []
        stack = [self.root]
        while stack:
            comm_id = stack.pop()
            model = self.models.get(comm_id)
            if comm_id in seen or model is None or model.closed:
                continue
            seen.add(comm_id)
            order.append(model)
            stack.extend(reversed(model.refs()))
        return order

    def find(self, test: Callable[[Model], bool], within: Model | None = None) -> Model | None:
        return next(iter(self.find_all(test, within)), None)

    def find_all(self, test: Callable[[Model], bool], within: Model | None = None) -> list[Model]:
        if within is None:
            return [m for m in self.shown() if test(m)]
        inside = [within]
        for model in inside:
            inside.extend(self.models[r] for r in model.refs() if r in self.models and self.models[r] not in inside)
        return [m for m in inside if test(m)]

    async def until(self, condition: Callable[[], object], timeout: float, what: str) -> object:
        """Wait until the page shows something; Disconnected or TimeoutError (naming `what`) otherwise."""
        deadline = time.monotonic() + timeout
        async with self._changed:
            while True:
                result = condition()
                if result:
                    return result
                if self.closed_because is not None:
                    raise Disconnected(f"{self.closed_because}, waiting for {what}")
                left = deadline - time.monotonic()
                if left <= 0:
                    raise TimeoutError(f"no {what} after {timeout:g} s")
                try:
                    await asyncio.wait_for(self._changed.wait(), left)
                except TimeoutError:
                    continue

    # The wire

    async def _send(self, msg_type: str, content: dict) -> str:
        if self._socket is None or self.closed_because is not None:
            raise Disconnected(self.closed_because or "not connected")
        msg_id = str(uuid.uuid4())
        message = {"header": {"msg_id": msg_id, "msg_type": msg_type, "session": self.page_id, "username": "",
                              "date": datetime.now(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z"),
                              "version": "5.2"},
                   "parent_header": {}, "metadata": {}, "content": content, "buffers": [], "channel": "shell"}
        try:
            await self._socket.send(json.dumps(message))
        except ConnectionClosed as exc:
            raise Disconnected(_why(exc)) from None
        return msg_id

    async def _request(self, msg_type: str, content: dict, timeout: float) -> dict:
        msg_id = await self._send(msg_type, content)
        return await self.until(lambda: self._replies.pop(msg_id, None), timeout, f"reply to {msg_type}")

    async def _read(self) -> None:
        try:
            async for raw in self._socket:
                message = json.loads(raw) if isinstance(raw, str) else _binary_message(raw)
                async with self._changed:
                    self._receive(message)
                    self._changed.notify_all()
        except ConnectionClosed as exc:
            reason = _why(exc)
        else:
            reason = "closed"
        async with self._changed:
            self.closed_because = reason
            self._changed.notify_all()

    def _receive(self, message: dict) -> None:
        kind, content = message["header"]["msg_type"], message.get("content", {})
        if kind.endswith("_reply"):
            self._replies[message.get("parent_header", {}).get("msg_id", "")] = content
        elif kind == "comm_open":
            state = content.get("data", {}).get("state", {})
            self.models[content["comm_id"]] = Model(content["comm_id"], dict(state))
        elif kind == "comm_msg":
            data = content.get("data", {})
            model = self.models.get(content.get("comm_id"))
            if data.get("method") in ("update", "echo_update") and model is not None:
                model.state.update(data.get("state", {}))
            elif data.get("method") == "finished" and data.get("widget_id"):
                self.root = data["widget_id"]
        elif kind == "comm_close":
            model = self.models.get(content.get("comm_id"))
            if model is not None:
                model.closed = True


def _why(exc: ConnectionClosed) -> str:
    close = exc.rcvd or exc.sent
    return f"disconnected ({close.code}: {close.reason})" if close else "disconnected (no close frame)"


def _binary_message(raw: bytes) -> dict:
    """Jupyter's binary websocket message: offsets to the JSON part and its buffers (which we do not need)."""
    count = struct.unpack("!I", raw[:4])[0]
    offsets = struct.unpack(f"!{count}I", raw[4:4 + 4 * count])
    end = offsets[1] if count > 1 else len(raw)
    return json.loads(raw[offsets[0]:end].decode())

"""Pages of the participant app opened the way their script opens them, without a browser: for floods and origins.

A browser page costs the test machine a renderer; what a page costs the server is its HTTP load, its
websocket and the app it runs there. This client does those on the wire, as the page's script does
(Jupyter messages over the websocket, Solara's control comm and its "run"), so a test can open
hundreds of pages honestly and cheaply, from any address of this machine's loopback (127.0.0.0/8):
to the server, each source address is another machine in the room.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import json
import socket
import uuid
from collections import Counter
from http.cookies import SimpleCookie
from urllib.parse import urlsplit

from websockets.asyncio.client import connect as connect_async
from websockets.exceptions import InvalidStatus
from websockets.sync.client import connect

OPENED, REFUSED, BUSY_PAGE = "opened", "refused", "busy page"


def message(msg_type: str, content: dict) -> str:
    header = {"msg_id": uuid.uuid4().hex, "msg_type": msg_type, "session": uuid.uuid4().hex, "username": "",
              "version": "5.3", "date": ""}
    return json.dumps({"header": header, "parent_header": {}, "metadata": {}, "content": content,
                       "channel": "shell", "buffers": []})


def run_app(path: str = "/") -> list[str]:
    """What the page's script sends to have the server build the page: open the control comm, then run."""
    control = uuid.uuid4().hex
    return [message("comm_open", {"comm_id": control, "target_name": "solara.control", "data": {}}),
            message("comm_msg", {"comm_id": control, "data": {"method": "run", "args": {"path": path,
                                                                                      "appName": None}}})]


def kernel_url(base_url: str, kernel: str | None = None) -> str:
    return (base_url.replace("http", "ws", 1) + f"/jupyter/api/kernels/{kernel or uuid.uuid4()}/channels"
            f"?session_id={uuid.uuid4()}")


def finished(frame: str | bytes) -> bool:
    return isinstance(frame, str) and '"method": "finished"' in frame


def open_kernel(base_url: str, *, origin: str | None, source: str = "127.0.0.1", kernel: str | None = None,
                cookie: str | None = None) -> str:
    """Open a page's websocket and close it at once (the server keeps its kernel): OPENED or REFUSED."""
    address = urlsplit(base_url)
    sock = socket.create_connection((address.hostname, address.port), timeout=30, source_address=(source, 0))
    try:
        with connect(kernel_url(base_url, kernel), sock=sock, origin=origin, open_timeout=30,
                     additional_headers={"Cookie": cookie} if cookie else None):
            return OPENED
    except InvalidStatus:
        return REFUSED
    finally:
        sock.close()


async def load_page(base_url: str, path: str = "/", source: str = "127.0.0.1") -> tuple[int, str | None]:
    """GET a page as a browser's first request: (status, the Solara cookie it set)."""
    address = urlsplit(base_url)
    reader, writer = await asyncio.open_connection(address.hostname, address.port, local_addr=(source, 0))
    try:
        writer.write(f"GET {path} HTTP/1.1\r\nHost: {address.netloc}\r\nConnection: close\r\n\r\n".encode())
        await writer.drain()
        head = (await reader.readuntil(b"\r\n\r\n")).decode("latin-1")
        await reader.read()
    finally:
        writer.close()
    status = int(head.split(" ", 2)[1])
    cookies = SimpleCookie()
    for line in head.split("\r\n"):
        if line.lower().startswith("set-cookie:"):
            cookies.load(line.split(":", 1)[1].strip())
    session = cookies.get("solara-session-id")
    return status, session.value if session else None


async def open_page(base_url: str, path: str = "/", source: str = "127.0.0.1", timeout: float = 120,
                    load_first: bool = True) -> str:
    """A whole page as a browser opens it: load, websocket, the app built; then the tab is dropped.

    Dropped as a script or a vanished laptop drops it: no close beacon, so the server keeps the tab for
    its return until the tab timeout. `load_first=False` skips the page load, as a script may.
    OPENED, BUSY_PAGE (the load was turned away) or REFUSED (the websocket was).
    """
    session = str(uuid.uuid4())  # a script picks its Solara cookie
    if load_first:
        status, session = await load_page(base_url, path, source)
        if status != 200:
            return BUSY_PAGE
    try:
        async with connect_async(kernel_url(base_url), origin=base_url, open_timeout=timeout,
                                 additional_headers={"Cookie": f"solara-session-id={session}"},
                                 local_addr=(source, 0), max_size=None) as socket_:
            for frame in run_app(path):
                await socket_.send(frame)
            async with asyncio.timeout(timeout):
                while not finished(await socket_.recv()):
                    pass
    except InvalidStatus:
        return REFUSED
    return OPENED


def flood(base_url: str, pages: int, source: str) -> concurrent.futures.Future:
    """Open `pages` pages at once, straight over the websocket, from `source`, in a thread of their own.

    The future gives how many were OPENED, REFUSED and turned away as a BUSY_PAGE.
    """
    async def all_at_once() -> Counter:
        opened = await asyncio.gather(*(open_page(base_url, source=source, timeout=300, load_first=False)
                                        for _ in range(pages)), return_exceptions=True)
        return Counter(result if isinstance(result, str) else type(result).__name__ for result in opened)

    executor = concurrent.futures.ThreadPoolExecutor(max_workers=1)
    future = executor.submit(asyncio.run, all_at_once())
    executor.shutdown(wait=False)
    return future

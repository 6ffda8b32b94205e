"""The journal service's own tornado app, served from a thread of the test process.

Everything of the service runs as deployed (its routes, the access rules,
the store's fsync'ed files) except the hub's token check: `TokensOfTheHub`
answers HubAuth's one question (who holds this token?) from a dict, so the
unit suite can exercise `RemoteJournal` against the real service without
starting a JupyterHub (tests/hub does that, with real tokens).
"""

from __future__ import annotations

import asyncio
import threading
from pathlib import Path

from tornado.httpserver import HTTPServer
from tornado.netutil import bind_sockets

from extramile.hub.journal_service import FACILITATOR_SCOPE, Store, make_app

PREFIX = "/services/journal/"


class TokensOfTheHub:
    """Stands in for HubAuth: the user model behind each token, or None for a token the hub does not know."""

    access_scopes: set[str] = set()  # no scope required: every user the hub knows gets in, as in the deployment

    def __init__(self) -> None:
        self.users: dict[str, dict] = {}

    def token_for(self, name: str, facilitator: bool = False) -> str:
        token = f"token-of-{len(self.users)}"
        self.users[token] = {"kind": "user", "name": name, "scopes": [FACILITATOR_SCOPE] if facilitator else []}
        return token

    async def get_user(self, handler: object, sync: bool = True) -> dict | None:
        given = handler.request.headers.get("Authorization", "").removeprefix("token ")
        return dict(self.users[given]) if given in self.users else None


class ServiceInProcess:
    """The service on 127.0.0.1 with its own event loop thread; `url` is what the hub hands kernels."""

    def __init__(self, store: Path) -> None:
        self.store_dir = store
        self.hub = TokensOfTheHub()
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self._loop.run_forever, daemon=True)
        self._thread.start()
        port = asyncio.run_coroutine_threadsafe(self._start(), self._loop).result(timeout=30)
        self.url = f"http://127.0.0.1:{port}{PREFIX}"

    async def _start(self) -> int:
        self._server = HTTPServer(make_app(Store(self.store_dir), self.hub, PREFIX))
        sockets = bind_sockets(0, "127.0.0.1")
        self._server.add_sockets(sockets)
        return sockets[0].getsockname()[1]

    def token_for(self, name: str, facilitator: bool = False) -> str:
        return self.hub.token_for(name, facilitator)

    def close(self) -> None:
        async def stop() -> None:
            self._server.stop()
            await self._server.close_all_connections()

        asyncio.run_coroutine_threadsafe(stop(), self._loop).result(timeout=30)
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(timeout=30)
        self._loop.close()

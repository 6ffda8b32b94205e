"""The floor under a save through the journal service: a tornado handler that appends the body and fsyncs.

    python benchmarks/bare_save_floor.py --port PORT --file PATH [--prefix /services/floor/]

It listens on 127.0.0.1 like the journal service, takes `POST <prefix>api/entries`
with the same body a kernel's RemoteJournal sends, appends it as one line to
one file, fsyncs, and answers `{"entry": <the body>}` so the same client code
reads the reply. No authentication, no parsing, no per-participant file, no
lock: whatever the journal service adds on top of this is its own cost. Like
the service, it fsyncs off the event loop, so concurrent saves overlap the
same way. benchmarks/bench_hub.py times saves here against saves through the
service, from the same kernels, interleaved.
"""

from __future__ import annotations

import argparse
import asyncio
import os
from pathlib import Path

from tornado import web
from tornado.httpserver import HTTPServer


class Floor(web.RequestHandler):
    def initialize(self, path: Path) -> None:
        self.path = path

    async def post(self) -> None:
        line = self.request.body + b"\n"
        await asyncio.get_running_loop().run_in_executor(None, append, self.path, line)
        self.set_status(201)
        self.set_header("Content-Type", "application/json")
        self.finish(b'{"entry": ' + self.request.body + b"}")

    def check_xsrf_cookie(self) -> None:
        """No cookies, no forms: like the service, only tokens (here: nothing) in headers."""


def append(path: Path, line: bytes) -> None:
    """One line appended and fsync'ed with nothing around it: the floor of a save (bench_journal.py too)."""
    fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
    try:
        os.write(fd, line)
        os.fsync(fd)
    finally:
        os.close(fd)


async def serve(port: int, path: Path, prefix: str) -> None:
    app = web.Application([(f"{prefix}api/entries", Floor, {"path": path})])
    HTTPServer(app).listen(port, "127.0.0.1")
    await asyncio.Event().wait()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--file", type=Path, required=True)
    parser.add_argument("--prefix", default="/services/floor/")
    args = parser.parse_args()
    asyncio.run(serve(args.port, args.file, args.prefix))


if __name__ == "__main__":
    main()

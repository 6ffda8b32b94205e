"""Give memory the room no longer uses back to the machine.

Each sign-in hashes a passphrase with scrypt, which needs 16 MiB for a
moment. glibc's allocator, seeing big blocks come and go, starts serving them
from its heaps instead of mapping them afresh, and then keeps them: forty
sign-ins left about 13 MiB per participant behind in the server. A fixed
threshold (blocks of 1 MiB and more are always mapped, and unmapped when
freed) stops that, and a trim every few seconds returns what the heaps hold
free, such as what forty pages built at once needed while being built.

Pages opened and abandoned by the hundred (a script, a flood) left more:
Python's own allocator keeps a 1 MiB arena as long as one object in it
lives, and a burst scatters a few survivors over many arenas (200 abandoned
pages kept 230 MiB after they were freed; about 30 MiB now). So the server runs with Python's
objects in the C library's heaps (PYTHONMALLOC=malloc, about 5% more CPU per
page), where the trim can hand back any free page. And each tab's websocket
runs in a worker thread that lingers, holding memory, until the next page
arrives; a no-op job every few seconds lets idle ones end.
Where there is no glibc (macOS, musl), this does nothing.
"""

from __future__ import annotations

import asyncio
import ctypes
import ctypes.util
import os
import sys
import threading
import time

EVERY_SECONDS = 5.0
M_MMAP_THRESHOLD = -3  # mallopt parameter, from glibc's malloc.h
MAPPED_FROM_BYTES = 1 << 20


def _glibc() -> ctypes.CDLL | None:
    name = ctypes.util.find_library("c")
    try:
        libc = ctypes.CDLL(name) if name else None
        return libc if libc is not None and hasattr(libc, "malloc_trim") and hasattr(libc, "mallopt") else None
    except OSError:
        return None


def start() -> threading.Thread | None:
    """Fix the threshold and trim in a daemon thread for the life of the process; None without glibc."""
    libc = _glibc()
    if libc is None:
        return None
    libc.mallopt(M_MMAP_THRESHOLD, MAPPED_FROM_BYTES)

    def keep_returning() -> None:
        while True:
            time.sleep(EVERY_SECONDS)
            libc.malloc_trim(0)
    thread = threading.Thread(target=keep_returning, name="extramile-memory-return", daemon=True)
    thread.start()
    return thread


def run_with_c_malloc() -> None:
    """Start this `python -m extramile ...` process again with PYTHONMALLOC=malloc, before anything is loaded.

    Python reads the setting only when it starts. Same process id, same arguments; nothing when already
    set, without glibc, or when the process was not started as `python -m extramile` (a test calling in).
    """
    if os.environ.get("PYTHONMALLOC") == "malloc" or _glibc() is None or sys.orig_argv[1:3] != ["-m", "extramile"]:
        return
    sys.stdout.flush()
    os.execve(sys.executable, [sys.executable, *sys.orig_argv[1:]], {**os.environ, "PYTHONMALLOC": "malloc"})


async def end_idle_threads() -> None:
    """For the life of the server's event loop: a no-op job in a worker thread every EVERY_SECONDS.

    anyio ends a worker idle for ten seconds only when a job comes in; this job is that arrival.
    """
    import anyio

    while True:
        await asyncio.sleep(EVERY_SECONDS)
        await anyio.to_thread.run_sync(_nothing)


def _nothing() -> None:
    """The job: the thread it runs on is kept, the ones idle for longer end."""

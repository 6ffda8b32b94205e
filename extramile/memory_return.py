"""Give memory the room no longer uses back to the machine.

Each sign-in hashes a passphrase with scrypt, which needs 16 MiB for a
moment. glibc's allocator, seeing big blocks come and go, starts serving them
from its heaps instead of mapping them afresh, and then keeps them: forty
sign-ins left about 13 MiB per participant behind in the server. A fixed
threshold (blocks of 1 MiB and more are always mapped, and unmapped when
freed) stops that, and a trim every few seconds returns what the heaps hold
free, such as what forty pages built at once needed while being built.
Where there is no glibc (macOS, musl), this does nothing.
"""

from __future__ import annotations

import ctypes
import ctypes.util
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

"""What a server costs the machine: CPU seconds and memory of its whole process tree, and its peak memory.

Benchmarks measure the server's own processes, not wall time alone: a
client on the same two cores (browsers, a simulated crowd) would otherwise
count as the server's work, or hide it.
"""

from __future__ import annotations

import threading

import psutil


def tree_cpu_seconds(pid: int) -> float:
    """CPU of the server, its living children and the children it has already reaped."""
    server = psutil.Process(pid)
    times = server.cpu_times()
    total = times.user + times.system + times.children_user + times.children_system
    for child in server.children(recursive=True):
        try:
            child_times = child.cpu_times()
            total += child_times.user + child_times.system
        except psutil.Error:
            pass
    return total


def tree_rss_mib(pid: int) -> float:
    server = psutil.Process(pid)
    total = 0
    for process in (server, *server.children(recursive=True)):
        try:
            total += process.memory_info().rss
        except psutil.Error:
            pass
    return total / 2**20


class PeakMemory:
    """The server tree's largest RSS while it runs, sampled from a thread of this process."""

    def __init__(self, pid: int, every: float = 0.25) -> None:
        self.pid = pid
        self.every = every
        self.peak_mib = tree_rss_mib(pid)
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._sample, daemon=True, name="peak-memory")

    def __enter__(self) -> PeakMemory:
        self._thread.start()
        return self

    def __exit__(self, *_exc: object) -> None:
        self._stop.set()
        self._thread.join()

    def _sample(self) -> None:
        while not self._stop.wait(self.every):
            try:
                self.peak_mib = max(self.peak_mib, tree_rss_mib(self.pid))
            except psutil.Error:
                return


def app_process_cpu_seconds(pid: int) -> dict[int, float]:
    """CPU of each app process of a room served by several (serve --workers: the children given a --socket)."""
    found = {}
    for child in psutil.Process(pid).children(recursive=True):
        try:
            if "--socket" in child.cmdline():
                times = child.cpu_times()
                found[child.pid] = times.user + times.system
        except psutil.Error:
            pass
    return found

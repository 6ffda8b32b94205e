"""Small helpers the hub tests share: free ports, JSON over HTTP, waiting for a condition."""

from __future__ import annotations

import json
import os
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

FACILITATOR = "fran"


def missing(what: str) -> None:
    """Skip for want of `what`; under CI=true fail instead, so CI really runs the hub tests."""
    if os.environ.get("CI") == "true":
        pytest.fail(f"{what} (CI=true: the hub tests must run)")
    pytest.skip(what)


def http(method: str, url: str, token: str | None = None, body=None, timeout: float = 30) -> tuple[int, dict]:
    """One JSON request; returns (status, decoded body), never raises for an HTTP status."""
    data = None if body is None else json.dumps(body).encode()
    headers = {"Content-Type": "application/json"}
    if token:
        headers["Authorization"] = f"token {token}"
    request = urllib.request.Request(url, data=data, method=method, headers=headers)
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
    try:
        with opener.open(request, timeout=timeout) as response:
            status, raw = response.status, response.read()
    except urllib.error.HTTPError as exc:
        status, raw = exc.code, exc.read()
    try:
        return status, json.loads(raw) if raw else {}
    except ValueError:
        return status, {"raw": raw.decode(errors="replace")}


def wait_until(check, seconds: float, what: str, log: Path | None = None):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            result = check()
        except OSError:
            result = None
        if result:
            return result
        time.sleep(0.2)
    tail = log.read_text(errors="replace")[-4000:] if log and log.exists() else ""
    raise AssertionError(f"{what} within {seconds:g} s\n{tail}")

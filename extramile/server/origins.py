"""Which pages may talk to the room's server: the ones it served, and those the facilitator names.

Cookies do not tell ports apart, so a participant's browser sends its session
cookie to this server from any page on the same machine: another service on
the facilitator's laptop, a page on port 9999. Such a page must not read or
write through the participant's session. Browsers say which page a request
comes from in `Origin`, on every websocket and every request that changes
something; the guard (extramile/server/room_guard.py) lets through only an `Origin`
equal to the address the request was sent to (its `Host`, in the scheme it
arrived by) or one listed in EXTRAMILE_ORIGINS (the address a reverse proxy
serves the room at, say), and logs every other with what it was.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Mapping
from urllib.parse import urlsplit

log = logging.getLogger(__name__)

DEFAULT_PORTS = {"http": 80, "https": 443}


def normal(origin: str) -> str | None:
    """`scheme://host:port` with the port always written, lower case; None for anything else (`null` too)."""
    try:
        parts = urlsplit(origin.strip())
        port = parts.port or DEFAULT_PORTS.get(parts.scheme)
    except ValueError:
        return None
    if parts.scheme not in DEFAULT_PORTS or not parts.hostname or port is None or parts.path not in ("", "/"):
        return None
    host = f"[{parts.hostname}]" if ":" in parts.hostname else parts.hostname
    return f"{parts.scheme}://{host.lower()}:{port}"


def configured(environ: Mapping[str, str] = os.environ) -> frozenset[str]:
    """The facilitator's extra origins, from EXTRAMILE_ORIGINS ("https://room.example.org, http://10.0.0.5:8866")."""
    listed = (normal(origin) for origin in environ.get("EXTRAMILE_ORIGINS", "").split(",") if origin.strip())
    return frozenset(origin for origin in listed if origin)


def _header(scope: Mapping, name: bytes) -> str | None:
    for key, value in scope.get("headers", ()):
        if key == name:
            return value.decode("latin-1")
    return None


def served_from(scope: Mapping) -> str | None:
    """The origin of the address this request was sent to: its scheme and its Host header."""
    host = _header(scope, b"host")
    scheme = "https" if scope.get("scheme") in ("https", "wss") else "http"
    return normal(f"{scheme}://{host}") if host else None


class Origins:
    """The guard's check, with the facilitator's list read once at start."""

    def __init__(self, extra: frozenset[str] | None = None) -> None:
        self.extra = configured() if extra is None else extra

    def allows(self, scope: Mapping) -> bool:
        """True when the request comes from a page of this server; else logs why it is refused."""
        sent = _header(scope, b"origin")
        own = served_from(scope)
        if sent is not None and normal(sent) in {own, *self.extra} - {None}:
            return True
        what = "websocket" if scope.get("type") == "websocket" else f"{scope.get('method')} request"
        log.warning("Refused a %s to %s from a page at %s: this server answers pages from %s%s "
                    "(EXTRAMILE_ORIGINS adds other addresses)", what, scope.get("path"),
                    sent or "an unknown origin (no Origin header)", own or "an unknown address",
                    "".join(f", {origin}" for origin in sorted(self.extra)))
        return False

"""The addresses `make workshop` prints: the participants' and the facilitator's console.

Apart from serve.py because both ways of serving the room print them: one
process (serve.py) and several behind HAProxy (workers.py).
"""

from __future__ import annotations

import ipaddress
import socket


def announce(host: str, port: int, new_passphrase: str | None, tls: bool = False) -> None:
    """The two addresses: the participants' and, on the next line, the facilitator's console with its passphrase."""
    url = participant_url(host, port, tls)
    note = " (this computer only: start with HOST=0.0.0.0 make workshop for the room)" if is_loopback(host) else ""
    print(f"Extra Mile is ready. Participants open: {url}{note}", flush=True)
    secret = (f"passphrase: {new_passphrase} (new at every start; FACILITATOR_PASSPHRASE sets your own)"
              if new_passphrase else "passphrase: the one in FACILITATOR_PASSPHRASE")
    print(f"Facilitator console (never show it on the projector): {url}facilitator  {secret}", flush=True)


def participant_url(host: str, port: int, tls: bool = False) -> str:
    if host in ("0.0.0.0", "", "::"):
        host = lan_address() or socket.gethostname()
    elif ":" in host:
        host = f"[{host}]"
    return f"{'https' if tls else 'http'}://{host}:{port}/"


def is_loopback(host: str) -> bool:
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return host == "localhost"


def lan_address() -> str | None:
    """This machine's address on the room's network, read from its interfaces.

    Reading interfaces sends no packet anywhere (unlike resolving the host name,
    which may ask a DNS server).
    """
    try:
        import psutil
    except ImportError:
        return None
    stats = psutil.net_if_stats()
    candidates = [
        (name, addr.address)
        for name, addrs in psutil.net_if_addrs().items()
        if name in stats and stats[name].isup
        for addr in addrs
        if addr.family == socket.AF_INET
    ]
    return pick_lan_address(candidates)


VIRTUAL_INTERFACES = ("docker", "br-", "veth", "virbr", "vmnet", "vboxnet", "utun", "tun", "tap", "zt",
                      "tailscale")


def pick_lan_address(candidates: list[tuple[str, str]]) -> str | None:
    """Best IPv4 address for people in the room: real interfaces before virtual ones
    (docker, VPN), private addresses before public ones; never loopback or link-local."""

    def rank(item: tuple[str, str]) -> tuple[int, int]:
        name, address = item
        ip = ipaddress.IPv4Address(address)
        return (1 if name.lower().startswith(VIRTUAL_INTERFACES) else 0, 0 if ip.is_private else 1)

    usable = [
        (name, address)
        for name, address in candidates
        if not ipaddress.IPv4Address(address).is_loopback and not ipaddress.IPv4Address(address).is_link_local
    ]
    return min(usable, key=rank)[1] if usable else None

"""The room's front door as a script in the room would try it: other origins, spoofed addresses, pages opened
straight over the websocket, pages abandoned. One server with small caps; each test comes from an address
of its own on this machine's loopback, so to the server each is another machine.
"""

from __future__ import annotations

import asyncio
import time
import urllib.error
import urllib.request
import uuid
from concurrent.futures import ThreadPoolExecutor

import pytest

from extramile.server.origins import Origins
from extramile.server.room_guard import BUSY, TOO_MANY_TABS, TURNS_PER_ADDRESS, AddressBook, RoomGuard
from tests.room_client import OPENED, REFUSED, open_kernel

LOADS_PER_MINUTE = 6
TABS_PER_ADDRESS = 4
TABS_PER_BROWSER = 2  # the room's is 30
TAB_TIMEOUT = 3  # seconds an abandoned tab is kept here; the room's is 60 (test_serve checks it)


@pytest.fixture(scope="module")
def door(app_servers):
    return app_servers(env={"EXTRAMILE_PAGE_LOADS_PER_MINUTE": str(LOADS_PER_MINUTE),
                            "EXTRAMILE_TABS_PER_ADDRESS": str(TABS_PER_ADDRESS),
                            "EXTRAMILE_TABS_PER_BROWSER": str(TABS_PER_BROWSER),
                            "EXTRAMILE_TAB_TIMEOUT": str(TAB_TIMEOUT)})


def post(url: str, origin: str | None, body: bytes = b"x") -> int:
    request = urllib.request.Request(url, data=body, method="POST", headers={"Origin": origin} if origin else {})
    try:
        with urllib.request.urlopen(request, timeout=30) as answer:
            return answer.status
    except urllib.error.HTTPError as error:
        return error.code


def test_a_websocket_from_a_page_on_another_port_is_refused_and_logged(door):
    elsewhere = door.base_url.rsplit(":", 1)[0] + ":9999"
    assert open_kernel(door.base_url, origin=elsewhere, source="127.0.0.6") == REFUSED
    assert open_kernel(door.base_url, origin=None, source="127.0.0.6") == REFUSED  # browsers always send one
    assert open_kernel(door.base_url, origin=door.base_url, source="127.0.0.6") == OPENED
    assert any("Refused a websocket" in line and elsewhere in line for line in door.output)


@pytest.mark.parametrize("path", ["/_solara/api/close/x?session_id=y", "/_extramile/cookie", "/_extramile/follow"])
def test_requests_that_change_something_come_only_from_the_servers_own_pages(door, path):
    assert post(door.base_url + path, "http://127.0.0.1:9999") == 403
    assert post(door.base_url + path, None) == 403
    assert post(door.base_url + path, door.base_url) != 403


def test_a_made_up_ticket_sets_no_cookie(door):
    request = urllib.request.Request(door.base_url + "/_extramile/cookie", data=b"made-up", method="POST",
                                     headers={"Origin": door.base_url})
    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(request, timeout=30)
    assert refused.value.code == 404 and "set-cookie" not in refused.value.headers


def test_a_script_on_the_server_cannot_pose_as_many_addresses(door):
    """X-Forwarded-For is believed only from a proxy the facilitator names: here, none."""
    statuses = []
    for number in range(LOADS_PER_MINUTE + 2):
        request = urllib.request.Request(door.base_url + "/", headers={"X-Forwarded-For": f"10.9.0.{number}"})
        try:
            with urllib.request.urlopen(request, timeout=30) as answer:
                statuses.append(answer.status)
        except urllib.error.HTTPError as error:
            statuses.append(error.code)
    assert statuses[:LOADS_PER_MINUTE] == [200] * LOADS_PER_MINUTE and statuses[-1] == 503


def test_pages_opened_straight_over_the_websocket_count_against_the_address(door):
    opened = [open_kernel(door.base_url, origin=door.base_url, source="127.0.0.7")
              for _ in range(LOADS_PER_MINUTE + 2)]
    assert opened.count(OPENED) <= LOADS_PER_MINUTE and opened[-1] == REFUSED


def test_abandoned_pages_count_until_they_are_freed_then_the_address_may_open_more(door):
    kernels = [str(uuid.uuid4()) for _ in range(TABS_PER_ADDRESS)]
    assert [open_kernel(door.base_url, origin=door.base_url, source="127.0.0.8", kernel=k) for k in kernels] == [
        OPENED] * TABS_PER_ADDRESS
    assert open_kernel(door.base_url, origin=door.base_url, source="127.0.0.8") == REFUSED  # all closed, not freed
    assert open_kernel(door.base_url, origin=door.base_url, source="127.0.0.8", kernel=kernels[0]) == OPENED
    deadline = time.monotonic() + 10 * TAB_TIMEOUT  # freed a tab timeout after the socket closed
    while open_kernel(door.base_url, origin=door.base_url, source="127.0.0.8") == REFUSED:
        assert time.monotonic() < deadline, "abandoned pages were never freed"
        time.sleep(0.5)


def test_one_browser_holds_only_so_many_tabs_and_another_browser_is_not_affected(door):
    opened = [open_kernel(door.base_url, origin=door.base_url, source="127.0.0.9", cookie="solara-session-id=one")
              for _ in range(TABS_PER_BROWSER + 1)]
    assert opened == [OPENED] * TABS_PER_BROWSER + [REFUSED]
    assert open_kernel(door.base_url, origin=door.base_url, source="127.0.0.9",
                       cookie="solara-session-id=another") == OPENED


def test_kernels_per_address_are_capped_until_solara_frees_them():
    alive = {"k1", "k2"}
    book = AddressBook(page_loads_per_minute=100, tabs_per_address=2, alive=lambda kernel: kernel in alive)
    assert book.open_kernel("10.0.0.7", "k1", now=0) is None and book.open_kernel("10.0.0.7", "k2", now=0) is None
    assert book.open_kernel("10.0.0.7", "k3", now=1) == BUSY and book.may_load_page("10.0.0.7", now=1) == BUSY
    assert book.open_kernel("10.0.0.7", "k1", now=1) is None  # the same tab reconnecting
    assert book.open_kernel("10.0.0.8", "k4", now=1) is None  # another participant is not affected
    alive.discard("k1")
    assert book.open_kernel("10.0.0.7", "k3", now=2) is None


def test_page_loads_and_pages_opened_over_the_websocket_are_each_counted_per_minute():
    book = AddressBook(page_loads_per_minute=3, tabs_per_address=10)
    assert all(book.may_load_page("10.0.0.7", now=t) is None for t in (0, 1, 2))
    assert book.may_load_page("10.0.0.7", now=30) == BUSY
    assert book.may_load_page("10.0.0.7", now=62) is None
    assert all(book.open_kernel("10.0.0.7", f"k{n}", now=n) is None for n in range(3))  # no page loaded first
    assert book.open_kernel("10.0.0.7", "k3", now=30) == BUSY


def test_one_browser_may_hold_thirty_tabs():
    book = AddressBook(page_loads_per_minute=1000, tabs_per_address=1000)
    assert all(book.open_kernel("10.0.0.7", f"k{n}", "browser-a", now=0) is None for n in range(30))
    assert book.open_kernel("10.0.0.7", "k30", "browser-a", now=0) == TOO_MANY_TABS
    assert book.may_load_page("10.0.0.7", "browser-a", now=0) == TOO_MANY_TABS
    assert book.open_kernel("10.0.0.7", "k31", "browser-b", now=0) is None


class KernelMaker:
    """Solara as the guard sees it: on a socket's connect it makes the tab's kernel, then asks for a message.

    Kernels are made only when the test says so (`made`), so it can look at who is being made at once.
    """

    def __init__(self) -> None:
        self.making: dict[str, int] = {}
        self.most: dict[str, int] = {}
        self.made = asyncio.Event()

    async def __call__(self, scope, receive, send) -> None:
        address = scope["client"][0]
        assert (await receive())["type"] == "websocket.connect"
        self.making[address] = self.making.get(address, 0) + 1
        self.most[address] = max(self.most.get(address, 0), self.making[address])
        await self.made.wait()
        self.making[address] -= 1
        await receive()


def socket_scope(address: str) -> dict:
    return {"type": "websocket", "path": f"/jupyter/api/kernels/{uuid.uuid4()}/channels", "client": (address, 1),
            "headers": [(b"host", b"room:8866"), (b"origin", b"http://room:8866")]}


def test_a_flood_of_sockets_from_one_address_makes_its_kernels_a_few_at_a_time_and_others_go_first():
    async def flood_then_participant() -> KernelMaker:
        solara = KernelMaker()
        guard = RoomGuard(solara, AddressBook(1000, 1000), Origins(frozenset()))
        messages = [{"type": "websocket.connect"}, {"type": "websocket.disconnect"}]

        def connection(address: str):
            queue = iter(messages)
            return guard(socket_scope(address), lambda: asyncio.sleep(0, next(queue)), lambda _m: asyncio.sleep(0))
        flood = [asyncio.create_task(connection("10.0.0.2")) for _ in range(20)]
        participant = asyncio.create_task(connection("10.0.0.1"))
        for _ in range(50):
            await asyncio.sleep(0)
        assert solara.making.get("10.0.0.1") == 1, "another address is not held behind the flood"
        solara.made.set()
        await asyncio.gather(*flood, participant)
        return solara

    with ThreadPoolExecutor(1) as thread:  # a thread of its own: Playwright may already run a loop in this one
        solara = thread.submit(asyncio.run, flood_then_participant()).result(timeout=60)
    assert solara.most["10.0.0.2"] == TURNS_PER_ADDRESS

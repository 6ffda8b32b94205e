"""Run code in a user's kernel through their Jupyter server's REST and websocket API, as the user could.

This is what any participant can do from JupyterLab, a terminal or a script
with their own token, so the hub tests use it to play the curious participant.
"""

from __future__ import annotations

import asyncio
import json
import uuid
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime

from tornado.httpclient import HTTPRequest
from tornado.websocket import websocket_connect

from tests.hub.hubtools import http

RUN_SECONDS = 120  # generous: CI's two cores may be busy with other work


def run_code(server_url: str, token: str, code: str) -> str:
    """Start a kernel on the user's server, run `code`, return what it printed, shut the kernel down."""
    status, kernel = http("POST", f"{server_url}/api/kernels", token, {"name": "python3"})
    assert status == 201, kernel
    try:  # a thread of its own: Playwright's sync API may already run an event loop in this one
        with ThreadPoolExecutor(1) as thread:
            return thread.submit(lambda: asyncio.run(asyncio.wait_for(
                _execute(server_url, token, kernel["id"], code), RUN_SECONDS))).result()
    finally:
        http("DELETE", f"{server_url}/api/kernels/{kernel['id']}", token)


async def _execute(server_url: str, token: str, kernel_id: str, code: str) -> str:
    ws_url = server_url.replace("http://", "ws://", 1) + f"/api/kernels/{kernel_id}/channels"
    connection = await websocket_connect(HTTPRequest(ws_url, headers={"Authorization": f"token {token}"},
                                                     connect_timeout=RUN_SECONDS, request_timeout=RUN_SECONDS))
    session, msg_id = uuid.uuid4().hex, uuid.uuid4().hex
    connection.write_message(json.dumps({
        "header": {"msg_id": msg_id, "username": "test", "session": session, "msg_type": "execute_request",
                   "version": "5.3", "date": datetime.now(UTC).isoformat()},
        "parent_header": {}, "metadata": {}, "channel": "shell", "buffers": [],
        "content": {"code": code, "silent": False, "store_history": False, "user_expressions": {},
                    "allow_stdin": False, "stop_on_error": True},
    }))
    printed, failure, replied, idle = [], None, False, False
    try:
        while not (replied and idle):
            raw = await connection.read_message()
            if raw is None:
                raise AssertionError("the kernel's websocket closed")
            message = json.loads(raw)
            if message.get("parent_header", {}).get("msg_id") != msg_id:
                continue
            kind, content = message["msg_type"], message["content"]
            if kind == "stream":
                printed.append(content["text"])
            elif kind == "error":
                failure = "\n".join(content["traceback"])
            elif kind == "execute_reply":
                replied = True
            elif kind == "status" and content["execution_state"] == "idle":
                idle = True
    finally:
        connection.close()
    if failure:
        raise AssertionError(f"the code failed in the kernel:\n{failure}")
    return "".join(printed)

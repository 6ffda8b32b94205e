"""The query string of the Voila page this kernel serves (`s=TOKEN` signs a participant in).

Why a function and not just `os.environ["QUERY_STRING"]`: Voila gives a kernel
its page's request in one of two ways, and notebook code should not care which.

- Normal kernels (what `extramile serve` runs): Voila starts the kernel for the
  request, with CGI-style variables in its environment, QUERY_STRING among them.
- Preheated kernels (`--preheat_kernel=True`): the kernel was started and the
  notebook run *before* anyone asked for the page, so QUERY_STRING is not in its
  environment. `voila.utils.wait_for_request()` blocks until the page request
  arrives (over Voila's `/voila/query/<kernel id>` websocket), then fills
  os.environ. It must be asked once only: a second wait never returns, so the
  answer is remembered here.

Outside Voila (JupyterLab, nbval, unit tests) there is no page: "".
"""

from __future__ import annotations

import os

_waited = False


def query_string() -> str:
    global _waited
    if os.environ.get("VOILA_PREHEAT") == "True" and not _waited:
        _waited = True
        try:
            from voila.utils import wait_for_request
        except ImportError:  # a kernel without Voila installed: nothing to wait for
            pass
        else:
            wait_for_request()
    return os.environ.get("QUERY_STRING", "")

"""A participant running any code they like in their own kernel still reads and writes only what the rules allow.

The code runs in the participant's real single-user server, spawned by the
hub, with the token and environment the hub gave it.
"""

from __future__ import annotations

import json
import textwrap

import pytest

from extramile.store.remote_journal import RemoteJournal
from tests.hub.kernels import run_code

pytestmark = pytest.mark.timeout(600)  # a spawn and a kernel, on possibly busy cores

CURIOUS = textwrap.dedent("""
    import json, os, urllib.request
    from extramile.store.journal_store import open_journal

    journal = open_journal()
    seen = {"backend": type(journal).__name__, "user": os.environ["JUPYTERHUB_USER"]}
    journal.append(participant="uma", team="Jade", kind="profile", answer={"team": "Jade"})
    journal.append(participant="uma", team="Jade", kind="exercise", exercise="x", answer={"text": "uma's own"})
    seen["own"] = [e["answer"] for e in journal.entries("uma")]
    seen["vic"] = [e["answer"] for e in journal.entries("vic")]
    try:
        journal.append(participant="vic", team="Jade", kind="exercise", exercise="x", answer={"text": "forged"})
        seen["forged"] = "saved"
    except Exception as refusal:
        seen["forged"] = str(refusal)
    asked = urllib.request.Request(os.environ["EXTRAMILE_JOURNAL_URL"] + "api/entries",
                                   headers={"Authorization": "token " + os.environ["JUPYTERHUB_API_TOKEN"]})
    reply = json.load(urllib.request.urlopen(asked))
    seen["raw"] = sorted(str(e["answer"]) for j in reply["journals"] for e in j["entries"])
    print(json.dumps(seen))
""")


def test_a_participants_own_kernel_reads_only_their_own_and_their_teams_shared_answers(hub):
    vic = RemoteJournal(hub.journal_url, hub.token_for("vic"))
    vic.append(participant="vic", team="Jade", kind="profile", answer={"team": "Jade"})
    vic.append(participant="vic", team="Jade", kind="exercise", exercise="x", answer={"text": "vic's secret"})
    vic.append(participant="vic", team="Jade", kind="exercise", exercise="y", answer={"text": "vic shared"},
               shared=True)

    server = hub.start_server("uma")
    seen = json.loads(run_code(server, hub.token_for("uma"), CURIOUS))

    assert seen["backend"] == "RemoteJournal" and seen["user"] == "uma"
    assert seen["own"] == [{"team": "Jade"}, {"text": "uma's own"}]
    assert seen["vic"] == [{"text": "vic shared"}]
    assert seen["forged"] == "You can only save to your own journal."
    assert "vic's secret" not in json.dumps(seen)
    assert [e["answer"]["text"] for e in vic.entries("vic") if "text" in e["answer"]] == ["vic's secret",
                                                                                          "vic shared"]

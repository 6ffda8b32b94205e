"""One journal interface: the same contract holds for local files and for the journal service.

Each contract test runs twice: on a local `Journal` folder, and on
`RemoteJournal` talking to the real journal service (its tornado app, in
this process: tests/service_in_process.py). Zoë and Ann are in team Blue;
Ann shares one answer with the team and keeps one private.
"""

from pathlib import Path

import pytest

from extramile.exceptions import AnswerChanged, JournalError
from extramile.names import file_stem_for
from extramile.store.journal import Journal
from extramile.store.journal_store import JournalStore, open_journal
from extramile.store.remote_journal import RemoteJournal


@pytest.fixture(params=["local files", "journal service"])
def open_as(request, tmp_path):
    """`open_as(name)`: the journal as that participant's page would open it."""
    if request.param == "local files":
        folder = Journal(tmp_path / "journal")
        return lambda _name: folder
    service = request.getfixturevalue("journal_service")
    return lambda name: RemoteJournal(service.url, service.token_for(name))


def answer(journal, who, text, *, shared=False, replaces=None, precondition=None):
    return journal.append(participant=who, team="Blue", kind="exercise", exercise="notice-flavour-reflection",
                          answer={"text": text}, shared=shared, replaces=replaces, precondition=precondition)


def blue_team(open_as):
    zoe, ann = open_as("Zoë"), open_as("Ann")
    for who, journal in (("Zoë", zoe), ("Ann", ann)):
        journal.append(participant=who, team="Blue", kind="profile", answer={"team": "Blue"})
    return zoe, ann


def test_both_backends_are_journal_stores(open_as):
    assert isinstance(open_as("Zoë"), JournalStore)


def test_a_save_reads_back_and_a_new_version_replaces_the_old(open_as):
    zoe, _ann = blue_team(open_as)
    first = answer(zoe, "Zoë", "first thought")
    assert first["participant"] == "Zoë" and first["answer"] == {"text": "first thought"} and first["id"]
    second = answer(zoe, "Zoë", "second thought", replaces=first["id"])
    assert [e["answer"] for e in zoe.entries("Zoë")] == [{"team": "Blue"}, {"text": "second thought"}]
    assert [e["id"] for e in open_as("Zoë").entries("Zoë")][-1] == second["id"]  # another tab reads it too


def test_a_precondition_that_refuses_stores_nothing(open_as):
    zoe, _ann = blue_team(open_as)
    first = answer(zoe, "Zoë", "kept")

    def another_tab_saved_first(entries):
        raise AnswerChanged(None)

    with pytest.raises(AnswerChanged):
        answer(zoe, "Zoë", "lost?", replaces=first["id"], precondition=another_tab_saved_first)
    assert [e["answer"] for e in zoe.entries("Zoë")][-1] == {"text": "kept"}


def test_a_version_replaced_meanwhile_cannot_be_replaced_again(open_as):
    """Two tabs both editing the same answer: the second save is refused, on either backend."""
    zoe, _ann = blue_team(open_as)
    first = answer(zoe, "Zoë", "v1")
    assert zoe.entries("Zoë")[-1]["id"] == first["id"]  # this tab has read v1 ...
    answer(open_as("Zoë"), "Zoë", "v2 from the other tab", replaces=first["id"])  # ... then the other tab saved

    def still_current(entries):
        if first["id"] not in {e["id"] for e in entries}:
            raise AnswerChanged(entries[-1]["id"])

    with pytest.raises(AnswerChanged):
        answer(zoe, "Zoë", "v2 from this tab", replaces=first["id"], precondition=still_current)
    assert [e["answer"]["text"] for e in zoe.entries("Zoë") if e["kind"] == "exercise"] == ["v2 from the other tab"]


def test_every_journal_the_caller_may_read_is_listed_and_read_one_at_a_time(open_as):
    zoe, ann = blue_team(open_as)
    answer(zoe, "Zoë", "zoë's own")
    answer(ann, "Ann", "ann shared", shared=True)
    assert zoe.participants() == ["Ann", "Zoë"]
    by_stem = {path.stem: zoe.entries_in(path) for path in zoe.files()}
    assert set(by_stem) == {file_stem_for("Ann"), file_stem_for("Zoë")}
    shared = [e["answer"]["text"] for e in by_stem[file_stem_for("Ann")] if e["kind"] == "exercise"]
    assert shared == ["ann shared"]
    assert {e["answer"].get("text") for e in zoe.read_all()} >= {"zoë's own", "ann shared"}


def test_entries_are_the_callers_own_copy(open_as):
    zoe, _ann = blue_team(open_as)
    answer(zoe, "Zoë", "as saved")
    mine = zoe.entries("Zoë")
    mine[-1]["answer"]["text"] = "changed on the page only"
    assert zoe.entries("Zoë")[-1]["answer"] == {"text": "as saved"}


def test_a_name_that_cannot_be_stored_is_refused_with_a_sentence(open_as):
    with pytest.raises(JournalError, match="control character"):
        open_as("Zoë").entries("Zo\x1bë")


def test_local_files_have_a_folder_and_the_service_has_none(tmp_path, journal_service):
    local = Journal(tmp_path / "journal")
    assert local.directory == tmp_path / "journal" and local.location == str((tmp_path / "journal").resolve())
    remote = RemoteJournal(journal_service.url, journal_service.token_for("Zoë"))
    assert remote.directory is None and journal_service.url in remote.location


def test_open_journal_picks_the_service_under_a_hub_and_files_otherwise(monkeypatch, isolated_journal_dir,
                                                                        tmp_path):
    monkeypatch.delenv("EXTRAMILE_JOURNAL_URL", raising=False)
    journal = open_journal()
    assert type(journal) is Journal and journal.directory == isolated_journal_dir
    monkeypatch.setenv("EXTRAMILE_JOURNAL_URL", "http://127.0.0.1:1/services/journal/")
    journal = open_journal()
    assert type(journal) is RemoteJournal and journal.url == "http://127.0.0.1:1/services/journal/"
    assert type(open_journal(tmp_path)) is Journal  # a folder named on purpose stays local files
    monkeypatch.setenv("EXTRAMILE_JOURNAL_URL", "")
    assert type(open_journal()) is Journal


def test_no_bare_journal_can_quietly_stay_local_under_a_hub(monkeypatch):
    """`Journal()` used to turn into the service; now a folder must be named, so none reads the wrong store."""
    monkeypatch.setenv("EXTRAMILE_JOURNAL_URL", "http://127.0.0.1:1/services/journal/")
    with pytest.raises(TypeError):
        Journal()
    assert not isinstance(Path("journal"), JournalStore)

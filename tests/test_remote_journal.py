"""Choosing the backend, and what a participant reads when the journal service cannot be reached."""

import pytest

from extramile.journal import Journal, JournalError
from extramile.remote_journal import NOT_READ, NOT_SAVED, RemoteJournal
from tests.hub.hubtools import free_port


@pytest.fixture
def nobody_listening():
    return f"http://127.0.0.1:{free_port()}/services/journal/"


def test_under_a_hub_the_default_journal_is_the_service(monkeypatch, nobody_listening, tmp_path):
    monkeypatch.setenv("EXTRAMILE_JOURNAL_URL", nobody_listening)
    journal = Journal()
    assert isinstance(journal, RemoteJournal) and journal.url == nobody_listening
    assert type(Journal(tmp_path)) is Journal  # a folder named on purpose stays local files


def test_without_a_service_url_the_journal_is_local_files(monkeypatch, isolated_journal_dir):
    monkeypatch.delenv("EXTRAMILE_JOURNAL_URL", raising=False)
    assert type(Journal()) is Journal and Journal().directory == isolated_journal_dir


def test_a_save_to_a_service_that_does_not_answer_says_so_in_a_sentence(nobody_listening):
    journal = RemoteJournal(nobody_listening, token="t")
    with pytest.raises(JournalError) as saving:
        journal.append(participant="Zoë", team="Blue", kind="exercise", answer={"text": "kept"})
    assert str(saving.value) == NOT_SAVED
    with pytest.raises(JournalError) as reading:
        journal.entries("Zoë")
    assert str(reading.value) == NOT_READ


def test_the_service_path_shows_like_a_folder(nobody_listening):
    journal = RemoteJournal(nobody_listening, token="t")
    assert str(journal.directory.resolve()) == "/services/journal" and journal.directory.is_dir()
    assert journal.path_for("Zoë").name.endswith(".jsonl")


def test_in_a_notebook_a_journal_problem_shows_as_its_sentence(monkeypatch, nobody_listening):
    import IPython

    class Shell:
        handled = None

        def set_custom_exc(self, kinds, handler):
            self.handled = (kinds, handler)

    shell = Shell()
    monkeypatch.setattr(IPython, "get_ipython", lambda: shell)
    shown = []
    monkeypatch.setattr("IPython.display.display", lambda *objects: shown.extend(objects))
    RemoteJournal(nobody_listening, token="t")
    kinds, handler = shell.handled
    assert kinds == (JournalError,)
    handler(shell, JournalError, JournalError(NOT_READ), None)
    assert NOT_READ in shown[0].data and 'role="alert"' in shown[0].data


def test_room_files_beside_a_remote_journal_are_neither_found_nor_written(nobody_listening):
    """Under a hub the team-spelling registry has no folder: a team name is taken as typed, nothing is created."""
    from extramile.identity import Accounts

    journal = RemoteJournal(nobody_listening, token="t")
    assert Accounts(journal).teams.display("  Blue ") == "Blue"
    assert not (journal.directory / ".teams").exists()

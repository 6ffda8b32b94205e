"""Choosing the backend, and what a participant reads when the journal service cannot be reached."""

import pytest

from extramile.exceptions import JournalError
from extramile.journal import Journal
from extramile.remote_journal import NOT_READ, NOT_SAVED, RemoteJournal
from tests.conftest import free_port


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


class FakeService:
    """A journal service on loopback that counts connections and requests, and can misbehave on cue."""

    def __init__(self, idle_close_after: float = 30.0):
        import http.server
        import json
        import threading

        service = self
        self.connections = 0
        self.posts = 0
        self.drop_next_post = False

        class Handler(http.server.BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"
            timeout = idle_close_after  # an idle kept connection is closed without a word, as servers do

            def setup(self):
                super().setup()
                service.connections += 1

            def do_GET(self):
                self.reply(200, {"journals": []})

            def do_POST(self):
                sent = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
                service.posts += 1
                if service.drop_next_post:  # stored, then the service died before answering
                    service.drop_next_post = False
                    self.close_connection = True
                    return
                self.reply(201, {"entry": {"id": f"e{service.posts}", **sent}})

            def reply(self, status, body):
                data = json.dumps(body).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, *args):
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/services/journal/"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self):
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def fake_service():
    services = []

    def start(**options):
        services.append(FakeService(**options))
        return services[-1]

    yield start
    for service in services:
        service.close()


def save(journal, text):
    return journal.append(participant="Zoë", team="Blue", kind="exercise", exercise="x", answer={"text": text})


def test_saves_share_one_kept_connection(fake_service):
    service = fake_service()
    journal = RemoteJournal(service.url, token="t")
    for n in range(5):
        assert save(journal, f"answer {n}")["answer"] == {"text": f"answer {n}"}
    journal.entries("Zoë")
    assert (service.connections, service.posts) == (1, 5)


def test_a_connection_the_service_closed_while_idle_is_replaced_and_the_save_lands_once(fake_service):
    import time

    service = fake_service(idle_close_after=0.2)
    journal = RemoteJournal(service.url, token="t")
    save(journal, "before the pause")
    time.sleep(0.6)  # the service has closed the idle connection by now
    assert save(journal, "after the pause")["answer"] == {"text": "after the pause"}
    assert (service.connections, service.posts) == (2, 2)


def test_a_save_the_service_dropped_unanswered_is_reported_and_never_sent_twice(fake_service):
    service = fake_service()
    journal = RemoteJournal(service.url, token="t")
    save(journal, "first")
    service.drop_next_post = True
    with pytest.raises(JournalError) as saving:
        save(journal, "maybe stored")
    assert str(saving.value) == NOT_SAVED
    assert service.posts == 2  # sent once: a second send could store it twice
    assert save(journal, "next")["answer"] == {"text": "next"} and service.connections == 2

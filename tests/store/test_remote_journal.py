"""The journal through the journal service: what a participant reads when it cannot be reached, the kept
connection, and the room's parts that have no folder under a hub."""

import pytest

from extramile.exceptions import JournalError
from extramile.names import file_stem_for
from extramile.store.remote_journal import NOT_READ, NOT_SAVED, RemoteJournal
from tests.conftest import free_port, joined


@pytest.fixture
def nobody_listening():
    return f"http://127.0.0.1:{free_port()}/services/journal/"


def test_a_save_to_a_service_that_does_not_answer_says_so_in_a_sentence(nobody_listening):
    journal = RemoteJournal(nobody_listening, token="t")
    with pytest.raises(JournalError) as saving:
        journal.append(participant="Zoë", team="Blue", kind="exercise", answer={"text": "kept"})
    assert str(saving.value) == NOT_SAVED
    with pytest.raises(JournalError) as reading:
        journal.entries("Zoë")
    assert str(reading.value) == NOT_READ


def test_the_summary_says_it_read_the_service_and_counts_what_the_service_holds(journal_service):
    from extramile.summary.journal_frame import load_frame

    for name, team in (("Ann", "Blue"), ("Bo", "Green")):
        mine = RemoteJournal(journal_service.url, journal_service.token_for(name))
        joined(mine, name, team)
        mine.append(participant=name, team=team, kind="exercise", exercise="notice-flavour-reflection",
                    answer={"text": f"{name}'s private words"})
    facilitator = RemoteJournal(journal_service.url, journal_service.token_for("Fay", facilitator=True))
    frame, loaded = load_frame(facilitator)
    assert loaded.location == f"the journal service at {journal_service.url}"
    assert (loaded.files, loaded.participants) == (2, 2)
    assert sorted(frame["participant"].unique()) == ["Ann", "Bo"]
    assert "private words" not in frame.to_csv()  # the service sends a facilitator no private text


def test_in_a_notebook_a_journal_problem_shows_as_its_sentence_not_a_traceback(nobody_listening):
    from IPython.core.interactiveshell import InteractiveShell
    from IPython.utils.capture import capture_output

    shell = InteractiveShell.instance()
    try:
        shell.user_ns["journal"] = RemoteJournal(nobody_listening, token="t")  # as a page's kernel opens it
        with capture_output() as shown:
            shell.run_cell('journal.append(participant="Zoë", team="Blue", kind="exercise", answer={"text": "x"})')
    finally:
        InteractiveShell.clear_instance()
    [alert] = [output.data["text/html"] for output in shown.outputs]
    assert NOT_SAVED in alert and 'role="alert"' in alert
    assert "Traceback" not in shown.stdout + shown.stderr


def test_a_team_under_a_hub_is_kept_by_the_service_and_nothing_lands_on_the_kernels_disk(
        journal_service, tmp_path, monkeypatch):
    """Under a hub the kernel keeps no room files: the team goes into the participant's journal, nowhere else."""
    from extramile.exceptions import SignInError
    from extramile.identity.identity import Accounts

    kernel_folder = tmp_path / "kernel"
    kernel_folder.mkdir()
    monkeypatch.chdir(kernel_folder)
    journal = RemoteJournal(journal_service.url, journal_service.token_for("Zoë"))
    accounts = Accounts(journal)
    assert accounts.hub_sign_in("Zoë", "  Blue ").team == "Blue"
    assert Accounts(RemoteJournal(journal_service.url, journal_service.token_for("Zoë"))).team_of("Zoë") == "Blue"
    with pytest.raises(SignInError, match="hub signs people in"):
        accounts.sessions.start("Zoë", "Blue")
    assert list(kernel_folder.iterdir()) == []
    assert [path.name for path in journal_service.store_dir.iterdir()] == [f"{file_stem_for('Zoë')}.jsonl"]


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

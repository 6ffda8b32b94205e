"""The journal store, with real files and real processes."""

import json
import logging
import os
import signal
import subprocess
import sys
import textwrap
import time
from multiprocessing import get_context

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from extramile.exceptions import InvalidName, JournalError
from extramile.names import file_stem_for
from extramile.store.journal import Journal
from extramile.store.journal_store import open_journal


def save(journal, participant="Zoë", **fields):
    values = {"team": "Blue", "kind": "exercise", "lesson": "notice", "exercise": "notice-flavour",
              "answer": {"text": "hello"}}
    values.update(fields)
    return journal.append(participant=participant, **values)


def test_saved_entry_is_on_disk_in_the_documented_format(journal):
    entry = save(journal, answer={"text": "Asked which flavour"})
    lines = journal.path_for("Zoë").read_text(encoding="utf-8").splitlines()
    assert [json.loads(line) for line in lines] == [entry]
    assert set(entry) == {"v", "id", "at", "participant", "team", "kind", "lesson", "exercise", "answer",
                          "shared", "replaces"}
    assert entry["v"] == 1 and entry["shared"] is False and entry["at"].endswith("Z")


def test_edit_appends_and_readers_see_only_the_newest_version(journal):
    first = save(journal, answer={"text": "first"})
    second = save(journal, answer={"text": "second"}, replaces=first["id"])
    third = save(journal, answer={"text": "third"}, replaces=second["id"])
    other = save(journal, exercise="notice-other", answer={"text": "other"})
    assert len(journal.path_for("Zoë").read_text().splitlines()) == 4
    assert journal.entries("Zoë") == [third, other]


def test_participants_and_read_all_cover_everyone(journal):
    save(journal, participant="Zoë")
    save(journal, participant="Zoe")
    save(journal, participant="Ahmed", team="Red")
    assert journal.participants() == ["Ahmed", "Zoe", "Zoë"]
    assert sorted(e["participant"] for e in journal.read_all()) == ["Ahmed", "Zoe", "Zoë"]


def test_a_missing_directory_reads_as_empty(tmp_path):
    journal = Journal(tmp_path / "nowhere")
    assert journal.entries("Zoë") == [] and journal.participants() == [] and list(journal.read_all()) == []


def test_default_directory_follows_the_environment(isolated_journal_dir):
    entry = save(open_journal())
    assert open_journal().entries("Zoë") == [entry]
    assert any(isolated_journal_dir.glob("*.jsonl"))


ODD_NAMES = ["../../etc/passwd", "a/b", "CON", "nul.txt", "x" * 300, "Zoë", "Zoe", "Zoe\u0308",
             "مرحبا بك", "שלום", "🦄 Unicorn", "  spaced  out  ", "..", ".hidden", "a\\b", "名前"]


@pytest.mark.parametrize("name", ODD_NAMES)
def test_odd_names_stay_inside_the_journal_directory(journal, name):
    entry = save(journal, participant=name)
    path = journal.path_for(name)
    assert path.parent == journal.directory
    assert path.resolve().parent == journal.directory.resolve()
    assert len(path.name.encode()) < 100 and path.name.isascii()
    assert journal.entries(name) == [entry]
    assert [p.name for p in journal.directory.iterdir()] == [path.name]


def test_similar_names_get_different_files_but_one_person_one_file():
    assert file_stem_for("Zoë") != file_stem_for("Zoe")
    assert file_stem_for("Zoë") == file_stem_for("Zoe\u0308")  # composed and decomposed ë: same person
    assert file_stem_for("Zoë") == file_stem_for("  Zoë ")


def test_file_names_are_the_same_on_every_machine():
    assert file_stem_for("Zoë") == "zoe-" + __import__("hashlib").sha256("Zoë".encode()).hexdigest()[:12]
    assert file_stem_for("CON").startswith("con-")
    assert file_stem_for("🦄").startswith("participant-")


@pytest.mark.parametrize("name, message", [
    ("", "cannot be empty"), ("   \t ", "cannot be empty"), ("Zo\x00e", "control character"),
    ("Zoe\nBob", "control character"), ("x" * 600, "too long"),
])
def test_unusable_names_are_refused_clearly(journal, name, message):
    with pytest.raises(InvalidName, match=message):
        save(journal, participant=name)
    assert not journal.directory.exists() or not any(journal.directory.iterdir())


def test_unknown_kind_and_unserialisable_answer_are_refused(journal):
    with pytest.raises(JournalError, match="Unknown entry kind"):
        save(journal, kind="gossip")
    with pytest.raises(JournalError, match="cannot be saved"):
        save(journal, answer={"x": float("nan")})


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False, allow_infinity=False) | st.text(),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(), children, max_size=4),
    max_leaves=12,
)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(answer=json_values, name=st.text(min_size=1, max_size=40).filter(lambda s: s.strip()))
def test_any_json_answer_round_trips_exactly(tmp_path_factory, answer, name):
    journal = Journal(tmp_path_factory.mktemp("j"))
    try:
        entry = journal.append(participant=name, team="T", kind="exercise", answer=answer)
    except InvalidName:
        return  # names with control characters are refused by design (tested above)
    [read_back] = journal.entries(name)
    assert read_back == entry
    assert read_back["answer"] == answer


def _append_many(directory, worker, count, results):
    journal = Journal(directory)
    ids = [journal.append(participant="Zoë", team="Blue", kind="exercise",
                          answer={"worker": worker, "n": n, "pad": "é" * (n % 50)})["id"] for n in range(count)]
    results.put(ids)


def test_eight_processes_appending_at_once_lose_nothing(journal):
    context = get_context("spawn")
    results = context.Queue()
    workers = [context.Process(target=_append_many, args=(journal.directory, k, 1000, results)) for k in range(8)]
    for process in workers:
        process.start()
    returned = [entry_id for _ in workers for entry_id in results.get(timeout=240)]
    for process in workers:
        process.join(timeout=60)
        assert process.exitcode == 0
    raw_lines = journal.path_for("Zoë").read_bytes().split(b"\n")
    assert raw_lines[-1] == b""
    parsed = [json.loads(line) for line in raw_lines[:-1]]  # any interleaving would fail to parse
    assert len(parsed) == 8000
    assert sorted(e["id"] for e in journal.entries("Zoë")) == sorted(returned)
    for worker in range(8):
        assert [e["answer"]["n"] for e in parsed if e["answer"]["worker"] == worker] == list(range(1000))


WRITER = textwrap.dedent("""
    import sys
    from extramile.store.journal import Journal
    journal = Journal(sys.argv[1])
    n = 0
    while True:
        entry = journal.append(participant="Zoë", team="Blue", kind="exercise",
                               answer={"n": n, "text": "x" * 3000})
        print(entry["id"], flush=True)
        n += 1
""")


def test_a_writer_killed_mid_loop_keeps_every_confirmed_entry(journal):
    writer = subprocess.Popen([sys.executable, "-c", WRITER, str(journal.directory)], stdout=subprocess.PIPE,
                              text=True)
    confirmed = []
    deadline = time.monotonic() + 60
    while len(confirmed) < 200 and time.monotonic() < deadline:
        confirmed.append(writer.stdout.readline().strip())
    writer.send_signal(signal.SIGKILL)
    writer.wait()
    confirmed += [line.strip() for line in writer.stdout if line.strip()]
    stored = {e["id"] for e in journal.entries("Zoë")}
    assert len(confirmed) >= 200
    assert set(confirmed) <= stored


def test_a_torn_last_line_is_skipped_with_a_warning_and_the_next_append_starts_clean(journal, caplog):
    kept = save(journal, answer={"text": "before the crash"})
    with open(journal.path_for("Zoë"), "ab") as handle:
        handle.write(b'{"v": 1, "id": "torn", "answer": {"text": "half a')
    with caplog.at_level(logging.WARNING, logger="extramile.store.journal"):
        assert journal.entries("Zoë") == [kept]
    assert "cut short" in caplog.text
    after = save(journal, answer={"text": "after the crash"})
    fresh = Journal(journal.directory)
    assert fresh.entries("Zoë") == [kept, after]
    assert fresh.problems.summary() == "1 line skipped in 1 file"


def test_malformed_and_future_lines_are_skipped_without_losing_their_neighbours(journal, caplog):
    first = save(journal, answer={"text": "one"})
    with open(journal.path_for("Zoë"), "ab") as handle:
        handle.write(b"not json at all\n[1, 2]\n")
        handle.write(json.dumps({**first, "id": "future", "v": 2}).encode() + b"\n")
    last = save(journal, answer={"text": "two"})
    with caplog.at_level(logging.WARNING, logger="extramile.store.journal"):
        assert journal.entries("Zoë") == [first, last]
    assert "newer version" in caplog.text and "not valid JSON" in caplog.text
    assert journal.problems.summary() == "3 lines skipped in 1 file"


def test_a_line_an_editor_touched_reads_as_json_does_and_trailing_data_is_skipped(journal):
    """The reader skips json's look for whitespace on a plain line; an edited one still reads as json.loads would."""
    first = save(journal, answer={"text": "one"})
    second = {**first, "id": "edited-crlf"}
    third = {**first, "id": "edited-spaces"}
    with open(journal.path_for("Zoë"), "ab") as handle:
        handle.write(json.dumps(second).encode() + b"\r\n")
        handle.write(b"  " + json.dumps(third).encode() + b" \t\n")
        handle.write(json.dumps({**first, "id": "tail"}).encode() + b" {}\n")
    assert [entry["id"] for entry in journal.entries("Zoë")] == [first["id"], "edited-crlf", "edited-spaces"]
    assert journal.problems.summary() == "1 line skipped in 1 file"


def test_a_line_with_bytes_that_are_not_utf8_costs_only_that_line(journal):
    first = save(journal, answer={"text": "Zoë went first"})
    with open(journal.path_for("Zoë"), "ab") as handle:
        handle.write(b'{"text": "torn \xc3 character"}\n')
    last = save(journal, answer={"text": "then مرحبا and 🎉"})
    assert journal.entries("Zoë") == [first, last]
    assert journal.problems.summary() == "1 line skipped in 1 file"


def test_a_byte_order_mark_from_an_editor_is_read_past(journal):
    first = save(journal, answer={"text": "one"})
    path = journal.path_for("Zoë")
    path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes())
    assert journal.entries("Zoë") == [first]


def _mount_tmpfs(target, options):
    return subprocess.run(["mount", "-t", "tmpfs", "-o", options, "tmpfs", str(target)],
                          capture_output=True).returncode == 0


@pytest.fixture
def small_disk(tmp_path):
    """A 64 KiB file system, so the disk really fills up (needs root; /dev/full below needs nothing)."""
    mount_point = tmp_path / "small"
    mount_point.mkdir()
    if os.geteuid() != 0 or not _mount_tmpfs(mount_point, "size=64k"):
        pytest.skip("mounting a small tmpfs needs root; test_dev_full_gives_a_clear_error covers ENOSPC")
    yield mount_point
    subprocess.run(["umount", "-l", str(mount_point)], check=False)


def test_a_full_disk_gives_a_clear_error_and_keeps_earlier_entries(small_disk):
    journal = Journal(small_disk)
    saved = []
    with pytest.raises(JournalError, match="disk holding the journal is full") as failure:
        for n in range(1000):
            saved.append(journal.append(participant="Zoë", team="Blue", kind="exercise",
                                        answer={"text": "x" * 1000, "n": n}))
    assert "Your text is still here" in str(failure.value) and str(small_disk) not in str(failure.value)
    assert Journal(small_disk).entries("Zoë") == saved
    assert journal.path_for("Zoë").read_bytes().endswith(b"\n")


def test_dev_full_gives_a_clear_error_that_names_no_server_path(journal, caplog):
    journal.directory.mkdir(parents=True)
    journal.path_for("Zoë").symlink_to("/dev/full")
    with pytest.raises(JournalError, match="is full") as failure:
        save(journal)
    assert str(journal.directory) not in str(failure.value) and "/" not in str(failure.value)
    assert str(journal.directory) in caplog.text  # the facilitator finds it in the server's log


def test_a_read_only_journal_gives_a_clear_error(tmp_path):
    directory = tmp_path / "ro"
    directory.mkdir()
    if os.geteuid() == 0:
        if not _mount_tmpfs(directory, "ro,size=64k"):
            pytest.fail("root could not mount a read-only tmpfs")
    else:
        directory.chmod(0o500)
    try:
        with pytest.raises(JournalError, match="cannot be written to"):
            save(Journal(directory))
    finally:
        if os.geteuid() == 0:
            subprocess.run(["umount", "-l", str(directory)], check=False)
        directory.chmod(0o700)


def test_a_reread_journal_sees_every_new_write_from_any_writer(journal):
    first = journal.append(participant="Zoë", team="Blue", kind="exercise", exercise="a", answer={"text": "one"})
    assert [e["id"] for e in journal.entries("Zoë")] == [first["id"]]
    other_tab = Journal(journal.directory)
    second = other_tab.append(participant="Zoë", team="Blue", kind="exercise", exercise="a",
                              answer={"text": "two"}, replaces=first["id"])
    assert [e["answer"] for e in journal.entries("Zoë")] == [{"text": "two"}]
    assert [e["id"] for e in other_tab.entries("Zoë")] == [second["id"]]


def test_what_one_reader_changes_in_its_entries_never_reaches_the_next_reader(journal):
    """Entries are kept parsed per process; a page that edits its copy must not edit everyone's."""
    saved = journal.append(participant="Zoë", team="Blue", kind="exercise", exercise="a", answer={"text": "mine"})
    mine = journal.entries("Zoë")
    mine[0]["answer"]["text"] = "scribbled over"
    mine.append({"id": "forged"})
    assert Journal(journal.directory).entries("Zoë") == [saved]

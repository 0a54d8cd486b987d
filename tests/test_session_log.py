"""The log is the truth: replay equals the live session, crashes lose nothing written."""

from __future__ import annotations

import os
import stat

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from roleplay.core.clock import FakeClock
from roleplay.core.command_line import run_command
from roleplay.core.engine import CommandError, GuardWarning, Session
from roleplay.core.events import Marker, SessionStarted
from roleplay.core.log import LOG_NAME, SessionLog, read_log
from tests.conftest import ROOT

PEOPLE = ["Ana", "Ben", "Cleo", "Dan"]
COMMANDS = [
    "next", "force next", "reverse", "timeout", "pause", "resume", "extend 1m", "note a note", "mark moment",
    "inject phone-rings", "guess Ana right", "guess Ben wrong", "tick listening nods", "untick listening nods",
    "add ideas an idea", "tag ideas 1 small", "rate appeal 5 1", "rate commitment 9", "vote stayed-peer no",
    "answer safety 5", "answer comments fine", "assign Ana observer", "swap Ben Cleo", "deal 7", "give Dan moods calm",
]


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.tuples(st.sampled_from(COMMANDS), st.integers(0, 400)), max_size=40))
def test_replay_equals_live_for_any_command_sequence(branching, tmp_path_factory, commands):
    clock = FakeClock()
    live = Session.start(branching, PEOPLE, root=tmp_path_factory.mktemp("s"), seed=5, clock=clock)
    for command, seconds in commands:
        clock.advance(seconds)
        live.poll()
        try:
            run_command(live, command)
        except (CommandError, GuardWarning):
            pass
    live.close()
    rebuilt = Session.replay(live.folder, clock=clock)
    assert rebuilt.snapshot() == live.snapshot()
    assert rebuilt.phase == live.phase and rebuilt.timer_remaining() == live.timer_remaining()


def test_log_line_per_event_with_times(branching, clock, tmp_path):
    s = Session.start(branching, PEOPLE, root=tmp_path, seed=1, clock=clock)
    s.note("hello")
    lines = (s.folder / LOG_NAME).read_text().splitlines()
    assert len(lines) == len(s.events)
    events = read_log(s.folder)
    assert [e.seq for e in events] == list(range(1, len(lines) + 1))
    assert events[-1].type == "note" and events[-1].data["text"] == "hello"
    assert events[-1].wall == clock.wall() and events[-1].mono == clock.monotonic()


def test_session_folder_and_log_are_private(branching, clock, tmp_path):
    old = os.umask(0o022)
    try:
        s = Session.start(branching, PEOPLE, root=tmp_path / "rec", seed=1, clock=clock)
    finally:
        os.umask(old)
    assert stat.S_IMODE(s.folder.stat().st_mode) == 0o700
    assert stat.S_IMODE((s.folder / LOG_NAME).stat().st_mode) == 0o600
    assert s.folder.name.endswith("-branching-test")


def test_cut_last_line_is_ignored_and_repaired_on_resume(branching, clock, tmp_path):
    s = Session.start(branching, PEOPLE, root=tmp_path, seed=1, clock=clock)
    s.fire("next")
    s.note("before the crash")
    s.close()
    path = s.folder / LOG_NAME
    with open(path, "ab") as handle:
        handle.write(b'{"seq": 99, "wall": 1, "mo')  # the crash cut this write
    rebuilt = Session.replay(s.folder, clock=clock)
    assert rebuilt.snapshot() == s.snapshot()
    resumed = Session.replay(s.folder, clock=clock, resume=True)
    resumed.note("after the crash")
    resumed.close()
    torn = s.folder / (LOG_NAME + ".torn")
    assert torn.read_bytes() == b'{"seq": 99, "wall": 1, "mo\n'  # one cut line per line
    assert stat.S_IMODE(torn.stat().st_mode) == 0o600
    events = read_log(s.folder)
    assert [e.type for e in events[-2:]] == ["session_resumed", "note"]
    assert [e.seq for e in events] == list(range(1, len(events) + 1))
    assert Session.replay(s.folder).notes[-1]["text"] == "after the crash"


def test_resume_continues_the_timer_without_counting_downtime(branching, clock, tmp_path):
    s = Session.start(branching, PEOPLE, root=tmp_path, seed=1, clock=clock)
    s.fire("next")
    s.fire("next", force=True)
    clock.advance(100)
    s.mark("just before the laptop closed")
    s.close()
    clock.advance(3600)  # the laptop was closed for an hour
    resumed = Session.replay(s.folder, clock=clock, resume=True)
    assert resumed.phase == "scene"
    assert resumed.timer_remaining() == 200
    clock.advance(200)
    assert resumed.poll() and resumed.phase == "discuss"
    resumed.close()


def test_a_damaged_line_in_the_middle_is_an_error_not_a_guess(branching, clock, tmp_path):
    import pytest

    from roleplay.core.log import LogError

    s = Session.start(branching, PEOPLE, root=tmp_path, seed=1, clock=clock)
    s.note("x")
    s.close()
    path = s.folder / LOG_NAME
    lines = path.read_text().splitlines()
    lines[1] = "garbage"
    path.write_text("\n".join(lines) + "\n")
    with pytest.raises(LogError, match=r"session.jsonl:2: this line is damaged"):
        read_log(s.folder)


def test_appending_to_an_existing_log_continues_the_numbering(tmp_path, clock):
    folder = tmp_path / "s"
    folder.mkdir()
    with SessionLog(folder, clock) as log:
        log.append(SessionStarted(scenario="x"))
        log.append(Marker(label="b", phase="p"))
    with SessionLog(folder, clock) as log:
        assert log.append(Marker(label="c", phase="p")).seq == 3


def test_the_log_can_be_shared_between_threads(tmp_path, clock):
    import threading

    folder = tmp_path / "s"
    folder.mkdir()
    log = SessionLog(folder, clock)
    log.append(SessionStarted(scenario="x"))

    def writer(name):
        for i in range(200):
            log.append(Marker(label=f"{name} {i}", phase="p"))

    threads = [threading.Thread(target=writer, args=(n,)) for n in ("ui", "recorder", "replay")]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    log.close()
    events = read_log(folder)
    assert [e.seq for e in events] == list(range(1, 602))
    labels = sorted(e.body.label for e in events[1:] if isinstance(e.body, Marker))
    assert labels == sorted(f"{n} {i}" for n in ("ui", "recorder", "replay") for i in range(200))


def test_a_log_whose_events_do_not_fit_is_a_clear_error(branching, clock, tmp_path):
    import json

    import pytest

    from roleplay.core.log import LogError

    s = Session.start(branching, PEOPLE, root=tmp_path, seed=1, clock=clock)
    s.close()
    with open(s.folder / LOG_NAME, "a") as handle:
        handle.write(json.dumps({"seq": 99, "wall": 1, "mono": 1, "type": "entry_tagged", "data": {"collection": "ideas", "entry": 5, "category": "x"}}) + "\n")
    with pytest.raises(LogError, match=r"session log event 99 \(entry_tagged\) cannot be applied: IndexError"):
        Session.replay(s.folder)


_ANY_TEXT = st.text(
    alphabet=st.one_of(st.characters(blacklist_categories=("Cs",)), st.sampled_from(["\u2028", "\u2029", "\x85", "\r", "\n", "\x1b", "\u202e", "\x00"])),
    min_size=1,
    max_size=20,
).filter(lambda t: t.strip())


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(names=st.lists(_ANY_TEXT, min_size=2, max_size=4, unique_by=str.strip), texts=st.lists(_ANY_TEXT, min_size=6, max_size=6))
def test_any_unicode_text_round_trips_through_the_log_and_resume(branching, tmp_path_factory, names, texts):
    """Names, notes and every other free text survive the log, replay and resume unchanged (U+2028, U+0085...)."""
    from roleplay.core import commands as c

    clock = FakeClock()
    live = Session.start(branching, names, root=tmp_path_factory.mktemp("u"), seed=5, clock=clock)
    live.execute(c.AddNote(text=texts[0]))
    live.execute(c.AddMarker(label=texts[1]))
    live.execute(c.Pause(reason=texts[2]))
    live.execute(c.Resume())
    live.execute(c.Go(trigger="next"))
    live.execute(c.RecordGuess(participant=live.participants[0], outcome="wrong", text=texts[3]))
    live.execute(c.RecordGuess(participant=live.participants[1], outcome="revealed", text=texts[4]))
    live.execute(c.AddNote(text=texts[5]))
    live.close()
    rebuilt = Session.replay(live.folder, clock=clock)
    assert rebuilt.snapshot() == live.snapshot()
    assert rebuilt.participants == [n.strip() for n in names]
    resumed = Session.replay(live.folder, clock=clock, resume=True)
    resumed.execute(c.AddNote(text=texts[0]))
    resumed.close()
    assert [n["text"] for n in Session.replay(live.folder).notes] == [texts[0], texts[5], texts[0]]


def test_a_log_from_a_newer_version_is_a_clear_message(branching, clock, tmp_path):
    import json

    import pytest

    from roleplay.core.log import NewerLog

    s = Session.start(branching, PEOPLE, root=tmp_path, seed=1, clock=clock)
    s.close()
    path = s.folder / LOG_NAME
    lines = path.read_text(encoding="utf-8").split("\n")
    first = json.loads(lines[0])
    first["data"]["format"] = 99
    lines[0] = json.dumps(first)
    lines.insert(2, json.dumps({"seq": 2, "wall": 1, "mono": 1, "type": "hologram_projected", "data": {"x": 1}}))
    path.write_text("\n".join(lines), encoding="utf-8")
    with pytest.raises(NewerLog, match="newer version of roleplay.*update roleplay"):
        read_log(s.folder)


def test_every_event_kind_is_documented_with_an_example_that_validates():
    from roleplay.core.events import KINDS, parse_body

    docs = (ROOT / "docs" / "session-log.md").read_text(encoding="utf-8")
    for kind, model in KINDS.items():
        assert model.example, f"{kind} has no example"
        parse_body(kind, model.example)
        assert f"`{kind}`" in docs, f"{kind} is not in docs/session-log.md"


def test_the_session_log_page_is_generated_from_the_models():
    from roleplay.log_doc import DOC_PATH, render

    assert DOC_PATH.read_text(encoding="utf-8") == render(), "run `make docs`"


def test_a_resumed_timer_loses_at_most_a_heartbeat_to_a_crash(branching, tmp_path):
    from roleplay.core.engine import HEARTBEAT_SECONDS

    clock = FakeClock()
    s = Session.start(branching, PEOPLE, root=tmp_path, seed=1, clock=clock)
    s.fire("next")
    s.fire("next", force=True)  # into the timed scene (300 s)
    assert s.timer_remaining() == 300
    for _ in range(100):  # 100 s of a quiet scene, polled as the app does
        clock.advance(1)
        s.poll()
    assert sum(e.type == "heartbeat" for e in s.events) >= 100 // HEARTBEAT_SECONDS - 1
    at_crash = s.timer_remaining()
    clock.advance(3)
    s.close()  # the laptop dies 3 s later; it comes back ten minutes after
    clock.advance(600)
    resumed = Session.replay(s.folder, clock=clock, resume=True)
    assert at_crash - HEARTBEAT_SECONDS - 3 <= resumed.timer_remaining() <= at_crash
    assert Session.replay(s.folder).snapshot()["timer"]["phase"] == "scene"
    from roleplay.core.report import to_markdown

    resumed.close()
    assert "**resumed**: cut off after" in to_markdown(Session.replay(s.folder))

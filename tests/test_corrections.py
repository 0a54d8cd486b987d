"""Issue 15 (minor): entries edited and taken out, ticks per person, pair and round, and a report
that shows who played what, leaves out empty sections and draws bars on a fixed scale."""

from __future__ import annotations

import json

import pytest
import yaml

from roleplay.core import commands as c
from roleplay.core.command_line import run_command
from roleplay.core.engine import CommandError, GuardWarning, Session
from roleplay.core.loader import load_scenario
from roleplay.core.log import read_log
from roleplay.core.report import build_report, to_markdown
from roleplay.pages.report import report_html as to_html
from tests.conftest import DATA, run_cli

PEOPLE = ["Ana", "Ben", "Cleo", "Dan"]


def to_phase(s: Session, phase: str) -> None:
    """`next` (past soft checks) until the phase."""
    for _ in range(20):
        if s.phase == phase:
            return
        try:
            s.fire("next")
        except GuardWarning:
            s.fire("next", force=True)
    raise AssertionError(f"never reached {phase}")


@pytest.fixture
def session(branching, clock, tmp_path):
    s = Session.start(branching, PEOPLE, root=tmp_path, seed=3, clock=clock)
    yield s
    s.close()


# ----- editing and taking out entries ---------------------------------------------------


def test_edit_and_remove_keep_numbers_and_the_log_append_only(session):
    to_phase(session, "discuss")
    for text in ("Call a friend", "Walk", "Write it down"):
        session.execute(c.AddEntry(collection="ideas", text=text))
    session.execute(c.EditEntry(collection="ideas", entry=1, text="Call a friend tonight"))
    session.execute(c.RemoveEntry(collection="ideas", entry=2))
    entries = session.entries["ideas"]
    assert [e.text for e in entries] == ["Call a friend tonight", "Walk", "Write it down"]
    assert [n for n, _ in session.live_entries("ideas")] == [1, 3]  # entry 3 is still entry 3
    session.tag_entry("ideas", 3, "small")
    assert entries[2].category == "small"
    with pytest.raises(CommandError, match="entry 2 of 'ideas' was removed"):
        session.tag_entry("ideas", 2, "big")
    with pytest.raises(CommandError, match="was removed"):
        session.execute(c.EditEntry(collection="ideas", entry=2, text="Run"))
    with pytest.raises(CommandError, match="was removed"):
        session.rate("appeal", 3, entry=2)
    with pytest.raises(CommandError, match="an entry needs some text"):
        session.edit_entry("ideas", 1, "  ")
    # The log keeps every line: the added text is still there, the removal is a new event.
    types = [e.type for e in read_log(session.folder)]
    assert types.count("entry_added") == 3 and types[-3:] == ["entry_edited", "entry_removed", "entry_tagged"]
    assert Session.replay(session.folder).snapshot() == session.snapshot()


def test_removed_entries_do_not_count_for_checks(branching, clock, tmp_path):
    data = branching.model_dump(mode="json", exclude_defaults=True)
    data["phases"]["discuss"]["transitions"][0]["guard"] = {"entries_at_least": {"collection": "ideas", "count": 2}}
    from roleplay.core.model import Scenario

    s = Session.start(Scenario.model_validate(data), PEOPLE, root=tmp_path, seed=3, clock=clock)
    to_phase(s, "discuss")
    s.add_entry("ideas", "one")
    s.add_entry("ideas", "two")
    s.remove_entry("ideas", 1)
    cond = s.scenario.phases["discuss"].transitions[0].guard
    assert s.unmet(cond) == ["1 of 2 entries collected"]


def test_edit_and_remove_only_in_the_collection_phase(session):
    with pytest.raises(CommandError, match="collection 'ideas' is not open in 'warm-up'"):
        session.edit_entry("ideas", 1, "x")
    to_phase(session, "discuss")
    assert c.EditEntry in c.allowed_commands(session) and c.RemoveEntry in c.allowed_commands(session)
    with pytest.raises(CommandError, match="has no entries yet"):
        session.remove_entry("ideas", 1)


# ----- ticks per person, pair and round -------------------------------------------------------


def test_ticks_keep_whom_they_are_about_and_the_round(session):
    to_phase(session, "scene")
    speaker = session.holders("speaker")[0]
    session.tick("listening", "nods", by=speaker)
    session.tick("listening", "nods")
    session.fire("reverse")
    session.fire("next")  # the scene again: round 2
    assert session.round_of("scene") == 2
    session.tick("listening", "nods", by=speaker)
    session.tick("listening", "summarises", by=speaker)
    assert session.ticks[("listening", "nods")] == 3
    assert session.tick_counts[("listening", "nods", 1, speaker)] == 1
    assert session.tick_counts[("listening", "nods", 1, None)] == 1
    assert session.tick_counts[("listening", "nods", 2, speaker)] == 1
    # A tick is taken back for the same person in the same round, and says what there is when it cannot.
    with pytest.raises(CommandError, match=rf"no tick without a name to take back in this round \(2\).*{speaker} 1"):
        session.untick("listening", "nods")
    session.untick("listening", "summarises", by=speaker)
    assert session.tick_counts[("listening", "summarises", 2, speaker)] == 0
    # The round is not written in the log: it is counted from the phases entered.
    assert all("round" not in e.body.payload() for e in session.events if e.type in ("tick", "untick"))
    replayed = Session.replay(session.folder)
    assert replayed.tick_counts == session.tick_counts and replayed.snapshot() == session.snapshot()


def test_an_old_untick_without_a_matching_tick_key_still_reads(session):
    """Logs written before ticks were kept per person: an untick without `by` takes back a named tick."""
    from roleplay.core import events as ev
    from roleplay.core.log import LogEvent

    to_phase(session, "scene")
    session.tick("listening", "nods", by="Ana")
    old = LogEvent(len(session.events) + 1, 0.0, 0.0, ev.Untick(checklist="listening", item="nods", phase="scene"))
    session.apply(old)
    assert session.ticks[("listening", "nods")] == 0 and not +session.tick_counts


def paired(branching, tmp_path):
    """The branching scenario played in pairs (grouping size 2): two speakers, two listeners."""
    data = yaml.safe_load((DATA / "valid" / "branching.yaml").read_text())
    data["grouping"] = {"size": 2}
    data["roles"][0]["count"] = 1
    data["roles"][2]["count"] = "rest"  # nobody is left over in pairs of a speaker and a listener
    path = tmp_path / "pairs.yaml"
    path.write_text(yaml.safe_dump(data))
    result = load_scenario(path)
    assert result.ok, result.problems
    return result.scenario


def test_report_splits_ticks_by_pair_and_round(branching, clock, tmp_path):
    s = Session.start(paired(branching, tmp_path), PEOPLE, root=tmp_path / "s", seed=3, clock=clock)
    to_phase(s, "scene")
    assert len(s.groups) == 2
    first, second = (next(p for p in g if s.roles[p] == "speaker") for g in s.groups)
    s.tick("listening", "nods", by=first)
    s.tick("listening", "nods", by=second)
    s.tick("listening", "nods", by=second)
    s.fire("reverse")
    s.fire("next")
    s.tick("listening", "summarises", by=first)
    report = build_report(Session.replay(s.folder))
    (listening,) = report["checklists"]
    pair = [f"Pair {i} ({', '.join(g)})" for i, g in enumerate(s.groups, 1)]
    assert listening["columns"] == [f"{pair[0]}, round 1", f"{pair[0]}, round 2", f"{pair[1]}, round 1"]
    assert listening["matrix"] == [("Nods and looks at the speaker", [1, 0, 2]), ("Summarises", [0, 1, 0])]
    md = to_markdown(Session.replay(s.folder))
    assert "| Nods and looks at the speaker | 1 | 0 | 2 |" in md
    assert f"| Item | Pair 1 \\({s.groups[0][0]}\\, {s.groups[0][1]}\\)\\, round 1 |" in md
    assert "<th>Pair 2 (" in to_html(Session.replay(s.folder))


def test_one_pair_and_one_round_is_a_plain_list(session):
    to_phase(session, "scene")
    session.tick("listening", "nods")
    (listening,) = build_report(session)["checklists"]
    assert listening["columns"] == [] and "The same ticks by who" not in to_markdown(session)


# ----- the report ---------------------------------------------------------------------------------


def test_report_shows_roles_before_and_after_a_reversal(session):
    to_phase(session, "scene")
    speaker, listener = session.holders("speaker")[0], session.holders("listener")[0]
    session.fire("reverse")
    report = build_report(session)
    rows = {p["name"]: p for p in report["participants"]}
    assert [r["role"] for r in rows[speaker]["roles"]] == ["Speaker", "Listener"]
    assert rows[speaker]["roles"][1]["from"] == "Role reversal"
    md = to_markdown(session)
    assert f"| {speaker} | Speaker\\, then Listener \\(from Role reversal\\) |" in md
    assert f"<td>{listener}</td><td>Listener, then Speaker (from Role reversal)</td>" in to_html(session)
    observer = session.holders("observer")[0]
    assert f"| {observer} | Observer |" in md


def test_report_leaves_out_empty_sections(session):
    to_phase(session, "scene")
    md = to_markdown(session)
    assert "## Checklist" not in md and "## Ideas" not in md and "## Vote" not in md
    session.tick("listening", "nods")
    session.fire("next")
    session.add_entry("ideas", "only one")
    session.remove_entry("ideas", 1)
    md = to_markdown(session)
    assert "## Checklist: Listening" in md and "## Ideas" not in md and "## Vote" not in md
    assert md.rstrip().splitlines()[-1].startswith("- ")  # it ends with content, not a heading


def test_report_bars_use_a_fixed_scale_and_say_so(session):
    to_phase(session, "scene")
    session.tick("listening", "nods")
    session.fire("next")
    for text in ("a", "b", "c", "d"):
        session.add_entry("ideas", text)
    session.remove_entry("ideas", 2)
    session.tag_entry("ideas", 1, "small")
    session.vote("stayed-peer", "yes")
    md = to_markdown(session)
    # One tick of four participants is a quarter bar (5 of 20), not a full one.
    assert "- Nods and looks at the speaker: 1 █████\n" in md
    assert md.count("Bars: full width = 4, the number of participants.") == 2  # the checklist and the vote
    assert "- Small step: 1 " + "█" * 7 + "\n" in md  # 1 of the 3 entries left
    assert "Bars: full width = 3, the number of entries." in md
    # Entries keep their numbers; Markdown would renumber a list with a gap, so they are text.
    assert "- 1\\. a [Small step]".replace("[", "\\[").replace("]", "\\]") in md
    assert "- 3\\. c" in md and "1 entry was taken out during the session" in md
    html = to_html(session)
    assert "<li value='3'>c</li>" in html and "Bars: full width = 4, the number of participants." in html
    assert "width:3.0em" in html  # 12em * 1/4
    session.vote("stayed-peer", "no", count=9)  # more than the participants: the scale says so
    assert "Bars: full width = 9, the largest count (more than the number of participants, 4)." in to_markdown(session)


def test_report_still_shows_a_resume(session, clock):
    session.note("before")
    session.close()
    clock.advance(30)
    resumed = Session.reopen(session.folder, clock=clock)
    resumed.close()
    assert "**resumed**: cut off after" in to_markdown(Session.replay(session.folder))


# ----- the words for `play` ---------------------------------------------------------------------


def test_edit_and_remove_words(session):
    to_phase(session, "discuss")
    run_command(session, "add ideas Call a friend")
    run_command(session, "add ideas Walk")
    run_command(session, 'edit ideas 2 "Walk every day"')
    run_command(session, "remove ideas 1")
    assert [(n, e.text) for n, e in session.live_entries("ideas")] == [(2, "Walk every day")]
    with pytest.raises(CommandError, match="usage: edit COLLECTION ENTRY TEXT"):
        run_command(session, "edit ideas 2")
    with pytest.raises(CommandError, match="ENTRY must be a whole number"):
        run_command(session, "remove ideas two")


def test_play_edits_removes_and_attributes_ticks(tmp_path):
    branching = str(DATA / "valid" / "branching.yaml")
    script = (
        "next\nforce next\ntick listening nods Ana\ntick listening nods Ana\nuntick listening nods Ana\n"
        "next\nadd ideas Call a friend\nadd ideas Walk\nedit ideas 1 Call a friend tonight\nremove ideas 2\n"
    )
    result = run_cli("play", branching, "--participants", ",".join(PEOPLE), "--seed", "3", "--out", str(tmp_path), stdin=script)
    assert result.returncode == 3, result.stderr  # the input ends before the last phase
    events = [json.loads(line) for line in result.stdout.splitlines()]
    assert [e["data"] for e in events if e["type"] in ("entry_edited", "entry_removed")] == [
        {"collection": "ideas", "entry": 0, "text": "Call a friend tonight"},
        {"collection": "ideas", "entry": 1},
    ]
    assert [e["data"].get("by") for e in events if e["type"] in ("tick", "untick")] == ["Ana", "Ana", "Ana"]
    folder = next(tmp_path.iterdir())
    md = run_cli("report", str(folder)).stdout
    assert "- 1\\. Call a friend tonight" in md and "Walk" not in md
    assert "Nods and looks at the speaker: 1 " in md
    help_text = run_cli("play", branching, "--participants", ",".join(PEOPLE), "--out", str(tmp_path / "h"),
                        stdin="next\nforce next\nnext\nhelp\n").stderr
    assert "edit COLLECTION ENTRY TEXT" in help_text and "remove COLLECTION ENTRY" in help_text

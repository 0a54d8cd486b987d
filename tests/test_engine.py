"""The engine with a fake clock: routes, guards, timers, time-outs, inputs, dealing."""

from __future__ import annotations

import pytest

from roleplay.core.command_line import available, run_command
from roleplay.core.engine import CommandError, GuardWarning, Session

PEOPLE = ["Ana", "Ben", "Cleo", "Dan"]


@pytest.fixture
def session(branching, clock, tmp_path):
    s = Session.start(branching, PEOPLE, root=tmp_path, seed=3, clock=clock)
    yield s
    s.close()


def test_the_assignment_phase_deals_every_participant_a_role_and_a_card(session):
    assert session.phase == "warm-up" and not session.dealt  # roles are dealt in the assignment phase
    session.fire("next")
    roles = sorted(session.roles.values())
    assert roles.count("speaker") == 1 and roles.count("listener") == 1 and roles.count("observer") == 2
    assert sorted(session.cards["moods"]) == sorted(PEOPLE)
    assert session.phase == "guessing"


def test_dealing_is_repeatable_by_seed(branching, clock, tmp_path):
    a = Session.start(branching, PEOPLE, root=tmp_path, seed=42, clock=clock)
    b = Session.start(branching, PEOPLE, root=tmp_path, seed=42, clock=clock)
    a.fire("next")
    b.fire("next")
    assert (a.roles, a.cards) == (b.roles, b.cards)
    assert a.folder != b.folder


def test_more_holders_than_cards_warns_and_repeats(branching, clock, tmp_path):
    s = Session.start(branching, ["A", "B", "C", "D", "E"], root=tmp_path, seed=1, clock=clock)
    s.fire("next")
    assert any("2 cards for 5 holders: 3 card(s) repeat" in w for w in s.warnings)
    counts = sorted(list(s.cards["moods"].values()).count(c) for c in ("calm", "tense"))
    assert counts == [2, 3]  # no card repeats until the deck is used up


def test_soft_guard_warns_then_force_goes_on(session):
    session.fire("next")
    with pytest.raises(GuardWarning) as warning:
        session.fire("next")
    assert "not guessed yet: Ana, Ben, Cleo, Dan" in warning.value.message
    assert session.phase == "guessing"
    assert session.events[-1].type == "guard_warning"
    session.fire("next", force=True)
    assert session.phase == "scene"
    assert session.history[-1].forced


def test_asking_again_after_a_warning_confirms(session):
    session.fire("next")
    with pytest.raises(GuardWarning):
        session.fire("next")
    session.fire("next")
    assert session.phase == "scene" and session.history[-1].forced


def test_a_warning_is_not_confirmed_by_something_else_in_between(session):
    session.fire("next")
    with pytest.raises(GuardWarning):
        session.fire("next")
    session.note("still waiting for Ben")
    with pytest.raises(GuardWarning):
        session.fire("next")


def test_guard_passes_once_everyone_guessed(session):
    session.fire("next")
    for name in PEOPLE:
        session.guess(name, "wrong", "a nurse")
        session.guess(name, "right")
    assert session.guesses["Ana"][1]["try"] == 2
    session.fire("next")
    assert session.phase == "scene"


def test_invalid_trigger_lists_the_valid_routes(session):
    with pytest.raises(CommandError, match=r"'reverse' is not a route from 'warm-up' \(routes: next\)"):
        session.fire("reverse")


def test_timer_runs_out_by_the_clock_and_follows_its_route(session, clock):
    session.fire("next")
    session.fire("next", force=True)
    assert session.timer_remaining() == 300
    clock.advance(299)
    assert not session.poll() and session.phase == "scene"
    clock.advance(1)
    assert session.poll()
    assert session.phase == "discuss"
    assert [e.type for e in session.events[-2:]] == ["timer_expired", "phase_entered"]
    assert session.events[-1].data["trigger"] == "timer-expired"


def test_pause_stops_the_timer_and_resume_continues(session, clock):
    session.fire("next")
    session.fire("next", force=True)
    clock.advance(100)
    session.pause("check on Ben")
    clock.advance(1000)
    assert not session.poll()
    assert session.timer_remaining() == 200
    session.resume()
    clock.advance(199)
    assert not session.poll()
    clock.advance(1)
    assert session.poll() and session.phase == "discuss"


def test_extend_adds_time(session, clock):
    session.fire("next")
    session.fire("next", force=True)
    session.extend(60)
    clock.advance(330)
    assert not session.poll()
    assert session.timer_remaining() == 30


def test_branch_loops_once_then_leaves(session):
    session.fire("next")
    session.fire("next", force=True)
    session.fire("next")  # scene -> discuss
    assert session.fire("next") == "scene"  # first visit of scene: loop back
    session.fire("next")
    assert session.fire("next") == "closing"  # scene visited twice: go on


def test_role_reversal_swaps_players_and_swaps_back(session):
    session.fire("next")
    before = dict(session.roles)
    session.fire("next", force=True)
    session.fire("reverse")
    speaker = next(n for n, r in before.items() if r == "speaker")
    listener = next(n for n, r in before.items() if r == "listener")
    assert session.roles[speaker] == "listener" and session.roles[listener] == "speaker"


def test_inputs_are_checked_against_the_phase(session):
    with pytest.raises(CommandError, match="checklist 'listening' is not open in 'warm-up'"):
        session.tick("listening", "nods")
    session.fire("next")
    session.fire("next", force=True)
    session.tick("listening", "nods", by="Ana")
    session.tick("listening", "nods")
    session.untick("listening", "nods")
    assert session.ticks[("listening", "nods")] == 1
    with pytest.raises(CommandError, match="has no item 'waves'"):
        session.tick("listening", "waves")
    with pytest.raises(CommandError, match="event 'fire' cannot be injected"):
        session.inject("fire")
    session.inject("phone-rings")
    session.fire("next")
    assert session.add_entry("ideas", "Call a friend") == 1
    session.tag_entry("ideas", 1, "small")
    session.rate("appeal", 8, entry=1)
    session.rate("commitment", 7, by="Ben")
    session.vote("stayed-peer", "yes", 3)
    with pytest.raises(CommandError, match=r"rated from 1 to 10"):
        session.rate("commitment", 11)
    with pytest.raises(CommandError, match="has no category 'huge'"):
        session.tag_entry("ideas", 1, "huge")
    with pytest.raises(CommandError, match=r"has no entry 2 \(entries: 1-1\)"):
        session.tag_entry("ideas", 2, "small")
    assert session.entries["ideas"][0].category == "small"
    assert session.entries["ideas"][0].ratings == {"appeal": 8}
    assert session.votes["stayed-peer"]["yes"] == 3


def test_form_answers_are_checked(session):
    session.fire("next")
    session.fire("next", force=True)
    session.fire("next")
    session.fire("next")
    session.fire("next")
    session.fire("next")
    assert session.phase == "closing"
    session.answer("safety", "4")
    session.answer("comments", "More time for the debrief")
    with pytest.raises(CommandError, match="number from 1 to 5"):
        session.answer("safety", "9")
    with pytest.raises(CommandError, match="has no question 'mood'"):
        session.answer("mood", "3")
    session.fire("next")
    assert session.phase == "end" and not session.ended  # the final phase is shown and run
    session.fire("next")
    assert session.ended == "final"
    with pytest.raises(CommandError, match="the session has ended"):
        session.fire("next")


def test_manual_assignments(session):
    session.fire("next")  # dealt in the assignment phase
    session.assign("Ana", "speaker")
    assert session.roles["Ana"] == "speaker"
    ana_card, ben_card = session.cards["moods"]["Ana"], session.cards["moods"]["Ben"]
    session.swap("Ana", "Ben")
    assert session.roles["Ben"] == "speaker"
    assert session.cards["moods"]["Ana"] == ben_card and session.cards["moods"]["Ben"] == ana_card
    session.give("ana", "moods", "calm")  # names match without case
    assert session.cards["moods"]["Ana"] == "calm"
    with pytest.raises(CommandError, match="no participant 'Zoe'"):
        session.assign("Zoe", "speaker")


def test_participant_names_must_differ(branching, tmp_path):
    with pytest.raises(CommandError, match="Ana given twice"):
        Session.start(branching, ["Ana", "Ana"], root=tmp_path)


def test_text_commands_and_what_is_valid(session):
    run_command(session, "next")
    assert "guess" in available(session) and "tick" not in available(session)
    with pytest.raises(CommandError, match="valid now: next, force, pause, note, mark, guess"):
        run_command(session, "dance")
    run_command(session, 'guess Ana wrong "a police officer"')
    assert session.guesses["Ana"][0]["text"] == "a police officer"
    run_command(session, "force next")
    run_command(session, "timeout")
    assert session.phase == "discuss"
    run_command(session, "add ideas Ask for help")
    run_command(session, "tag ideas 1 big")
    with pytest.raises(CommandError, match="usage: tag COLLECTION ENTRY CATEGORY"):
        run_command(session, "tag ideas")
    with pytest.raises(CommandError, match="ENTRY must be a whole number"):
        run_command(session, "tag ideas one big")


def test_timer_with_resume_keeps_the_time_left(branching, clock, tmp_path):
    data = branching.model_dump(exclude_defaults=True)
    data["phases"]["scene"]["timer"]["resume"] = True
    from roleplay.core.model import Scenario

    s = Session.start(Scenario.model_validate(data), PEOPLE, root=tmp_path, seed=3, clock=clock)
    s.fire("next")
    s.fire("next", force=True)
    clock.advance(120)
    s.fire("reverse")
    clock.advance(500)  # time spent in the role reversal does not count
    s.fire("next")
    assert s.phase == "scene" and s.timer_remaining() == 180
    assert Session.replay(s.folder, clock=clock).snapshot() == s.snapshot()


def test_timer_without_resume_starts_again(session, clock):
    session.fire("next")
    session.fire("next", force=True)
    clock.advance(120)
    session.fire("reverse")
    session.fire("next")
    assert session.timer_remaining() == 300


def test_event_brief_can_go_to_a_chosen_person(session):
    session.fire("next")
    session.fire("next", force=True)
    session.inject("phone-rings", to="cleo")
    assert session.injected[-1]["to"] == "Cleo"
    assert session.brief_receivers("phone-rings", "Cleo") == ["Cleo"]
    assert session.brief_receivers("phone-rings") == session.holders("listener")


def test_every_typed_command_has_an_executor_and_a_word():
    from roleplay.core import commands as c
    from roleplay.core.command_line import USAGE
    from roleplay.core.engine import _EXECUTORS

    assert set(c.ALL_COMMANDS) == set(_EXECUTORS)
    for kind in c.ALL_COMMANDS:
        assert kind is c.Go or kind.word in USAGE, kind


def test_allowed_commands_decide_what_play_offers(branching, clock, tmp_path):
    from roleplay.core import commands as c

    s = Session.start(branching, ["Ana", "Ben", "Cleo"], root=tmp_path, seed=1, clock=clock)
    assert c.RecordGuess not in c.allowed_commands(s) and "guess" not in available(s)
    s.fire("next")
    assert c.RecordGuess in c.allowed_commands(s) and "guess" in available(s)
    s.execute(c.EndSession())
    assert c.allowed_commands(s) == [c.AddNote, c.AddMarker] and available(s) == []


def test_the_final_phase_is_shown_and_the_trainer_ends_it(branching, clock, tmp_path):
    """Entering a final phase does not end the session: its closing round and support lines are run first."""
    s = Session.start(branching, ["Ana", "Ben", "Cleo"], root=tmp_path, seed=1, clock=clock)
    while not s.current.final:
        try:
            s.fire("next")
        except GuardWarning:
            s.fire("next", force=True)
    assert not s.ended and s.triggers() == ["next"] and "note" in available(s)
    s.note("closing round went well")
    s.end()  # ending in the final phase is its normal end
    assert s.ended == "final"
    assert Session.replay(s.folder).ended == "final"


def test_the_report_averages_on_the_question_scale_not_the_answer_count(session):
    from roleplay.core.report import build_report

    while session.phase != "closing":
        try:
            session.fire("next")
        except GuardWarning:
            session.fire("next", force=True)
    for value in ("5", "4", "4", "3", "5", "5"):
        session.answer("safety", value)
    [form] = build_report(session)["forms"]
    assert form["questions"]["safety"]["summary"] == "average 4.3 on a scale of 1 to 5, 6 answers"

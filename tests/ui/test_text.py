"""Scenario prose is reflowed: hard line breaks inside paragraphs go, lists and layout stay."""

from __future__ import annotations

from roleplay.ui.text import prose, reflow


def test_lines_of_a_paragraph_are_joined_and_blank_lines_kept():
    text = (
        "You are a peer supporter working alongside the ward team this morning, and a nurse\n"
        "stops you at the door.\n\n\nA nurse has told you that Alex came in last night and is very\n"
        "upset.\n"
    )
    assert reflow(text) == (
        "You are a peer supporter working alongside the ward team this morning, and a nurse stops you at the door."
        "\n\nA nurse has told you that Alex came in last night and is very upset."
    )


def test_a_short_line_was_ended_on_purpose():
    text = (
        "Crisis conversation\n"
        "Today's scene touches on crisis and on being kept in hospital against one's will, which\n"
        "is hard. You can step out at any time.\n"
        "No reason needed.\n"
    )
    assert reflow(text).splitlines() == [
        "Crisis conversation",
        "Today's scene touches on crisis and on being kept in hospital against one's will, which is hard. You can step out at any time.",
        "No reason needed.",
    ]


def test_list_items_keep_their_own_lines():
    text = "Your job:\n- Keep Alex in charge.\n- Make sure Alex is heard.\n• A bullet\n* A star\n1. First\n2) Second\nAfter the list"
    assert reflow(text).splitlines() == [
        "Your job:",
        "- Keep Alex in charge.",
        "- Make sure Alex is heard.",
        "• A bullet",
        "* A star",
        "1. First",
        "2) Second",
        "After the list",
    ]


def test_a_hanging_indent_continues_its_list_item():
    text = "1. Say what today is about: \"We're going to practise one of\n   the hardest moments.\"\n2. Read the notes."
    assert reflow(text) == "1. Say what today is about: \"We're going to practise one of the hardest moments.\"\n2. Read the notes."
    nested = "- Roles:\n  - Alex, the person in crisis\n    (one player).\n  - Observers"
    assert reflow(nested).splitlines() == ["- Roles:", "  - Alex, the person in crisis (one player).", "  - Observers"]


def test_indented_lines_outside_lists_stay_as_they_are():
    text = "Read this aloud:\n    Breathe in,\n    breathe out.\nThen wait."
    assert reflow(text).splitlines() == ["Read this aloud:", "    Breathe in,", "    breathe out.", "Then wait."]


def test_words_that_only_look_like_markers_are_prose():
    assert reflow("Use *this* word\nand -that- one.\n3.5 minutes\nis enough.") == "Use *this* word and -that- one. 3.5 minutes is enough."


def test_empty_and_markup_safe():
    assert reflow(None) == "" and reflow("") == "" and reflow("\n\n") == ""
    assert prose("[bold]not markup[/bold]\nat all").plain == "[bold]not markup[/bold] at all"
    assert reflow("Windows\r\nline ends\r\n") == "Windows line ends"

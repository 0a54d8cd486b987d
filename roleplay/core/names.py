"""People's names in scenario texts, and the public list of who plays which role.

A script or group text can name the people who hold a role with a placeholder:

    "{role:peer-supporter}, you are now Alex."

`fill_names(session, text)` puts in the names of the role's current holders, joined the way the
session's language joins a list ("Ana", "Ana and Ben", "Ana, Ben and Cleo"). Before the roles are
dealt, or when nobody holds the role, the role's own name stands in ("Peer supporter, you are now
Alex."), so a text always reads. The loader reports a placeholder naming an unknown role as an error
at its line and column (`placeholder_problems`).

`assignments(session)` is what the room may see of the deal: names, groups and public role names;
never briefs or cards.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Iterator, Literal

from roleplay.core.i18n import _

if TYPE_CHECKING:
    from roleplay.core.model import Scenario
    from roleplay.core.state import SessionState

#: `{role:<role id>}`; anything between the colon and the brace is taken as the id (and checked).
PLACEHOLDER = re.compile(r"\{role:([^{}\n]*)\}")

# The word that joins the last two names of a list, per language (the course runs in these).
_AND = {"en": "and", "es": "y", "de": "und", "nl": "en", "ro": "și", "bg": "и", "fr": "et", "it": "e", "pt": "e"}


def join_names(names: list[str], language: str = "en") -> str:
    """ "Ana", "Ana and Ben", "Ana, Ben and Cleo", in the session's language."""
    names = [n for n in names if n]
    if len(names) <= 1:
        return names[0] if names else ""
    base = language.split("-")[0].lower()
    word = _AND.get(base, "and")
    last = names[-1]
    if base == "es" and re.match(r"(?i)h?i(?![aeiouáéó])", last):
        word = "e"  # Spanish: "Ana e Inés"
    return f"{', '.join(names[:-1])} {word} {last}"


def placeholders(text: str | None) -> list[tuple[int, str]]:
    """(offset, role id as written) of every placeholder in a text."""
    return [(m.start(), m.group(1)) for m in PLACEHOLDER.finditer(text or "")]


def roles_dealt(session: SessionState) -> bool:
    return any(role for role in session.roles.values())


def role_text(session: SessionState, role_id: str) -> str:
    """What a placeholder for role_id reads as now: its holders' names, else the role's name."""
    known = {r.id: r for r in session.scenario.roles}
    role = known.get(role_id)
    if role is None:
        return "{role:" + role_id + "}"  # the loader refuses these; shown as written, never a crash
    holders = session.holders(role_id) if roles_dealt(session) else []
    if holders:
        return join_names(holders, session.language)
    return session.text(role.name)


def fill_names(session: SessionState, text: str | None) -> str:
    """The text with every `{role:id}` replaced by the names holding that role now."""
    if not text or "{role:" not in text:
        return text or ""
    return PLACEHOLDER.sub(lambda m: role_text(session, m.group(1)), text)


def filled(session: SessionState, value: Any) -> str:
    """A scenario text in the session's language with the players' names in: `fill_names(s, s.text(v))`."""
    return fill_names(session, session.text(value))


def fill_role_names(scenario: Scenario, text: str | None, language: str | None = None) -> str:
    """Without a session (a printed script): every `{role:id}` reads as the role's name."""
    from roleplay.core.text import localize

    if not text or "{role:" not in text:
        return text or ""
    known = {r.id: r for r in scenario.roles}
    lang = language or scenario.fallback

    def name(match: re.Match[str]) -> str:
        role = known.get(match.group(1))
        return localize(role.name, lang, scenario.fallback) if role else match.group(0)

    return PLACEHOLDER.sub(name, text)


# ----- what the room may see of the deal ------------------------------------------------------------


@dataclass(frozen=True)
class Seat:
    name: str
    role: str  # the role's public name ("" when the person has no role)


@dataclass(frozen=True)
class Team:
    title: str  # "Pair 1", "Group 2", or "" when the session is one group
    seats: list[Seat]


def assignments(session: SessionState) -> list[Team]:
    """Who plays which role, by group: public names only. Empty before the roles are dealt."""
    if not roles_dealt(session):
        return []
    scenario = session.scenario
    order = {r.id: i for i, r in enumerate(scenario.roles)}
    names = {r.id: session.text(r.name) for r in scenario.roles}
    groups = [g for g in session.groups if g] or [list(session.participants)]
    teams = []
    pairs = bool(scenario.grouping and scenario.grouping.size == 2)
    for number, group in enumerate(groups, 1):
        pair = pairs and len(group) <= 2  # the odd one out makes a trio: a group
        people = sorted(group, key=lambda n: (order.get(session.roles.get(n) or "", len(order)), session.participants.index(n)))
        seats = [Seat(n, names.get(session.roles.get(n) or "", "")) for n in people]
        title = (_("Pair {number}") if pair else _("Group {number}")).format(number=number) if len(groups) > 1 else ""
        teams.append(Team(title, seats))
    return teams


def assignments_text(session: SessionState) -> str:
    """The deal as lines for the room: one line per group, or one line per role when there is one group."""
    teams = assignments(session)
    if not teams:
        return ""
    if len(teams) == 1:
        by_role: dict[str, list[str]] = {}
        for seat in teams[0].seats:
            by_role.setdefault(seat.role, []).append(seat.name)
        return "\n".join(
            f"{role}: {join_names(people, session.language)}" if role else join_names(people, session.language)
            for role, people in by_role.items()
        )
    return "\n".join(
        f"{team.title}: " + " · ".join(f"{s.name} ({s.role})" if s.role else s.name for s in team.seats) for team in teams
    )


# ----- checking a scenario's placeholders ---------------------------------------------------------------

# Where placeholders are filled in: the texts the trainer reads out or the room sees during a phase.
FILLED_FIELDS = {("Phase", "script"), ("Phase", "group_text"), ("Phase", "questions"), ("Event", "script"), ("Event", "group_text")}


def placeholder_problems(
    texts: Iterator[tuple[tuple[Any, ...], str, str, str]], role_ids: set[str]
) -> Iterator[tuple[tuple[Any, ...], int, str, Literal["error", "warning"], str]]:
    """For each (data path, model name, field name, text): (path, offset, written, severity, message)."""
    known = ", ".join(sorted(role_ids))
    for path, model, field, text in texts:
        for offset, role_id in placeholders(text):
            written = "{role:" + role_id + "}"
            if role_id not in role_ids:
                yield path, offset, written, "error", f"placeholder {written} names no role (known roles: {known})"
            elif (model, field) not in FILLED_FIELDS:
                yield path, offset, written, "warning", (
                    f"placeholder {written} is shown as written here: names are filled in only in phase scripts, "
                    "group texts and questions, and in event scripts and group texts"
                )

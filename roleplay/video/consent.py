"""Who has consented to being filmed, read from the session log.

Rules: participants come from the first `session_started`. A `consent` event
sets one participant's answer; the latest answer counts. `consent_all` (given
outside the app, e.g. on paper) counts for everyone named then, and for the
people present when the session names nobody. A later `consent` with
`given: false` still withdraws.
"""

from __future__ import annotations

from pathlib import Path

from roleplay.core.log import LogEvent, read_log


class ConsentMissing(Exception):
    """Recording was asked for before everyone consented; the message names who."""


def missing_consent(events: list[LogEvent]) -> list[str]:
    """Participants without consent; `["everyone present"]` if nobody is named and no consent was given."""
    participants: list[str] = []
    answers: dict[str, bool] = {}
    all_given = False
    for event in events:
        if event.type == "session_started" and not participants:
            participants = [str(p) for p in event.data.get("participants") or []]
        elif event.type == "consent_all" and event.data.get("given_outside_app"):
            all_given = True
            for name in event.data.get("participants") or participants:
                answers[str(name)] = True
        elif event.type == "consent" and "participant" in event.data:
            answers[str(event.data["participant"])] = bool(event.data.get("given"))
    if not participants:
        withdrawn = [name for name, given in answers.items() if not given]
        if withdrawn:
            return withdrawn
        return [] if all_given or answers else ["everyone present"]
    return [name for name in participants if not answers.get(name, False)]


def check_consent(folder: Path) -> None:
    """Raise `ConsentMissing` unless every participant's consent is in the log."""
    missing = missing_consent(read_log(folder))
    if missing:
        raise ConsentMissing(
            f"cannot record in {folder}: no consent in the session log from {', '.join(missing)}")

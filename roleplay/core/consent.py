"""Who has consented to being filmed: the rules, in one place.

Participants come from the first `session_started`. A `consent` event sets
one participant's answer; the latest answer counts. `consent_all` (given
outside the app, e.g. on paper) counts for everyone it names, or for everyone
in the session when it names nobody. A later `consent` with `given: false`
still withdraws. A headless recording (`roleplay record`) names nobody: it
needs a `consent_all`.
"""

from __future__ import annotations

from pathlib import Path

from roleplay.core.events import Consent, ConsentAll, EventBody, SessionStarted
from roleplay.core.i18n import _
from roleplay.core.log import LogEvent, read_log

EVERYONE_PRESENT = "everyone present"


class ConsentMissing(Exception):
    """Recording was asked for before everyone consented; the message names who."""


def apply_consent(answers: dict[str, bool], participants: list[str], body: EventBody) -> bool:
    """Update `answers` for one event; returns whether it was about consent."""
    if isinstance(body, Consent):
        answers[body.participant] = body.given
        return True
    if isinstance(body, ConsentAll) and body.given_outside_app:
        for name in body.participants or participants:
            answers[name] = True
        return True
    return False


def missing_consent(events: list[LogEvent]) -> list[str]:
    """Participants without consent; `["everyone present"]` if nobody is named and no consent was given."""
    participants: list[str] = []
    answers: dict[str, bool] = {}
    all_given = False
    for event in events:
        body = event.body
        if isinstance(body, SessionStarted) and not participants:
            participants = list(body.participants)
        elif apply_consent(answers, participants, body) and isinstance(body, ConsentAll):
            all_given = True
    if not participants:
        withdrawn = [name for name, given in answers.items() if not given]
        if withdrawn:
            return withdrawn
        return [] if all_given or answers else [EVERYONE_PRESENT]
    return [name for name in participants if not answers.get(name, False)]


def check_consent(folder: Path, events: list[LogEvent] | None = None) -> None:
    """Raise `ConsentMissing` unless every participant's consent is in the log.

    A live session passes its own `events` (the same as on disk; a sealed log cannot be read back
    without its key), a headless recording lets the log be read.
    """
    missing = missing_consent(read_log(folder) if events is None else events)
    if missing:
        raise ConsentMissing(_("cannot record in {folder}: no consent in the session log from {missing}").format(folder=folder, missing=', '.join(missing)))

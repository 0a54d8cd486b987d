"""Reading a list of participants as a trainer types it (kept light: the CLI imports it at start)."""

from __future__ import annotations

from roleplay.core.i18n import _


def parse_participants(text: str) -> list[str]:
    """'Ana, Ben, Cleo' (commas or new lines) -> names; '5' -> Participant 1..5."""
    text = text.strip()
    if text.isdigit():
        return [_("Participant {i}").format(i=i) for i in range(1, int(text) + 1)]
    return [name.strip() for name in text.replace("\n", ",").split(",") if name.strip()]

"""Durations in scenario files: one documented format (docs/scenario-format.md, "Durations").

Accepted: `90s`, `5m`, `5 min`, `5 mins`, `10 minutes`, `1h`, `1h30m`, `1 h 30 min`, `2m30s`,
`1:30` (minutes:seconds) and `1:30:00` (hours:minutes:seconds). A bare number is refused:
authors read `30` as minutes as often as seconds, so the unit must be written.

Errors are `PydanticCustomError`s of type `duration`, so the loader shows them at the value's
line and column; the command line turns them into its own error.
"""

from __future__ import annotations

import re
from typing import Any, Final

from pydantic import ValidationInfo
from pydantic_core import PydanticCustomError

from roleplay.core.i18n import _

MAX_SECONDS: Final = 24 * 3600
EXAMPLES: Final = ("90s", "5m", "5 min", "1h30m", "1:30", "1:30:00")

_H = r"(?:h|hr|hrs|hour|hours)"
_M = r"(?:m|min|mins|minute|minutes)"
_S = r"(?:s|sec|secs|second|seconds)"
# Written without inline flags so that the JSON Schema (ECMA-262 regex) can use the same pattern.
UNITS_PATTERN: Final = (
    rf"^ *(?:(?P<h>[0-9]+) *{_H})? *(?:(?P<m>[0-9]+) *{_M})? *(?:(?P<s>[0-9]+) *{_S})? *$"
)
CLOCK_PATTERN: Final = r"^ *(?:(?P<ch>[0-9]+):)?(?P<cm>[0-9]+):(?P<cs>[0-9]{2}) *$"
_UNITS = re.compile(UNITS_PATTERN)
_CLOCK = re.compile(CLOCK_PATTERN)
# Both forms in one pattern without named groups, for the JSON Schema.
SCHEMA_PATTERN: Final = (
    rf"^(?=.*[0-9]) *(?:(?:[0-9]+ *{_H})? *(?:[0-9]+ *{_M})? *(?:[0-9]+ *{_S})?|(?:[0-9]+:)?[0-9]+:[0-9]{{2}}) *$"
)


def _fail(message: str, **values: Any) -> PydanticCustomError:
    return PydanticCustomError("duration", message, values)


def _shown(value: Any) -> str:
    return str(value).strip() if isinstance(value, (str, int, float)) else repr(value)


def parse_duration(value: Any) -> int:
    """Seconds from a duration as written in a scenario file, or a `duration` error in plain words."""
    if isinstance(value, bool) or value is None or isinstance(value, (list, dict)):
        from roleplay.core.text import type_name

        raise _fail(
            _("expected a duration such as 5m, 90s or 1:30, got {kind}"), kind=type_name(value)
        )
    if isinstance(value, (int, float)) or (isinstance(value, str) and re.fullmatch(r" *[0-9]+(\.[0-9]+)? *", value)):
        number = _shown(value)
        if not re.fullmatch(r"[0-9]+", number):
            raise _fail(
                _("{number} has no unit: write it in whole units, e.g. 90s, 5m or 1m30s"), number=number
            )
        raise _fail(
            _("{number} has no unit: write {number}s for seconds or {number}m for minutes"),
            number=number,
        )
    if not isinstance(value, str):  # pragma: no cover - YAML gives no other types
        raise _fail(_("expected a duration such as 5m, 90s or 1:30"))
    if not value.strip():
        raise _fail(_("the duration is empty: write it like 90s, 5m, 5 min, 1h30m or 1:30"))
    seconds = _units(value)
    if seconds is None:
        seconds = _clock(value)
    if seconds is None:
        raise _fail(
            _("'{value}' is not a duration: write it like 90s, 5m, 5 min, 1h30m, 1:30 (minutes:seconds) "
            "or 1:30:00 (hours:minutes:seconds)"),
            value=value.strip(),
        )
    if seconds <= 0:
        raise _fail(_("a duration must be longer than zero, got '{value}'"), value=value.strip())
    if seconds > MAX_SECONDS:
        raise _fail(_("a duration can be at most 24 hours (24h), got '{value}'"), value=value.strip())
    return seconds


def _units(text: str) -> int | None:
    match = _UNITS.match(text)
    if not match or not any(match.group(k) for k in "hms"):
        return None
    hours, minutes, secs = (int(match.group(k) or 0) for k in "hms")
    return hours * 3600 + minutes * 60 + secs


def _clock(text: str) -> int | None:
    match = _CLOCK.match(text)
    if not match:
        return None
    hours = int(match.group("ch") or 0)
    minutes, secs = int(match.group("cm")), int(match.group("cs"))
    if secs >= 60:
        raise _fail(_("in '{value}' the seconds must be below 60"), value=text.strip())
    if match.group("ch") is not None and minutes >= 60:
        raise _fail(_("in '{value}' the minutes must be below 60"), value=text.strip())
    return hours * 3600 + minutes * 60 + secs


# Validation context the loader passes for a file an author wrote. Without it (a scenario copied
# into a session log holds its durations as seconds) a whole number is read as seconds.
AUTHORED: Final = {"authored": True}


def validate_duration(value: Any, info: ValidationInfo) -> int:
    """The model's validator: the strict format for authored files, seconds from a session log's copy."""
    authored = isinstance(info.context, dict) and info.context.get("authored")
    if not authored and isinstance(value, int) and not isinstance(value, bool) and 0 < value <= MAX_SECONDS:
        return value
    return parse_duration(value)


def command_duration(text: str) -> int:
    """Seconds for a duration typed as a command (`extend 2m`); there a bare number means seconds."""
    if text.strip().isdigit():
        seconds = int(text)
        if not 0 < seconds <= MAX_SECONDS:
            raise _fail(_("a duration must be longer than zero and at most 24 hours, got {value}"), value=text.strip())
        return seconds
    return parse_duration(text)

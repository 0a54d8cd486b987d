"""Writes docs/session-log.md from the event models in roleplay.core.events (`make docs`).

A test fails when the committed page is stale, so the page can never drift
from what the program writes.
"""

from __future__ import annotations

import json
import typing
from pathlib import Path

from roleplay.core.events import KINDS, LOG_FORMAT, EventBody

DOC_PATH = Path(__file__).resolve().parent.parent / "docs" / "session-log.md"

INTRO = f"""# The session log

This page is generated from `roleplay/core/events.py` by `make docs`; do not edit it by hand.

Every session is a folder `recordings/<YYYYmmdd-HHMMSS>-<scenario-id>/`
(created 0700; files in it 0600) holding `session.jsonl`: one JSON object per
line, appended, flushed and fsync'd before the program goes on. Reports,
replay, the sessions list, the room and crash recovery read only this file.

- Lines end with `\\n` and only there: names and notes may hold any text.
- A write that fails half-way (disk full) is cut back to the last complete
  line before the error is shown, so a damaged line never sits in the middle.
  A last line cut by a crash is ignored when reading and moved to
  `session.jsonl.torn` when the session is resumed; a damaged line anywhere
  else is reported with its line number, never guessed.
- While a program has the session open it holds a lock on `session.jsonl`:
  `prune` and `delete` leave such a session alone.
- The first event, `session_started`, carries `format` (now {LOG_FORMAT}). A log
  from a newer version of the program is refused with a message saying so.
- With a passphrase the log is sealed: each line is
  `{{"seq": N, "sealed": "..."}}`, where `sealed` is the whole line below
  encrypted (age format, X25519) to the session's public key
  `recipient.txt`; the secret key `key.age` is wrapped by the passphrase.

```json
{{"seq": 4, "wall": 1795454587.76, "mono": 450.12, "type": "phase_entered", "data": {{"phase": "scene", "from": "warm-up", "trigger": "next"}}}}
```

- `seq`: 1, 2, 3… without gaps.
- `wall`: seconds since 1970 (the wall clock); `mono`: the monotonic clock of
  the process that wrote it (video segments use the same clock).
- `type` and `data`: one of the kinds below. Fields marked optional may be
  left out.

"""


def _type_name(annotation: object) -> str:
    text = str(annotation).replace("typing.", "")
    if isinstance(annotation, type):
        text = annotation.__name__
    return text.replace("NoneType", "null")


def _fields(model: type[EventBody]) -> list[str]:
    rows = []
    hints = typing.get_type_hints(model)
    for name, info in model.model_fields.items():
        if name == "type":
            continue
        key = info.alias or name
        optional = "" if info.is_required() else " (optional)"
        rows.append(f"`{key}`: {_type_name(hints.get(name, info.annotation))}{optional}")
    return rows


def render() -> str:
    out = [INTRO]
    groups: dict[str, list[str]] = {}
    for kind, model in KINDS.items():
        groups.setdefault(model.written_by, []).append(kind)
    titles = {"session": "The session", "recorder": "Video recording", "replay": "Replay", "room": "The room"}
    for group, kinds in groups.items():
        out.append(f"## {titles.get(group, group)}\n")
        for kind in kinds:
            model = KINDS[kind]
            doc = " ".join((model.__doc__ or "").split())
            out.append(f"### `{kind}`\n")
            if doc:
                out.append(doc + "\n")
            fields = _fields(model)
            out.append(("- " + "\n- ".join(fields)) if fields else "No data.")
            out.append("\n\nExample `data`:\n")
            out.append("```json\n" + json.dumps(model.example, ensure_ascii=False) + "\n```\n")
    return "\n".join(out)


def main() -> None:
    DOC_PATH.write_text(render(), encoding="utf-8")
    print(f"wrote {DOC_PATH.relative_to(DOC_PATH.parent.parent)}")


if __name__ == "__main__":
    main()

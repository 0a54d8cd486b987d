"""Text from scenarios, participants, notes and file names, made safe to print on a terminal.

A title can hold ESC and so clear the screen, rewrite lines or plant an OSC 8
link; a name can hold a bidi override (U+202E) that shows a different text
than the one written. `printable` shows every such character escaped, the way
Python writes it (`\\x1b`, `\\u202e`, `\\n`), so the text reads the same on
every terminal and nothing in it acts on the terminal.

Escaped: C0 controls (tab and newline too: a newline inside a title must not
start a line of its own), DEL, C1 controls, the bidi embeddings, overrides and
isolates (U+202A-U+202E, U+2066-U+2069), the line and paragraph separators
(U+2028, U+2029), and lone surrogates (from file names that are not UTF-8;
printing them would raise). Everything else, letters of every script and emoji
included, is left as it is. Pure Python: the CLI imports it for `roleplay list`.
"""

from __future__ import annotations

import json
import re
from typing import Any

_UNSAFE = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069\ud800-\udfff]")
_UNSAFE_BUT_NEWLINE = re.compile("[\x00-\x09\x0b-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069\ud800-\udfff]")
# What json.dumps(ensure_ascii=False) leaves raw: it escapes C0 controls only.
_UNSAFE_IN_JSON = re.compile("[\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069\ud800-\udfff]")

_SHORT = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}


def _escape(match: re.Match[str]) -> str:
    char = match.group()
    if char in _SHORT:
        return _SHORT[char]
    code = ord(char)
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def _json_escape(match: re.Match[str]) -> str:
    return f"\\u{ord(match.group()):04x}"


def printable(text: object, *, keep_newlines: bool = False) -> str:
    """`text` with every control, bidi and separator character escaped.

    With `keep_newlines`, "\\n" is left as a line break: for whole blocks of
    output whose line breaks are the program's own.
    """
    text = text if isinstance(text, str) else str(text)
    return (_UNSAFE_BUT_NEWLINE if keep_newlines else _UNSAFE).sub(_escape, text)


def is_printable(text: str) -> bool:
    """True when `printable(text)` would change nothing."""
    return _UNSAFE.search(text) is None


def printable_json(value: Any, *, indent: int | None = None) -> str:
    """JSON with non-ASCII letters kept readable but nothing that acts on a terminal.

    `json.dumps(..., ensure_ascii=False)` escapes C0 controls but leaves DEL,
    C1 controls (U+009B is a one-character CSI), bidi overrides and U+2028 raw.
    These can only occur inside JSON strings, so writing them as `\\uXXXX` gives
    the same JSON value.
    """
    return _UNSAFE_IN_JSON.sub(_json_escape, json.dumps(value, ensure_ascii=False, indent=indent))

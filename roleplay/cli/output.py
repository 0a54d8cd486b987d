"""The one way the command line prints.

Commands print with `out` (a line on standard output), `note` and `warn`
(standard error) and `err` (`roleplay: error: MESSAGE`, exit code 1). Each
line goes through `printable`, so text from a scenario, a participant, a note
or a file name never acts on the terminal: ESC, other controls, bidi overrides
and newlines inside a field are shown escaped. The line break after each line
is the program's own. JSON goes through `out_json`, which escapes what
`json.dumps` leaves raw.

Commands implemented elsewhere (roleplay.video, roleplay.report_commands)
print for themselves; `guarded()` wraps standard output and error while any
command runs, so what they print has its controls escaped too (their line
breaks are kept). Only output the program draws itself, such as a frame as
coloured half-blocks, is written with the guard lifted (`unguarded`), and
the Textual apps run without it.
"""

from __future__ import annotations

import sys
from contextlib import contextmanager
from typing import Any, Iterator, TextIO

from roleplay.cli.errors import EXIT_FAIL
from roleplay.core.printable import printable, printable_json

ERROR_PREFIX = "roleplay: error: "


def out(line: object = "", *, flush: bool = False) -> None:
    """One line on standard output; any newline inside `line` is shown as \\n."""
    sys.stdout.write(printable(line) + "\n")
    if flush:
        sys.stdout.flush()


def out_lines(text: str) -> None:
    """A block of lines the program made (a diagram, a report): its line breaks kept, each line made printable."""
    lines = text.split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    for line in lines:
        out(line)


def out_json(value: Any, *, indent: int | None = None, flush: bool = False) -> None:
    sys.stdout.write(printable_json(value, indent=indent) + "\n")
    if flush:
        sys.stdout.flush()


def note(line: object) -> None:
    """A line for the person at the terminal, on standard error."""
    sys.stderr.write(printable(line) + "\n")
    sys.stderr.flush()


def warn(message: object) -> None:
    note(f"warning: {printable(message)}")


def err(message: object, code: int = EXIT_FAIL) -> int:
    """`roleplay: error: MESSAGE` on standard error; returns the exit code to give."""
    sys.stderr.write(ERROR_PREFIX + printable(message) + "\n")
    sys.stderr.flush()
    return code


class _Guard:
    """A text stream that escapes controls in everything written to it, line breaks excepted."""

    def __init__(self, stream: TextIO):
        self.stream = stream

    def write(self, text: str) -> int:
        self.stream.write(printable(text, keep_newlines=True))
        return len(text)

    def writelines(self, lines: Any) -> None:
        for line in lines:
            self.write(line)

    def __getattr__(self, name: str) -> Any:  # flush, fileno, isatty, encoding, buffer...
        return getattr(self.stream, name)


@contextmanager
def guarded() -> Iterator[None]:
    """While the block runs, standard output and error escape what they are given."""
    saved = sys.stdout, sys.stderr
    if sys.stdout is not None and not isinstance(sys.stdout, _Guard):
        sys.stdout = _Guard(sys.stdout)
    if sys.stderr is not None and not isinstance(sys.stderr, _Guard):
        sys.stderr = _Guard(sys.stderr)
    try:
        yield
    finally:
        sys.stdout, sys.stderr = saved


@contextmanager
def unguarded(stdout: bool = True, stderr: bool = True) -> Iterator[None]:
    """Lift the guard for output the program draws itself (terminal pictures, the Textual apps)."""
    saved = sys.stdout, sys.stderr
    if stdout and isinstance(sys.stdout, _Guard):
        sys.stdout = sys.stdout.stream
    if stderr and isinstance(sys.stderr, _Guard):
        sys.stderr = sys.stderr.stream
    try:
        yield
    finally:
        sys.stdout, sys.stderr = saved

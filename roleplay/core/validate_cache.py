"""What `roleplay validate` found in each file, so a file checked again unchanged is not loaded again.

A reading depends only on the file's bytes, the path it is shown under, the language of its messages
and the program's own rules (roleplay.core.loader). Each entry is keyed by the first three; the whole
cache by a fingerprint of the rules (core's source files and the compiled catalogues). Loading a file
pulls in pydantic and the scenario models, most of a `validate` process: with every file known, the
command needs neither. A cache that cannot be read or written is ignored: it only ever saves time.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from roleplay.core.i18n import language
from roleplay.core.library_cache import content_hash, read_rows, rules_fingerprint, save_rows
from roleplay.core.problems import Problem

KEPT = 2000  # entries: far more files than an author keeps, a few hundred kB


def cache_path() -> Path:
    from roleplay.core.settings import validate_cache_path

    return validate_cache_path()


class KnownProblems:
    """The problems of files as `load_scenario(path)` finds them, from the cache when it has them."""

    def __init__(self) -> None:
        self._path = cache_path()
        self._fingerprint = rules_fingerprint()
        self._rows: dict[str, Any] = read_rows(self._path, self._fingerprint)
        self._changed = False

    def of(self, path: Path) -> list[Problem]:
        try:
            raw = path.read_bytes()
        except OSError:
            from roleplay.core.loader import load_scenario

            return load_scenario(path).problems  # says what could not be read, and is not kept
        shown = str(path)
        key = f"{content_hash(raw)}:{language()}:{shown}"
        row = self._rows.get(key)
        if isinstance(row, list):
            try:
                kept = [Problem(str(p), int(line), int(col), sev, str(msg)) for p, line, col, sev, msg in row]
                if all(p.severity in ("error", "warning") for p in kept):
                    return kept
            except (TypeError, ValueError):
                pass  # not what this program writes: read the file again
        from roleplay.core.loader import load_scenario_bytes

        problems = load_scenario_bytes(raw, shown).problems
        self._rows.pop(key, None)  # newest last: the oldest go first when the cache is full
        self._rows[key] = [[p.path, p.line, p.column, p.severity, p.message] for p in problems]
        self._changed = True
        return problems

    def save(self) -> None:
        if self._changed:
            rows = dict(list(self._rows.items())[-KEPT:])
            save_rows(self._path, self._fingerprint, rows)
            self._changed = False


"""A small cache of scenario summaries so `roleplay list` and the app's library can list without loading pydantic.

Each row is keyed by the file's path, size and modification time, and the
whole cache by a fingerprint of the validator's own source files, so an edit
to a scenario or to the rules is always seen. A cache that cannot be read or
written is ignored: it only ever saves time.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import TYPE_CHECKING, Any

from roleplay.core.i18n import language

if TYPE_CHECKING:
    from roleplay.core.loader import LoadResult

CORE_DIR = Path(__file__).resolve().parent


def cache_path() -> Path:
    from roleplay.core.settings import library_cache_path

    return library_cache_path()


def rules_fingerprint() -> str:
    """What a reading of a file depends on besides the file: core's source files and the compiled
    catalogues (its messages), by size and modification time."""
    from roleplay.core.i18n import LOCALE_DIR

    parts = []
    for path in [*sorted(CORE_DIR.glob("*.py")), *sorted(LOCALE_DIR.glob("*/LC_MESSAGES/roleplay.mo"))]:
        st = path.stat()
        parts.append(f"{path.name}:{st.st_size}:{st.st_mtime_ns}")
    return "|".join(parts)


def _key(path: Path) -> str:
    st = path.stat()
    return f"{path.resolve()}:{st.st_size}:{st.st_mtime_ns}"


def summarize(path: Path, source: str) -> dict[str, Any]:
    from roleplay.core.library import display_path
    from roleplay.core.loader import load_scenario

    return row(load_scenario(path, display_path(path)), path, source)


def row(result: LoadResult, path: Path, source: str) -> dict[str, Any]:
    """What the cache keeps of one loaded file."""
    s = result.scenario
    if s is None or not result.ok:
        first = result.problems[0] if result.problems else None
        return {"id": s.id if s else path.stem, "ok": False, "problem": str(first) if first else "", "source": source,
                "language": language()}  # the problem's message is in the language it was read in
    return {
        "id": s.id,
        "ok": True,
        "titles": s.title if isinstance(s.title, dict) else {s.fallback: s.title},
        "fallback": s.fallback,
        "duration": s.duration,
        "group_min": s.group_size.min,
        "group_max": s.group_size.max,
        "languages": list(s.languages),
        "source": source,
    }


def _current(row: Any) -> dict[str, Any] | None:
    """A kept row, unless it holds a message in another language than the one in use now."""
    if not isinstance(row, dict) or (not row.get("ok") and row.get("language") != language()):
        return None
    return row


def read_rows(path: Path, fingerprint: str) -> dict[str, Any]:
    """The rows of a cache file written under `fingerprint`; none when it was written under another, or is unreadable."""
    try:
        cached = json.loads(path.read_text(encoding="utf-8"))
        rows = cached["rows"] if cached.get("fingerprint") == fingerprint else {}
        return rows if isinstance(rows, dict) else {}
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return {}


# ----- summaries shipped with the built-in scenarios ------------------------------------------------
# A first run (an empty cache) lists the built-in exercises without loading them: `make docs` writes their
# rows beside them, each with a hash of the file it describes, and a row is used only for a file with
# that very content (tests/test_shipped_summaries.py fails when one is stale).

SHIPPED_NAME = "summaries.json"


def content_hash(raw: bytes) -> str:
    import hashlib

    return hashlib.blake2b(raw, digest_size=20).hexdigest()


def shipped_rows(folder: Path) -> dict[str, Any]:
    """The shipped rows of the scenarios in `folder`, by file name: {name: {"blake2b": ..., "row": ...}}."""
    try:
        data = json.loads((folder / SHIPPED_NAME).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def _shipped_row(file: Path, source: str, shipped: dict[str, Any]) -> dict[str, Any] | None:
    entry = shipped.get(file.name) if source == "built-in" else None
    if not isinstance(entry, dict) or not isinstance(entry.get("row"), dict):
        return None
    try:
        same = entry.get("blake2b") == content_hash(file.read_bytes())
    except OSError:
        return None
    return entry["row"] if same else None


def _shipped_for(files: list[tuple[Path, str]]) -> dict[str, Any]:
    folders = {file.parent for file, source in files if source == "built-in"}
    return {name: entry for folder in folders for name, entry in shipped_rows(folder).items()}


def cached(files: list[tuple[Path, str]]) -> list[dict[str, Any]] | None:
    """Summaries of (path, source) pairs when the cache (or what ships with the built-ins) holds every
    file as it is now, else None; never loads."""
    rows = read_rows(cache_path(), rules_fingerprint())
    shipped: dict[str, Any] | None = None
    found = []
    try:
        for file, source in files:
            row = _current(rows.get(f"{source}:{_key(file)}"))
            if row is None:
                shipped = _shipped_for(files) if shipped is None else shipped
                row = _shipped_row(file, source, shipped)
            if row is None:
                return None
            found.append(row)
    except OSError:
        return None
    return found


def remember(loaded: list[tuple[Path, str, LoadResult]]) -> None:
    """Keep the summaries of files just loaded (the app's library), so the next start can list them at once."""
    path = cache_path()
    fingerprint = rules_fingerprint()
    rows = read_rows(path, fingerprint)
    fresh = {}
    try:
        for file, source, result in loaded:
            fresh[f"{source}:{_key(file)}"] = row(result, file, source)
    except OSError:
        return
    if len(fresh) != len(rows) or any(rows.get(key) != value for key, value in fresh.items()):
        save_rows(path, fingerprint, fresh)


def summaries(files: list[tuple[Path, str]]) -> list[dict[str, Any]]:
    """Summaries of (path, source) pairs, loading only files the cache has not seen as they are now."""
    path = cache_path()
    fingerprint = rules_fingerprint()
    rows = read_rows(path, fingerprint)
    shipped: dict[str, Any] | None = None
    result, fresh, changed = [], {}, False
    for file, source in files:
        key = f"{source}:{_key(file)}"
        row = _current(rows.get(key))
        if row is None:
            shipped = _shipped_for(files) if shipped is None else shipped
            row = _shipped_row(file, source, shipped) or summarize(file, source)
            changed = True
        fresh[key] = row
        result.append(row)
    if changed or len(fresh) != len(rows):
        save_rows(path, fingerprint, fresh)
    return result


def save_rows(path: Path, fingerprint: str, rows: dict[str, Any]) -> None:
    """Write a cache file through a private temporary file (0600, in a 0700 folder) and rename it."""
    data = {"fingerprint": fingerprint, "rows": rows}
    import tempfile

    from roleplay.core.settings import private_dir

    try:
        private_dir(path.parent)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.stem}-", suffix=".tmp")  # mode 0600
    except OSError:
        return
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(json.dumps(data))
        os.replace(tmp, path)
    except OSError:
        try:
            os.unlink(tmp)
        except OSError:
            pass

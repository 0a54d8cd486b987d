"""Where scenarios come from: the built-in ones and the author's `./scenarios`."""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

from roleplay.core.i18n import _

if TYPE_CHECKING:  # the loader pulls in pydantic; `roleplay list` avoids it when the cache is warm
    from roleplay.core.loader import LoadResult

PACKAGE_DIR = Path(__file__).resolve().parent.parent


def builtin_dir() -> Path:
    """Installed wheels carry the scenarios inside the package; a checkout has them beside it."""
    packaged = PACKAGE_DIR / "builtin_scenarios"
    if packaged.is_dir():
        return packaged
    return PACKAGE_DIR.parent / "scenarios"


def local_dir() -> Path:
    """The author's own scenarios ($ROLEPLAY_SCENARIOS, else ./scenarios): see roleplay.core.settings."""
    from roleplay.core.settings import scenarios_dir

    return scenarios_dir()


class Entry(NamedTuple):  # not a dataclass: `roleplay list` would import dataclasses and inspect (10 ms) for it
    path: Path
    source: str  # "built-in" or "local"
    result: LoadResult

    @property
    def id(self) -> str:
        if self.result.scenario is not None:
            return self.result.scenario.id
        return self.path.stem


def scenario_files(folder: Path) -> list[Path]:
    if not folder.is_dir():
        return []
    return sorted(p for p in folder.glob("*.y*ml") if p.suffix in (".yaml", ".yml") and p.is_file())


def library_files() -> list[tuple[Path, str]]:
    """(path, "built-in" | "local") of every scenario file, built-in first."""
    builtin = builtin_dir().resolve()
    local = local_dir()
    files = [(p, "built-in") for p in scenario_files(builtin)]
    if local != builtin:
        files += [(p, "local") for p in scenario_files(local)]
    return files


def discover(remember: bool = False) -> list[Entry]:
    """Built-in and local scenarios; a local file with a built-in's id shadows it.

    `remember`: also keep their summaries in the cache, so the next `listing()` needs no loading."""
    from roleplay.core.loader import load_scenario

    loaded = [Entry(path, source, load_scenario(path, display_path(path))) for path, source in library_files()]
    if remember:
        from roleplay.core.library_cache import remember as keep

        keep([(e.path, e.source, e.result) for e in loaded])
    entries: dict[str, Entry] = {}
    for entry in loaded:
        entries[entry.id if entry.result.scenario else f"{entry.source}:{entry.path}"] = entry
    return sorted(entries.values(), key=lambda e: (e.source != "built-in", e.id))


def summaries() -> list[dict[str, Any]]:
    """What `roleplay list` shows, from a cache when the files have not changed; same shadowing as discover()."""
    from roleplay.core.library_cache import summaries as cached

    rows: dict[str, dict[str, Any]] = {}
    for (path, source), row in zip(library_files(), cached(library_files())):
        rows[row["id"] if row["ok"] else f"{source}:{path}"] = {**row, "path": str(path)}
    return sorted(rows.values(), key=lambda r: (r["source"] != "built-in", r["id"]))


def listing() -> list[dict[str, Any]] | None:
    """summaries() when the cache holds every file as it is now (a few milliseconds), else None: nothing is loaded."""
    from roleplay.core.library_cache import cached

    files = library_files()
    found = cached(files)
    if found is None:
        return None
    rows: dict[str, dict[str, Any]] = {}
    for (path, source), row in zip(files, found):
        rows[row["id"] if row["ok"] else f"{source}:{path}"] = {**row, "path": str(path)}
    return sorted(rows.values(), key=lambda r: (r["source"] != "built-in", r["id"]))


def display_path(path: Path) -> str:
    """A path as the user should see it: relative to where they are, when it is below."""
    try:
        return str(path.relative_to(Path.cwd()))
    except ValueError:
        return str(path)


class NotFound(Exception):
    pass


def resolve(ref: str) -> Path:
    """A SCENARIO argument: a path to a file, else an id under ./scenarios, else a built-in id."""
    candidate = Path(ref)
    if candidate.suffix in (".yaml", ".yml") or os.sep in ref or candidate.exists():
        if candidate.is_file():
            return candidate
        raise NotFound(_("{ref}: no such scenario file").format(ref=ref))
    for folder in (local_dir(), builtin_dir()):
        for suffix in (".yaml", ".yml"):
            path = folder / f"{ref}{suffix}"
            if path.is_file():
                return path
    for entry in discover():
        if entry.result.scenario is not None and entry.result.scenario.id == ref:
            return entry.path
    known = ", ".join(e.id for e in discover() if e.result.scenario is not None)
    raise NotFound(_("{ref}: no scenario with this id or path (known: {known})").format(ref=ref, known=known or _('none')))

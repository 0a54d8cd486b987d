"""Loading a scenario file: bytes -> YAML data -> models -> graph checks.

`load_scenario` never raises for bad input: every problem comes back as a
`Problem` with the file, line and column of the YAML node it concerns.
"""

from __future__ import annotations

import hashlib
import threading
from collections import OrderedDict
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Iterable

from pydantic import BaseModel, ValidationError

from roleplay.core.checks import DataPath, check_raw_targets, check_scenario
from roleplay.core.durations import AUTHORED
from roleplay.core.i18n import Translations, _, active
from roleplay.core.model import Phase, Scenario
from roleplay.core.problems import Problem, has_errors
from roleplay.core.yamlsource import Marks, SourceError, decode, parse_all

if TYPE_CHECKING:  # model_errors is imported only when a file has model errors: a valid file never needs it
    from roleplay.core.model_errors import Found


@dataclass
class LoadResult:
    path: str
    scenario: Scenario | None
    problems: list[Problem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.scenario is not None and not has_errors(self.problems)


def load_scenario(path: str | Path, display_path: str | None = None) -> LoadResult:
    shown = display_path or str(path)
    try:
        raw = Path(path).read_bytes()
    except IsADirectoryError:
        return _fail(shown, _("is a folder, not a scenario file"))
    except FileNotFoundError:
        return _fail(shown, _("no such file"))
    except PermissionError:
        return _fail(shown, _("permission denied: cannot read this file"))
    except OSError as exc:
        return _fail(shown, _("cannot read file: {reason}").format(reason=exc.strerror or exc))
    return load_scenario_bytes(raw, shown)


def load_scenario_text(text: str, path: str = "<text>") -> LoadResult:
    return load_scenario_bytes(text.encode("utf-8", "surrogatepass"), path)


def load_scenario_bytes(raw: bytes, path: str) -> LoadResult:
    # A reading depends only on the bytes, the path it names in problems and the language of their
    # messages (it reads no other file and no setting), and a Scenario is frozen: the same reading is
    # reused. One process reads the same files again and again (the library each time it is shown,
    # each SCENARIO argument resolved, the room, a report): 10 ms to 40 ms each, a few microseconds so.
    key = (hashlib.blake2b(raw, digest_size=20).digest(), path, active())
    with _READ_LOCK:
        known = _READ.get(key)
        if known is not None:
            _READ.move_to_end(key)
    if known is None:
        known = _read(raw, path)
        with _READ_LOCK:
            _READ[key] = known
            while len(_READ) > _READ_KEPT:
                _READ.popitem(last=False)
    return LoadResult(known.path, known.scenario, list(known.problems))  # the caller's own list


_READ: OrderedDict[tuple[bytes, str, Translations], LoadResult] = OrderedDict()  # the latest readings
_READ_LOCK = threading.Lock()  # the library reads in a worker thread
_READ_KEPT = 64


def forget_readings() -> None:
    """Read every file afresh from now on (a benchmark timing the reading itself)."""
    with _READ_LOCK:
        _READ.clear()


def _read(raw: bytes, path: str) -> LoadResult:
    try:
        source = decode(raw)
    except SourceError as exc:
        return _fail(path, exc.message, exc.line, exc.column)
    try:
        return _load(source, path)
    except Exception as exc:  # noqa: BLE001 - last line of defence: never a traceback for any input
        return _fail(path, _("cannot read this file as a scenario ({kind})").format(kind=type(exc).__name__))


def _load(source: str, path: str) -> LoadResult:
    """Every problem one reading can find: YAML, then the models, then the whole-scenario checks.

    Each stage goes on after the problems of the one before: the YAML reader keeps the data it
    could read, broken values are replaced by stand-ins (`model_errors.salvage`) so that
    references, the phase graph and translations are still checked, and findings that only
    concern a stand-in are left out.
    """
    parsed = parse_all(source)
    problems = [Problem(path, e.line, e.column, "error", e.message) for e in parsed.problems]
    data, marks = parsed.data, parsed.marks
    if not isinstance(data, dict):
        if parsed.complete and (data is not None or not problems):  # a list, a text, an empty document
            problems.append(Problem(path, *marks.locate(()), "error",
                                    _("a scenario must be a mapping of keys (id:, title:, ...) at the top level")))
        return LoadResult(path, None, sorted(set(problems)))
    if not parsed.complete:
        # Only the lines before a syntax error were read: keys and values cut off there are not mistakes.
        try:
            Scenario.model_validate(data, context=AUTHORED)
        except ValidationError as exc:
            from roleplay.core.model_errors import model_problems

            found = model_problems(exc, data, skip=("missing", "too_short", "none"))
            problems += [_place(path, f, marks) for f in found if not _under(f.path, parsed.poisoned)]
        return LoadResult(path, None, sorted(set(problems)))
    try:
        scenario: Scenario | None = Scenario.model_validate(data, context=AUTHORED)
        replaced: list[DataPath] = []
        checked: Scenario | None = scenario
    except ValidationError as exc:
        from roleplay.core.model_errors import model_problems, salvage

        scenario = None
        found = model_problems(exc, data)
        problems += [_place(path, f, marks) for f in found if not _under(f.path, parsed.poisoned)]
        try:
            checked, replaced = salvage(data, exc)
        except Exception:  # noqa: BLE001 - the stand-ins are a help, never a reason to lose the problems found
            checked, replaced = None, []
    replaced += sorted(parsed.poisoned, key=len)
    if checked is None:
        taken = {(p.line, p.column) for p in problems}
        for loc, severity, message, on_key in check_raw_targets(data):
            line, column = marks.locate(loc, prefer_key=on_key)
            if (line, column) not in taken:
                problems.append(Problem(path, line, column, severity, message))
        return LoadResult(path, None, sorted(set(problems)))
    for loc, severity, message, on_key in check_scenario(checked, data, skip=_skipped(replaced)):
        if _about_stand_in(loc, severity, replaced):
            continue
        problems.append(Problem(path, *marks.locate(loc, prefer_key=on_key), severity, message))
    problems += [
        p for p in _placeholder_problems(checked, source, marks, path)
        if scenario is not None or not _inside_any(p, replaced, marks)
    ]
    if parsed.problems:
        scenario = None  # a duplicate key or a tag: what was read is not quite what the author wrote
    return LoadResult(path, scenario, sorted(set(problems)))


def _place(path: str, found: Found, marks: Marks) -> Problem:
    if found.key_of is not None and tuple(found.key_of) in marks.keys:
        line, column = marks.locate(found.key_of, prefer_key=True)
    else:
        line, column = marks.locate(found.path, prefer_key=found.on_key)
    return Problem(path, line, column, "error", found.message)


def _under(loc: DataPath, paths: Iterable[DataPath]) -> bool:
    """Whether `loc` is one of `paths` or inside one."""
    return any(loc[: len(p)] == p for p in paths)


def _skipped(replaced: list[DataPath]) -> frozenset[str]:
    """Groups of checks whose findings would be about stand-ins (see `checks.CHECK_GROUPS`)."""
    skip = set()
    for loc in replaced:
        head = loc[0] if loc else None
        if head in ("languages", "fallback_language"):
            skip.add("languages")
        if head in ("roles", "group_size", "grouping"):
            skip.add("roles")
        if (head in _LISTS_WITH_IDS and (len(loc) <= 2 or loc[2] == "id")) or loc == ("phases",):
            skip.add("references")  # a whole role, deck... was replaced: references to it would only add noise
        if head == "start" or loc == ("phases",):
            skip.add("graph")
        if head == "phases" and len(loc) >= 2:
            key = loc[2] if len(loc) > 2 else None
            unknown = isinstance(key, str) and key not in Phase.model_fields  # a misspelt key: `nxt`, `chekclists`
            if key is None or unknown or key in ("next", "transitions", "timer", "final"):
                skip.add("graph")  # routes that are broken or misspelt: reachability would only repeat it
            if key is None or unknown or key in ("checklists", "collection", "events", "votes", "form"):
                skip.add("unused")  # what the phase uses is not known
    return frozenset(skip)


_LISTS_WITH_IDS = ("roles", "decks", "checklists", "collections", "events", "votes", "forms", "competencies")


def _about_stand_in(loc: DataPath, severity: str, replaced: list[DataPath]) -> bool:
    """A finding inside a replaced value, or a warning about what holds one (it was broken, not missing)."""
    if _under(loc, replaced):
        return True
    return severity == "warning" and any(r[: len(loc)] == loc for r in replaced)


def _inside_any(problem: Problem, replaced: list[DataPath], marks: Marks) -> bool:
    spots = {marks.locate(loc) for loc in replaced}
    return (problem.line, problem.column) in spots


def _placeholder_problems(scenario: Scenario, source: str, marks: Marks, path: str) -> list[Problem]:
    """Name placeholders (`{role:id}`) that name no role, at the placeholder's own line and column."""
    from roleplay.core.checks import texts_with_fields
    from roleplay.core.names import placeholder_problems

    starts: list[int] = []  # where each line begins; worked out only once a placeholder is reported
    found = []
    role_ids = {r.id for r in scenario.roles}
    # Only texts with "{role:" in them can hold a placeholder (anything else is passed on as before).
    texts = (t for t in texts_with_fields(scenario) if not isinstance(t[3], str) or "{role:" in t[3])
    for loc, offset, written, severity, message in placeholder_problems(texts, role_ids):
        if not starts:
            starts.append(0)
            for text_line in source.splitlines(keepends=True):
                starts.append(starts[-1] + len(text_line))
        line, column = marks.locate(loc)
        index = starts[min(line, len(starts)) - 1] + column - 1
        value = _text_at(scenario, loc)
        nth = value[:offset].count(written) if value else 0
        at = index - 1
        for _step in range(nth + 1):
            at = source.find(written, at + 1)
            if at < 0:
                break
        if at >= 0:
            line = source.count("\n", 0, at) + 1
            column = at - (source.rfind("\n", 0, at) + 1) + 1
        found.append(Problem(path, line, column, severity, message))
    return found


def _text_at(scenario: Scenario, loc: DataPath) -> str:
    node: Any = scenario
    for part in loc:
        if isinstance(node, BaseModel):
            node = getattr(node, str(part), None)
        elif isinstance(node, (dict, list, tuple)):
            try:
                node = node[part]
            except (KeyError, IndexError, TypeError):
                return ""
        else:
            return ""
    return node if isinstance(node, str) else ""


def _fail(path: str, message: str, line: int = 1, column: int = 1) -> LoadResult:
    return LoadResult(path, None, [Problem(path, line, column, "error", message)])

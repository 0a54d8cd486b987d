"""Loading a scenario file: bytes -> YAML data -> models -> graph checks.

`load_scenario` never raises for bad input: every problem comes back as a
`Problem` with the file, line and column of the YAML node it concerns.
"""

from __future__ import annotations

import difflib
import typing
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError
from pydantic_core import ErrorDetails

from roleplay.core.checks import DataPath, check_raw_targets, check_scenario
from roleplay.core.model import Scenario
from roleplay.core.problems import Problem, has_errors
from roleplay.core.yamlsource import Marks, SourceError, decode, parse


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
        return _fail(shown, "is a folder, not a scenario file")
    except FileNotFoundError:
        return _fail(shown, "no such file")
    except PermissionError:
        return _fail(shown, "permission denied: cannot read this file")
    except OSError as exc:
        return _fail(shown, f"cannot read file: {exc.strerror or exc}")
    return load_scenario_bytes(raw, shown)


def load_scenario_text(text: str, path: str = "<text>") -> LoadResult:
    return load_scenario_bytes(text.encode("utf-8", "surrogatepass"), path)


def load_scenario_bytes(raw: bytes, path: str) -> LoadResult:
    try:
        source = decode(raw)
        data, marks = parse(source)
    except SourceError as exc:
        return _fail(path, exc.message, exc.line, exc.column)
    except Exception as exc:  # noqa: BLE001 - last line of defence: never a traceback for any input
        return _fail(path, f"cannot read this file as YAML ({type(exc).__name__})")
    if not isinstance(data, dict):
        return _fail(path, "a scenario must be a mapping of keys (id:, title:, ...) at the top level", *marks.locate(()))
    try:
        scenario = Scenario.model_validate(data)
    except ValidationError as exc:
        problems = _model_problems(exc, data, marks, path)
        taken = {(p.line, p.column) for p in problems}
        for loc, severity, message, on_key in check_raw_targets(data):
            line, column = marks.locate(loc, prefer_key=on_key)
            if (line, column) not in taken:
                problems.append(Problem(path, line, column, severity, message))
        return LoadResult(path, None, sorted(problems))
    problems = [
        Problem(path, *marks.locate(loc, prefer_key=on_key), severity, message)
        for loc, severity, message, on_key in check_scenario(scenario, data)
    ]
    problems += _placeholder_problems(scenario, source, marks, path)
    return LoadResult(path, scenario, sorted(problems))


def _placeholder_problems(scenario: Scenario, source: str, marks: Marks, path: str) -> list[Problem]:
    """Name placeholders (`{role:id}`) that name no role, at the placeholder's own line and column."""
    from roleplay.core.checks import texts_with_fields
    from roleplay.core.names import placeholder_problems

    lines = source.splitlines(keepends=True)
    starts = [0]
    for text_line in lines:
        starts.append(starts[-1] + len(text_line))
    found = []
    role_ids = {r.id for r in scenario.roles}
    for loc, offset, written, severity, message in placeholder_problems(texts_with_fields(scenario), role_ids):
        line, column = marks.locate(loc)
        index = starts[min(line, len(starts)) - 1] + column - 1
        value = _text_at(scenario, loc)
        nth = value[:offset].count(written) if value else 0
        at = index - 1
        for _ in range(nth + 1):
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


def _model_problems(exc: ValidationError, data: Any, marks: Marks, path: str) -> list[Problem]:
    problems: dict[tuple[int, int, str], Problem] = {}
    for error in exc.errors(include_url=False):
        loc = _data_path(error["loc"], data)
        kind = error["type"]
        where = _describe(loc)
        if kind == "extra_forbidden":
            key = loc[-1]
            message = f"unknown key '{key}'{_suggest(loc, data)}"
            line, column = marks.locate(loc, prefer_key=True)
        elif kind == "missing":
            parent = loc[:-1]
            message = f"missing required key '{loc[-1]}'" + (f" in {_describe(parent)}" if parent else "")
            line, column = marks.locate(parent, prefer_key=True)
        else:
            message = f"{where}: {_plain(error)}" if where else _plain(error)
            line, column = marks.locate(loc)
        # Unions report once per branch; one message per place is enough.
        problems.setdefault((line, column, message.split(":")[0]), Problem(path, line, column, "error", message))
    return list(problems.values())


def _data_path(loc: tuple[int | str, ...], data: Any) -> DataPath:
    """Pydantic locations include union branch names; keep only real keys and indexes."""
    result: list[Any] = []
    node = data
    for part in loc:
        if isinstance(node, dict) and part in node:
            result.append(part)
            node = node[part]
        elif isinstance(node, list) and isinstance(part, int) and 0 <= part < len(node):
            result.append(part)
            node = node[part]
        elif isinstance(node, (dict, list)) or node is None:
            if isinstance(part, str) and not _looks_like_branch(part):
                result.append(part)  # a missing or unknown key
                node = None
        # else: a branch label such as 'str' or 'literal[...]'
    return tuple(result)


def _looks_like_branch(part: str) -> bool:
    return part in {"str", "int", "bool", "float", "list", "dict", "tuple"} or "[" in part or "function" in part


def _describe(loc: DataPath) -> str:
    text = ""
    for part in loc:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text


_MESSAGES = {
    "string_type": "expected text",
    "int_type": "expected a whole number",
    "int_parsing": "expected a whole number",
    "bool_type": "expected true or false",
    "bool_parsing": "expected true or false",
    "list_type": "expected a list",
    "dict_type": "expected a mapping of keys",
    "model_type": "expected a mapping of keys",
    "model_attributes_type": "expected a mapping of keys",
    "tuple_type": "expected a list",
}


def _plain(error: ErrorDetails) -> str:
    kind = error["type"]
    got = error.get("input")
    if kind == "string_pattern_mismatch":
        return f"'{got}' is not a valid id: use lower-case letters, digits and hyphens (e.g. mingle-round)"
    if kind == "literal_error":
        expected = error.get("ctx", {}).get("expected", "")
        choices = [c.strip().strip("'") for c in expected.replace(" or ", ", ").split(",")]
        close = difflib.get_close_matches(str(got), choices, n=1) if isinstance(got, str) else []
        hint = f"; did you mean '{close[0]}'?" if close else ""
        return f"{got!r} is not allowed{hint} (expected {expected})"
    if kind in ("too_short", "too_long"):
        return error["msg"].replace("List", "list").replace("Dictionary", "mapping")
    if kind in _MESSAGES:
        from roleplay.core.text import type_name

        return f"{_MESSAGES[kind]}, got {type_name(got)}"
    return error["msg"]


def _suggest(loc: DataPath, data: Any) -> str:
    allowed = _allowed_keys(loc[:-1])
    if not allowed:
        return ""
    close = difflib.get_close_matches(str(loc[-1]), allowed, n=1)
    if close:
        return f"; did you mean '{close[0]}'?"
    return f" (allowed here: {', '.join(sorted(allowed))})"


def _allowed_keys(loc: DataPath) -> list[str]:
    """Field names of the model found at a data path, walking the annotations."""
    model: Any = Scenario
    for part in loc:
        model = _step(model, part)
        if model is None:
            return []
    model = _unwrap_model(model)
    if model is None:
        return []
    return [f.alias or name for name, f in model.model_fields.items()]


def _step(annotation: Any, part: Any) -> Any:
    model = _unwrap_model(annotation)
    if model is not None and isinstance(part, str):
        field_info = model.model_fields.get(part)
        return field_info.annotation if field_info else None
    for arg in _args(annotation):
        origin = typing.get_origin(arg)
        if origin is list and isinstance(part, int):
            return typing.get_args(arg)[0]
        if origin is dict and isinstance(part, str):
            return typing.get_args(arg)[1]
    return None


def _args(annotation: Any) -> list[Any]:
    origin = typing.get_origin(annotation)
    if origin is typing.Annotated:
        return _args(typing.get_args(annotation)[0])
    if origin in (typing.Union, getattr(__import__("types"), "UnionType", None)):
        return [a for arg in typing.get_args(annotation) for a in _args(arg)]
    return [annotation]


def _unwrap_model(annotation: Any) -> type[BaseModel] | None:
    for arg in _args(annotation):
        if isinstance(arg, type) and issubclass(arg, BaseModel):
            return arg
    return None

"""Safe YAML reading that remembers where every value came from.

We compose the node graph ourselves (libyaml when present) and build plain
Python data from it, so that:
- only plain data types exist: no Python tags, nothing is ever constructed;
- duplicate keys, merge keys and multiple documents are errors, not guesses;
- aliases cannot blow up memory (expanded size is capped) and nesting is capped;
- every key and value keeps its line and column for error messages.
"""

from __future__ import annotations

import codecs
from dataclasses import dataclass, field
from typing import Any, TypeAlias

import yaml

try:  # libyaml is several times faster; fall back to the pure-Python parser.
    from yaml import CSafeLoader as _Loader
except ImportError:  # pragma: no cover - depends on the wheel
    from yaml import SafeLoader as _Loader  # type: ignore[assignment]

MAX_BYTES = 1024 * 1024
MAX_DEPTH = 40
MAX_NODES = 100_000

Path: TypeAlias = tuple[Any, ...]  # a path of keys and indexes into the data


@dataclass
class Marks:
    """Line/column (0-based) of values and of mapping keys, by data path."""

    values: dict[Path, tuple[int, int]] = field(default_factory=dict)
    keys: dict[Path, tuple[int, int]] = field(default_factory=dict)

    def locate(self, path: Path, prefer_key: bool = False) -> tuple[int, int]:
        """1-based line and column for a path, or for its nearest known parent."""
        path = tuple(path)
        while True:
            if prefer_key and path in self.keys:
                line, col = self.keys[path]
                return line + 1, col + 1
            if path in self.values:
                line, col = self.values[path]
                return line + 1, col + 1
            if not path:
                return 1, 1
            path = path[:-1]
            prefer_key = False


class SourceError(Exception):
    """A file that cannot be read as scenario data; carries a 1-based position."""

    def __init__(self, message: str, line: int = 1, column: int = 1):
        super().__init__(message)
        self.message = message
        self.line = line
        self.column = column


_SCALAR_TAGS = {
    "tag:yaml.org,2002:str",
    "tag:yaml.org,2002:int",
    "tag:yaml.org,2002:float",
    "tag:yaml.org,2002:bool",
    "tag:yaml.org,2002:null",
    "tag:yaml.org,2002:timestamp",  # kept as the text the author wrote
}
_constructor = yaml.SafeLoader("")  # only its scalar converters are used


def decode(raw: bytes) -> str:
    """Text from bytes, or a SourceError saying what is wrong with the file."""
    if len(raw) > MAX_BYTES:
        raise SourceError(f"file is too large ({len(raw) // 1024} KiB; the limit is {MAX_BYTES // 1024} KiB)")
    for bom, name in (
        (codecs.BOM_UTF32_LE, "UTF-32"),
        (codecs.BOM_UTF32_BE, "UTF-32"),
        (codecs.BOM_UTF16_LE, "UTF-16"),
        (codecs.BOM_UTF16_BE, "UTF-16"),
    ):
        if raw.startswith(bom):
            raise SourceError(f"file is encoded as {name}; save it as UTF-8")
    if b"\x00" in raw:
        line = raw[: raw.index(b"\x00")].count(b"\n") + 1
        raise SourceError("this is a binary file, not YAML text (it contains NUL bytes)", line, 1)
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        before = raw[: exc.start]
        line = before.count(b"\n") + 1
        column = len(before) - (before.rfind(b"\n") + 1) + 1
        raise SourceError(
            f"file is not valid UTF-8 (byte 0x{raw[exc.start]:02x}); save it as UTF-8", line, column
        ) from None
    if not text.strip() or all(
        not ln.strip() or ln.lstrip().startswith("#") for ln in text.splitlines()
    ):
        raise SourceError("file is empty: a scenario needs at least id, title, roles, start and phases")
    return text


def _syntax_error(exc: yaml.YAMLError, text: str) -> SourceError:
    mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
    line, column = (mark.line + 1, mark.column + 1) if mark is not None else (1, 1)
    problem = getattr(exc, "problem", None) or str(exc)
    context = getattr(exc, "context", None)
    if mark is not None:
        lines = text.splitlines()
        here = lines[mark.line] if mark.line < len(lines) else ""
        if "\t" in here[: mark.column + 1] and not here[: here.index("\t")].strip():
            column = here.index("\t") + 1
            return SourceError("tab character used for indentation; YAML needs spaces", line, column)
    message = f"YAML syntax: {problem}"
    if context and context not in problem:
        message += f" ({context})"
    return SourceError(message, line, column)


def parse(text: str) -> tuple[Any, Marks]:
    """Plain data and its marks from YAML text, or a SourceError."""
    try:
        nodes = list(yaml.compose_all(text, Loader=_Loader))
    except yaml.YAMLError as exc:
        raise _syntax_error(exc, text) from None
    except RecursionError:
        raise SourceError(f"nesting is too deep (more than {MAX_DEPTH} levels)") from None
    nodes = [n for n in nodes if n is not None]
    if not nodes:
        raise SourceError("file is empty: a scenario needs at least id, title, roles, start and phases")
    if len(nodes) > 1:
        second = nodes[1].start_mark
        raise SourceError(
            "only one YAML document per file (found a second one after '---')", second.line + 1, second.column + 1
        )
    builder = _Builder()
    data = builder.build(nodes[0], (), 0)
    return data, builder.marks


def _tag_message(tag: str) -> str:
    shown = tag.replace("tag:yaml.org,2002:", "!!")
    return f"tag {shown} is not allowed: a scenario holds only plain text, numbers, true/false, lists and mappings"


class _Builder:
    def __init__(self) -> None:
        self.marks = Marks()
        self.count = 0

    def _fail(self, node: yaml.Node, message: str) -> SourceError:
        return SourceError(message, node.start_mark.line + 1, node.start_mark.column + 1)

    def build(self, node: yaml.Node, path: Path, depth: int) -> Any:
        self.count += 1
        if self.count > MAX_NODES:
            raise self._fail(node, f"document expands to more than {MAX_NODES} values (alias bomb?)")
        if depth > MAX_DEPTH:
            raise self._fail(node, f"nesting is too deep (more than {MAX_DEPTH} levels)")
        self.marks.values[path] = (node.start_mark.line, node.start_mark.column)
        if isinstance(node, yaml.ScalarNode):
            return self._scalar(node)
        if isinstance(node, yaml.SequenceNode):
            if node.tag != "tag:yaml.org,2002:seq":
                raise self._fail(node, _tag_message(node.tag))
            return [self.build(item, path + (i,), depth + 1) for i, item in enumerate(node.value)]
        if isinstance(node, yaml.MappingNode):
            if node.tag != "tag:yaml.org,2002:map":
                raise self._fail(node, _tag_message(node.tag))
            result: dict[Any, Any] = {}
            for key_node, value_node in node.value:
                if key_node.tag == "tag:yaml.org,2002:merge":
                    raise self._fail(key_node, "merge keys ('<<') are not supported; write the keys out")
                if not isinstance(key_node, yaml.ScalarNode):
                    raise self._fail(key_node, "a key must be plain text, not a list or mapping")
                key = self._scalar(key_node)
                if not isinstance(key, (str, int, float, bool)) or key is None:
                    raise self._fail(key_node, "a key must be plain text")
                key = str(key) if not isinstance(key, str) else key
                if key in result:
                    first = self.marks.keys[path + (key,)]
                    raise self._fail(key_node, f"duplicate key '{key}' (first given on line {first[0] + 1})")
                self.marks.keys[path + (key,)] = (key_node.start_mark.line, key_node.start_mark.column)
                result[key] = self.build(value_node, path + (key,), depth + 1)
            return result
        raise self._fail(node, "unsupported YAML node")  # pragma: no cover

    def _scalar(self, node: yaml.ScalarNode) -> Any:
        tag = node.tag
        if tag not in _SCALAR_TAGS:
            raise self._fail(node, _tag_message(tag))
        if tag == "tag:yaml.org,2002:str" or tag == "tag:yaml.org,2002:timestamp":
            return node.value
        try:
            if tag == "tag:yaml.org,2002:int":
                return _constructor.construct_yaml_int(node)
            if tag == "tag:yaml.org,2002:float":
                return _constructor.construct_yaml_float(node)
            if tag == "tag:yaml.org,2002:bool":
                return _constructor.construct_yaml_bool(node)
            return None
        except (ValueError, yaml.YAMLError):
            raise self._fail(node, f"cannot read {node.value!r} as {tag.rsplit(':', 1)[-1]}") from None

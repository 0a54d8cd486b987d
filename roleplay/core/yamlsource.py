"""Safe YAML reading that remembers where every value came from.

We compose the node graph ourselves (libyaml when present) and build plain
Python data from it, so that:
- only plain data types exist: no Python tags, nothing is ever constructed;
- duplicate keys, merge keys and multiple documents are errors, not guesses;
- aliases cannot blow up memory (expanded size is capped) and nesting is capped;
- every key and value keeps its line and column for error messages.

`parse_all` never stops at the first problem: a duplicate key, a tag or a merge
key is reported and reading goes on; after a syntax error the lines before it
are still read, so one run of `validate` shows as much as can be found. The
parser's own wording is turned into plain words (`syntax_error`).
"""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass, field
from typing import Any, TypeAlias

import yaml

from roleplay.core.i18n import N_, _

try:  # libyaml is several times faster; fall back to the pure-Python parser.
    from yaml import CSafeLoader as _Loader
except ImportError:  # pragma: no cover - depends on the wheel
    from yaml import SafeLoader as _Loader  # type: ignore[assignment]

MAX_BYTES = 1024 * 1024
MAX_DEPTH = 40
MAX_NODES = 100_000

Path: TypeAlias = tuple[Any, ...]  # a path of keys and indexes into the data

EMPTY = N_("file is empty: a scenario needs at least id, title, roles, start and phases")


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

    def __init__(self, message: str, line: int = 1, column: int = 1, context_line: int | None = None):
        super().__init__(message)
        self.message = message
        self.line = line
        self.column = column
        self.context_line = context_line  # where the broken construct began (a syntax error's context)


@dataclass
class Parsed:
    """What could be read: `data` (None when nothing could be), every problem found, and
    whether the data is the whole file (`complete`) or only the lines before a syntax error."""

    data: Any
    marks: Marks
    problems: list[SourceError]
    poisoned: set[Path] = field(default_factory=set)  # values left out because of a problem reported here
    complete: bool = True


_SCALAR_TAGS = {
    "tag:yaml.org,2002:str",
    "tag:yaml.org,2002:int",
    "tag:yaml.org,2002:float",
    "tag:yaml.org,2002:bool",
    "tag:yaml.org,2002:null",
    "tag:yaml.org,2002:timestamp",  # kept as the text the author wrote
}
_STR = "tag:yaml.org,2002:str"
_constructor = yaml.SafeLoader("")  # only its scalar converters are used


def decode(raw: bytes) -> str:
    """Text from bytes, or a SourceError saying what is wrong with the file."""
    if len(raw) > MAX_BYTES:
        raise SourceError(_("file is too large ({size} KiB; the limit is {limit} KiB)").format(size=len(raw) // 1024, limit=MAX_BYTES // 1024))
    for bom, name in (
        (codecs.BOM_UTF32_LE, "UTF-32"),
        (codecs.BOM_UTF32_BE, "UTF-32"),
        (codecs.BOM_UTF16_LE, "UTF-16"),
        (codecs.BOM_UTF16_BE, "UTF-16"),
    ):
        if raw.startswith(bom):
            raise SourceError(_("file is encoded as {name}; save it as UTF-8").format(name=name))
    if b"\x00" in raw:
        line = raw[: raw.index(b"\x00")].count(b"\n") + 1
        raise SourceError(_("this is a binary file, not YAML text (it contains NUL bytes)"), line, 1)
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        before = raw[: exc.start]
        line = before.count(b"\n") + 1
        column = len(before) - (before.rfind(b"\n") + 1) + 1
        raise SourceError(
            _("file is not valid UTF-8 (byte 0x{byte}); save it as UTF-8").format(byte=f"{raw[exc.start]:02x}"), line, column
        ) from None
    if not text.strip() or _blank_or_comments(text):
        raise SourceError(str(EMPTY))
    return text


def _blank_or_comments(text: str) -> bool:
    """Whether every line is blank or a comment.

    The first 4 KiB nearly always hold a line with something on it; splitting a whole file into
    lines only for that took a tenth of reading it. (A line cut short at 4 KiB that shows something
    other than '#' shows it in full too.)"""
    if any(ln.strip() and not ln.lstrip().startswith("#") for ln in text[:4096].splitlines()):
        return False
    return all(not ln.strip() or ln.lstrip().startswith("#") for ln in text.splitlines())


# ----- reading ------------------------------------------------------------------------


def parse(text: str) -> tuple[Any, Marks]:
    """Plain data and its marks from YAML text, or a SourceError for the first problem."""
    parsed = parse_all(text)
    if parsed.problems:
        raise parsed.problems[0]
    return parsed.data, parsed.marks


def parse_all(text: str) -> Parsed:
    """Everything that can be read from YAML text, with every problem found; never raises."""
    try:
        nodes = [n for n in yaml.compose_all(text, Loader=_Loader) if n is not None]
    except yaml.YAMLError as exc:
        return _before(text, syntax_error(exc, text))
    except RecursionError:
        return Parsed(None, Marks(), [SourceError(_("nesting is too deep (more than {depth} levels)").format(depth=MAX_DEPTH))])
    if not nodes:
        return Parsed(None, Marks(), [SourceError(str(EMPTY))])
    problems: list[SourceError] = []
    if len(nodes) > 1:
        second = nodes[1].start_mark
        problems.append(SourceError(
            _("only one YAML document per file (found a second one after '---'): remove the '---' line, "
            "or move the second scenario into a file of its own"),
            second.line + 1, second.column + 1,
        ))
    builder = _Builder()
    try:
        data = builder.build(nodes[0], (), 0)
    except SourceError as fatal:  # an alias bomb or too deep: nothing more is read
        return Parsed(None, builder.marks, [fatal])
    return Parsed(data, builder.marks, builder.problems + problems, builder.poisoned)


def _before(text: str, error: SourceError) -> Parsed:
    """The data of the lines before a syntax error (a few cuts further back are tried), and the error.

    What comes after the error cannot be read reliably, so only the part before it is checked;
    the message says so.
    """
    error.message += _("; the lines from here on are checked once this is fixed")
    lines = text.splitlines(keepends=True)
    first = min(error.line, error.context_line or error.line) - 1
    cuts = [error.line - 1, first]
    cut = first
    while cut > 0 and len(cuts) < 12:
        cut = cut - 1 if len(cuts) < 6 else cut // 2
        cuts.append(cut)
    for cut in dict.fromkeys(c for c in cuts if c > 0):
        try:
            nodes = [n for n in yaml.compose_all("".join(lines[:cut]), Loader=_Loader) if n is not None]
        except (yaml.YAMLError, RecursionError):
            continue
        if not nodes:
            break
        builder = _Builder()
        try:
            data = builder.build(nodes[0], (), 0)
        except SourceError:
            break
        return Parsed(data, builder.marks, [error] + builder.problems, builder.poisoned, complete=False)
    return Parsed(None, Marks(), [error], complete=False)


def _tag_message(tag: str) -> str:
    shown = tag.replace("tag:yaml.org,2002:", "!!")
    return (
        _("tag {tag} is not allowed: a scenario holds only plain text, numbers, true/false, lists and mappings; "
        "remove the tag (text with a leading '!' goes in quotes)")
    ).format(tag=shown)


class _Builder:
    def __init__(self) -> None:
        self.marks = Marks()
        self.count = 0
        self.problems: list[SourceError] = []
        self.poisoned: set[Path] = set()

    def _error(self, node: yaml.Node, message: str) -> SourceError:
        return SourceError(message, node.start_mark.line + 1, node.start_mark.column + 1)

    def _report(self, node: yaml.Node, message: str, path: Path | None = None) -> None:
        """A problem that leaves the value out; reading goes on."""
        self.problems.append(self._error(node, message))
        if path is not None:
            self.poisoned.add(path)

    def build(self, node: yaml.Node, path: Path, depth: int) -> Any:
        self.count += 1
        if self.count > MAX_NODES:
            raise self._error(node, _("document expands to more than {count} values (alias bomb?): write the values out").format(count=MAX_NODES))
        if depth > MAX_DEPTH:
            raise self._error(node, _("nesting is too deep (more than {depth} levels)").format(depth=MAX_DEPTH))
        mark = node.start_mark
        self.marks.values[path] = (mark.line, mark.column)
        if isinstance(node, yaml.ScalarNode):
            if node.tag == _STR:  # the usual case, as _scalar would
                return node.value
            return self._scalar(node, path)
        if isinstance(node, yaml.SequenceNode):
            if node.tag != "tag:yaml.org,2002:seq":
                self._report(node, _tag_message(node.tag), path)
                return None
            return [self.build(item, path + (i,), depth + 1) for i, item in enumerate(node.value)]
        if isinstance(node, yaml.MappingNode):
            if node.tag != "tag:yaml.org,2002:map":
                self._report(node, _tag_message(node.tag), path)
                return None
            return self._mapping(node, path, depth)
        raise self._error(node, _("unsupported YAML node"))  # pragma: no cover

    def _mapping(self, node: yaml.MappingNode, path: Path, depth: int) -> dict[Any, Any]:
        result: dict[Any, Any] = {}
        keys = self.marks.keys
        for key_node, value_node in node.value:
            if key_node.tag == _STR and isinstance(key_node, yaml.ScalarNode):
                key = key_node.value  # the usual case: plain text, as the checks below would find it
            else:
                if key_node.tag == "tag:yaml.org,2002:merge":
                    self._report(key_node, _("merge keys ('<<') are not supported; write the keys out"), path)
                    continue
                if not isinstance(key_node, yaml.ScalarNode):
                    self._report(key_node, _("a key must be plain text, not a list or mapping"), path)
                    continue
                key = self._scalar(key_node, None)
                if not isinstance(key, (str, int, float, bool)) or key is None:
                    self._report(key_node, _("a key must be plain text"), path)
                    continue
                key = str(key) if not isinstance(key, str) else key
            here = path + (key,)
            if key in result or here in keys:
                first = keys[here]
                self._report(
                    key_node,
                    _("duplicate key '{key}' (first given on line {line}): keep one of them; "
                    "the first is used meanwhile").format(key=key, line=first[0] + 1),
                )
                continue
            mark = key_node.start_mark
            keys[here] = (mark.line, mark.column)
            result[key] = self.build(value_node, here, depth + 1)
        return result

    def _scalar(self, node: yaml.ScalarNode, path: Path | None) -> Any:
        tag = node.tag
        if tag not in _SCALAR_TAGS:
            self._report(node, _tag_message(tag), path)
            return None
        if tag == "tag:yaml.org,2002:str" or tag == "tag:yaml.org,2002:timestamp":
            return node.value
        if ":" in node.value and tag in ("tag:yaml.org,2002:int", "tag:yaml.org,2002:float"):
            return node.value  # YAML 1.1 reads 1:30 as the number 90; keep what was written (a duration)
        try:
            if tag == "tag:yaml.org,2002:int":
                return _constructor.construct_yaml_int(node)
            if tag == "tag:yaml.org,2002:float":
                return _constructor.construct_yaml_float(node)
            if tag == "tag:yaml.org,2002:bool":
                return _constructor.construct_yaml_bool(node)
            return None
        except (ValueError, yaml.YAMLError):
            self._report(node, _("cannot read {value} as {kind}").format(value=repr(node.value), kind=tag.rsplit(":", 1)[-1]), path)
            return None


# ----- syntax errors in plain words ------------------------------------------------------


def syntax_error(exc: yaml.YAMLError, text: str) -> SourceError:
    """The parser's error as a plain sentence at the line and column of the actual mistake."""
    mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
    context_mark = getattr(exc, "context_mark", None)
    problem = str(getattr(exc, "problem", None) or exc)
    context = str(getattr(exc, "context", None) or "")
    if mark is None:
        return SourceError(_("the YAML cannot be read: {problem}").format(problem=problem))
    lines = text.splitlines()
    where = _Where(lines, mark.line, mark.column, context_mark.line if context_mark else None,
                   context_mark.column if context_mark else None)
    for explain in _EXPLAINERS:
        found = explain(where, problem, context)
        if found is not None:
            message, line, column = found
            return SourceError(message, line + 1, column + 1, where.context_line + 1 if where.context_line is not None else None)
    message = _("the YAML cannot be read here: {problem}").format(problem=problem)
    if context and context not in problem:
        message += " ({context})".format(context=context)
    return SourceError(message, mark.line + 1, mark.column + 1, where.context_line + 1 if where.context_line is not None else None)


@dataclass
class _Where:
    lines: list[str]
    line: int  # 0-based, where the parser noticed the problem
    column: int
    context_line: int | None
    context_column: int | None

    def text(self, index: int) -> str:
        return self.lines[index] if 0 <= index < len(self.lines) else ""

    def indent(self, index: int) -> int:
        text = self.text(index)
        return len(text) - len(text.lstrip(" "))

    def content_before(self, index: int) -> int | None:
        """The nearest line above that holds something (not blank, not only a comment)."""
        for i in range(index - 1, -1, -1):
            stripped = self.text(i).strip()
            if stripped and not stripped.startswith("#"):
                return i
        return None


_Found = tuple[str, int, int] | None
_KEY = re.compile(r"^( *)(- +)?([^\s#'\"][^:#]*?|'[^']*'|\"[^\"]*\") *:(?: |$)")


def _key_of(text: str) -> tuple[str, int] | None:
    """(key, 0-based column) of a `key: ...` line, else None."""
    match = _KEY.match(text)
    if not match:
        return None
    return match.group(3).strip(), match.end(2) if match.group(2) else len(match.group(1))


def _tab(w: _Where, problem: str, context: str) -> _Found:
    here = w.text(w.line)
    if "\t" in here and not here[: here.index("\t")].strip():
        return _("tab character used for indentation; YAML needs spaces"), w.line, here.index("\t")
    return None


def _mapping_values(w: _Where, problem: str, context: str) -> _Found:
    if not problem.startswith("mapping values are not allowed"):
        return None
    here = w.text(w.line)
    own = _key_of(here)
    first_colon = here.find(":", own[1] if own else 0)
    if own and first_colon < w.column:
        # `title: Say: hello`: the value has ': ' in it
        value_at = first_colon + 1 + len(here[first_colon + 1 :]) - len(here[first_colon + 1 :].lstrip())
        value = here[value_at:].rstrip()
        return (
            _("this value has ': ' in it, which YAML reads as the start of a new key: put the whole value "
            "in quotes, e.g. {key}: \"{value}\"").format(key=own[0], value=value),
            w.line,
            value_at,
        )
    if own is None:
        return None
    key, column = own
    above = w.content_before(w.line)
    if above is None:
        return None
    above_key = _key_of(w.text(above))
    above_column = above_key[1] if above_key else w.indent(above)
    if column <= above_column:
        return None
    before = w.content_before(above)
    if before is not None and above_key is not None:
        before_key = _key_of(w.text(before))
        if before_key and before_key[1] == column and not w.text(before).rstrip().endswith(":"):
            # the line above is the odd one out: it was moved left by mistake
            return (
                _("bad indentation: '{key}:' starts at column {column}, left of the keys around it "
                "(column {keys}); indent it to column {keys}").format(key=above_key[0], column=above_column + 1, keys=column + 1),
                above,
                above_column,
            )
    name = "'{key}:'".format(key=above_key[0]) if above_key else _("the line above")
    return (
        _("bad indentation: '{key}:' is indented more than {above} above it, so YAML reads it as more of that "
        "line's text; if it is a key, line it up with {above} (column {column}); if it is text, "
        "put the text in quotes").format(key=key, above=name, column=above_column + 1),
        w.line,
        column,
    )


def _block_mapping(w: _Where, problem: str, context: str) -> _Found:
    if "block mapping" not in context or not (
        problem.startswith("did not find expected key") or problem.startswith("expected <block end>")
    ):
        return None
    here = w.text(w.line)
    before = here[: w.column].rstrip()
    if before.endswith(("'", '"')) and ":" in before:
        return _("text after the closing quote: put the whole value inside the quotes"), w.line, w.column
    if here[w.column :].startswith("- ") or here[w.column :] == "-":
        return (
            _("a list item ('- ') where a key was expected: indent it under the key whose list it is, "
            "or line it up with the other items of that list"),
            w.line,
            w.column,
        )
    keys_at = w.context_column if w.context_column is not None else 0
    above = w.content_before(w.line)
    above_key = _key_of(w.text(above)) if above is not None else None
    if above_key and keys_at < w.column < above_key[1]:
        return (
            _("bad indentation: this line starts at column {column}, between the keys at column {outer} "
            "(from line {line}) and '{key}:' at column {inner} on the line above; line it up with the keys it "
            "belongs with").format(column=w.column + 1, outer=keys_at + 1, line=(w.context_line or 0) + 1,
                                  key=above_key[0], inner=above_key[1] + 1),
            w.line,
            w.column,
        )
    whose = _(" (the mapping that starts on line {line})").format(line=w.context_line + 1) if w.context_line is not None else ""
    return (
        _("bad indentation: this line starts at column {column}, but the keys around it{whose} start at "
        "column {keys}; line it up with them, or indent it further under a key that ends with ':'").format(
            column=w.column + 1, whose=whose, keys=keys_at + 1),
        w.line,
        w.column,
    )


def _block_list(w: _Where, problem: str, context: str) -> _Found:
    if "block collection" not in context:
        return None
    dash = w.context_column if w.context_column is not None else 0
    item_keys = dash + 2
    for i in range(w.line - 1, -1, -1):
        match = re.match(r"^( *)-( +)\S", w.text(i))
        if match and len(match.group(1)) == dash:
            item_keys = dash + 1 + len(match.group(2))
            break
    return (
        _("bad indentation: this line is in the list that starts on line {line} "
        "(its items start with '-' at column {dash}): to belong to the item above, indent it to column "
        "{keys}; to start a new item, begin it with '- '").format(
            line=(w.context_line or 0) + 1, dash=dash + 1, keys=item_keys + 1),
        w.line,
        w.column,
    )


def _simple_key(w: _Where, problem: str, context: str) -> _Found:
    if "could not find expected ':'" not in problem or w.context_line is None:
        return None
    return (
        _("this line has no ':' after its key: write it as 'key: value'; if it continues the text on the line "
        "above, indent it further or put that text in quotes"),
        w.context_line,
        w.context_column or 0,
    )


def _flow(w: _Where, problem: str, context: str) -> _Found:
    for kind, opening, closing in (("flow sequence", "[", "]"), ("flow mapping", "{", "}")):
        if kind in context and w.context_line is not None:
            what = _("list") if opening == "[" else _("mapping")
            if w.line != w.context_line:
                return (
                    _("the {what} opened with '{opening}' here is not closed: add '{closing}' at its end "
                    "(and ',' between its items)").format(what=what, opening=opening, closing=closing),
                    w.context_line,
                    w.context_column or 0,
                )
            return (
                _("expected ',' or '{closing}' here: separate the items of the {what} with ', ' and close it "
                "with '{closing}'; text with ',', ':' or brackets in it goes in quotes").format(closing=closing, what=what),
                w.line,
                w.column,
            )
    return None


def _quoted(w: _Where, problem: str, context: str) -> _Found:
    if "quoted scalar" not in context or w.context_line is None:
        return None
    quote = w.text(w.context_line)[w.context_column or 0 : (w.context_column or 0) + 1] or "'"
    if "end of stream" in problem:
        return (
            _("the quote {quote} opened here is never closed: add the closing {quote} at the end of the text").format(quote=quote),
            w.context_line,
            w.context_column or 0,
        )
    return (
        _("the text in quotes that starts here cannot be read: close it with {quote}; inside '...' write '' "
        "for one ', inside \"...\" write \\\" for one \"").format(quote=quote),
        w.context_line,
        w.context_column or 0,
    )


def _token_start(w: _Where, problem: str, context: str) -> _Found:
    here = w.text(w.line)
    char = here[w.column : w.column + 1]
    if "cannot start any token" in problem and char:
        return (
            _("'{char}' cannot start a value in YAML: put the value in quotes").format(char=char),
            w.line,
            w.column,
        )
    if "while scanning an alias" in context or "while scanning an anchor" in context:
        col = w.context_column if w.context_column is not None else w.column
        sign = w.text(w.context_line if w.context_line is not None else w.line)[col : col + 1] or "*"
        message = (
            _("'*' at the start of a value is YAML's sign for an alias: put the value in quotes") if sign == "*"
            else _("'&' at the start of a value is YAML's sign for an anchor: put the value in quotes")
        )
        return (
            message,
            w.context_line if w.context_line is not None else w.line,
            col,
        )
    if "undefined alias" in problem:
        return (
            _("'*' at the start of a value refers to an anchor that is not defined: put the value in quotes"),
            w.line,
            w.column,
        )
    if "sequence entries are not allowed" in problem:
        return (
            _("a list item ('- ') cannot follow a key on the same line: put it on the next line, indented, "
            "or write the list as [a, b]"),
            w.line,
            w.column,
        )
    if "block scalar" in context:
        return (
            _("after '|' or '>' the text starts on the next line, indented; only '-', '+' or a digit may follow them"),
            w.line,
            w.column,
        )
    if "document start" in problem:
        return (
            _("the file goes on after the end of the document ('...' or a directive): remove that line"),
            w.line,
            w.column,
        )
    return None


_EXPLAINERS = (_tab, _mapping_values, _simple_key, _flow, _quoted, _block_mapping, _block_list, _token_start)

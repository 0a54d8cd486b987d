"""Pydantic's validation errors in plain words, and a stand-in scenario for the remaining checks.

`model_problems` turns each error into one sentence that says what is wrong and how to fix it,
placed at the offending token (a key for an unknown or misplaced key, the value otherwise). No
pydantic wording reaches the author: each error type the scenario models can raise has its
own sentence here (tests/test_authoring_errors.py has one broken file per kind).

`salvage` replaces each broken value by a harmless stand-in (the field's default, or a
neutral value) so that the whole-scenario checks (references, the phase graph, translations)
still run in the same validation; findings about the stand-ins themselves are dropped by
the loader. The stand-in scenario is never used for anything else.
"""

from __future__ import annotations

import copy
import re
import types
import typing
from dataclasses import dataclass
from typing import Any, Iterable

from pydantic import BaseModel, ValidationError
from pydantic_core import ErrorDetails

from roleplay.core.durations import AUTHORED
from roleplay.core.i18n import N_, _
from roleplay.core.model import Scenario
from roleplay.core.suggest import close_match, did_you_mean, language_hint
from roleplay.core.text import LANGUAGE_CODE, type_name

DataPath = tuple[Any, ...]


@dataclass(frozen=True)
class Found:
    path: DataPath  # where in the data
    message: str
    on_key: bool = False  # point at the key rather than the value
    key_of: DataPath | None = None  # point at this key instead (a misplaced key inside a text)


# ----- walking the models along a data path -------------------------------------------------


def _args(annotation: Any) -> list[Any]:
    """The plain alternatives of an annotation (Annotated, Optional and unions unwrapped)."""
    origin = typing.get_origin(annotation)
    if origin is typing.Annotated:
        return _args(typing.get_args(annotation)[0])
    if origin in (typing.Union, types.UnionType):
        return [a for arg in typing.get_args(annotation) for a in _args(arg)]
    return [annotation]


def _metadata(annotation: Any) -> list[Any]:
    """Every piece of Annotated metadata in an annotation (validators, constraints)."""
    found: list[Any] = []
    if typing.get_origin(annotation) is typing.Annotated:
        base, *meta = typing.get_args(annotation)
        found += meta + _metadata(base)
    elif typing.get_origin(annotation) in (typing.Union, types.UnionType):
        for arg in typing.get_args(annotation):
            found += _metadata(arg)
    return found


def _model_of(annotation: Any) -> type[BaseModel] | None:
    for arg in _args(annotation):
        if isinstance(arg, type) and issubclass(arg, BaseModel):
            return arg
    return None


def _step(annotation: Any, part: Any) -> Any:
    """The annotation one key or index further in."""
    model = _model_of(annotation)
    if model is not None and isinstance(part, str):
        info = model.model_fields.get(part)
        if info is None:
            return None
        if info.metadata:  # pydantic keeps a field's constraints apart from its annotation
            return typing.Annotated[(info.annotation, *info.metadata)]
        return info.annotation
    for arg in _args(annotation):
        origin = typing.get_origin(arg)
        if origin is list and isinstance(part, int):
            return typing.get_args(arg)[0]
        if origin is tuple and isinstance(part, int):
            inner = typing.get_args(arg)
            return inner[min(part, len(inner) - 1)] if inner else None
        if origin is dict and isinstance(part, str):
            return typing.get_args(arg)[1]
    return None


def annotation_at(path: DataPath) -> Any:
    annotation: Any = Scenario
    for part in path:
        annotation = _step(annotation, part)
        if annotation is None:
            return None
    return annotation


def allowed_keys(path: DataPath) -> list[str]:
    """Keys of the model found at a data path."""
    model = _model_of(annotation_at(path))
    if model is None:
        return []
    return [info.alias or name for name, info in model.model_fields.items()]


def _owner_field(path: DataPath) -> tuple[type[BaseModel], str] | None:
    """The model and field name of the last model field on a path."""
    for end in range(len(path), 0, -1):
        if isinstance(path[end - 1], str):
            model = _model_of(annotation_at(path[: end - 1]))
            if model is not None and path[end - 1] in model.model_fields:
                return model, path[end - 1]
    return None


def _all_models() -> list[type[BaseModel]]:
    seen: list[type[BaseModel]] = []
    stack: list[Any] = [Scenario]
    while stack:
        annotation = stack.pop()
        for arg in _args(annotation):
            if isinstance(arg, type) and issubclass(arg, BaseModel):
                if arg not in seen:
                    seen.append(arg)
                    stack += [info.annotation for info in arg.model_fields.values()]
            else:
                stack += list(typing.get_args(arg))
    return seen


def _thing(model: type[BaseModel]) -> str:
    """`a phase`, `a checklist item`, `the top level` for a model class."""
    if model is Scenario:
        return _("the top level")
    words = re.sub(r"(?<!^)([A-Z])", r" \1", model.__name__).lower()  # the format's own name for it, kept as is
    return (_("an {thing}") if words[0] in "aeiou" else _("a {thing}")).format(thing=words)


def key_owners(key: str) -> list[str]:
    """Where a key does belong, in words (`a phase`, `an event`)."""
    return [_thing(m) for m in _all_models() if key in m.model_fields]


# ----- words for paths and values ------------------------------------------------------------


def _singular(key: str) -> str:
    if key == "transitions":
        return "route"
    if key.endswith("ies"):
        return key[:-3] + "y"
    return key[:-1] if key.endswith("s") else key


def where(path: DataPath, data: Any) -> str:
    """`phase 'one'`, `role 'player'`, `the timer of phase 'one'`, `the top level`."""
    parts: list[str] = []
    node = data
    i = 0
    while i < len(path):
        part = path[i]
        nxt = path[i + 1] if i + 1 < len(path) else None
        child = node.get(part) if isinstance(node, dict) else None
        if part == "phases" and i == 0 and isinstance(nxt, str):
            parts.append(_("phase '{phase}'").format(phase=nxt))
            node = child.get(nxt) if isinstance(child, dict) else None
            i += 2
            continue
        if isinstance(part, str) and isinstance(nxt, int):
            item = child[nxt] if isinstance(child, list) and 0 <= nxt < len(child) else None
            ident = item.get("id") if isinstance(item, dict) else None
            label = f"{_singular(part)} '{ident}'" if isinstance(ident, str) and ident else f"{_singular(part)} {nxt + 1}"
            parts.append(label)
            node = item
            i += 2
            continue
        parts.append(f"'{part}'")
        node = child
        i += 1
    if not parts:
        return _("the top level")
    whole = parts[0]
    for part in parts[1:]:
        whole = _("{part} of {whole}").format(part=part, whole=whole)
    return whole


def _subject(path: DataPath) -> str:
    """The key an error is about, as the message starts: `duration`, `phase 'one'`."""
    if len(path) == 2 and path[0] == "phases":
        return _("phase '{phase}'").format(phase=path[1])
    for part in reversed(path):
        if isinstance(part, str):
            return part
    return _("the file")


def shown(value: Any) -> str:
    if isinstance(value, str):
        text = value if len(value) <= 40 else value[:39] + "…"
        return f"'{text}'"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return str(value)
    return type_name(value)


def _expected(annotation: Any) -> str:
    """What a field takes, in words: `an id`, `'stay' or an id`, `text`."""
    words: list[str] = []
    meta = _metadata(annotation)
    for arg in _args(annotation):
        origin = typing.get_origin(arg)
        if origin is typing.Literal:
            words += [f"'{v}'" for v in typing.get_args(arg)]
        elif origin is list:
            inner = typing.get_args(arg)[0] if typing.get_args(arg) else None
            ids = inner is not None and any(getattr(m, "pattern", None) for m in _metadata(inner))
            words.append(_("a list of ids") if ids else _("a list"))
        elif origin is tuple:
            words.append(_("a list of two"))
        elif origin is dict or (isinstance(arg, type) and issubclass(arg, BaseModel)):
            words.append(_("a mapping of keys"))
        elif arg is bool:
            words.append(_("true or false"))
        elif arg is int:
            words.append(_("a whole number"))
        elif arg is str:
            if any(getattr(m, "pattern", None) == LANGUAGE_CODE.pattern for m in meta):
                words.append(_("a language code such as en"))
            elif any(getattr(m, "pattern", None) for m in meta):
                words.append(_("an id (lower-case letters, digits and hyphens)"))
            else:
                words.append(_("text"))
    words = list(dict.fromkeys(words))
    if len(words) <= 1:
        return words[0] if words else _("another kind of value")
    return either(words)


def either(words: list[str]) -> str:
    """`a, b or c` in the language in use."""
    if len(words) <= 1:
        return words[0] if words else ""
    return _("{choices} or {last}").format(choices=", ".join(words[:-1]), last=words[-1])


def slug(value: Any) -> str:
    text = re.sub(r"[^a-z0-9]+", "-", str(value).lower()).strip("-")
    return text[:64] or "my-id"


# ----- one message per error ---------------------------------------------------------------


_BRANCH = re.compile(r"^(str|int|bool|float|list|dict|tuple|none)$|\[|constrained|function|literal|lax|strict|union")


def _data_path(loc: tuple[int | str, ...], data: Any) -> tuple[DataPath, int | None, bool]:
    """(the data path, index in `loc` of the first union branch label or None, is a dict key's error)."""
    result: list[Any] = []
    node = data
    branch_at: int | None = None
    for index, part in enumerate(loc):
        if part == "[key]":
            return tuple(result), branch_at, True
        if isinstance(node, dict) and part in node:
            result.append(part)
            node = node[part]
        elif isinstance(node, list) and isinstance(part, int) and 0 <= part < len(node):
            result.append(part)
            node = node[part]
        elif isinstance(part, str) and _BRANCH.search(part) and not (isinstance(node, dict) and part in node):
            if branch_at is None:
                branch_at = index
        elif isinstance(part, (str, int)):
            result.append(part)  # a missing key or index
            node = None
    return tuple(result), branch_at, False


def _value_at(data: Any, path: DataPath) -> Any:
    node = data
    for part in path:
        if isinstance(node, dict) and part in node:
            node = node[part]
        elif isinstance(node, list) and isinstance(part, int) and 0 <= part < len(node):
            node = node[part]
        else:
            return None
    return node


def model_problems(exc: ValidationError, data: Any, skip: Iterable[str] = ()) -> list[Found]:
    """Every validation error in plain words; `skip` leaves out error types (a partly read file)."""
    skipped = set(skip)
    groups: dict[DataPath, list[tuple[ErrorDetails, DataPath, bool]]] = {}
    singles: list[tuple[ErrorDetails, DataPath, bool]] = []
    for error in exc.errors(include_url=False):
        if error["type"] in skipped or ("none" in skipped and error.get("input", 0) is None):
            continue
        path, branch_at, on_dict_key = _data_path(error["loc"], data)
        if branch_at is not None:
            field_path, _unused, _unused2 = _data_path(error["loc"][:branch_at], data)
            groups.setdefault(field_path, []).append((error, path, on_dict_key))
        else:
            singles.append((error, path, on_dict_key))
    found: list[Found] = []
    for error, path, on_dict_key in singles:
        found.append(_one(error, path, on_dict_key, data))
    for field_path, errors in groups.items():
        deeper = [e for e in errors if len(e[1]) > len(field_path)]
        if deeper:  # the value has the right shape (a list...); what is wrong is inside it
            found += [_one(error, path, key, data) for error, path, key in deeper]
        elif len(errors) == 1:
            found.append(_one(errors[0][0], errors[0][1], errors[0][2], data))
        else:
            found.append(_union(field_path, data))
    unique: dict[tuple[DataPath, str], Found] = {}
    for item in found:
        unique.setdefault((item.path, item.message), item)
    return list(unique.values())


def _union(path: DataPath, data: Any) -> Found:
    value = _value_at(data, path)
    return Found(path, _("{key}: expected {expected}, got {got}").format(
        key=_subject(path), expected=_expected(annotation_at(path)), got=shown(value)))


def _one(error: ErrorDetails, path: DataPath, on_dict_key: bool, data: Any) -> Found:
    kind = error["type"]
    got = error.get("input")
    ctx: dict[str, Any] = dict(error.get("ctx") or {})
    key = _subject(path)
    if kind == "missing":
        return _missing(path, data)
    if kind == "extra_forbidden":
        return _unknown_key(path, data)
    if on_dict_key:
        return _bad_dict_key(path, got, ctx)
    if kind == "language_code":
        return _language_key(path, str(ctx.get("code", got)), data)
    if kind == "role_count":
        return Found(path, error["msg"])  # its sentence starts with the key already
    if kind in ("duration", "empty_text", "text_type"):
        if (kind == "text_type" and got is None) or error["msg"] == _("text is empty"):
            return Found(path, _("{key} is empty: write the text after '{key}:'").format(key=key))
        return Found(path, _("{key}: {message}").format(key=key, message=error["msg"]))
    if kind == "string_pattern_mismatch":
        if ctx.get("pattern") == LANGUAGE_CODE.pattern:
            return Found(path, _("{key}: '{code}' is not a language code{hint}").format(
                key=key, code=got, hint=language_hint(str(got))))
        return Found(path, _("{key}: {got} is not a valid id: use lower-case letters, digits and hyphens, e.g. '{slug}'").format(
            key=key, got=shown(got), slug=slug(got)))
    if kind == "string_too_long":
        return Found(path, _("{key}: {got} is too long: an id has at most {most} characters").format(
            key=key, got=shown(got), most=ctx.get("max_length", 64)))
    if kind == "literal_error":
        return _literal(path, got)
    if kind == "too_short":
        return _too_short(path, ctx)
    if kind == "too_long":
        if str(ctx.get("field_type", "")).lower() == "tuple":
            return _pair(path, data, ctx.get("actual_length", "more than two"))
        return Found(path, _("{key}: give at most {most}; found {actual}").format(
            key=key, most=ctx.get("max_length"), actual=ctx.get("actual_length")))
    if kind == "tuple_type":
        return _pair(path, data, shown(got) if not isinstance(got, (list, dict)) else type_name(got))
    if kind in ("greater_than_equal", "greater_than", "less_than_equal", "less_than"):
        return _bound(path, kind, got, ctx)
    if got is None:
        return Found(path, _("{key} is empty: give {expected} after '{key}:'").format(
            key=key, expected=_expected(annotation_at(path))))
    return _wrong_type(path, kind, got)


def _missing(path: DataPath, data: Any) -> Found:
    parent = path[:-1]
    if parent and typing.get_origin(next(iter(_args(annotation_at(parent))), None)) is tuple:
        value = _value_at(data, parent)
        return _pair(parent, data, len(value) if isinstance(value, list) else 1)
    name = str(path[-1])
    hint = _MISSING_HINTS.get(name, "")
    owner = _owner_field(path)
    if not hint and owner is not None:
        info = owner[0].model_fields.get(owner[1])
        if info is not None and info.description and info.description != _ID_DESCRIPTION:
            hint = info.description
        elif info is not None:
            hint = _expected(info.annotation)
    place = _("at the top level") if not parent else _("in {place}").format(place=where(parent, data))
    return Found(parent, _("missing required key '{key}' {place}: add '{key}:' ({hint})").format(
        key=name, place=place, hint=hint), on_key=True)


_ID_DESCRIPTION = "lower-case letters, digits and hyphens, e.g. mingle-round"
# What to write for the keys an author most often leaves out.
_MISSING_HINTS = {
    "id": N_("an id: lower-case letters, digits and hyphens, e.g. my-exercise"),
    "title": N_("the text shown as its title"),
    "summary": N_("one or two sentences a trainer reads in the library"),
    "duration": N_("e.g. 30m"),
    "group_size": N_("e.g. {min: 3, max: 12}"),
    "languages": N_("e.g. [en]"),
    "roles": N_("a list of roles with id and name"),
    "start": N_("the id of the first phase"),
    "phases": N_("the phases, each with kind and title"),
    "kind": N_("e.g. enactment"),
    "name": N_("the text shown as its name"),
    "text": N_("the text itself"),
    "to": N_("the id of the phase this route leads to"),
    "trigger": N_("the command that takes this route, e.g. next"),
    "on_expiry": N_("a phase id, or stay"),
    "cards": N_("a list of cards with id and text"),
    "items": N_("a list of items with id and text"),
    "options": N_("a list of options with id and label"),
    "questions": N_("a list of questions with id and text"),
}


def _pair(path: DataPath, data: Any, found: object) -> Found:
    """swap_roles: two role ids, with an example from the scenario's own roles."""
    roles = data.get("roles") if isinstance(data, dict) else None
    ids = [r["id"] for r in roles if isinstance(r, dict) and isinstance(r.get("id"), str)] if isinstance(roles, list) else []
    a, b = (ids + ["person-in-crisis", "peer-supporter"])[:2] if len(ids) >= 2 else ("person-in-crisis", "peer-supporter")
    return Found(path, _("{key} takes exactly two role ids, as a list such as [{a}, {b}]; found {found}").format(
        key=_subject(path), a=a, b=b, found=found))


def _unknown_key(path: DataPath, data: Any) -> Found:
    key = str(path[-1])
    parent = path[:-1]
    allowed = allowed_keys(parent)
    guess = close_match(key, allowed)
    if guess:
        return Found(path, _("unknown key '{key}'; did you mean '{guess}'?").format(key=key, guess=guess), on_key=True)
    model = _model_of(annotation_at(parent))
    here = _thing(model) if model is not None else where(parent, data)
    owners = [o for o in key_owners(key) if o != here]
    if owners:
        return Found(path, (
            _("'{key}' is not a key of {here}: it belongs to {owners}; check its indentation "
            "(it may be under the wrong parent)")
        ).format(key=key, here=here, owners=either(owners)), on_key=True)
    return Found(path, _("unknown key '{key}' (allowed in {here}: {allowed})").format(
        key=key, here=here, allowed=", ".join(sorted(allowed))), on_key=True)


def _bad_dict_key(path: DataPath, got: Any, ctx: dict[str, Any]) -> Found:
    what = _("phase id") if path and path[0] == "phases" and len(path) == 2 else _("key")
    return Found(path, _("{what} {got} is not a valid id: use lower-case letters, digits and hyphens, e.g. '{slug}'").format(
        what=what, got=shown(got), slug=slug(got)), on_key=True)


def _language_key(path: DataPath, code: str, data: Any) -> Found:
    """A key of a text that is not a language code: a language name, or a key under the wrong parent."""
    text_key = _subject(path)
    owners = [o for o in key_owners(code)] if code not in ("id",) else []
    parent_model = _model_of(annotation_at(path[:-1])) if path else None
    belongs_here = parent_model is not None and code in parent_model.model_fields
    if owners or belongs_here:
        whose = _thing(parent_model) if belongs_here and parent_model is not None else either(owners)
        return Found(path, (
            _("'{code}' is not a language code: it is a key of {whose}, indented under '{text}' by mistake; "
            "move it left to line up with '{text}:'")
        ).format(code=code, whose=whose, text=text_key), key_of=path + (code,))
    return Found(path, _("{text}: '{code}' is not a language code{hint}").format(
        text=text_key, code=code, hint=language_hint(code)), key_of=path + (code,))


def _literal(path: DataPath, got: Any) -> Found:
    key = _subject(path)
    choices = [str(v) for arg in _args(annotation_at(path)) if typing.get_origin(arg) is typing.Literal
               for v in typing.get_args(arg)]
    if key == "format":
        return Found(path, _("format: only format 1 exists: write 'format: 1' or leave the key out"))
    hint = did_you_mean(str(got), choices) if isinstance(got, str) else ""
    return Found(path, _("{key}: {got} is not allowed here{hint} (choose one of: {choices})").format(
        key=key, got=shown(got), hint=hint, choices=", ".join(choices)))


def _too_short(path: DataPath, ctx: dict[str, Any]) -> Found:
    key = _subject(path)
    least = int(ctx.get("min_length", 1))
    actual = int(ctx.get("actual_length", 0))
    noun = _singular(key) if least == 1 else key
    if actual == 0:
        return Found(path, _("{key} is empty: give at least {least} {noun}").format(key=key, least=least, noun=noun))
    return Found(path, _("{key}: give at least {least} {noun}; found {actual}").format(
        key=key, least=least, noun=noun, actual=actual))


def _bound(path: DataPath, kind: str, got: Any, ctx: dict[str, Any]) -> Found:
    key = _subject(path)
    owner = _owner_field(path)
    why = ""
    if owner is not None:
        info = owner[0].model_fields.get(owner[1])
        if info is not None and info.description:
            why = f" ({info.description})"
    sentences = {
        "greater_than_equal": _("{key} must be at least {limit}, got {got}{why}"),
        "greater_than": _("{key} must be more than {limit}, got {got}{why}"),
        "less_than_equal": _("{key} must be at most {limit}, got {got}{why}"),
        "less_than": _("{key} must be less than {limit}, got {got}{why}"),
    }
    limit = ctx.get("ge", ctx.get("gt", ctx.get("le", ctx.get("lt", "?"))))
    return Found(path, sentences[kind].format(key=key, limit=limit, got=shown(got), why=why))


def _wrong_type(path: DataPath, kind: str, got: Any) -> Found:
    key = _subject(path)
    expected = _expected(annotation_at(path))
    hint = ""
    if kind == "string_type" and isinstance(got, (bool, int, float)):
        hint = _("; put it in quotes to keep it as text, e.g. \"{text}\"").format(
            text=("yes" if got else "no") if isinstance(got, bool) else got)
    elif kind in ("list_type", "tuple_type") and isinstance(got, (str, int, float)):
        hint = _("; write it as a list: [{value}], or as lines that start with '- '").format(value=got)
    elif kind in ("model_type", "model_attributes_type", "dict_type"):
        model = _model_of(annotation_at(path))
        if model is not None:
            needed = [n for n, info in model.model_fields.items() if info.is_required()]
            hint = _("; write its keys on the lines below '{key}:', indented{needs}").format(
                key=path[-1] if path else key, needs=_(" (it needs {keys})").format(keys=", ".join(needed)) if needed else "")
    return Found(path, _("{key}: expected {expected}, got {got}{hint}").format(
        key=key, expected=expected, got=shown(got) if not isinstance(got, (list, dict)) else type_name(got), hint=hint))


# ----- a stand-in scenario for the whole-scenario checks --------------------------------------


def salvage(data: dict[str, Any], exc: ValidationError) -> tuple[Scenario | None, list[DataPath]]:
    """A valid scenario with every broken value replaced (see the module's docstring), and the paths replaced."""
    work = copy.deepcopy(data)
    replaced: list[DataPath] = []
    for _attempt in range(4):
        changed = False
        for error in exc.errors(include_url=False):
            path, _unused, on_dict_key = _data_path(error["loc"], work)
            done, fixed = _repair(work, path, on_dict_key, error)
            changed = changed or done
            if fixed is not None:
                replaced.append(fixed)
        if not changed:
            return None, replaced
        try:
            return Scenario.model_validate(work, context=AUTHORED), replaced
        except ValidationError as again:
            exc = again
    return None, replaced


def _repair(work: dict[str, Any], path: DataPath, on_dict_key: bool, error: ErrorDetails) -> tuple[bool, DataPath | None]:
    """(whether the data was changed, the path to leave out of the other checks)."""
    if on_dict_key:
        parent = _value_at(work, path[:-1])
        if isinstance(parent, dict) and path and path[-1] in parent:
            stand_in = slug(path[-1])  # the id the message suggests
            while stand_in in parent:
                stand_in = f"{stand_in}-x"[-64:]
            parent[stand_in] = parent.pop(path[-1])
            return True, path[:-1] + (stand_in,)
        return False, None
    if error["type"] == "extra_forbidden":
        parent = _value_at(work, path[:-1])
        if isinstance(parent, dict) and path and path[-1] in parent:
            del parent[path[-1]]  # an unknown key: the rest of its mapping is still checked
            return True, path
        return False, None
    if path == ("languages",) or (len(path) == 2 and path[0] == "languages"):
        from roleplay.core.suggest import language_code_for

        languages = work.get("languages")
        if isinstance(languages, list) and len(path) == 2 and isinstance(path[1], int) and path[1] < len(languages):
            code = language_code_for(str(languages[path[1]]))
            if code and LANGUAGE_CODE.match(code):
                languages[path[1]] = code  # what the author meant: translations are still checked
                return True, None
    # The nearest enclosing model field: drop it (its default is used) or give it a stand-in.
    for end in range(len(path), 0, -1):
        field_path = path[:end]
        parent_path, name = field_path[:-1], field_path[-1]
        parent = _value_at(work, parent_path)
        parent_annotation = annotation_at(parent_path)
        model = _model_of(parent_annotation)
        if isinstance(parent, dict) and model is not None and isinstance(name, str) and name in model.model_fields:
            info = model.model_fields[name]
            if name not in parent and not info.is_required():
                return False, None  # left out already, for another error at the same place
            if not info.is_required():
                parent.pop(name, None)
            else:
                parent[name] = _stand_in(info.annotation, name, info.metadata)
            return True, field_path
        if isinstance(parent, (dict, list)) and model is None:
            inner = _step(parent_annotation, name)
            if inner is not None and (
                (isinstance(parent, dict) and name in parent)
                or (isinstance(parent, list) and isinstance(name, int) and 0 <= name < len(parent))
            ):
                parent[name] = _stand_in(inner, str(name))
                return True, field_path
    return False, None


def _stand_in(annotation: Any, name: str = "", constraints: Iterable[Any] = ()) -> Any:
    """A value that passes validation and stays out of the way of the other checks."""
    from roleplay.core.durations import validate_duration
    from roleplay.core.text import _check_text

    meta = _metadata(annotation) + list(constraints)
    validators = [getattr(m, "func", None) for m in meta]
    if validate_duration in validators:
        return "24h"  # longest allowed: no warning about warn_before
    if _check_text in validators:
        return "…"
    for arg in _args(annotation):
        origin = typing.get_origin(arg)
        if origin is typing.Literal:
            return typing.get_args(arg)[0]
        if arg is type(None):
            return None
    for arg in _args(annotation):
        origin = typing.get_origin(arg)
        if arg is str:
            if any(getattr(m, "pattern", None) == LANGUAGE_CODE.pattern for m in meta):
                return "en"
            return f"stand-in-{slug(name)}"[:64]
        if arg is bool:
            return False
        if arg is int:
            bounds = [getattr(m, "ge", None) for m in meta] + [getattr(m, "gt", None) for m in meta]
            least = max((b for b in bounds if isinstance(b, int)), default=1)
            return max(least, 1)
        if origin is list:
            return [_stand_in(typing.get_args(arg)[0], name)]
        if origin is tuple:
            return [_stand_in(a, f"{name}-{i}") for i, a in enumerate(typing.get_args(arg))]
        if origin is dict:
            return {f"stand-in-{slug(name)}": _stand_in(typing.get_args(arg)[1], name)}
        if isinstance(arg, type) and issubclass(arg, BaseModel):
            return {
                field: _stand_in(info.annotation, field, info.metadata)
                for field, info in arg.model_fields.items()
                if info.is_required()
            }
    return None

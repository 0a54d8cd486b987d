"""Checks a validated scenario as a whole: references, the phase graph, translations.

Each finding is `(data path, severity, message, point at key?)`; the loader
turns the path into a line and column of the YAML file.
"""

from __future__ import annotations

from collections import Counter, deque
from typing import Any, Iterator

from pydantic import BaseModel

from roleplay.core.i18n import N_, _, ngettext
from roleplay.core.model import Condition, Scenario
from roleplay.core.problems import Severity
from roleplay.core.standard_forms import STANDARD_FORM_IDS, standard_forms
from roleplay.core.suggest import close_match, did_you_mean
from roleplay.core.text import localize
from roleplay.core.techniques import check_psychodrama

# Words the command line and the UI use for themselves; a trigger may not take them.
RESERVED_TRIGGERS = frozenset(
    {
        "timeout", "pause", "resume", "extend", "note", "mark", "inject", "guess", "tick", "untick",
        "add", "tag", "rate", "vote", "answer", "consent", "assign", "swap", "deal", "give",
        "force", "help", "end", "status",
        "technique", "deroled",  # psychodrama (issue 12)
    }
)

# Why each reserved word is taken: shown when a trigger uses one.
_RESERVED_WHY = {
    "help": N_("'help' lists the commands valid now"),
    "status": N_("'status' is kept for a command that tells where the session is"),
}


def reserved_message(word: str) -> str:
    """Why a trigger may not be called `word`, in plain words."""
    why = _RESERVED_WHY.get(word, _("'{word}' is a command of play and of the app's command line").format(word=word))
    return (
        _("'{word}' is a reserved word: {why}, and a trigger of the same name would hide it "
        "(typing it would take the route instead); pick another name for the trigger, e.g. '{word}-phase'")
    ).format(word=word, why=why)


DataPath = tuple[Any, ...]  # keys and indexes into the scenario's data
Finding = tuple[DataPath, Severity, str, bool]


# Groups of checks that the loader leaves out when a value they depend on was broken (and replaced
# by a stand-in to check the rest): their findings would be about the stand-in, not the file.
CHECK_GROUPS = ("languages", "roles", "graph", "references", "unused")


def check_scenario(scenario: Scenario, data: dict[str, Any], skip: frozenset[str] = frozenset()) -> list[Finding]:
    findings: list[Finding] = []
    if "languages" not in skip:
        findings += _check_languages(scenario)
    findings += _check_unique_ids(scenario)
    if "roles" not in skip:
        findings += _check_roles(scenario)
    if "references" not in skip:
        findings += _check_references(scenario)
    if "graph" not in skip:
        findings += _check_graph(scenario)
    if "unused" not in skip:
        findings += _check_unused(scenario)
    if "languages" not in skip:
        findings += _check_translations(scenario)
    findings += check_psychodrama(scenario)  # issue 12: techniques, roles the group chooses, sharing
    return findings


def _error_at(path: DataPath, message: str, on_key: bool = False) -> Finding:
    return (path, "error", message, on_key)


def _warning_at(path: DataPath, message: str, on_key: bool = False) -> Finding:
    return (path, "warning", message, on_key)


def _check_languages(s: Scenario) -> Iterator[Finding]:
    seen = Counter(s.languages)
    for i, code in enumerate(s.languages):
        if seen[code] > 1 and s.languages.index(code) != i:
            yield _error_at(("languages", i), _("language '{language}' is listed twice").format(language=code))
    if s.fallback_language and s.fallback_language not in s.languages:
        yield _error_at(("fallback_language",), _("fallback language '{language}' is not in languages").format(language=s.fallback_language))


def _duplicates(items: list[Any], path: DataPath, what: str) -> Iterator[Finding]:
    seen: dict[str, int] = {}
    for i, item in enumerate(items):
        if item.id in seen:
            yield _error_at(path + (i, "id"), _("{what} id '{id}' is used twice (first as item {number})").format(what=what, id=item.id, number=seen[item.id] + 1))
        else:
            seen[item.id] = i


def _check_unique_ids(s: Scenario) -> Iterator[Finding]:
    for name in ("competencies", "roles", "decks", "checklists", "collections", "events", "votes", "forms"):
        yield from _duplicates(getattr(s, name), (name,), name.rstrip("s").replace("competencie", "competency"))
    for i, form in enumerate(s.forms):
        if form.id in STANDARD_FORM_IDS:
            yield _error_at(
                ("forms", i, "id"),
                _("'{id}' is the id of a built-in form ({title}), which every scenario can use without declaring it: "
                "use it with 'form: {id}', or give your own form another id").format(
                    id=form.id, title=localize(standard_forms()[form.id].title, "en")),
            )
    for i, deck in enumerate(s.decks):
        yield from _duplicates(deck.cards, ("decks", i, "cards"), _("card"))
    for i, checklist in enumerate(s.checklists):
        yield from _duplicates(checklist.items, ("checklists", i, "items"), _("checklist item"))
    for i, collection in enumerate(s.collections):
        yield from _duplicates(collection.categories, ("collections", i, "categories"), _("category"))
        yield from _duplicates(collection.ratings, ("collections", i, "ratings"), _("rating"))
        for j, scale in enumerate(collection.ratings):
            if scale.min >= scale.max:
                yield _error_at(("collections", i, "ratings", j, "max"), _("max must be larger than min"))
    for i, vote in enumerate(s.votes):
        yield from _duplicates(vote.options, ("votes", i, "options"), _("vote option"))
    for i, form in enumerate(s.forms):
        yield from _duplicates(form.questions, ("forms", i, "questions"), _("question"))
        for j, q in enumerate(form.questions):
            if q.answer == "rating" and q.min >= q.max:
                yield _error_at(("forms", i, "questions", j, "max"), _("max must be larger than min"))
            elif q.levels and (q.answer != "rating" or len(q.levels) != q.max - q.min + 1):
                yield _error_at(("forms", i, "questions", j, "levels"), _(
                    "levels name each rating from min to max: {count} names for {low}-{high}, not {given}"
                ).format(count=q.max - q.min + 1, low=q.min, high=q.max, given=len(q.levels)) if q.answer == "rating"
                    else _("levels are for questions answered with a rating"))
    for pid, phase in s.phases.items():
        yield from _duplicates(phase.ratings, ("phases", pid, "ratings"), _("rating"))
        for j, scale in enumerate(phase.ratings):
            if scale.min >= scale.max:
                yield _error_at(("phases", pid, "ratings", j, "max"), _("max must be larger than min"))


def _check_roles(s: Scenario) -> Iterator[Finding]:
    gs = s.group_size
    if gs.max is not None and gs.max < gs.min:
        yield _error_at(("group_size", "max"), _("max ({max}) is smaller than min ({min})").format(max=gs.max, min=gs.min))
    for i, role in enumerate(s.roles):
        if role.count == 0:
            yield _error_at(("roles", i, "count"),
                         _("count 0 means nobody would get this role: give 1 or more, 'each' or 'rest', or remove the role"))
    each = [i for i, r in enumerate(s.roles) if r.count == "each"]
    rest = [i for i, r in enumerate(s.roles) if r.count == "rest"]
    fixed = sum(r.count for r in s.roles if isinstance(r.count, int))
    dealt = sum(r.count for r in s.roles if isinstance(r.count, int) and r.chosen_by != "group")
    if each and (len(each) > 1 or rest or dealt):
        yield _error_at(("roles", each[-1], "count"), _("a role with count 'each' must be the only role that is dealt"))
    if len(rest) > 1:
        yield _error_at(("roles", rest[1], "count"), _("only one role can take 'rest'"))
    seats = s.grouping.size if s.grouping else gs.min
    where = _("a group") if s.grouping else _("the smallest group ({min})").format(min=gs.min)
    if not each and fixed > seats:
        yield _error_at(("roles",), _("the roles need {count} participants but {where} has only {seats}").format(
            count=fixed, where=where, seats=seats))  # count > seats >= 1: always a plural
    if s.grouping and gs.min < s.grouping.size:
        yield _error_at(("grouping", "size"), _("groups of {size} need group_size.min of at least that").format(size=s.grouping.size))
    if not each and not rest:
        most = s.grouping.size if s.grouping else gs.max
        if most is None or most > fixed:
            yield _warning_at(("roles",), ngettext(
                "only {count} participant gets a role; add a role with count 'rest' for everyone else",
                "only {count} participants get a role; add a role with count 'rest' for everyone else",
                fixed).format(count=fixed))


def _check_condition(cond: Condition | None, path: DataPath, s: Scenario) -> Iterator[Finding]:
    if cond is None:
        return
    if cond.visits_below and cond.visits_below.count == 0:
        yield _error_at(path + ("visits_below", "count"),
                     _("visits_below with count 0 never holds (no phase is entered fewer than 0 times): use 1 or more"))
    if cond.entries_at_least and cond.entries_at_least.count == 0:
        yield _error_at(path + ("entries_at_least", "count"),
                     _("entries_at_least with count 0 always holds: use 1 or more, or leave the condition out"))
    if cond.visits_below and cond.visits_below.phase not in s.phases:
        yield _error_at(path + ("visits_below", "phase"), _("no phase '{phase}'").format(phase=cond.visits_below.phase) + _one_of("phases", set(s.phases), cond.visits_below.phase))
    if cond.all_guessed and cond.all_guessed not in {d.id for d in s.decks}:
        yield _error_at(path + ("all_guessed",), _("no deck '{deck}'").format(deck=cond.all_guessed) + _one_of("decks", {d.id for d in s.decks}, cond.all_guessed))
    if cond.entries_at_least and cond.entries_at_least.collection not in {c.id for c in s.collections}:
        yield _error_at(path + ("entries_at_least", "collection"), _("no collection '{collection}'").format(collection=cond.entries_at_least.collection)
                     + _one_of("collections", {c.id for c in s.collections}, cond.entries_at_least.collection))
    if cond.all_tagged and cond.all_tagged not in {c.id for c in s.collections}:
        yield _error_at(path + ("all_tagged",), _("no collection '{collection}'").format(collection=cond.all_tagged) + _one_of("collections", {c.id for c in s.collections}, cond.all_tagged))
    if cond.vote_leading:
        votes = {v.id: v for v in s.votes}
        vote = votes.get(cond.vote_leading.vote)
        if vote is None:
            yield _error_at(path + ("vote_leading", "vote"), _("no vote '{vote}'").format(vote=cond.vote_leading.vote) + _one_of("votes", set(votes), cond.vote_leading.vote))
        elif cond.vote_leading.option not in {o.id for o in vote.options}:
            yield _error_at(path + ("vote_leading", "option"), _("vote '{vote}' has no option '{option}'").format(vote=vote.id, option=cond.vote_leading.option)
                         + _one_of("options", {o.id for o in vote.options}, cond.vote_leading.option))


def _one_of(kind: str, known: set[str], written: object = None) -> str:
    """`; did you mean 'x'?` for a likely typo, and the known ids (a long list is cut short)."""
    guess = did_you_mean(written, known) if isinstance(written, str) else ""
    if not known:
        return guess + _(" (no {kind} are defined)").format(kind=kind)
    names = sorted(known)
    listed = ", ".join(names[:15]) + (", …" if len(names) > 15 else "")
    return guess + _(" (known {kind}: {names})").format(kind=kind, names=listed)


def _check_references(s: Scenario) -> Iterator[Finding]:
    roles = {r.id for r in s.roles}
    decks = {d.id for d in s.decks}
    checklists = {c.id for c in s.checklists}
    collections = {c.id for c in s.collections}
    events = {e.id for e in s.events}
    votes = {v.id for v in s.votes}
    forms = {f.id for f in s.forms} | STANDARD_FORM_IDS
    competencies = {c.id for c in s.competencies}
    phases = set(s.phases)

    if s.start not in phases:
        yield _error_at(("start",), _("start phase '{phase}' does not exist").format(phase=s.start) + _one_of("phases", phases, s.start))
    if s.deal_in is not None and s.deal_in not in phases:
        yield _error_at(
            ("deal_in",), _("deal_in: no phase '{phase}' to deal roles in").format(phase=s.deal_in) + _one_of("phases", phases, s.deal_in)
        )
    for i, deck in enumerate(s.decks):
        if deck.deal_to not in ("everyone", "nobody") and deck.deal_to not in roles:
            yield _error_at(("decks", i, "deal_to"), _("no role '{role}'").format(role=deck.deal_to) + _one_of("roles", roles, deck.deal_to))
    for i, checklist in enumerate(s.checklists):
        if checklist.for_role and checklist.for_role not in roles:
            yield _error_at(("checklists", i, "for_role"), _("no role '{role}'").format(role=checklist.for_role) + _one_of("roles", roles, checklist.for_role))
        for j, item in enumerate(checklist.items):
            if item.competency and item.competency not in competencies:
                yield _error_at(
                    ("checklists", i, "items", j, "competency"),
                    _("no competency '{competency}'").format(competency=item.competency) + _one_of("competencies", competencies, item.competency),
                )
    for i, event in enumerate(s.events):
        if event.brief_for and event.brief_for not in roles:
            yield _error_at(("events", i, "brief_for"), _("no role '{role}'").format(role=event.brief_for) + _one_of("roles", roles, event.brief_for))

    for pid, phase in s.phases.items():
        at = ("phases", pid)
        for j, cid in enumerate(phase.checklists):
            if cid not in checklists:
                yield _error_at(at + ("checklists", j), _("no checklist '{checklist}'").format(checklist=cid) + _one_of("checklists", checklists, cid))
        if phase.collection and phase.collection not in collections:
            yield _error_at(at + ("collection",), _("no collection '{collection}'").format(collection=phase.collection) + _one_of("collections", collections, phase.collection))
        if phase.events != "all":
            for j, eid in enumerate(phase.events):
                if eid not in events:
                    yield _error_at(at + ("events", j), _("no event '{event}'").format(event=eid) + _one_of("events", events, eid))
        for j, vid in enumerate(phase.votes):
            if vid not in votes:
                yield _error_at(at + ("votes", j), _("no vote '{vote}'").format(vote=vid) + _one_of("votes", votes, vid))
        if phase.form and phase.form not in forms:
            yield _error_at(at + ("form",), _("no form '{form}'").format(form=phase.form) + _one_of("forms", forms, phase.form))
        if phase.guesses and phase.guesses not in decks:
            yield _error_at(at + ("guesses",), _("no deck '{deck}'").format(deck=phase.guesses) + _one_of("decks", decks, phase.guesses))
        if phase.draw and phase.draw not in decks:
            yield _error_at(at + ("draw",), _("no deck '{deck}'").format(deck=phase.draw) + _one_of("decks", decks, phase.draw))
        if phase.swap_roles:
            a, b = phase.swap_roles
            for j, rid in enumerate(phase.swap_roles):
                if rid not in roles:
                    yield _error_at(at + ("swap_roles", j), _("no role '{role}'").format(role=rid) + _one_of("roles", roles, rid))
            if a == b:
                yield _error_at(at + ("swap_roles",), _("swap_roles needs two different roles"))
        if phase.timer and phase.timer.on_expiry != "stay" and phase.timer.on_expiry not in phases:
            yield _error_at(at + ("timer", "on_expiry"), _("no phase '{phase}'").format(phase=phase.timer.on_expiry) + _one_of("phases", phases, phase.timer.on_expiry))
        if phase.timer and phase.timer.warn_before >= phase.timer.duration:
            yield _warning_at(at + ("timer", "warn_before"), _("warn_before is as long as the timer itself"))
        if phase.next is not None and phase.next not in phases:
            yield _error_at(at + ("next",), _("no phase '{phase}'").format(phase=phase.next) + _one_of("phases", phases, phase.next))
        for j, tr in enumerate(phase.transitions):
            if tr.to not in phases:
                yield _error_at(at + ("transitions", j, "to"), _("no phase '{phase}'").format(phase=tr.to) + _one_of("phases", phases, tr.to))
            if tr.trigger in RESERVED_TRIGGERS:
                yield _error_at(at + ("transitions", j, "trigger"), reserved_message(tr.trigger))
            yield from _check_condition(tr.when, at + ("transitions", j, "when"), s)
            yield from _check_condition(tr.guard, at + ("transitions", j, "guard"), s)


def _check_graph(s: Scenario) -> Iterator[Finding]:
    phases = s.phases
    finals = {pid for pid, p in phases.items() if p.final}
    if not finals:
        yield _error_at(("phases",), _("no phase is final: mark the last phase with 'final: true'"), True)
    edges: dict[str, set[str]] = {pid: set() for pid in phases}
    for pid, phase in phases.items():
        at = ("phases", pid)
        routes = s.routes(pid)
        if phase.final:
            if routes or (phase.timer and phase.timer.on_expiry != "stay"):
                yield _error_at(at + ("final",), _("a final phase cannot lead anywhere (remove next/transitions)"), True)
            continue
        unconditional: dict[str, int] = {}
        for j, tr in enumerate(routes):
            if tr.to in phases:
                edges[pid].add(tr.to)
            if tr.when is None:
                where = at + (("transitions", j) if j < len(phase.transitions) else ("next",))
                if tr.trigger in unconditional:
                    yield _error_at(where, _("trigger '{trigger}' already has a route without 'when'; this one never fires").format(trigger=tr.trigger))
                unconditional.setdefault(tr.trigger, j)
        if "next" not in unconditional:
            typo = next((j for j, tr in enumerate(phase.transitions) if close_match(tr.trigger, ["next"])), None)
            if typo is not None:
                yield _error_at(
                    at + ("transitions", typo, "trigger"),
                    _("phase '{pid}' has no default route for 'next'; trigger '{trigger}': did you mean 'next'?").format(
                        pid=pid, trigger=phase.transitions[typo].trigger),
                )
            else:
                yield _error_at(
                    at, _("phase '{phase}' has no default route for 'next' (add 'next: <phase>'): the trainer would be stuck").format(phase=pid), True
                )
        if phase.timer and phase.timer.on_expiry in phases:
            edges[pid].add(phase.timer.on_expiry)
    targets = [r.to for pid in phases for r in s.routes(pid)]
    targets += [p.timer.on_expiry for p in phases.values() if p.timer and p.timer.on_expiry != "stay"]
    if s.start not in phases or any(t not in phases for t in targets):
        return  # a missing target is reported already; reachability would only repeat it
    if s.start in phases:
        reached = _reach(s.start, edges)
        for pid in phases:
            if pid not in reached:
                yield _error_at(("phases", pid), _("phase '{phase}' can never be reached from '{start}'").format(phase=pid, start=s.start), True)
    reverse: dict[str, set[str]] = {pid: set() for pid in phases}
    for src, dests in edges.items():
        for dest in dests:
            reverse[dest].add(src)
    can_finish = set()
    for final in finals:
        can_finish |= _reach(final, reverse)
    for pid, phase in phases.items():
        if not phase.final and finals and pid not in can_finish:
            yield _error_at(("phases", pid), _("from phase '{phase}' no final phase can be reached").format(phase=pid), True)


def _reach(start: str, edges: dict[str, set[str]]) -> set[str]:
    seen = {start}
    queue = deque([start])
    while queue:
        for nxt in edges.get(queue.popleft(), ()):
            if nxt not in seen:
                seen.add(nxt)
                queue.append(nxt)
    return seen


def _check_unused(s: Scenario) -> Iterator[Finding]:
    used_checklists = {c for p in s.phases.values() for c in p.checklists}
    used_collections = {p.collection for p in s.phases.values()}
    used_votes = {v for p in s.phases.values() for v in p.votes}
    used_forms = {p.form for p in s.phases.values()}
    used_events = {e for p in s.phases.values() if p.events != "all" for e in p.events}
    any_all = any(p.events == "all" for p in s.phases.values())
    for name, used in (
        ("checklists", used_checklists), ("collections", used_collections), ("votes", used_votes), ("forms", used_forms)
    ):
        for i, item in enumerate(getattr(s, name)):
            if item.id not in used:
                yield _warning_at((name, i, "id"), _("{kind} '{id}' is not used by any phase").format(kind=name[:-1], id=item.id))
    if not any_all:
        for i, event in enumerate(s.events):
            if event.id not in used_events:
                yield _warning_at(("events", i, "id"), _("event '{event}' cannot be injected in any phase").format(event=event.id))
    for pid, phase in s.phases.items():
        if not phase.script:
            yield _warning_at(("phases", pid), _("phase '{phase}' has no trainer script").format(phase=pid), True)


_FIELDS: dict[type, tuple[tuple[str, ...], frozenset[str]]] = {}
_SCALARS = (str, int, float)  # values that hold no model, list or map (bool is an int)


def _fields(cls: type[BaseModel]) -> tuple[tuple[str, ...], frozenset[str]]:
    """(every field's name, the names of the text fields) of a model class, worked out once per class.

    Asking pydantic for `model_fields` and the annotations again for every node cost a fifth of a
    `validate` run."""
    found = _FIELDS.get(cls)
    if found is None:
        fields = cls.model_fields
        found = _FIELDS[cls] = (tuple(fields), frozenset(name for name, info in fields.items() if _is_text_field(info)))
    return found


def _texts(obj: Any, path: DataPath) -> Iterator[tuple[DataPath, Any]]:
    """Every localizable text in a model with its data path."""
    if isinstance(obj, BaseModel):
        names, text_fields = _fields(type(obj))
        for name in names:
            value = getattr(obj, name)
            if value is None or (isinstance(value, _SCALARS) and name not in text_fields):
                continue
            here = path + (name,)
            if name in text_fields:
                if isinstance(value, list):
                    yield from ((here + (i,), v) for i, v in enumerate(value))
                else:
                    yield here, value
            else:
                yield from _texts(value, here)
    elif isinstance(obj, (list, tuple)):
        for i, item in enumerate(obj):
            yield from _texts(item, path + (i,))
    elif isinstance(obj, dict):
        for key, item in obj.items():
            yield from _texts(item, path + (key,))


def _holds_text(annotation: Any) -> bool:
    """Whether a field's annotation is LocalText, optional or in a list."""
    import typing

    from roleplay.core.text import _check_text

    if typing.get_origin(annotation) is typing.Annotated:
        base, *meta = typing.get_args(annotation)
        if any(getattr(m, "func", None) is _check_text for m in meta):
            return True
        return _holds_text(base)
    return any(_holds_text(arg) for arg in typing.get_args(annotation))


def _is_text_field(info: Any) -> bool:
    from roleplay.core.text import _check_text

    return any(getattr(m, "func", None) is _check_text for m in info.metadata) or _holds_text(info.annotation)


def texts_with_fields(obj: Any, path: DataPath = ()) -> Iterator[tuple[DataPath, str, str, str]]:
    """(data path, model name, field name, text) for every text, one per language."""
    if isinstance(obj, BaseModel):
        names, text_fields = _fields(type(obj))
        for name in names:
            value = getattr(obj, name)
            if value is None or (isinstance(value, _SCALARS) and name not in text_fields):
                continue
            here = path + (name,)
            if name in text_fields:
                values = list(enumerate(value)) if isinstance(value, list) else [(None, value)]
                for index, text in values:
                    at = here if index is None else here + (index,)
                    if isinstance(text, dict):
                        for code, translated in text.items():
                            yield at + (code,), type(obj).__name__, name, translated
                    elif isinstance(text, str):
                        yield at, type(obj).__name__, name, text
            else:
                yield from texts_with_fields(value, here)
    elif isinstance(obj, (list, tuple)):
        for i, item in enumerate(obj):
            yield from texts_with_fields(item, path + (i,))
    elif isinstance(obj, dict):
        for key, item in obj.items():
            yield from texts_with_fields(item, path + (key,))


def _check_translations(s: Scenario) -> Iterator[Finding]:
    languages = list(dict.fromkeys(s.languages))
    declared = set(languages)
    for path, text in _texts(s, ()):
        if isinstance(text, str):
            if len(languages) > 1:
                yield _error_at(path, _("text is not translated: give it for each of {languages}").format(languages=', '.join(languages)))
            continue
        missing = [code for code in languages if code not in text]
        if missing:
            yield _error_at(path, _("missing translation: {languages}").format(languages=', '.join(missing)))
        for code in text:
            if code not in declared:
                yield _warning_at(path + (code,), _("language '{language}' is not declared in languages").format(language=code), True)


def check_raw_targets(data: dict[str, Any]) -> list[Finding]:
    """Missing phase targets, found on the raw data when the models themselves failed.

    Authors often have a type error and a mistyped target at once; this lets one
    validation run show both. Only what can be read safely is checked.
    """
    phases = data.get("phases")
    if not isinstance(phases, dict):
        return []
    known = {k for k in phases if isinstance(k, str)}
    findings: list[Finding] = []

    def check(value: object, path: DataPath) -> None:
        if isinstance(value, str) and value not in known and value != "stay":
            findings.append(_error_at(path, _("no phase '{phase}'").format(phase=value) + _one_of("phases", known, value)))

    check(data.get("start"), ("start",))
    check(data.get("deal_in"), ("deal_in",))
    for pid, phase in phases.items():
        if not isinstance(phase, dict):
            continue
        check(phase.get("next"), ("phases", pid, "next"))
        timer = phase.get("timer")
        if isinstance(timer, dict):
            check(timer.get("on_expiry"), ("phases", pid, "timer", "on_expiry"))
        routes = phase.get("transitions")
        if isinstance(routes, list):
            for i, route in enumerate(routes):
                if isinstance(route, dict):
                    check(route.get("to"), ("phases", pid, "transitions", i, "to"))
    return findings

"""Session reports, built only from a session rebuilt from its log.

`build_report` gathers the facts once; Markdown (here) and HTML
(`roleplay.pages.report`, on the autoescaped templates) only lay them out.
"""

from __future__ import annotations

import re
from collections import Counter
from datetime import datetime
from typing import Any

from roleplay.core import events as ev
from roleplay.core.consent import frame_label
from roleplay.core.engine import Session
from roleplay.core.i18n import N_, _, in_language, ngettext
from roleplay.core.standard_forms import find_form
from roleplay.core.state import SessionState


def _clock(wall: float | None) -> str:
    return datetime.fromtimestamp(wall).strftime("%H:%M:%S") if wall else ""


def _minutes(seconds: float) -> str:
    seconds = int(round(seconds))
    return f"{seconds // 60}:{seconds % 60:02d}"


# ----- who played what, ticks per pair and round, bars on a fixed scale (issue 15) -----


def role_history(session: Session) -> dict[str, list[tuple[str | None, int, str | None]]]:
    """Each participant's roles in order, as (phase id or None before the first phase, its round, role id).

    The log is applied once more to a fresh state, so every event that changes roles (a deal, a
    swap, a role reversal, a role set by hand) counts exactly as it did in the session. A role that
    changes again within one phase visit counts once, with its last value.
    """
    shadow = SessionState(session.scenario, session.participants, seed=session.seed, language=session.language)
    rows: dict[str, list[tuple[str | None, int, int, str | None]]] = {n: [] for n in session.participants}
    for event in session.events:
        before = dict(shadow.roles)
        shadow.apply(event)
        if shadow.roles == before:
            continue
        phase = shadow.history[-1].phase if shadow.history else None
        step, round_ = len(shadow.history), (shadow.visits[phase] if phase else 0)
        for name, held in rows.items():
            role = shadow.roles.get(name)
            if held and (held[-1][2] == step or held[-1][3] is None):
                held.pop()
            if (held and held[-1][3] == role) or (not held and role is None):
                continue
            held.append((phase, round_, step, role))
    return {name: [(p, r, role) for p, r, _, role in held] for name, held in rows.items()}


def _visit_title(session: Session, phase: str | None, round_: int) -> str:
    if phase is None:
        return ""
    title = session.text(session.scenario.phases[phase].title)
    return _("{title}, round {round}").format(title=title, round=round_) if session.visits[phase] > 1 else title


def roles_text(roles: list[dict[str, str]]) -> str:
    """`Speaker, then Listener (from Role reversal)`: every role a participant held, in order."""
    if not roles:
        return _("no role")
    text = roles[0]["role"]
    for held in roles[1:]:
        if held["from"]:
            text = _("{roles}, then {role} (from {phase})").format(roles=text, role=held["role"], phase=held["from"])
        else:
            text = _("{roles}, then {role}").format(roles=text, role=held["role"])
    return text


def _tick_columns(session: Session, checklist_id: str, items: list[str]) -> tuple[list[str], list[list[int]]]:
    """Ticks per pair (or per person observed, in one group) and per round, when there is more than one.

    Returns the column labels and, per item, its count in each column; no columns when all ticks
    are about the same pair or person in the same round.
    """
    counts = {k: n for k, n in session.tick_counts.items() if k[0] == checklist_id and n > 0}
    grouped = len(session.groups) > 1
    group_of = {name: i for i, group in enumerate(session.groups) for name in group}

    def who(by: str | None) -> tuple[int, str] | None:
        if by is None:
            return None
        if grouped and by in group_of:
            group = session.groups[group_of[by]]
            label = _("Pair {number} ({names})") if len(group) == 2 else _("Group {number} ({names})")
            return (group_of[by], label.format(number=group_of[by] + 1, names=", ".join(group)))
        return (len(session.groups) + session.participants.index(by) if by in session.participants else 10**6, by)

    whos = {who(k[3]) for k in counts}
    rounds = {k[2] for k in counts}
    split_who, split_round = len(whos) > 1, len(rounds) > 1
    if not (split_who or split_round):
        return [], []
    cells: dict[tuple[Any, int], Counter[str]] = {}
    for (_checklist, item, round_, by), n in counts.items():
        key = (who(by) if split_who else None, round_ if split_round else 0)
        cells.setdefault(key, Counter())[item] += n
    order = sorted(cells, key=lambda k: (k[0] is None, k[0][0] if k[0] else 0, k[1]))
    labels = []
    for person, round_ in order:
        parts = []
        if split_who:
            parts.append(person[1] if person else _("not attributed"))
        if split_round:
            parts.append(_("round {round}").format(round=round_))
        labels.append(", ".join(parts))
    return labels, [[cells[key][item] for key in order] for item in items]


PARTICIPANTS_SCALE = N_("the number of participants")  # what a chart's full width is, by default
ENTRIES_SCALE = N_("the number of entries")


def scale_of(counts: list[int], people: int, what: str = PARTICIPANTS_SCALE) -> tuple[int, str]:
    """The fixed full width of a chart's bars, and a sentence that says what it is.

    The full width is `people` (what it is: `what`), so one tick or one vote is a short bar, never a
    full one; a count above it widens the scale to that count, and the sentence says so.
    """
    most = max(counts, default=0)
    if most > people:
        return most, _("Bars: full width = {most}, the largest count (more than {what}, {people}).").format(
            most=most, what=what, people=people)
    return max(people, 1), _("Bars: full width = {people}, {what}.").format(people=people, what=what)


def _average_text(values: list[int], span: str, noun: str) -> str:
    """`average 3.7 on a scale of 1 to 5, 3 answers`: the scale is the question's own, never the count."""
    if not values:
        return ""
    low, _sep, high = span.partition("–")
    if noun == "rating":
        count = ngettext("{count} rating", "{count} ratings", len(values)).format(count=len(values))
    else:
        count = ngettext("{count} answer", "{count} answers", len(values)).format(count=len(values))
    average = f"{sum(values) / len(values):.1f}"
    if high:
        return _("average {average} on a scale of {low} to {high}, {count}").format(average=average, low=low, high=high, count=count)
    return _("average {average}, {count}").format(average=average, count=count)


def _entry_ratings(values: dict[str, int], scales: dict[str, Any], t: Any) -> dict[str, str]:
    """An entry's ratings by the scale's label (never its id), each with its scale: `{"Appeal": "9 (1–10)"}`."""
    shown: dict[str, str] = {}
    for scale_id, value in values.items():
        scale = scales.get(scale_id)
        label = t(scale.label) if scale is not None else scale_id
        shown[label] = f"{value} ({scale.min}–{scale.max})" if scale is not None else str(value)
    return shown


def build_report(session: Session) -> dict[str, Any]:
    """The report's facts; the words it adds (headings aside) are in the session's language."""
    with in_language(session.language):
        return _build_report(session)


def _build_report(session: Session) -> dict[str, Any]:
    s = session.scenario
    t = session.text
    first = session.events[0] if session.events else None
    last_wall = session.events[-1].wall if session.events else None
    roles = {r.id: t(r.name) for r in s.roles}
    held = role_history(session)
    participants = []
    for name in session.participants:
        cards = []
        for deck in s.decks:
            card_id = session.cards.get(deck.id, {}).get(name)
            if card_id:
                card = next(c for c in deck.cards if c.id == card_id)
                cards.append(f"{t(deck.title)}: {t(card.text)}")
        guesses = session.guesses.get(name, [])
        participants.append(
            {
                "name": name,
                "role": roles.get(session.roles.get(name) or "", _("no role")),
                # Who played what, in order: a role reversal or a swap shows both roles.
                "roles": [
                    {"role": roles.get(role or "", _("no role")), "from": _visit_title(session, phase, visit)}
                    for phase, visit, role in held.get(name, [])
                ],
                "cards": cards,
                "guesses": [_OUTCOMES.get(g["outcome"], g["outcome"]) + (f" ({g['text']})" if g.get("text") else "") for g in guesses],
                "consent": session.consents.get(name),
                "frame": frame_label(session, name),  # "observing outside the frame", or ""
            }
        )
    timeline = []
    for visit in session.history:
        end = visit.left_wall or last_wall or visit.entered_wall
        phase = s.phases[visit.phase]
        timeline.append(
            {
                "phase": visit.phase,
                "title": t(phase.title),
                "kind": phase.kind,
                "start": _clock(visit.entered_wall),
                "length": _minutes(end - visit.entered_wall),
                "via": visit.trigger or _("start"),
                "forced": visit.forced,
            }
        )
    happenings = []
    previous = None
    outside: set[str] = set()  # who observes from outside the frame so far
    dealt_yet = False  # a role chosen before the deal reads "will play"
    for event in session.events:
        b = event.body
        if isinstance(b, ev.RolesDealt):
            dealt_yet = True
        elif isinstance(b, ev.RoleAssigned):  # who was replaced, from the event itself
            happenings.append((event.wall, _("role"), session.assignment_text(b, dealt=dealt_yet)))
        if isinstance(b, ev.Note):
            text = b.text
            if b.question is not None:
                text = f"[Q{b.question + 1}: {t(s.phases[b.phase].questions[b.question])}] {text}"
            happenings.append((event.wall, _("note"), text))
        elif isinstance(b, ev.Marker):
            happenings.append((event.wall, _("marker"), b.label))
        elif isinstance(b, ev.EventInjected):
            happenings.append((event.wall, _("event"), t(s.event(b.event).title)))
        elif isinstance(b, ev.Consent) and (b.outside_frame or b.participant in outside):
            # observing outside the frame, and stepping back in (roleplay/core/consent.py)
            if b.outside_frame:
                outside.add(b.participant)
                text = _("{name}: observing outside the frame").format(name=b.participant)
            else:
                outside.discard(b.participant)
                text = (_("{name} consented to being filmed and may step into the frame") if b.given
                        else _("{name} withdrew consent")).format(name=b.participant)
            happenings.append((event.wall, _("consent"), text))
        elif isinstance(b, ev.Paused):
            happenings.append((event.wall, _("time-out"), b.reason or _("time-out called")))
        elif isinstance(b, ev.Resumed):
            happenings.append((event.wall, _("time-out"), _("scene resumed")))
        elif isinstance(b, ev.GuardWarned):
            happenings.append((event.wall, _("warning"), b.message))
        elif isinstance(b, ev.CardDrawn):
            deck = s.deck(b.deck)
            card = next(c for c in deck.cards if c.id == b.card)
            happenings.append((event.wall, _("card"), f"{t(deck.title)}: {t(card.text)}"))
        elif isinstance(b, ev.SessionResumed):
            cut = previous.wall if previous is not None else event.wall
            happenings.append((event.wall, _("resumed"), _("cut off after {cut}, resumed at {resumed}").format(
                cut=_clock(cut), resumed=_clock(event.wall))))
        previous = event
    checklists = []
    for checklist in s.checklists:
        items = [(t(i.text), session.ticks[(checklist.id, i.id)]) for i in checklist.items]
        if not any(n for _, n in items):
            continue  # never ticked: no empty section
        by_competency: Counter[str] = Counter()
        for item in checklist.items:
            if item.competency:
                by_competency[item.competency] += session.ticks[(checklist.id, item.id)]
        names = {c.id: t(c.name) for c in s.competencies}
        columns, matrix = _tick_columns(session, checklist.id, [i.id for i in checklist.items])
        checklists.append(
            {
                "title": t(checklist.title),
                "items": items,
                "columns": columns,  # more than one pair, person or round: ticks per column
                "matrix": [(text, row) for (text, _), row in zip(items, matrix)],
                "competencies": [(names.get(k, k), v) for k, v in by_competency.items()],
            }
        )
    collections = []
    for collection in s.collections:
        kept = session.live_entries(collection.id)
        if not kept:
            continue  # nothing collected (or all taken out again): no empty section
        categories = {c.id: t(c.name) for c in collection.categories}
        scales = {sc.id: sc for sc in collection.ratings}
        tally = Counter(e.category for _, e in kept if e.category)
        collections.append(
            {
                "title": t(collection.title),
                "entries": [
                    {"number": n, "text": e.text, "category": categories.get(e.category or "", ""),
                     "ratings": _entry_ratings(e.ratings, scales, t)}
                    for n, e in kept
                ],
                "removed": len(session.entries.get(collection.id, [])) - len(kept),
                "tally": [(name, tally[cid]) for cid, name in categories.items()] if tally else [],
            }
        )
    votes = []
    for vote in s.votes:
        counts = session.votes.get(vote.id, Counter())
        if not sum(counts.values()):
            continue  # nobody voted: no empty section
        votes.append({"question": t(vote.question), "options": [(t(o.label), counts[o.id]) for o in vote.options]})
    ratings = []
    given: dict[tuple[str, str], list[int]] = {}  # (phase title, label) -> values, for the averages
    for r in session.ratings:
        scale = next((sc for sc in s.phases[r["phase"]].ratings if sc.id == r["scale"]), None)
        label = t(scale.label) if scale else r["scale"]
        span = f"{scale.min}–{scale.max}" if scale else ""
        phase_title = t(s.phases[r["phase"]].title)
        ratings.append({"label": label, "value": r["value"], "by": r.get("by", ""), "phase": phase_title, "scale": span})
        given.setdefault((phase_title, label), []).append(r["value"])
    scale_of_label = {(x["phase"], x["label"]): x["scale"] for x in ratings}
    rating_summaries = [
        {"phase": phase, "label": label,
         "summary": _average_text(values, scale_of_label[(phase, label)], "rating")}
        for (phase, label), values in given.items()
    ]
    forms: dict[str, dict[str, Any]] = {}
    for a in session.answers:
        form = find_form(s, a["form"])
        entry = forms.setdefault(form.id, {"title": t(form.title), "questions": {}})
        question = next(q for q in form.questions if q.id == a["question"])
        entry["questions"].setdefault(
            question.id,
            {"text": t(question.text), "kind": question.answer, "answers": [], "min": question.min, "max": question.max},
        )
        entry["questions"][question.id]["answers"].append(a["value"])
        if not form.anonymous and a.get("by"):  # a named form (a self-assessment): whose answer, with its level
            value = a["value"]
            level = t(question.levels[value - question.min]) if (
                question.levels and isinstance(value, int) and question.min <= value <= question.max) else ""
            entry["questions"][question.id].setdefault("by_person", []).append(
                f"{a['by']}: {value} {level}".rstrip() if isinstance(value, int) else f"{a['by']}: {value}")
    for entry in forms.values():
        for q in entry["questions"].values():
            if q["kind"] == "rating":
                values = [v for v in q["answers"] if isinstance(v, int)]
                q["summary"] = _average_text(values, f"{q['min']}–{q['max']}", "answer")
    return {
        "title": t(s.title),
        "scenario": s.id,
        "date": datetime.fromtimestamp(first.wall).strftime("%Y-%m-%d %H:%M") if first else "",
        "duration": _minutes((last_wall or 0) - (first.wall if first else 0)),
        "language": session.language,
        "seed": session.seed,
        "status": {"final": _("completed"), "stopped": _("stopped early"), None: _("not finished")}.get(session.ended, session.ended),
        "folder": str(session.folder) if session.folder else "",
        "participants": participants,
        "people": len(session.participants),  # the fixed scale of the bars (see `scale_of`)
        "timeline": timeline,
        "happenings": [{"time": _clock(w), "kind": k, "text": x} for w, k, x in happenings],
        "checklists": checklists,
        "collections": collections,
        "votes": votes,
        "ratings": ratings,
        "rating_summaries": rating_summaries,  # the average of each phase scale, on its own scale
        "forms": list(forms.values()),
        "warnings": list(session.warnings),
        **psychodrama_report(session),  # issue 12: techniques per phase, who stepped out of which role
    }


# ----- psychodrama (issue 12) -----


def psychodrama_report(session: Session) -> dict[str, Any]:
    """`techniques`: per phase visit, each technique called (time into the scene, who, note);
    `deroling`: per person, each role they played and whether they stepped out of it (only when
    the session reached a de-roling phase or someone stepped out)."""
    from roleplay.core.deroling import roles_to_leave
    from roleplay.core.techniques import TECHNIQUES

    visits: list[dict[str, Any]] = []
    for used in session.techniques:
        if not visits or visits[-1]["step"] != used["step"]:  # one section per visit of a phase
            visits.append({"step": used["step"], "phase": _visit_title(session, used["phase"], used["round"]), "techniques": []})
        technique = TECHNIQUES.get(used["technique"])
        visits[-1]["techniques"].append({
            "time": _clock(used["wall"]),
            "scene_time": _minutes(used["scene_time"]),
            "technique": str(technique.name) if technique else used["technique"],
            "who": list(used["who"]),
            "note": used["note"],
        })
    reached = any(session.scenario.phases[v.phase].kind == "de-roling" for v in session.history)
    deroling = []
    if reached or session.deroled:
        deroling = [
            {"name": person.participant, "roles": [{"role": r.described(), "done": r.done} for r in person.roles]}
            for person in roles_to_leave(session)
        ]
    return {"techniques": [{k: v for k, v in visit.items() if k != "step"} for visit in visits], "deroling": deroling}


def _psychodrama_markdown(r: dict[str, Any]) -> list[str]:
    m = md_literal
    out: list[str] = []
    if r.get("techniques"):
        out += ["", "## " + _("Psychodrama techniques"), ""]
        for visit in r["techniques"]:
            out.append(f"- {m(visit['phase'])}")
            for x in visit["techniques"]:
                who = f" ({m(', '.join(x['who']))})" if x["who"] else ""
                note = f": {m(x['note'])}" if x["note"] else ""
                out.append("  - " + _("{time}, {scene_time} into the phase: {technique}").format(
                    time=x["time"], scene_time=x["scene_time"], technique=f"**{m(x['technique'])}**") + f"{who}{note}")
    if r.get("deroling"):
        out += ["", "## " + _("De-roling"), ""]
        for person in r["deroling"]:
            roles = "; ".join((_("{role} (stepped out)") if x["done"] else _("{role} (not marked)")).format(role=m(x["role"]))
                              for x in person["roles"])
            out.append(f"- {m(person['name'])}: {roles}")
    return out


# ----- end of psychodrama -----


def _bar(count: int, scale: int, width: int = 20) -> str:
    """A bar drawn against a fixed scale (`scale_of`), never against the largest count alone."""
    return "█" * (min(width, round(width * count / scale)) if scale else 0)


TICK_SPLIT = N_("The same ticks by who was observed and by round (round 2 is the second visit of the phase the tick was made in):")
_OUTCOMES = {"right": N_("right"), "wrong": N_("wrong"), "revealed": N_("revealed")}  # a guess's outcome, in words


def removed_text(count: int) -> str:
    return ngettext(
        "{count} entry was taken out during the session; the others keep the numbers they were shown with.",
        "{count} entries were taken out during the session; the others keep the numbers they were shown with.",
        count,
    ).format(count=count)


_PUNCTUATION = re.compile(r"([!-/:-@\[-`{-~])")  # every ASCII punctuation character


def md_literal(value: object) -> str:
    """A text from a scenario, a participant or a note, for Markdown that shows it as written.

    Every ASCII punctuation character is backslash-escaped, so CommonMark reads no link, emphasis,
    code, table cell, HTML or entity in it; line breaks become spaces (Markdown joins them anyway,
    and in a table row or a list item they would end it).
    """
    return _PUNCTUATION.sub(r"\\\1", " ".join(str(value).split()))


def to_markdown(session: Session) -> str:
    """The report as Markdown, in the session's language; every text that comes from the data is escaped (`md_literal`)."""
    with in_language(session.language):
        return _markdown(session)


def _markdown(session: Session) -> str:
    r = build_report(session)
    m = md_literal
    out = [f"# {m(r['title'])}", "", _("- Scenario: `{scenario}`").format(scenario=r["scenario"]),
           _("- Date: {date} ({duration})").format(date=r["date"], duration=r["duration"])]
    out += [_("- Status: {status}").format(status=m(r["status"])),
            _("- Language: {language}, seed {seed}").format(language=m(r["language"]), seed=r["seed"]), ""]
    out += ["## " + _("Participants"), "",
            "| {} | {} | {} | {} |".format(_("Name"), _("Role"), _("Cards"), _("Guesses")), "|---|---|---|---|"]
    for p in r["participants"]:
        cards = "; ".join(m(c) for c in p["cards"])
        guesses = ", ".join(m(g) for g in p["guesses"])
        role = roles_text(p["roles"]) + (f" ({p['frame']})" if p["frame"] else "")
        out.append(f"| {m(p['name'])} | {m(role)} | {cards} | {guesses} |")
    out += ["", "## " + _("Timeline"), "",
            "| {} | {} | {} | {} | {} |".format(_("Start"), _("Phase"), _("Kind"), _("Length"), _("Via")), "|---|---|---|---|---|"]
    for row in r["timeline"]:
        via = _("{via} (went on despite a check)").format(via=m(row["via"])) if row["forced"] else m(row["via"])
        out.append(f"| {row['start']} | {m(row['title'])} | {m(row['kind'])} | {row['length']} | {via} |")
    if r["happenings"]:
        out += ["", "## " + _("Notes, markers and events"), ""]
        out += [f"- {h['time']} **{m(h['kind'])}**: {m(h['text'])}" for h in r["happenings"]]
    for c in r["checklists"]:
        scale, says = scale_of([n for _, n in c["items"]], r["people"])
        out += ["", "## " + _("Checklist: {title}").format(title=m(c["title"])), ""]
        out += [f"- {m(text)}: {n} {_bar(n, scale)}" for text, n in c["items"]]
        out += ["", says]
        if c["columns"]:
            out += ["", str(TICK_SPLIT), "", f"| {_('Item')} | " + " | ".join(m(x) for x in c["columns"]) + " |"]
            out.append("|---|" + "---|" * len(c["columns"]))
            out += [f"| {m(text)} | " + " | ".join(str(n) for n in row) + " |" for text, row in c["matrix"]]
        if c["competencies"]:
            out += ["", _("By competency: {counts}").format(counts=", ".join(f"{m(name)} {n}" for name, n in c["competencies"]))]
    for c in r["collections"]:
        out += ["", f"## {m(c['title'])}", ""]
        for e in c["entries"]:
            extra = f" {m('[' + e['category'] + ']')}" if e["category"] else ""
            extra += "".join(f" {m(label)}: {m(v)}" for label, v in e["ratings"].items())
            # With gaps, a Markdown list would renumber: the numbers are written as text instead.
            number = f"- {e['number']}\\." if c["removed"] else f"{e['number']}."
            out.append(f"{number} {m(e['text'])}{extra}")
        if c["removed"]:
            out += ["", removed_text(c["removed"])]
        if c["tally"]:
            scale, says = scale_of([n for _n, n in c["tally"]], len(c["entries"]), ENTRIES_SCALE)
            out += ["", _("Tally:"), ""] + [f"- {m(name)}: {n} {_bar(n, scale)}" for name, n in c["tally"]]
            out += ["", says]
    for v in r["votes"]:
        scale, says = scale_of([n for _, n in v["options"]], r["people"])
        out += ["", "## " + _("Vote: {question}").format(question=m(v["question"])), ""]
        out += [f"- {m(label)}: {n} {_bar(n, scale)}" for label, n in v["options"]]
        out += ["", says]
    if r["ratings"]:
        out += ["", "## " + _("Ratings"), ""]
        out += [
            f"- {m(x['phase'])}: {m(x['label'])} = {m(x['value'])}" + (f" ({m(x['by'])})" if x["by"] else "")
            for x in r["ratings"]
        ]
        if r.get("rating_summaries"):
            out += [""] + [f"- {m(x['phase'])}, {m(x['label'])}: {m(x['summary'])}" for x in r["rating_summaries"]]
    for f in r["forms"]:
        out += ["", f"## {m(f['title'])}", ""]
        for q in f["questions"].values():
            if q.get("by_person"):
                out.append(f"- {m(q['text'])}" + (f" ({m(q['summary'])})" if q.get("summary") else ""))
                out += [f"  - {m(a)}" for a in q["by_person"]]
            elif q["kind"] == "rating":
                out.append(f"- {m(q['text'])} {', '.join(m(a) for a in q['answers'])} ({m(q['summary'])})")
            else:
                out.append(f"- {m(q['text'])}")
                out += [f"  - {m(a)}" for a in q["answers"]]
    out += _psychodrama_markdown(r)  # issue 12
    if r["warnings"]:
        out += ["", "## " + _("Warnings"), ""] + [f"- {m(w)}" for w in r["warnings"]]
    return "\n".join(out) + "\n"

"""Session reports, built only from a session rebuilt from its log.

`build_report` gathers the facts once; Markdown and HTML only lay them out.
The HTML is self-contained (inline style, no scripts, no links to fetch) so
it opens offline and prints well.
"""

from __future__ import annotations

import html
import re
from collections import Counter
from datetime import datetime
from typing import Any

from roleplay.core import events as ev
from roleplay.core.engine import Session
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
    return f"{title}, round {round_}" if session.visits[phase] > 1 else title


def roles_text(roles: list[dict[str, str]]) -> str:
    """`Speaker, then Listener (from Role reversal)`: every role a participant held, in order."""
    if not roles:
        return "no role"
    text = roles[0]["role"]
    for held in roles[1:]:
        text += f", then {held['role']}" + (f" (from {held['from']})" if held["from"] else "")
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
            return (group_of[by], f"{'Pair' if len(group) == 2 else 'Group'} {group_of[by] + 1} ({', '.join(group)})")
        return (len(session.groups) + session.participants.index(by) if by in session.participants else 10**6, by)

    whos = {who(k[3]) for k in counts}
    rounds = {k[2] for k in counts}
    split_who, split_round = len(whos) > 1, len(rounds) > 1
    if not (split_who or split_round):
        return [], []
    cells: dict[tuple[Any, int], Counter[str]] = {}
    for (_, item, round_, by), n in counts.items():
        key = (who(by) if split_who else None, round_ if split_round else 0)
        cells.setdefault(key, Counter())[item] += n
    order = sorted(cells, key=lambda k: (k[0] is None, k[0][0] if k[0] else 0, k[1]))
    labels = []
    for person, round_ in order:
        parts = []
        if split_who:
            parts.append(person[1] if person else "not attributed")
        if split_round:
            parts.append(f"round {round_}")
        labels.append(", ".join(parts))
    return labels, [[cells[key][item] for key in order] for item in items]


def scale_of(counts: list[int], people: int, what: str = "the number of participants") -> tuple[int, str]:
    """The fixed full width of a chart's bars, and a sentence that says what it is.

    The full width is `people` (what it is: `what`), so one tick or one vote is a short bar, never a
    full one; a count above it widens the scale to that count, and the sentence says so.
    """
    most = max(counts, default=0)
    if most > people:
        return most, f"Bars: full width = {most}, the largest count (more than {what}, {people})."
    return max(people, 1), f"Bars: full width = {people}, {what}."


def build_report(session: Session) -> dict[str, Any]:
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
                "role": roles.get(session.roles.get(name) or "", "no role"),
                # Who played what, in order: a role reversal or a swap shows both roles.
                "roles": [
                    {"role": roles.get(role or "", "no role"), "from": _visit_title(session, phase, visit)}
                    for phase, visit, role in held.get(name, [])
                ],
                "cards": cards,
                "guesses": [g["outcome"] + (f" ({g['text']})" if g.get("text") else "") for g in guesses],
                "consent": session.consents.get(name),
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
                "via": visit.trigger or "start",
                "forced": visit.forced,
            }
        )
    happenings = []
    previous = None
    dealt_yet = False  # a role chosen before the deal reads "will play"
    for event in session.events:
        b = event.body
        if isinstance(b, ev.RolesDealt):
            dealt_yet = True
        elif isinstance(b, ev.RoleAssigned):  # who was replaced, from the event itself
            happenings.append((event.wall, "role", session.assignment_text(b, dealt=dealt_yet)))
        if isinstance(b, ev.Note):
            text = b.text
            if b.question is not None:
                text = f"[Q{b.question + 1}: {t(s.phases[b.phase].questions[b.question])}] {text}"
            happenings.append((event.wall, "note", text))
        elif isinstance(b, ev.Marker):
            happenings.append((event.wall, "marker", b.label))
        elif isinstance(b, ev.EventInjected):
            happenings.append((event.wall, "event", t(s.event(b.event).title)))
        elif isinstance(b, ev.Paused):
            happenings.append((event.wall, "time-out", b.reason or "time-out called"))
        elif isinstance(b, ev.Resumed):
            happenings.append((event.wall, "time-out", "scene resumed"))
        elif isinstance(b, ev.GuardWarned):
            happenings.append((event.wall, "warning", b.message))
        elif isinstance(b, ev.CardDrawn):
            deck = s.deck(b.deck)
            card = next(c for c in deck.cards if c.id == b.card)
            happenings.append((event.wall, "card", f"{t(deck.title)}: {t(card.text)}"))
        elif isinstance(b, ev.SessionResumed):
            cut = previous.wall if previous is not None else event.wall
            happenings.append((event.wall, "resumed", f"cut off after {_clock(cut)}, resumed at {_clock(event.wall)}"))
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
        tally = Counter(e.category for _, e in kept if e.category)
        collections.append(
            {
                "title": t(collection.title),
                "entries": [
                    {"number": n, "text": e.text, "category": categories.get(e.category or "", ""), "ratings": dict(e.ratings)}
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
    for r in session.ratings:
        scale = next((sc for sc in s.phases[r["phase"]].ratings if sc.id == r["scale"]), None)
        label = t(scale.label) if scale else r["scale"]
        ratings.append({"label": label, "value": r["value"], "by": r.get("by", ""), "phase": t(s.phases[r["phase"]].title)})
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
    for entry in forms.values():
        for q in entry["questions"].values():
            if q["kind"] == "rating":
                values = [v for v in q["answers"] if isinstance(v, int)]
                count = f"{len(values)} answer" + ("" if len(values) == 1 else "s")
                span = f"on a scale of {q['min']} to {q['max']}"
                q["summary"] = f"average {sum(values) / len(values):.1f} {span}, {count}" if values else ""
    return {
        "title": t(s.title),
        "scenario": s.id,
        "date": datetime.fromtimestamp(first.wall).strftime("%Y-%m-%d %H:%M") if first else "",
        "duration": _minutes((last_wall or 0) - (first.wall if first else 0)),
        "language": session.language,
        "seed": session.seed,
        "status": {"final": "completed", "stopped": "stopped early", None: "not finished"}.get(session.ended, session.ended),
        "folder": str(session.folder) if session.folder else "",
        "participants": participants,
        "people": len(session.participants),  # the fixed scale of the bars (see `scale_of`)
        "timeline": timeline,
        "happenings": [{"time": _clock(w), "kind": k, "text": x} for w, k, x in happenings],
        "checklists": checklists,
        "collections": collections,
        "votes": votes,
        "ratings": ratings,
        "forms": list(forms.values()),
        "warnings": list(session.warnings),
    }


def _bar(count: int, scale: int, width: int = 20) -> str:
    """A bar drawn against a fixed scale (`scale_of`), never against the largest count alone."""
    return "█" * (min(width, round(width * count / scale)) if scale else 0)


TICK_SPLIT = "The same ticks by who was observed and by round (round 2 is the second visit of the phase the tick was made in):"


def removed_text(count: int) -> str:
    entries = "1 entry was" if count == 1 else f"{count} entries were"
    return f"{entries} taken out during the session; the others keep the numbers they were shown with."


_PUNCTUATION = re.compile(r"([!-/:-@\[-`{-~])")  # every ASCII punctuation character


def md_literal(value: object) -> str:
    """A text from a scenario, a participant or a note, for Markdown that shows it as written.

    Every ASCII punctuation character is backslash-escaped, so CommonMark reads no link, emphasis,
    code, table cell, HTML or entity in it; line breaks become spaces (Markdown joins them anyway,
    and in a table row or a list item they would end it).
    """
    return _PUNCTUATION.sub(r"\\\1", " ".join(str(value).split()))


def to_markdown(session: Session) -> str:
    """The report as Markdown; every text that comes from the data is escaped (`md_literal`)."""
    r = build_report(session)
    m = md_literal
    out = [f"# {m(r['title'])}", "", f"- Scenario: `{r['scenario']}`", f"- Date: {r['date']} ({r['duration']})"]
    out += [f"- Status: {m(r['status'])}", f"- Language: {m(r['language'])}, seed {r['seed']}", ""]
    out += ["## Participants", "", "| Name | Role | Cards | Guesses |", "|---|---|---|---|"]
    for p in r["participants"]:
        cards = "; ".join(m(c) for c in p["cards"])
        guesses = ", ".join(m(g) for g in p["guesses"])
        out.append(f"| {m(p['name'])} | {m(roles_text(p['roles']))} | {cards} | {guesses} |")
    out += ["", "## Timeline", "", "| Start | Phase | Kind | Length | Via |", "|---|---|---|---|---|"]
    for row in r["timeline"]:
        via = m(row["via"]) + (" (went on despite a check)" if row["forced"] else "")
        out.append(f"| {row['start']} | {m(row['title'])} | {m(row['kind'])} | {row['length']} | {via} |")
    if r["happenings"]:
        out += ["", "## Notes, markers and events", ""]
        out += [f"- {h['time']} **{m(h['kind'])}**: {m(h['text'])}" for h in r["happenings"]]
    for c in r["checklists"]:
        scale, says = scale_of([n for _, n in c["items"]], r["people"])
        out += ["", f"## Checklist: {m(c['title'])}", ""]
        out += [f"- {m(text)}: {n} {_bar(n, scale)}" for text, n in c["items"]]
        out += ["", says]
        if c["columns"]:
            out += ["", TICK_SPLIT, "", "| Item | " + " | ".join(m(x) for x in c["columns"]) + " |"]
            out.append("|---|" + "---|" * len(c["columns"]))
            out += [f"| {m(text)} | " + " | ".join(str(n) for n in row) + " |" for text, row in c["matrix"]]
        if c["competencies"]:
            out += ["", "By competency: " + ", ".join(f"{m(name)} {n}" for name, n in c["competencies"])]
    for c in r["collections"]:
        out += ["", f"## {m(c['title'])}", ""]
        for e in c["entries"]:
            extra = f" {m('[' + e['category'] + ']')}" if e["category"] else ""
            extra += "".join(f" {m(k)}={m(v)}" for k, v in e["ratings"].items())
            # With gaps, a Markdown list would renumber: the numbers are written as text instead.
            number = f"- {e['number']}\\." if c["removed"] else f"{e['number']}."
            out.append(f"{number} {m(e['text'])}{extra}")
        if c["removed"]:
            out += ["", removed_text(c["removed"])]
        if c["tally"]:
            scale, says = scale_of([n for _, n in c["tally"]], len(c["entries"]), "the number of entries")
            out += ["", "Tally:", ""] + [f"- {m(name)}: {n} {_bar(n, scale)}" for name, n in c["tally"]]
            out += ["", says]
    for v in r["votes"]:
        scale, says = scale_of([n for _, n in v["options"]], r["people"])
        out += ["", f"## Vote: {m(v['question'])}", ""] + [f"- {m(label)}: {n} {_bar(n, scale)}" for label, n in v["options"]]
        out += ["", says]
    if r["ratings"]:
        out += ["", "## Ratings", ""]
        out += [
            f"- {m(x['phase'])}: {m(x['label'])} = {m(x['value'])}" + (f" ({m(x['by'])})" if x["by"] else "")
            for x in r["ratings"]
        ]
    for f in r["forms"]:
        out += ["", f"## {m(f['title'])}", ""]
        for q in f["questions"].values():
            if q["kind"] == "rating":
                out.append(f"- {m(q['text'])} {', '.join(m(a) for a in q['answers'])} ({m(q['summary'])})")
            else:
                out.append(f"- {m(q['text'])}")
                out += [f"  - {m(a)}" for a in q["answers"]]
    if r["warnings"]:
        out += ["", "## Warnings", ""] + [f"- {m(w)}" for w in r["warnings"]]
    return "\n".join(out) + "\n"


_CSS = """
body{font-family:system-ui,sans-serif;max-width:60em;margin:2em auto;padding:0 1em;color:#111;line-height:1.45}
h1{border-bottom:2px solid #333}h2{margin-top:1.6em;border-bottom:1px solid #999}
table{border-collapse:collapse;width:100%}th,td{border:1px solid #999;padding:.25em .5em;text-align:left;vertical-align:top}
.bar{display:inline-block;height:.8em;background:#335;margin-left:.5em}.meta{color:#333}
.kind{font-weight:bold}@media print{body{margin:0;max-width:none}h2{page-break-after:avoid}table{page-break-inside:avoid}}
"""


def to_html(session: Session) -> str:
    r = build_report(session)
    e = html.escape

    def bars(rows: list[tuple[str, int]], people: int, what: str = "the number of participants") -> str:
        scale, says = scale_of([n for _, n in rows], people, what)
        cells = "".join(
            f"<tr><td>{e(label)}</td><td>{int(n)}<span class='bar' style='width:{12 * min(n, scale) / scale:.1f}em'></span></td></tr>"
            for label, n in rows
        )
        return f"<table>{cells}</table><p class='meta'>{e(says)}</p>"

    parts = [
        "<!doctype html><html lang='" + e(r["language"]) + "'><head><meta charset='utf-8'>",
        f"<title>{e(r['title'])}: session report</title><style>{_CSS}</style></head><body>",
        f"<h1>{e(r['title'])}</h1>",
        f"<p class='meta'>Scenario <code>{e(r['scenario'])}</code> &middot; {e(r['date'])} &middot; {e(r['duration'])} &middot; {e(r['status'])}</p>",
        "<h2>Participants</h2><table><tr><th>Name</th><th>Role</th><th>Cards</th><th>Guesses</th></tr>",
    ]
    for p in r["participants"]:
        parts.append(
            f"<tr><td>{e(p['name'])}</td><td>{e(roles_text(p['roles']))}</td><td>{e('; '.join(p['cards']))}</td><td>{e(', '.join(p['guesses']))}</td></tr>"
        )
    parts.append("</table><h2>Timeline</h2><table><tr><th>Start</th><th>Phase</th><th>Kind</th><th>Length</th><th>Via</th></tr>")
    for row in r["timeline"]:
        via = row["via"] + (" (went on despite a check)" if row["forced"] else "")
        parts.append(
            f"<tr><td>{e(row['start'])}</td><td>{e(row['title'])}</td><td>{e(row['kind'])}</td><td>{e(row['length'])}</td><td>{e(via)}</td></tr>"
        )
    parts.append("</table>")
    if r["happenings"]:
        parts.append("<h2>Notes, markers and events</h2><ul>")
        parts += [f"<li>{e(h['time'])} <span class='kind'>{e(h['kind'])}</span>: {e(h['text'])}</li>" for h in r["happenings"]]
        parts.append("</ul>")
    for c in r["checklists"]:
        parts.append(f"<h2>Checklist: {e(c['title'])}</h2>" + bars(c["items"], r["people"]))
        if c["columns"]:
            head = "".join(f"<th>{e(x)}</th>" for x in c["columns"])
            body = "".join(
                f"<tr><td>{e(text)}</td>" + "".join(f"<td>{int(n)}</td>" for n in row) + "</tr>" for text, row in c["matrix"]
            )
            parts.append(f"<p>{e(TICK_SPLIT)}</p><table><tr><th>Item</th>{head}</tr>{body}</table>")
        if c["competencies"]:
            parts.append("<p>By competency:</p>" + bars(c["competencies"], r["people"]))
    for c in r["collections"]:
        parts.append(f"<h2>{e(c['title'])}</h2><ol>")
        for entry in c["entries"]:
            extra = f" <em>[{e(entry['category'])}]</em>" if entry["category"] else ""
            extra += "".join(f" {e(k)}={e(str(v))}" for k, v in entry["ratings"].items())
            parts.append(f"<li value='{int(entry['number'])}'>{e(entry['text'])}{extra}</li>")
        parts.append("</ol>")
        if c["removed"]:
            parts.append(f"<p class='meta'>{e(removed_text(c['removed']))}</p>")
        if c["tally"]:
            parts.append(bars(c["tally"], len(c["entries"]), "the number of entries"))
    for v in r["votes"]:
        parts.append(f"<h2>Vote: {e(v['question'])}</h2>" + bars(v["options"], r["people"]))
    if r["ratings"]:
        parts.append("<h2>Ratings</h2><ul>")
        parts += [
            f"<li>{e(x['phase'])}: {e(x['label'])} = {e(str(x['value']))}{(' (' + e(x['by']) + ')') if x['by'] else ''}</li>"
            for x in r["ratings"]
        ]
        parts.append("</ul>")
    for f in r["forms"]:
        parts.append(f"<h2>{e(f['title'])}</h2><ul>")
        for q in f["questions"].values():
            if q["kind"] == "rating":
                parts.append(f"<li>{e(q['text'])} {e(', '.join(map(str, q['answers'])))} ({e(q['summary'])})</li>")
            else:
                answers = "".join(f"<li>{e(str(a))}</li>" for a in q["answers"])
                parts.append(f"<li>{e(q['text'])}<ul>{answers}</ul></li>")
        parts.append("</ul>")
    if r["warnings"]:
        parts.append("<h2>Warnings</h2><ul>" + "".join(f"<li>{e(w)}</li>" for w in r["warnings"]) + "</ul>")
    parts.append("</body></html>\n")
    return "".join(parts)

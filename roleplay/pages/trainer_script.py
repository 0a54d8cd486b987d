"""The printable trainer's script of a scenario: every phase with what to say, what to watch for,
the events, roles, briefs and cards, for a trainer running the session on one shared screen.

It holds the trainer's private layer, so it is for the trainer's hands only (the page says so).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from roleplay.core.i18n import _, in_language
from roleplay.core.model import Scenario
from roleplay.core.names import fill_role_names
from roleplay.core.standard_forms import find_form
from roleplay.core.text import localize
from roleplay.pages.render import render


@dataclass
class PhasePage:
    number: int
    id: str
    title: str
    kind: str
    timer: str
    group_text: str
    script: str
    questions: list[str]
    tools: list[tuple[str, list[str]]]  # (heading, lines)
    events: list[tuple[str, str]]  # (title, what the trainer does)
    routes: list[str]
    final: bool
    deals: bool = False
    notes: list[str] = field(default_factory=list)


def _duration(seconds: int) -> str:
    minutes, rest = divmod(int(seconds), 60)
    if not minutes:
        return _("{seconds} s").format(seconds=rest)
    if rest:
        return _("{minutes} min {seconds} s").format(minutes=minutes, seconds=rest)
    return _("{minutes} min").format(minutes=minutes)


def trainer_script_html(scenario: Scenario, language: str | None = None) -> str:
    lang = language if language in scenario.languages else scenario.fallback
    with in_language(lang):  # the page's own words in the script's language too
        return _script_html(scenario, lang)


def _script_html(scenario: Scenario, lang: str) -> str:
    def t(value) -> str:
        """A text in the script's language; `{role:id}` placeholders read as the role's name."""
        return fill_role_names(scenario, localize(value, lang, scenario.fallback), lang) if value is not None else ""

    titles = {pid: t(p.title) for pid, p in scenario.phases.items()}
    phases: list[PhasePage] = []
    for number, (pid, p) in enumerate(scenario.phases.items(), 1):
        timer = ""
        if p.timer is not None:
            if p.timer.on_expiry == "stay":
                timer = _("{duration}, stays").format(duration=_duration(p.timer.duration))
            else:
                timer = _("{duration}, then {phase}").format(
                    duration=_duration(p.timer.duration), phase=titles.get(p.timer.on_expiry, p.timer.on_expiry))
        tools: list[tuple[str, list[str]]] = []
        for cid in p.checklists:
            checklist = scenario.checklist(cid)
            tools.append((_("Checklist: {title}").format(title=t(checklist.title)), [t(i.text) for i in checklist.items]))
        if p.collection:
            collection = scenario.collection(p.collection)
            lines = [t(collection.prompt)] if collection.prompt else []
            lines += [f"{t(c.name)}: {t(c.description)}" if c.description else t(c.name) for c in collection.categories]
            tools.append((_("Collection: {title}").format(title=t(collection.title)), lines))
        for vid in p.votes:
            vote = scenario.vote(vid)
            tools.append((_("Vote: {question}").format(question=t(vote.question)), [t(o.label) for o in vote.options]))
        for scale in p.ratings:
            tools.append((_("Rating: {label}").format(label=t(scale.label)),
                          [_("from {low} to {high}").format(low=scale.min, high=scale.max)]))
        if p.form:
            form = find_form(scenario, p.form)
            tools.append((_("Form: {title}").format(title=t(form.title)), [t(q.text) for q in form.questions]))
        if p.guesses:
            tools.append((_("Guesses: {deck}").format(deck=t(scenario.deck(p.guesses).title)), []))
        if p.draw:
            tools.append((_("A card is drawn: {deck}").format(deck=t(scenario.deck(p.draw).title)), []))
        if p.show_resources:
            tools.append((_("Support lines are shown"), []))
        event_ids = [e.id for e in scenario.events] if p.events == "all" else list(p.events)
        events = [(t(scenario.event(e).title), t(scenario.event(e).script)) for e in event_ids]
        routes = []
        for route in scenario.routes(pid):
            label = t(route.label) if route.label else route.trigger
            routes.append(f"{label} → {titles.get(route.to, route.to)}")
        phases.append(
            PhasePage(
                number=number, id=pid, title=titles[pid], kind=p.kind, timer=timer,
                group_text=t(p.group_text), script=t(p.script), questions=[t(q) for q in p.questions],
                tools=tools, events=events, routes=routes, final=p.final, deals=scenario.deal_phase == pid,
            )
        )
    roles = []
    for role in scenario.roles:
        brief = t(role.brief)
        roles.append({
            "name": t(role.name), "count": str(role.count), "description": t(role.description),
            "brief": brief, "brief_for": role.brief_visible_to if brief else "",
        })
    decks = []
    for deck in scenario.decks:
        decks.append({
            "title": t(deck.title), "deal_to": deck.deal_to, "visible_to": deck.visible_to,
            "cards": [(t(c.text), t(c.trainer_note)) for c in deck.cards],
        })
    events = [
        {"title": t(e.title), "script": t(e.script), "group_text": t(e.group_text), "brief": t(e.brief), "brief_for": e.brief_for or ""}
        for e in scenario.events
    ]
    return render(
        "trainer_script.html",
        lang=lang,
        title=t(scenario.title),
        summary=t(scenario.summary),
        duration=_duration(scenario.duration),
        group_size=(_("{low} to {high}").format(low=scenario.group_size.min, high=scenario.group_size.max) if scenario.group_size.max
                    else _("{low} or more").format(low=scenario.group_size.min)),
        content_notes=[t(n) for n in scenario.content_notes],
        opt_out=t(scenario.opt_out),
        roles=roles,
        decks=decks,
        events=events,
        phases=phases,
        deal_phase=titles.get(scenario.deal_phase or "", "") if scenario.deal_phase else "",
    )

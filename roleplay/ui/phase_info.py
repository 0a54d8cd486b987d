"""Facts about phases and routes the screens need (pure Python, no Textual)."""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass

from roleplay.ui.i18n import _, ngettext


DEBRIEF_KINDS = ("debrief", "sharing", "teaching", "reflection", "de-roling")


@dataclass(frozen=True)
class RouteChoice:
    trigger: str
    target: str
    label: str


def screen_kind(phase) -> str:
    """Which phase screen shows this phase: 'quality', 'debrief' or 'live'."""
    if phase.form:
        return "quality"
    if phase.questions and phase.kind in DEBRIEF_KINDS:
        return "debrief"
    return "live"


def route_choices(session) -> list[RouteChoice]:
    """One choice per trigger out of the current phase, `next` first."""
    scenario = session.scenario
    seen: dict[str, RouteChoice] = {}
    for route in scenario.routes(session.phase):
        if route.trigger in seen:
            continue
        target = scenario.phases[route.to]
        label = session.text(route.label) if route.label else f"{route.trigger} → {session.text(target.title)}"
        seen[route.trigger] = RouteChoice(route.trigger, route.to, label)
    return sorted(seen.values(), key=lambda c: c.trigger != "next")


def reversal_route(session) -> RouteChoice | None:
    for choice in route_choices(session):
        target = session.scenario.phases[choice.target]
        if choice.trigger != "next" and (target.kind == "role-reversal" or target.swap_roles):
            return choice
    return None


def timeout_route(session) -> RouteChoice | None:
    for choice in route_choices(session):
        if choice.trigger != "next" and session.scenario.phases[choice.target].kind == "time-out":
            return choice
    return None


def other_routes(session) -> list[RouteChoice]:
    special = {c.trigger for c in (reversal_route(session), timeout_route(session)) if c}
    return [c for c in route_choices(session) if c.trigger != "next" and c.trigger not in special]


def steps_to_end(scenario, phase_id: str) -> int | None:
    """Fewest phase changes from phase_id to a final phase (None when none is reachable)."""
    queue = deque([(phase_id, 0)])
    seen = {phase_id}
    while queue:
        pid, dist = queue.popleft()
        if scenario.phases[pid].final:
            return dist
        targets = [r.to for r in scenario.routes(pid)]
        timer = scenario.phases[pid].timer
        if timer and timer.on_expiry != "stay":
            targets.append(timer.on_expiry)
        for to in targets:
            if to not in seen:
                seen.add(to)
                queue.append((to, dist + 1))
    return None


def _targets(scenario, phase_id: str) -> list[str]:
    targets = [r.to for r in scenario.routes(phase_id)]
    timer = scenario.phases[phase_id].timer
    if timer and timer.on_expiry != "stay":
        targets.append(timer.on_expiry)
    return list(dict.fromkeys(targets))


def most_steps_to_end(scenario, phase_id: str) -> int | None:
    """Most phase changes from phase_id to a final phase; None when a loop can be taken on the way."""
    memo: dict[str, int | None] = {}
    on_path: set[str] = set()

    def walk(pid: str) -> int | None:
        if pid in on_path:
            raise _Loop
        if pid in memo:
            return memo[pid]
        if scenario.phases[pid].final:
            memo[pid] = 0
            return 0
        on_path.add(pid)
        ways = [w for w in (walk(t) for t in _targets(scenario, pid)) if w is not None]
        on_path.discard(pid)
        memo[pid] = max(ways) + 1 if ways else None
        return memo[pid]

    try:
        return walk(phase_id)
    except _Loop:
        return None


class _Loop(Exception):
    pass


def progress_text(session) -> str:
    """Where the session is, in words that never go backwards and never contradict each other.

    "Step 8 · round 2 · at least 3 more phases": the step counts every phase entered so far (a
    second round or a time-out moves it on, never back); the round says this phase was entered
    before; the phases left are the fewest still to come, with "at least" whenever a branch or a
    loop could make the way longer.
    """
    scenario = session.scenario
    parts = [_("Step {number}").format(number=max(1, len(session.history)))]
    visit = session.visits[session.phase]
    if visit > 1:
        parts.append(_("round {number}").format(number=visit))
    left = 0 if session.current.final else steps_to_end(scenario, session.phase)
    if left == 0:
        parts.append(_("last phase"))
    elif left is not None:
        exact = most_steps_to_end(scenario, session.phase) == left
        if exact and left == 1:
            parts.append(_("the last phase is next"))
        elif exact:
            parts.append(ngettext("{count} more phase", "{count} more phases", left).format(count=left))
        else:
            parts.append(ngettext("at least {count} more phase", "at least {count} more phases", left).format(count=left))
    return " · ".join(parts)


def next_choice(session) -> RouteChoice | None:
    """Where `next` leads from here now: the first `next` route whose condition holds."""
    scenario = session.scenario
    for route in scenario.routes(session.phase):
        if route.trigger != "next" or (route.when is not None and session.unmet(route.when)):
            continue
        target = scenario.phases[route.to]
        label = session.text(route.label) if route.label else session.text(target.title)
        return RouteChoice("next", route.to, label)
    return None


def routes_text(session) -> str:
    """The ways on from this phase, as the trainer would choose them: "n: Another situation · g: Debrief"."""
    parts = []
    chosen = next_choice(session)
    if chosen is not None:
        parts.append(f"n: {chosen.label}")
    others = other_routes(session)
    if others:
        parts.append("g: " + " / ".join(c.label for c in others))
    return " · ".join(parts)


@dataclass(frozen=True)
class RevealItem:
    """One secret text and who may see it: holder, others, trainer or everyone."""

    audience: str
    title: str
    text: str


def secrets_for(session, name: str) -> list[RevealItem]:
    """What participant `name` (or the others about them) may be shown."""
    scenario = session.scenario
    items: list[RevealItem] = []
    role_id = session.roles.get(name)
    if role_id:
        role = scenario.role(role_id)
        if role.brief:
            items.append(RevealItem(role.brief_visible_to, _("Brief: {role}").format(role=session.text(role.name)), session.text(role.brief)))
    for deck in scenario.decks:
        card_id = session.cards.get(deck.id, {}).get(name)
        if card_id is None:
            continue
        card = next(c for c in deck.cards if c.id == card_id)
        items.append(RevealItem(deck.visible_to, session.text(deck.title), session.text(card.text)))
    return items


def event_briefs(session, event_id: str) -> list[tuple[str, RevealItem]]:
    event = session.scenario.event(event_id)
    if not event.brief or not event.brief_for:
        return []
    return [
        (name, RevealItem("holder", _("New instruction: {title}").format(title=session.text(event.title)), session.text(event.brief)))
        for name in session.holders(event.brief_for)
    ]

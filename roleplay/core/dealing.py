"""Dealing roles and cards: seeded, repeatable, and written to the log in full.

The log keeps the result, not the random draw, so replay never depends on
the random generator or on the order of this code.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from typing import Any

from roleplay.core.i18n import _, ngettext
from roleplay.core.model import Scenario


@dataclass
class Deal:
    groups: list[list[str]]
    roles: dict[str, str | None]
    cards: dict[str, dict[str, str]]
    warnings: list[str] = field(default_factory=list)
    chosen: dict[str, str] = field(default_factory=dict)  # roles the trainer chose, kept by this deal

    def as_data(self, seed: int) -> dict[str, Any]:
        data: dict[str, Any] = {
            "seed": seed, "groups": self.groups, "roles": self.roles, "cards": self.cards, "warnings": self.warnings,
        }
        if self.chosen:
            data["chosen"] = dict(self.chosen)
        return data


def split_groups(people: list[str], size: int | None) -> list[list[str]]:
    """Groups of `size`; the leftover people join groups one each."""
    if not size or len(people) <= size:
        return [list(people)]
    count = len(people) // size
    groups = [people[i * size : (i + 1) * size] for i in range(count)]
    for i, person in enumerate(people[count * size :]):
        groups[i % count].append(person)
    return groups


def group_count(scenario: Scenario, people: int) -> int:
    """How many groups a deal for this many participants makes."""
    return len(split_groups([str(i) for i in range(people)], scenario.grouping.size if scenario.grouping else None))


def places(scenario: Scenario, role_id: str, people: int) -> int | None:
    """How many participants a role takes in a whole deal (None: no limit, as for 'rest' and 'each')."""
    role = scenario.role(role_id)
    if not isinstance(role.count, int) or role.count == 0:
        return None  # count 0: never dealt, only given by hand
    return role.count * group_count(scenario, people)


def deal(scenario: Scenario, participants: list[str], seed: int, fixed: dict[str, str] | None = None) -> Deal:
    """Groups, roles and cards for everyone; `fixed` (participant -> role id) are roles the trainer chose.

    Without `fixed` the deal is the same for the same seed as it always was (printed card
    sheets match). Chosen people keep their role; the others fill the places left, at random.
    """
    rng = random.Random(seed)
    people = list(participants)
    rng.shuffle(people)
    size = scenario.grouping.size if scenario.grouping else None
    known_roles = {r.id for r in scenario.roles}
    chosen = {p: r for p, r in (fixed or {}).items() if p in participants and r in known_roles}
    warnings: list[str] = []
    if chosen:
        groups, taken = _place_chosen(scenario, people, chosen, split_groups(people, size), warnings)
    else:
        groups, taken = split_groups(people, size), [{} for _ in split_groups(people, size)]
    roles: dict[str, str | None] = {name: None for name in participants}
    each = next((r for r in scenario.roles if r.count == "each"), None)
    rest = next((r for r in scenario.roles if r.count == "rest"), None)
    for number, group in enumerate(groups, 1):
        queue = [p for p in group if p not in chosen]
        for person in group:
            if person in chosen:
                roles[person] = chosen[person]
        if each is not None:
            for person in queue:
                roles[person] = each.id
            continue
        for role in scenario.roles:
            if not isinstance(role.count, int) or role.chosen_by == "group":
                continue  # a role the group chooses during the session (the protagonist) is left empty
            for _seat in range(role.count - taken[number - 1].get(role.id, 0)):
                if not queue:
                    if len(groups) > 1:
                        warnings.append(_("not enough participants in group {number}: role '{role}' is not filled").format(
                            number=number, role=role.id))
                    else:
                        warnings.append(_("not enough participants: role '{role}' is not filled").format(role=role.id))
                    break
                roles[queue.pop(0)] = role.id
        for person in queue:
            roles[person] = rest.id if rest is not None else None
        if queue and rest is None:
            warnings.append(ngettext("{count} participant has no role: {names}", "{count} participants have no role: {names}",
                                     len(queue)).format(count=len(queue), names=", ".join(queue)))
    cards: dict[str, dict[str, str]] = {}
    for deck in scenario.decks:
        if deck.deal_to == "nobody":
            continue
        holders = [p for p in participants if deck.deal_to == "everyone" or roles[p] == deck.deal_to]
        dealt, repeats = deal_cards([c.id for c in deck.cards], holders, rng)
        cards[deck.id] = dealt
        if repeats:
            warnings.append(
                _("deck '{deck}' has {cards} cards for {holders} holders: {repeats} card(s) repeat").format(
                    deck=deck.id, cards=len(deck.cards), holders=len(holders), repeats=repeats)
            )
    return Deal([sorted(g, key=participants.index) for g in groups], roles, cards, warnings, chosen)


def _place_chosen(
    scenario: Scenario, people: list[str], chosen: dict[str, str], shape: list[list[str]], warnings: list[str]
) -> tuple[list[list[str]], list[dict[str, int]]]:
    """Groups of the usual sizes with the chosen people placed first, each where their role still has a place.

    Returns the groups and, per group, how many places of each role the chosen people took.
    """
    sizes = [len(g) for g in shape]
    limits = {r.id: r.count for r in scenario.roles if isinstance(r.count, int) and r.count > 0}
    # seats the numbered roles need (a role the group chooses later needs none until someone is chosen for it)
    numbered = sum(n for r, n in limits.items() if scenario.role(r).chosen_by != "group" or r in chosen.values())
    groups: list[list[str]] = [[] for _ in sizes]
    taken: list[dict[str, int]] = [{} for _ in sizes]

    def fits(i: int, role: str) -> bool:
        if len(groups[i]) >= sizes[i]:
            return False
        if role in limits:
            return taken[i].get(role, 0) < limits[role]
        # a role without a number: only seats the numbered roles do not need
        others = sum(n for r, n in taken[i].items() if r not in limits)
        return others < sizes[i] - numbered

    for person in [p for p in people if p in chosen]:  # the shuffled order: ties go to a random group
        role = chosen[person]
        spot = next((i for i in range(len(sizes)) if fits(i, role)), None)
        if spot is None:
            spot = next(i for i in range(len(sizes)) if len(groups[i]) < sizes[i])
            if role in limits:
                warnings.append(_("more participants were chosen for role '{role}' than it has places: {name} plays it too").format(
                    role=role, name=person))
        groups[spot].append(person)
        taken[spot][role] = taken[spot].get(role, 0) + 1
    free = [p for p in people if p not in chosen]
    for i, size in enumerate(sizes):
        while len(groups[i]) < size and free:
            groups[i].append(free.pop(0))
    return groups, taken


def deal_cards(card_ids: list[str], holders: list[str], rng: random.Random) -> tuple[dict[str, str], int]:
    """One card per holder, no repeats until the deck is used up; returns (cards, repeats)."""
    pile: list[str] = []
    dealt: dict[str, str] = {}
    for holder in holders:
        if not pile:
            pile = list(card_ids)
            rng.shuffle(pile)
        dealt[holder] = pile.pop()
    return dealt, max(0, len(holders) - len(card_ids))


def draw_card(card_ids: list[str], drawn: list[str], seed: int, deck_id: str) -> str:
    """The next card of a draw deck: unseen cards first; after all were drawn, start again."""
    cycle = len(drawn) // len(card_ids)
    seen_this_cycle = set(drawn[cycle * len(card_ids) :])
    choices = [c for c in card_ids if c not in seen_this_cycle]
    rng = random.Random(f"{seed}:{deck_id}:{len(drawn)}")
    return rng.choice(choices)

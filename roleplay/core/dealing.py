"""Dealing roles and cards: seeded, repeatable, and written to the log in full.

The log keeps the result, not the random draw, so replay never depends on
the random generator or on the order of this code.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from typing import Any

from roleplay.core.model import Scenario


@dataclass
class Deal:
    groups: list[list[str]]
    roles: dict[str, str | None]
    cards: dict[str, dict[str, str]]
    warnings: list[str] = field(default_factory=list)

    def as_data(self, seed: int) -> dict[str, Any]:
        return {"seed": seed, "groups": self.groups, "roles": self.roles, "cards": self.cards, "warnings": self.warnings}


def split_groups(people: list[str], size: int | None) -> list[list[str]]:
    """Groups of `size`; the leftover people join groups one each."""
    if not size or len(people) <= size:
        return [list(people)]
    count = len(people) // size
    groups = [people[i * size : (i + 1) * size] for i in range(count)]
    for i, person in enumerate(people[count * size :]):
        groups[i % count].append(person)
    return groups


def deal(scenario: Scenario, participants: list[str], seed: int) -> Deal:
    rng = random.Random(seed)
    people = list(participants)
    rng.shuffle(people)
    groups = split_groups(people, scenario.grouping.size if scenario.grouping else None)
    roles: dict[str, str | None] = {name: None for name in participants}
    warnings: list[str] = []
    each = next((r for r in scenario.roles if r.count == "each"), None)
    rest = next((r for r in scenario.roles if r.count == "rest"), None)
    for number, group in enumerate(groups, 1):
        queue = list(group)
        if each is not None:
            for person in queue:
                roles[person] = each.id
            continue
        for role in scenario.roles:
            if not isinstance(role.count, int):
                continue
            for _ in range(role.count):
                if not queue:
                    where = f" in group {number}" if len(groups) > 1 else ""
                    warnings.append(f"not enough participants{where}: role '{role.id}' is not filled")
                    break
                roles[queue.pop(0)] = role.id
        for person in queue:
            roles[person] = rest.id if rest is not None else None
        if queue and rest is None:
            warnings.append(f"{len(queue)} participant(s) have no role: {', '.join(queue)}")
    cards: dict[str, dict[str, str]] = {}
    for deck in scenario.decks:
        if deck.deal_to == "nobody":
            continue
        holders = [p for p in participants if deck.deal_to == "everyone" or roles[p] == deck.deal_to]
        dealt, repeats = deal_cards([c.id for c in deck.cards], holders, rng)
        cards[deck.id] = dealt
        if repeats:
            warnings.append(
                f"deck '{deck.id}' has {len(deck.cards)} cards for {len(holders)} holders: {repeats} card(s) repeat"
            )
    return Deal([sorted(g, key=participants.index) for g in groups], roles, cards, warnings)


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

"""A printable sheet of dealt cards: one large card per participant (forehead cards)."""

from __future__ import annotations

import html

from roleplay.core.dealing import deal
from roleplay.core.model import Scenario
from roleplay.core.text import localize

_CSS = """
@page{size:A4 landscape;margin:1cm}
body{font-family:system-ui,sans-serif;margin:0}
.card{height:17cm;display:flex;flex-direction:column;justify-content:center;align-items:center;
border:3px dashed #555;margin:0 0 1cm 0;page-break-after:always;break-after:page;text-align:center;padding:1cm}
.card .text{font-size:44pt;font-weight:bold;line-height:1.2}
.card .holder{font-size:12pt;color:#444;margin-top:1.5cm}
.note{font-size:11pt;color:#444;margin:1em}
@media screen{.card{max-width:28cm;margin:1cm auto}}
"""


def card_sheet(scenario: Scenario, participants: list[str], seed: int, language: str | None = None, deck_id: str | None = None) -> str:
    lang = language or scenario.fallback
    decks = [d for d in scenario.decks if d.deal_to != "nobody" and (deck_id is None or d.id == deck_id)]
    if not decks:
        raise ValueError(
            f"{scenario.id} deals no cards" if deck_id is None else f"{scenario.id} has no dealt deck '{deck_id}'"
        )
    result = deal(scenario, participants, seed)
    e = html.escape
    title = localize(scenario.title, lang, scenario.fallback)
    parts = [f"<!doctype html><html lang='{e(lang)}'><head><meta charset='utf-8'><title>{e(title)}: cards</title>"]
    parts.append(f"<style>{_CSS}</style></head><body>")
    for warning in result.warnings:
        parts.append(f"<p class='note'>{e(warning)}</p>")
    for deck in decks:
        cards = {c.id: c for c in deck.cards}
        for name, card_id in result.cards.get(deck.id, {}).items():
            text = localize(cards[card_id].text, lang, scenario.fallback)
            parts.append(
                f"<section class='card'><div class='text'>{e(text)}</div>"
                f"<div class='holder'>{e(name)} &middot; {e(localize(deck.title, lang, scenario.fallback))} &middot; seed {seed}</div></section>"
            )
    parts.append("</body></html>\n")
    return "".join(parts)

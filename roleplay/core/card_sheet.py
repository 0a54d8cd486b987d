"""A printable sheet of dealt cards: one large card per participant (forehead cards)."""

from __future__ import annotations

import html

from roleplay.core.dealing import deal
from roleplay.core.i18n import _, in_language
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
    with in_language(lang):  # the sheet's own words (and the deal's warnings) in its language
        return _card_sheet(scenario, participants, seed, lang, deck_id)


def _card_sheet(scenario: Scenario, participants: list[str], seed: int, lang: str, deck_id: str | None) -> str:
    decks = [d for d in scenario.decks if d.deal_to != "nobody" and (deck_id is None or d.id == deck_id)]
    if not decks:
        if deck_id is None:
            raise ValueError(_("{scenario} deals no cards").format(scenario=scenario.id))
        raise ValueError(_("{scenario} has no dealt deck '{deck}'").format(scenario=scenario.id, deck=deck_id))
    result = deal(scenario, participants, seed)
    e = html.escape
    title = localize(scenario.title, lang, scenario.fallback)
    heading = _("{title}: cards").format(title=title)
    parts = [f"<!doctype html><html lang='{e(lang)}'><head><meta charset='utf-8'><title>{e(heading)}</title>"]
    parts.append(f"<style>{_CSS}</style></head><body>")
    for warning in result.warnings:
        parts.append(f"<p class='note'>{e(warning)}</p>")
    for deck in decks:
        cards = {c.id: c for c in deck.cards}
        for name, card_id in result.cards.get(deck.id, {}).items():
            text = localize(cards[card_id].text, lang, scenario.fallback)
            parts.append(
                f"<section class='card'><div class='text'>{e(text)}</div>"
                f"<div class='holder'>{e(name)} &middot; {e(localize(deck.title, lang, scenario.fallback))} &middot; "
                f"{e(_('seed {seed}').format(seed=seed))}</div></section>"
            )
    parts.append("</body></html>\n")
    return "".join(parts)

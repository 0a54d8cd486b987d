"""The phase's tools beside the script: guesses, checklists, collection, votes, ratings, resources.

Lists post `ToolsPanel.Picked` when the trainer presses Enter on an item; the
screen turns that into a session command. Counts are printed as numbers, so
nothing depends on colour.
"""

from __future__ import annotations

from collections import Counter

from textual.containers import VerticalScroll
from textual.message import Message
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from roleplay.ui.text import plain, prose
from roleplay.ui.widgets.bars import BarChart


class ToolList(OptionList):
    """An option list that keeps the highlight when its items are rewritten."""

    DEFAULT_CSS = """
    ToolList { height: auto; max-height: 12; }
    """

    def set_items(self, items: list[tuple[str, str]]) -> None:
        keep = self.highlighted
        if [o.id for o in self.options] == [k for k, _ in items]:
            for index, (_, label) in enumerate(items):
                self.replace_option_prompt_at_index(index, plain(label))
            return
        self.set_options([Option(plain(label), id=key) for key, label in items])
        if items:
            self.highlighted = min(keep or 0, len(items) - 1)


def has_tools(session) -> bool:
    p = session.current
    return bool(p.guesses or p.checklists or p.collection or p.votes or p.ratings or p.show_resources or p.draw)


class ToolsPanel(VerticalScroll):
    class Picked(Message):
        def __init__(self, kind: str, key: str) -> None:
            super().__init__()
            self.kind = kind
            self.key = key

    def __init__(self, session, country: str | None = None, **kwargs) -> None:
        super().__init__(**kwargs)
        self.session = session
        self.country = country
        self._resources_asked = False
        self.can_focus = False

    def compose(self):
        s, p = self.session, self.session.current
        scenario = s.scenario
        if p.draw:
            yield Static("", id="drawn", classes="tool-block")
        if p.guesses:
            yield Static(plain(f"Guesses · {s.text(scenario.deck(p.guesses).title)} (Enter to record)"), classes="tool-heading")
            yield ToolList(id="guesses", classes="tool-list")
        for cid in p.checklists:
            checklist = scenario.checklist(cid)
            yield Static(plain(f"Checklist · {s.text(checklist.title)} (Enter ticks, - takes back)"), classes="tool-heading")
            yield ToolList(id=f"checklist-{cid}", classes="tool-list checklist")
        if p.collection:
            collection = scenario.collection(p.collection)
            yield Static(plain(f"Collection · {s.text(collection.title)} (c adds, Enter tags)"), classes="tool-heading")
            if collection.prompt:
                yield Static(prose(s.text(collection.prompt)), classes="tool-note")
            yield ToolList(id="entries", classes="tool-list")
            if collection.categories:
                yield BarChart("By category", id="category-bars")
        for vid in p.votes:
            yield Static(plain(f"Vote · {s.text(scenario.vote(vid).question)} (v to count)"), classes="tool-heading")
            yield BarChart(id=f"vote-{vid}")
        if p.ratings:
            yield Static("Ratings (k to rate)", classes="tool-heading")
            yield Static("", id="ratings", classes="tool-block")
        if p.show_resources:
            yield Static("Support resources", classes="tool-heading")
            yield Static("", id="resources", classes="tool-block")

    def on_mount(self) -> None:
        self.refresh_from()

    def refresh_from(self) -> None:
        s, p = self.session, self.session.current
        scenario = s.scenario
        if p.draw:
            deck = scenario.deck(p.draw)
            drawn = s.drawn.get(deck.id, [])
            text = "—"
            if drawn:
                card = next(c for c in deck.cards if c.id == drawn[-1])
                text = s.text(card.text)
            self.query_one("#drawn", Static).update(plain(f"Card drawn ({s.text(deck.title)}): {text}"))
        if p.guesses:
            rows = []
            for name in s.deck_holders(p.guesses):
                tries = s.guesses.get(name, [])
                done = next((g for g in tries if g["outcome"] in ("right", "revealed")), None)
                if done:
                    status = "✓ guessed" if done["outcome"] == "right" else "✓ revealed"
                else:
                    status = "… not yet"
                rows.append((f"guess:{name}", f"{name}: {status} · {len(tries)} tries"))
            self.query_one("#guesses", ToolList).set_items(rows)
        for cid in p.checklists:
            checklist = scenario.checklist(cid)
            rows = [
                (f"{cid}:{item.id}", f"[{s.ticks[(cid, item.id)]}] {s.text(item.text)}")
                for item in checklist.items
            ]
            self.query_one(f"#checklist-{cid}", ToolList).set_items(rows)
        if p.collection:
            collection = scenario.collection(p.collection)
            names = {c.id: s.text(c.name) for c in collection.categories}
            rows = []
            for number, entry in enumerate(s.entries.get(p.collection, []), 1):
                label = f"{number}. {entry.text}"
                if entry.category:
                    label += f"  [{names.get(entry.category, entry.category)}]"
                if entry.ratings:
                    label += "  " + ", ".join(f"{k} {v}" for k, v in entry.ratings.items())
                rows.append((f"entry:{number}", label))
            if not rows:
                rows = [("entry:none", "(no entries yet: press c to add one)")]
            self.query_one("#entries", ToolList).set_items(rows)
            if collection.categories:
                counts = Counter(e.category for e in s.entries.get(p.collection, []))
                bars = [(names[c.id], counts[c.id]) for c in collection.categories] + [("(no category)", counts[None])]
                self.query_one("#category-bars", BarChart).set_rows(bars)
        for vid in p.votes:
            vote = scenario.vote(vid)
            counts = s.votes.get(vid, Counter())
            self.query_one(f"#vote-{vid}", BarChart).set_rows([(s.text(o.label), counts[o.id]) for o in vote.options])
        if p.ratings:
            lines = []
            for scale in p.ratings:
                values = [r["value"] for r in s.ratings if r["scale"] == scale.id and r.get("phase") == s.phase]
                avg = f"average {sum(values) / len(values):.1f}" if values else "none yet"
                lines.append(f"{s.text(scale.label)} ({scale.min}–{scale.max}): {len(values)} rating(s), {avg}")
            self.query_one("#ratings", Static).update(plain("\n".join(lines)))
        if p.show_resources and not self._resources_asked:
            self._resources_asked = True  # the file does not change during a phase: read it once
            self.run_worker(self._load_resources, thread=True, exclusive=True, group="resources")

    def _load_resources(self) -> None:
        from roleplay.ui.services import support_resources

        found, problem = support_resources(self.country)
        if found is None:
            text = f"No support lines to show: {problem}\nGive the local crisis line by hand."
        else:
            lines = [f"{found.name} (numbers checked {found.checked or 'unknown'}):"]
            for r in found.resources:
                parts = [r.name, r.phone, r.hours, r.url, r.note]
                lines.append("• " + " · ".join(str(x) for x in parts if x))
            text = "\n".join(lines)
        self.app.call_from_thread(self.query_one("#resources", Static).update, plain(text))

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        key = event.option.id or ""
        if key.startswith("guess:"):
            self.post_message(self.Picked("guess", key.split(":", 1)[1]))
        elif key.startswith("entry:"):
            if key != "entry:none":
                self.post_message(self.Picked("entry", key.split(":", 1)[1]))
        else:
            self.post_message(self.Picked("tick", key))

    def focused_item(self) -> tuple[str, str] | None:
        """(kind, key) of the highlighted item in the focused list."""
        focused = self.screen.focused
        if not isinstance(focused, ToolList) or focused.highlighted_option is None:
            return None
        key = focused.highlighted_option.id or ""
        if key.startswith("entry:"):
            return ("entry", key.split(":", 1)[1]) if key != "entry:none" else None
        if key.startswith("guess:"):
            return ("guess", key.split(":", 1)[1])
        return ("tick", key)

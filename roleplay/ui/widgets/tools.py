"""The phase's tools beside the script: guesses, checklists, collection, votes, ratings, resources.

Lists post `ToolsPanel.Picked` when the trainer presses Enter on an item; the
screen turns that into a session command. Counts are printed as numbers, so
nothing depends on colour.
"""

from __future__ import annotations

from collections import Counter
from weakref import WeakKeyDictionary

from textual.geometry import Size
from textual.message import Message
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from roleplay.ui.i18n import _, ngettext
from roleplay.ui.text import plain, prose, update_if_changed
from roleplay.ui.widgets.bars import BarChart
from roleplay.ui.widgets.scroll import TextScroll


class OneLayout:
    """Mix into a container of the phase screen: a change in its size never asks for a second layout.

    As in the library's preview (`roleplay/ui/widgets/preview.py`): when the time-out banner comes or
    goes, the body's height changes, and Textual asks for another layout of the whole screen (the
    `virtual_size` reactive) and repaints the scrollbars in a frame of their own. The layout that measured
    the new sizes has placed everything already and its frame draws these regions whole, so both extra
    passes are skipped. Pinned to Textual 8.2 (`_size_updated` is internal); tests/ui/test_live_redraw.py
    checks the terminal still gets exactly what a full redraw would show.
    """

    def _size_updated(self, size: Size, virtual_size: Size, container_size: Size, layout: bool = True) -> bool:
        changed: bool = super()._size_updated(size, virtual_size, container_size, layout=False)  # type: ignore[misc]
        if changed and layout:
            for bar in (getattr(self, "_vertical_scrollbar", None), getattr(self, "_horizontal_scrollbar", None)):
                if bar is not None:
                    bar._repaint_required = False
        return changed


class OneLayoutScroll(OneLayout, TextScroll):
    """A scrolling column that is laid out once when its size changes (see `OneLayout`)."""


class ToolList(OptionList):
    """An option list that keeps the highlight when its items are rewritten."""

    DEFAULT_CSS = """
    ToolList { height: auto; max-height: 12; }
    """

    def _size_updated(self, size: Size, virtual_size: Size, container_size: Size, layout: bool = True) -> bool:
        # Every layout of the screen passes here and repaints the scrollbar in a frame of its own, though
        # the bar is unchanged (issue 14: a second frame about 30 ms after a key). Skipped only then.
        bar = self._vertical_scrollbar
        before = (bar.window_virtual_size, bar.window_size, bar.position, bar._repaint_required) if bar else None
        changed = super()._size_updated(size, virtual_size, container_size, layout)
        if bar is not None and bar is self._vertical_scrollbar and before == (bar.window_virtual_size, bar.window_size, bar.position, False):
            bar._repaint_required = False
        return changed

    def set_items(self, items: list[tuple[str, str]]) -> None:
        keep = self.highlighted
        if [o.id for o in self.options] == [k for k, _ in items]:
            # Only the prompts that changed: each replacement clears the list's line cache and redraws it.
            for index, (option, (_key, label)) in enumerate(zip(self.options, items)):
                if option.prompt != plain(label):
                    self.replace_option_prompt_at_index(index, plain(label))
            return
        self.set_options([Option(plain(label), id=key) for key, label in items])
        if items:
            self.highlighted = min(keep or 0, len(items) - 1)


# ----- who is observed (issue 15): checklist ticks are attributed to a participant, and so to their pair -----

NOBODY = "(nobody)"  # the choice that attributes ticks to no one
_OBSERVED: "WeakKeyDictionary[object, str | None]" = WeakKeyDictionary()


def observed(session) -> str | None:
    """Whom the console's ticks are about now: the trainer's choice (f), else whom the last tick was about."""
    if session in _OBSERVED:
        return _OBSERVED[session]
    from roleplay.core import events as ev

    for event in reversed(session.events):
        if isinstance(event.body, (ev.Tick, ev.Untick)):
            return event.body.by if event.body.by in session.participants else None
    return None


def set_observed(session, name: str | None) -> None:
    _OBSERVED[session] = name


def observe_choices(session) -> list[tuple[str, str]]:
    """Who can be observed, as (name, label): everyone but those who fill in the open checklists,
    with their role and pair; then 'nobody in particular'."""
    s = session
    fillers = {s.scenario.checklist(cid).for_role for cid in s.current.checklists} - {None}
    roles = {r.id: s.text(r.name) for r in s.scenario.roles}
    choices = []
    for name in s.participants:
        role = s.roles.get(name)
        if role in fillers:
            continue
        choices.append((name, who_label(s, name, roles.get(role or ""))))
    return choices + [(NOBODY, _("Nobody in particular (ticks not attributed)"))]


def who_label(session, name: str | None, role: str | None = None) -> str:
    """`Ana (Coach, pair 1)`; `nobody in particular` for None."""
    if name is None:
        return _("nobody in particular")
    groups = session.groups
    extra = [role] if role else []
    if len(groups) > 1:
        for number, group in enumerate(groups, 1):
            if name in group:
                extra.append((_("pair {number}") if len(group) == 2 else _("group {number}")).format(number=number))
    return f"{name} ({', '.join(extra)})" if extra else name


def observing_text(session) -> str:
    s = session
    name = observed(s)
    role = None
    if name:
        role = next((s.text(r.name) for r in s.scenario.roles if r.id == s.roles.get(name)), None)
    return _("Observing: {who} · round {round} (f to change)").format(who=who_label(s, name, role), round=s.round_of(s.phase))


# ----- end of who is observed -----


def has_tools(session) -> bool:
    p = session.current
    return bool(p.guesses or p.checklists or p.collection or p.votes or p.ratings or p.show_resources or p.draw)


class ToolsPanel(OneLayoutScroll):
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
            yield Static(plain(_("Guesses · {deck} (Enter to record)").format(deck=s.text(scenario.deck(p.guesses).title))), classes="tool-heading")
            yield ToolList(id="guesses", classes="tool-list")
        for cid in p.checklists:
            checklist = scenario.checklist(cid)
            yield Static(plain(_("Checklist · {title} (Enter ticks, - takes back)").format(title=s.text(checklist.title))), classes="tool-heading")
            yield ToolList(id=f"checklist-{cid}", classes="tool-list checklist")
        if p.checklists:
            yield Static("", id="observing", classes="tool-note")
        if p.collection:
            collection = scenario.collection(p.collection)
            tags = bool(collection.categories) and p.tagging  # tagging: false keeps the categories out of sight
            heading = _("Collection · {title} (c adds, Enter tags)") if tags else _("Collection · {title} (c adds)")
            yield Static(plain(heading.format(title=s.text(collection.title))), classes="tool-heading")
            if collection.prompt:
                yield Static(prose(s.text(collection.prompt)), classes="tool-note")
            yield ToolList(id="entries", classes="tool-list")
            # Issue 15: shown while the list has focus, where E and Del act on the highlighted entry.
            keys = Static(_("E edits, Del takes out the entry (the others keep their numbers)"), id="entry-keys", classes="tool-note")
            keys.display = False
            yield keys
            if tags:
                yield BarChart(_("By category"), id="category-bars")
        for vid in p.votes:
            yield Static(plain(_("Vote · {question} (v to count)").format(question=s.text(scenario.vote(vid).question))), classes="tool-heading")
            yield BarChart(id=f"vote-{vid}")
        if p.ratings:
            yield Static(_("Ratings (k to rate)"), classes="tool-heading")
            yield Static("", id="ratings", classes="tool-block")
        if p.show_resources:
            yield Static(_("Support resources"), classes="tool-heading")
            yield Static("", id="resources", classes="tool-block")

    def on_mount(self) -> None:
        self.refresh_from()

    def on_descendant_focus(self, event) -> None:
        for hint in self.query("#entry-keys"):
            hint.display = getattr(event.widget, "id", None) == "entries"

    def on_descendant_blur(self, event) -> None:
        for hint in self.query("#entry-keys"):
            hint.display = False

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
            update_if_changed(self.query_one("#drawn", Static), plain(_("Card drawn ({deck}): {text}").format(deck=s.text(deck.title), text=text)))
        if p.guesses:
            rows = []
            for name in s.deck_holders(p.guesses):
                tries = s.guesses.get(name, [])
                done = next((g for g in tries if g["outcome"] in ("right", "revealed")), None)
                if done:
                    status = "✓ " + (_("guessed") if done["outcome"] == "right" else _("revealed"))
                else:
                    status = "… " + _("not yet")
                count = ngettext("{count} tries", "{count} tries", len(tries)).format(count=len(tries))
                rows.append((f"guess:{name}", f"{name}: {status} · {count}"))
            self.query_one("#guesses", ToolList).set_items(rows)
        for cid in p.checklists:
            checklist = scenario.checklist(cid)
            who, round_ = observed(s), s.round_of(s.phase)
            rows = []
            for item in checklist.items:
                # The count for whom is observed in this round; all ticks beside it when they differ.
                here, total = s.tick_counts[(cid, item.id, round_, who)], s.ticks[(cid, item.id)]
                rows.append((f"{cid}:{item.id}", f"[{here}] {s.text(item.text)}" + ("  · " + _("{count} in all").format(count=total) if total != here else "")))
            self.query_one(f"#checklist-{cid}", ToolList).set_items(rows)
        if p.checklists:
            update_if_changed(self.query_one("#observing", Static), plain(observing_text(s)))
        if p.collection:
            collection = scenario.collection(p.collection)
            names = {c.id: s.text(c.name) for c in collection.categories}
            rows = []
            for number, entry in enumerate(s.entries.get(p.collection, []), 1):
                if entry.removed:  # it keeps its number, so the numbers after it do not move
                    rows.append((f"entry-out:{number}", f"{number}. " + _("(taken out)")))
                    continue
                label = f"{number}. {entry.text}"
                if entry.category and p.tagging:
                    label += f"  [{names.get(entry.category, entry.category)}]"
                if entry.ratings:
                    label += "  " + ", ".join(f"{k} {v}" for k, v in entry.ratings.items())
                rows.append((f"entry:{number}", label))
            if not s.live_entries(p.collection):
                rows.append(("entry:none", _("(no entries yet: press c to add one)")))
            self.query_one("#entries", ToolList).set_items(rows)
            if collection.categories and p.tagging:
                counts = Counter(e.category for _, e in s.live_entries(p.collection))
                bars = [(names[c.id], counts[c.id]) for c in collection.categories] + [(_("(no category)"), counts[None])]
                self.query_one("#category-bars", BarChart).set_rows(bars)
        for vid in p.votes:
            vote = scenario.vote(vid)
            counts = s.votes.get(vid, Counter())
            self.query_one(f"#vote-{vid}", BarChart).set_rows([(s.text(o.label), counts[o.id]) for o in vote.options])
        if p.ratings:
            lines = []
            for scale in p.ratings:
                values = [r["value"] for r in s.ratings if r["scale"] == scale.id and r.get("phase") == s.phase]
                avg = _("average {value:.1f}").format(value=sum(values) / len(values)) if values else _("none yet")
                count = ngettext("{count} rating(s)", "{count} rating(s)", len(values)).format(count=len(values))
                lines.append(f"{s.text(scale.label)} ({scale.min}–{scale.max}): {count}, {avg}")
            update_if_changed(self.query_one("#ratings", Static), plain("\n".join(lines)))
        if p.show_resources and not self._resources_asked:
            self._resources_asked = True  # the file does not change during a phase: read it once
            self.run_worker(self._load_resources, thread=True, exclusive=True, group="resources")

    def _load_resources(self) -> None:
        from roleplay.ui.services import support_resources

        found, problem = support_resources(self.country, self.session.language)
        if found is None:
            text = _("No support lines to show: {problem}\nGive the local crisis line by hand.").format(problem=problem)
        else:
            lines = [_("{name} (numbers checked {date}):").format(name=found.name, date=found.checked or _("unknown"))]
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
            if key != "entry:none" and self.session.current.tagging:
                self.post_message(self.Picked("entry", key.split(":", 1)[1]))
        elif key.startswith("entry-out:"):
            self.notify(_("Entry {number} was taken out; the others keep their numbers.").format(number=key.split(":", 1)[1]))
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
        if key.startswith("entry-out:"):
            return ("entry-out", key.split(":", 1)[1])
        return ("tick", key)

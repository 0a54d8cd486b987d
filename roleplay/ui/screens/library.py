"""The library: built-in and local scenarios, search and filters, and a preview.

Files that do not load are listed too, with their `path:line:col` problems.
Scenarios are read in a worker; the screen is usable at once. When the summary cache
(core/library_cache.py) is up to date, the titles are listed from it before the files are read.
"""

from __future__ import annotations

import threading
from collections.abc import Callable

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.reactive import reactive
from textual.screen import Screen
from textual.widgets import Input, OptionList, Select, Static
from textual.widgets.option_list import Option

from roleplay.ui.i18n import _, N_, ngettext
from roleplay.ui.messages import ScenarioChosen
from roleplay.ui.text import plain, plain_text
from roleplay.ui.widgets.footer import CalmFooter
from roleplay.ui.widgets.preview import ScenarioPreview

DURATIONS = [
    (N_("any length"), "any"),
    (N_("up to 30 min"), "30"),
    (N_("up to 1 h"), "60"),
    (N_("up to 1 h 30"), "90"),
    (N_("longer than 1 h 30"), "long"),
]


def matches(entry, query: str, duration: str, size: str, language: str) -> bool:
    s = entry.result.scenario
    if s is None or not entry.result.ok:
        return not query or query.casefold() in str(entry.path).casefold()
    if query:
        from roleplay.core.text import localize

        haystack = " ".join(
            [s.id, localize(s.title, s.fallback, s.fallback), localize(s.summary, s.fallback, s.fallback)]
            + [localize(s.title, lang, s.fallback) for lang in s.languages]
        ).casefold()
        if not all(word in haystack for word in query.casefold().split()):
            return False
    minutes = s.duration / 60
    if duration == "long" and minutes <= 90:
        return False
    if duration not in ("any", "long") and minutes > int(duration):
        return False
    if size:
        people = int(size)
        if people < s.group_size.min or (s.group_size.max and people > s.group_size.max):
            return False
    if language != "any" and language not in s.languages:
        return False
    return True


class ScenarioList(OptionList):
    """The library's list. Moving the highlight repaints the two options it leaves and reaches; Textual's
    OptionList repaints every line, which delayed the preview of each key by a third (issue 14)."""

    highlighted: reactive[int | None] = reactive(None, repaint=False)

    def watch_highlighted(self, old: int | None, new: int | None) -> None:
        super().watch_highlighted(new)
        first_lines, heights = self._index_to_line, self._heights
        for index in {old, new} - {None}:
            if index in first_lines:
                self.refresh_lines(first_lines[index], heights[index])


class LibraryScreen(Screen):
    BINDINGS = [
        Binding("enter", "choose", N_("Set up session"), priority=False),
        Binding("slash", "search", N_("Search")),
        Binding("f5", "reload", N_("Reload")),
        Binding("ctrl+o", "sessions", N_("Past sessions")),
        Binding("p", "print_script", N_("Trainer's script (print)")),
        Binding("escape", "clear_search", N_("Clear search"), show=False),
    ]

    def __init__(self, *, wait_until_seen: bool = False) -> None:
        super().__init__()
        # `roleplay run SCENARIO`: the scenario's set-up is shown over the library at once, so the
        # filters, the preview and reading every scenario wait until the trainer comes back to it.
        self.waiting = wait_until_seen
        self._resumes = 0
        self.entries: list = []
        self.shown: list = []
        self.loaded = False
        self.complete = False  # the filters and the preview are mounted (just after the first frame)
        self._listed: list[str] = []  # ids of the early list from the summary cache, until the files are read

    def compose(self) -> ComposeResult:
        # The first frame has the list (focused, usable at once) and the key bar; the filters and the
        # preview are mounted right after it is drawn, and the scenarios are read after that.
        yield Static(_("Scenario library"), id="screen-title")
        yield Horizontal(id="library-filters")
        with Horizontal(id="library-body"):
            with Vertical(id="library-list-box"):
                yield ScenarioList(Option(_("Loading scenarios…"), id="loading", disabled=True), id="library-list")
                yield Static("", id="library-count")
        yield CalmFooter(compact=True)

    def on_screen_resume(self) -> None:
        use_language = getattr(self.app, "use_language", None)
        if use_language is not None:
            use_language(None)  # back from a session or its set-up: the app's default language
        self._resumes += 1
        if self._resumes > 1:  # seen again, after a screen over it: not its first showing
            self.show_everything()

    def on_mount(self) -> None:
        self.query_one("#library-list", OptionList).focus()
        if not self.waiting:
            self.call_after_refresh(self._mount_rest)

    def show_everything(self) -> None:
        """The filters, the preview and the scenarios, for a library that was waiting to be seen."""
        if self.waiting:
            self.waiting = False
            self.run_worker(self._mount_rest, group="library-rest")

    _rest_mounted = False

    async def _mount_rest(self) -> None:
        from textual.widget import MountError

        if self._rest_mounted:
            return
        self._rest_mounted = True
        try:
            await self.query_one("#library-filters").mount_all(
                [
                    Input(placeholder=_("Search (/)"), id="search"),
                    Select([(_(label), value) for label, value in DURATIONS], value="any", allow_blank=False, id="duration", prompt=_("Length")),
                    Input(placeholder=_("Group size"), id="size", restrict=r"[0-9]*", max_length=3),
                    Select([(_("any language"), "any")], value="any", allow_blank=False, id="language"),
                ]
            )
            await self.query_one("#library-body").mount(ScenarioPreview(id="preview"))
        except MountError:
            return  # the app is closing already
        self.complete = True
        # Reading the scenarios (pydantic, YAML) holds the GIL for a while: start it once all is drawn.
        self.action_reload()

    def action_reload(self) -> None:
        if not self.complete:
            return  # _mount_rest reads them as soon as the screen is complete
        self.run_worker(self._discover, thread=True, exclusive=True, group="library")

    def _discover(self) -> None:
        from roleplay.core.library import discover, listing

        if not self.loaded:
            # The titles from the summary cache first (no pydantic, a few ms): the list is there at once,
            # and the preview, filters and count follow when the files are read.
            rows = listing()
            if rows is not None:
                drawn = threading.Event()
                self.app.call_from_thread(self.show_listing, rows, drawn.set)
                drawn.wait(2.0)  # reading the files holds the GIL: let the list be drawn first
        entries = discover(remember=True)
        self.app.call_from_thread(self.show_entries, entries)

    def show_listing(self, rows: list, drawn: Callable[[], object]) -> None:
        """The valid scenarios' titles, before the files are read (files with errors are listed once they are)."""
        self.call_after_refresh(drawn)
        if self.loaded:
            return
        from roleplay.core.text import localize

        self._listed = [row["id"] for row in rows if row["ok"]]
        options = [
            Option(plain(f"{localize(row['titles'], row['fallback'], row['fallback'])}  ·  "
                         + _("{minutes} min").format(minutes=round(row["duration"] / 60)) + f"  ·  {row['source']}"),
                   id=f"listed-{n}")
            for n, row in enumerate(r for r in rows if r["ok"])
        ]
        listing = self.query_one("#library-list", OptionList)
        listing.set_options(options)
        if options:
            listing.highlighted = 0

    def show_entries(self, entries: list) -> None:
        listing = self.query_one("#library-list", OptionList)
        moved = self._listed[listing.highlighted] if self._listed and listing.highlighted else None
        self._listed = []
        self.entries = entries
        self.loaded = True
        languages = sorted({lang for e in entries if e.result.scenario for lang in e.result.scenario.languages})
        select = self.query_one("#language", Select)
        current = select.value
        select.set_options([(_("any language"), "any")] + [(plain_text(lang), lang) for lang in languages])
        select.value = current if current in languages else "any"
        self.apply_filters()
        if moved is not None:  # the trainer moved along the early list: stay on that scenario
            ids = [e.id for e in self.shown]
            if moved in ids:
                listing.highlighted = ids.index(moved)

    def apply_filters(self) -> None:
        if not self.loaded:
            return
        from roleplay.core.text import localize

        query = self.query_one("#search", Input).value.strip()
        duration = str(self.query_one("#duration", Select).value)
        size = self.query_one("#size", Input).value.strip()
        language = str(self.query_one("#language", Select).value)
        self.shown = [e for e in self.entries if matches(e, query, duration, size, language)]
        options = []
        for n, entry in enumerate(self.shown):
            s = entry.result.scenario
            if s is not None and entry.result.ok:
                lang = language if language != "any" else s.fallback
                label = f"{localize(s.title, lang, s.fallback)}  ·  " + _("{minutes} min").format(minutes=round(s.duration / 60)) + f"  ·  {entry.source}"
            else:
                errors = sum(p.severity == "error" for p in entry.result.problems)
                label = f"✗ {entry.path.name} · " + ngettext("{count} error(s)", "{count} error(s)", errors).format(count=errors) + f" · {entry.source}"
            options.append(Option(plain(label), id=str(n)))
        listing = self.query_one("#library-list", OptionList)
        listing.set_options(options)
        invalid = sum(1 for e in self.entries if not e.result.ok)
        count = _("{shown} of {total} shown").format(shown=len(self.shown), total=len(self.entries))
        if invalid:
            count += " · " + ngettext("{count} invalid file(s) listed with ✗", "{count} invalid file(s) listed with ✗", invalid).format(count=invalid)
        self.query_one("#library-count", Static).update(count)
        if options:
            listing.highlighted = 0
            self.preview(0)

    def preview(self, index: int) -> None:
        if not 0 <= index < len(self.shown):
            return
        entry = self.shown[index]
        preview = self.query_one(ScenarioPreview)
        language = str(self.query_one("#language", Select).value)
        if entry.result.ok:
            preview.show_scenario(entry.result.scenario, None if language == "any" else language)
        else:
            preview.show_problems(entry.result.path, entry.result.problems)

    def on_option_list_option_highlighted(self, event: OptionList.OptionHighlighted) -> None:
        if event.option.id and event.option.id.isdigit():
            self.preview(int(event.option.id))

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if event.option.id and event.option.id.isdigit():
            self.choose(int(event.option.id))

    def on_input_changed(self, event: Input.Changed) -> None:
        self.apply_filters()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        if event.input.id == "search" and len(self.shown) == 1:
            self.choose(0)  # Enter on a search with one match opens it (an invalid file says why it cannot)
            return
        self.query_one("#library-list", OptionList).focus()

    def on_select_changed(self, event: Select.Changed) -> None:
        self.apply_filters()

    def action_search(self) -> None:
        if self.complete:
            self.query_one("#search", Input).focus()

    def action_clear_search(self) -> None:
        if not self.complete:
            return
        search = self.query_one("#search", Input)
        if search.value:
            search.value = ""
        self.query_one("#library-list", OptionList).focus()

    def action_choose(self) -> None:
        listing = self.query_one("#library-list", OptionList)
        if listing.highlighted is not None:
            self.choose(listing.highlighted)

    def choose(self, index: int) -> None:
        if not 0 <= index < len(self.shown):
            return
        entry = self.shown[index]
        if not entry.result.ok:
            self.notify(_("{file} has errors: fix them first (they are listed on the right).").format(file=entry.path.name), severity="warning")
            return
        self.post_message(ScenarioChosen(entry.path, entry.result.scenario))

    def action_sessions(self) -> None:
        self.app.action_sessions()

    def action_print_script(self) -> None:
        """Save the highlighted scenario's printable trainer's script (for running on one shared screen)."""
        listing = self.query_one("#library-list", OptionList)
        index = listing.highlighted
        if index is None or not 0 <= index < len(self.shown) or not self.shown[index].result.ok:
            self.notify(_("Highlight a valid scenario first."), severity="warning")
            return
        scenario = self.shown[index].result.scenario
        language = str(self.query_one("#language", Select).value)
        language = language if language in scenario.languages else None
        self.run_worker(lambda: self._save_script(scenario, language), thread=True, group="print-script")

    def _save_script(self, scenario, language: str | None) -> None:
        from roleplay.core.safe_write import WriteError, write_new_file
        from roleplay.core.settings import private_dir, trainer_scripts_dir
        from roleplay.pages.trainer_script import trainer_script_html

        try:
            folder = private_dir(trainer_scripts_dir())
            target = folder / f"{scenario.id}-{language or scenario.fallback}.html"
            write_new_file(target, trainer_script_html(scenario, language).encode("utf-8"), force=True)
        except (OSError, WriteError) as exc:
            self.app.call_from_thread(self.notify, _("Could not save the trainer's script: {error}").format(error=exc), severity="error", timeout=15)
            return
        self.app.call_from_thread(
            self.notify,
            _("Trainer's script saved: {path}\nOpen it in a browser to print it. It is for your eyes only.").format(path=target),
            timeout=20,
        )

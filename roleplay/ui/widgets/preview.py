"""A scenario's preview in the library: summary, roles, phases and content notes."""

from __future__ import annotations

from textual.geometry import Size
from textual.widgets import Static

from roleplay.ui.i18n import _, ngettext
from roleplay.ui.text import minutes_text, plain, reflow
from roleplay.ui.widgets.scroll import TextScroll


def describe(scenario, language: str | None = None) -> dict[str, str]:
    from roleplay.core.text import localize

    lang = language or scenario.fallback

    def t(value) -> str:
        return reflow(localize(value, lang, scenario.fallback))

    size = f"{scenario.group_size.min}–{scenario.group_size.max}" if scenario.group_size.max else f"{scenario.group_size.min}+"
    facts = _("{duration} · {size} people · languages: {languages}").format(
        duration=minutes_text(scenario.duration), size=size, languages=", ".join(scenario.languages)
    )
    roles = "\n".join(
        f"• {t(r.name)}" + (f" ({r.count})" if r.count not in (1, "each") else " " + _("(everyone)") if r.count == "each" else "")
        + (f": {t(r.description)}" if r.description else "")
        for r in scenario.roles
    )
    phases = "\n".join(
        f"{n}. {t(p.title)} [{p.kind}]" + (f" · {minutes_text(p.timer.duration)}" if p.timer else "")
        for n, p in enumerate(scenario.phases.values(), 1)
    )
    notes = "\n".join(f"• {t(n)}" for n in scenario.content_notes) or _("None given.")
    if scenario.opt_out:
        notes += "\n\n" + _("Opting out: {text}").format(text=t(scenario.opt_out))
    return {"title": t(scenario.title), "facts": facts, "summary": t(scenario.summary), "roles": roles, "phases": phases, "notes": notes}


# One highlight change in the library costs one layout and one frame (issue 14). Textual, after a layout
# that changed a widget's height or scroll extent, asks for a second layout (the `virtual_size` reactive)
# and repaints the preview's scrollbar in a frame of its own: the same preview drawn again about 35 ms
# later. The layout that measured the new sizes has placed everything already, and its frame has drawn
# the preview and its scrollbar whole (a changed scroll extent marks the preview's region, scrollbar
# included, for redrawing), so both extra passes are skipped here. A change in whether the scrollbar is
# shown still lays the preview out again (`show_vertical_scrollbar` asks for that). Pinned to Textual
# 8.2 (`_size_updated` is internal); tests/ui/test_library_redraw.py checks the terminal still gets
# exactly what a full redraw would show.


class PreviewText(Static):
    """A part of the preview; a change in its size never needs a second layout."""

    def _size_updated(self, size: Size, virtual_size: Size, container_size: Size, layout: bool = True) -> bool:
        return super()._size_updated(size, virtual_size, container_size, layout=False)


class ScenarioPreview(TextScroll):
    DEFAULT_CSS = """
    ScenarioPreview > .preview-heading { text-style: bold; color: $primary; margin-top: 1; }
    ScenarioPreview > #preview-title { text-style: bold; }
    """

    def compose(self):
        yield PreviewText("", id="preview-title")
        yield PreviewText("", id="preview-facts")
        yield PreviewText("", id="preview-summary")
        yield PreviewText(_("Content notes"), classes="preview-heading")
        yield PreviewText("", id="preview-notes")
        yield PreviewText(_("Roles"), classes="preview-heading")
        yield PreviewText("", id="preview-roles")
        yield PreviewText(_("Phases"), classes="preview-heading")
        yield PreviewText("", id="preview-phases")

    def _size_updated(self, size: Size, virtual_size: Size, container_size: Size, layout: bool = True) -> bool:
        changed = super()._size_updated(size, virtual_size, container_size, layout=False)
        if changed and layout:
            # Called from a full layout, whose frame draws this whole region with the scrollbars as they
            # are now (see above): their own repaint request would only draw them again a frame later.
            for bar in (self._vertical_scrollbar, self._horizontal_scrollbar):
                if bar is not None:
                    bar._repaint_required = False
        return changed

    def show_scenario(self, scenario, language: str | None = None) -> None:
        info = describe(scenario, language)
        self.query_one("#preview-title", Static).update(plain(info["title"]))
        self.query_one("#preview-facts", Static).update(plain(info["facts"]))
        self.query_one("#preview-summary", Static).update(plain(info["summary"]))
        self.query_one("#preview-notes", Static).update(plain(info["notes"]))
        self.query_one("#preview-roles", Static).update(plain(info["roles"]))
        self.query_one("#preview-phases", Static).update(plain(info["phases"]))
        self.scroll_home(animate=False, immediate=True)  # now, so the coming layout draws the top at once

    def show_problems(self, path: str, problems: list) -> None:
        self.query_one("#preview-title", Static).update(plain(_("Cannot be used: {path}").format(path=path)))
        self.query_one("#preview-facts", Static).update(
            plain(ngettext("{count} problem(s). Fix the file and it reloads.", "{count} problem(s). Fix the file and it reloads.", len(problems)).format(count=len(problems)))
        )
        self.query_one("#preview-summary", Static).update(plain("\n".join(str(p) for p in problems)))
        for name in ("notes", "roles", "phases"):
            self.query_one(f"#preview-{name}", Static).update("")
        self.scroll_home(animate=False, immediate=True)

"""A scenario's preview in the library: summary, roles, phases and content notes."""

from __future__ import annotations

from textual.containers import VerticalScroll
from textual.widgets import Static

from roleplay.ui.i18n import _, ngettext
from roleplay.ui.text import minutes_text, plain, reflow


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


class ScenarioPreview(VerticalScroll):
    DEFAULT_CSS = """
    ScenarioPreview > .preview-heading { text-style: bold; color: $primary; margin-top: 1; }
    ScenarioPreview > #preview-title { text-style: bold; }
    """

    def compose(self):
        yield Static("", id="preview-title")
        yield Static("", id="preview-facts")
        yield Static("", id="preview-summary")
        yield Static(_("Content notes"), classes="preview-heading")
        yield Static("", id="preview-notes")
        yield Static(_("Roles"), classes="preview-heading")
        yield Static("", id="preview-roles")
        yield Static(_("Phases"), classes="preview-heading")
        yield Static("", id="preview-phases")

    def show_scenario(self, scenario, language: str | None = None) -> None:
        info = describe(scenario, language)
        self.query_one("#preview-title", Static).update(plain(info["title"]))
        self.query_one("#preview-facts", Static).update(plain(info["facts"]))
        self.query_one("#preview-summary", Static).update(plain(info["summary"]))
        self.query_one("#preview-notes", Static).update(plain(info["notes"]))
        self.query_one("#preview-roles", Static).update(plain(info["roles"]))
        self.query_one("#preview-phases", Static).update(plain(info["phases"]))
        self.scroll_home(animate=False)

    def show_problems(self, path: str, problems: list) -> None:
        self.query_one("#preview-title", Static).update(plain(_("Cannot be used: {path}").format(path=path)))
        self.query_one("#preview-facts", Static).update(
            plain(ngettext("{count} problem(s). Fix the file and it reloads.", "{count} problem(s). Fix the file and it reloads.", len(problems)).format(count=len(problems)))
        )
        self.query_one("#preview-summary", Static).update(plain("\n".join(str(p) for p in problems)))
        for name in ("notes", "roles", "phases"):
            self.query_one(f"#preview-{name}", Static).update("")
        self.scroll_home(animate=False)

"""Small helpers for showing text from scenarios safely (never as markup).

Textual reads a plain `str` given to a widget (Static, Label, an option, a border title, a
notification) as content markup: `[b` in a title, `[/]` in a name or `[@click=app.quit]` in a
note would then crash the app or run an action. So every text that comes from a scenario, a
participant or a note reaches the screen through one of these, which Textual shows as written:

- `plain` / `prose`: a `Content` for Static, Label, OptionList options and border titles;
- `plain_text`: a Rich `Text`, where a widget wants one (Select: its type-to-search reads Text);
- `PlainNotifications`: an App whose notifications are never markup.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from rich.text import Text
from textual.content import Content
from textual.notifications import SeverityLevel

from roleplay.ui.i18n import _

if TYPE_CHECKING:
    from textual.widgets import Static


def plain(text: str | None) -> Content:
    """Scenario and participant text as-is: brackets in it are never read as markup."""
    return Content(text or "")


def update_if_changed(widget: Static, content: object) -> None:
    """`Static.update` only when the text differs: each update lays the screen out and redraws the
    widget, though a refresh after a key or a timer's tick mostly finds the same texts."""
    if widget.content != content:
        widget.update(content)  # type: ignore[arg-type]


def plain_text(text: str | None) -> Text:
    """The same as a Rich `Text` (for widgets such as Select that search their labels' text)."""
    return Text(text or "")


class PlainNotifications:
    """Mix into an App: notifications show their message as written, never as markup.

    They name people, scenario texts, paths and error messages; none of the app's own
    notifications uses markup. Widgets' and screens' `notify` end here too.
    """

    def notify(self, message: str, *, title: str = "", severity: SeverityLevel = "information",
               timeout: float | None = None, markup: bool = False) -> None:
        super().notify(message, title=title, severity=severity, timeout=timeout, markup=False)  # type: ignore[misc]


def clock_text(seconds: float | None) -> str:
    if seconds is None:
        return "--:--"
    seconds = max(0, int(round(seconds)))
    hours, rest = divmod(seconds, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes:02d}:{secs:02d}"


def minutes_text(seconds: int) -> str:
    minutes = round(seconds / 60)
    if minutes >= 60:
        return _("{hours} h {minutes:02d} min").format(hours=minutes // 60, minutes=minutes % 60)
    return _("{minutes} min").format(minutes=minutes)


_LIST_ITEM = re.compile(r"^(\s*)(?:[-•*]|\d+[.)])\s+\S")


def reflow(text: str | None) -> str:
    """Scenario prose without the hard line breaks of its YAML block: lines of a paragraph are joined.

    - a blank line is a paragraph break (several count as one);
    - a list item (a line starting with `-`, `•`, `*`, `1.` or `1)`) starts its own line; a line
      indented under it (a hanging indent, as when the item was wrapped by hand) continues it;
    - any other indented line (a quote, a layout the author meant) keeps its own line, as it is;
    - a short line (well under the block's longest) was ended on purpose, like a heading or a line
      of group text: the next line starts afresh. Only lines wrapped near the block's width are joined.
    Leading and trailing blank lines go.
    """
    if not text:
        return ""
    lines = text.expandtabs(4).splitlines()
    wrap_width = max((len(line.rstrip()) for line in lines), default=0)
    short = min(60, int(wrap_width * 0.6))
    previous_len = 0
    out: list[str] = []
    kind = ""  # "" (start or after a break), "para", "item", "indented"
    marker_indent = 0
    for raw in lines:
        line = raw.rstrip()
        if not line.strip():
            if out and out[-1] != "":
                out.append("")
            kind = ""
            continue
        indent = len(line) - len(line.lstrip())
        item = _LIST_ITEM.match(line)
        if item:
            out.append(line)
            kind, marker_indent = "item", len(item.group(1))
        elif kind == "item" and indent > marker_indent:
            out[-1] += " " + line.strip()
        elif indent:
            out.append(line)
            kind = "indented"
        elif kind == "para" and previous_len > short:
            out[-1] += " " + line
        else:
            out.append(line)
            kind = "para"
        previous_len = len(line)
    while out and out[-1] == "":
        out.pop()
    return "\n".join(out)


def prose(text: str | None) -> Content:
    """Scenario prose, reflowed and shown as-is (never markup)."""
    return Content(reflow(text))


def as_written(text: str | None) -> str:
    """A group text's lines as the author wrote them, for the room's view.

    Group texts are written line by line for the big screen ("Sit face to face." / "Observers: a
    little to the side."), so unlike scripts they are never reflowed: every line break and list item
    stays. Only layout noise goes: trailing spaces, the block's common indent, runs of blank lines
    (one is kept) and blank lines at either end.
    """
    if not text:
        return ""
    import textwrap

    lines = textwrap.dedent("\n".join(line.rstrip() for line in text.expandtabs(4).splitlines())).splitlines()
    out: list[str] = []
    for line in lines:
        if line or (out and out[-1]):
            out.append(line)
    while out and not out[-1]:
        out.pop()
    return "\n".join(out)


def group_prose(text: str | None) -> Content:
    """A group text for the room: the author's lines as written, never markup."""
    return Content(as_written(text))

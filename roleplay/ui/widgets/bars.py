"""Horizontal bar charts drawn with text: the number is always printed beside the bar."""

from __future__ import annotations

from textual.content import Content
from textual.widgets import Static

from roleplay.ui.i18n import _
from roleplay.ui.text import update_if_changed


def bar_lines(rows: list[tuple[str, int]], width: int = 24, label_width: int = 28) -> str:
    if not rows:
        return _("(nothing yet)")
    top = max((v for _, v in rows), default=0) or 1
    lines = []
    for label, value in rows:
        label = label if len(label) <= label_width else label[: label_width - 1] + "…"
        filled = round(width * value / top)
        lines.append(f"{label.ljust(label_width)} {'█' * filled}{'·' * (width - filled)} {value}")
    return "\n".join(lines)


class BarChart(Static):
    """A titled bar chart; `set_lines` shows lines of text instead (free-text answers).

    It is redrawn at every resize (the bars fit the width), so what it shows is kept here, not
    only in the widget's content.
    """

    DEFAULT_CSS = """
    BarChart { height: auto; padding: 0 1; }
    """

    def __init__(self, title: str = "", rows: list[tuple[str, int]] | None = None, **kwargs) -> None:
        super().__init__("", **kwargs)
        self.chart_title = title
        self.rows = rows or []
        self.lines: list[str] | None = None  # shown instead of the bars when set

    def on_mount(self) -> None:
        self.draw()

    def on_resize(self) -> None:
        self.draw()

    def set_rows(self, rows: list[tuple[str, int]]) -> None:
        self.rows = rows
        self.lines = None
        self.draw()

    def set_lines(self, lines: list[str]) -> None:
        self.lines = lines
        self.draw()

    def draw(self) -> None:
        if self.lines is not None:
            body = "\n".join(self.lines)
        else:
            rows = self.rows
            total = (self.size.width or 60) - 2
            label_width = max(6, min(28, total // 2, max((len(label) for label, _ in rows), default=6)))
            width = max(4, min(30, total - label_width - 6))
            body = bar_lines(rows, width=width, label_width=label_width)
        update_if_changed(self, Content("\n".join(part for part in (self.chart_title, body) if part)))

"""Horizontal bar charts drawn with text: the number is always printed beside the bar."""

from __future__ import annotations

from textual.content import Content
from textual.widgets import Static


def bar_lines(rows: list[tuple[str, int]], width: int = 24, label_width: int = 28) -> str:
    if not rows:
        return "(nothing yet)"
    top = max((v for _, v in rows), default=0) or 1
    lines = []
    for label, value in rows:
        label = label if len(label) <= label_width else label[: label_width - 1] + "…"
        filled = round(width * value / top)
        lines.append(f"{label.ljust(label_width)} {'█' * filled}{'·' * (width - filled)} {value}")
    return "\n".join(lines)


class BarChart(Static):
    DEFAULT_CSS = """
    BarChart { height: auto; padding: 0 1; }
    """

    def __init__(self, title: str = "", rows: list[tuple[str, int]] | None = None, **kwargs) -> None:
        super().__init__("", **kwargs)
        self.chart_title = title
        self.rows = rows or []

    def on_mount(self) -> None:
        self.set_rows(self.rows)

    def on_resize(self) -> None:
        self.set_rows(self.rows)

    def set_rows(self, rows: list[tuple[str, int]]) -> None:
        self.rows = rows
        total = (self.size.width or 60) - 2
        label_width = max(6, min(28, total // 2, max((len(label) for label, _ in rows), default=6)))
        width = max(4, min(30, total - label_width - 6))
        body = bar_lines(rows, width=width, label_width=label_width)
        text = f"{self.chart_title}\n{body}" if self.chart_title else body
        self.update(Content(text))

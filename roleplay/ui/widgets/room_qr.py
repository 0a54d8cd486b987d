"""The room's address as a QR code drawn in the terminal, two modules a line with half blocks.

segno builds the matrix; the drawing is ours so it fits a Static: plain characters (never markup)
in black on white whatever the theme, because phone cameras read dark modules on a light ground.
"""

from __future__ import annotations

from rich.text import Text
from textual.widgets import Static

QUIET_ZONE = 4  # modules of light margin around the code, as the QR standard asks
# (top module dark, bottom module dark) -> the character; the foreground (black) is a dark module.
HALF_BLOCKS = {(True, True): "█", (True, False): "▀", (False, True): "▄", (False, False): " "}
QR_STYLE = "#000000 on #ffffff"


def qr_text(url: str) -> str:
    """The QR code of `url` as lines of half blocks (dark modules are the drawn part)."""
    import segno

    code = segno.make_qr(url, error="m")  # a full QR code: phones do not read Micro QR
    rows = [[bool(module) for module in row] for row in code.matrix_iter(border=QUIET_ZONE)]
    if len(rows) % 2:
        rows.append([False] * len(rows[0]))
    return "\n".join(
        "".join(HALF_BLOCKS[(top, bottom)] for top, bottom in zip(upper, lower))
        for upper, lower in zip(rows[0::2], rows[1::2])
    )


class RoomQR(Static):
    """Shows `qr_text(url)`; empty and hidden without a URL."""

    DEFAULT_CSS = """
    RoomQR { width: auto; height: auto; display: none; }
    """

    _url: str | None = None

    def show(self, url: str | None) -> None:
        if url == self._url:
            return  # drawn already: the panel redraws on every change in the room
        self._url = url
        self.display = bool(url)
        self.update(Text(qr_text(url), style=QR_STYLE, no_wrap=True) if url else "")

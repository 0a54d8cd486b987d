"""What the app's start and the live screen's countdown must not cost again (issue 14, bench/profile_ui.py)."""

from __future__ import annotations

import subprocess
import sys

from roleplay.ui.widgets.countdown import Countdown


def test_the_app_module_loads_no_pydantic_models_nor_markdown() -> None:
    # The library is drawn before any of these is needed: the commands' pydantic models (a session),
    # markdown-it (the key panel, `?`). Each cost a tenth of a second or more of the first frame.
    code = (
        "import sys, roleplay.ui.app; "
        "print(' '.join(m for m in ('pydantic', 'markdown_it', 'roleplay.core.commands', 'roleplay.core.model') if m in sys.modules))"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=True)
    assert done.stdout.strip() == ""


class _Counted(Countdown):
    def __init__(self) -> None:
        super().__init__()
        self.layouts: list[bool] = []

    def update(self, content="", *, layout: bool = True) -> None:
        self.layouts.append(layout)
        super().update(content, layout=layout)


def test_a_countdown_tick_redraws_without_a_layout() -> None:
    countdown = _Counted()
    countdown.show(300)  # first text: the width is new
    countdown.show(299)  # a tick: same state, same width
    countdown.show(299)  # nothing changed: nothing drawn
    countdown.show(299, paused=True)  # a new state (and width)
    countdown.show(60)  # back to running, then warned: each a new state
    assert countdown.layouts == [True, False, True, True]
    assert str(countdown.content) == "⚠ 01:00 left · nearly time"

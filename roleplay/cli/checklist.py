"""`checklist`: the trainer's checklist before the first exercise of the day (core/pre_session.py)."""

from __future__ import annotations

import argparse
import textwrap
from typing import Any

from roleplay.cli.errors import EXIT_OK
from roleplay.cli.output import out
from roleplay.cli.parser import add_command
from roleplay.core.i18n import _


def cmd_checklist(args: argparse.Namespace) -> int:
    from roleplay.core.pre_session import CHECKLIST

    out(_("Before the first session today:"))
    for check in CHECKLIST:
        out("")
        out(f"[ ] {check.title}")
        for line in textwrap.wrap(str(check.text), 76):
            out(f"    {line}")
    return EXIT_OK


def register(sub: Any) -> None:
    add_command(sub, "checklist", cmd_checklist, help=_("the trainer's checklist before the first session of the day"),
                description=_("Print the trainer's checklist before the first session of the day: the room, group rules, "
                              "no rushing, breaks, confidentiality and the complaint procedure. The app shows it too."))

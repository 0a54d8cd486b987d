"""`roleplay run` and plain `roleplay`: the trainer's app (roleplay.ui; Textual is imported only here, when run)."""

from __future__ import annotations

import argparse
from typing import Any

from roleplay.cli.output import unguarded
from roleplay.cli.parser import PARTICIPANTS_HELP, SCENARIO_HELP, add_command
from roleplay.core.i18n import _
from roleplay.core.settings import COUNTRY_ENV


def cmd_run(args: argparse.Namespace) -> int:
    from roleplay.ui.commands import open_app

    with unguarded():  # the app draws the screen itself
        return int(open_app(args))


def register(sub: Any) -> None:
    p = add_command(
        sub, "run", cmd_run,
        help=_("open the trainer's app (optionally on one scenario, or to rehearse one)"),
        description=(
            _("Open the trainer's terminal app. With SCENARIO it opens that scenario's set-up; "
            "with --rehearse it walks an author through their own file and reloads it when saved.")
        ),
    )
    p.add_argument("scenario", nargs="?", metavar="SCENARIO", help=SCENARIO_HELP)
    p.add_argument("--rehearse", action="store_true", help=_("walk through the scenario; reload and show errors when the file is saved"))
    p.add_argument("--participants", help=PARTICIPANTS_HELP)
    p.add_argument("--seed", type=int, default=None, help=_("seed for dealing roles and cards"))
    p.add_argument("--language", help=_("one of the scenario's languages"))
    p.add_argument("--theme", help=_("roleplay-calm (default), high-contrast, or any Textual theme; F2 switches"))
    p.add_argument("--out", metavar="DIR", help=_("folder for session folders (default: ./recordings in a checkout)"))
    p.add_argument("--camera", default="0", metavar="SOURCE",
                   help=_("what to film when recording is switched on in the set-up: a camera number (default 0), a video file, or synthetic"))
    p.add_argument("--audio", default="default", choices=["default", "none", "synthetic"],
                   help=_("room sound for recordings: the default microphone, none, or a synthetic tone (for trying things out)"))
    screen = p.add_mutually_exclusive_group()
    screen.add_argument("--shown-to-group", dest="projected", action="store_const", const=True, default=None,
                        help=_("this screen is the room's (a mirrored projector): the script, notes and briefs stay behind a key"))
    screen.add_argument("--own-screen", dest="projected", action="store_const", const=False,
                        help=_("this screen is only the trainer's (the room sees another display): everything in place"))
    p.add_argument("--country", metavar="CC",
                   help=_("support lines shown at the end of hard exercises (default: the last choice, else ${country_env}, else GB)").format(country_env=COUNTRY_ENV))

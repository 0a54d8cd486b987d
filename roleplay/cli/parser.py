"""The `roleplay` argument parser, built from one module per group of commands.

Building it imports only argparse and the small command modules: what a
command needs (pydantic, textual, cv2, av) is imported when it runs.
"""

from __future__ import annotations

import argparse
import sys
from typing import Any, Callable, NoReturn

from roleplay.cli.errors import EXIT_USAGE
from roleplay.cli.output import ERROR_PREFIX
from roleplay.core.i18n import N_, _
from roleplay.core.printable import printable

Handler = Callable[[argparse.Namespace], int]

# Shared help texts, translated when the help is shown (N_: a LazyText).
SCENARIO_HELP = N_("an id (built-in or under ./scenarios) or a path")
PARTICIPANTS_HELP = N_('names separated by commas ("Ana,Ben,Cleo") or a number')
SESSION_HELP = N_("a session folder, its name under the recordings folder, the start of its name, "
                  "or 'last' for the newest")
ROOT_HELP = N_("recordings folder where SESSION names are looked up (default: $ROLEPLAY_RECORDINGS, ./recordings, "
               "else the user's data folder)")
FORCE_HELP = N_("overwrite an existing output file outside a session folder")


class Parser(argparse.ArgumentParser):
    """argparse with the program's error style: the usage line, then `roleplay: error: ...`, exit 2."""

    def error(self, message: str) -> NoReturn:
        self.print_usage(sys.stderr)
        command = self.prog.partition(" ")[2]
        where = f"{command}: " if command else ""
        self.exit(EXIT_USAGE, f"{ERROR_PREFIX}{where}{printable(message)}\n")


def add_command(sub: Any, name: str, handler: Handler, **kwargs: Any) -> Parser:
    """A subcommand whose handler receives the parsed arguments (and its own parser, for usage errors)."""
    parser: Parser = sub.add_parser(name, **kwargs)
    parser.set_defaults(handler=handler, command_parser=parser)
    return parser


# The module (roleplay/cli/<group>.py) that registers each command. `roleplay list` builds and imports only
# its own group's parser, not the twenty-odd commands' (a sixth of a quick command's time, mostly argparse
# looking up its own translations for every option). tests/test_cli.py checks this against the modules.
COMMAND_GROUPS = {
    "list": "scenarios", "validate": "scenarios", "graph": "scenarios", "script": "scenarios", "new": "scenarios",
    "play": "play", "cards": "play",
    "sessions": "sessions", "report": "sessions", "delete": "sessions", "prune": "sessions",
    "course": "course",
    "checklist": "checklist",
    "record": "video", "replay": "video", "clip": "video", "camera": "video",
    "run": "app",
}
GROUPS = ("scenarios", "play", "sessions", "course", "checklist", "video", "app")  # the order of `roleplay --help`


def build_parser(command: str | None = None) -> Parser:
    """The whole parser; with a known `command`, one that knows only that command's group (the same
    parser for it)."""
    import importlib

    parser = Parser(
        prog="roleplay",
        description=_("Psychodrama role-play trainer. Without a command, opens the trainer's app."),
        epilog=_("Every command has --help. Errors are printed as 'roleplay: error: ...'; "
               "exit codes: 0 done, 1 bad input or failure, 2 usage, 3 input ended early (play)."),
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=Parser)
    for group in [COMMAND_GROUPS[command]] if command in COMMAND_GROUPS else GROUPS:
        importlib.import_module(f"roleplay.cli.{group}").register(sub)
    return parser

"""The `roleplay` command.

One module per group of commands (scenarios, play, sessions, video, app),
the parser in `parser`, exit codes and errors in `errors`, and every line
printed through `output`. Heavy parts (the UI, video) are imported only when
a command needs them: `roleplay list` loads neither textual, cv2 nor av.

Errors: `roleplay: error: MESSAGE` on standard error; exit 1 for bad input or
a failure, 2 for a usage error, 3 when `play`'s input ends before a final
phase, 130 on ctrl+c. Never a traceback, unless $ROLEPLAY_DEBUG is set.
"""

from __future__ import annotations

import argparse
import os
import sys
from typing import Sequence

from roleplay.cli.errors import EXIT_INTERRUPTED, EXIT_OK, EXIT_USAGE, CliError, UsageError
from roleplay.cli.output import err, guarded
from roleplay.cli.parser import build_parser
from roleplay.core.i18n import _

__all__ = ["build_parser", "main"]


def main(argv: Sequence[str] | None = None) -> int:
    """Run `roleplay ARGV`; returns the exit code."""
    with guarded():
        try:
            return _run(argv)
        except BrokenPipeError:
            _quiet_stdout()  # `roleplay list | head -1`: no "Exception ignored" at exit either
            return EXIT_OK


def _run(argv: Sequence[str] | None) -> int:
    words = list(sys.argv[1:] if argv is None else argv)
    parser = build_parser(words[0] if words and not words[0].startswith("-") else None)
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:  # --help, or a usage error argparse has printed
        return exc.code if isinstance(exc.code, int) else (EXIT_OK if exc.code is None else EXIT_USAGE)
    try:
        if args.command is None:
            return _open_app(parser, args)
        return int(args.handler(args))
    except UsageError as exc:
        args.command_parser.print_usage(sys.stderr)
        command = args.command_parser.prog.partition(" ")[2]
        return err(f"{command}: {exc.message}", exc.code)
    except CliError as exc:
        return err(exc.message, exc.code)
    except KeyboardInterrupt:
        return err(_("interrupted"), EXIT_INTERRUPTED)
    except BrokenPipeError:
        raise
    except OSError as exc:
        if _debug():
            raise
        where = f"{exc.filename}: " if exc.filename else ""
        return err(f"{where}{exc.strerror or exc}")
    except Exception as exc:  # noqa: BLE001 - a bug must still end with one clear line
        if _debug():
            raise
        return err(_("unexpected {kind}: {exc} (this is a bug; please report it, and set ROLEPLAY_DEBUG=1 to see where it happened)").format(kind=type(exc).__name__, exc=exc))


def _open_app(parser: argparse.ArgumentParser, args: argparse.Namespace) -> int:
    try:
        import roleplay.ui  # noqa: F401 - a build without the UI prints the help instead
    except ModuleNotFoundError:
        parser.print_help()
        return EXIT_OK
    from roleplay.cli.app import cmd_run

    return cmd_run(args)


def _debug() -> bool:
    from roleplay.core.settings import debug

    return debug()


def _quiet_stdout() -> None:
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError, AttributeError):
        pass




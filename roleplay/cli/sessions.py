"""`sessions`, `report`, `delete`, `prune`: past sessions on disk.

The listing and the report are made here; `delete` and `prune` are done in
roleplay.video.commands. Here SESSION and
--root are read, the same way for every command (roleplay.cli.session_arg),
and the parsers are built.
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from roleplay.core.printable import printable

from roleplay.cli.errors import EXIT_OK, CliError
from roleplay.cli.output import note, out, out_lines, warn
from roleplay.cli.parser import FORCE_HELP, ROOT_HELP, SESSION_HELP, add_command
from roleplay.cli.secrets import add_passphrase_file
from roleplay.core.i18n import _, ngettext, set_language


def root_of(args: argparse.Namespace) -> Path:
    """The recordings folder a command works in: --root, else the default (roleplay.core.settings)."""
    from roleplay.core.settings import recordings_root

    return Path(args.root) if getattr(args, "root", None) else recordings_root()


def session_lines(root: Path) -> list[str]:
    """`roleplay sessions`: one line per session folder under `root`, newest first, with its state."""
    from datetime import datetime

    from roleplay.core.sessions import list_sessions

    lines = []
    for info in list_sessions(root):
        when = datetime.fromtimestamp(info.started).strftime("%Y-%m-%d %H:%M")
        people = ngettext("{count} participant", "{count} participants", len(info.participants)).format(
            count=len(info.participants)) if info.participants is not None else "?"
        fields = (info.folder.name, when, info.title or info.scenario, people, info.describe())
        lines.append("  ".join(printable(field) for field in fields))  # a newline in a title stays on its line
    return lines


def cmd_sessions(args: argparse.Namespace) -> int:
    root = root_of(args)
    if root.exists() and not root.is_dir():
        raise CliError(_("{root} is not a folder").format(root=root))
    lines = session_lines(root)
    if not lines:
        out(_("no sessions under {root}").format(root=root))
    for line in lines:
        out(line)
    return EXIT_OK


def cmd_report(args: argparse.Namespace) -> int:
    """The report rebuilt from the session's log; an encrypted log is opened with its passphrase."""
    from roleplay.cli.secrets import log_opener
    from roleplay.cli.session_arg import resolve_session
    from roleplay.core.engine import CommandError, Session
    from roleplay.core.log import LogError
    from roleplay.core.report import to_markdown
    from roleplay.pages.report import report_html

    folder = resolve_session(args.session, root_of(args), command="roleplay report")
    _passphrase, opener = log_opener(args, folder)  # asks only when the session is encrypted
    try:
        session = Session.replay(folder, opener=opener)
    except (LogError, CommandError) as exc:
        raise CliError(str(exc)) from None
    set_language(session.language)  # the report, and what is said about it, in the session's language
    text = report_html(session) if args.format == "html" else to_markdown(session)
    if not args.output or args.output == "-":
        out_lines(text)
        return EXIT_OK
    from roleplay.core.safe_write import WriteError, write_new_file

    try:  # 0600, atomically, never through a link; never over a file inside a session folder
        write_new_file(Path(args.output), text.encode("utf-8"), force=args.force, protected_dirs=(folder,))
    except WriteError as exc:
        raise CliError(str(exc)) from None
    note(_("wrote {output}").format(output=args.output))
    if opener is not None:
        warn(_("{output} is not encrypted, unlike the session it reports on: keep it safe").format(output=args.output))
    return EXIT_OK


def cmd_delete(args: argparse.Namespace) -> int:
    from roleplay.cli.session_arg import resolve_session
    from roleplay.video.commands import delete_command

    args.session = resolve_session(args.session, root_of(args), newest=False)
    return int(delete_command(args))


def cmd_prune(args: argparse.Namespace) -> int:
    from roleplay.video.commands import prune_command

    args.root = root_of(args)
    return int(prune_command(args))


def register(sub: Any) -> None:
    p = add_command(sub, "sessions", cmd_sessions, help=_("list past sessions"),
                    description=_("List past sessions, newest first, and whether each can be resumed."))
    p.add_argument("--root", help=_("recordings folder (default: $ROLEPLAY_RECORDINGS, ./recordings, else the user's data folder)"))

    p = add_command(sub, "report", cmd_report, help=_("write a session report"),
                    description=_("Write a report of a session from its log."))
    p.add_argument("session", metavar="SESSION", help=SESSION_HELP)
    p.add_argument("--format", choices=["md", "html"], default="md")
    p.add_argument("-o", "--output", help=_("file to write (default: standard output)"))
    p.add_argument("--force", action="store_true", help=FORCE_HELP)
    p.add_argument("--root", help=ROOT_HELP)
    add_passphrase_file(p)

    p = add_command(sub, "delete", cmd_delete, help=_("delete a session folder entirely"),
                    description=_("Delete a session: its log, recording and everything else in it."))
    p.add_argument("session", metavar="SESSION",
                   help=_("a session folder, its name under the recordings folder, or the start of its name"))
    p.add_argument("--yes", action="store_true", help=_("do not ask for confirmation"))
    p.add_argument("--root", help=ROOT_HELP)

    p = add_command(sub, "prune", cmd_prune, help=_("delete sessions older than a retention period"),
                    description=_("Delete every session under ROOT that started longer ago than the period."))
    p.add_argument("--older-than", required=True, metavar="PERIOD", help=_("like 12h, 30d or 2w"))
    p.add_argument("--root", help=_("recordings folder to prune (default: $ROLEPLAY_RECORDINGS, ./recordings, "
                                    "else the user's data folder)"))
    p.add_argument("--dry-run", action="store_true", help=_("only list what would be deleted"))
    p.add_argument("--force", action="store_true", help=_("allow a period shorter than a day"))

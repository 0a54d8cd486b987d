"""`roleplay report`, `roleplay cards` and `roleplay sessions`: files made from logs and scenarios."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path


def _write(text: str, output: str | None, *, force: bool = False, protected: tuple[Path, ...] = ()) -> int:
    """Print `text`, or write it to `output`: 0600, atomically, never through a link; an existing
    file only with --force, and never one inside a session folder (see roleplay.core.safe_write)."""
    if not output or output == "-":
        sys.stdout.write(text)
        return 0
    from roleplay.core.safe_write import WriteError, write_new_file

    try:
        write_new_file(Path(output), text.encode("utf-8"), force=force, protected_dirs=protected)
    except WriteError as exc:  # reports hold what was said in the room
        print(f"roleplay: error: {exc}", file=sys.stderr)
        return 1
    print(f"wrote {output}", file=sys.stderr)
    return 0


def session_folder(ref: str) -> Path:
    """A SESSION argument: a folder path, or a folder name under the recordings root."""
    from roleplay.core.paths import recordings_root

    path = Path(ref)
    if path.is_dir():
        return path
    candidate = recordings_root() / ref
    if candidate.is_dir():
        return candidate
    raise FileNotFoundError(f"{ref}: no such session folder")


def cmd_report(args: argparse.Namespace) -> int:
    from roleplay.core.engine import CommandError, Session
    from roleplay.core.log import LogError
    from roleplay.core.report import to_html, to_markdown

    try:
        folder = session_folder(args.session)
        session = Session.replay(folder)
    except (FileNotFoundError, LogError, CommandError) as exc:
        print(f"roleplay: error: {exc}", file=sys.stderr)
        return 1
    text = to_html(session) if args.format == "html" else to_markdown(session)
    return _write(text, args.output, force=getattr(args, "force", False), protected=(folder,))


def cmd_cards(args: argparse.Namespace) -> int:
    from roleplay.cli import _load_for_people
    from roleplay.core.card_sheet import card_sheet

    loaded, code = _load_for_people(args)
    if loaded is None:
        return code
    scenario, _, participants = loaded
    try:
        text = card_sheet(scenario, participants, args.seed, args.language, args.deck)
    except ValueError as exc:
        print(f"roleplay: error: {exc}", file=sys.stderr)
        return 1
    return _write(text, args.output or f"cards-{scenario.id}.html", force=getattr(args, "force", False))


def cmd_sessions(args: argparse.Namespace) -> int:
    from datetime import datetime

    from roleplay.core.paths import recordings_root
    from roleplay.core.sessions import list_sessions

    root = Path(args.root) if args.root else recordings_root()
    found = list_sessions(root)
    if not found:
        print(f"no sessions under {root}")
        return 0
    for info in found:
        when = datetime.fromtimestamp(info.started).strftime("%Y-%m-%d %H:%M")
        people = f"{len(info.participants)} participants" if info.participants is not None else "?"
        print(f"{info.folder.name}  {when}  {info.title or info.scenario}  {people}  {info.describe()}")
    return 0


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("report", help="write a session report", description="Write a report of a session from its log.")
    p.add_argument("session", metavar="SESSION", help="a session folder (or its name under the recordings folder)")
    p.add_argument("--format", choices=["md", "html"], default="md")
    p.add_argument("-o", "--output", help="file to write (default: standard output)")
    p.add_argument("--force", action="store_true",
                   help="overwrite the file if it exists (a file inside a session folder is never overwritten)")
    p.set_defaults(handler=cmd_report)

    p = sub.add_parser(
        "cards", help="print a sheet of dealt cards", description="Write a printable HTML sheet: one large card per participant."
    )
    p.add_argument("scenario", metavar="SCENARIO")
    p.add_argument("--participants", required=True, help='names separated by commas ("Ana,Ben,Cleo") or a number')
    p.add_argument("--seed", type=int, default=1, help="the seed you will use for the session, so cards match")
    p.add_argument("--language")
    p.add_argument("--deck", help="only this deck")
    p.add_argument("-o", "--output", help="file to write (default: cards-ID.html)")
    p.add_argument("--force", action="store_true", help="overwrite the file if it exists")
    p.set_defaults(handler=cmd_cards)

    p = sub.add_parser("sessions", help="list past sessions", description="List past sessions, newest first.")
    p.add_argument("--root", help="recordings folder (default: ./recordings in a checkout)")
    p.set_defaults(handler=cmd_sessions)

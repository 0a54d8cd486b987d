"""`camera check`, `record`, `replay`, `clip`: thin wrappers around roleplay.video.

The work is done in roleplay.video.commands and roleplay.video.replay_commands;
here the arguments are read (SESSION the same way as every command) and the
parsers are built. `replay --list-marks` is printed here, field by field, so
text from the log cannot act on the terminal. Nothing heavy (numpy, cv2, av,
textual) is imported until a command runs.
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TYPE_CHECKING, Any

from roleplay.cli.errors import EXIT_OK, CliError, UsageError
from roleplay.cli.output import note, out, unguarded, warn
from roleplay.cli.parser import FORCE_HELP, ROOT_HELP, SESSION_HELP, add_command
from roleplay.cli.secrets import add_passphrase_file
from roleplay.core.i18n import _

if TYPE_CHECKING:
    from roleplay.core.sealing import Opener
    from roleplay.video.player import Player


def _root(args: argparse.Namespace) -> Path | None:
    return Path(args.root) if getattr(args, "root", None) else None


def cmd_camera_check(args: argparse.Namespace) -> int:
    from roleplay.video.commands import camera_check

    return int(camera_check(args))


def cmd_record(args: argparse.Namespace) -> int:
    from roleplay.cli.secrets import new_passphrase
    from roleplay.video.commands import record_command

    if args.passphrase_file and not args.encrypt:
        raise UsageError(_("--passphrase-file goes with --encrypt"))
    return int(record_command(args, ask_passphrase=lambda: new_passphrase(args, _("the recording"))))


def mark_lines(folder: Path, opener: Opener | None = None) -> tuple[list[str], list[str]]:
    """(lines, notices) of `replay --list-marks`: a heading, then one line per mark on the timeline.

    An encrypted session's marks are in its sealed log: `opener` reads it.
    """
    from roleplay.video.replay_commands import open_timeline
    from roleplay.video.timeline import format_time

    timeline = open_timeline(folder, opener)
    video = _("video") if timeline.has_video else _("no video: session time")
    lines = [_("{name}: {time} ({seconds:.2f} s, {video}), {count} marks").format(
        name=folder.name, time=format_time(timeline.duration), seconds=timeline.duration, video=video, count=len(timeline.marks))]
    for mark in timeline.marks:
        where = "" if mark.on_camera else "  " + _("(off camera)")
        lines.append(f"{format_time(mark.at)}  {mark.at:8.2f}  {mark.kind:<10}  {mark.label}{where}")
    return lines, list(timeline.notices)


def open_player(args: argparse.Namespace, folder: Path) -> Player:
    """The session's recording, ready to play; its passphrase is asked for only when it is encrypted.

    One passphrase opens both the sealed log (the marks) and the recording; each key costs a
    second of scrypt, so each is unlocked once.
    """
    from roleplay.cli.secrets import log_opener, unlock
    from roleplay.video import replay_commands as rc

    passphrase, opener = log_opener(args, folder)
    timeline = rc.open_timeline(folder, opener)
    try:
        if passphrase is None and timeline.has_video and rc.is_encrypted(folder):
            return unlock(args, _("the recording in {folder} is encrypted").format(folder=folder), folder.name,
                          lambda secret: rc.open_player(folder, secret, timeline), (rc.CommandFailed,))[1]
        return rc.open_player(folder, passphrase, timeline)
    except rc.CommandFailed as exc:
        raise CliError(str(exc)) from None


def _is_encrypted(folder: Path) -> bool:
    """The recording or the session log is encrypted."""
    from roleplay.core.folder import SessionFolder
    from roleplay.video.replay_commands import is_encrypted

    return SessionFolder(folder).sealed or is_encrypted(folder)


def cmd_replay(args: argparse.Namespace) -> int:
    from roleplay.cli.secrets import log_opener
    from roleplay.cli.session_arg import resolve_session

    folder = resolve_session(args.session, _root(args), video=True, command="roleplay replay")
    if args.list_marks:
        _passphrase, opener = log_opener(args, folder)  # the marks are in the log: asked for only when it is sealed
        lines, notices = mark_lines(folder, opener)
        for notice in notices:
            note(_("notice: {notice}").format(notice=notice))
        for line in lines:
            out(line)
        return EXIT_OK
    from roleplay.video.replay_commands import replay_command

    player = open_player(args, folder)
    if args.dump_at is not None:
        with unguarded(stdout=True, stderr=False):  # the frame is drawn in colour by the program itself
            return int(replay_command(args, player))
    with unguarded():  # the Textual app or a window: they draw the screen themselves
        return int(replay_command(args, player))


def cmd_clip(args: argparse.Namespace) -> int:
    from roleplay.cli.session_arg import resolve_session
    from roleplay.video.clip import ENCRYPTED
    from roleplay.video.replay_commands import clip_command

    folder = resolve_session(args.session, _root(args), video=True, command="roleplay clip")
    encrypted = _is_encrypted(folder)
    if encrypted and not args.plain:  # refused before the passphrase is asked for (export_clip refuses too)
        raise CliError(str(ENCRYPTED))
    code = int(clip_command(args, open_player(args, folder)))
    if code == EXIT_OK and encrypted:
        warn(_("the clip {output} is not encrypted (--plain), unlike its recording: anyone who can read the file can watch it; keep it safe and delete it when it is no longer needed").format(output=args.output))
    return code


def register(sub: Any) -> None:
    camera = sub.add_parser("camera", help=_("check a camera or other picture source"),
                            description=_("Check a camera or other picture source."))
    camera_commands = camera.add_subparsers(dest="camera_command", metavar="COMMAND", required=True)
    p = add_command(camera_commands, "check", cmd_camera_check, help=_("open a source and measure its frame rate"),
                    description=_("Open a source, print its resolution and the frame rate measured over a few seconds."))
    p.add_argument("--source", default="0", help=_("camera index, video file, or synthetic[:WxH@FPS] (default 0)"))
    p.add_argument("--seconds", type=float, default=3.0, help=_("how long to measure (default 3)"))

    p = add_command(sub, "record", cmd_record, help=_("record headless into a new session folder"),
                    description=_("Record picture and sound with the same recorder the app uses, without the app: "
                                "for trainers' checks, tests and benchmarks."))
    p.add_argument("--source", default="0", help=_("camera index, video file, or synthetic[:WxH@FPS]"))
    p.add_argument("--audio", choices=["default", "none", "synthetic"], default="default",
                   help=_("sound: the default microphone, none, or a synthetic tone (default: default)"))
    p.add_argument("--seconds", type=float, required=True, help=_("how long to record"))
    p.add_argument("--out", type=Path, required=True, help=_("recordings root; a new session folder is made in it"))
    p.add_argument("--consent-all", action="store_true",
                   help=_("state in the session log that everyone filmed consented outside the app"))
    p.add_argument("--encrypt", action="store_true",
                   help=_("encrypt the recording and its log with a new passphrase (at least 12 characters; "
                        "asked for twice, or from --passphrase-file or $ROLEPLAY_PASSPHRASE)"))
    add_passphrase_file(p, new=True)
    p.add_argument("--segment-seconds", type=float, default=1.5, help=argparse.SUPPRESS)

    p = add_command(
        sub, "replay", cmd_replay, help=_("watch a recorded session with its marks and add reflections"),
        description=_("Watch a session's recording in the terminal (or a window) with a timeline of its "
                    "phases, markers, notes, injected events, time-outs and reflections. Keys: space play/pause, "
                    "left/right 5 s, [ ] previous/next mark, 1 2 3 or - + speed, m mute, r add a reflection, q quit."))
    p.add_argument("session", nargs="?", metavar="SESSION",
                   help=_("{session} (default: the newest session with video)").format(session=SESSION_HELP))
    p.add_argument("--window", action="store_true", help=_("show the picture in a separate window (needs a display)"))
    p.add_argument("--no-sound", action="store_true", help=_("do not play the sound"))
    p.add_argument("--name", help=_("your name, written with your reflections"))
    p.add_argument("--list-marks", action="store_true", help=_("print the timeline's marks and exit"))
    p.add_argument("--dump-at", metavar="MARK",
                   help=_("print the frame shown at MARK (a time like 01:30 or a mark's name) as text and exit"))
    p.add_argument("--size", default=None, metavar="COLSxROWS", help=_("cells for --dump-at (default: the terminal's)"))
    p.add_argument("--root", help=ROOT_HELP)
    add_passphrase_file(p)

    p = add_command(
        sub, "clip", cmd_clip, help=_("export a stretch of a recording as a video file"),
        description=_("Export the stretch between two marks as a video any player opens: "
                    ".mp4 (H.264 + AAC) or .mkv (H.264 + Opus). A MARK is a marker's label, a phase id or "
                    "title, an injected event's id, or a time on the recording such as 01:30 or 90. "
                    "A clip is never encrypted: from an encrypted recording it is written only with --plain."))
    p.add_argument("session", metavar="SESSION", help=_("{session} ('last': the newest with video)").format(session=SESSION_HELP))
    p.add_argument("--from", dest="start", required=True, metavar="MARK", help=_("where the clip starts"))
    p.add_argument("--to", dest="end", required=True, metavar="MARK", help=_("where the clip ends"))
    p.add_argument("-o", "--output", required=True, type=Path, metavar="FILE", help=_("a .mp4 or .mkv file to write"))
    p.add_argument("--force", action="store_true", help=FORCE_HELP)
    p.add_argument("--plain", action="store_true",
                   help=_("write the clip of an encrypted recording unencrypted (refused without it)"))
    p.add_argument("--root", help=ROOT_HELP)
    add_passphrase_file(p)

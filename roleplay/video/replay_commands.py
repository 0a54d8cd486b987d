"""Command line: `replay` (watch a session with its marks) and `clip` (export a stretch).

`register(subparsers)` adds both to the main `roleplay` parser; until that is
wired, `python -m roleplay.video.replay_commands ...` runs them directly.
Only argparse is imported at the top: building the parser must not load
numpy, av, cv2 or textual.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

PASSPHRASE_ENV = "ROLEPLAY_PASSPHRASE"


class CommandFailed(Exception):
    """Ends a command with a clear message and exit code 1."""


def register(subparsers) -> None:
    replay = subparsers.add_parser(
        "replay", help="watch a recorded session with its marks and add reflections",
        description="Watch a session's recording in the terminal (or a window) with a timeline of its "
                    "phases, markers, notes, injected events, time-outs and reflections. Keys: space play/pause, "
                    "left/right 5 s, [ ] previous/next mark, 1 2 3 or - + speed, m mute, r add a reflection, q quit.")
    replay.add_argument("session", nargs="?", metavar="SESSION",
                        help="a session folder, or its name under the recordings folder "
                             "(default: the newest session with video)")
    replay.add_argument("--window", action="store_true", help="show the picture in a separate window (needs a display)")
    replay.add_argument("--no-sound", action="store_true", help="do not play the sound")
    replay.add_argument("--name", help="your name, written with your reflections")
    replay.add_argument("--list-marks", action="store_true", help="print the timeline's marks and exit")
    replay.add_argument("--dump-at", metavar="MARK",
                        help="print the frame shown at MARK (a time like 01:30 or a mark's name) as text and exit")
    replay.add_argument("--size", default=None, metavar="COLSxROWS", help="cells for --dump-at (default: the terminal's)")
    replay.set_defaults(handler=replay_command)

    clip = subparsers.add_parser(
        "clip", help="export a stretch of a recording as a video file",
        description="Export the stretch between two marks as a video any player opens: "
                    ".mp4 (H.264 + AAC) or .mkv (H.264 + Opus). A MARK is a marker's label, a phase id or "
                    "title, an injected event's id, or a time on the recording such as 01:30 or 90.")
    clip.add_argument("session", metavar="SESSION", help="a session folder, or its name under the recordings folder")
    clip.add_argument("--from", dest="start", required=True, metavar="MARK", help="where the clip starts")
    clip.add_argument("--to", dest="end", required=True, metavar="MARK", help="where the clip ends")
    clip.add_argument("-o", "--output", required=True, type=Path, metavar="FILE", help="a .mp4 or .mkv file to write")
    clip.add_argument("--force", action="store_true",
                      help="overwrite FILE if it exists (a file inside a session folder is never overwritten)")
    clip.set_defaults(handler=clip_command)


def _error(message: str) -> int:
    print(f"roleplay: error: {message}", file=sys.stderr)
    return 1


# -- finding the session and opening it ---------------------------------------------


def find_session(ref: str | None) -> Path:
    """A session folder from a path or a name under the recordings root; without one, the newest with video."""
    from roleplay.core.paths import recordings_root

    root = recordings_root()
    if ref:
        for candidate in (Path(ref), root / ref):
            if candidate.is_dir():
                if not (candidate / "session.jsonl").exists() and not (candidate / "video").is_dir():
                    raise CommandFailed(f"{candidate} is not a session folder (no session.jsonl, no video)")
                return candidate
        raise CommandFailed(f"no session '{ref}': not a folder, nor a session under {root}")
    with_video = sorted((p.parent.parent for p in root.glob("*/video/index.jsonl")),
                        key=lambda p: (p.stat().st_mtime, p.name)) if root.is_dir() else []
    if not with_video:
        raise CommandFailed(f"no session with video under {root}; name one: roleplay replay SESSION")
    return with_video[-1]


def is_encrypted(folder: Path) -> bool:
    from roleplay.video.crypto import key_path
    from roleplay.video.segments import read_index

    try:
        return key_path(folder / "video").exists() or any(e.encrypted for e in read_index(folder))
    except ValueError:
        return key_path(folder / "video").exists()


def ask_passphrase(folder: Path) -> str | None:
    if not is_encrypted(folder):
        return None
    if os.environ.get(PASSPHRASE_ENV):
        return os.environ[PASSPHRASE_ENV]
    if not sys.stdin.isatty():
        raise CommandFailed(f"the recording in {folder} is encrypted: set ${PASSPHRASE_ENV} or run in a terminal "
                            "to be asked for the passphrase")
    import getpass

    return getpass.getpass(f"Passphrase for the recording in {folder.name}: ")


def open_player(folder: Path, passphrase: str | None = None):
    from roleplay.video.player import Player
    from roleplay.video.reader import ReadError

    try:
        return Player(folder, passphrase)
    except ReadError as exc:
        raise CommandFailed(str(exc)) from None


def _size(text: str | None) -> tuple[int, int]:
    if text:
        try:
            cols, rows = (int(n) for n in text.lower().split("x"))
            if cols > 0 and rows > 0:
                return cols, rows
        except ValueError:
            pass
        raise CommandFailed(f"--size must look like 100x30 (columns x rows), not '{text}'")
    size = os.get_terminal_size(sys.stdout.fileno()) if sys.stdout.isatty() else os.terminal_size((80, 24))
    return size.columns, max(1, size.lines - 1)


# -- replay -------------------------------------------------------------------------


def replay_command(args) -> int:
    try:
        return _replay(args)
    except CommandFailed as exc:
        return _error(f"replay: {exc}")


def _replay(args) -> int:
    from roleplay.video.timeline import format_time, load_timeline

    folder = find_session(args.session)
    if args.list_marks:
        timeline = load_timeline(folder)
        for notice in timeline.notices:
            print(f"notice: {notice}", file=sys.stderr)
        video = "video" if timeline.has_video else "no video: session time"
        print(f"{folder.name}: {format_time(timeline.duration)} ({timeline.duration:.2f} s, {video}), "
              f"{len(timeline.marks)} marks")
        for mark in timeline.marks:
            where = "" if mark.on_camera else "  (off camera)"
            print(f"{format_time(mark.at)}  {mark.at:8.2f}  {mark.kind:<10}  {mark.label}{where}")
        return 0
    player = open_player(folder, ask_passphrase(folder))
    for notice in player.notices:
        print(f"notice: {notice}", file=sys.stderr)
    if args.dump_at is not None:
        return _dump(player, args.dump_at, _size(args.size))
    if args.window:
        from roleplay.video.window import replay_in_window, WindowUnavailable

        try:
            return replay_in_window(player, sound=not args.no_sound, name=args.name)
        except WindowUnavailable as exc:
            raise CommandFailed(str(exc)) from None
    if not (sys.stdin.isatty() and sys.stdout.isatty()):
        raise CommandFailed("replay needs a terminal; use --dump-at or --list-marks to print instead")
    from roleplay.ui.replay_app import run_replay_app

    return run_replay_app(player, sound=not args.no_sound, name=args.name)


def _dump(player, mark: str, size: tuple[int, int]) -> int:
    from roleplay.video.halfblock import ansi_lines
    from roleplay.video.timeline import MarkError, format_time

    if not player.timeline.has_video:
        raise CommandFailed(f"{player.folder.name} has no video to show; --list-marks shows its timeline")
    try:
        at = player.timeline.resolve(mark)
    except MarkError as exc:
        raise CommandFailed(str(exc)) from None
    frame = player.frame_at(at)
    for notice in player.notices:
        print(f"notice: {notice}", file=sys.stderr)
    if frame is None:
        raise CommandFailed(f"no picture could be read at {format_time(at)}")
    print(f"frame {frame.index} at {frame.at:.3f} s (segment {frame.segment}, session clock {frame.time:.3f})")
    sys.stdout.write("\n".join(ansi_lines(frame.image, *size)) + "\n")
    return 0


# -- clip ---------------------------------------------------------------------------


def clip_command(args) -> int:
    from roleplay.video.clip import ClipError, export_clip
    from roleplay.video.timeline import MarkError, format_time

    try:
        folder = find_session(args.session)
        player = open_player(folder, ask_passphrase(folder))
        if not player.timeline.has_video:
            raise CommandFailed(f"{folder.name} has no video to cut a clip from")
        try:
            start = player.timeline.resolve(args.start)
            end = player.timeline.resolve(args.end)
        except MarkError as exc:
            raise CommandFailed(str(exc)) from None
        if end <= start:
            raise CommandFailed(f"--to ({args.end}, {format_time(end)}) must come after "
                                f"--from ({args.start}, {format_time(start)})")
        result = export_clip(player, start, end, args.output, force=getattr(args, "force", False))
    except CommandFailed as exc:
        return _error(f"clip: {exc}")
    except ClipError as exc:
        return _error(f"clip: {exc}")
    for notice in player.notices:
        print(f"notice: {notice}", file=sys.stderr)
    print(f"wrote {result.path}: {format_time(result.start)} to {format_time(result.end)} "
          f"({result.end - result.start:.2f} s, {result.frames} frames, sound {result.audio_samples / 48000:.2f} s)")
    return 0

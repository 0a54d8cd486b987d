"""Command line: `replay` (watch a session with its marks) and `clip` (export a stretch).

The parsers, SESSION and the passphrase are read in roleplay.cli.video (the
passphrase through roleplay.cli.secrets, the one way for every command);
these functions get the session's recording opened and do the work. Nothing
heavy is imported at the top: loading the module must not load numpy, av,
cv2 or textual.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from roleplay.core.folder import SessionFolder
from roleplay.core.i18n import _

if TYPE_CHECKING:
    from roleplay.core.sealing import Opener
    from roleplay.video.player import Player
    from roleplay.video.timeline import Timeline


class CommandFailed(Exception):
    """Ends a command with a clear message and exit code 1."""


def _error(message: str) -> int:
    print(f"roleplay: error: {message}", file=sys.stderr)
    return 1


# -- opening a session's recording ----------------------------------------------------


def is_encrypted(folder: Path) -> bool:
    from roleplay.video.crypto import key_path
    from roleplay.video.segments import read_index

    try:
        return key_path(SessionFolder(folder).video).exists() or any(e.encrypted for e in read_index(folder))
    except ValueError:
        return key_path(SessionFolder(folder).video).exists()


def open_timeline(folder: Path, opener: Opener | None = None) -> Timeline:
    """The timeline of a session folder, its sealed log read with `opener` (a key unlocked once)."""
    from roleplay.video.timeline import load_timeline

    return load_timeline(folder, opener=opener)


def open_player(folder: Path, passphrase: str | None = None, timeline: Timeline | None = None) -> Player:
    """The recording, ready to seek in; CommandFailed for a wrong or missing passphrase ("wrong passphrase ...")."""
    from roleplay.video.player import Player
    from roleplay.video.reader import ReadError

    try:
        return Player(folder, passphrase, timeline=timeline)
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
        raise CommandFailed(_("--size must look like 100x30 (columns x rows), not '{text}'").format(text=text))
    size = os.get_terminal_size(sys.stdout.fileno()) if sys.stdout.isatty() else os.terminal_size((80, 24))
    return size.columns, max(1, size.lines - 1)


# -- replay -------------------------------------------------------------------------


def replay_command(args, player: Player) -> int:
    """Watch `player`'s recording (the app or a window), or print one frame (--dump-at)."""
    try:
        return _replay(args, player)
    except CommandFailed as exc:
        return _error(f"replay: {exc}")


def _replay(args, player: Player) -> int:
    for notice in player.notices:
        print(_("notice: {notice}").format(notice=notice), file=sys.stderr)
    if args.dump_at is not None:
        return _dump(player, args.dump_at, _size(args.size))
    if args.window:
        from roleplay.video.window import replay_in_window, WindowUnavailable

        try:
            return replay_in_window(player, sound=not args.no_sound, name=args.name)
        except WindowUnavailable as exc:
            raise CommandFailed(str(exc)) from None
    if not (sys.stdin.isatty() and sys.stdout.isatty()):
        raise CommandFailed(_("replay needs a terminal; use --dump-at or --list-marks to print instead"))
    from roleplay.ui.replay_app import run_replay_app

    return run_replay_app(player, sound=not args.no_sound, name=args.name)


def _dump(player, mark: str, size: tuple[int, int]) -> int:
    from roleplay.video.halfblock import ansi_lines
    from roleplay.video.timeline import MarkError, format_time

    if not player.timeline.has_video:
        raise CommandFailed(_("{name} has no video to show; --list-marks shows its timeline").format(name=player.folder.name))
    try:
        at = player.timeline.resolve(mark)
    except MarkError as exc:
        raise CommandFailed(str(exc)) from None
    frame = player.frame_at(at)
    for notice in player.notices:
        print(_("notice: {notice}").format(notice=notice), file=sys.stderr)
    if frame is None:
        raise CommandFailed(_("no picture could be read at {at}").format(at=format_time(at)))
    print(_("frame {index} at {at:.3f} s (segment {segment}, session clock {time:.3f})").format(index=frame.index, at=frame.at, segment=frame.segment, time=frame.time))
    sys.stdout.write("\n".join(ansi_lines(frame.image, *size)) + "\n")
    return 0


# -- clip ---------------------------------------------------------------------------


def clip_command(args, player: Player) -> int:
    """Export the stretch --from/--to of `player`'s recording to --output (an encrypted one only with --plain)."""
    from roleplay.video.clip import ClipError, export_clip
    from roleplay.video.timeline import MarkError, format_time

    folder = player.folder
    try:
        if not player.timeline.has_video:
            raise CommandFailed(_("{name} has no video to cut a clip from").format(name=folder.name))
        try:
            start = player.timeline.resolve(args.start)
            end = player.timeline.resolve(args.end)
        except MarkError as exc:
            raise CommandFailed(str(exc)) from None
        if end <= start:
            raise CommandFailed(_("--to ({end}, {end_time}) must come after --from ({start}, {start_time})").format(
                    end=args.end, end_time=format_time(end), start=args.start, start_time=format_time(start)))
        result = export_clip(player, start, end, args.output, force=getattr(args, "force", False),
                             plain=getattr(args, "plain", False))
    except CommandFailed as exc:
        return _error(f"clip: {exc}")
    except ClipError as exc:
        return _error(f"clip: {exc}")
    for notice in player.notices:
        print(_("notice: {notice}").format(notice=notice), file=sys.stderr)
    print(_("wrote {path}: {start} to {end} ({seconds:.2f} s, {frames} frames, sound {sound:.2f} s)").format(
        path=result.path, start=format_time(result.start), end=format_time(result.end), seconds=result.end - result.start,
        frames=result.frames, sound=result.audio_samples / 48000))
    return 0

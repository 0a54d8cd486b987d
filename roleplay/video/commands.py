"""The work behind `camera check`, `record`, `delete` and `prune` (parsed in roleplay/cli).

Every handler returns an exit code and prints a clear message instead of a traceback.
"""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path
from typing import Callable

from roleplay.core.clock import Clock
from roleplay.core.folder import VIDEO_DIR
from roleplay.core.i18n import _
from roleplay.core.log import LogError, SessionLog, new_session_folder
from roleplay.core.retention import RetentionError, default_sessions_root, delete_session, parse_period, prune



def _error(message: str) -> int:
    print(f"roleplay: error: {message}", file=sys.stderr)
    return 1


def camera_check(args) -> int:
    from roleplay.video.sources import SourceEnded, SourceError, SourceLost, open_source

    try:
        source = open_source(args.source)
        info = source.open()
    except SourceError as exc:
        return _error(f"camera check: {exc}")
    stamps = []
    try:
        end = time.monotonic() + max(args.seconds, 0.1)
        while time.monotonic() < end:
            image, stamp = source.read()
            stamps.append(stamp)
    except (SourceLost, SourceEnded) as exc:
        if len(stamps) < 2:
            return _error(f"camera check: {exc}")
    finally:
        source.close()
    height, width = image.shape[:2] if stamps else (info.height, info.width)
    span = stamps[-1] - stamps[0] if len(stamps) > 1 else 0.0
    measured = (len(stamps) - 1) / span if span > 0 else 0.0
    print(_("source: {description}").format(description=source.description))
    print(_("resolution: {width}x{height}").format(width=width, height=height))
    print(_("frame rate: {measured:.1f} fps measured over {span:.1f} s ({count} frames; asked {fps:g})").format(measured=measured, span=span, count=len(stamps), fps=info.fps))
    return 0


def _out_folder_problem(out: Path) -> str | None:
    """Why `record --out` cannot put a session folder in `out`, or None.

    `out` is a recordings folder: new (it is made, 0700), empty, or holding
    only session folders. Anything else is someone else's folder: refused,
    and never touched (its mode stays what it was).
    """
    from roleplay.core.log import LOG_NAME

    out = Path(out)
    if not os.path.lexists(out):
        return None
    if not out.is_dir():
        return _("--out {out} is not a folder").format(out=out)
    try:
        entries = sorted(os.scandir(out), key=lambda e: e.name)
    except OSError as exc:
        return _("cannot read --out {out}: {strerror}").format(out=out, strerror=exc.strerror or exc)
    for entry in entries:
        session = entry.is_dir(follow_symlinks=False) and (
            os.path.lexists(os.path.join(entry.path, LOG_NAME)) or os.path.isdir(os.path.join(entry.path, VIDEO_DIR)))
        if not session:
            return (_("--out {out} holds other things than sessions (such as '{name}'); give a new or empty folder, or one that holds only session folders").format(out=out, name=entry.name))
    return None


def record_command(args, ask_passphrase: Callable[[], str] | None = None) -> int:
    """Record `--seconds` into a new session folder under `--out`.

    With `--encrypt`, `ask_passphrase()` gives the new passphrase (roleplay.cli.secrets: the
    file, the variable or the prompt, at least 12 characters; it raises when there is none). It
    is asked for once the arguments are known to be good and before any folder is made; it seals
    the session log and encrypts the recording.
    """
    from roleplay.core import events as ev
    from roleplay.video.consent import ConsentMissing
    from roleplay.video.recorder import Recorder
    from roleplay.video.sources import SourceError

    if args.seconds <= 0:
        return _error(_("record: --seconds must be more than zero"))
    if not args.consent_all:
        # Headless recording has no one to ask: consent must have been given outside the app.
        return _error(_("record: nobody's consent is known; give --consent-all if everyone filmed "
                      "consented outside the app"))
    problem = _out_folder_problem(args.out)
    if problem:
        return _error(f"record: {problem}")
    passphrase = None
    if args.encrypt:
        if ask_passphrase is None:
            return _error(_("record: --encrypt needs a passphrase: run it as `roleplay record --encrypt`"))
        passphrase = ask_passphrase()
    clock = Clock()
    try:
        from roleplay.video.files import make_private_dir

        if not os.path.lexists(args.out):
            make_private_dir(args.out)  # each folder made here is 0700; folders that exist keep their mode
    except OSError as exc:
        return _error(_("record: cannot create {out}: {strerror}").format(out=args.out, strerror=exc.strerror or exc))
    try:
        folder = new_session_folder(args.out, "record-check", clock)
        sealer = None
        if passphrase is not None:  # the log is sealed with the same passphrase as the recording
            from roleplay.core.folder import SessionFolder
            from roleplay.core.sealing import SealingError, create_keys

            try:
                sealer, _opener = create_keys(SessionFolder(folder), passphrase)
            except SealingError as exc:
                return _error(f"record: {exc}")
        log = SessionLog(folder, clock, sealer=sealer)
        # Kept for the recorder's consent check: a sealed log cannot be read back without its key.
        events = [log.append(ev.SessionStarted(format=ev.LOG_FORMAT, scenario="record-check", participants=[],
                                               headless=True))]
        if args.consent_all:
            events.append(log.append(ev.ConsentAll(given_outside_app=True, participants=[])))
    except LogError as exc:
        return _error(f"record: {exc}")
    print(_("session folder: {folder}").format(folder=folder), flush=True)
    try:
        recorder = Recorder(folder, log, args.source, audio=args.audio, passphrase=passphrase, clock=clock,
                            segment_seconds=args.segment_seconds, session_events=lambda: list(events))
        recorder.start(reason="manual")
    except (SourceError, ConsentMissing) as exc:
        return _error(f"record: {exc}")
    try:
        while recorder.status().state == "starting":
            time.sleep(0.02)
        status = recorder.status()
        if status.notice:
            print(_("notice: {notice}").format(notice=status.notice), flush=True)
        end = clock.monotonic() + args.seconds
        while recorder.status().active and clock.monotonic() < end:
            time.sleep(min(0.1, max(0.0, end - clock.monotonic())))
        recorder.stop(reason="duration")
    except KeyboardInterrupt:
        recorder.stop(reason="manual")
    status = recorder.status()
    log.close()
    recorded = _("recorded: {frames} frames in {segments} segments, {seconds:.1f} s, {dropped} dropped, sound {audio}").format(
        frames=status.frames, segments=status.segments, seconds=status.seconds, dropped=status.dropped, audio=status.audio)
    print(_("{recorded}, encrypted").format(recorded=recorded) if status.encrypted else recorded)
    if status.error:
        return _error(f"record: {status.error}")
    return 0


def delete_command(args) -> int:
    if not args.yes:
        if not sys.stdin.isatty():
            return _error(_("delete: give --yes to delete {session} without being asked").format(session=args.session))
        answer = input(_("Delete the session {session} and its recording for good? [y/N] ").format(session=args.session))
        if answer.strip().lower() not in ("y", "yes"):
            print(_("nothing deleted"))
            return 1
    try:
        freed = delete_session(args.session)
    except RetentionError as exc:
        return _error(f"delete: {exc}")
    print(_("deleted {session} ({megabytes:.1f} MB)").format(session=args.session, megabytes=freed / 1e6))
    return 0


def prune_command(args) -> int:
    root = args.root or default_sessions_root()
    try:
        period = parse_period(args.older_than, force=args.force)
        result = prune(root, period, dry_run=args.dry_run)
    except RetentionError as exc:
        return _error(f"prune: {exc}")
    for folder in result.deleted:
        print((_("would delete {folder}") if args.dry_run else _("deleted {folder}")).format(folder=folder))
    for folder in result.skipped:
        print(_("skipped {folder}: not a session folder (no session.jsonl)").format(folder=folder))
    for folder in result.in_use:
        print(_("kept {folder}: it is open in a running roleplay").format(folder=folder))
    summary = (_("would delete {count} sessions ({megabytes:.1f} MB), kept {kept}") if args.dry_run
               else _("deleted {count} sessions ({megabytes:.1f} MB), kept {kept}"))
    print(summary.format(count=len(result.deleted), megabytes=result.freed / 1e6, kept=len(result.kept)))
    return 0

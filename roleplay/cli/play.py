"""`play` (a session headless, commands on standard input; `--resume` continues one) and `cards`."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any, Iterator

from roleplay.cli.errors import EXIT_EOF, EXIT_OK, CliError, UsageError
from roleplay.cli.output import err, note, out_json, out_lines, warn
from roleplay.cli.parser import FORCE_HELP, PARTICIPANTS_HELP, SCENARIO_HELP, SESSION_HELP, add_command
from roleplay.cli.secrets import add_passphrase_file
from roleplay.core.i18n import _, set_language

if TYPE_CHECKING:
    from roleplay.core.engine import Session
    from roleplay.core.model import Scenario

MAX_PARTICIPANTS = 500  # "--participants 99999999" must not fill the memory


def participants_from(text: str) -> list[str]:
    from roleplay.core.participants import parse_participants

    if text.strip().isdigit() and int(text.strip()) > MAX_PARTICIPANTS:
        raise CliError(_("--participants {number}: at most {most} participants").format(number=text.strip(), most=MAX_PARTICIPANTS))
    participants = parse_participants(text)
    if not participants:
        raise CliError(_("--participants needs names separated by commas, or a number"))
    return participants


def load_for_people(args: argparse.Namespace) -> tuple[Scenario, Path, list[str]]:
    """(scenario, path, participants) for commands that take SCENARIO and --participants."""
    from roleplay.cli.scenarios import load

    scenario, path = load(args.scenario)
    return scenario, path, participants_from(args.participants)


# ----- play ---------------------------------------------------------------------------


def _show(event: Any) -> None:
    out_json(event.as_dict(), flush=True)


def roles_from(options: list[str] | None, scenario: Scenario, participants: list[str]) -> dict[str, str]:
    """`--role NAME=ROLE` options as participant -> role id, with clear errors for unknown names and roles."""
    chosen: dict[str, str] = {}
    role_ids = [r.id for r in scenario.roles]
    for option in options or []:
        name, sep, role = (part.strip() for part in option.partition("="))
        if not sep or not name or not role:
            raise UsageError(_("--role {option}: give NAME=ROLE, e.g. --role Ana={role}").format(option=option, role=role_ids[0]))
        matches = [p for p in participants if p == name] or [p for p in participants if p.casefold() == name.casefold()]
        if len(matches) != 1:
            raise CliError(_("--role {option}: no participant '{name}' (participants: {participants})").format(option=option, name=name, participants=', '.join(participants)))
        roles = [r for r in role_ids if r == role] or [r for r in role_ids if r.casefold() == role.casefold()]
        if len(roles) != 1:
            raise CliError(_("--role {option}: {id} has no role '{role}' (roles: {role_ids})").format(option=option, id=scenario.id, role=role, role_ids=', '.join(role_ids)))
        if matches[0] in chosen and chosen[matches[0]] != roles[0]:
            raise CliError(_("--role {option}: {name} was given the role '{role}' already").format(
                option=option, name=matches[0], role=chosen[matches[0]]))
        chosen[matches[0]] = roles[0]
    return chosen


def _assignment_notes(session: Session) -> Any:
    """A listener that says in words what a role assignment replaced."""
    from roleplay.core import events as ev

    outside = set(session.outside_frame)  # who observes from outside the frame (roleplay/core/consent.py)

    def tell(event: Any) -> None:
        if isinstance(event.body, ev.RoleAssigned):
            note(session.assignment_text(event.body))
        elif isinstance(event.body, ev.Consent):
            name = event.body.participant
            if event.body.outside_frame:
                outside.add(name)
                note(_("{name}: observing outside the frame (while the session is filmed: no role in the frame)").format(name=name))
            elif name in outside:
                outside.discard(name)
                if event.body.given:
                    note(_("{name} consented to being filmed and may step into the frame").format(name=name))

    return tell


def _warn_group_size(scenario: Scenario, people: int) -> None:
    """The session still starts (the trainer knows the room); the warning says what the scenario expects."""
    size = scenario.group_size
    if size.max is not None and people > size.max:
        warn(_("{count} participants, but {id} is written for at most {most}: some may have no part to play, "
               "or split the group and run it twice").format(count=people, id=scenario.id, most=size.max))
    elif people < size.min:
        warn(_("{count} participants, but {id} is written for at least {least}: some roles may stay empty").format(
            count=people, id=scenario.id, least=size.min))


def _start(args: argparse.Namespace) -> Session:
    from roleplay.cli.secrets import new_passphrase
    from roleplay.core.engine import CommandError, Session
    from roleplay.core.log import LogError
    from roleplay.core.sealing import SealingError
    from roleplay.core.settings import recordings_root

    if not args.scenario:
        raise UsageError(_("give the SCENARIO to play, or --resume SESSION"))
    root = Path(args.out) if args.out else recordings_root()
    course = _course_of(args, root)
    if not args.participants and course is not None:
        if not course.trainees:
            raise CliError(_("course '{id}' has no trainees yet: roleplay course add {id} NAMES, or give --participants").format(id=course.id))
        args.participants = ",".join(course.trainees)
    if not args.participants:
        raise UsageError(_("the following arguments are required: --participants"))
    if args.passphrase_file and not args.encrypt:
        raise UsageError(_("--passphrase-file goes with --encrypt (or --resume of an encrypted session)"))
    scenario, path, participants = load_for_people(args)
    # From here on, what play says is in the session's language (an unknown --language is refused below, in English).
    set_language(args.language if args.language in scenario.languages else scenario.fallback)
    _warn_group_size(scenario, len(participants))
    if course is not None:
        guests = [p for p in participants if p.casefold() not in {t.casefold() for t in course.trainees}]
        if guests:
            warn(_("not trainees of {course}: {names} (their answers are not part of its growth)").format(
                course=course.name, names=", ".join(guests)))
    chosen = roles_from(args.role, scenario, participants)
    # Asked for before the folder is made: a short or missing passphrase leaves nothing behind.
    passphrase = new_passphrase(args, _("the new session")) if args.encrypt else None
    try:
        session = Session.start(
            scenario,
            participants,
            root=root,
            seed=args.seed,
            language=args.language,
            scenario_path=str(path),
            listeners=[_show],
            passphrase=passphrase,
            roles=chosen,
            course=course.id if course is not None else None,
        )
    except (CommandError, LogError, SealingError) as exc:
        raise CliError(str(exc)) from None
    if passphrase:
        note(_("session folder: {folder} (encrypted)").format(folder=session.folder))
    else:
        note(_("session folder: {folder}").format(folder=session.folder))
    if chosen:
        note(_("chosen roles (kept when roles are dealt): ") + ", ".join(
            _("{name} plays {role}").format(name=name, role=session.role_name(role)) for name, role in chosen.items()))
    session.listeners.append(_assignment_notes(session))
    return session


def _course_of(args: argparse.Namespace, root: Path) -> Any:
    """The course named by --course (kept beside the sessions under `root`), or None."""
    if not args.course:
        return None
    from roleplay.core.course import CourseError, load

    try:
        return load(root, args.course)
    except CourseError as exc:
        raise CliError(_("--course {course}: {error}").format(course=args.course, error=exc)) from None


def _resume(args: argparse.Namespace) -> Session:
    """The same resume as the app's Past sessions (Session.replay with resume): the log goes on."""
    from roleplay.cli.secrets import log_opener
    from roleplay.cli.session_arg import resolve_session
    from roleplay.core.engine import CommandError, Session
    from roleplay.core.log import LogError

    given = [flag for flag, value in (("SCENARIO", args.scenario), ("--participants", args.participants),
                                      ("--seed", args.seed), ("--language", args.language),
                                      ("--encrypt", args.encrypt or None), ("--role", args.role),
                                      ("--course", args.course)) if value is not None]
    if given:
        raise UsageError(_("--resume goes on with the session as it was logged: drop {given}").format(given=', '.join(given)))
    folder = resolve_session(args.resume, Path(args.out) if args.out else None, command="roleplay play --resume")
    _passphrase, opener = log_opener(args, folder)  # asks only when the session is encrypted
    try:
        session = Session.reopen(folder, opener=opener)
    except CommandError as exc:
        raise CliError(_("{error} (roleplay report {folder} shows it)").format(error=exc, folder=folder)) from None
    except (LogError, OSError) as exc:
        raise CliError(_("cannot resume {folder}: {exc}").format(folder=folder, exc=exc)) from None
    set_language(session.language)  # what play says from here on is in the session's language
    session.listeners.append(_show)
    session.listeners.append(_assignment_notes(session))
    _show(session.events[-1])  # session_resumed, logged while the log was reopened
    note(_("session folder: {folder} (resumed in phase '{phase}')").format(folder=folder, phase=session.phase))
    if session.outside_frame:
        note(_("observing outside the frame: {names}").format(names=", ".join(sorted(session.outside_frame))))
    if session.started is not None and session.started.recording:
        note(_("notice: this session was being recorded; play goes on without recording "
             "(resume it in the app to record again)"))
    return session


def cmd_play(args: argparse.Namespace) -> int:
    from roleplay.core.command_line import USAGE, available, run_command
    from roleplay.core.engine import CommandError, GuardWarning
    from roleplay.core.log import LogError

    if args.room_links and not args.room:
        raise UsageError(_("--room-links goes with --room"))
    session = _resume(args) if args.resume is not None else _start(args)

    def handle(line: str) -> int | None:
        """One line of input; an exit code when play stops here."""
        line = line.strip()
        if not line or line.startswith("#"):
            return None
        if line == "help":
            for name in available(session):
                usage = USAGE.get(name) or _("{trigger}   (route to another phase)").format(trigger=name)
                note(f"  {usage}")
            return None
        try:
            run_command(session, line)
        except GuardWarning as warning:
            warn(_("{message} (to go on anyway: {trigger} again)").format(message=warning.message, trigger=warning.trigger))
        except CommandError as exc:
            return err(exc)
        return None

    room_server = None
    try:
        if args.room:
            room_server, lines = _open_room(session, args)
        else:
            lines = iter(sys.stdin)
        told_after_end = False
        for line in lines:
            if session.ended and room_server is None:
                break
            stop = handle(line)
            if stop is not None and not session.ended:
                return stop
            if session.ended and room_server is not None and not told_after_end:
                # The course watches its scenes back afterwards: the room stays until input ends.
                note(_("the session has ended; the room stays open until input ends "
                       "(replay on / replay off: the phones' replay of their scenes)"))
                told_after_end = True
        if session.ended:
            return EXIT_OK
        if session.current.final:
            note(_("input ended in phase '{phase}', its final phase; `next` or `end` ends it "
                   "(roleplay play --resume {folder} goes on)").format(phase=session.phase, folder=session.folder))
        else:
            note(_("input ended in phase '{phase}', before its final phase (roleplay play --resume {folder} goes on)")
                 .format(phase=session.phase, folder=session.folder))
        return EXIT_EOF
    except LogError as exc:
        return err(exc)
    finally:
        if room_server is not None:
            room_server.stop()
        session.close()


def _open_room(session: Session, args: argparse.Namespace) -> tuple[Any, Iterator[str]]:
    """`--room`: the room's server, and the input lines to follow. The session stays on this thread: standard
    input is read by a helper thread, and both its lines and the room's commands come through one queue
    (roleplay/room/room.py explains why)."""
    import queue
    import threading

    from roleplay.room.cli import open_room

    inbox: queue.Queue[Any] = queue.Queue()
    server = open_room(session, args.room, links=args.room_links, dispatch=inbox.put)

    def read() -> None:
        try:
            for line in sys.stdin:
                inbox.put(line)
        finally:
            inbox.put(None)

    threading.Thread(target=read, name="play-stdin", daemon=True).start()

    def lines() -> Iterator[str]:
        while True:
            item = inbox.get()
            if item is None:
                return
            if callable(item):
                item()  # a command from the room, carried out here, on the session's thread
                continue
            yield item

    return server, lines()


# ----- cards --------------------------------------------------------------------------


def cmd_cards(args: argparse.Namespace) -> int:
    """A printable sheet of the dealt cards, the same deal as a session with the same seed."""
    from roleplay.core.card_sheet import card_sheet
    from roleplay.core.safe_write import WriteError, write_new_file

    scenario, _path, participants = load_for_people(args)
    try:
        text = card_sheet(scenario, participants, args.seed, args.language, args.deck)
    except ValueError as exc:
        raise CliError(str(exc)) from None
    output = args.output or f"cards-{scenario.id}.html"
    if output == "-":
        out_lines(text)
        return EXIT_OK
    try:
        write_new_file(Path(output), text.encode("utf-8"), force=args.force)
    except WriteError as exc:
        raise CliError(str(exc)) from None
    note(_("wrote {output}").format(output=output))
    return EXIT_OK


def register(sub: Any) -> None:
    p = add_command(
        sub, "play", cmd_play,
        help=_("run a session headless, one command per line on standard input"),
        usage="roleplay play SCENARIO --participants NAMES|--course COURSE [--role NAME=ROLE ...] [--seed N] [--language L]\n"
              "                     [--out DIR] [--encrypt [--passphrase-file FILE]] [--room [HOST:]PORT [--room-links]]\n"
              "       roleplay play --resume SESSION [--out DIR] [--passphrase-file FILE] [--room [HOST:]PORT [--room-links]]",
        description=(
            _("Run a session without the app: one command per line on standard input "
            "(next, a trigger name, timeout, note TEXT, mark LABEL, ...; 'help' lists them). "
            "Prints every event as a JSON line. Exit 0 at a final phase, 1 on an invalid command, "
            "3 when input ends first. --resume goes on with a session that was cut off, "
            "in the same folder and log, as the app's Past sessions does. --encrypt seals the new session's "
            "log with a passphrase (nothing about a person is written in plain text); resuming an encrypted "
            "session asks for it.")
        ),
    )
    p.add_argument("scenario", nargs="?", metavar="SCENARIO", help=SCENARIO_HELP)
    p.add_argument("--participants", help=PARTICIPANTS_HELP)
    p.add_argument("--course", metavar="COURSE", help=_("the session belongs to this course (roleplay course list); "
                                                       "without --participants, its trainees take part"))
    p.add_argument("--role", action="append", metavar="NAME=ROLE",
                   help=_("who plays a role (repeatable; ask for volunteers first): kept when roles are dealt, "
                        "the other places are dealt at random"))
    p.add_argument("--seed", type=int, default=None, help=_("seed for dealing roles and cards"))
    p.add_argument("--language", help=_("one of the scenario's languages"))
    p.add_argument("--out", metavar="DIR",
                   help=_("folder for session folders, where --resume looks SESSION up too (default: ./recordings in a checkout)"))
    p.add_argument("--resume", metavar="SESSION", help=_("go on with a session that did not end: {session_help}").format(session_help=SESSION_HELP))
    p.add_argument("--encrypt", action="store_true",
                   help=_("encrypt the new session's log with a new passphrase (at least 12 characters; "
                        "asked for twice, or from --passphrase-file or $ROLEPLAY_PASSPHRASE)"))
    add_passphrase_file(p, what=_("with --encrypt, the new passphrase; with --resume, the session's"))
    p.add_argument("--room", metavar="[HOST:]PORT",
                   help=_("open the room: participants' phones join the session on this address (default host "
                        "127.0.0.1, this computer only; 0.0.0.0 for the local network; port 0 picks a free one). "
                        "Prints 'room: URL'; the trainer accepts joins with accept NAME / refuse NAME"))
    p.add_argument("--room-links", action="store_true",
                   help=_("with --room, print 'link NAME URL' for each participant: a link that signs them in directly"))

    p = add_command(sub, "cards", cmd_cards, help=_("print a sheet of dealt cards"),
                    description=_("Write a printable HTML sheet: one large card per participant."))
    p.add_argument("scenario", metavar="SCENARIO", help=SCENARIO_HELP)
    p.add_argument("--participants", required=True, help=PARTICIPANTS_HELP)
    p.add_argument("--seed", type=int, default=1, help=_("the seed you will use for the session, so cards match"))
    p.add_argument("--language")
    p.add_argument("--deck", help=_("only this deck"))
    p.add_argument("-o", "--output", help=_("file to write (default: cards-ID.html)"))
    p.add_argument("--force", action="store_true", help=FORCE_HELP)


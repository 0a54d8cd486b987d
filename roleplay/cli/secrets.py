"""Where a command gets a passphrase: the one way for every command that may meet an encrypted session.

In this order:

1. `--passphrase-file FILE`: its first line (the line break after it is not
   part of the passphrase). A missing, unreadable or empty file is an error;
   a file that others than you may read works, with a warning.
2. `$ROLEPLAY_PASSPHRASE` (read in roleplay.core.settings).
3. A hidden prompt on the terminal. It reads `/dev/tty`, not standard input,
   so it works while standard input carries `play`'s commands. It is only
   shown when someone is at a terminal (standard input, output or error is
   one); otherwise the error says to use --passphrase-file or the variable
   (a script must never hang on a prompt nobody sees).

A NEW passphrase (encrypting a session or a recording) needs at least
MIN_PASSPHRASE characters, whichever way it comes; the prompt asks for it
twice. A passphrase that opens something is tried at once: a wrong one typed
at the prompt is asked for again (three tries), a wrong one from the file or
the variable is an error. Every failure is a CliError (`roleplay: error: ...`,
exit 1). The passphrase itself is never printed nor logged.

Only the standard library is imported here; building the parser stays cheap.
"""

from __future__ import annotations

import argparse
import os
import stat
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Callable, TypeVar

from roleplay.cli.errors import CliError
from roleplay.cli.output import warn
from roleplay.core.i18n import N_, _
from roleplay.core.printable import printable
from roleplay.core.settings import PASSPHRASE_ENV

if TYPE_CHECKING:
    from roleplay.core.sealing import Opener

T = TypeVar("T")

TRIES = 3  # at the prompt: a wrong, short or mistyped passphrase is asked for again this often
MAX_LINE = 4096  # bytes of a passphrase file's first line (a passphrase is never that long)
FILE_OPTION = "--passphrase-file"
HOW_TO_GIVE = N_("give {option} FILE or set ${variable}")  # formatted where it is shown


def add_passphrase_file(parser: argparse.ArgumentParser, *, new: bool = False, what: str | None = None) -> None:
    """The `--passphrase-file FILE` option, the same for every command (`new`: it encrypts something new)."""
    if what is None:
        what = _("the new passphrase (at least 12 characters)") if new else _("the passphrase of an encrypted session")
    parser.add_argument(
        FILE_OPTION, dest="passphrase_file", metavar="FILE",
        help=_("{what}: the first line of FILE (keep it readable only by you); otherwise ${passphrase_env}, else it is asked for in the terminal").format(what=what, passphrase_env=PASSPHRASE_ENV),
    )


# ----- the three places ---------------------------------------------------------------


def read_passphrase_file(path: str) -> str:
    """The first line of `path`, without its line break; CliError when there is none."""
    where = f"{FILE_OPTION} {path}"
    try:
        with open(path, "rb") as handle:
            info = os.fstat(handle.fileno())
            if stat.S_ISDIR(info.st_mode):
                raise CliError(_("cannot read {where}: it is a folder").format(where=where))
            line = handle.readline(MAX_LINE + 1)
    except OSError as exc:
        raise CliError(_("cannot read {where}: {strerror}").format(where=where, strerror=exc.strerror or exc)) from None
    if len(line) > MAX_LINE:
        raise CliError(_("{where}: its first line is longer than {max_line} bytes; is it the right file?").format(where=where, max_line=MAX_LINE))
    if stat.S_ISREG(info.st_mode) and info.st_mode & 0o044:
        warn(_("{path} is readable by others than you (mode {mode:04o}): anyone who can read it can open your sessions; chmod 600 {path}").format(path=path, mode=stat.S_IMODE(info.st_mode)))
    try:
        text = line.decode("utf-8")
    except UnicodeDecodeError:
        raise CliError(_("{where}: its first line is not UTF-8 text").format(where=where)) from None
    if text.endswith("\n"):
        text = text[:-1]
    if text.endswith("\r"):
        text = text[:-1]
    if not text:
        raise CliError(_("{where} is empty: its first line must hold the passphrase").format(where=where))
    return text


class _Terminal:
    """The controlling terminal (`/dev/tty`), for a prompt that does not show what is typed."""

    def __init__(self, fd: int):
        self.fd = fd

    @classmethod
    def open(cls) -> "_Terminal | None":
        """The terminal when someone is at one, else None."""
        if os.name != "posix":
            return None
        if not any(_isatty(stream) for stream in (sys.stdin, sys.stdout, sys.stderr)):
            return None  # run by a script or a test: nobody would see the prompt
        try:
            fd = os.open("/dev/tty", os.O_RDWR | os.O_NOCTTY | getattr(os, "O_CLOEXEC", 0))
        except OSError:
            return None  # no controlling terminal (a service, `setsid`, cron)
        import termios

        try:
            termios.tcgetattr(fd)
        except termios.error:
            os.close(fd)
            return None
        return cls(fd)

    def close(self) -> None:
        os.close(self.fd)

    def say(self, text: str) -> None:
        data = printable(text, keep_newlines=True).encode("utf-8", "replace")
        while data:
            data = data[os.write(self.fd, data):]

    def ask(self, prompt: str) -> str | None:
        """A line typed with echo off; None when input ends (ctrl+d)."""
        import termios

        old = termios.tcgetattr(self.fd)
        hidden = list(old)
        hidden[3] &= ~termios.ECHO
        termios.tcsetattr(self.fd, termios.TCSAFLUSH, hidden)
        try:
            self.say(prompt)
            data = b""
            while not data.endswith(b"\n"):
                chunk = os.read(self.fd, 1024)
                if not chunk:
                    if not data:
                        return None
                    break  # ctrl+d after some text ends the line too
                data += chunk
        finally:
            termios.tcsetattr(self.fd, termios.TCSAFLUSH, old)
            self.say("\n")
        text = data.decode("utf-8", "replace")
        return text[:-1] if text.endswith("\n") else text


def _isatty(stream: object) -> bool:
    try:
        return bool(stream is not None and stream.isatty())  # type: ignore[attr-defined]
    except (AttributeError, ValueError, OSError):
        return False


def _given(args: argparse.Namespace) -> tuple[str, str] | None:
    """(passphrase, where it came from) from the file or the variable; None when neither gives one."""
    path = getattr(args, "passphrase_file", None)
    if path:
        return read_passphrase_file(path), f"{FILE_OPTION} {path}"
    from roleplay.core.settings import passphrase

    value = passphrase()
    if value is not None:
        return value, f"${PASSPHRASE_ENV}"
    return None


def _no_terminal(reason: str) -> CliError:
    how = HOW_TO_GIVE.format(option=FILE_OPTION, variable=PASSPHRASE_ENV)
    return CliError(_("{reason}, and there is no terminal to ask for it: {how}").format(reason=reason, how=how))


# ----- what commands call -------------------------------------------------------------


def new_passphrase(args: argparse.Namespace, what: str) -> str:
    """A passphrase to encrypt `what` ("the new session") with: at least MIN_PASSPHRASE characters.

    Asked for twice at the terminal; from the file or the variable it is checked the same way.
    """
    from roleplay.core.sealing import MIN_PASSPHRASE, SealingError, check_passphrase

    given = _given(args)
    if given is not None:
        secret, where = given
        try:
            check_passphrase(secret)
        except SealingError as exc:
            raise CliError(f"{where}: {exc}") from None
        return secret
    terminal = _Terminal.open()
    if terminal is None:
        raise _no_terminal(_("encrypting {what} needs a new passphrase of at least {least} characters").format(what=what, least=MIN_PASSPHRASE))
    try:
        for _try in range(TRIES):
            first = terminal.ask(_("New passphrase for {what} (it cannot be recovered if lost): ").format(what=what))
            if first is None:
                break
            try:
                check_passphrase(first)
            except SealingError as exc:
                terminal.say(_("{exc}; try again\n").format(exc=exc))
                continue
            again = terminal.ask(_("The same passphrase again: "))
            if again is None:
                break
            if again == first:
                return first
            terminal.say(_("the two differ; try again\n"))
    finally:
        terminal.close()
    raise CliError(_("no passphrase given: {what} is not encrypted, and nothing was made").format(what=what))


def unlock(args: argparse.Namespace, reason: str, name: str, attempt: Callable[[str], T],
           errors: tuple[type[Exception], ...]) -> tuple[str, T]:
    """(passphrase, what `attempt(passphrase)` opened) for something encrypted.

    `reason` says what needs it ("the session in FOLDER is encrypted"), `name` is shown in the
    prompt. `attempt` raises one of `errors` when it cannot open; a wrong passphrase typed at the
    prompt is asked for again, any other failure is a CliError with its message.
    """
    given = _given(args)
    if given is not None:
        secret, _where = given
        try:
            return secret, attempt(secret)
        except errors as exc:
            raise CliError(str(exc)) from None
    terminal = _Terminal.open()
    if terminal is None:
        raise _no_terminal(_("{reason}: its passphrase is needed").format(reason=reason))
    try:
        for tries_left in range(TRIES - 1, -1, -1):
            secret_or_none = terminal.ask(_("Passphrase for {name}: ").format(name=name))
            if not secret_or_none:
                break
            try:
                return secret_or_none, attempt(secret_or_none)
            except errors as exc:
                if not _is_wrong(exc) or not tries_left:
                    raise CliError(str(exc)) from None
                terminal.say(_("wrong passphrase; try again\n"))
    finally:
        terminal.close()
    raise CliError(_("{reason}: no passphrase given").format(reason=reason))


def _is_wrong(exc: Exception) -> bool:
    """Whether `exc` says the passphrase was wrong (then it is worth asking again), not that a key is damaged.

    roleplay.core.sealing and roleplay.video.crypto both raise a `WrongPassphrase` (its words are translated).
    """
    if type(exc).__name__ == "WrongPassphrase":
        return True
    # Passed on by other layers as a message only (ReadError, CommandFailed): the start of those words.
    text = str(exc)
    starts = (_("wrong passphrase for {folder}"), _("wrong passphrase for the recording in {folder}"))
    return any(start.split("{")[0].strip() and text.startswith(start.split("{")[0]) for start in starts)


def log_opener(args: argparse.Namespace, folder: Path) -> tuple[str | None, "Opener | None"]:
    """(passphrase, opener) to read an encrypted session log; (None, None) for a plain one (nothing asked)."""
    from roleplay.core.folder import SessionFolder

    paths = SessionFolder(Path(folder))
    if not paths.sealed:
        return None, None
    from roleplay.core.sealing import SealingError, opener_for

    secret, opener = unlock(args, _("the session in {folder} is encrypted").format(folder=folder), Path(folder).name,
                            lambda secret: opener_for(paths, secret), (SealingError,))
    return secret, opener


def given_passphrase(args: argparse.Namespace) -> str | None:
    """The passphrase from --passphrase-file or the environment, without asking (commands that read many sessions)."""
    found = _given(args)
    return found[0] if found else None

"""One way to read a SESSION argument, for every command that takes one.

A SESSION is, in this order:

1. a path to a session folder (`recordings/20261123-101500-guess-who`);
2. the name of a folder under the recordings folder (`20261123-101500-guess-who`);
3. `last`, or nothing where the command allows it: the newest session there;
4. the start of one folder's name (`20261123-1015`), when only one matches.

A session folder holds a `session.jsonl` or a `video` folder. Anything else
is an error that says what there is: the candidates an ambiguous prefix
matches, or the newest sessions when nothing matches.
"""

from __future__ import annotations

import os
from pathlib import Path

from roleplay.cli.errors import CliError
from roleplay.core.folder import LOG_NAME, VIDEO_DIR, VIDEO_INDEX_NAME
from roleplay.core.i18n import _

NEWEST = "last"
SHOWN = 8  # candidates named in a message


def is_session_folder(folder: Path) -> bool:
    return folder.is_dir() and ((folder / LOG_NAME).is_file() or (folder / VIDEO_DIR).is_dir())


def has_video(folder: Path) -> bool:
    return (folder / VIDEO_DIR / VIDEO_INDEX_NAME).is_file()


def session_folders(root: Path) -> list[Path]:
    """The session folders directly under `root`, newest first (by the folder's time, then name)."""
    try:
        children = [p for p in Path(root).iterdir() if not p.is_symlink() and is_session_folder(p)]
    except OSError:
        return []

    def key(folder: Path) -> tuple[float, str]:
        try:
            return folder.stat().st_mtime, folder.name
        except OSError:
            return 0.0, folder.name

    return sorted(children, key=key, reverse=True)


def _names(folders: list[Path]) -> str:
    names = ", ".join(f.name for f in folders[:SHOWN])
    more = len(folders) - SHOWN
    return _("{names} and {more} more").format(names=names, more=more) if more > 0 else names


def resolve_session(
    ref: str | None,
    root: Path | None = None,
    *,
    newest: bool = True,
    video: bool = False,
    command: str = "roleplay sessions",
) -> Path:
    """The session folder a SESSION argument names; CliError with the candidates otherwise.

    `newest`: `last` (and an empty or missing argument) means the newest
    session; `video`: the newest means the newest with a recording.
    `command` is what the user may run to see what there is.
    """
    if root is None:
        from roleplay.core.settings import recordings_root

        root = recordings_root()
    root = Path(root)
    if not ref or ref == NEWEST:
        exact = root / ref if ref else None
        if exact is not None and is_session_folder(exact):
            return exact
        if not newest:
            raise CliError(_("give a SESSION: a session folder, or its name under the recordings folder "
                           "(roleplay sessions lists them)"))
        found = [f for f in session_folders(root) if has_video(f)] if video else session_folders(root)
        if not found:
            what = _("no session with video") if video else _("no session")
            raise CliError(_("{what} under {root}; name one: {command} SESSION").format(what=what, root=root, command=command))
        return found[0]

    path = Path(ref)
    if path.is_dir():
        if not is_session_folder(path):
            raise CliError(_("{path} is not a session folder (it has no {log_name} and no {video_dir} folder)").format(path=path, log_name=LOG_NAME, video_dir=VIDEO_DIR))
        return path
    looks_like_a_path = os.sep in ref or (os.altsep is not None and os.altsep in ref) or ref in (".", "..")
    if looks_like_a_path:
        if path.exists():
            raise CliError(_("{ref}: not a session folder (a file, not a folder)").format(ref=ref))
        raise CliError(_("{ref}: no such session folder").format(ref=ref))

    folders = session_folders(root)
    for folder in folders:
        if folder.name == ref:
            return folder
    matches = [f for f in folders if f.name.startswith(ref)]
    if len(matches) == 1:
        return matches[0]
    if matches:
        raise CliError(_("'{ref}' matches {count} sessions under {root}: {matches}; give more of the name").format(ref=ref, count=len(matches), root=root, matches=_names(matches)))
    if (root / ref).exists():
        raise CliError(_("{path} is not a session folder (it has no {log_name} and no {video_dir} folder)").format(
            path=root / ref, log_name=LOG_NAME, video_dir=VIDEO_DIR))
    there = _("sessions there, newest first: {folders}").format(folders=_names(folders)) if folders else _("there are no sessions there")
    raise CliError(_("no session '{ref}': not a folder, nor a session under {root} ({there})").format(ref=ref, root=root, there=there))

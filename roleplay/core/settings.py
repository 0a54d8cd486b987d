"""Every place on disk and every environment variable the program uses, in one module.

Other modules ask here instead of reading `os.environ` or building paths from
the home folder themselves. The user's data, cache and config folders come
from platformdirs (on Linux it honours `$XDG_DATA_HOME`, `$XDG_CACHE_HOME` and
`$XDG_CONFIG_HOME`; on macOS and Windows it uses their usual places).

Nothing here touches the disk except `private_dir`, which makes the folders
the program keeps for the user readable only by them (0700). A folder that
exists already keeps its mode: the program never changes one it did not make.

The README's table of environment variables is checked against `VARIABLES`.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import NamedTuple

APP = "roleplay"
PRIVATE_DIR_MODE = 0o700

RECORDINGS_ENV = "ROLEPLAY_RECORDINGS"
SCENARIOS_ENV = "ROLEPLAY_SCENARIOS"
CONFIG_ENV = "ROLEPLAY_CONFIG"
COUNTRY_ENV = "ROLEPLAY_COUNTRY"
PASSPHRASE_ENV = "ROLEPLAY_PASSPHRASE"
DEBUG_ENV = "ROLEPLAY_DEBUG"

DEFAULT_COUNTRY = "GB"
LOCAL_RECORDINGS = "recordings"  # ./recordings, used when it exists (a checkout)
LOCAL_SCENARIOS = "scenarios"  # ./scenarios: the author's own exercises
LIBRARY_CACHE_NAME = "library.json"
VALIDATE_CACHE_NAME = "validate.json"  # what `roleplay validate` found in each file (core/validate_cache.py)
COURSES_FOLDER = "courses"  # in the sessions root: one file per course (core/course.py)


class Variable(NamedTuple):  # not a dataclass: dataclasses imports inspect, 10 ms of every command's start
    name: str
    meaning: str
    default: str


VARIABLES: tuple[Variable, ...] = (
    Variable(RECORDINGS_ENV, "folder that holds session folders (new sessions, `sessions`, `replay`, `prune`...)",
             "`./recordings` when it exists (a checkout), else `recordings` in the user's data folder"),
    Variable(SCENARIOS_ENV, "folder of the author's own scenarios, listed beside the built-in ones",
             "`./scenarios`"),
    Variable(CONFIG_ENV, "folder for the trainer's rosters and remembered choices",
             "the user's config folder (`~/.config/roleplay` on Linux)"),
    Variable(COUNTRY_ENV, "country code of the support lines shown after hard exercises", f"`{DEFAULT_COUNTRY}`"),
    Variable("ROLEPLAY_LANGUAGE", "language code of the program's own words outside a session (library, `list`, `validate`, "
             "help); a session shows its own language", "`en`"),
    Variable(PASSPHRASE_ENV, "passphrase of encrypted sessions (log and recording), when no --passphrase-file is given; otherwise asked for in the terminal", "none"),
    Variable(DEBUG_ENV, "set to 1 to get a Python traceback instead of a one-line message on an unexpected error",
             "unset"),
    Variable("ROLEPLAY_TEST_ONLY_KEY_CACHE", "for the test suite only: a marked private folder in which one test run shares its "
             "passphrase-wrapped keys (saves age's slow scrypt); never set it anywhere else", "unset"),
    Variable("XDG_DATA_HOME", "Linux: base of the user's data folder (`roleplay/recordings` and `roleplay/trainer-scripts` in it)", "`~/.local/share`"),
    Variable("XDG_CACHE_HOME", "Linux: base of the cache folder (`roleplay/library.json`: scenario summaries for `list`)",
             "`~/.cache`"),
    Variable("XDG_CONFIG_HOME", "Linux: base of the config folder, when `ROLEPLAY_CONFIG` is not set", "`~/.config`"),
    Variable("DISPLAY", "Linux: `replay --window` needs a display (this or `WAYLAND_DISPLAY`)", "unset"),
    Variable("WAYLAND_DISPLAY", "Linux: as `DISPLAY`", "unset"),
)


def env(name: str) -> str | None:
    """An environment variable's value; unset and empty are the same."""
    value = os.environ.get(name)
    return value if value else None


# ----- the user's folders -----------------------------------------------------------


def data_dir() -> Path:
    import platformdirs

    return platformdirs.user_data_path(APP, appauthor=False)


def cache_dir() -> Path:
    import platformdirs

    return platformdirs.user_cache_path(APP, appauthor=False)


def config_dir() -> Path:
    """Rosters and remembered choices: `$ROLEPLAY_CONFIG`, else the user's config folder."""
    value = env(CONFIG_ENV)
    if value:
        return Path(value)
    import platformdirs

    return platformdirs.user_config_path(APP, appauthor=False)


def recordings_root() -> Path:
    """Where session folders go: `$ROLEPLAY_RECORDINGS`, `./recordings` in a checkout, else the data folder."""
    value = env(RECORDINGS_ENV)
    if value:
        return Path(value)
    here = Path(LOCAL_RECORDINGS)
    if here.is_dir():
        return here
    return data_dir() / "recordings"


def scenarios_dir() -> Path:
    """The author's own scenarios: `$ROLEPLAY_SCENARIOS`, else `./scenarios` (absolute)."""
    return Path(env(SCENARIOS_ENV) or LOCAL_SCENARIOS).resolve()


def trainer_scripts_dir() -> Path:
    """Printable trainer's scripts saved from the app (they hold private briefs: a private folder)."""
    return data_dir() / "trainer-scripts"


def library_cache_path() -> Path:
    return cache_dir() / LIBRARY_CACHE_NAME


def validate_cache_path() -> Path:
    return cache_dir() / VALIDATE_CACHE_NAME


# ----- other settings ---------------------------------------------------------------


def default_country() -> str:
    return (env(COUNTRY_ENV) or DEFAULT_COUNTRY).upper()


def passphrase() -> str | None:
    """The passphrase given in the environment, if any."""
    return env(PASSPHRASE_ENV)


def debug() -> bool:
    return (env(DEBUG_ENV) or "0").lower() not in ("0", "no", "false")


def has_display() -> bool:
    """Whether a window can be opened (on Linux: an X or Wayland display is named)."""
    if sys.platform.startswith("linux"):
        return bool(env("DISPLAY") or env("WAYLAND_DISPLAY"))
    return True


# ----- making folders ---------------------------------------------------------------


def private_dir(path: Path) -> Path:
    """Make `path` and any missing parents readable only by the user (0700), whatever the umask.

    Folders that exist already are left as they are. Raises OSError when a
    folder cannot be made.
    """
    path = Path(path)
    missing = []
    current = path
    while not current.exists():
        missing.append(current)
        if current.parent == current:
            break
        current = current.parent
    for folder in reversed(missing):
        try:
            folder.mkdir(mode=PRIVATE_DIR_MODE)
        except FileExistsError:
            continue  # made by another process meanwhile: not ours to change
        os.chmod(folder, PRIVATE_DIR_MODE)
    if not path.is_dir():
        raise NotADirectoryError(20, "not a folder", str(path))
    return path

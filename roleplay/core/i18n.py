"""The program's own words (not the scenario's) through one catalogue: gettext, domain `roleplay`.

English is the source language: every text the program shows is written in English in the code
and goes through `_()` where it is made, so a catalogue in
`roleplay/locale/<lang>/LC_MESSAGES/roleplay.mo` translates it without touching the code.
`roleplay/locale/roleplay.pot` lists every message (`make messages`, checked by
tests/test_catalogues.py). Scenario texts are data and never pass here. Only the standard
library's gettext is used at run time; Babel is needed only to extract and compile (`make messages`).

- `_("Add to {title}").format(title=x)`: translate now. A placeholder stays named, so a
  translator sees it and may move it.
- `ngettext("{n} entry", "{n} entries", n).format(n=n)`: the plural form for `n`.
- `N_("Help")`: for texts defined at import time (binding descriptions, module constants). It
  returns a `LazyText`, a `str` that holds the English source and translates when shown:
  `str()`, formatting and concatenation give the language in use then.

Which language. The TUI and the command line have one current language per process
(`set_language`; the app follows the session it shows, `play` the session it runs). A session's
own texts do not depend on that: `in_language(code)` makes `_()` answer in `code` for the code
run inside it, in this thread (or asyncio task) only, so the room's web server, which serves a
session from worker threads, shows it in the session's language without switching anything for
other threads. `translations_for(code)` is that language's catalogue (loaded once, then cached),
for code that wants it explicitly (the Jinja2 pages get its gettext functions).
A language without a catalogue falls back to the English source.
"""

from __future__ import annotations

import gettext as _gettext
import re
import threading
from contextlib import contextmanager
from contextvars import ContextVar
from pathlib import Path
from typing import Iterator

DOMAIN = "roleplay"
SOURCE_LANGUAGE = "en"
# The languages the course runs in (issue 12). English is the source; a language's catalogue is
# roleplay/locale/<code>/LC_MESSAGES/roleplay.po, compiled to the roleplay.mo beside it.
COURSE_LANGUAGES: tuple[str, ...] = ("en", "es", "de", "ro", "bg", "nl")
LOCALE_DIR = Path(__file__).resolve().parent.parent / "locale"


class Translations:
    """One language's catalogue: `gettext` and `ngettext` for it (the English source when a message has no translation)."""

    def __init__(self, language: str, translations: _gettext.NullTranslations):
        self.language = language
        self._translations = translations
        catalog = getattr(translations, "_catalog", {})
        # msgid -> msgstr of the singular messages: `_()` is one dict lookup
        self.messages: dict[str, str] = {k: v for k, v in catalog.items() if isinstance(k, str) and k and v}

    def gettext(self, message: str) -> str:
        return self.messages.get(message, message)

    def ngettext(self, singular: str, plural: str, n: int) -> str:
        return self._translations.ngettext(str.__str__(singular), str.__str__(plural), n)

    def __repr__(self) -> str:
        return f"Translations({self.language!r}, {len(self.messages)} messages)"


_cache: dict[tuple[str, str], Translations] = {}
_cache_lock = threading.Lock()
# A language code as scenarios write it (en, es, pt-BR); anything else (a session log is read from disk) is
# never looked up as a folder name: it shows English.
_CODE = re.compile(r"[A-Za-z]{2,3}(?:[-_][A-Za-z0-9]{2,8})?")


def normal_code(code: str | None) -> str:
    """`None`, "" -> the source language; "en-GB" stays as given (gettext also looks for "en")."""
    return (code or SOURCE_LANGUAGE).strip() or SOURCE_LANGUAGE


def translations_for(code: str | None) -> Translations:
    """The catalogue of `code` (None: English), loaded from LOCALE_DIR once and then cached; safe from any thread."""
    code = normal_code(code)
    key = (str(LOCALE_DIR), code)
    found = _cache.get(key)
    if found is not None:
        return found
    if code == SOURCE_LANGUAGE or not _CODE.fullmatch(code):
        loaded: _gettext.NullTranslations = _gettext.NullTranslations()
    else:
        # gettext expands "de_AT" to ["de_AT", "de"]: a regional code finds its language's catalogue.
        loaded = _gettext.translation(DOMAIN, localedir=str(LOCALE_DIR), languages=[code.replace("-", "_")], fallback=True)
    made = Translations(code, loaded)
    with _cache_lock:
        return _cache.setdefault(key, made)


def forget_catalogues() -> None:
    """Drop every cached catalogue (after `make messages` compiled new ones, or a test swapped LOCALE_DIR)."""
    global _current
    with _cache_lock:
        _cache.clear()
    _current = translations_for(_current.language)


LANGUAGE_ENV = "ROLEPLAY_LANGUAGE"  # the default language of the app and the command line outside a session


def default_language() -> str:
    """The language outside a session: `$ROLEPLAY_LANGUAGE` when it is a language code, else English.

    Only this variable, never the system locale: a trainer chooses the program's language on purpose, and
    a shared laptop's locale says nothing about the course.
    """
    from roleplay.core.settings import env  # the one place that reads the environment

    code = (env(LANGUAGE_ENV) or "").strip()
    return code if _CODE.fullmatch(code) else SOURCE_LANGUAGE


_current: Translations = translations_for(default_language())  # the process's language (TUI, CLI)
_scoped: ContextVar[Translations | None] = ContextVar("roleplay_language", default=None)  # in_language()


def active() -> Translations:
    """The catalogue `_()` uses here and now: `in_language`'s in this thread or task, else the process's."""
    return _scoped.get() or _current


def _(message: str) -> str:
    """The message in the language in use (the English source when there is no translation)."""
    return (_scoped.get() or _current).messages.get(message, message)


def ngettext(singular: str, plural: str, n: int) -> str:
    """The singular or plural message for `n`, in the language in use."""
    return (_scoped.get() or _current).ngettext(singular, plural, n)


class LazyText(str):
    """An English message that translates when shown (see the module's note).

    Its `str` value stays the English source, so equality, hashing and the catalogue lookup use
    the source; `str()`, `format()`, `%`, f-strings and `+` give the language in use.
    """

    __slots__ = ()

    def __str__(self) -> str:
        return str.__str__(_(self))  # a plain str, never the LazyText itself

    def __format__(self, spec: str) -> str:
        return format(str(self), spec)

    def __add__(self, other: str) -> str:
        return str(self) + str(other)

    def __radd__(self, other: str) -> str:
        return str(other) + str(self)

    def format(self, *args: object, **kwargs: object) -> str:
        return str(self).format(*args, **kwargs)

    def __mod__(self, values: object) -> str:  # argparse expands a help text with `%`
        return str(self) % values

    def __repr__(self) -> str:
        return f"N_({str.__repr__(self)})"


def N_(message: str) -> LazyText:  # noqa: N802 - the usual gettext name, known to the extractor
    """Mark a text defined at import time; it is translated when shown."""
    return LazyText(message)


def language() -> str:
    """The language `_()` answers in here and now."""
    return active().language


def set_language(code: str | None) -> str:
    """The process's language from now on (None: the default, `default_language()`); returns the language used.

    For the TUI and the command line, which show one session at a time. A language without a
    catalogue falls back to the English source.
    """
    global _current
    _current = translations_for(code or default_language())
    return _current.language


@contextmanager
def in_language(code: str | None) -> Iterator[Translations]:
    """`_()` answers in `code` inside the block, in this thread or asyncio task only."""
    token = _scoped.set(translations_for(code))
    try:
        yield _scoped.get() or _current
    finally:
        _scoped.reset(token)


def catalogue_languages() -> list[str]:
    """The languages that have a translation (a roleplay.po) under LOCALE_DIR, sorted."""
    return sorted(p.parts[-3] for p in LOCALE_DIR.glob("*/LC_MESSAGES/roleplay.po"))

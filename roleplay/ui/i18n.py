"""The app's own words (not the scenario's) through one catalogue: gettext, domain `roleplay`.

English is the source language: every UI text is written in English in the code and goes
through `_()` where it is shown, so a catalogue dropped into
`roleplay/locale/<lang>/LC_MESSAGES/roleplay.mo` translates it without touching a screen.
`roleplay/locale/roleplay.pot` lists every message (`python -m roleplay.ui.i18n_extract`,
checked by tests/ui/test_ui_text_catalogue.py). Scenario texts are data and never pass here.

- `_("Add to {title}").format(title=x)`: translate now. A placeholder stays named, so a
  translator sees it and may move it.
- `ngettext("{n} entry", "{n} entries", n).format(n=n)`: the plural form for `n`.
- `N_("Help")`: for texts defined at import time (binding descriptions, module constants). It
  returns a `LazyText`, a `str` that holds the English source and translates when shown:
  `str()`, formatting and concatenation give the current language. Textual's `Footer` joins the
  description with `+` (translated); the app's footer, key panel and palette call `_()` on it.
- `set_language(code)`: switch at run time. A language without a catalogue (today: every one but
  English) falls back to the English source. The app switches to a session's language when the
  session starts or resumes, and back to the default in the library.

`_()` is one dict lookup: the catalogue of the current language, loaded once per switch.
Babel is needed only to extract messages (a test dependency), never at run time.
"""

from __future__ import annotations

import gettext as _gettext
from pathlib import Path

DOMAIN = "roleplay"
SOURCE_LANGUAGE = "en"
LOCALE_DIR = Path(__file__).resolve().parent.parent / "locale"  # roleplay/locale/<lang>/LC_MESSAGES/roleplay.mo

_language: str = SOURCE_LANGUAGE
_translations: _gettext.NullTranslations = _gettext.NullTranslations()
_messages: dict[str, str] = {}  # msgid -> msgstr of the current language (singular messages only)


def _(message: str) -> str:
    """The message in the current language (the English source when there is no translation)."""
    return _messages.get(message, message)


def ngettext(singular: str, plural: str, n: int) -> str:
    """The singular or plural message for `n`, in the current language."""
    return _translations.ngettext(str.__str__(singular), str.__str__(plural), n)


class LazyText(str):
    """An English message that translates when shown (see the module's note).

    Its `str` value stays the English source, so equality, hashing and the catalogue lookup use
    the source; `str()`, `format()`, f-strings and `+` give the current language.
    """

    __slots__ = ()

    def __str__(self) -> str:
        return str.__str__(_messages.get(self, self))  # a plain str, never the LazyText itself

    def __format__(self, spec: str) -> str:
        return format(str(self), spec)

    def __add__(self, other: str) -> str:  # type: ignore[override]
        return str(self) + str(other)

    def __radd__(self, other: str) -> str:
        return str(other) + str(self)

    def format(self, *args: object, **kwargs: object) -> str:  # type: ignore[override]
        return str(self).format(*args, **kwargs)

    def __repr__(self) -> str:
        return f"N_({str.__repr__(self)})"


def N_(message: str) -> LazyText:  # noqa: N802 - the usual gettext name, known to the extractor
    """Mark a text defined at import time; it is translated when shown."""
    return LazyText(message)


def language() -> str:
    """The language the app's own texts are shown in now."""
    return _language


def set_language(code: str | None) -> str:
    """Show the app's texts in `code` (None: the default, English) from now on; returns the language used.

    A language without a catalogue falls back to the English source. Screens already drawn keep
    their words until they are drawn again; the footer and key panel follow at once once the
    caller refreshes the bindings (the app does).
    """
    global _language, _translations, _messages
    code = (code or SOURCE_LANGUAGE).strip() or SOURCE_LANGUAGE
    if code == _language:
        return _language
    if code == SOURCE_LANGUAGE:
        translations: _gettext.NullTranslations = _gettext.NullTranslations()
    else:
        translations = _gettext.translation(DOMAIN, localedir=str(LOCALE_DIR), languages=[code], fallback=True)
    catalog = getattr(translations, "_catalog", {})
    _messages = {key: value for key, value in catalog.items() if isinstance(key, str) and key and value}
    _translations = translations
    _language = code
    return _language


"""The app's own words through the program's one catalogue: see roleplay/core/i18n.py.

The helpers live in roleplay.core (core's own messages use them too, and core imports nothing
from the UI); this module keeps the screens' imports short: `from roleplay.ui.i18n import _, N_`.
The app has one current language: `app.use_language(code)` switches it when a session starts or
resumes, and back to the default in the library.
"""

from __future__ import annotations

from roleplay.core.i18n import (
    COURSE_LANGUAGES,
    DOMAIN,
    SOURCE_LANGUAGE,
    LazyText,
    N_,
    _,
    in_language,
    language,
    ngettext,
    set_language,
    translations_for,
)

__all__ = [
    "COURSE_LANGUAGES", "DOMAIN", "SOURCE_LANGUAGE", "LazyText", "N_", "_", "in_language", "language", "ngettext",
    "set_language", "translations_for",
]

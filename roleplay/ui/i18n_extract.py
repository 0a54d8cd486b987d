"""`make messages`: the template of the app's own messages, and the compiled catalogues.

    python -m roleplay.ui.i18n_extract

1. Babel's extractor reads every module under roleplay/ui for `_()`, `N_()` and `ngettext()`
   and writes roleplay/locale/roleplay.pot: sorted by message, with the file each message is
   in but no line numbers and no dates, so it changes only when a message does. A test fails
   when it is out of date (tests/ui/test_ui_text_catalogue.py).
2. Every translation roleplay/locale/<lang>/LC_MESSAGES/roleplay.po is compiled to the
   roleplay.mo beside it, which the app loads at run time (roleplay/ui/i18n.py). None exist yet:
   English is the source language.

Babel is a test dependency only; the app never imports it.
"""

from __future__ import annotations

import io
import sys
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[1]  # roleplay/
UI = PACKAGE / "ui"
LOCALE = PACKAGE / "locale"
POT = LOCALE / "roleplay.pot"
SKIP = {"i18n.py", "i18n_extract.py"}

HEADER = '''\
# The roleplay app's own messages (roleplay/ui), English source. Do not edit:
# `make messages` (python -m roleplay.ui.i18n_extract) writes it from the code.
# Translations go in roleplay/locale/<lang>/LC_MESSAGES/roleplay.po.
msgid ""
msgstr ""
"Project-Id-Version: roleplay\\n"
"MIME-Version: 1.0\\n"
"Content-Type: text/plain; charset=utf-8\\n"
"Content-Transfer-Encoding: 8bit\\n"

'''


def render_pot() -> str:
    """The template as it should be now (text of roleplay/locale/roleplay.pot)."""
    from babel.messages.catalog import Catalog
    from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
    from babel.messages.pofile import write_po

    catalog = Catalog(project="roleplay", charset="utf-8")
    found = extract_from_dir(
        str(UI),
        method_map=[("**.py", "python")],
        keywords=DEFAULT_KEYWORDS,
        callback=None,
        strip_comment_tags=True,
    )
    for filename, _lineno, message, comments, context in found:
        if Path(filename).name in SKIP:
            continue
        where = (Path("roleplay") / "ui" / filename).as_posix()
        catalog.add(message, None, [(where, 0)], auto_comments=comments, context=context)
    out = io.BytesIO()
    write_po(out, catalog, sort_output=True, omit_header=True, include_lineno=False, width=100)
    return HEADER + out.getvalue().decode("utf-8")


def compile_catalogues() -> list[Path]:
    """roleplay.po -> roleplay.mo for every language that has a translation; returns the files written."""
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po

    written = []
    for po in sorted(LOCALE.glob("*/LC_MESSAGES/roleplay.po")):
        with po.open("rb") as handle:
            catalog = read_po(handle, locale=po.parts[-3])
        mo = po.with_suffix(".mo")
        with mo.open("wb") as handle:
            write_mo(handle, catalog)
        written.append(mo)
    return written


def main() -> int:
    LOCALE.mkdir(exist_ok=True)
    text = render_pot()
    POT.write_text(text, encoding="utf-8")
    print(f"wrote {POT.relative_to(PACKAGE.parent)}")
    for mo in compile_catalogues():
        print(f"compiled {mo.relative_to(PACKAGE.parent)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

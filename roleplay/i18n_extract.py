"""`make messages`: the template of the program's messages, every translation brought up to date, compiled.

    python -m roleplay.i18n_extract            # all three steps
    python -m roleplay.i18n_extract --template  # only roleplay/locale/roleplay.pot

1. Babel's extractors read every module of the package for `_()`, `N_()` and `ngettext()`, and
   every Jinja2 page under roleplay/pages/templates for `{% trans %}` and `_()`, and write
   roleplay/locale/roleplay.pot: sorted by message, with the files each message is in but no line
   numbers and no dates, so it changes only when a message does. A test fails when it is out of
   date (tests/test_catalogues.py).
2. Every translation roleplay/locale/<lang>/LC_MESSAGES/roleplay.po is updated from the template,
   as msgmerge would: new messages are added empty, a changed one comes back marked fuzzy (the
   old translation kept as a suggestion), a removed one is kept at the end as obsolete (`#~`).
   Translators then fill in what is empty or fuzzy; the tests name each such message.
3. Each .po is compiled to the roleplay.mo beside it, which the program loads at run time with the
   standard library's gettext (roleplay/core/i18n.py). The .mo files are committed and shipped in
   the wheel, so a machine with only Python (no Babel) runs every language; a test checks that
   each .mo says what its .po says.

Babel is a test and development dependency only; the program never imports it.
"""

from __future__ import annotations

import io
import sys
from pathlib import Path
from typing import Any

PACKAGE = Path(__file__).resolve().parent  # roleplay/
LOCALE = PACKAGE / "locale"
POT = LOCALE / "roleplay.pot"
TEMPLATES = PACKAGE / "pages" / "templates"
SKIP = {"i18n.py", "i18n_extract.py"}  # the helpers themselves: their `_` is a definition, not a message

# Babel's extraction methods: Python modules, and the Jinja2 pages read with the same settings as
# roleplay/pages/render.py (whitespace inside {% trans %} trimmed; new-style gettext, whose
# placeholders are %(name)s and whose literal percent sign is written %%).
JINJA_OPTIONS = {"trimmed": "true", "newstyle_gettext": "true", "trim_blocks": "true", "lstrip_blocks": "true"}
WIDTH = 100

HEADER = '''\
# The roleplay program's own messages, English source. Do not edit:
# `make messages` (python -m roleplay.i18n_extract) writes it from the code and the pages.
# Translations go in roleplay/locale/<lang>/LC_MESSAGES/roleplay.po (`make messages` updates them).
msgid ""
msgstr ""
"Project-Id-Version: roleplay\\n"
"MIME-Version: 1.0\\n"
"Content-Type: text/plain; charset=utf-8\\n"
"Content-Transfer-Encoding: 8bit\\n"

'''


def template_catalog() -> Any:
    """Every message of the program, as a Babel catalogue (the template's contents)."""
    from babel.messages.catalog import Catalog
    from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir

    catalog = Catalog(project="roleplay", charset="utf-8")
    found: list[tuple[str, Any, list[str], Any]] = []
    for filename, _lineno, message, comments, context in extract_from_dir(
        str(PACKAGE), method_map=[("**.py", "python")], keywords=DEFAULT_KEYWORDS, strip_comment_tags=True,
    ):
        if Path(filename).name in SKIP:
            continue
        found.append((f"roleplay/{Path(filename).as_posix()}", message, comments, context))
    for filename, _lineno, message, comments, context in extract_from_dir(
        str(TEMPLATES), method_map=[("**.html", "jinja2")], options_map={"**.html": JINJA_OPTIONS},
        keywords=DEFAULT_KEYWORDS, strip_comment_tags=True,
    ):
        found.append((f"roleplay/pages/templates/{Path(filename).as_posix()}", message, comments, context))
    for where, message, comments, context in found:
        catalog.add(message, None, [(where, 0)], auto_comments=comments, context=context)
    return catalog


def _po_text(catalog: Any, *, omit_header: bool) -> str:
    from babel.messages.pofile import write_po

    out = io.BytesIO()
    write_po(out, catalog, sort_output=True, omit_header=omit_header, include_lineno=False, width=WIDTH)
    return out.getvalue().decode("utf-8")


def render_pot() -> str:
    """The template as it should be now (text of roleplay/locale/roleplay.pot)."""
    return HEADER + _po_text(template_catalog(), omit_header=True)


def translations() -> list[Path]:
    """Every translation's .po under roleplay/locale, sorted by language."""
    return sorted(LOCALE.glob("*/LC_MESSAGES/roleplay.po"))


def read_catalog(po: Path) -> Any:
    from babel.messages.pofile import read_po

    with po.open("rb") as handle:
        return read_po(handle, locale=po.parts[-3])


def update_translation(po: Path, template: Any) -> bool:
    """Bring one .po up to date with the template (msgmerge-style); returns whether it changed."""
    before = po.read_text(encoding="utf-8")
    catalog = read_catalog(po)
    catalog.update(template, update_creation_date=False)
    after = _po_text(catalog, omit_header=False)
    if after != before:
        po.write_text(after, encoding="utf-8")
        return True
    return False


def compiled(po: Path) -> bytes:
    """The .mo that the .po at `po` compiles to (fuzzy and empty translations left out)."""
    from babel.messages.mofile import write_mo

    out = io.BytesIO()
    write_mo(out, read_catalog(po))
    return out.getvalue()


def compile_catalogues() -> list[Path]:
    """roleplay.po -> roleplay.mo for every language that has a translation; returns the files written."""
    written = []
    for po in translations():
        mo = po.with_suffix(".mo")
        data = compiled(po)
        if not mo.exists() or mo.read_bytes() != data:
            mo.write_bytes(data)
            written.append(mo)
    return written


def main(argv: list[str] | None = None) -> int:
    import argparse

    parser = argparse.ArgumentParser(
        prog="python -m roleplay.i18n_extract",
        description="Write roleplay/locale/roleplay.pot from the code, update every translation from it, compile them.",
    )
    parser.add_argument("--template", action="store_true", help="only write the template (roleplay.pot); no .po is touched")
    args = ["--template"] if parser.parse_args(sys.argv[1:] if argv is None else argv).template else []
    LOCALE.mkdir(exist_ok=True)
    text = render_pot()
    POT.write_text(text, encoding="utf-8")
    print(f"wrote {POT.relative_to(PACKAGE.parent)}")
    if "--template" in args:
        return 0
    template = template_catalog()
    for po in translations():
        if update_translation(po, template):
            print(f"updated {po.relative_to(PACKAGE.parent)}")
    for mo in compile_catalogues():
        print(f"compiled {mo.relative_to(PACKAGE.parent)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""The one Jinja2 environment: templates from this package, autoescape on, unknown names an error.

The pages' own words are in the program's catalogue (roleplay/core/i18n.py): `{% trans %}` blocks
and `_()` in the templates, extracted by `make messages`. Each `render` hands the page the gettext
functions of one language (`language=`, else the one in use in this thread) in its context, so
pages for sessions in different languages can be rendered at the same time from different threads:
the shared environment is never switched.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any, Callable

from jinja2 import Environment, PackageLoader, StrictUndefined, pass_context
from jinja2.runtime import Context
from markupsafe import Markup

from roleplay.core.i18n import Translations, active, translations_for


@lru_cache(maxsize=1)
def environment() -> Environment:
    env = Environment(
        loader=PackageLoader("roleplay.pages", "templates"),
        autoescape=True,  # every value is data: escaped, whatever the template's file name
        undefined=StrictUndefined,  # a misspelt name in a template fails a test, not a page
        trim_blocks=True,
        lstrip_blocks=True,
        extensions=["jinja2.ext.i18n"],
    )
    # New-style gettext: `{% trans name=x %}Hello {{ name }}{% endtrans %}` and `_("Hello %(name)s", name=x)`
    # escape the translation and every value (markup goes in as a value made with {% set %}).
    env.newstyle_gettext = True  # type: ignore[attr-defined]
    env.policies["ext.i18n.trimmed"] = True  # a message's line breaks and indentation are not part of it
    return env


def _as_text(text: str) -> Markup:
    """A translation made safe as page text: it is text, never markup, so it cannot open a tag or end a
    double-quoted attribute (the templates put translations only in text and in double-quoted attributes).
    Apostrophes stay as typed, so a page's source reads as the words do."""
    return Markup(text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&#34;"))


def _gettext(translations: Translations) -> Callable[..., str]:
    @pass_context
    def gettext(context: Context, message: str, **variables: Any) -> str:
        text = translations.gettext(message)
        if context.eval_ctx.autoescape:
            text = _as_text(text)
        return text % variables

    return gettext


def _ngettext(translations: Translations) -> Callable[..., str]:
    @pass_context
    def ngettext(context: Context, singular: str, plural: str, n: int, **variables: Any) -> str:
        variables.setdefault("num", n)
        text = translations.ngettext(singular, plural, n)
        if context.eval_ctx.autoescape:
            text = _as_text(text)
        return text % variables

    return ngettext


def render(template: str, *, language: str | None = None, **context: Any) -> str:
    """The page `template` with `context`, its own words in `language` (None: the language in use here)."""
    translations = translations_for(language) if language else active()
    context.setdefault("lang", translations.language)
    return environment().get_template(template).render(
        gettext=_gettext(translations), ngettext=_ngettext(translations), **context,
    )

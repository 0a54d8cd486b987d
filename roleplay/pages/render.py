"""The one Jinja2 environment: templates from this package, autoescape on, unknown names an error."""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from jinja2 import Environment, PackageLoader, StrictUndefined


@lru_cache(maxsize=1)
def environment() -> Environment:
    return Environment(
        loader=PackageLoader("roleplay.pages", "templates"),
        autoescape=True,  # every value is data: escaped, whatever the template's file name
        undefined=StrictUndefined,  # a misspelt name in a template fails a test, not a page
        trim_blocks=True,
        lstrip_blocks=True,
    )


def render(template: str, **context: Any) -> str:
    return environment().get_template(template).render(**context)

"""Support resources (crisis lines) per country, shown at the end of hard exercises.

One editable YAML file per country under `scenarios/resources/<CC>.yaml`
(built-in) or `./scenarios/resources/` (the trainer's own copy wins).
"""

from __future__ import annotations

from pathlib import Path
from typing import Optional

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from roleplay.core.library import builtin_dir, local_dir
from roleplay.core.i18n import _
from roleplay.core.yamlsource import SourceError, decode, parse


class Resource(BaseModel):
    model_config = ConfigDict(extra="forbid")
    name: str
    phone: Optional[str] = None
    hours: Optional[str] = None
    url: Optional[str] = None
    note: Optional[str] = None
    source: Optional[str] = None  # the service's own page where the number was confirmed
    checked: Optional[str] = None  # year and month this entry was confirmed there


class CountryResources(BaseModel):
    model_config = ConfigDict(extra="forbid")
    country: str = Field(pattern=r"^[A-Z]{2}$")
    name: str
    language: str
    checked: Optional[str] = None
    resources: list[Resource] = Field(min_length=1)


class ResourcesError(Exception):
    pass


def resource_dirs() -> list[Path]:
    return [local_dir() / "resources", builtin_dir() / "resources"]


def available_countries() -> list[str]:
    codes = set()
    for folder in resource_dirs():
        if folder.is_dir():
            codes |= {p.stem.upper() for p in folder.glob("*.yaml") if len(p.stem) == 2}
    return sorted(codes)


def default_country(language: str | None = None) -> str:
    """The country whose lines are shown when none was chosen.

    `$ROLEPLAY_COUNTRY` is a choice and wins; else the country whose support lines are written in the
    session's language (`country_for_language`); else the built-in default.
    """
    from roleplay.core.settings import COUNTRY_ENV, env
    from roleplay.core.settings import default_country as configured

    if env(COUNTRY_ENV) or not language:
        return configured()
    return country_for_language(language) or configured()


def country_for_language(language: str) -> str | None:
    """The country of the support-lines file written in `language` ("es" -> ES, "en-GB" -> GB).

    When several files share the language, the one whose code matches the language's region or the
    language itself wins, then the built-in default, then the first by code. None when no file fits.
    """
    from roleplay.core.settings import DEFAULT_COUNTRY

    base, _, region = language.partition("-")
    matches = []
    for code in available_countries():
        for folder in resource_dirs():
            path = folder / f"{code}.yaml"
            if path.is_file():
                written_in = _language_of(path)
                if written_in is not None and written_in.split("-")[0].lower() == base.lower():
                    matches.append(code)
                break  # the trainer's own copy hides the built-in one
    for preferred in (region.upper(), base.upper(), DEFAULT_COUNTRY):
        if preferred in matches:
            return preferred
    return matches[0] if matches else None


_LANGUAGE_OF: dict[tuple[str, int, int], str | None] = {}  # (path, mtime, size) -> its `language:`


def _language_of(path: Path) -> str | None:
    """The `language:` a support-lines file is written in; read again only when the file changes (the
    set-up screen asks for every file's each time the session's language changes)."""
    try:
        st = path.stat()
    except OSError:
        return None
    key = (str(path), st.st_mtime_ns, st.st_size)
    if key not in _LANGUAGE_OF:
        try:
            data, _marks = parse(decode(path.read_bytes()))
        except (SourceError, OSError):
            data = None
        _LANGUAGE_OF[key] = str(data.get("language", "")) if isinstance(data, dict) else None
    return _LANGUAGE_OF[key]


def load_resources(country: str | None = None, language: str | None = None) -> CountryResources:
    """The support lines for `country`; with no country, for the default of the session's `language`."""
    code = (country or default_country(language)).upper()
    for folder in resource_dirs():
        path = folder / f"{code}.yaml"
        if path.is_file():
            try:
                data, marks = parse(decode(path.read_bytes()))
                return CountryResources.model_validate(data)
            except SourceError as exc:
                raise ResourcesError(f"{path}:{exc.line}:{exc.column}: {exc.message}") from None
            except ValidationError as exc:
                first = exc.errors()[0]
                where = ".".join(str(p) for p in first["loc"])
                line, col = marks.locate(tuple(first["loc"]))
                raise ResourcesError(f"{path}:{line}:{col}: {where}: {first['msg']}") from None
            except OSError as exc:
                raise ResourcesError(f"{path}: {exc.strerror or exc}") from None
    known = ", ".join(available_countries()) or _("none")
    raise ResourcesError(_("no support resources for country '{code}' (available: {known}); add scenarios/resources/{code}.yaml").format(code=code, known=known))

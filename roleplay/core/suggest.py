""""Did you mean" for misspelt ids and keys, and language codes for language names.

Authors write `languages: [german]` or `{english: ...}` as often as a typo in an id;
both get the fix in the message rather than a rule to look up.
"""

from __future__ import annotations

import difflib
import re
from typing import Iterable

from roleplay.core.i18n import _
from roleplay.core.text import LANGUAGE_CODE


def close_match(word: str, known: Iterable[str]) -> str | None:
    """The known word closest to `word`, when one is close enough to be a likely typo."""
    choices = [k for k in known if isinstance(k, str)]
    if not isinstance(word, str) or not choices:
        return None
    lowered = {c.lower(): c for c in choices}
    if word.lower() in lowered and lowered[word.lower()] != word:
        return lowered[word.lower()]  # only the case differs
    found = difflib.get_close_matches(word, choices, n=1, cutoff=0.6)
    return found[0] if found else None


def did_you_mean(word: str, known: Iterable[str]) -> str:
    """`; did you mean 'x'?` or nothing."""
    guess = close_match(word, known)
    return _("; did you mean '{guess}'?").format(guess=guess) if guess else ""


# Language names, in English and in the language itself (lower case, with and without accents),
# to their ISO 639-1 code: the course's six first, then other common ones.
LANGUAGE_NAMES: dict[str, str] = {
    # the course's languages
    "english": "en", "inglés": "en", "ingles": "en", "englisch": "en", "engels": "en", "engleză": "en",
    "engleza": "en", "английски": "en", "angliyski": "en",
    "spanish": "es", "español": "es", "espanol": "es", "castellano": "es", "castilian": "es", "spanisch": "es",
    "spaans": "es", "spaniolă": "es", "spaniola": "es", "испански": "es", "ispanski": "es",
    "german": "de", "deutsch": "de", "alemán": "de", "aleman": "de", "duits": "de", "germană": "de",
    "germana": "de", "немски": "de", "nemski": "de",
    "romanian": "ro", "română": "ro", "romana": "ro", "romanä": "ro", "rumano": "ro", "rumänisch": "ro",
    "rumaenisch": "ro", "roemeens": "ro", "румънски": "ro", "rumanski": "ro", "moldovan": "ro",
    "bulgarian": "bg", "български": "bg", "balgarski": "bg", "bulgarski": "bg", "búlgaro": "bg", "bulgaro": "bg",
    "bulgarisch": "bg", "bulgaars": "bg", "bulgară": "bg", "bulgara": "bg",
    "dutch": "nl", "nederlands": "nl", "flemish": "nl", "vlaams": "nl", "neerlandés": "nl", "neerlandes": "nl",
    "holandés": "nl", "holandes": "nl", "niederländisch": "nl", "niederlaendisch": "nl", "olandeză": "nl",
    "olandeza": "nl", "нидерландски": "nl", "холандски": "nl",
    # other common languages
    "french": "fr", "français": "fr", "francais": "fr",
    "italian": "it", "italiano": "it",
    "portuguese": "pt", "português": "pt", "portugues": "pt",
    "polish": "pl", "polski": "pl",
    "greek": "el", "ελληνικά": "el", "ellinika": "el",
    "turkish": "tr", "türkçe": "tr", "turkce": "tr",
    "russian": "ru", "русский": "ru", "russkiy": "ru",
    "ukrainian": "uk", "українська": "uk", "ukrainska": "uk",
    "arabic": "ar", "العربية": "ar",
    "catalan": "ca", "català": "ca",
    "basque": "eu", "euskara": "eu",
    "galician": "gl", "galego": "gl",
    "swedish": "sv", "svenska": "sv",
    "danish": "da", "dansk": "da",
    "norwegian": "no", "norsk": "no",
    "finnish": "fi", "suomi": "fi",
    "hungarian": "hu", "magyar": "hu",
    "czech": "cs", "čeština": "cs", "cestina": "cs",
    "slovak": "sk", "slovenčina": "sk", "slovencina": "sk",
    "slovenian": "sl", "slovene": "sl", "slovenščina": "sl", "slovenscina": "sl",
    "croatian": "hr", "hrvatski": "hr",
    "serbian": "sr", "српски": "sr", "srpski": "sr",
    "macedonian": "mk", "македонски": "mk",
    "albanian": "sq", "shqip": "sq",
    "irish": "ga", "gaeilge": "ga",
    "welsh": "cy", "cymraeg": "cy",
    "lithuanian": "lt", "lietuvių": "lt",
    "latvian": "lv", "latviešu": "lv",
    "estonian": "et", "eesti": "et",
    "hebrew": "he", "עברית": "he",
    "persian": "fa", "farsi": "fa", "فارسی": "fa",
    "hindi": "hi", "हिन्दी": "hi",
    "urdu": "ur", "اردو": "ur",
    "chinese": "zh", "中文": "zh", "mandarin": "zh",
    "japanese": "ja", "日本語": "ja",
    "korean": "ko", "한국어": "ko",
    "somali": "so", "soomaali": "so",
    "tigrinya": "ti", "ትግርኛ": "ti",
    "amharic": "am", "አማርኛ": "am",
    "kurdish": "ku", "kurdî": "ku",
    "pashto": "ps", "پښتو": "ps",
    "romani": "rom", "romanes": "rom",
}

# Country codes and old codes that are often written for a language.
_WRONG_CODES: dict[str, str] = {
    "sp": "es", "esp": "es", "ger": "de", "gr": "el", "dk": "da", "se": "sv", "cz": "cs", "jp": "ja",
    "ua": "uk", "gb": "en", "eng": "en", "dut": "nl", "rum": "ro", "bul": "bg", "cn": "zh", "kr": "ko",
    "ir": "fa", "il": "he", "br": "pt", "rs": "sr", "si": "sl", "ee": "et", "al": "sq",
}


def language_code_for(written: str) -> str | None:
    """The code an author most likely meant by a language name or a wrong code (`german` -> `de`)."""
    if not isinstance(written, str):
        return None
    word = written.strip().lower()
    if word in LANGUAGE_NAMES:
        return LANGUAGE_NAMES[word]
    if word in _WRONG_CODES:
        return _WRONG_CODES[word]
    region = re.fullmatch(r"([a-zA-Z]{2,3})[-_]([a-zA-Z]{2})", written.strip())
    if region:  # en_GB, en-gb -> en-GB
        fixed = "{language}-{region}".format(language=region.group(1).lower(), region=region.group(2).upper())
        return fixed if fixed != written and LANGUAGE_CODE.match(fixed) else None
    if LANGUAGE_CODE.match(word) and word != written:
        return word  # EN -> en
    guess = difflib.get_close_matches(word, list(LANGUAGE_NAMES), n=1, cutoff=0.8)
    return LANGUAGE_NAMES[guess[0]] if guess else None


def language_hint(written: str) -> str:
    """`; use the language code 'de'` when the intended code is clear, else how codes look."""
    code = language_code_for(written)
    if code:
        return _("; use the language code '{code}'").format(code=code)
    return _(" (use a two-letter code such as en, es, de, ro, bg or nl)")

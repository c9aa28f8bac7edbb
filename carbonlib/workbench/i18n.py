"""English and Traditional Chinese: one glossary for headings, captions, table headers and labels.

Every workbook takes a ``lang`` parameter (``"en"`` or ``"zh-TW"``). English is the language
the workbooks are written in; the Traditional Chinese edition is rendered through the glossary
``carbonlib/glossary.csv``, whose terms are the reports' own (許可權交易, 計畫基礎交易, 標竿值,
碳洩漏風險係數, 跨部門矯正係數 …). A string is translated

1. whole, when the glossary has it (kind ``heading``, ``caption``, ``label``, ``column`` or
   ``ui``), else
2. phrase by phrase: glossary terms (kind ``term``) are replaced, longest first, and the rest is
   left in English. A caption so rendered is partly English; adding the whole caption to the
   glossary makes it wholly Chinese.

Column names are rendered as headers with their unit (``volume_mtco2e`` → "volume (MtCO2e)",
or "交易量 (MtCO2e)").

References
----------
000_318ba4d3771c8f90.txt and 001_b0950b57165db085.txt (the terms in ``glossary.csv`` carry the
report they come from in its ``source`` column).
"""

from __future__ import annotations

import csv
import functools
import re
from pathlib import Path

from carbonlib.errors import InputError

LANGS = ("en", "zh-TW")
GLOSSARY_FILE = Path(__file__).with_name("glossary.csv")

#: Unit suffixes of column names (the project's naming convention) and how headers show them.
UNIT_SUFFIXES = (
    ("_usd_per_t", "US$/t"), ("_eur_per_t", "EUR/t"), ("_mtco2e", "MtCO2e"), ("_ktco2", "ktCO2"),
    ("_tco2", "tCO2"), ("_musd", "MUS$"), ("_meur", "MEUR"), ("_pct", "%"), ("_per_year", "per year"),
    ("_per_day", "per day"), ("_mt", "Mt"), ("_kt", "kt"), ("_t", "t"), ("_eur", "EUR"), ("_usd", "US$"),
    ("_mw", "MW"), ("_tj", "TJ"),
)

_NUMBERED = re.compile(r"^(Table|Figure)\s+(\d+(?:\.\d+)?)\.\s*")


def check_lang(lang: str) -> str:
    """Return ``lang`` if the project renders it, else raise :class:`InputError`."""
    if lang not in LANGS:
        raise InputError(f"lang {lang!r}: use one of {', '.join(LANGS)}")
    return lang


@functools.lru_cache(maxsize=1)
def glossary() -> dict[str, tuple[str, str]]:
    """The glossary as ``{english: (chinese, kind)}``.

    Raises
    ------
    InputError
        If the file has a row without both languages, or an English entry twice.
    """
    out: dict[str, tuple[str, str]] = {}
    with GLOSSARY_FILE.open(encoding="utf-8", newline="") as fh:
        for line, row in enumerate(csv.DictReader(fh), start=2):
            en, zh, kind = (row.get("en") or "").strip(), (row.get("zh_TW") or "").strip(), (row.get("kind") or "").strip()
            if not en or not zh:
                raise InputError(f"{GLOSSARY_FILE.name}, line {line}: both 'en' and 'zh_TW' are needed")
            if en in out:
                raise InputError(f"{GLOSSARY_FILE.name}, line {line}: {en!r} is listed twice")
            out[en] = (zh, kind)
    return out


@functools.lru_cache(maxsize=1)
def _term_pattern() -> re.Pattern | None:
    terms = sorted((en for en, (_, kind) in glossary().items() if kind == "term"), key=len, reverse=True)
    if not terms:
        return None
    parts = []
    for t in terms:
        esc = re.escape(t)
        left = r"(?<![A-Za-z0-9_])" if t[0].isalnum() else ""
        right = r"(?![A-Za-z0-9_])" if t[-1].isalnum() else ""
        parts.append(left + esc + right)
    return re.compile("|".join(parts), re.IGNORECASE)


@functools.lru_cache(maxsize=1)
def _terms_lower() -> dict[str, str]:
    return {en.lower(): zh for en, (zh, kind) in glossary().items() if kind == "term"}


def translate(text: str, lang: str = "en") -> str:
    """Render an English heading, caption or label in ``lang``.

    Parameters
    ----------
    text : str
        English text as written in a workbook.
    lang : {"en", "zh-TW"}
        Target language.

    Returns
    -------
    str
        ``text`` unchanged for English; for Traditional Chinese, the glossary's translation of
        the whole string if it has one, else the string with every glossary term replaced.

    Examples
    --------
    >>> translate("Table 3. Product benchmarks", "zh-TW").startswith("表 3．")
    True
    >>> translate("free allocation", "en")
    'free allocation'
    """
    check_lang(lang)
    if lang == "en" or not text:
        return text
    m = _NUMBERED.match(text)
    if m:
        word = "表" if m.group(1) == "Table" else "圖"
        return f"{word} {m.group(2)}．" + translate(text[m.end():], lang)
    g = glossary()
    stripped = text.strip()
    if stripped in g:
        return text.replace(stripped, g[stripped][0])
    pattern = _term_pattern()
    if pattern is None:
        return text
    terms = _terms_lower()
    return pattern.sub(lambda mm: terms[mm.group(0).lower()], text)


def translate_exact(text: str, lang: str = "en") -> str:
    """``text`` in ``lang`` only if the glossary has the whole string, else unchanged.

    Used for table cells, which hold data (identifiers, printed English) that must not be
    translated word by word.

    Examples
    --------
    >>> translate_exact("agrees", "zh-TW")
    '一致'
    >>> translate_exact("start_cap", "zh-TW")
    'start_cap'
    """
    check_lang(lang)
    if lang == "en" or not isinstance(text, str):
        return text
    hit = glossary().get(text.strip())
    return text.replace(text.strip(), hit[0]) if hit else text


def split_unit(column: str) -> tuple[str, str]:
    """Split a column name into its base and the unit its suffix names.

    Examples
    --------
    >>> split_unit("value_musd")
    ('value', 'MUS$')
    >>> split_unit("year")
    ('year', '')
    """
    for suffix, unit in UNIT_SUFFIXES:
        if column.endswith(suffix) and len(column) > len(suffix):
            return column[: -len(suffix)], unit
    return column, ""


def column_label(column: object, lang: str = "en") -> str:
    """A table header for a column name: words, then the unit in brackets.

    Examples
    --------
    >>> column_label("volume_mtco2e")
    'volume (MtCO2e)'
    >>> column_label("volume_mtco2e", "zh-TW")
    '交易量 (MtCO2e)'
    """
    name = str(column)
    g = glossary()
    if lang != "en" and name in g:
        return g[name][0]
    base, unit = split_unit(name)
    words = base.replace("_", " ").strip() if "_" in base or base.islower() else base
    if lang != "en":
        words = translate(words, lang)
    return f"{words} ({unit})" if unit else words

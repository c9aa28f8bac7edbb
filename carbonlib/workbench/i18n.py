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

from carbonlib.errors import DataError, InputError

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
    for line, row in enumerate(_rows(), start=2):
        en, zh, kind = (row.get("en") or "").strip(), (row.get("zh_TW") or "").strip(), (row.get("kind") or "").strip()
        if not en or not zh:
            raise InputError(f"{GLOSSARY_FILE.name}, line {line}: both 'en' and 'zh_TW' are needed")
        if en in out and out[en] != (zh, kind):
            raise InputError(f"{GLOSSARY_FILE.name}, line {line}: {en!r} is listed twice, with different translations")
        out[en] = (zh, kind)
    return out


@functools.lru_cache(maxsize=1)
def _rows() -> tuple[dict[str, str], ...]:
    """The rows of ``glossary.csv``, read once."""
    with GLOSSARY_FILE.open(encoding="utf-8", newline="") as fh:
        return tuple(csv.DictReader(fh))


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


#: A number in a glossary template's slot (``{0}``, ``{1}`` …): 7 · 24,669 · 78.2 · −0.5 · 2007.
_SLOT_VALUE = r"([−\-]?\d+(?:,\d{3})*(?:\.\d+)?)"
_SLOT = re.compile(r"\{(\d)\}")


def _compile_templates(slot: str, flags: int = 0) -> list[tuple[re.Pattern, str]]:
    """Every glossary entry with numbered slots as a pattern (each slot matching ``slot``), longest first."""
    out = []
    for en, (zh, _) in glossary().items():
        if not _SLOT.search(en):
            continue
        pattern, last = "", 0
        for m in _SLOT.finditer(en):
            pattern += re.escape(en[last:m.start()]) + f"(?P<s{m.group(1)}>{slot})"
            last = m.end()
        pattern += re.escape(en[last:])
        out.append((len(en), re.compile(pattern, flags), zh))
    return [(rx, zh) for _, rx, zh in sorted(out, key=lambda t: -t[0])]


@functools.lru_cache(maxsize=1)
def _templates() -> list[tuple[re.Pattern, str]]:
    """Glossary entries with numbered slots, longest first: a caption that carries the run's numbers
    (``"all {0} cells"``) is translated with the numbers carried over."""
    return _compile_templates(_SLOT_VALUE[1:-1])


@functools.lru_cache(maxsize=1)
def _whole_templates() -> list[tuple[re.Pattern, str]]:
    """Glossary entries with numbered slots read as a whole string: a slot holds any text (a
    number, a parameter such as ``scenario_label``), which is carried over translated."""
    return _compile_templates(".+?", re.S)


@functools.lru_cache(maxsize=4096)
def _fill_whole(text: str, lang: str) -> str | None:
    for rx, zh in _whole_templates():
        m = rx.fullmatch(text)
        if m:
            return _SLOT.sub(lambda s, m=m: translate(m.group(f"s{s.group(1)}"), lang), zh)
    return None


def _fill_templates(text: str) -> str:
    for rx, zh in _templates():
        text = rx.sub(lambda m, zh=zh: _SLOT.sub(lambda s: m.group(f"s{s.group(1)}"), zh), text)
    return text


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

    A glossary entry with numbered slots carries the run's numbers over:

    >>> translate("The EU ETS holds 78.2 % in 2007, against the text's 將近 8 成.", "zh-TW")
    '歐盟排放交易體系 2007 年占 78.2%，對照本文所稱「將近 8 成」。'
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
    whole = _fill_whole(stripped, lang) if stripped else None
    if whole is not None:
        return text.replace(stripped, whole)
    text = _fill_templates(text)
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
    >>> translate_exact("not_in_the_glossary", "zh-TW")
    'not_in_the_glossary'
    """
    check_lang(lang)
    if lang == "en" or not isinstance(text, str):
        return text
    hit = glossary().get(text.strip())
    if hit:
        return text.replace(text.strip(), hit[0])
    whole = _fill_whole(text.strip(), lang) if text.strip() else None
    return text.replace(text.strip(), whole) if whole is not None else text


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
    """A table header for a column name: the reader's words, then the unit in brackets.

    The descriptors' field ``title`` (``x_title_zh``) and ``x_unit`` come first, then the
    glossary, then the labels of identifiers (a pivoted table's columns are values), then the
    rules: a trailing year or phase goes before the unit, the unit suffix becomes the bracket.

    Examples
    --------
    >>> column_label("volume_mtco2e")
    'Volume (MtCO2e)'
    >>> column_label("volume_mtco2e", "zh-TW")
    '交易量 (MtCO2e)'
    >>> column_label("volume_mtco2e_2006")
    'Volume 2006 (MtCO2e)'
    """
    check_lang(lang)
    name = str(column)
    g = glossary()
    if lang != "en" and name in g:
        return g[name][0]
    field = descriptor_labels()["fields"].get(name)
    if field:
        title = field["en"] if lang == "en" else (field["zh-TW"] or translate(field["en"], lang))
        unit = field["unit"] if field["unit"] not in ("", "1") else split_unit(name)[1]
        return f"{title} ({unit})" if unit else title
    if lang == "en" and name in _glossary_en():
        return _glossary_en()[name]
    if name not in descriptor_labels()["names"]:  # a pivoted table's columns are identifiers
        known = value_label(name, None, lang, rule=False)
        if known:
            return known
    if name.endswith("_zh") and lang == "en":  # the report's own words
        base = name[:-3].replace("_printed", "")
        return f"{_capital(humanize(base))}, as printed" if base else "As printed"
    qualified = _QUALIFIED.match(name)
    if qualified:
        base, qualifier = qualified.groups()
        head = column_label(base, lang)
        words, bracket = (head[: head.rindex(" (")], head[head.rindex(" ("):]) if head.endswith(")") and " (" in head else (head, "")
        if qualifier.isdigit():
            return f"{words} {qualifier}{bracket}" if lang == "en" else f"{qualifier} 年{words}{bracket}"
        return f"{words}, {column_label(qualifier, lang)}{bracket}" if lang == "en" else f"{column_label(qualifier, lang)}{words}{bracket}"
    phase = _PHASE.match(name)
    if phase:
        if lang == "en":
            return humanize(name)
        return "第" + "&".join(_ZH_PHASE.get(p, p) for p in phase.groups() if p) + "階段"
    base, unit = split_unit(name)
    words = humanize(base) if "_" in base or base.islower() else base
    words = _capital(words) if lang == "en" else translate(words, lang)
    return f"{words} ({unit})" if unit else words


# --------------------------------------------------------------------------- labels of tables
#
# Tables show people's words, never the identifiers the data and the CSV outputs keep. A label
# is looked up, in this order, in
#
# 1. the data package's descriptors (``data/resources/*.json``, read through
#    :func:`carbonlib.datasets.package`): a field's ``title`` / ``x_title_zh`` with its ``x_unit``
#    for a column, and an identifier field's ``x_labels`` (``{"eu_ets": {"en": "EU ETS",
#    "zh-TW": "歐盟"}}``) for a value;
# 2. the glossary: an identifier listed as kind ``label`` or ``column`` gives the Chinese, its
#    ``label_en`` column (when filled) the English;
# 3. rules: a trailing year or phase (``volume_mtco2e_2006``, ``phase1_2``), the unit suffixes,
#    and words from the identifier with the project's abbreviations spelt as written (``EU``,
#    ``CDM``, ``JI`` …).

#: How the words of an identifier are written in a label (abbreviations, symbols).
WORDS = {
    "eu": "EU", "europe": "Europe", "ets": "ETS", "esd": "ESD", "cdm": "CDM", "ji": "JI", "aau": "AAU", "gis": "GIS",
    "uk": "UK", "nz": "NZ", "nsw": "NSW", "ccx": "CCX", "co2": "CO2", "co2e": "CO2e", "n2o": "N2O",
    "pfc": "PFC", "hfc": "HFC", "ghg": "GHG", "nace": "NACE", "cpa": "CPA", "prodcom": "PRODCOM",
    "gva": "GVA", "eua": "EUA", "euas": "EUAs", "cer": "CER", "cers": "CERs", "eru": "ERU",
    "erus": "ERUs", "ols": "OLS", "adf": "ADF", "kpss": "KPSS", "ar": "AR", "ma": "MA", "aic": "AIC",
    "bic": "BIC", "hal": "HAL", "lrf": "LRF", "cscf": "CSCF", "clef": "CLEF", "aea": "AEA",
    "eits": "EITs", "eit": "EIT", "eu10": "EU10", "eu15": "EU15", "eaf": "EAF", "mw": "MW",
    "tj": "TJ", "se": "standard error", "ci": "CI", "sd": "SD", "vs": "vs", "plus": "+",
    "pct": "%", "musd": "MUS$", "meur": "MEUR", "mtco2e": "MtCO2e", "mtco2": "MtCO2",
    "nobs": "observations", "rsquared": "R²", "dec13": "Dec-13", "ms": "member state",
    "mpkm": "million passenger-km", "mkm": "million km", "kt": "kt", "km": "km", "pkm": "passenger-km",
    "p2": "point (2)", "p3": "point (3)", "p4": "point (4)", "p5": "point (5)", "p6": "point (6)",
    "p7": "point (7)", "p8": "point (8)", "p9": "point (9)", "p10": "point (10)", "p11": "point (11)",
    "p12": "point (12)",
}
_PHASE = re.compile(r"^phase(\d)(?:_(\d))?$")
_QUALIFIED = re.compile(r"^(.+?)_(\d{4}|phase\d(?:_\d)?)$")
_ZH_PHASE = {"1": "一", "2": "二", "3": "三", "4": "四"}
#: A snake_case identifier (two or more lower-case words joined by ``_``).
SNAKE = re.compile(r"(?<![A-Za-z0-9_.])(?=[a-z0-9_]*[a-z])[a-z0-9]+(?:_[a-z0-9]+)+(?![A-Za-z0-9_.])")


def humanize(identifier: str) -> str:
    """English words for an identifier no descriptor or glossary labels.

    Examples
    --------
    >>> humanize("other_europe_nz")
    'other Europe NZ'
    >>> humanize("cdm_plus_ji")
    'CDM + JI'
    """
    phase = _PHASE.match(identifier)
    if phase:
        return f"Phase {phase.group(1)}" + (f"–{phase.group(2)}" if phase.group(2) else "")
    words = [WORDS.get(w, w.upper() if len(w) == 1 else w) for w in identifier.split("_") if w]
    out = []
    for w in words:
        m = _PHASE.match(w)
        out.append(f"Phase {m.group(1)}" if m else w)
    return " ".join(out)


def _capital(text: str) -> str:
    return text[:1].upper() + text[1:] if text[:1].islower() else text


@functools.lru_cache(maxsize=1)
def _glossary_en() -> dict[str, str]:
    """English labels of glossary identifiers (the optional ``label_en`` column)."""
    glossary()  # the file's rows are checked there
    return {(row.get("en") or "").strip(): (row.get("label_en") or "").strip()
            for row in _rows() if (row.get("label_en") or "").strip()}


@functools.lru_cache(maxsize=1)
def descriptor_labels() -> dict[str, dict]:
    """Labels the data package's descriptors give, as plain mappings.

    Returns
    -------
    dict
        ``fields``: ``{column: {"en": title, "zh-TW": title, "unit": unit}}`` (the first
        resource that titles a column wins); ``values``: ``{column: {identifier: {lang: label}}}``
        from the fields' ``x_labels``; ``any``: ``{identifier: {lang: label}}`` over all fields;
        ``reverse``: ``{Chinese label: (column, identifier)}``; ``names``: every field name.
    """
    from carbonlib import datasets

    fields: dict[str, dict[str, str]] = {}
    values: dict[str, dict[str, dict[str, str]]] = {}
    anywhere: dict[str, dict[str, str]] = {}
    reverse: dict[str, tuple[str, str]] = {}
    names: set[str] = set()
    try:
        resources = datasets.package()["resources"]
    except DataError:  # no data package (an installation without data/): rules and glossary only
        resources = []
    for res in resources:
        for f in res.get("schema", {}).get("fields", []):
            name = f["name"]
            names.add(name)
            if f.get("title") and name not in fields:
                fields[name] = {"en": f["title"], "zh-TW": f.get("x_title_zh", ""), "unit": f.get("x_unit", "")}
            for ident, labels in (f.get("x_labels") or {}).items():
                values.setdefault(name, {}).setdefault(ident, labels)
                anywhere.setdefault(ident, labels)
                if labels.get("zh-TW"):
                    reverse.setdefault(labels["zh-TW"], (name, ident))
    return {"fields": fields, "values": values, "any": anywhere, "reverse": reverse, "names": names}


def value_label(value: str, column: object = None, lang: str = "en", rule: bool = True) -> str | None:
    """The reader's label of an identifier held in a table cell, or ``None`` when none is known.

    Looked up in the descriptors' ``x_labels`` of ``column`` (then of any field), the glossary,
    and, with ``rule=True``, made from the identifier's words when it is snake_case.

    Examples
    --------
    >>> value_label("eu_ets", "segment")
    'EU ETS'
    >>> value_label("eu_ets", "segment", "zh-TW")
    '歐盟'
    """
    check_lang(lang)
    text = str(value)
    labels = descriptor_labels()
    hit = labels["values"].get(str(column), {}).get(text) or (labels["any"].get(text) if "_" in text else None)
    if hit and hit.get(lang):
        return hit[lang]
    if lang != "en":
        g = glossary().get(text)
        if g and g[1] in ("label", "column", "term"):
            return g[0]
        english = hit.get("en") if hit else _glossary_en().get(text)
        if english:
            return translate(english, lang)
        if (rule and SNAKE.fullmatch(text)) or _PHASE.match(text):
            return _with_unit(text, lang)
        return None
    english = (hit or {}).get("en") or _glossary_en().get(text)
    if english:
        return english
    if (rule and SNAKE.fullmatch(text)) or _PHASE.match(text):
        return _with_unit(text, lang)
    return None


def _with_unit(identifier: str, lang: str) -> str:
    """Words of an identifier, its unit suffix (``_mtco2e``, ``_pct``) as a bracket.

    An identifier ending in a year or phase follows :func:`column_label`'s rule
    (``value_musd_2006`` → "Value 2006 (MUS$)").
    """
    if _QUALIFIED.match(identifier) and not _PHASE.match(identifier):
        return column_label(identifier, lang)
    base, unit = split_unit(identifier)
    words = humanize(base)
    words = _capital(words) if lang == "en" else translate(words, lang)
    return f"{words} ({unit})" if unit else words


def label_text(text: str, lang: str = "en") -> str:
    """``text`` with every snake_case identifier in it replaced by its label.

    Examples
    --------
    >>> label_text("other_europe_nz: total = parts")
    'Other Europe and New Zealand: total = parts'
    """
    return SNAKE.sub(lambda m: value_label(m.group(0), None, lang) or m.group(0), text)

"""How Chinese a zh-TW paper reads: the share of CJK characters in its prose, and the English
words left in its captions, table cells and figures.

The prose of a paper here is every visible text outside tables, code, images and the appendix's
tables (file names, parameters, versions), with file names and identifiers (``a_b``, ``x.csv``,
hashes) removed. :func:`cjk_share` is the share of CJK characters among its letters (CJK
characters plus Latin letters).

:func:`english_words` lists the words of a text that are English: every Latin word except the
names, units and formulas the reports themselves leave in English (:data:`KEPT`, acronyms such
as EUA, CDM, CO2 or MtCO2e, and the product names of 001 附件二, which the report prints in
English). ``python -m tests.zh build/zh-TW/html/04_free_allocation.html`` prints both for a paper.
"""

from __future__ import annotations

import html
import json
import re
import sys
from html.parser import HTMLParser
from pathlib import Path

CJK = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0002ffff]")
LATIN = re.compile(r"[A-Za-zÀ-ÖØ-öø-ÿ]")
#: File names, identifiers, hashes, addresses: not prose.
_NOT_PROSE = re.compile(
    r"https?://\S+|www\.\S+"
    r"|[\w\-.]*\w\.(?:txt|csv|json|ipynb|py|html|yaml|yml|md|png|svg|pdf)\b"
    r"|\b[0-9a-f]{12,}\b"
    r"|\b\w*_\w*\b"
)
_SKIP_TAGS = {"table", "pre", "code", "style", "script", "img", "svg", "head", "title", "kbd", "samp"}

#: Latin words a zh-TW text may keep: names of laws, products, exchanges, models and units that
#: the reports (or Chinese statistical usage) leave in English. Acronyms (two or more capitals,
#: digits, an optional plural s) and chemical formulas are kept by rule (:func:`kept`).
KEPT = frozenset("""
    Dec13 Kyoto BlueNext Bluenext Powernext Nord Pool Climex Prodcom NACE Chow Ljung Box Dickey Fuller
    ARIMA GARCH OLS Excel ICE ECX EEX NYMEX CCX SendeCO2 Point Carbon statsmodels arch pandas papermill
    carbonlib Noto Sans CJK SC TC Decision Directive Regulation EC EU Annex
    t kt Mt Gt tCO2 tCO2e MtCO2 MtCO2e GtCO2e ktCO2e TJ GJ MW MWh GWh EUR US MUS USD km
    CO2e lCER tCER e p q yes no
""".split())
_ACRONYM = re.compile(r"^[A-Z][A-Z0-9]*[A-Z0-9](?:s)?(?:-\d+)?$|^[A-Z]$")
#: Matplotlib mathtext (``$\mathdefault{10^{3}}$`` on a log axis) is a formula, not words.
_MATH = re.compile(r"\$[^$]*\$")
_FORMULA = re.compile(r"^(?:[A-Z][a-z]?\d*)+$")
WORD = re.compile(r"[A-Za-zÀ-ÖØ-öø-ÿ][A-Za-zÀ-ÖØ-öø-ÿ0-9'’\-]*")


def kept(word: str) -> bool:
    """Whether a Latin word may stay in a zh-TW text (a name, unit, acronym or formula)."""
    w = word.strip("'’-")
    return (not w or w in KEPT or bool(_ACRONYM.match(w)) or (bool(_FORMULA.match(w)) and any(c.isdigit() for c in w)))


def english_words(text: str) -> list[str]:
    """The English words of ``text`` (file names and identifiers removed first)."""
    return [w for w in WORD.findall(_NOT_PROSE.sub(" ", _MATH.sub(" ", text))) if not kept(w)]


class _Visible(HTMLParser):
    """Visible text of a paper outside tables, code, images and the appendix's tables."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[str] = []
        self.skip = 0
        self.parts: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag in ("br", "img", "hr", "meta", "link", "input", "wbr"):
            return
        self.stack.append(tag)
        if self.skip or tag in _SKIP_TAGS:
            self.skip += 1

    def handle_endtag(self, tag):
        if tag in ("br", "img", "hr", "meta", "link", "input", "wbr"):
            return
        while self.stack:
            top = self.stack.pop()
            if self.skip:
                self.skip -= 1
            if top == tag:
                break
        self.parts.append(" ")

    def handle_data(self, data):
        if not self.skip:
            self.parts.append(data)


def visible_prose(paper_html: str) -> str:
    """The visible prose of a paper (see the module docstring), file names and identifiers removed."""
    parser = _Visible()
    parser.feed(paper_html)
    return _NOT_PROSE.sub(" ", html.unescape("".join(parser.parts)))


def cjk_share(text: str) -> float:
    """CJK characters among the letters (CJK characters and Latin letters) of ``text``; 1 if none."""
    cjk, latin = len(CJK.findall(text)), len(LATIN.findall(text))
    return cjk / (cjk + latin) if cjk + latin else 1.0


def captions(paper_html: str) -> list[str]:
    """The text of every ``<figcaption>`` and source line of a paper."""
    found = re.findall(r"<figcaption>(.*?)</figcaption>|<p class=\"cl-source\">(.*?)</p>", paper_html, re.S)
    return [html.unescape(re.sub(r"<[^>]+>", "", a or b)).strip() for a, b in found]


def table_cells(paper_html: str) -> list[str]:
    """The text of every header and cell of the data tables of a paper."""
    cells = []
    for table in re.findall(r'<table class="cl-data">(.*?)</table>', paper_html, re.S):
        cells += [html.unescape(re.sub(r"<[^>]+>", "", c)).strip()
                  for c in re.findall(r"<t[hd]\b[^>]*>(.*?)</t[hd]>", table, re.S)]
    return cells


def english_sentences(texts: list[str], words: int = 2) -> list[str]:
    """The texts holding at least ``words`` English words."""
    return [t for t in texts if len(english_words(t)) >= words]


def report(paper: Path) -> str:
    """A reader's summary of how Chinese one zh-TW paper is."""
    text = paper.read_text(encoding="utf-8")
    prose = visible_prose(text)
    lines = [f"{paper.name}: CJK share of prose {cjk_share(prose):.3f}"]
    runs = re.findall(r"[^\u3400-\u9fff\uf900-\ufaff。，、；：「」（）！？]*[A-Za-z]{2,}[^\u3400-\u9fff\uf900-\ufaff。，、；：「」（）！？]*", prose)
    latin = [r.strip() for r in runs if len(LATIN.findall(r)) >= 3]
    lines += ["  latin in prose: " + r[:100] for r in latin[:80]]
    lines += ["  caption: " + c for c in captions(text) if english_words(c)]
    lines += ["  table cell: " + c[:120] for c in dict.fromkeys(english_sentences(table_cells(text), 1))]
    outputs = paper.parent.parent / "outputs" / f"{paper.stem}.json"
    if outputs.exists():
        for o in json.loads(outputs.read_text(encoding="utf-8"))["outputs"]:
            for t in o.get("texts", []):
                if english_words(t):
                    lines.append(f"  figure {o['name']}: {t!r}")
    return "\n".join(lines)


if __name__ == "__main__":
    for arg in sys.argv[1:]:
        print(report(Path(arg)))

"""The prose of a paper, and the numbers in it that nothing accounts for.

A paper's prose is the text of its Markdown cells (``.jp-RenderedMarkdown``): not the tables,
figures, code, the parameter box or the appendix. Every number in it must be one of three
things (docs/CONVENTIONS.md, "Numbers in prose"):

1. a value the run filled in: a ``<span class="cl-value">`` (a recorded value or a parameter);
2. a printed figure of the reports, i.e. a number present in a file under ``data/raw``;
3. a number that names something rather than counts it: a table or figure number ("Table 5",
   "表1"), a heading's workbook number, a part of a legal reference ("2003/87/EC", "Article
   10a(12)") or of a unit or formula ("CO2", "H1").

:func:`unaccounted` returns the numbers that are none of these.
"""

from __future__ import annotations

import csv
import functools
import html
import re
from decimal import Decimal, InvalidOperation
from html.parser import HTMLParser

from carbonlib.workbench import paths

#: A number as prose writes it: 24,669 · 1.74 · −0.5 · 2013 (not inside a word, code or path).
NUMBER = re.compile(r"(?<![\w.,/−\-])[−\-]?\d+(?:,\d{3})*(?:\.\d+)?(?![\w/]|\.\d|,\d{3})")
#: Words before a number that make it a name: Table 5, Figure 2, 表1, 圖3, Article 10, Annex II …
NAMING = re.compile(r"(?:Tables?|Figures?|Chapter|Section|Article|Articles|Annex|Phase|Phases|line|cell|step|"
                    r"workbook|Workbook|表|圖|第|No\.?|§)\s*$")
_RAW_NUMBER = re.compile(r"\d+(?:,\d{3})*(?:\.\d+)?")


class _MarkdownText(HTMLParser):
    """Collects the text of ``.jp-RenderedMarkdown`` elements, leaving out filled values."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.depth = 0  # inside a rendered Markdown cell: its nesting depth, else 0
        self.skip = 0  # inside a filled value (or code block): its nesting depth, else 0
        self.parts: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag in ("br", "img", "hr", "meta", "link", "input"):
            return
        classes = (dict(attrs).get("class") or "").split()
        if self.depth:
            self.depth += 1
            if self.skip:
                self.skip += 1
            elif {"cl-value", "cl-params", "toc"} & set(classes) or tag in ("pre", "aside", "nav"):
                self.skip = 1
        elif "jp-RenderedMarkdown" in classes:
            self.depth = 1
            self.parts.append("\n")

    def handle_endtag(self, tag):
        if tag in ("br", "img", "hr", "meta", "link", "input"):
            return
        if self.depth:
            self.depth -= 1
            if self.skip:
                self.skip -= 1
                if not self.skip:
                    self.parts.append(" ⟨value⟩ ")

    def handle_data(self, data):
        if self.depth and not self.skip:
            self.parts.append(data)


def prose_text(paper_html: str) -> str:
    """The prose of a paper, each filled value replaced by ``⟨value⟩``."""
    parser = _MarkdownText()
    parser.feed(paper_html)
    return html.unescape("".join(parser.parts))


def _normal(token: str) -> str | None:
    try:
        d = Decimal(token.replace(",", "").replace("−", "-").lstrip("-"))
    except InvalidOperation:
        return None
    return format(d.normalize(), "f")


@functools.lru_cache(maxsize=1)
def printed_figures() -> frozenset[str]:
    """Every number written in a cell of a file under ``data/raw`` (normalised: no separators, no trailing zeros)."""
    out = set()
    for f in sorted((paths.ROOT / "data" / "raw").rglob("*.csv")):
        with f.open(encoding="utf-8", newline="") as fh:
            for row in csv.reader(fh):
                for cell in row:
                    for token in _RAW_NUMBER.findall(cell):
                        n = _normal(token)
                        if n is not None:
                            out.add(n)
    return frozenset(out)


def unaccounted(paper_html: str) -> list[str]:
    """Numbers in the prose that are neither filled in, nor printed figures, nor names, with context."""
    text = prose_text(paper_html)
    printed = printed_figures()
    out = []
    for m in NUMBER.finditer(text):
        before = text[max(0, m.start() - 12): m.start()]
        if NAMING.search(before):
            continue
        if _normal(m.group(0)) in printed:
            continue
        context = text[max(0, m.start() - 40): m.end() + 40].replace("\n", " ")
        out.append(f"{m.group(0)!r} in “…{context}…”")
    return out


def main(argv: list[str]) -> int:
    """``python -m tests.prose PAPER.html …``: print the numbers of each paper's prose nothing accounts for."""
    from pathlib import Path

    bad = 0
    for name in argv:
        found = unaccounted(Path(name).read_text(encoding="utf-8"))
        bad += len(found)
        print(f"{name}: {len(found)} unaccounted number(s)")
        for line in found:
            print("   ", line)
    return 1 if bad else 0



def paper_of_run(nb, executed, values: dict) -> str:
    """The paper (HTML, without the embedded font) of an executed run, filled from what it recorded.

    ``values`` are the run's parameters (its ``lang`` chooses the edition); the recorded values
    are read from the edition's ``values/<notebook>.json`` under ``CARBONLIB_BUILD_DIR``.
    """
    import json

    from carbonlib.workbench import build, paper, params

    lang = values.get("lang", "en")
    recorded = json.loads((paths.edition_dir(lang) / "values" / f"{nb.stem}.json").read_text(encoding="utf-8"))
    record = build.run_record(nb, params.validate(nb, values), {})
    return paper.export_html(executed, record, lang=lang, embed_font=False, values=recorded)


def build_paper(notebook: str, scenario: str | None, folder) -> str:
    """Execute a workbook (defaults, or a named scenario) into ``folder`` and return its English paper.

    For tests that assert what the prose of one scenario says. ``CARBONLIB_BUILD_DIR`` must
    point into a temporary folder (the ``build_dir`` fixture does it).
    """
    from pathlib import Path

    import papermill as pm

    from carbonlib.workbench import build, params

    nb = params.resolve_notebook(notebook)
    values = params.load_scenario(nb, scenario) if scenario else {}
    out = Path(folder) / f"{nb.stem}.ipynb"
    pm.execute_notebook(str(nb), str(out), parameters=values, kernel_name="python3", progress_bar=False,
                        cwd=str(paths.notebooks_dir()), kernel_manager_class=build.kernel_manager_class())
    return paper_of_run(nb, out, values)


def value_text(paper_html: str, name: str) -> list[str]:
    """The texts a paper shows for the filled value ``name`` (one per place it is used)."""
    return [html.unescape(m) for m in re.findall(
        rf'<span class="cl-value" data-value="{re.escape(name)}">(.*?)</span>', paper_html)]


if __name__ == "__main__":  # pragma: no cover
    import sys

    raise SystemExit(main(sys.argv[1:]))

"""Export an executed workbook to a standalone HTML paper.

The paper is nbconvert's ``lab`` HTML with the code hidden (a second export shows it), images
embedded, a table of contents built from the headings, and an appendix recording the run
(parameters, build date, input hashes, package versions). Every ``<script>`` is removed and no
element refers to another host, so the paper opens offline and makes no request.
"""

from __future__ import annotations

import base64
import dataclasses
import functools
import html
import io
import re
from pathlib import Path
from typing import Any

from carbonlib.errors import InputError

from . import prose, translations
from .i18n import translate, value_label
from .render import EDITIONS_MIME

_HEADING = re.compile(r'<h([1-3])\s+id="([^"]+)"[^>]*>(.*?)</h\1>', re.S)
_SCRIPT = re.compile(r"<script\b[^>]*>.*?</script>", re.S | re.I)
_EXTERNAL_LINK = re.compile(r'<link\b[^>]*href="https?://[^"]*"[^>]*>', re.I)
_ANCHOR = re.compile(r'<a class="anchor-link"[^>]*>.*?</a>', re.S)

CSS = """
<style>
body.jp-Notebook { max-width: 60rem; margin: 0 auto; padding: 1rem 2rem; }
nav.toc { border: 1px solid #ddd; border-radius: 4px; padding: .5rem 1rem; margin: 1rem 0; }
nav.toc ol { margin: .2rem 0; padding-left: 1.4rem; }
nav.toc .toc-h3 { margin-left: 1.2rem; font-size: 95%; }
figure.cl-table, figure.cl-figure { margin: 1.6rem 0; }
figure.cl-table figcaption { margin-bottom: .4rem; }
figure.cl-figure figcaption { margin-top: .4rem; }
.cl-num { font-weight: 700; }
.cl-source { font-size: 85%; color: #444; margin: .3rem 0 0; }
.cl-note { font-style: italic; margin: 1rem 0; }
.cl-scroll { overflow-x: auto; }
figure.cl-figure img { max-width: 100%; height: auto; }
.jp-RenderedHTMLCommon table.cl-data, table.cl-data { border-collapse: collapse; font-variant-numeric: tabular-nums;
  font-size: 85%; margin: 0; max-width: 100%; }
@media print {
  @page { size: A4; margin: 18mm 16mm 20mm 16mm; }
  @page wide { size: A4 landscape; margin: 16mm 18mm 18mm 18mm; }
  html, body.jp-Notebook { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
  body.jp-Notebook { max-width: none; margin: 0; padding: 0; }
  .cl-scroll, .jp-OutputArea-output, .jp-RenderedHTMLCommon { overflow: visible; }
  table.cl-data { font-size: 7.5pt; }
  table.cl-data th, table.cl-data td { padding: 2px 5px; }
  table.cl-data td:not(.num) { overflow-wrap: anywhere; min-width: 4em; }
  figure.cl-table:has(th:nth-child(9)) table.cl-data { font-size: 6.5pt; }
  figure.cl-table:has(th:nth-child(12)) { page: wide; }
  table.cl-data thead { display: table-header-group; }
  table.cl-data tr { break-inside: avoid; }
  section.chapter { break-before: page; margin-top: 0; }
  section.run-record { break-before: page; margin-top: 0; }
  figure.cl-table, figure.cl-figure { break-inside: avoid; }
  h1, h2, h3, h4, figure.cl-table figcaption { break-after: avoid; }
  figure.cl-figure img { width: auto; height: auto; max-width: 100%; max-height: 225mm; }
  pre { white-space: pre-wrap; overflow-wrap: anywhere; }
}
.jp-RenderedHTMLCommon table.cl-data th, table.cl-data th { text-align: left; border-bottom: 2px solid #333; padding: 3px 8px; vertical-align: bottom; }
.jp-RenderedHTMLCommon table.cl-data td, table.cl-data td { text-align: left; padding: 2px 8px; border-bottom: 1px solid #e4e4e4; }
.jp-RenderedHTMLCommon table.cl-data td.num, table.cl-data td.num { text-align: right; white-space: nowrap; }
table.cl-data tr.cl-flag td { background: #fbe3c7; font-weight: 600; }
table.cl-data tr.cl-flag td:first-child { border-left: 4px solid #D55E00; }
section.chapter { border-top: 3px solid #0072B2; margin-top: 3rem; padding-top: .5rem; }
p.chapter-links { font-size: 90%; }
p.abstract { font-size: 105%; line-height: 1.5; }
section.run-record { border-top: 2px solid #333; margin-top: 3rem; font-size: 90%; }
section.run-record table { border-collapse: collapse; }
section.run-record td, section.run-record th { text-align: left; padding: 2px 8px;
  border-bottom: 1px solid #eee; font-family: monospace; }
</style>
"""

#: The parameter box and filled values (:mod:`.prose`).
PROSE_CSS = """
<style>
aside.cl-params { border: 1px solid #E69F00; border-left: 6px solid #E69F00; background: #fff8e8;
  border-radius: 4px; padding: .4rem 1rem; margin: 1rem 0; }
aside.cl-params table { border-collapse: collapse; font-size: 90%; }
aside.cl-params th, aside.cl-params td { text-align: left; padding: 2px 8px; border-bottom: 1px solid #eadcc0; }
span.cl-value { font-variant-numeric: tabular-nums; }
</style>
"""


def _text(fragment: str) -> str:
    return html.unescape(re.sub(r"<[^>]+>", "", _ANCHOR.sub("", fragment))).strip()


def table_of_contents(body: str, lang: str = "en") -> str:
    """An ordered list of links to the ``h2``/``h3`` headings of a paper."""
    items, numbered = [], False
    for level, anchor, inner in _HEADING.findall(body):
        if level == "1":
            continue
        text = _text(inner)
        numbered = numbered or bool(re.match(r"\d+(?:\.\d+)*[.)]?\s", text))
        items.append(f'<li class="toc-h{level}"><a href="#{anchor}">{html.escape(text)}</a></li>')
    if not items:
        return ""
    # headings that carry their own numbers ("1. The 2008 proposal") are not numbered again
    ol = '<ol style="list-style-type: none">' if numbered else "<ol>"
    return (f'<nav class="toc" id="contents"><strong>{html.escape(translate("Contents", lang))}</strong>{ol}'
            + "".join(items) + "</ol></nav>")


def _rows(mapping: dict[str, Any], lang: str = "en") -> str:
    return "".join(
        f"<tr><th>{html.escape(str(k))}</th><td>{html.escape(str(v))}</td></tr>" for k, v in mapping.items()
    ) or f"<tr><td>{'none' if lang == 'en' else '無'}</td></tr>"


def appendix(record: dict[str, Any], lang: str = "en") -> str:
    """The run-record appendix of a paper."""
    return (
        f'<section class="run-record" id="run-record"><h2>{html.escape(translate("Appendix: run record", lang))}</h2>'
        + _built_line(record, lang) +
        f"<h3>{html.escape(translate('Parameters', lang))}</h3><table>" + _rows(record["parameters"], lang) + "</table>"
        f"<h3>{html.escape(translate('Input files (sha256)', lang))}</h3><table>" + _rows(record["inputs"], lang) + "</table>"
        f"<h3>{html.escape(translate('Package versions', lang))}</h3><table>" + _rows(record["packages"], lang) + "</table>"
        + _notes_table(record.get("notes") or [], lang) + "</section>"
    )


def _capital_first(text: str) -> str:
    return text[:1].upper() + text[1:]


def _notes_table(notes: list[dict[str, Any]], lang: str) -> str:
    """The sections the run's input could not support, and why (empty when there are none)."""
    skipped = [n for n in notes if not n.get("supported", True)]
    if not skipped:
        return ""
    rows = {_capital_first(value_label(n["section"], None, lang) or n["section"]):
            " ".join(translate(line, lang) for line in str(n["note"]).splitlines()) for n in skipped}
    return f"<h3>{html.escape(translate('Sections the input could not support', lang))}</h3><table>" + _rows(rows, lang) + "</table>"


def _built_line(record: dict[str, Any], lang: str) -> str:
    built, nb = html.escape(record["built_at"]), html.escape(record["notebook"])
    nb_sha, lib_sha = record["notebook_sha256"][:16], record["carbonlib_sha256"][:16]
    if lang == "en":
        return (f"<p>Built {built} from notebook <code>{nb}</code> (sha256 {nb_sha}…) "
                f"with carbonlib sha256 {lib_sha}….</p>")
    return (f"<p>本文建置於 {built}，由筆記本 <code>{nb}</code>（sha256 {nb_sha}…）"
            f"與 carbonlib（sha256 {lib_sha}…）產生。</p>")


# The embedded CJK subsets hold only CJK glyphs, so they come first (Chromium does not fall back
# to a web font listed after a local font reliably); Latin text falls through to the next font.
_FONTS = ("'Carbonlib CJK', 'Carbonlib CJK Fallback', system-ui, -apple-system, 'Segoe UI', Roboto, "
          "'Helvetica Neue', Arial, 'DejaVu Sans', sans-serif")


def _subset(file: Path, chars: list[str]) -> str:
    from fontTools import subset
    from fontTools.ttLib import TTFont

    options = subset.Options()
    options.layout_features = []
    options.notdef_outline = True
    font = TTFont(str(file), lazy=True, recalcTimestamp=False)  # same bytes every build
    subsetter = subset.Subsetter(options)
    subsetter.populate(text="".join(chars))
    subsetter.subset(font)
    buf = io.BytesIO()
    font.save(buf)
    return base64.b64encode(buf.getvalue()).decode("ascii")


def font_face(text: str) -> str:
    """A ``<style>`` embedding the CJK fonts, subset to the CJK characters of ``text``.

    The papers quote the reports in Chinese; embedding the few hundred glyphs they use (as data
    URLs) makes them render the same on any machine, offline, with no font request. The
    Traditional Chinese font (:func:`carbonlib.workbench.style.cjk_font_file`) gives every glyph
    it has; the few it lacks come from the fallback font, embedded as a second family.
    Returns ``""`` when ``text`` has no character beyond Latin and general punctuation.
    """
    chars = sorted({c for c in text if ord(c) >= 0x2E80})
    if not chars:
        return ""
    from .style import cjk_font_file, fallback_font_file

    have = _cmap(cjk_font_file())
    main, rest = [c for c in chars if ord(c) in have], [c for c in chars if ord(c) not in have]
    faces = []
    for family, file, part in (("Carbonlib CJK", cjk_font_file(), main),
                               ("Carbonlib CJK Fallback", fallback_font_file(), rest)):
        if part:
            fmt = "truetype" if file.suffix == ".ttf" else "opentype"
            mime = "font/ttf" if file.suffix == ".ttf" else "font/otf"
            faces.append(f"@font-face {{ font-family: '{family}'; "
                         f"src: url(data:{mime};base64,{_subset(file, part)}) format('{fmt}'); }}\n")
    return ("<style>" + "".join(faces)
            + ":root { --jp-content-font-family: " + _FONTS + "; --jp-ui-font-family: " + _FONTS + "; }\n"
            "body, body *:not(code):not(pre):not(kbd):not(samp) { font-family: " + _FONTS + " !important; }\n"
            "code, pre, kbd, samp { font-family: 'Carbonlib CJK', 'Carbonlib CJK Fallback', 'DejaVu Sans Mono', "
            "monospace !important; }</style>")


@functools.lru_cache(maxsize=2)
def _cmap(file: Path) -> frozenset[int]:
    from fontTools.ttLib import TTFont

    return frozenset(TTFont(str(file), lazy=True).getBestCmap())


def finish(document: str, lang: str = "en", embed_font: bool = True) -> str:
    """Add the house CSS, the embedded CJK font and the language to an HTML document.

    With ``embed_font=False`` the font is left out (see :func:`embed_font`), so that several
    papers can share one subset.
    """
    document = re.sub(r"<html\b[^>]*>", f'<html lang="{lang}">', document, count=1)
    return document.replace("</head>", CSS + PROSE_CSS + (font_face(document) if embed_font else "") + "</head>", 1)


def embed_font(documents: list[str]) -> list[str]:
    """Embed one CJK subset covering all ``documents`` into each (one subsetting for several papers)."""
    css = font_face("".join(documents))
    return [d.replace("</head>", css + "</head>", 1) for d in documents]


_CODE_SPAN = re.compile(r"(`+).*?\1", re.S)


def escape_dollars(markdown: str) -> str:
    r"""Escape every ``$`` outside code spans: the papers render no math, and nbconvert's Markdown
    reads the text between two dollars (``US$ … MUS$``) as TeX, leaving its ``**bold**`` raw.

    Examples
    --------
    >>> escape_dollars("31,235 MUS$ and (**24,669** MUS$), `US$` in code")
    '31,235 MUS\\$ and (**24,669** MUS\\$), `US$` in code'
    """
    out, last = [], 0
    for m in _CODE_SPAN.finditer(markdown):
        out.append(re.sub(r"(?<!\\)\$", r"\\$", markdown[last:m.start()]))
        out.append(m.group(0))
        last = m.end()
    out.append(re.sub(r"(?<!\\)\$", r"\\$", markdown[last:]))
    return "".join(out)


def fill_markdown(nb, values: dict[str, Any], lang: str = "en", notebook: str = "") -> None:
    """Fill the placeholders of every Markdown cell of ``nb`` in place (:mod:`.prose`), and escape
    its dollars (:func:`escape_dollars`)."""
    for i, cell in enumerate(nb.cells, start=1):
        if cell.cell_type != "markdown":
            continue
        if "{{" in cell.source:
            where = f"{notebook}, cell {i}" if notebook else f"cell {i}"
            cell.source = prose.fill(cell.source, values, lang, where)
        cell.source = escape_dollars(cell.source)


def edition_outputs(nb, lang: str) -> None:
    """Show every table and figure block of an executed notebook in ``lang``, in place.

    A run that writes several editions keeps each block's editions beside the one it shows
    (:data:`carbonlib.workbench.render.EDITIONS_MIME`); the block of ``lang`` replaces it.

    Raises
    ------
    InputError
        If a block has editions but not ``lang``'s (the run did not write that edition).
    """
    for cell in nb.cells:
        for output in cell.get("outputs", []):
            editions = output.get("data", {}).pop(EDITIONS_MIME, None)
            if editions is None:
                continue
            if lang not in editions:
                raise InputError(f"{nb.metadata.get('papermill', {}).get('input_path', 'the notebook')}: "
                                 f"the run wrote the editions {', '.join(editions)}, not {lang}")
            output["data"]["text/html"] = editions[lang]


@functools.lru_cache(maxsize=2)
def _exporter(show_code: bool):
    """One HTML exporter per process and edition of the paper (with or without code)."""
    from nbconvert import HTMLExporter

    exporter = HTMLExporter(template_name="lab")
    exporter.exclude_input = not show_code
    exporter.exclude_input_prompt = True
    exporter.exclude_output_prompt = True
    exporter.embed_images = True
    return exporter


def export_html(nb_file: str | Path, record: dict[str, Any], show_code: bool = False, lang: str = "en",
                embed_font: bool = True, values: dict[str, Any] | None = None) -> str:
    """Render an executed notebook as a standalone HTML paper.

    Parameters
    ----------
    nb_file : str, Path or nbformat.NotebookNode
        The executed notebook (a node is copied, not changed).
    record : dict
        The run record (see :func:`carbonlib.build.run_record`) for the appendix.
    show_code : bool
        Show the code cells (the "with code" edition) instead of hiding them.
    lang : {"en", "zh-TW"}
        Language of the headings and the paper's fixed words (tables and figures are rendered
        in the notebook's own ``lang``).
    embed_font : bool
        Embed the subset CJK font (``False``: the caller embeds it, see :func:`embed_font`).
    values : dict, optional
        What the run recorded (``values/<notebook>.json``), filling the Markdown's
        placeholders together with the run's parameters.

    Returns
    -------
    str
        The HTML document.

    Raises
    ------
    InputError
        If a Markdown cell has a placeholder that the run did not record.
    """
    import copy

    import nbformat

    nb = copy.deepcopy(nb_file) if isinstance(nb_file, dict) else nbformat.read(str(nb_file), as_version=4)
    # papermill's injected-parameters cell is reported in the appendix instead
    nb.cells = [c for c in nb.cells if "injected-parameters" not in c.metadata.get("tags", [])]
    nb.cells = translations.edition_cells(nb.cells, lang)  # each edition reads its own language
    edition_outputs(nb, lang)
    fill_markdown(nb, {**record["parameters"], **(values or {})}, lang, record["notebook"])
    exporter = _exporter(show_code)
    title = next((_text(m[2]) for m in _HEADING.findall(_first_heading_html(nb))), record["notebook"])
    body, _ = exporter.from_notebook_node(nb, resources={"metadata": {"name": translate(title, lang)}})
    body = prose.mark(_SCRIPT.sub("", body))
    body = _EXTERNAL_LINK.sub("", body)
    toc = table_of_contents(body, lang)
    box = _parameter_box(record, lang)
    # the parameter box and the contents after the first h1, appendix before </body>
    m = re.search(r"</h1>", body)
    if m and (toc or box):
        body = body[: m.end()] + box + toc + body[m.end():]
    elif toc or box:
        body = body.replace("<main>", "<main>" + box + toc, 1)
    body = body.replace("</body>", appendix(record, lang) + "</body>", 1)
    return finish(body, lang, embed_font)


def _parameter_box(record: dict[str, Any], lang: str) -> str:
    from . import params

    nb = params.resolve_notebook(record["notebook"])
    scenario = params.match_scenario(nb, record["parameters"])
    declared = params.declared(nb)
    if lang != "en":
        import nbformat

        node = nbformat.read(str(nb), as_version=4)
        declared = {name: dataclasses.replace(p, comment=translations.parameter_description(node, name, lang, p.comment))
                    for name, p in declared.items()}
    return prose.parameter_box(declared, record["parameters"], lang, scenario)


def _first_heading_html(nb) -> str:
    for cell in nb.cells:
        if cell.cell_type == "markdown":
            for line in cell.source.splitlines():
                if line.startswith("# "):
                    text = html.escape(line[2:].strip())
                    return f'<h1 id="t">{text}</h1>'
    return ""


# --------------------------------------------------------------------------- the combined paper

ABSTRACT = {
    "en": ("Two policy reports on carbon markets (2008) and on the EU's greenhouse-gas cap and the "
           "third phase of the EU Emissions Trading System (2016) are reproduced here as recomputable "
           "workbooks. Each chapter transcribes the reports' tables as printed, recomputes them from "
           "their parts or rules, shows every disagreement, and lets the reader change the assumptions: "
           "the global carbon market of 2006–2007, the Kyoto 2008–2012 balance with its uncertainty, the "
           "Phase 3 cap and auctions, benchmark-based free allocation, carbon leakage, EUA prices and "
           "effort sharing. Every number names its source; every run records its parameters, inputs "
           "and package versions."),
    "zh-TW": ("本文將兩份政策報告——全球碳市場現況與趨勢（2008）及歐盟溫室氣體總量管理與歐盟排放交易體系"
              "第三階段（2016）——重現為可重算的研究工作簿。各章依刊印原樣謄錄報告表格，由其組成或規則重新"
              "計算，列出所有不一致之處，並讓讀者調整假設：2006–2007 年全球碳市場、京都 2008–2012 年供需與其"
              "不確定性、第三階段排放總量上限與拍賣、以標竿值為基礎的免費額度核配、碳洩漏、EUA 價格，以及排放"
              "減量分攤。每個數字皆註明來源；每次執行皆記錄其參數、輸入檔與套件版本。"),
}

_MAIN = re.compile(r"<main>(.*)</main>", re.S)
_HEAD = re.compile(r"<head>(.*?)</head>", re.S)
_ID = re.compile(r'\bid="([^"]+)"')
_HREF = re.compile(r'href="#([^"]+)"')
_ALT_NUM = re.compile(r'(<img [^>]*\balt=")(Figure|圖) (\d+[.．])')
_NUM = re.compile(r'(<span class="cl-num" data-kind="(table|figure)" data-number="(\d+)">)([^<]*)(</span>)')


def _chapter_body(paper_html: str, k: int, lang: str) -> tuple[str, str]:
    """The ``<main>`` of a paper made into chapter ``k``: ids prefixed, numbers as k.N."""
    m = _MAIN.search(paper_html)
    main = m.group(1) if m else ""
    main = re.sub(r'<nav class="toc".*?</nav>', "", main, flags=re.S)
    main = re.sub(r'<section class="run-record".*?</section>', "", main, flags=re.S)
    main = _ID.sub(lambda mm: f'id="c{k}-{mm.group(1)}"', main)
    main = _HREF.sub(lambda mm: f'href="#c{k}-{mm.group(1)}"', main)

    def renumber(mm: re.Match) -> str:
        kind, n = mm.group(2), mm.group(3)
        word = ("Table" if kind == "table" else "Figure") if lang == "en" else ("表" if kind == "table" else "圖")
        end = "." if lang == "en" else "．"
        return f"{mm.group(1)}{word} {k}.{n}{end}{mm.group(5)}"

    main = _NUM.sub(renumber, main)
    # a figure's alt text starts with its number too: "Figure 3." becomes "Figure k.3."
    main = _ALT_NUM.sub(lambda mm: f'{mm.group(1)}{mm.group(2)} {k}.{mm.group(3)}', main)
    head = _HEAD.search(paper_html)
    return main, head.group(1) if head else ""


def combined_page(html_dir: Path, entries: list[dict[str, Any]], built_at: str, lang: str = "en",
                  other_edition: str | None = None) -> str:
    """The combined paper ``index.html``: title, abstract, contents, every workbook as a chapter.

    Parameters
    ----------
    html_dir : Path
        The folder holding each workbook's paper ``<notebook>.html``.
    entries : list of dict
        Per workbook, in order: ``notebook``, ``title``, ``outputs`` (``build/outputs/<nb>.json``).
    built_at : str
        Build date shown on the page.
    lang : {"en", "zh-TW"}
        Language of the page.
    other_edition : str, optional
        Relative link to the same page in the other language.
    """
    title = translate("Carbon markets and the EU ETS: the workbooks", lang)
    chapters, toc, head = [], [], ""
    for k, e in enumerate(entries, start=1):
        nb = e["notebook"]
        paper = (html_dir / f"{nb}.html").read_text(encoding="utf-8")
        main, paper_head = _chapter_body(paper, k, lang)
        head = head or paper_head
        ch_title = re.sub(r"^\d+\s*[.:·–—-]?\s+", "", translate(e["title"], lang))  # "Chapter k." numbers it
        links = [f'{html.escape(translate("Own paper", lang))}: <a href="{html.escape(nb)}.html">{html.escape(nb)}.html</a>',
                 f'<a href="code/{html.escape(nb)}.html">{html.escape(translate("with code", lang))}</a>']
        if k > 1:
            links.append(f'<a href="#chapter-{k - 1}">{html.escape(translate("previous chapter", lang))}</a>')
        if k < len(entries):
            links.append(f'<a href="#chapter-{k + 1}">{html.escape(translate("next chapter", lang))}</a>')
        sub = "".join(
            f'<li><a href="#{a}">{html.escape(_text(inner))}</a></li>'
            for level, a, inner in _HEADING.findall(main) if level == "2"
        )
        label = f"Chapter {k}" if lang == "en" else f"第 {k} 章"
        # entries that carry their own numbers ("1. The 2008 proposal") are not numbered again
        own = ' style="list-style-type: none"' if re.search(r'<a href="[^"]*">\d+(?:\.\d+)*[.)]?\s', sub) else ""
        toc.append(f'<li><a href="#chapter-{k}">{html.escape(label)}. {html.escape(ch_title)}</a>'
                   + (f"<ol{own}>{sub}</ol>" if sub else "") + "</li>")
        chapters.append(f'<section class="chapter" id="chapter-{k}"><p class="chapter-links">'
                        f'{html.escape(label)} · ' + " · ".join(links) + f"</p>{main}</section>")
    head = _styles_only(head)
    edition = ""
    if other_edition:
        word = translate("Traditional Chinese edition", lang) if lang == "en" else translate("English edition", lang)
        edition = f'<p class="chapter-links"><a href="{html.escape(other_edition)}">{html.escape(word)}</a></p>'
    document = (
        f'<!DOCTYPE html><html lang="{lang}"><head><meta charset="utf-8"/><title>{html.escape(title)}</title>'
        f"{head}</head><body class=\"jp-Notebook\"><main><h1 id=\"top\">{html.escape(title)}</h1>{edition}"
        f'<h2 id="abstract">{html.escape(translate("Abstract", lang))}</h2><p class="abstract">{html.escape(ABSTRACT[lang])}</p>'
        f'<nav class="toc" id="contents"><strong>{html.escape(translate("Contents", lang))}</strong><ol style="list-style-type: none">{"".join(toc)}</ol></nav>'
        + "".join(chapters)
        + (f"<p>Built {html.escape(built_at)}.</p>" if lang == "en" else f"<p>本文建置於 {html.escape(built_at)}。</p>")
        + "</main></body></html>\n"
    )
    return finish(document, lang)


def _styles_only(head: str) -> str:
    """Keep only the ``<style>`` blocks of a paper's head (its CSS), dropping title and fonts."""
    styles = re.findall(r"<style\b.*?</style>", head, flags=re.S)
    return "".join(s for s in styles if "@font-face" not in s)

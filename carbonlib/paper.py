"""Export an executed workbook to a standalone HTML paper.

The paper is nbconvert's ``lab`` HTML with the code hidden (a second export shows it), images
embedded, a table of contents built from the headings, and an appendix recording the run
(parameters, build date, input hashes, package versions). Every ``<script>`` is removed and no
element refers to another host, so the paper opens offline and makes no request.
"""

from __future__ import annotations

import html
import re
from pathlib import Path
from typing import Any

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
.jp-RenderedHTMLCommon table { font-variant-numeric: tabular-nums; }
.jp-RenderedHTMLCommon td { text-align: right; }
section.run-record { border-top: 2px solid #333; margin-top: 3rem; font-size: 90%; }
section.run-record table { border-collapse: collapse; }
section.run-record td, section.run-record th { text-align: left; padding: 2px 8px;
  border-bottom: 1px solid #eee; font-family: monospace; }
</style>
"""


def _text(fragment: str) -> str:
    return html.unescape(re.sub(r"<[^>]+>", "", _ANCHOR.sub("", fragment))).strip()


def table_of_contents(body: str) -> str:
    """An ordered list of links to the ``h2``/``h3`` headings of a paper."""
    items = []
    for level, anchor, inner in _HEADING.findall(body):
        if level == "1":
            continue
        items.append(f'<li class="toc-h{level}"><a href="#{anchor}">{html.escape(_text(inner))}</a></li>')
    if not items:
        return ""
    return '<nav class="toc" id="contents"><strong>Contents</strong><ol>' + "".join(items) + "</ol></nav>"


def _rows(mapping: dict[str, Any]) -> str:
    return "".join(
        f"<tr><th>{html.escape(str(k))}</th><td>{html.escape(str(v))}</td></tr>" for k, v in mapping.items()
    ) or "<tr><td>none</td></tr>"


def appendix(record: dict[str, Any]) -> str:
    """The run-record appendix of a paper."""
    return (
        '<section class="run-record" id="run-record"><h2>Appendix: run record</h2>'
        f"<p>Built {html.escape(record['built_at'])} from notebook <code>{html.escape(record['notebook'])}</code> "
        f"(sha256 {record['notebook_sha256'][:16]}…) with carbonlib sha256 {record['carbonlib_sha256'][:16]}….</p>"
        "<h3>Parameters</h3><table>" + _rows(record["parameters"]) + "</table>"
        "<h3>Input files (sha256)</h3><table>" + _rows(record["inputs"]) + "</table>"
        "<h3>Package versions</h3><table>" + _rows(record["packages"]) + "</table></section>"
    )


def export_html(nb_file: str | Path, record: dict[str, Any], show_code: bool = False) -> str:
    """Render an executed notebook as a standalone HTML paper.

    Parameters
    ----------
    nb_file : str or Path
        The executed notebook.
    record : dict
        The run record (see :func:`carbonlib.build.run_record`) for the appendix.
    show_code : bool
        Show the code cells (the "with code" edition) instead of hiding them.

    Returns
    -------
    str
        The HTML document.
    """
    import nbformat
    from nbconvert import HTMLExporter

    nb = nbformat.read(str(nb_file), as_version=4)
    # papermill's injected-parameters cell is reported in the appendix instead
    nb.cells = [c for c in nb.cells if "injected-parameters" not in c.metadata.get("tags", [])]
    exporter = HTMLExporter(template_name="lab")
    exporter.exclude_input = not show_code
    exporter.exclude_input_prompt = True
    exporter.exclude_output_prompt = True
    exporter.embed_images = True
    title = next((_text(m[2]) for m in _HEADING.findall(_first_heading_html(nb))), record["notebook"])
    body, _ = exporter.from_notebook_node(nb, resources={"metadata": {"name": title}})
    body = _SCRIPT.sub("", body)
    body = _EXTERNAL_LINK.sub("", body)
    toc = table_of_contents(body)
    # contents after the first h1, appendix before </body>
    m = re.search(r"</h1>", body)
    if m and toc:
        body = body[: m.end()] + toc + body[m.end():]
    elif toc:
        body = body.replace("<main>", "<main>" + toc, 1)
    body = body.replace("</head>", CSS + "</head>", 1)
    body = body.replace("</body>", appendix(record) + "</body>", 1)
    return body


def _first_heading_html(nb) -> str:
    for cell in nb.cells:
        if cell.cell_type == "markdown":
            for line in cell.source.splitlines():
                if line.startswith("# "):
                    text = html.escape(line[2:].strip())
                    return f'<h1 id="t">{text}</h1>'
    return ""


def index_page(entries: list[dict[str, Any]], built_at: str) -> str:
    """The front page ``build/html/index.html``: every workbook's paper with its tables and figures.

    Parameters
    ----------
    entries : list of dict
        Per workbook: ``notebook``, ``title``, ``outputs`` (as in ``build/outputs/<nb>.json``).
    built_at : str
        Build date shown on the page.
    """
    items = []
    for e in entries:
        nb = html.escape(e["notebook"])
        outs = "".join(
            f"<li>{html.escape(o.get('caption') or o['name'])}</li>" for o in e.get("outputs", [])
        )
        items.append(
            f'<li><a href="{nb}.html">{html.escape(e["title"])}</a> '
            f'(<a href="code/{nb}.html">with code</a>)'
            + (f"<ul>{outs}</ul>" if outs else "") + "</li>"
        )
    return (
        "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"/>"
        "<title>Carbon markets and the EU ETS: the workbooks</title>" + CSS +
        "</head><body class=\"jp-Notebook\"><main><h1>Carbon markets and the EU ETS: the workbooks</h1>"
        "<p>Recomputable reproductions of two policy reports: the global carbon market 2006–2007, "
        "the Kyoto 2008–2012 balance, the EU ETS Phase 3 cap, auctions and free allocation, carbon "
        "leakage, EUA prices and effort sharing. Each paper holds the reports' tables as printed, "
        "recomputes them and shows every disagreement.</p>"
        f"<h2 id=\"contents\">Contents</h2><ol>{''.join(items)}</ol>"
        f"<p>Built {html.escape(built_at)}.</p></main></body></html>\n"
    )

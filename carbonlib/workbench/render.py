"""How a workbook's tables and figures appear in its paper: numbered, captioned, sourced.

:meth:`carbonlib.run.Run.table` and :meth:`~carbonlib.run.Run.figure` write the data files and
then display the HTML made here: a ``<figure>`` with the number and caption, the table (numbers
right-aligned with thousands separators, units in the headers, rows whose status is a
discrepancy highlighted) or the image (embedded PNG), and a source line.
"""

from __future__ import annotations

import base64
import html
import math
import re
from numbers import Integral, Real

import pandas as pd

from .i18n import column_label, translate, translate_exact

#: Values of a status-like column that mark a row as a disagreement (highlighted).
FLAGGED = {"discrepancy", "disagrees", "printing error", "printing_error", "error", "mismatch",
           "does not agree", "fails"}
STATUS_COLUMNS = {"status", "verdict", "check", "result"}
#: Words of a column name that mark numbers read as labels (shown without thousands separators).
LABEL_WORDS = {"year", "years", "code", "nace", "id", "position", "row", "rank", "phase", "line"}
_PREFIX = re.compile(r"^\s*(Table|Figure)\s+\d+(?:\.\d+)?\.\s*")


def strip_number(caption: str) -> str:
    """Remove a hand-written "Table N." / "Figure N." prefix (numbers are assigned by the run)."""
    return _PREFIX.sub("", caption or "")


def format_value(v: object, grouping: bool = True) -> tuple[str, bool]:
    """Text of one cell and whether it is numeric (right-aligned).

    ``grouping=False`` drops the thousands separators (for years, codes and other labels that
    are numbers).

    Examples
    --------
    >>> format_value(2084301856)
    ('2,084,301,856', True)
    >>> format_value(0.94270)
    ('0.9427', True)
    >>> format_value(float("nan"))
    ('', True)
    >>> format_value(2013.0, grouping=False)
    ('2013', True)
    """
    if v is None or v is pd.NA or v is pd.NaT:
        return "", False
    if isinstance(v, bool):
        return ("yes" if v else "no"), False
    sep = "," if grouping else ""
    if isinstance(v, Integral):
        return f"{int(v):{sep}}", True
    if isinstance(v, Real):
        x = float(v)
        if math.isnan(x):
            return "", True
        if math.isinf(x):
            return ("∞" if x > 0 else "−∞"), True
        if x == int(x) and abs(x) < 1e15:
            return f"{int(x):{sep}}", True
        text = f"{x:{sep}.6f}".rstrip("0").rstrip(".")
        if text in ("0", "-0"):
            text = f"{x:.3g}"
        return text.replace("-", "−", 1) if text.startswith("-") else text, True
    if isinstance(v, pd.Timestamp):
        return (v.strftime("%Y-%m-%d") if v == v.normalize() else str(v)), False
    return str(v), False


def plain_index(index: pd.Index) -> bool:
    """Whether an index is only row numbers (0, 1, 2 … unnamed), not worth showing or writing.

    Examples
    --------
    >>> plain_index(pd.RangeIndex(3)), plain_index(pd.RangeIndex(2013, 2021, name="year"))
    (True, False)
    """
    return (isinstance(index, pd.RangeIndex) and index.start == 0 and index.step == 1
            and index.name is None)


def _flagged(row: pd.Series, status_cols: list) -> bool:
    return any(str(row[c]).strip().lower() in FLAGGED for c in status_cols)


def table_html(df: pd.DataFrame | pd.Series, lang: str = "en") -> str:
    """An HTML table of ``df``: headers with units, numbers formatted, discrepancies flagged."""
    frame = df.to_frame() if isinstance(df, pd.Series) else df
    if not plain_index(frame.index):
        frame = frame.reset_index()
    if isinstance(frame.columns, pd.MultiIndex):
        frame.columns = [" / ".join(str(x) for x in col if str(x)) for col in frame.columns]
    status_cols = [c for c in frame.columns if str(c).lower() in STATUS_COLUMNS]
    head = "".join(f'<th scope="col">{html.escape(column_label(c, lang))}</th>' for c in frame.columns)
    # years, codes and ids are numbers read as labels: no thousands separators
    grouped = [not (set(re.split(r"[_\s]+", str(c).lower())) & LABEL_WORDS) for c in frame.columns]
    rows = []
    for _, row in frame.iterrows():
        cells = []
        for v, grouping in zip(row, grouped, strict=True):
            text, numeric = format_value(v, grouping)
            if lang != "en" and not numeric and isinstance(v, str):
                text = translate_exact(text, lang)
            cls = ' class="num"' if numeric else ""
            cells.append(f"<td{cls}>{html.escape(text)}</td>")
        cls = ' class="cl-flag"' if status_cols and _flagged(row, status_cols) else ""
        rows.append(f"<tr{cls}>{''.join(cells)}</tr>")
    return (f'<table class="cl-data"><thead><tr>{head}</tr></thead>'
            f"<tbody>{''.join(rows)}</tbody></table>")


def _caption(kind: str, number: int, caption: str, lang: str) -> str:
    if lang == "en":
        num = f"{'Table' if kind == 'table' else 'Figure'} {number}."
    else:
        num = f"{'表' if kind == 'table' else '圖'} {number}．"
    return (f'<figcaption><span class="cl-num" data-kind="{kind}" data-number="{number}">{html.escape(num)}</span> '
            f"{html.escape(translate(strip_number(caption), lang))}</figcaption>")


def _source(source: str, lang: str) -> str:
    if not source:
        return ""
    sep = "：" if lang != "en" else ": "
    return f'<p class="cl-source">{html.escape(translate("Source", lang))}{sep}{html.escape(source)}</p>'


def table_block(df, name: str, number: int, caption: str, source: str, lang: str = "en") -> str:
    """The whole numbered table block of a paper."""
    return (f'<figure class="cl-table" id="table-{html.escape(name)}">{_caption("table", number, caption, lang)}'
            f'<div class="cl-scroll">{table_html(df, lang)}</div>{_source(source, lang)}</figure>')


def figure_block(png: bytes, name: str, number: int, caption: str, source: str, lang: str = "en") -> str:
    """The whole numbered figure block of a paper (the PNG embedded)."""
    data = base64.b64encode(png).decode("ascii")
    alt = html.escape(translate(caption, lang) or name)
    return (f'<figure class="cl-figure" id="figure-{html.escape(name)}">'
            f'<img src="data:image/png;base64,{data}" alt="{alt}"/>'
            f"{_caption('figure', number, caption, lang)}{_source(source, lang)}</figure>")


def display_html(text: str) -> None:
    """Show HTML in the running notebook (does nothing outside a kernel)."""
    try:
        from IPython import get_ipython
        from IPython.display import HTML, display
    except ImportError:  # pragma: no cover - IPython comes with ipykernel
        return
    if get_ipython() is not None:
        display(HTML(text))


def translate_figure(fig, lang: str) -> None:
    """Render every text of a matplotlib figure in ``lang`` (titles, labels, ticks, legends).

    Tick labels are regenerated when a figure is drawn, so the figure is drawn first and any
    text tick labels are then fixed in their translated form.
    """
    if lang == "en":
        return
    from matplotlib.text import Text

    fig.canvas.draw()
    for ax in fig.axes:
        for axis in (ax.xaxis, ax.yaxis):
            labels = [t.get_text() for t in axis.get_ticklabels()]
            new = [translate(text, lang) for text in labels]
            if new != labels:
                axis.set_ticks(axis.get_ticklocs(), labels=new)
    for t in fig.findobj(Text):
        s = t.get_text()
        if s and not s.startswith("$"):
            new_text = translate(s, lang)
            if new_text != s:
                t.set_text(new_text)

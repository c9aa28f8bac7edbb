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

import numpy as np
import pandas as pd

from .i18n import (
    SNAKE,
    column_label,
    descriptor_labels,
    humanize,
    label_text,
    translate,
    translate_exact,
    value_label,
)

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
    if isinstance(v, bool | np.bool_):
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


#: Columns that hold only a printed label of the identifier beside them (shown as one label).
LABEL_COLUMNS = ("label_zh", "label_en")
_IDENTIFIER = re.compile(r"^[a-z][a-z0-9]*(?:_[a-z0-9]+)*$")


def _words(name: object) -> set[str]:
    return set(re.split(r"[_\s]+", str(name).lower()))


def _integer_valued(series: pd.Series) -> bool:
    values = series.dropna()
    if values.empty or values.dtype == bool:
        return False
    try:
        return bool(((values.astype(float) % 1) == 0).all())
    except (TypeError, ValueError):
        return False


def _textual(series: pd.Series) -> bool:
    return not (pd.api.types.is_numeric_dtype(series) or pd.api.types.is_bool_dtype(series)
                or pd.api.types.is_datetime64_any_dtype(series))


def display_frame(df: pd.DataFrame | pd.Series, lang: str = "en") -> tuple[pd.DataFrame, list[str], list[bool], list[bool]]:
    """The frame as a reader sees it: index as columns, one label column, identifiers labelled.

    Returns the frame (cells still raw), the header of each column, whether each column groups
    thousands, and whether each column holds identifiers (labelled cell by cell).
    The frame written to CSV is not touched: only the copy shown is changed.
    """
    frame = df.to_frame() if isinstance(df, pd.Series) else df.copy()
    index_cols: list = []
    if not plain_index(frame.index):
        before = list(frame.columns)
        frame = frame.reset_index()
        index_cols = [c for c in frame.columns if c not in before]
    if isinstance(frame.columns, pd.MultiIndex):
        frame.columns = [" / ".join(str(x) for x in col if str(x)) for col in frame.columns]
    headers: dict = {}
    reverse = descriptor_labels()["reverse"]
    for label_col in LABEL_COLUMNS:
        if label_col not in frame.columns:
            continue
        pos = list(frame.columns).index(label_col)
        ident = frame.columns[pos - 1] if pos > 0 else None
        named = (ident is not None and _textual(frame[ident])
                 and frame[ident].dropna().map(lambda v: bool(_IDENTIFIER.match(str(v)))).all())
        if named and label_col[-2:] == "zh":
            if lang != "en":
                printed = frame[label_col].where(frame[label_col].notna() & (frame[label_col] != ""))
                frame[ident] = printed.combine_first(frame[ident].map(lambda v, col=ident: value_label(v, col, lang) or v))
            frame = frame.drop(columns=[label_col])
        elif lang == "en":  # a printed label alone: shown by the identifier it labels, in English
            fields = {reverse[v][0] for v in frame[label_col].dropna() if v in reverse}
            frame[label_col] = frame[label_col].map(lambda v: value_label(reverse[v][1], reverse[v][0], lang) if v in reverse else v)
            if len(fields) == 1:
                headers[label_col] = column_label(fields.pop(), lang)
        else:
            fields = {reverse[v][0] for v in frame[label_col].dropna() if v in reverse}
            if len(fields) == 1:
                headers[label_col] = column_label(fields.pop(), lang)
    labelled = descriptor_labels()["values"]
    columns = list(frame.columns)
    grouped, identifiers = [], []
    for i, c in enumerate(columns):
        # years, codes and ids are numbers read as labels: no thousands separators; so is an
        # index of whole numbers (years, positions) and a column named by a year
        label_like = bool(_words(c) & LABEL_WORDS) or (c in index_cols and _integer_valued(frame[c]))
        grouped.append(not label_like)
        strings = frame[c].dropna()
        strings = strings[strings.map(lambda v: isinstance(v, str) and v != "")]
        ident = (i == 0 or c in index_cols or str(c) in labelled
                 or (not strings.empty and strings.map(lambda v: bool(_IDENTIFIER.match(v))).all()
                     and strings.map(lambda v: "_" in v).any()))
        identifiers.append(bool(ident) and _textual(frame[c]))
    heads = [headers.get(c) or column_label(c, lang) for c in columns]
    return frame, heads, grouped, identifiers


_LEAD = re.compile(r"^([a-z][a-z0-9]*)(?=:)")


def cell_label(v: str, column: object, lang: str, first: bool) -> str:
    """The label of one identifier cell (descriptor, glossary, or the words of the identifier)."""
    label = value_label(v, column, lang)
    hit = descriptor_labels()["any"].get(v) if label is None else None
    if hit:  # a one-word identifier another field labels (``eu`` of ``buyer``)
        label = hit.get(lang) or translate(hit.get("en", v), lang)
    if label is None and _IDENTIFIER.match(v):  # one word: its abbreviation or the glossary's word
        label = humanize(v) if lang == "en" else translate_exact(v, lang)
    if label is None:
        label = label_text(v, lang) if SNAKE.search(v) else (translate_exact(v, lang) if lang != "en" else v)
        label = _LEAD.sub(lambda m: value_label(m.group(1), None, lang) or humanize(m.group(1)), label)
    if lang == "en" and first and label[:1].islower():
        label = label[:1].upper() + label[1:]
    return label


def table_html(df: pd.DataFrame | pd.Series, lang: str = "en") -> str:
    """An HTML table of ``df``: headers with units, numbers formatted, discrepancies flagged.

    Headers and identifier cells are shown by their labels in ``lang`` (see
    :func:`display_frame`); years, codes and ids never carry thousands separators.
    """
    frame, heads, grouped, identifiers = display_frame(df, lang)
    status_cols = [c for c in frame.columns if str(c).lower() in STATUS_COLUMNS]
    head = "".join(f'<th scope="col">{html.escape(h)}</th>' for h in heads)
    first = frame.columns[0] if len(frame.columns) else None
    unit_col = next((c for c in frame.columns if str(c) == "unit"), None)
    rows = []
    for _, row in frame.iterrows():
        key = row[first] if first is not None else None
        # a row named by a year, code or id (``start_year``; unit "year") shows its numbers as labels
        row_label = ((isinstance(key, str) and bool(_words(key) & LABEL_WORDS))
                     or (unit_col is not None and str(row[unit_col]).strip().lower() in LABEL_WORDS))
        cells = []
        for i, (v, grouping, ident) in enumerate(zip(row, grouped, identifiers, strict=True)):
            text, numeric = format_value(v, grouping and not row_label)
            if isinstance(v, bool | np.bool_) and lang != "en":  # yes / no in the edition's language
                text = translate_exact(text, lang)
            elif not numeric and isinstance(v, str):
                if ident:
                    text = cell_label(v, frame.columns[i], lang, i == 0)
                elif lang != "en":
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
    return f'<p class="cl-source">{html.escape(translate("Source", lang))}{sep}{html.escape(translate(source, lang))}</p>'


def table_block(df, name: str, number: int, caption: str, source: str, lang: str = "en") -> str:
    """The whole numbered table block of a paper."""
    return (f'<figure class="cl-table" id="table-{html.escape(name)}">{_caption("table", number, caption, lang)}'
            f'<div class="cl-scroll">{table_html(df, lang)}</div>{_source(source, lang)}</figure>')


def figure_block(png: bytes, name: str, number: int, caption: str, source: str, lang: str = "en") -> str:
    """The whole numbered figure block of a paper (the PNG embedded)."""
    data = base64.b64encode(png).decode("ascii")
    label = f"Figure {number}." if lang == "en" else f"圖 {number}．"
    alt = html.escape(f"{label} {translate(strip_number(caption), lang) or name}")
    return (f'<figure class="cl-figure" id="figure-{html.escape(name)}">'
            f'<img src="data:image/png;base64,{data}" alt="{alt}"/>'
            f"{_caption('figure', number, caption, lang)}{_source(source, lang)}</figure>")


def note_block(note: str, lang: str = "en") -> str:
    """A paragraph saying what the input cannot support: one sentence per line of ``note``, translated."""
    text = " ".join(html.escape(translate(line.strip(), lang)) for line in note.splitlines() if line.strip())
    return f'<p class="cl-note">{text}</p>'


#: The MIME type of a paper block's editions in an executed notebook: ``{lang: html}``.
EDITIONS_MIME = "application/vnd.carbonlib.editions+json"


def display_html(text: str, editions: dict[str, str] | None = None) -> None:
    """Show HTML in the running notebook (does nothing outside a kernel or shell).

    ``editions`` (``{lang: html}``), when given, is stored beside it under
    :data:`EDITIONS_MIME`, so that every edition's paper is exported from one executed
    notebook (:func:`carbonlib.workbench.paper.export_html` picks its own).
    """
    try:
        from IPython import get_ipython
        from IPython.display import display
    except ImportError:  # pragma: no cover - IPython comes with ipykernel
        return
    if get_ipython() is not None:
        bundle: dict[str, object] = {"text/html": text}
        if editions:
            bundle[EDITIONS_MIME] = editions
        display(bundle, raw=True)


def translate_figure(fig, lang: str) -> None:
    """Render every text of a matplotlib figure in ``lang`` (titles, labels, ticks, legends).

    Tick labels are regenerated when a figure is drawn, so the figure is drawn first and any
    text tick labels are then fixed in their translated form. Texts drawn in the house font
    take the edition's fonts (:func:`carbonlib.workbench.style.edition_rc`); call this, and save
    the figure, within ``matplotlib.rc_context(style.edition_rc(lang))``.
    """
    if lang == "en":
        return
    from matplotlib.text import Text

    from .style import edition_rc, house_families

    families = edition_rc(lang)["font.family"]
    fig.draw_without_rendering()  # lays out and formats the ticks, as a draw does, without pixels
    for ax in fig.axes:
        for axis in (ax.xaxis, ax.yaxis):
            labels = [t.get_text() for t in axis.get_ticklabels()]
            new = [translate(text, lang) for text in labels]
            if new != labels:
                axis.set_ticks(axis.get_ticklocs(), labels=new)
        for title in (ax.title, ax._left_title, ax._right_title):
            title.set_fontweight(edition_rc(lang)["axes.titleweight"])
    for t in fig.findobj(Text):
        if t.get_fontfamily() == house_families():
            t.set_fontfamily(families)
        s = t.get_text()
        if s and not s.startswith("$"):
            new_text = translate(s, lang)
            if new_text != s:
                t.set_text(new_text)


def freeze_layout(fig) -> None:
    """Lay the figure out once and keep that layout for every file saved from it.

    A figure with a layout engine (the house style's constrained layout) is otherwise laid
    out again for each format and again for ``savefig.bbox: tight``: four layouts for a PNG
    and an SVG. After this call its PNG and SVG share one layout.
    """
    if fig.get_layout_engine() is None:
        return
    fig.draw_without_rendering()
    fig.set_layout_engine("none")


def figure_texts(fig) -> list[str]:
    """Every visible text of a drawn matplotlib figure, in drawing order (titles, labels, ticks,
    legends, annotations), without duplicates."""
    from matplotlib.text import Text

    seen: dict[str, None] = {}
    for t in fig.findobj(Text):
        s = t.get_text().strip()
        if s and t.get_visible() and t.figure is not None:
            seen.setdefault(s, None)
    return list(seen)

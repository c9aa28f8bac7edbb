"""Reading a user's daily EUA price history.

Exchange price histories belong to their vendors, so the project never commits one. A user
names a file (the ``price_file`` parameter of workbook 06, or the ``CARBONLIB_EUA_PRICES``
environment variable, both resolved by the workbench) and :func:`read_prices` reads it in one
of two formats:

``investing``
    The usual web export of a daily futures history: a byte-order mark, every field quoted,
    ``"Date","Price","Open","High","Low","Vol.","Change %"``, dates ``MM/DD/YYYY``, newest
    first, volumes such as ``"5.67K"`` and changes such as ``"-0.70%"``.
``plain``
    A CSV with a ``date`` column (``YYYY-MM-DD`` or ``YYYY/M/D``), a ``price`` column and an
    optional ``volume`` column; other columns are ignored (and listed in ``attrs``).

Every problem raises :class:`~carbonlib.errors.DataError` naming the file, the line and the
problem. Each file read is reported to :func:`carbonlib.datasets.record_read`, so a run records
its hash.

References
----------
000_318ba4d3771c8f90.txt, section 三.3 and 圖4 (the EUA futures history the report draws).
"""

from __future__ import annotations

import csv
import math
import re
from pathlib import Path

import pandas as pd

from . import datasets
from .errors import DataError, InputError
from .prices import mark_phases

FORMATS = ("auto", "investing", "plain")

_INVESTING_COLUMNS = ("Date", "Price", "Open", "High", "Low", "Vol.", "Change %")
_VOLUME = re.compile(r"^(\d+(?:\.\d+)?)([KMB]?)$")
_MULTIPLIER = {"": 1.0, "K": 1e3, "M": 1e6, "B": 1e9}


# --------------------------------------------------------------------------------------------
# Reading
# --------------------------------------------------------------------------------------------

def _read_text(path: Path) -> str:
    if not path.is_file():
        raise DataError(f"{path}: no such price file")
    try:
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as exc:
        raise DataError(f"{path}: not UTF-8 text (byte {exc.start}); is it a price CSV?") from None
    if not text.strip():
        raise DataError(f"{path}: the file is empty")
    return text


def detect_format(path: str | Path) -> str:
    """Tell the format of a price file from its header line.

    Parameters
    ----------
    path : str or Path
        The price file.

    Returns
    -------
    str
        ``"investing"`` or ``"plain"``.

    Raises
    ------
    DataError
        If the header matches neither format.
    """
    path = Path(path)
    header = next(csv.reader([_read_text(path).splitlines()[0]]))
    names = [h.strip() for h in header]
    if "Vol." in names or "Change %" in names:
        return "investing"
    lower = [n.lower() for n in names]
    if "date" in lower and "price" in lower:
        return "plain"
    raise DataError(
        f"{path}, line 1: cannot tell the format from the header {names}; expected the web export "
        f"({', '.join(_INVESTING_COLUMNS)}) or a plain CSV with 'date' and 'price' columns"
    )


def _number(text: str, path: Path, line: int, column: str) -> float:
    value = text.strip().replace(",", "")
    try:
        return float(value)
    except ValueError:
        raise DataError(f"{path}, line {line}, column {column!r}: {text!r} is not a number") from None


def _volume(text: str, path: Path, line: int, column: str) -> float:
    value = text.strip().replace(",", "")
    if value in ("", "-"):
        return math.nan
    m = _VOLUME.match(value)
    if not m:
        raise DataError(f"{path}, line {line}, column {column!r}: volume {text!r} is not a number "
                        "with an optional K, M or B suffix")
    return float(m.group(1)) * _MULTIPLIER[m.group(2)]


def _date(text: str, fmt: str, path: Path, line: int, column: str, expected: str) -> pd.Timestamp:
    try:
        return pd.Timestamp(pd.to_datetime(text.strip(), format=fmt))
    except (ValueError, TypeError):
        raise DataError(f"{path}, line {line}, column {column!r}: date {text!r} is not {expected}") from None


def _rows(path: Path, text: str, n_fields: int):
    reader = csv.reader(text.splitlines())
    next(reader)
    for i, row in enumerate(reader, start=2):
        if not row or all(not c.strip() for c in row):
            continue
        if len(row) != n_fields:
            raise DataError(f"{path}, line {i}: {len(row)} fields where the header has {n_fields} "
                            "(truncated or malformed row)")
        yield i, row


def _read_investing(path: Path, text: str) -> pd.DataFrame:
    header = [h.strip() for h in next(csv.reader([text.splitlines()[0]]))]
    missing = [c for c in ("Date", "Price") if c not in header]
    if missing:
        raise DataError(f"{path}, line 1: missing column(s) {missing}; the header is {header}")
    col = {name: header.index(name) for name in header}
    records = []
    for line, row in _rows(path, text, len(header)):
        rec = {"date": _date(row[col["Date"]], "%m/%d/%Y", path, line, "Date", "MM/DD/YYYY"),
               "price_eur_per_t": _number(row[col["Price"]], path, line, "Price")}
        for name, out in (("Open", "open_eur_per_t"), ("High", "high_eur_per_t"), ("Low", "low_eur_per_t")):
            if name in col:
                rec[out] = _number(row[col[name]], path, line, name)
        if "Vol." in col:
            rec["volume"] = _volume(row[col["Vol."]], path, line, "Vol.")
        records.append(rec)
    return pd.DataFrame.from_records(records)


_PLAIN_DATE_FORMATS = (("%Y-%m-%d", re.compile(r"^\d{4}-\d{1,2}-\d{1,2}$")),
                       ("%Y/%m/%d", re.compile(r"^\d{4}/\d{1,2}/\d{1,2}$")))


def _read_plain(path: Path, text: str) -> tuple[pd.DataFrame, list[str]]:
    header = [h.strip() for h in next(csv.reader([text.splitlines()[0]]))]
    lower = [h.lower() for h in header]
    missing = [c for c in ("date", "price") if c not in lower]
    if missing:
        raise DataError(f"{path}, line 1: missing column(s) {missing}; the header is {header}")
    i_date, i_price = lower.index("date"), lower.index("price")
    i_vol = lower.index("volume") if "volume" in lower else None
    ignored = [h for j, h in enumerate(header) if j not in (i_date, i_price, i_vol)]
    records = []
    for line, row in _rows(path, text, len(header)):
        raw = row[i_date].strip()
        fmt = next((f for f, pattern in _PLAIN_DATE_FORMATS if pattern.match(raw)), None)
        if fmt is None:
            raise DataError(f"{path}, line {line}, column {header[i_date]!r}: date {raw!r} is not "
                            "YYYY-MM-DD or YYYY/M/D")
        rec = {"date": _date(raw, fmt, path, line, header[i_date], "a valid calendar date"),
               "price_eur_per_t": _number(row[i_price], path, line, header[i_price])}
        if i_vol is not None:
            rec["volume"] = _volume(row[i_vol], path, line, header[i_vol])
        records.append(rec)
    return pd.DataFrame.from_records(records), ignored


def read_prices(path: str | Path, fmt: str = "auto") -> pd.DataFrame:
    """Read a daily EUA price history.

    Parameters
    ----------
    path : str or Path
        The price file (never committed to the project; see the module docstring).
    fmt : {"auto", "investing", "plain"}
        The file's format; ``"auto"`` detects it from the header.

    Returns
    -------
    pandas.DataFrame
        Indexed by ``date`` (ascending; duplicates kept), with ``price_eur_per_t`` (EUR per
        tCO2, the daily close or settlement) and, where the file has them,
        ``open_eur_per_t``, ``high_eur_per_t``, ``low_eur_per_t`` and ``volume`` (as the
        vendor gives it, with ``K``/``M`` expanded; unit not documented by the vendor).
        ``attrs`` holds ``path``, ``sha256``, ``format``, ``order`` (the file's row order)
        and ``ignored_columns``.

    Raises
    ------
    DataError
        If the file is missing, empty, of an unknown format, or has a row that cannot be
        read; the message names the file, the line and the problem.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> f = pathlib.Path(tempfile.mkdtemp()) / "p.csv"
    >>> _ = f.write_text("date,price\\n2008-01-03,22.5\\n2008-01-02,22.1\\n")
    >>> read_prices(f)["price_eur_per_t"].tolist()
    [22.1, 22.5]
    """
    path = Path(path)
    if fmt not in FORMATS:
        raise InputError(f"price format {fmt!r}: use one of {', '.join(FORMATS)}")
    text = _read_text(path)
    used = detect_format(path) if fmt == "auto" else fmt
    ignored: list[str] = []
    if used == "investing":
        frame = _read_investing(path, text)
    else:
        frame, ignored = _read_plain(path, text)
    if frame.empty:
        raise DataError(f"{path}: the header is there but there are no data rows")
    order = "oldest first"
    if frame["date"].is_monotonic_decreasing and len(frame) > 1:
        order = "newest first"
    elif not frame["date"].is_monotonic_increasing:
        order = "unordered"
    frame = frame.sort_values("date", kind="stable").set_index("date")
    frame.attrs.update({"path": datasets.display_path(path), "sha256": datasets.record_read(path),
                        "format": used, "order": order, "ignored_columns": ignored})
    return frame


def load_history(path: str | Path | None, fmt: str = "auto", roll: str | None = "auto") -> pd.DataFrame | None:
    """Read a price history and mark its trading phases; ``None`` when no file is given.

    Parameters
    ----------
    path : str, Path or None
        The price file, or ``None`` (the workbook then shows only the report's quoted facts).
    fmt : {"auto", "investing", "plain"}
        The file's format (see :func:`read_prices`).
    roll : str or None
        The Phase 1 → 2 contract roll: ``"auto"``, a date ``YYYY-MM-DD``, or ``None``
        (see :func:`carbonlib.prices.mark_phases`).

    Returns
    -------
    pandas.DataFrame or None
        As :func:`read_prices`, plus ``phase`` and ``phase_label`` columns.
    """
    return None if path is None else mark_phases(read_prices(path, fmt), roll)

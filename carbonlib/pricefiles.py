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
    A table with a date column, a price column and an optional ``volume`` column; other
    columns are ignored (and listed in ``attrs``). What people export:

    * fields separated by ``,``, ``;`` or tabs (the one under which the header has a date and
      a price column);
    * the price column named ``price``, ``close``, ``settle`` or ``settlement`` (the first of
      these present);
    * decimal points, or decimal commas in a ``;``- or tab-separated file (a European
      spreadsheet export: ``33,69``, ``1.234,50``); the other mark is read only as a
      thousands separator, so ``22.5`` in a decimal-comma file is an error, not 225;
    * dates year-first (``YYYY-MM-DD``, ``YYYY/M/D``) or day-month-year (``31/12/2021``,
      ``31.12.2021``, ``31-12-2021``, four-digit years). The order of day and month comes
      from the header (``date (dd/mm/yyyy)``, ``date (mm/dd/yyyy)``) or else from the values
      (a first part above 12 is a day, a second part above 12 is a day). When neither
      decides, the file is refused with a message naming the column and two example rows:
      the order is never guessed.

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
    if _plain_dialect(_read_text(path).splitlines()[0]):
        return "plain"
    raise DataError(
        f"{path}, line 1: cannot tell the format from the header {names}; expected the web export "
        f"({', '.join(_INVESTING_COLUMNS)}) or a plain CSV with 'date' and 'price' columns "
        "(separated by ',', ';' or tabs)"
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


def _rows(path: Path, text: str, n_fields: int, delimiter: str = ","):
    reader = csv.reader(text.splitlines(), delimiter=delimiter)
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


#: Names a plain file's price column may have, in order of preference (lower case).
PRICE_NAMES = ("price", "close", "settle", "settlement")
#: Field separators a plain file may use.
DELIMITERS = (",", ";", "\t")

# a date column: "date", or "date" with the order of its parts, e.g. "date (dd/mm/yyyy)"
_DATE_HEADER = re.compile(r"^date(?:\s*[(\[]?\s*([dmy]{1,4})([./-])([dmy]{1,4})\2([dmy]{1,4})\s*[)\]]?)?$",
                          re.IGNORECASE)
_YEAR_FIRST = re.compile(r"^(\d{4})([-/.])(\d{1,2})\2(\d{1,2})$")
_YEAR_LAST = re.compile(r"^(\d{1,2})([-/.])(\d{1,2})\2(\d{4})$")
_ORDER_NAMES = {"dmy": "day-first", "mdy": "month-first"}


def _split(line: str, delimiter: str) -> list[str]:
    return [h.strip() for h in next(csv.reader([line], delimiter=delimiter))]


def _plain_columns(header: list[str]) -> tuple[int, int] | None:
    """The positions of the date and price columns of a plain header, or None."""
    dates = [j for j, h in enumerate(header) if _DATE_HEADER.match(h)]
    lower = [h.lower() for h in header]
    price = next((lower.index(n) for n in PRICE_NAMES if n in lower), None)
    if len(dates) != 1 or price is None:
        return None
    return dates[0], price


def _plain_dialect(first_line: str) -> str | None:
    """The separator under which a header line has one date and one price column, or None."""
    return next((d for d in DELIMITERS if _plain_columns(_split(first_line, d))), None)


def _header_order(name: str) -> str | None:
    """``"dmy"``, ``"mdy"`` or ``"ymd"`` when a date column's name states the order of its parts."""
    m = _DATE_HEADER.match(name)
    if not m or not m.group(1):
        return None
    order = "".join(part[0].lower() for part in (m.group(1), m.group(3), m.group(4)))
    if order not in ("dmy", "mdy", "ymd"):
        raise DataError(f"column {name!r}: the header names the date parts in the order {order!r}; "
                        "read are dd/mm/yyyy, mm/dd/yyyy and yyyy-mm-dd")
    return order


def _decimal_mark(path: Path, rows: list[tuple[int, list[str]]], columns: list[int],
                  delimiter: str) -> str:
    """The decimal mark of a plain file: a comma only in a ``;``- or tab-separated file whose
    numbers have one; a point otherwise."""
    if delimiter == ",":
        return "."
    has_comma = any("," in row[j] for _, row in rows for j in columns)
    return "," if has_comma else "."


_THOUSANDS = {".": re.compile(r"^[-+]?\d{1,3}(,\d{3})+(\.\d+)?$"),
              ",": re.compile(r"^[-+]?\d{1,3}(\.\d{3})+(,\d+)?$")}


def _plain_number(text: str, mark: str, path: Path, line: int, column: str) -> float:
    """A number with the file's decimal mark; the other mark only as a thousands separator."""
    value = text.strip().replace("\u00a0", "").replace("\u202f", "")
    other = "," if mark == "." else "."
    if other in value:
        if not _THOUSANDS[mark].match(value):
            kind = "decimal commas" if mark == "," else "decimal points"
            raise DataError(f"{path}, line {line}, column {column!r}: {text!r} is not a number "
                            f"(the file writes {kind})")
        value = value.replace(other, "")
    try:
        return float(value.replace(",", ".")) if mark == "," else float(value)
    except ValueError:
        raise DataError(f"{path}, line {line}, column {column!r}: {text!r} is not a number") from None


def _plain_volume(text: str, mark: str, path: Path, line: int, column: str) -> float:
    value = text.strip()
    if value in ("", "-"):
        return math.nan
    suffix = value[-1:].upper() if value[-1:].upper() in "KMB" else ""
    number = value[:-1] if suffix else value
    try:
        amount = _plain_number(number, mark, path, line, column)
    except DataError:
        raise DataError(f"{path}, line {line}, column {column!r}: volume {text!r} is not a number "
                        "with an optional K, M or B suffix") from None
    return amount * _MULTIPLIER[suffix]


def _date_order(path: Path, name: str, rows: list[tuple[int, list[str]]], j: int,
                lines: dict[int, str]) -> str:
    """How the day-month-year dates of a column are ordered: from the header or from a value
    whose day is above 12; never guessed."""
    stated = _header_order(name)
    split = [(line, _YEAR_LAST.match(row[j].strip())) for line, row in rows]
    split = [(line, m) for line, m in split if m]
    if stated is not None:
        return stated
    if not split:
        return "ymd"
    day_first = [line for line, m in split if int(m.group(1)) > 12]
    month_first = [line for line, m in split if int(m.group(3)) > 12]
    if day_first and month_first:
        a, b = day_first[0], month_first[0]
        raise DataError(f"{path}, column {name!r}: the dates mix day-first (line {a}: {lines[a]!r}) "
                        f"and month-first (line {b}: {lines[b]!r}) orders")
    if day_first:
        return "dmy"
    if month_first:
        return "mdy"
    examples = [line for line, _ in split[:2]]
    shown = " and ".join(f"line {k}: {lines[k]!r}" for k in examples)
    raise DataError(
        f"{path}, column {name!r}: cannot tell whether the dates are day-first or month-first; "
        f"every one fits both orders ({shown}). Name the order in the header, e.g. "
        "'date (dd/mm/yyyy)' or 'date (mm/dd/yyyy)', or write the dates as YYYY-MM-DD")


def _plain_date(text: str, order: str, path: Path, line: int, column: str) -> pd.Timestamp:
    raw = text.strip()
    m = _YEAR_FIRST.match(raw)
    if m:
        year, month, day = m.group(1), m.group(3), m.group(4)
    else:
        m = _YEAR_LAST.match(raw)
        if m is None or order == "ymd":
            raise DataError(f"{path}, line {line}, column {column!r}: date {raw!r} is not YYYY-MM-DD, "
                            "YYYY/M/D or a day-month-year date such as 31/12/2021")
        first, second, year = m.group(1), m.group(3), m.group(4)
        day, month = (first, second) if order == "dmy" else (second, first)
    try:
        return pd.Timestamp(year=int(year), month=int(month), day=int(day))
    except ValueError:
        what = {"dmy": " day-first", "mdy": " month-first"}.get(order, "")
        raise DataError(f"{path}, line {line}, column {column!r}: date {raw!r} is not a valid"
                        f"{what} calendar date") from None


def _read_plain(path: Path, text: str) -> tuple[pd.DataFrame, dict]:
    lines = text.splitlines()
    delimiter = _plain_dialect(lines[0]) or ","
    header = _split(lines[0], delimiter)
    found = _plain_columns(header)
    if found is None:
        lower = [h.lower() for h in header]
        missing = [c for c, ok in (("date", any(_DATE_HEADER.match(h) for h in header)),
                                   ("price", any(n in lower for n in PRICE_NAMES))) if not ok]
        raise DataError(f"{path}, line 1: missing column(s) {missing or ['date']}; the header is {header}")
    i_date, i_price = found
    lower = [h.lower() for h in header]
    i_vol = lower.index("volume") if "volume" in lower else None
    ignored = [h for j, h in enumerate(header) if j not in (i_date, i_price, i_vol)]
    rows = list(_rows(path, text, len(header), delimiter))
    numeric = [i_price] + ([i_vol] if i_vol is not None else [])
    mark = _decimal_mark(path, rows, numeric, delimiter)
    raw_lines = _LineText(lines)
    try:
        order = _date_order(path, header[i_date], rows, i_date, raw_lines)
    except DataError as exc:
        if str(exc).startswith("column "):
            raise DataError(f"{path}, line 1, {exc}") from None
        raise
    records = []
    for line, row in rows:
        rec = {"date": _plain_date(row[i_date], order, path, line, header[i_date]),
               "price_eur_per_t": _plain_number(row[i_price], mark, path, line, header[i_price])}
        if i_vol is not None:
            rec["volume"] = _plain_volume(row[i_vol], mark, path, line, header[i_vol])
        records.append(rec)
    dialect = {"delimiter": delimiter, "decimal": mark, "date_order": _ORDER_NAMES.get(order, "year-first"),
               "date_column": header[i_date], "price_column": header[i_price]}
    return pd.DataFrame.from_records(records), {"ignored_columns": ignored, **dialect}


class _LineText(dict):
    """A file's lines by number (1 = the header), looked up lazily."""

    def __init__(self, lines: list[str]):
        super().__init__()
        self._lines = lines

    def __missing__(self, line: int) -> str:
        return self._lines[line - 1]


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
        ``attrs`` holds ``path``, ``sha256``, ``format``, ``order`` (the file's row order),
        ``ignored_columns`` and how the file was read: ``delimiter``, ``decimal`` (``"."``
        or ``","``), ``date_order`` (``"year-first"``, ``"day-first"`` or
        ``"month-first"``), ``date_column`` and ``price_column``.

    Raises
    ------
    DataError
        If the file is missing, empty, of an unknown format, has a row that cannot be read,
        or has day-month-year dates whose order neither the header nor the values decide; the
        message names the file, the line (or the column and two example rows) and the problem.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> f = pathlib.Path(tempfile.mkdtemp()) / "p.csv"
    >>> _ = f.write_text("date,price\\n2008-01-03,22.5\\n2008-01-02,22.1\\n")
    >>> read_prices(f)["price_eur_per_t"].tolist()
    [22.1, 22.5]
    >>> _ = f.write_text("date;close;open\\n04/01/2021;33,69;33,10\\n05/01/2021;34,1;33,8\\n"
    ...                  "14/01/2021;33,05;34,0\\n")
    >>> p = read_prices(f)
    >>> p["price_eur_per_t"].tolist(), p.attrs["date_order"], p.attrs["ignored_columns"]
    ([33.69, 34.1, 33.05], 'day-first', ['open'])
    """
    path = Path(path)
    if fmt not in FORMATS:
        raise InputError(f"price format {fmt!r}: use one of {', '.join(FORMATS)}")
    text = _read_text(path)
    used = detect_format(path) if fmt == "auto" else fmt
    dialect: dict = {"ignored_columns": []}
    if used == "investing":
        frame = _read_investing(path, text)
        dialect.update({"delimiter": ",", "decimal": ".", "date_order": "month-first",
                        "date_column": "Date", "price_column": "Price"})
    else:
        frame, dialect = _read_plain(path, text)
    if frame.empty:
        raise DataError(f"{path}: the header is there but there are no data rows")
    order = "oldest first"
    if frame["date"].is_monotonic_decreasing and len(frame) > 1:
        order = "newest first"
    elif not frame["date"].is_monotonic_increasing:
        order = "unordered"
    frame = frame.sort_values("date", kind="stable").set_index("date")
    frame.attrs.update({"path": datasets.display_path(path), "sha256": datasets.record_read(path),
                        "format": used, "order": order, **dialect})
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

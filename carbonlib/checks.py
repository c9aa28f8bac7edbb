"""Published versus recomputed: compare a printed table with the same table recomputed.

Every workbook holds the reports' tables as printed and recomputes what can be recomputed
(totals from their parts, growth rates, linear paths, factors). :func:`compare` lines the two
up cell by cell and says whether each difference is explained by the printing's rounding.

References
----------
The tables of ``000_318ba4d3771c8f90.txt`` and ``001_b0950b57165db085.txt``.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd

from .errors import InputError

#: Column order of a comparison report.
REPORT_COLUMNS = ["printed", "recomputed", "difference", "tolerance", "within_rounding", "status"]

STATUS_OK = "agrees"
STATUS_DISCREPANCY = "discrepancy"
STATUS_NOT_PRINTED = "not printed"
STATUS_NOT_RECOMPUTED = "not recomputable"
STATUS_EMPTY = "neither"


def rounding_tolerance(decimals: int | float) -> float:
    """Half a unit in the last printed digit.

    Parameters
    ----------
    decimals : int
        Digits printed after the decimal point (negative for rounding to tens, hundreds...).

    Returns
    -------
    float
        ``0.5 * 10**-decimals``.

    Examples
    --------
    >>> rounding_tolerance(0)
    0.5
    >>> rounding_tolerance(1)
    0.05
    """
    return 0.5 * 10.0 ** (-decimals)


def _as_series(obj: pd.Series | pd.DataFrame, what: str) -> pd.Series:
    if isinstance(obj, pd.DataFrame):
        return obj.stack(future_stack=True)
    if isinstance(obj, pd.Series):
        return obj
    raise InputError(f"{what}: expected a pandas Series or DataFrame, got {type(obj).__name__}")


def compare(
    printed: pd.Series | pd.DataFrame,
    recomputed: pd.Series | pd.DataFrame,
    decimals: int | Mapping[str, int] | pd.Series = 0,
    *,
    atol: float | None = None,
) -> pd.DataFrame:
    """Compare printed values with recomputed ones, cell by cell.

    Parameters
    ----------
    printed : Series or DataFrame
        Values as printed in the report (missing where the report prints ``na``/``--``).
    recomputed : Series or DataFrame
        The same cells recomputed from their parts or rules; same index (and columns).
    decimals : int, mapping or Series, default 0
        Digits printed after the decimal point, which sets the rounding tolerance to half a
        unit in the last digit. A mapping gives it per column (DataFrames) and a Series per
        cell (aligned to the stacked index).
    atol : float, optional
        An absolute tolerance that replaces the rounding tolerance.

    Returns
    -------
    pandas.DataFrame
        Index: the union of both inputs' cells (stacked for DataFrames). Columns:
        ``printed``, ``recomputed``, ``difference`` (printed − recomputed), ``tolerance``,
        ``within_rounding`` (bool) and ``status`` (``agrees``, ``discrepancy``,
        ``not printed``, ``not recomputable`` or ``neither``).

    Raises
    ------
    InputError
        If the inputs are not pandas objects, are of different shapes (DataFrame vs Series),
        or hold non-numeric values.

    Examples
    --------
    >>> import pandas as pd
    >>> printed = pd.Series({"a": 10, "b": 20, "total": 31})
    >>> recomputed = pd.Series({"a": 10, "b": 20, "total": 30})
    >>> compare(printed, recomputed)["status"].tolist()
    ['agrees', 'agrees', 'discrepancy']
    """
    if isinstance(printed, pd.DataFrame) != isinstance(recomputed, pd.DataFrame):
        raise InputError("printed and recomputed must both be DataFrames or both be Series")
    p = _as_series(printed, "printed")
    r = _as_series(recomputed, "recomputed")
    index = p.index.union(r.index, sort=False)
    p = p.reindex(index)
    r = r.reindex(index)
    try:
        p = pd.to_numeric(p).astype("float64")
        r = pd.to_numeric(r).astype("float64")
    except (TypeError, ValueError) as exc:
        raise InputError(f"compare: values must be numeric ({exc})") from None
    if atol is not None:
        tol = pd.Series(float(atol), index=index)
    elif isinstance(decimals, pd.Series):
        tol = decimals.reindex(index).astype(float).map(rounding_tolerance)
        if tol.isna().any():
            missing = list(tol.index[tol.isna()][:3])
            raise InputError(f"compare: decimals missing for cell(s) {missing}")
    elif isinstance(decimals, Mapping):
        if not isinstance(printed, pd.DataFrame):
            raise InputError("compare: decimals given per column needs DataFrames")
        cols = index.get_level_values(-1)
        unknown = set(cols) - set(decimals)
        if unknown:
            raise InputError(f"compare: decimals missing for column(s) {sorted(map(str, unknown))}")
        tol = pd.Series([rounding_tolerance(decimals[c]) for c in cols], index=index)
    else:
        tol = pd.Series(rounding_tolerance(decimals), index=index)
    diff = p - r
    # a tiny relative allowance so that binary floating point never flips a boundary case
    within = diff.abs() <= tol * (1 + 1e-9) + 1e-12
    status = np.select(
        [p.isna() & r.isna(), p.isna(), r.isna(), within],
        [STATUS_EMPTY, STATUS_NOT_PRINTED, STATUS_NOT_RECOMPUTED, STATUS_OK],
        default=STATUS_DISCREPANCY,
    )
    out = pd.DataFrame(
        {"printed": p, "recomputed": r, "difference": diff, "tolerance": tol,
         "within_rounding": within & p.notna() & r.notna(), "status": status},
        index=index,
    )
    return out[REPORT_COLUMNS]


def discrepancies(report: pd.DataFrame) -> pd.DataFrame:
    """Rows of a :func:`compare` report that do not agree within rounding (printed and computed)."""
    return report[report["status"] == STATUS_DISCREPANCY]


def count(report: pd.DataFrame | pd.Series, value: object, column: str = "status") -> int:
    """How many rows of a report hold ``value`` (or one of a list of values) in ``column``.

    Parameters
    ----------
    report : pandas.DataFrame or Series
        A report of this package (:func:`compare`, or any table with a status-like column); a
        Series is counted as it is.
    value : object or list
        The status, verdict or label to count.
    column : str
        The column that holds it (ignored for a Series).

    Returns
    -------
    int
        The number of rows (0 for an empty report).

    Raises
    ------
    InputError
        If the report has no such column.

    Examples
    --------
    >>> import pandas as pd
    >>> r = pd.DataFrame({"status": ["agrees", "discrepancy", "agrees"]})
    >>> count(r, STATUS_OK), count(r, [STATUS_OK, STATUS_DISCREPANCY]), count(r["status"], "neither")
    (2, 3, 0)
    """
    if isinstance(report, pd.DataFrame):
        if column not in report.columns:
            raise InputError(f"report has no column {column!r}; its columns: {', '.join(map(str, report.columns))}")
        report = report[column]
    values = list(value) if isinstance(value, list | tuple | set) else [value]
    return int(report.isin(values).sum())


def summary(report: pd.DataFrame) -> pd.Series:
    """Count of cells per status in a :func:`compare` report.

    Examples
    --------
    >>> import pandas as pd
    >>> r = compare(pd.Series({"x": 1.0}), pd.Series({"x": 1.2}), decimals=0)
    >>> int(summary(r)["agrees"])
    1
    """
    order = [STATUS_OK, STATUS_DISCREPANCY, STATUS_NOT_PRINTED, STATUS_NOT_RECOMPUTED, STATUS_EMPTY]
    return report["status"].value_counts().reindex(order, fill_value=0).rename("cells")

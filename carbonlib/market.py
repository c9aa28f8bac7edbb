"""The global carbon market 2006-2007 (000 表1, 圖1-圖3).

表1 gives, per market segment, the traded volume (MtCO2e) and value (million US$) in 2006 and
2007, a subtotal per market (allowances, project-based), a total, and growth rates. This module
recomputes what can be recomputed from the printed rows (subtotals, totals, growth rates),
says for every cell whether the printed value agrees, is explained by the rounding of the
rows, or is a printing error, and derives what the text draws from the table: shares of the
total, allowance versus project-based markets, CDM's share of the project-based market and
the implied average price per tonne. The shares quoted for 圖1-圖3 are completed with their
unreported remainder.

All functions are pure and vectorised (pandas group-bys and numpy arithmetic, no per-row loops).
Levels tables follow ``market_t1_levels`` (columns ``segment, market, row_type, year,
volume_mtco2e, value_musd``); growth tables follow ``market_t1_growth``.

References
----------
000_318ba4d3771c8f90.txt, 表1 2006、07 年全球碳市場交易現況 (World Bank 2008, State and Trends
of the Carbon Market 2008); 圖1-圖3 and section 二.1-二.2; section 三.1.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from carbonlib import checks, validate
from carbonlib.errors import InputError

YEARS = (2006, 2007)
MEASURES = ("volume_mtco2e", "value_musd")
#: 表1 cell columns, in printed order
CELLS = ("volume_mtco2e_2006", "value_musd_2006", "volume_mtco2e_2007", "value_musd_2007",
         "volume_growth_pct", "value_growth_pct")
GROWTH_COLUMNS = {"volume_mtco2e": "volume_growth_pct", "value_musd": "value_growth_pct"}
#: bases of "CDM's share" (numerator segments, denominator segments)
CDM_SHARE_BASES = {
    "primary_project_based": (("cdm_primary",), ("cdm_primary", "ji", "other_project")),
    "cdm_plus_ji": (("cdm_primary", "cdm_secondary"), ("cdm_primary", "cdm_secondary", "ji")),
    "primary_cdm_plus_ji": (("cdm_primary",), ("cdm_primary", "ji")),
    "project_based": (("cdm_primary", "cdm_secondary"),
                      ("cdm_primary", "cdm_secondary", "ji", "other_project")),
}
VERDICT_AGREES = "agrees"
VERDICT_ROUNDING = "rounding of the parts"
VERDICT_ERROR = "printing error"
VERDICT_NOT_PRINTED = "not printed (na/--)"
VERDICT_INPUT = "input row"

_LEVEL_COLUMNS = ("segment", "market", "row_type", "year", "volume_mtco2e", "value_musd")


def validate_levels(levels: pd.DataFrame) -> pd.DataFrame:
    """Check a 表1 levels table: columns present, years known, no negative volume or value.

    Parameters
    ----------
    levels : pandas.DataFrame
        ``market_t1_levels`` layout: ``segment``, ``market``, ``row_type``, ``year``,
        ``volume_mtco2e`` (MtCO2e), ``value_musd`` (million US$); missing cells as NaN.

    Returns
    -------
    pandas.DataFrame
        The same table (not copied).

    Raises
    ------
    InputError
        ``levels`` failing the schema of the resource ``market_t1_levels``
        (:func:`carbonlib.validate.table`: a missing column, a year other than 2006/2007, an
        unknown segment, market or row type, a volume or value that is not a number or
        negative, a segment's year twice; the message names segment and year).

    References
    ----------
    000_318ba4d3771c8f90.txt, 表1.

    Examples
    --------
    >>> df = pd.DataFrame({"segment": ["eu_ets"], "market": ["allowance"],
    ...                    "row_type": ["segment"], "year": [2006],
    ...                    "volume_mtco2e": [-3.0], "value_musd": [1.0]})
    >>> validate_levels(df)
    Traceback (most recent call last):
    ...
    carbonlib.errors.InputError: levels.volume_mtco2e: value -3.0 for segment 'eu_ets', year 2006 is below the minimum 0
    """
    validate.table(levels, "market_t1_levels", "levels", columns=_LEVEL_COLUMNS)
    return levels


def _wide(levels: pd.DataFrame) -> pd.DataFrame:
    """Levels as one row per segment (printed order) and the four level cells as columns."""
    order = pd.unique(levels["segment"])
    wide = levels.pivot(index="segment", columns="year", values=list(MEASURES))
    wide.columns = [f"{m}_{y}" for m, y in wide.columns]
    return wide.reindex(index=order, columns=list(CELLS[:4]))


def _parts(levels: pd.DataFrame) -> pd.DataFrame:
    """Sum and count of the segment rows behind each subtotal and the total, per year."""
    seg = levels[levels["row_type"] == "segment"]
    rows = []
    sums = levels[levels["row_type"] != "segment"][["segment", "market", "row_type"]]
    for segment, market, kind in sums.drop_duplicates("segment").itertuples(index=False):
        part = seg if kind == "total" else seg[seg["market"] == market]
        agg = part.groupby("year")[list(MEASURES)].agg(["sum", "count"])
        for year in agg.index:  # at most two years
            row = {"segment": segment, "year": int(year)}
            for m in MEASURES:
                row[m] = agg.loc[year, (m, "sum")] if agg.loc[year, (m, "count")] else np.nan
                row[f"n_{m}"] = int(agg.loc[year, (m, "count")])
            rows.append(row)
    return pd.DataFrame(rows)


def recompute_sums(levels: pd.DataFrame) -> pd.DataFrame:
    """Subtotals and the total recomputed as the sum of their segment rows.

    A subtotal is the sum of the segment rows of its market; the total is the sum of all
    segment rows. Missing rows (printed na/--) are skipped and counted out.

    Parameters
    ----------
    levels : pandas.DataFrame
        ``market_t1_levels`` layout (see :func:`validate_levels`).

    Returns
    -------
    pandas.DataFrame
        One row per subtotal/total row and year: ``segment``, ``year``, ``volume_mtco2e``
        (MtCO2e), ``value_musd`` (million US$), and ``n_volume_mtco2e``, ``n_value_musd``
        (number of rows summed).

    Raises
    ------
    InputError
        As :func:`validate_levels`.

    References
    ----------
    000_318ba4d3771c8f90.txt, 表1 (小計, 合計 rows).

    Examples
    --------
    >>> from carbonlib import datasets
    >>> sums = recompute_sums(datasets.load("market_t1_levels")).set_index(["segment", "year"])
    >>> float(sums.loc[("allowance_subtotal", 2006), "value_musd"])
    24699.0
    """
    validate_levels(levels)
    return _parts(levels)


def growth_pct(start, end):
    """Growth from ``start`` to ``end`` in percent: ``(end / start - 1) x 100``.

    Parameters
    ----------
    start, end : float or array-like
        Levels in the same unit (e.g. MtCO2e or million US$); NaN propagates.

    Returns
    -------
    float or numpy.ndarray
        Growth in percent; NaN where ``start`` is 0 or missing.

    Raises
    ------
    InputError
        A negative level.

    References
    ----------
    000_318ba4d3771c8f90.txt, 表1 (成長率 columns).

    Examples
    --------
    >>> round(float(growth_pct(1745, 2983)), 2)
    70.95
    """
    s = np.asarray(start, dtype=float)
    e = np.asarray(end, dtype=float)
    for name, arr in (("start", s), ("end", e)):
        if (arr < 0).any():
            raise InputError(f"{name}: negative level {float(arr[arr < 0].ravel()[0])}")
    with np.errstate(divide="ignore", invalid="ignore"):
        out = np.where(s > 0, (e / np.where(s > 0, s, 1.0) - 1.0) * 100.0, np.nan)
    return out if out.ndim else float(out)


def growth_range(start_low, start_high, end_low, end_high):
    """Range of growth (percent) consistent with levels known only within ranges.

    Growth is increasing in ``end`` and decreasing in ``start``, so the range is
    ``[growth(start_high, end_low), growth(start_low, end_high)]``.

    Parameters
    ----------
    start_low, start_high : float or array-like
        Range of the first-year level (e.g. printed value ± 0.5 of the last digit), same unit
        as ``end``.
    end_low, end_high : float or array-like
        Range of the second-year level.

    Returns
    -------
    tuple of (float or numpy.ndarray)
        ``(low, high)`` growth in percent.

    Raises
    ------
    InputError
        A range whose low end is above its high end, or a negative level.

    References
    ----------
    000_318ba4d3771c8f90.txt, 表1 (成長率 columns).

    Examples
    --------
    >>> lo, hi = growth_range(9.5, 10.5, 22.5, 23.5)  # 芝加哥 volume, printed 10 and 23
    >>> round(float(lo), 1), round(float(hi), 1)
    (114.3, 147.4)
    """
    pairs = {"start": (start_low, start_high), "end": (end_low, end_high)}
    for name, (lo, hi) in pairs.items():
        lo_a, hi_a = np.broadcast_arrays(np.asarray(lo, dtype=float), np.asarray(hi, dtype=float))
        bad = lo_a > hi_a
        if bad.any():
            raise InputError(f"{name}: range low end {float(lo_a[bad][0])} is above its high end "
                             f"{float(hi_a[bad][0])}")
    return growth_pct(start_high, end_low), growth_pct(start_low, end_high)


def recompute_growth(levels: pd.DataFrame) -> pd.DataFrame:
    """Growth 2006 to 2007 of every printed row, recomputed from its rounded printed levels.

    Parameters
    ----------
    levels : pandas.DataFrame
        ``market_t1_levels`` layout.

    Returns
    -------
    pandas.DataFrame
        Index ``segment`` (printed order); columns ``volume_growth_pct``, ``value_growth_pct``
        (percent, unrounded; NaN where a level is missing).

    Raises
    ------
    InputError
        As :func:`validate_levels`.

    References
    ----------
    000_318ba4d3771c8f90.txt, 表1.

    Examples
    --------
    >>> from carbonlib import datasets
    >>> g = recompute_growth(datasets.load("market_t1_levels"))
    >>> round(float(g.loc["ccx", "volume_growth_pct"]), 1)  # printed 124
    130.0
    """
    validate_levels(levels)
    w = _wide(levels)
    return pd.DataFrame(
        {GROWTH_COLUMNS[m]: growth_pct(w[f"{m}_2006"], w[f"{m}_2007"]) for m in MEASURES},
        index=w.index,
    )


def printed_decimals(values) -> np.ndarray:
    """Digits after the decimal point of printed numbers (0 for 87, 1 for 2.6).

    Parameters
    ----------
    values : array-like of float
        Numbers as printed (few significant digits); NaN gives 0.

    Returns
    -------
    numpy.ndarray of int

    Examples
    --------
    >>> printed_decimals([87.0, 2.6, -1.0]).tolist()
    [0, 1, 0]
    """
    v = np.nan_to_num(np.asarray(values, dtype=float))
    out = np.zeros(v.shape, dtype=int)
    for d in range(1, 4):  # d digits are needed where rounding to d - 1 digits changes the value
        out = np.where(np.isclose(np.round(v, d - 1), v, rtol=0, atol=1e-9), out, d)
    return out


def table1_printed(levels: pd.DataFrame, growth: pd.DataFrame) -> pd.DataFrame:
    """表1 as printed: one row per printed row, the six numeric columns.

    Parameters
    ----------
    levels : pandas.DataFrame
        ``market_t1_levels``.
    growth : pandas.DataFrame
        ``market_t1_growth`` (``segment``, ``volume_growth_pct``, ``value_growth_pct``).

    Returns
    -------
    pandas.DataFrame
        Index ``segment`` (printed order); columns :data:`CELLS` (MtCO2e, million US$, percent);
        NaN where the report prints na or --.

    References
    ----------
    000_318ba4d3771c8f90.txt, 表1.

    Examples
    --------
    >>> from carbonlib import datasets
    >>> t = table1_printed(datasets.load("market_t1_levels"), datasets.load("market_t1_growth"))
    >>> t.shape
    (11, 6)
    """
    validate_levels(levels)
    validate.table(growth, "market_t1_growth", "growth", columns=["segment", *GROWTH_COLUMNS.values()])
    g = growth.set_index("segment")[list(GROWTH_COLUMNS.values())]
    return _wide(levels).join(g)[list(CELLS)]


def table1_report(levels: pd.DataFrame, growth: pd.DataFrame, half_width: float = 0.5) -> pd.DataFrame:
    """Published versus recomputed, every cell of 表1, with a verdict and an explanation.

    Subtotals and the total are recomputed as sums of their segment rows, growth rates from
    the rounded printed levels of the same row. A cell that does not agree within its own
    printed rounding is then tested against the range the rounding of its inputs allows
    (each input ± ``half_width``): inside it, the difference is explained by rounding
    (``rounding of the parts``); outside, it is a ``printing error``. Segment levels are the
    inputs (``input row``); na/-- cells are ``not printed``.

    Parameters
    ----------
    levels : pandas.DataFrame
        ``market_t1_levels``.
    growth : pandas.DataFrame
        ``market_t1_growth``.
    half_width : float, default 0.5
        Half-width of the rounding of a printed level, in its unit (MtCO2e or million US$);
        0.5 means each level is exact to its last printed digit.

    Returns
    -------
    pandas.DataFrame
        Index (``segment``, ``cell``), 66 rows (11 printed rows x :data:`CELLS`). Columns of
        :func:`carbonlib.checks.compare` (``printed``, ``recomputed``, ``difference``,
        ``tolerance``, ``within_rounding``, ``status``) plus ``range_low``, ``range_high``
        (recomputed value's range under the rounding of its inputs), ``verdict`` and
        ``explanation``.

    Raises
    ------
    InputError
        As :func:`validate_levels`; a negative ``half_width``.

    References
    ----------
    000_318ba4d3771c8f90.txt, 表1.

    Examples
    --------
    >>> from carbonlib import datasets
    >>> r = table1_report(datasets.load("market_t1_levels"), datasets.load("market_t1_growth"))
    >>> r.loc[("allowance_subtotal", "value_musd_2006"), "verdict"]
    'printing error'
    """
    if not half_width >= 0:
        raise InputError(f"half_width: must be zero or positive, got {half_width}")
    printed = table1_printed(levels, growth)
    w = _wide(levels)
    sums = _parts(levels)
    recomputed = pd.DataFrame(np.nan, index=printed.index, columns=list(CELLS))
    low = recomputed.copy()
    high = recomputed.copy()
    for m in MEASURES:
        for y in YEARS:
            s = sums[sums["year"] == y].set_index("segment")
            col = f"{m}_{y}"
            recomputed.loc[s.index, col] = s[m]
            low.loc[s.index, col] = s[m] - half_width * s[f"n_{m}"]
            high.loc[s.index, col] = s[m] + half_width * s[f"n_{m}"]
        a, b = w[f"{m}_2006"], w[f"{m}_2007"]
        gcol = GROWTH_COLUMNS[m]
        recomputed[gcol] = growth_pct(a, b)
        lo, hi = growth_range(np.clip(a - half_width, 0, None), a + half_width,
                              np.clip(b - half_width, 0, None), b + half_width)
        low[gcol], high[gcol] = lo, hi
    p = printed.stack(future_stack=True)
    p.index.names = ["segment", "cell"]
    decimals = pd.Series(printed_decimals(p.to_numpy()), index=p.index)
    report = checks.compare(p, recomputed.stack(future_stack=True).rename_axis(p.index.names),
                            decimals=decimals)
    report["range_low"] = low.stack(future_stack=True).to_numpy()
    report["range_high"] = high.stack(future_stack=True).to_numpy()
    tol = report["tolerance"]
    inside = (report["printed"] >= report["range_low"] - tol) & (
        report["printed"] <= report["range_high"] + tol)
    status = report["status"]
    report["verdict"] = np.select(
        [status == checks.STATUS_OK, status == checks.STATUS_DISCREPANCY,
         status == checks.STATUS_NOT_RECOMPUTED],
        [VERDICT_AGREES, np.where(inside, VERDICT_ROUNDING, VERDICT_ERROR), VERDICT_INPUT],
        default=VERDICT_NOT_PRINTED,
    )
    report["explanation"] = _explain(report)
    return report


def _explain(report: pd.DataFrame) -> pd.Series:
    """One sentence per cell of :func:`table1_report`."""
    cell = report.index.get_level_values("cell").to_series(index=report.index)
    is_growth = cell.str.endswith("_growth_pct")
    what = np.where(is_growth, "growth from the row's rounded levels", "sum of the segment rows")
    rng = ("[" + report["range_low"].round(2).astype(str) + ", "
           + report["range_high"].round(2).astype(str) + "]")
    rec = report["recomputed"].round(2).astype(str)
    text = {
        VERDICT_AGREES: "printed value equals the " + pd.Series(what, index=report.index)
        + " (" + rec + ") within its printed rounding",
        VERDICT_ROUNDING: "differs from the " + pd.Series(what, index=report.index) + " (" + rec
        + ") but lies inside the range " + rng + " allowed by the rounding of the parts: "
        "computed from unrounded source data, not an error",
        VERDICT_ERROR: "differs from the " + pd.Series(what, index=report.index) + " (" + rec
        + ") by more than the rounding of the parts allows (range " + rng + "): the printed "
        "figure is wrong",
        VERDICT_INPUT: pd.Series("a segment's level as printed: an input, nothing to recompute",
                                 index=report.index),
        VERDICT_NOT_PRINTED: pd.Series("printed na or --; not recomputable (no levels)",
                                       index=report.index),
    }
    out = pd.Series("", index=report.index, dtype=object)
    for verdict, sentence in text.items():
        mask = report["verdict"] == verdict
        out[mask] = sentence[mask]
    return out


def identity_checks(levels: pd.DataFrame, half_width: float = 0.5) -> pd.DataFrame:
    """The identities of 表1 checked with printed numbers only.

    ``total = allowance subtotal + project subtotal`` (as printed), ``subtotal = sum of its
    rows`` and ``total = sum of all rows``, per year and measure. The first identity locates
    the 2006 error: the printed total agrees with all rows but not with the printed
    allowance subtotal, so the subtotal is the misprinted figure.

    Parameters
    ----------
    levels : pandas.DataFrame
        ``market_t1_levels``.
    half_width : float, default 0.5
        Rounding half-width of each printed level (MtCO2e or million US$).

    Returns
    -------
    pandas.DataFrame
        Index (``identity``, ``year``, ``measure``); :func:`carbonlib.checks.compare`
        columns (``printed`` = left-hand side, ``recomputed`` = right-hand side, tolerance =
        ``half_width`` x (number of summed terms + 1)) and ``verdict``
        (``agrees``/``rounding of the parts``/``printing error``).

    References
    ----------
    000_318ba4d3771c8f90.txt, 表1.

    Examples
    --------
    >>> from carbonlib import datasets
    >>> c = identity_checks(datasets.load("market_t1_levels"))
    >>> float(c.loc[("total = subtotals", 2006, "value_musd"), "difference"])
    30.0
    """
    validate_levels(levels)
    if not half_width >= 0:
        raise InputError(f"half_width: must be zero or positive, got {half_width}")
    sums = _parts(levels).set_index(["segment", "year"])
    lv = levels.set_index(["segment", "year"])
    rows = []
    for y in YEARS:
        for m in MEASURES:
            total = lv.loc[("total", y), m]
            a, p = lv.loc[("allowance_subtotal", y), m], lv.loc[("project_subtotal", y), m]
            rows.append(("total = subtotals", y, m, total, a + p, 2))
            for seg, name in (("allowance_subtotal", "allowance subtotal = its rows"),
                              ("project_subtotal", "project subtotal = its rows"),
                              ("total", "total = all rows")):
                rows.append((name, y, m, lv.loc[(seg, y), m], sums.loc[(seg, y), m],
                             sums.loc[(seg, y), f"n_{m}"]))
    df = pd.DataFrame(rows, columns=["identity", "year", "measure", "lhs", "rhs", "terms"])
    df = df.set_index(["identity", "year", "measure"])
    out = checks.compare(df["lhs"], df["rhs"], decimals=0)
    bound = half_width * (df["terms"] + 1)
    out["rounding_bound"] = bound
    within = out["difference"].abs() <= bound + 1e-9
    out["verdict"] = np.where(out["status"] == checks.STATUS_OK, VERDICT_AGREES,
                              np.where(within, VERDICT_ROUNDING, VERDICT_ERROR))
    return out


def locate_misprints(identities: pd.DataFrame) -> pd.DataFrame:
    """Which printed sum of 表1 the failing identities put a printing error in.

    Per year and measure with at least one identity of :func:`identity_checks` that is a
    ``printing error``: if ``total = all rows`` still holds, the subtotal whose ``= its rows``
    fails is misprinted; if both subtotals agree with their rows, the total is; otherwise the
    identities do not say which figure is wrong (a segment row may be misprinted as well as a
    sum), and the figure is ``None``.

    Parameters
    ----------
    identities : pandas.DataFrame
        Output of :func:`identity_checks` (index ``identity``, ``year``, ``measure``; column
        ``verdict``).

    Returns
    -------
    pandas.DataFrame
        One row per located figure, or one row with ``segment`` ``None`` per year and measure
        whose failing identities do not locate one; columns ``year``, ``measure``,
        ``segment`` (``allowance_subtotal``, ``project_subtotal``, ``total`` or ``None``) and
        ``n_failing`` (identities of that year and measure that are printing errors). Empty
        when no identity fails.

    Raises
    ------
    InputError
        If ``identities`` has no ``verdict`` column.

    References
    ----------
    000_318ba4d3771c8f90.txt, 表1.

    Examples
    --------
    >>> from carbonlib import datasets
    >>> lv = datasets.load("market_t1_levels")
    >>> locate_misprints(identity_checks(lv))[["year", "measure", "segment"]].values.tolist()
    [[2006, 'value_musd', 'allowance_subtotal']]
    >>> locate_misprints(identity_checks(lv, half_width=0.0))["segment"].tolist()
    ['allowance_subtotal', None]
    """
    if "verdict" not in identities.columns:
        raise InputError("identities: no 'verdict' column (use identity_checks)")
    error = (identities["verdict"] == VERDICT_ERROR).unstack("identity", fill_value=False)
    rows = []
    for (year, measure), bad in error.iterrows():
        if not bad.any():
            continue
        subtotals = [seg for seg in ("allowance_subtotal", "project_subtotal")
                     if bad.get(f"{seg.split('_')[0]} subtotal = its rows", False)]
        if not bad.get("total = all rows", False):
            found = subtotals or [None]
        elif not subtotals:
            found = ["total"]
        else:
            found = [None]
        rows += [{"year": int(year), "measure": measure, "segment": seg, "n_failing": int(bad.sum())}
                 for seg in found]
    out = pd.DataFrame(rows, columns=["year", "measure", "segment", "n_failing"])
    out["segment"] = pd.Series([r["segment"] for r in rows], index=out.index, dtype=object)
    return out


def correct_sums(levels: pd.DataFrame, half_width: float = 0.5) -> pd.DataFrame:
    """Levels with every subtotal/total that is a printing error replaced by its rows' sum.

    Cells whose difference to the sum of their rows is within the rounding of the rows are
    kept as printed.

    Parameters
    ----------
    levels : pandas.DataFrame
        ``market_t1_levels``.
    half_width : float, default 0.5
        Rounding half-width of each printed level (MtCO2e or million US$).

    Returns
    -------
    pandas.DataFrame
        A copy of ``levels`` with a boolean column ``corrected``.

    References
    ----------
    000_318ba4d3771c8f90.txt, 表1.

    Examples
    --------
    >>> from carbonlib import datasets
    >>> c = correct_sums(datasets.load("market_t1_levels")).set_index(["segment", "year"])
    >>> float(c.loc[("allowance_subtotal", 2006), "value_musd"])
    24699.0
    """
    validate_levels(levels)
    sums = _parts(levels).set_index(["segment", "year"])
    out = levels.copy()
    out["corrected"] = False
    key = pd.MultiIndex.from_frame(out[["segment", "year"]])
    is_sum = key.isin(sums.index)
    for m in MEASURES:
        rec = sums[m].reindex(key).to_numpy()
        bound = half_width * (sums[f"n_{m}"].reindex(key).to_numpy() + 1)
        wrong = is_sum & (np.abs(out[m].to_numpy() - rec) > bound + 1e-9)
        out.loc[wrong, m] = rec[wrong]
        out.loc[wrong, "corrected"] = True
    return out


def shares_of_total(levels: pd.DataFrame, measure: str = "value_musd") -> pd.DataFrame:
    """Each printed row's share of the printed total, per year.

    Parameters
    ----------
    levels : pandas.DataFrame
        ``market_t1_levels`` (or :func:`correct_sums` of it).
    measure : {"value_musd", "volume_mtco2e"}
        Which level to share out.

    Returns
    -------
    pandas.DataFrame
        Index ``segment`` (printed order), one column per year, share in percent of the
        ``total`` row.

    Raises
    ------
    InputError
        Unknown measure, or as :func:`validate_levels`.

    References
    ----------
    000_318ba4d3771c8f90.txt, 表1; section 三.1 (EU ETS "將近 8 成" of value).

    Examples
    --------
    >>> from carbonlib import datasets
    >>> s = shares_of_total(datasets.load("market_t1_levels"))
    >>> round(float(s.loc["eu_ets", 2007]), 1)
    78.2
    """
    _check_measure(measure)
    validate_levels(levels)
    wide = levels.pivot(index="segment", columns="year", values=measure)
    wide = wide.reindex(pd.unique(levels["segment"]))
    if "total" not in wide.index:
        raise InputError("levels: no 'total' row to share out")
    out = wide.div(wide.loc["total"], axis=1) * 100.0
    out.columns.name = "year"
    return out


def _check_measure(measure: str) -> None:
    if measure not in MEASURES:
        raise InputError(f"measure: unknown measure {measure!r}; expected one of {list(MEASURES)}")


def market_split(levels: pd.DataFrame) -> pd.DataFrame:
    """Allowance versus project-based markets: levels, shares, growth and implied price.

    Parameters
    ----------
    levels : pandas.DataFrame
        ``market_t1_levels`` (or :func:`correct_sums` of it).

    Returns
    -------
    pandas.DataFrame
        One row per market (``allowance``, ``project_based``, ``all``) and year, from the
        subtotal and total rows: ``volume_mtco2e``, ``value_musd``, ``volume_share_pct``,
        ``value_share_pct`` (of the total), ``price_usd_per_t`` (value / volume) and
        ``value_growth_pct`` (2007 rows only).

    References
    ----------
    000_318ba4d3771c8f90.txt, 表1 and section 二.1 (50,394 and 13,641 MUS$, 104 % and 109 %).

    Examples
    --------
    >>> from carbonlib import datasets
    >>> m = market_split(datasets.load("market_t1_levels")).set_index(["market", "year"])
    >>> round(float(m.loc[("allowance", 2007), "value_share_pct"]), 1)
    78.7
    """
    validate_levels(levels)
    rows = levels[levels["row_type"] != "segment"][["market", "year", *MEASURES]].copy()
    total = rows[rows["market"] == "all"].set_index("year")
    for m, name in (("volume_mtco2e", "volume_share_pct"), ("value_musd", "value_share_pct")):
        rows[name] = rows[m].to_numpy() / total[m].reindex(rows["year"]).to_numpy() * 100.0
    rows["price_usd_per_t"] = _price(rows["value_musd"], rows["volume_mtco2e"])
    first = rows[rows["year"] == YEARS[0]].set_index("market")["value_musd"]
    start = first.reindex(rows["market"]).to_numpy()
    rows["value_growth_pct"] = np.where(rows["year"] == YEARS[1],
                                        growth_pct(start, rows["value_musd"]), np.nan)
    return rows.reset_index(drop=True)


def _price(value_musd, volume_mtco2e) -> np.ndarray:
    v = np.asarray(value_musd, dtype=float)
    q = np.asarray(volume_mtco2e, dtype=float)
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(q > 0, v / np.where(q > 0, q, 1.0), np.nan)


def implied_prices(levels: pd.DataFrame) -> pd.DataFrame:
    """Average price per tonne implied by value and volume: value_musd / volume_mtco2e.

    Million US$ per MtCO2e is US$ per tCO2e.

    Parameters
    ----------
    levels : pandas.DataFrame
        ``market_t1_levels``.

    Returns
    -------
    pandas.DataFrame
        Index ``segment`` (printed order), one column per year: price in US$/tCO2e; NaN where
        a level is missing or the volume is zero.

    Raises
    ------
    InputError
        As :func:`validate_levels`.

    References
    ----------
    000_318ba4d3771c8f90.txt, 表1.

    Examples
    --------
    >>> from carbonlib import datasets
    >>> p = implied_prices(datasets.load("market_t1_levels"))
    >>> round(float(p.loc["eu_ets", 2007]), 2)
    24.31
    """
    validate_levels(levels)
    w = _wide(levels)
    out = pd.DataFrame({y: _price(w[f"value_musd_{y}"], w[f"volume_mtco2e_{y}"]) for y in YEARS},
                       index=w.index)
    out.columns.name = "year"
    return out


def cdm_share(levels: pd.DataFrame, year: int = 2007, base: str = "primary_project_based") -> pd.Series:
    """CDM's share of a project-based base, by volume and by value.

    Parameters
    ----------
    levels : pandas.DataFrame
        ``market_t1_levels``.
    year : int
        2006 or 2007.
    base : str
        Key of :data:`CDM_SHARE_BASES`: ``primary_project_based`` (primary CDM over primary CDM
        + JI + other markets; reproduces the text's 87 % and 91 %), ``cdm_plus_ji`` (primary and
        secondary CDM over them + JI, the text's wording), ``primary_cdm_plus_ji``,
        ``project_based`` (all CDM over the project-based subtotal's rows).

    Returns
    -------
    pandas.Series
        ``volume_share_pct`` and ``value_share_pct`` (percent).

    Raises
    ------
    InputError
        Unknown base or year, or as :func:`validate_levels`.

    References
    ----------
    000_318ba4d3771c8f90.txt, 表1 and section 二.1 ("占 CDM 加 JI 總交易量之 87%、總交易金額之 91%").

    Examples
    --------
    >>> from carbonlib import datasets
    >>> cdm_share(datasets.load("market_t1_levels")).round(1).tolist()
    [86.9, 90.7]
    """
    if base not in CDM_SHARE_BASES:
        raise InputError(f"base: unknown base {base!r}; expected one of {sorted(CDM_SHARE_BASES)}")
    if year not in YEARS:
        raise InputError(f"year: {year} is not one of {list(YEARS)}")
    validate_levels(levels)
    num, den = CDM_SHARE_BASES[base]
    lv = levels[levels["year"] == year].set_index("segment")[list(MEASURES)]
    share = lv.loc[list(num)].sum() / lv.loc[list(den)].sum() * 100.0
    return pd.Series(share.to_numpy(), index=["volume_share_pct", "value_share_pct"], name=base)


def cdm_share_bases(levels: pd.DataFrame, year: int = 2007) -> pd.DataFrame:
    """CDM's share under every base of :data:`CDM_SHARE_BASES` (which base gives 87 %/91 %?).

    Parameters
    ----------
    levels : pandas.DataFrame
        ``market_t1_levels``.
    year : int
        2006 or 2007.

    Returns
    -------
    pandas.DataFrame
        Index ``base``; columns ``volume_share_pct``, ``value_share_pct`` (percent).

    References
    ----------
    000_318ba4d3771c8f90.txt, 表1 and section 二.1.

    Examples
    --------
    >>> from carbonlib import datasets
    >>> t = cdm_share_bases(datasets.load("market_t1_levels"))
    >>> round(float(t.loc["cdm_plus_ji", "volume_share_pct"]), 1)
    95.1
    """
    out = pd.DataFrame([cdm_share(levels, year, b) for b in CDM_SHARE_BASES])
    out.index.name = "base"
    return out


def cdm_bases_matching_text(levels: pd.DataFrame, quoted: pd.DataFrame) -> list[str]:
    """The bases of CDM's share that reproduce the text's 2007 figures (87 % and 91 %).

    A base reproduces them when its 2007 volume and value shares (:func:`cdm_share_bases`),
    rounded to whole percent as the text prints them, equal the quoted
    ``cdm_share_of_volume_2007_pct`` and ``cdm_share_of_value_2007_pct``.

    Parameters
    ----------
    levels : pandas.DataFrame
        ``market_t1_levels``.
    quoted : pandas.DataFrame
        ``market_quoted_figures`` (``key``, ``value``).

    Returns
    -------
    list of str
        Keys of :data:`CDM_SHARE_BASES`, in their order; empty if none reproduces both.

    Raises
    ------
    InputError
        If ``quoted`` lacks one of the two keys, or as :func:`validate_levels`.

    References
    ----------
    000_318ba4d3771c8f90.txt, 表1 and section 二.1 ("占 CDM 加 JI 總交易量之 87%、總交易金額之 91%").

    Examples
    --------
    >>> from carbonlib import datasets
    >>> cdm_bases_matching_text(datasets.load("market_t1_levels"), datasets.load("market_quoted_figures"))
    ['primary_project_based']
    """
    keys = {"volume_share_pct": "cdm_share_of_volume_2007_pct", "value_share_pct": "cdm_share_of_value_2007_pct"}
    printed = quoted.set_index("key")["value"]
    missing = [k for k in keys.values() if k not in printed.index]
    if missing:
        raise InputError(f"quoted: no figure {missing[0]!r}")
    bases = cdm_share_bases(levels, 2007)
    same = pd.concat([bases[col].round(0) == float(printed[key]) for col, key in keys.items()], axis=1)
    return [str(b) for b in bases.index[same.all(axis=1)]]


def text_checks(levels: pd.DataFrame, growth: pd.DataFrame, quoted: pd.DataFrame) -> pd.DataFrame:
    """Figures quoted in the text versus the same figures computed from 表1.

    Parameters
    ----------
    levels, growth : pandas.DataFrame
        ``market_t1_levels`` and ``market_t1_growth``.
    quoted : pandas.DataFrame
        ``market_quoted_figures`` (``key``, ``value``).

    Returns
    -------
    pandas.DataFrame
        Index ``key``; :func:`carbonlib.checks.compare` columns. Figures the table cannot give
        (CDM pipeline, years of China's lead) are ``not recomputable``. Shares computed from the
        table are compared at the printed precision (integer percent; tenths for 8 成).

    References
    ----------
    000_318ba4d3771c8f90.txt, 表1, sections 二.1 and 三.1.

    Examples
    --------
    >>> from carbonlib import datasets
    >>> t = text_checks(datasets.load("market_t1_levels"), datasets.load("market_t1_growth"),
    ...                 datasets.load("market_quoted_figures"))
    >>> t.loc["cdm_share_of_value_2007_pct", "status"]
    'agrees'
    """
    lv = levels.set_index(["segment", "year"])
    cdm = cdm_share(levels, 2007, "primary_project_based")
    total_value = lv.loc[[("total", 2006), ("total", 2007)], "value_musd"].to_numpy()
    recomputed = {
        "total_value_2007_musd": lv.loc[("total", 2007), "value_musd"],
        "total_value_2006_musd": lv.loc[("total", 2006), "value_musd"],
        "total_volume_2006_mtco2e": lv.loc[("total", 2006), "volume_mtco2e"],
        "total_volume_2007_mtco2e": lv.loc[("total", 2007), "volume_mtco2e"],
        "total_volume_growth_pct": growth_pct(lv.loc[("total", 2006), "volume_mtco2e"],
                                              lv.loc[("total", 2007), "volume_mtco2e"]),
        "allowance_value_2007_musd": lv.loc[("allowance_subtotal", 2007), "value_musd"],
        "project_value_2007_musd": lv.loc[("project_subtotal", 2007), "value_musd"],
        "allowance_value_growth_pct": growth_pct(lv.loc[("allowance_subtotal", 2006), "value_musd"],
                                                 lv.loc[("allowance_subtotal", 2007), "value_musd"]),
        "project_value_growth_pct": growth_pct(lv.loc[("project_subtotal", 2006), "value_musd"],
                                               lv.loc[("project_subtotal", 2007), "value_musd"]),
        "cdm_share_of_volume_2007_pct": cdm["volume_share_pct"],
        "cdm_share_of_value_2007_pct": cdm["value_share_pct"],
        "eu_ets_value_2006_musd": lv.loc[("eu_ets", 2006), "value_musd"],
        "eu_ets_value_2007_musd": lv.loc[("eu_ets", 2007), "value_musd"],
        "eu_ets_value_growth_pct": growth_pct(lv.loc[("eu_ets", 2006), "value_musd"],
                                              lv.loc[("eu_ets", 2007), "value_musd"]),
        "eu_ets_share_of_total_value_2007_tenths": lv.loc[("eu_ets", 2007), "value_musd"]
        / total_value[1] * 10.0,
        "total_value_increase_multiple_min": total_value[1] / total_value[0] - 1.0,
    }
    printed = quoted.set_index("key")["value"].astype(float)
    rec = pd.Series(recomputed, dtype=float).reindex(printed.index)
    report = checks.compare(printed, rec, decimals=0)
    # "一倍以上" is a lower bound: the recomputed multiple must be at least the printed one
    key = "total_value_increase_multiple_min"
    if key in report.index and pd.notna(report.loc[key, "recomputed"]):
        ok = report.loc[key, "recomputed"] >= report.loc[key, "printed"]
        report.loc[key, "within_rounding"] = bool(ok)
        report.loc[key, "status"] = checks.STATUS_OK if ok else checks.STATUS_DISCREPANCY
    return report


def with_unreported(shares: pd.DataFrame, tolerance_pct: float = 0.5) -> pd.DataFrame:
    """Quoted shares completed with one ``unreported`` row per figure, dimension and year.

    Parameters
    ----------
    shares : pandas.DataFrame
        ``market_figure_shares`` layout: ``figure``, ``dimension``, ``year``, ``category``,
        ``label_zh``, ``share_pct`` (percent).
    tolerance_pct : float, default 0.5
        How far above 100 % the quoted shares of one group may add up (rounding) before it is
        an error; a remainder below zero is then shown as 0.

    Returns
    -------
    pandas.DataFrame
        Columns ``figure``, ``dimension``, ``year``, ``category``, ``label_zh``,
        ``share_pct``, ``reported`` (False for the remainder rows, category ``unreported``,
        label ``未報告``).

    Raises
    ------
    InputError
        ``shares`` failing the schema of the resource ``market_figure_shares``
        (:func:`carbonlib.validate.table`: missing columns, a share that is not a number,
        missing, negative or above 100 %, a category twice), or a group whose shares add to
        more than 100 % + ``tolerance_pct``.

    References
    ----------
    000_318ba4d3771c8f90.txt, 圖1-圖3 and section 二.2.

    Examples
    --------
    >>> df = pd.DataFrame({"figure": ["圖3"] * 2, "dimension": ["project_type"] * 2,
    ...                    "year": [2007, 2007], "category": ["a", "b"], "label_zh": ["A", "B"],
    ...                    "share_pct": [64.0, 9.0]})
    >>> with_unreported(df)["share_pct"].tolist()
    [64.0, 9.0, 27.0]
    """
    cols = ["figure", "dimension", "year", "category", "label_zh", "share_pct"]
    checked = validate.table(shares, "market_figure_shares", "shares", columns=cols)
    keys = ["figure", "dimension", "year"]
    total = shares.assign(share_pct=checked["share_pct"]).groupby(keys, sort=False)["share_pct"].sum()
    over = total[total > 100 + tolerance_pct]
    if len(over):
        fig, dim, year = over.index[0]
        raise InputError(f"share_pct: shares of {fig} {dim} {year} add up to {over.iloc[0]} % "
                         "(more than 100 %)")
    rest = (100.0 - total).clip(lower=0).rename("share_pct").reset_index()
    rest = rest.assign(category="unreported", label_zh="未報告", reported=False)
    out = pd.concat([shares[cols].assign(reported=True), rest[[*cols, "reported"]]],
                    ignore_index=True)
    order = {k: i for i, k in enumerate(total.index)}
    out["_g"] = [order[k] for k in zip(out["figure"], out["dimension"], out["year"], strict=True)]
    return (out.sort_values(["_g", "reported"], ascending=[True, False], kind="stable")
            .drop(columns="_g").reset_index(drop=True))

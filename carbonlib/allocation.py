"""EU ETS Phase 3 free allocation (001 圖4, 表7-表10, 附件二).

allocation = benchmark x historical activity level (HAL) x carbon-leakage exposure factor
(CLEF) x cross-sectoral correction factor (CSCF), or x linear reduction factor (LRF) for
electricity generators, per sub-installation and year 2013-2020, summed per installation.

All functions are pure and vectorised (pandas merges and numpy arithmetic, no per-row loops).

References
----------
001_b0950b57165db085.txt, 圖4 免費排放額度計算方式; 表7 標竿值適用基準; 表8 碳洩漏風險係數;
表9 跨部門矯正係數; 表10 線性減量係數; 附件二 各項產品標竿值.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from carbonlib import validate
from carbonlib.calendar import PHASE3_YEARS, check_phase3_years
from carbonlib.errors import InputError

HAL_WINDOWS = {"2005_2008": (2005, 2008), "2009_2010": (2009, 2010)}
#: fallback benchmarks of 表7: heat and fuel in tCO2/TJ, process as a share of emissions (97 %)
FALLBACK_BENCHMARKS = {"heat": 62.3, "fuel": 56.1, "process": 0.97}
METHODS = ("product", "heat", "fuel", "process")
#: Table schema of the sub-installations :func:`allocate` takes: the output of
#: :func:`historical_activity_level`, i.e. the identifying columns of the resource
#: ``allocation_installations`` and the historical activity level ``hal``.
SUBINSTALLATION_SCHEMA = {
    "fields": [
        {"name": "installation", "type": "string", "constraints": {"required": True}},
        {"name": "sub_installation", "type": "string", "constraints": {"required": True}},
        {"name": "method", "type": "string", "constraints": {"required": True, "enum": list(METHODS)}},
        {"name": "product", "type": "string", "description": "附件二 key (product method)"},
        {"name": "leakage_exposed", "type": "boolean", "description": "used for fallback methods"},
        {"name": "correction", "type": "string", "constraints": {"required": True, "enum": ["cscf", "lrf"]}},
        {"name": "hal", "type": "number", "x_unit": "t product, TJ or tCO2",
         "constraints": {"required": True, "minimum": 0}},
    ],
    "missingValues": [""],
    "primaryKey": ["sub_installation"],
}


def _check_factor(values, name: str) -> None:
    arr = np.asarray(values, dtype=float)
    bad = arr[~((arr >= 0) & (arr <= 1))]
    if bad.size:
        raise InputError(f"{name}: factor {float(bad[0])} outside [0, 1]")


def clef_linear(years=PHASE3_YEARS, start: float = 0.8, end: float = 0.3) -> pd.Series:
    """Carbon-leakage exposure factor of non-exposed sectors, linear from ``start`` to ``end``.

    Parameters
    ----------
    years : sequence of int
        Phase 3 years (2013-2020).
    start, end : float
        Factor (dimensionless, in [0, 1]) in 2013 and in 2020.

    Returns
    -------
    pandas.Series
        Factor per year (index ``year``), unrounded.

    Raises
    ------
    InputError
        A year outside 2013-2020 or a factor outside [0, 1].

    References
    ----------
    001_b0950b57165db085.txt, 表8 and text "未暴露則在 0.8 持續每年遞減至 0.3".

    Examples
    --------
    >>> round(float(clef_linear()[2014]), 4)
    0.7286
    """
    yrs = check_phase3_years(years)
    _check_factor([start, end], "start/end")
    values = start + (end - start) * (yrs - 2013) / 7
    values = np.clip(values, min(start, end), max(start, end))  # no rounding step outside [end, start]
    return pd.Series(values, index=pd.Index(yrs, name="year"), name="factor")


def lrf_factors(years=PHASE3_YEARS, lrf: float = 0.0174, base_year: int = 2013) -> pd.Series:
    """Linear reduction factor per year: ``1 - lrf x (year - base_year)``.

    Parameters
    ----------
    years : sequence of int
        Phase 3 years (2013-2020).
    lrf : float
        Annual reduction, share of the base-year amount per year (0.0174 = 1.74 %).
    base_year : int
        Year with factor 1 (2013).

    Returns
    -------
    pandas.Series
        Dimensionless factor per year (index ``year``).

    Raises
    ------
    InputError
        A year outside 2013-2020 or a resulting factor outside [0, 1].

    References
    ----------
    001_b0950b57165db085.txt, 表10 and text "每年線性下降 1.74%(以 2013 為基準年)".

    Examples
    --------
    >>> round(float(lrf_factors()[2020]), 4)
    0.8782
    """
    yrs = check_phase3_years(years)
    values = 1.0 - lrf * (yrs - base_year)
    _check_factor(values, "lrf")
    return pd.Series(values, index=pd.Index(yrs, name="year"), name="factor")


def historical_activity_level(activity: pd.DataFrame, rule: str = "2005_2008") -> pd.DataFrame:
    """Historical activity level: median of a sub-installation's activity over a window.

    Parameters
    ----------
    activity : pandas.DataFrame
        Columns ``sub_installation``, ``year``, ``activity_level`` (t product, TJ or tCO2), one
        row per sub-installation and year; other columns constant per sub-installation are kept.
    rule : {"2005_2008", "2009_2010"}
        Window of the median (the report: 擇 2005 年-2008 年或 2009 年-2010 年歷史活動的中位數).

    Returns
    -------
    pandas.DataFrame
        One row per sub-installation with column ``hal`` (unit of ``activity_level``).

    Raises
    ------
    InputError
        Unknown rule; ``activity`` failing the schema of the resource ``allocation_installations``
        (:func:`carbonlib.validate.table`: missing columns, an activity level or year that is
        not a number, negative or missing, a sub-installation with a year twice; years outside
        2005-2010 are allowed and ignored); a sub-installation without data in the window.

    References
    ----------
    001_b0950b57165db085.txt, 免費額度 B.歷史活動情況.

    Examples
    --------
    >>> df = pd.DataFrame({"sub_installation": ["A"] * 4, "year": [2005, 2006, 2007, 2008],
    ...                    "activity_level": [1.0, 2.0, 3.0, 10.0]})
    >>> float(historical_activity_level(df)["hal"].iloc[0])
    2.5
    """
    if rule not in HAL_WINDOWS:
        raise InputError(f"rule: unknown HAL rule {rule!r}; expected one of {sorted(HAL_WINDOWS)}")
    activity = validate.table(activity, "allocation_installations", "activity",
                              columns=["sub_installation", "year", "activity_level"],
                              constraints={"year": {"required": True}},  # any year; windows pick
                              what=("sub-installation", "year"))
    year = activity["year"].to_numpy()
    first, last = HAL_WINDOWS[rule]
    window = activity[(year >= first) & (year <= last)]
    hal = window.groupby("sub_installation", sort=False)["activity_level"].median().rename("hal")
    keys = activity.drop(columns=["year", "activity_level"]).drop_duplicates("sub_installation")
    out = keys.merge(hal, left_on="sub_installation", right_index=True, how="left")
    if out["hal"].isna().any():
        name = out.loc[out["hal"].isna(), "sub_installation"].iloc[0]
        raise InputError(f"activity: sub-installation {name!r} has no data in {first}-{last}")
    return out.reset_index(drop=True)


def allocate(
    subinstallations: pd.DataFrame,
    benchmarks: pd.DataFrame,
    clef: pd.DataFrame,
    cscf: pd.DataFrame,
    lrf: pd.DataFrame,
    years=PHASE3_YEARS,
) -> pd.DataFrame:
    """Free allocation per sub-installation and year (圖4), vectorised.

    Parameters
    ----------
    subinstallations : pandas.DataFrame
        One row per sub-installation: ``installation``, ``sub_installation``, ``method``
        (product/heat/fuel/process), ``product`` (附件二 key, product method), ``leakage_exposed``
        (bool, used for fallback methods; product sub-installations use the 附件二 flag),
        ``correction`` ("cscf" or "lrf") and ``hal`` (t product, TJ, or tCO2 for process).
    benchmarks : pandas.DataFrame
        附件二: ``product``, ``leakage_exposed``, ``benchmark_tco2_per_t``.
    clef : pandas.DataFrame
        表8 layout: ``status`` (exposed/not_exposed), ``year``, ``factor``.
    cscf, lrf : pandas.DataFrame
        表9 / 表10 layout: ``year``, ``factor``.
    years : sequence of int
        Allocation years (2013-2020).

    Returns
    -------
    pandas.DataFrame
        One row per sub-installation and year with ``benchmark``, ``clef``, ``correction_factor``
        and ``allocation_t`` (allowances, tCO2).

    Raises
    ------
    InputError
        ``subinstallations`` failing :data:`SUBINSTALLATION_SCHEMA` (missing columns, unknown
        method or correction, a HAL that is not a number, negative or missing, a sub-installation
        twice); an unknown product; a year outside 2013-2020 or twice in a factor table, a
        factor outside [0, 1].

    References
    ----------
    001_b0950b57165db085.txt, 圖4, 表7-表10, 附件二.

    Examples
    --------
    >>> bm = pd.DataFrame({"product": ["lime"], "leakage_exposed": [True],
    ...                    "benchmark_tco2_per_t": [0.954]})
    >>> clef = pd.DataFrame({"status": ["exposed", "not_exposed"], "year": [2013, 2013],
    ...                      "factor": [1.0, 0.8]})
    >>> f = pd.DataFrame({"year": [2013], "factor": [1.0]})
    >>> sub = pd.DataFrame({"installation": ["L"], "sub_installation": ["L1"],
    ...                     "method": ["product"], "product": ["lime"], "leakage_exposed": [None],
    ...                     "correction": ["cscf"], "hal": [1000.0]})
    >>> float(allocate(sub, bm, clef, f, f, years=[2013])["allocation_t"].iloc[0])
    954.0
    """
    yrs = check_phase3_years(years)
    for name, table in (("clef", clef), ("cscf", cscf), ("lrf", lrf)):
        _check_factor(table["factor"], name)
        check_phase3_years(table["year"], f"{name}.year")
    sub = validate.table(subinstallations, SUBINSTALLATION_SCHEMA, "subinstallations",
                         what="sub-installation")
    method_idx = pd.Index(METHODS).get_indexer(sub["method"])
    corr_idx = pd.Index(["cscf", "lrf"]).get_indexer(sub["correction"])
    hal = sub["hal"].to_numpy()
    is_product = method_idx == 0
    prod_idx = pd.Index(benchmarks["product"]).get_indexer(sub["product"])
    if (is_product & (prod_idx < 0)).any():
        i = int(np.flatnonzero(is_product & (prod_idx < 0))[0])
        raise InputError(
            f"product: unknown product {sub['product'].iloc[i]!r} for sub-installation "
            f"{sub['sub_installation'].iloc[i]!r} (not in 附件二)"
        )
    safe = np.where(prod_idx < 0, 0, prod_idx)
    prod_bm = benchmarks["benchmark_tco2_per_t"].to_numpy(dtype=float)[safe]
    prod_exp = benchmarks["leakage_exposed"].to_numpy(dtype=object)[safe]
    fallback_bm = np.array([np.nan] + [FALLBACK_BENCHMARKS[m] for m in METHODS[1:]])[method_idx]
    own_exp = sub["leakage_exposed"].to_numpy(dtype=object)
    exposed = np.where(is_product, prod_exp, own_exp)
    if pd.isna(exposed).any():
        i = int(np.flatnonzero(pd.isna(exposed))[0])
        raise InputError(
            f"leakage_exposed: missing for fallback sub-installation {sub['sub_installation'].iloc[i]!r}"
        )
    status = np.where(exposed.astype(bool), 1, 0)  # row 1 = exposed, row 0 = not exposed
    clef_mat = _factor_matrix(clef, "status", ["not_exposed", "exposed"], yrs, "clef")
    corr_mat = _factor_matrix(
        pd.concat([cscf.assign(kind="cscf"), lrf.assign(kind="lrf")]), "kind", ["cscf", "lrf"],
        yrs, "cscf/lrf",
    )
    benchmark = np.where(is_product, prod_bm, fallback_bm)
    n, k = len(sub), len(yrs)
    clef_v = clef_mat[status]
    corr_v = corr_mat[corr_idx]
    alloc = (benchmark * hal)[:, None] * clef_v * corr_v
    rep = np.repeat(np.arange(n), k)

    def _cat(values):  # repeated labels as a categorical: cheap to build for large tables
        codes, uniques = pd.factorize(np.asarray(values, dtype=object))
        return pd.Categorical.from_codes(codes[rep], categories=uniques, validate=False)

    return pd.DataFrame(
        {
            "installation": _cat(sub["installation"]),
            "sub_installation": _cat(sub["sub_installation"]),
            "method": _cat(sub["method"]),
            "status": pd.Categorical.from_codes(np.repeat(status, k),
                                                categories=["not_exposed", "exposed"], validate=False),
            "correction": pd.Categorical.from_codes(np.repeat(corr_idx, k),
                                                    categories=["cscf", "lrf"], validate=False),
            "year": np.tile(yrs, n),
            "benchmark": np.repeat(benchmark, k),
            "hal": np.repeat(hal, k),
            "clef": clef_v.ravel(),
            "correction_factor": corr_v.ravel(),
            "allocation_t": alloc.ravel(),
        }
    )


def _factor_matrix(table: pd.DataFrame, key: str, keys: list, years: np.ndarray, name: str):
    """Factors as an array (len(keys), len(years)); InputError if a year is missing or doubled."""
    wide = np.full((len(keys), len(years)), np.nan)
    col = {int(y): j for j, y in enumerate(years)}
    key_arr = table[key].to_numpy(dtype=object)
    year_arr = table["year"].to_numpy()
    factor_arr = table["factor"].to_numpy(dtype=float)
    for i, k in enumerate(keys):  # tiny factor tables (<= 8 rows per key), not installations
        mask = key_arr == k
        ys = [int(y) for y in year_arr[mask]]
        if len(set(ys)) < len(ys):
            label = k if name == "cscf/lrf" else f"{name} ({k})"
            doubled = next(y for y in ys if ys.count(y) > 1)
            raise InputError(f"{label}: year {doubled} appears twice in the factor table")
        for y, f in zip(ys, factor_arr[mask], strict=True):
            if y in col:
                wide[i, col[y]] = f
    if np.isnan(wide).any():
        raise InputError(f"{name}: factor table has no value for one of the years {list(years)}")
    return wide


def by_installation(allocation: pd.DataFrame) -> pd.DataFrame:
    """Sum sub-installation allocations per installation and year.

    Parameters
    ----------
    allocation : pandas.DataFrame
        Output of :func:`allocate` (``installation``, ``year``, ``allocation_t``).

    Returns
    -------
    pandas.DataFrame
        Columns ``installation``, ``year``, ``allocation_t`` (tCO2).

    References
    ----------
    001_b0950b57165db085.txt, 圖4.

    Examples
    --------
    >>> df = pd.DataFrame({"installation": ["A", "A"], "year": [2013, 2013],
    ...                    "allocation_t": [1.0, 2.0]})
    >>> float(by_installation(df)["allocation_t"].iloc[0])
    3.0
    """
    inst_codes, insts = pd.factorize(allocation["installation"], sort=True)
    year = allocation["year"].to_numpy(dtype=np.int64)
    first = int(year.min()) if len(year) else 0
    yrs = np.arange(first, int(year.max()) + 1 if len(year) else first)
    cell = inst_codes * len(yrs) + (year - first)  # years are a short integer range: no hashing
    size = len(insts) * len(yrs)
    total = np.bincount(cell, weights=allocation["allocation_t"].to_numpy(dtype=float), minlength=size)
    present = np.bincount(cell, minlength=size) > 0
    codes = np.repeat(np.arange(len(insts)), len(yrs))[present]
    return pd.DataFrame(
        {   # installation names as a categorical: cheap for 10,000s of installations
            "installation": pd.Categorical.from_codes(codes, categories=insts, validate=False),
            "year": np.tile(yrs, len(insts))[present],
            "allocation_t": total[present],
        }
    )


def allocate_loop(subinstallations, benchmarks, clef, cscf, lrf, years=PHASE3_YEARS) -> pd.DataFrame:
    """Row-by-row reference implementation of :func:`allocate` (for benchmarks and tests only).

    Parameters and Returns as :func:`allocate` (columns ``sub_installation``, ``year``,
    ``allocation_t``); no input validation.

    References
    ----------
    001_b0950b57165db085.txt, 圖4.

    Examples
    --------
    >>> bm = pd.DataFrame({"product": ["lime"], "leakage_exposed": [True],
    ...                    "benchmark_tco2_per_t": [0.954]})
    >>> clef = pd.DataFrame({"status": ["exposed"], "year": [2013], "factor": [1.0]})
    >>> f = pd.DataFrame({"year": [2013], "factor": [1.0]})
    >>> sub = pd.DataFrame({"installation": ["L"], "sub_installation": ["L1"],
    ...                     "method": ["product"], "product": ["lime"], "leakage_exposed": [None],
    ...                     "correction": ["cscf"], "hal": [1000.0]})
    >>> float(allocate_loop(sub, bm, clef, f, f, years=[2013])["allocation_t"].iloc[0])
    954.0
    """
    bm = {p: (v, e) for p, v, e in zip(benchmarks["product"], benchmarks["benchmark_tco2_per_t"],
                                       benchmarks["leakage_exposed"], strict=True)}
    cl = {(s, y): f for s, y, f in zip(clef["status"], clef["year"], clef["factor"], strict=True)}
    cf = {("cscf", y): f for y, f in zip(cscf["year"], cscf["factor"], strict=True)}
    cf.update({("lrf", y): f for y, f in zip(lrf["year"], lrf["factor"], strict=True)})
    rows = []
    for _, r in subinstallations.iterrows():
        if r["method"] == "product":
            value, exposed = bm[r["product"]]
        else:
            value, exposed = FALLBACK_BENCHMARKS[r["method"]], r["leakage_exposed"]
        status = "exposed" if exposed else "not_exposed"
        for y in years:
            alloc = value * r["hal"] * cl[(status, y)] * cf[(r["correction"], y)]
            rows.append((r["sub_installation"], y, alloc))
    return pd.DataFrame(rows, columns=["sub_installation", "year", "allocation_t"])


def clef_table(start: float = 0.8, end: float = 0.3, years=PHASE3_YEARS) -> pd.DataFrame:
    """表8 layout (``status``, ``year``, ``factor``) from the linear rule: exposed 1, else linear.

    Parameters
    ----------
    start, end : float
        Non-exposed factor in 2013 and 2020 (dimensionless, in [0, 1]).
    years : sequence of int
        Phase 3 years.

    Returns
    -------
    pandas.DataFrame
        Two rows per year (exposed, not_exposed).

    References
    ----------
    001_b0950b57165db085.txt, 表8.

    Examples
    --------
    >>> clef_table().query("status == 'exposed'")["factor"].tolist() == [1.0] * 8
    True
    """
    linear = clef_linear(years, start, end)
    exposed = pd.DataFrame({"status": "exposed", "year": linear.index, "factor": 1.0})
    other = pd.DataFrame({"status": "not_exposed", "year": linear.index, "factor": linear.to_numpy()})
    return pd.concat([exposed, other], ignore_index=True)


def constant_emissions(allocation: pd.DataFrame) -> pd.DataFrame:
    """Reference line: benchmark x HAL per installation and year (no CLEF, no correction).

    The emissions of an installation producing its HAL every year at benchmark intensity,
    held constant over 2013-2020; the gap to :func:`allocate` is the shortfall to be bought.

    Parameters
    ----------
    allocation : pandas.DataFrame
        Output of :func:`allocate`.

    Returns
    -------
    pandas.DataFrame
        Columns ``installation``, ``year``, ``emissions_t`` (tCO2 per year).

    References
    ----------
    001_b0950b57165db085.txt, 圖4.

    Examples
    --------
    >>> df = pd.DataFrame({"installation": ["A"], "year": [2013], "benchmark": [0.5],
    ...                    "hal": [10.0], "allocation_t": [4.0]})
    >>> float(constant_emissions(df)["emissions_t"].iloc[0])
    5.0
    """
    ref = allocation.assign(allocation_t=allocation["benchmark"] * allocation["hal"])
    return by_installation(ref).rename(columns={"allocation_t": "emissions_t"})


def factor_groups(allocation: pd.DataFrame) -> pd.DataFrame:
    """Which factors each installation's allocation carries: exposure status and correction.

    An installation is ``exposed`` or ``not_exposed`` when all its sub-installations are, and
    takes the ``cscf`` or the ``lrf`` when all its sub-installations do; otherwise ``mixed``.

    Parameters
    ----------
    allocation : pandas.DataFrame
        Output of :func:`allocate` (``installation``, ``status``, ``correction``; any number
        of rows per sub-installation and year).

    Returns
    -------
    pandas.DataFrame
        Index ``installation`` (sorted); columns ``status`` (exposed / not_exposed / mixed)
        and ``correction`` (cscf / lrf / mixed).

    References
    ----------
    001_b0950b57165db085.txt, 圖4, 表8-表10.

    Examples
    --------
    >>> df = pd.DataFrame({"installation": ["A", "A", "B"],
    ...                    "status": ["exposed", "not_exposed", "not_exposed"],
    ...                    "correction": ["cscf", "cscf", "lrf"]})
    >>> factor_groups(df).to_dict("index")
    {'A': {'status': 'mixed', 'correction': 'cscf'}, 'B': {'status': 'not_exposed', 'correction': 'lrf'}}
    """
    cols = ["installation", "status", "correction"]
    table = pd.DataFrame({c: allocation[c].astype(str).to_numpy() for c in cols})
    grouped = table.groupby("installation", sort=True)
    out = grouped.first().where(grouped.nunique() == 1, "mixed")
    out.index.name = "installation"
    return out

"""EU ETS caps: the 2008 proposal (000 表3), the adopted Phase 3 cap and aviation (001).

A linear cap falls by the same absolute amount every year: ``cap(y) = start_cap -
annual_reduction x (y - start_year)``, the annual reduction being a factor (1.74 %) of a base
(the 2008-2012 average). This module builds such paths, carries them past 2020 with another
factor, recovers the reduction of a printed path by ordinary least squares (statsmodels), and
says which straight lines the printed, rounded values allow.

All functions are pure: numbers or pandas objects in, pandas objects out.

References
----------
000_318ba4d3771c8f90.txt, 表3 2013-2020 年歐盟排放總管制量 and section 三.2;
001_b0950b57165db085.txt, section 二.(一) 3.第三階段(2013-2020)年排放額度總量規劃.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd

from carbonlib import checks
from carbonlib.calendar import PHASE3_YEARS, check_phase3_years
from carbonlib.errors import InputError

#: adopted Phase 3 cap (001): 2013 cap and annual reduction, t CO2e; 1.74 % as a fraction
PHASE3_CAP_2013_T = 2_084_301_856
PHASE3_ANNUAL_REDUCTION_T = 38_264_246
PHASE3_LRF = 0.0174
#: aviation cap (001), t CO2e a year, 95 % of the 2004-2006 average
AVIATION_CAP_T = 210_349_264
AVIATION_SHARE_OF_HISTORICAL_PCT = 95.0


def _check_factor(factor: float, name: str = "factor") -> float:
    f = float(factor)
    if not 0 <= f <= 1:
        raise InputError(f"{name}: {f} outside [0, 1] (give 1.74 % as 0.0174)")
    return f


def _check_nonnegative(value: float, name: str) -> float:
    v = float(value)
    if not np.isfinite(v) or v < 0:
        raise InputError(f"{name}: negative or non-finite value {v}")
    return v


def annual_reduction(factor: float, base: float) -> float:
    """Absolute annual reduction of a linear cap: ``factor x base``.

    Parameters
    ----------
    factor : float
        Linear reduction factor, share of the base per year (0.0174 = 1.74 %), in [0, 1].
    base : float
        Base quantity, t CO2e (the 2008-2012 average for Phase 3).

    Returns
    -------
    float
        Reduction per year, in the unit of ``base`` (t CO2e a year).

    Raises
    ------
    InputError
        A factor outside [0, 1] or a negative base.

    References
    ----------
    001_b0950b57165db085.txt, section 二.(一) 3 ("逐年下降 1.74%(以 2008-2012年均排放為基準)").

    Examples
    --------
    >>> round(annual_reduction(0.0174, 2_199_094_598))
    38264246
    """
    return _check_factor(factor) * _check_nonnegative(base, "base")


def implied_base(annual_reduction_t: float, factor: float) -> float:
    """Base implied by an annual reduction and its factor: ``annual_reduction_t / factor``.

    Parameters
    ----------
    annual_reduction_t : float
        Reduction per year, t CO2e (or MtCO2e; the result has the same unit).
    factor : float
        Linear reduction factor, share of the base per year, in (0, 1].

    Returns
    -------
    float
        The base, in the unit of ``annual_reduction_t``.

    Raises
    ------
    InputError
        A negative reduction or a factor outside (0, 1].

    References
    ----------
    001_b0950b57165db085.txt, section 二.(一) 3 (38,264,246 t a year, 1.74 %).

    Examples
    --------
    >>> round(implied_base(38_264_246, 0.0174))
    2199094598
    """
    f = _check_factor(factor)
    if f == 0:
        raise InputError("factor: 0 implies no base (division by zero)")
    return _check_nonnegative(annual_reduction_t, "annual_reduction_t") / f


def implied_base_range(annual_reduction_t: float, factor_pct: float, decimals: int = 2) -> pd.Series:
    """Implied base and the range allowed by the rounding of a printed percentage.

    A factor printed as 1.74 (%) lies in [1.735, 1.745); the base ``reduction / factor`` lies
    in the corresponding interval.

    Parameters
    ----------
    annual_reduction_t : float
        Reduction per year, t CO2e (or MtCO2e).
    factor_pct : float
        The printed factor in percent (1.74).
    decimals : int
        Digits printed after the decimal point of ``factor_pct``.

    Returns
    -------
    pandas.Series
        ``low``, ``central`` and ``high`` base, in the unit of ``annual_reduction_t``.

    Raises
    ------
    InputError
        A negative reduction, or a percentage outside (0, 100].

    References
    ----------
    001_b0950b57165db085.txt, section 二.(一) 3.

    Examples
    --------
    >>> r = implied_base_range(38_264_246, 1.74)
    >>> round(float(r["low"]) / 1e6, 1), round(float(r["high"]) / 1e6, 1)
    (2192.8, 2205.4)
    """
    pct = float(factor_pct)
    if not 0 < pct <= 100:
        raise InputError(f"factor_pct: {pct} outside (0, 100]")
    half = checks.rounding_tolerance(decimals)
    lo_pct, hi_pct = pct - half, min(pct + half, 100.0)
    if lo_pct <= 0:
        raise InputError(f"factor_pct: {pct} printed to {decimals} decimals may be zero")
    red = _check_nonnegative(annual_reduction_t, "annual_reduction_t")
    return pd.Series({"low": red / (hi_pct / 100), "central": red / (pct / 100),
                      "high": red / (lo_pct / 100)}, name="base")


def _reduction(annual_reduction_t, factor, base) -> float:
    if annual_reduction_t is not None and (factor is not None or base is not None):
        raise InputError("annual_reduction_t: give either annual_reduction_t or factor and base, not both")
    if annual_reduction_t is not None:
        return _check_nonnegative(annual_reduction_t, "annual_reduction_t")
    if factor is None or base is None:
        raise InputError("annual_reduction_t: give annual_reduction_t, or both factor and base")
    return annual_reduction(factor, base)


def _years_path(first: int, start_cap: float, years: np.ndarray, red: float, name: str) -> pd.Series:
    values = start_cap - red * (years - first)
    if (values < 0).any():
        y = int(years[np.flatnonzero(values < 0)[0]])
        raise InputError(f"annual_reduction_t: the cap falls below zero in {y}; choose an earlier end_year")
    return pd.Series(values.astype(float), index=pd.Index(years, name="year"), name=name)


def linear_path(
    start_year: int,
    start_cap: float,
    end_year: int,
    *,
    annual_reduction_t: float | None = None,
    factor: float | None = None,
    base: float | None = None,
    name: str = "cap_t",
) -> pd.Series:
    """Linear cap path: ``start_cap - reduction x (year - start_year)`` for each year.

    The reduction is ``annual_reduction_t`` or ``factor x base`` (give one or the other).

    Parameters
    ----------
    start_year, end_year : int
        First and last year of the path.
    start_cap : float
        Cap in ``start_year``, t CO2e (or any unit, used throughout).
    annual_reduction_t : float, optional
        Absolute reduction per year, same unit as ``start_cap``.
    factor : float, optional
        Linear reduction factor, share of ``base`` per year (0.0174 = 1.74 %), in [0, 1].
    base : float, optional
        Base of the factor, same unit as ``start_cap``.
    name : str
        Name of the returned Series (its unit: ``cap_t``, ``cap_mtco2e``).

    Returns
    -------
    pandas.Series
        Cap per year (index ``year``), unrounded.

    Raises
    ------
    InputError
        ``end_year`` before ``start_year``, a negative cap or reduction, a factor outside
        [0, 1], both or neither of the two ways to give the reduction, or a cap that would
        fall below zero.

    References
    ----------
    001_b0950b57165db085.txt, section 二.(一) 3; 000_318ba4d3771c8f90.txt, 表3.

    Examples
    --------
    >>> p = linear_path(2013, 2_084_301_856, 2020, annual_reduction_t=38_264_246)
    >>> int(p[2020])
    1816452134
    """
    if int(end_year) < int(start_year):
        raise InputError(f"end_year: {int(end_year)} before start_year {int(start_year)}")
    cap0 = _check_nonnegative(start_cap, "start_cap")
    red = _reduction(annual_reduction_t, factor, base)
    years = np.arange(int(start_year), int(end_year) + 1)
    return _years_path(int(start_year), cap0, years, red, name)


def extend_path(
    path: pd.Series,
    end_year: int,
    *,
    annual_reduction_t: float | None = None,
    factor: float | None = None,
    base: float | None = None,
) -> pd.Series:
    """Carry a cap path past its last year with a new annual reduction (e.g. 2.2 % from 2021).

    Parameters
    ----------
    path : pandas.Series
        Cap per year (index ``year``), e.g. from :func:`linear_path`.
    end_year : int
        Last year of the extended path (after the path's last year).
    annual_reduction_t, factor, base : float, optional
        The new reduction per year, as in :func:`linear_path`, in the unit of ``path``.

    Returns
    -------
    pandas.Series
        ``path`` followed by the new years: ``cap(last) - reduction x (year - last)``.

    Raises
    ------
    InputError
        An empty path, ``end_year`` not after the last year, or an invalid reduction.

    References
    ----------
    001_b0950b57165db085.txt, section 二.(一) 3 (the Phase 3 rule the extension continues).

    Examples
    --------
    >>> p = linear_path(2013, 100.0, 2020, annual_reduction_t=2.0)
    >>> float(extend_path(p, 2022, factor=0.022, base=100.0)[2022])
    81.6
    """
    if len(path) == 0:
        raise InputError("path: empty cap path")
    last = int(path.index.max())
    if int(end_year) <= last:
        raise InputError(f"end_year: {int(end_year)} not after the path's last year {last}")
    red = _reduction(annual_reduction_t, factor, base)
    years = np.arange(last + 1, int(end_year) + 1)
    new = _years_path(last, float(path.loc[last]), years, red, path.name or "cap_t")
    return pd.concat([path.astype(float), new]).rename(path.name or "cap_t")


def endpoint_path(first_year: int, first_cap: float, last_year: int, last_cap: float,
                  name: str = "cap_mtco2e") -> pd.Series:
    """Straight line through two printed end points (e.g. 1,974 in 2013 and 1,720 in 2020).

    Parameters
    ----------
    first_year, last_year : int
        Years of the end points (``last_year`` after ``first_year``).
    first_cap, last_cap : float
        Caps in those years (MtCO2e or t CO2e).
    name : str
        Name of the returned Series.

    Returns
    -------
    pandas.Series
        Cap per year, unrounded.

    Raises
    ------
    InputError
        ``last_year`` not after ``first_year`` or a negative cap.

    References
    ----------
    000_318ba4d3771c8f90.txt, 表3.

    Examples
    --------
    >>> round(float(endpoint_path(2013, 1974, 2020, 1720)[2014]), 4)
    1937.7143
    """
    if int(last_year) <= int(first_year):
        raise InputError(f"last_year: {int(last_year)} not after first_year {int(first_year)}")
    a = _check_nonnegative(first_cap, "first_cap")
    b = _check_nonnegative(last_cap, "last_cap")
    red = (a - b) / (int(last_year) - int(first_year))
    years = np.arange(int(first_year), int(last_year) + 1)
    return pd.Series(a - red * (years - int(first_year)), index=pd.Index(years, name="year"), name=name)


def average_decline_pct(path: pd.Series) -> float:
    """Average linear decline per year, percent of the first year's cap.

    ``(cap(first) - cap(last)) / (last - first) / cap(first) x 100``; for 表3 this is the
    printed 1.84 %.

    Parameters
    ----------
    path : pandas.Series
        Cap per year (index ``year``), at least two years, positive first value.

    Returns
    -------
    float
        Percent per year.

    Raises
    ------
    InputError
        Fewer than two years or a non-positive first cap.

    References
    ----------
    000_318ba4d3771c8f90.txt, section 三.2 ("平均年遞減率為 1.84%") and 表3.

    Examples
    --------
    >>> s = pd.Series([1974.0, 1720.0], index=[2013, 2020])
    >>> round(average_decline_pct(s), 4)
    1.8382
    """
    if len(path) < 2:
        raise InputError("path: need at least two years")
    s = path.sort_index()
    first, last = s.index[0], s.index[-1]
    if s.iloc[0] <= 0:
        raise InputError(f"path: first cap {s.iloc[0]} is not positive")
    return float((s.iloc[0] - s.iloc[-1]) / (last - first) / s.iloc[0] * 100)


def _check_printed(printed: pd.Series) -> pd.Series:
    if not isinstance(printed, pd.Series):
        raise InputError(f"printed: expected a pandas Series indexed by year, got {type(printed).__name__}")
    s = pd.to_numeric(printed, errors="coerce").astype(float)
    if s.isna().any():
        raise InputError(f"printed: missing or non-numeric value for year {s.index[s.isna()][0]}")
    if len(s) < 3:
        raise InputError(f"printed: need at least three years, got {len(s)}")
    return s.sort_index()


def ols_linear_fit(printed: pd.Series) -> pd.Series:
    """Ordinary least squares line through a printed cap path (statsmodels).

    Fits ``cap = start_cap - annual_reduction x (year - first year)``.

    Parameters
    ----------
    printed : pandas.Series
        Printed cap per year (index ``year``), e.g. 表3 in MtCO2e.

    Returns
    -------
    pandas.Series
        ``start_year``, ``start_cap`` (fitted value in the first year) and its standard error
        ``start_cap_se``, ``annual_reduction`` with ``annual_reduction_se`` and 95 % interval
        ``annual_reduction_ci_low``/``_high``, ``rsquared``, ``nobs`` and ``max_abs_residual``;
        caps in the unit of ``printed``.

    Raises
    ------
    InputError
        Not a Series, a missing value, or fewer than three years.

    References
    ----------
    000_318ba4d3771c8f90.txt, 表3.

    Examples
    --------
    >>> t3 = pd.Series([1974, 1937, 1901, 1865, 1829, 1792, 1756, 1720], index=range(2013, 2021))
    >>> round(float(ols_linear_fit(t3)["annual_reduction"]), 4)
    36.2619
    """
    import statsmodels.api as sm

    s = _check_printed(printed)
    first = int(s.index[0])
    x = sm.add_constant(np.asarray(s.index, dtype=float) - first)
    res = sm.OLS(s.to_numpy(), x).fit()
    ci = res.conf_int(0.05)
    return pd.Series({
        "start_year": first,
        "start_cap": float(res.params[0]),
        "start_cap_se": float(res.bse[0]),
        "annual_reduction": -float(res.params[1]),
        "annual_reduction_se": float(res.bse[1]),
        "annual_reduction_ci_low": -float(ci[1, 1]),
        "annual_reduction_ci_high": -float(ci[1, 0]),
        "rsquared": float(res.rsquared),
        "nobs": int(res.nobs),
        "max_abs_residual": float(np.abs(res.resid).max()),
    }, name="ols")


def ols_fitted(printed: pd.Series, name: str = "cap_mtco2e") -> pd.Series:
    """The OLS line of :func:`ols_linear_fit` evaluated in the printed years.

    Parameters
    ----------
    printed : pandas.Series
        Printed cap per year (index ``year``).
    name : str
        Name of the returned Series.

    Returns
    -------
    pandas.Series
        Fitted cap per year, unrounded, in the unit of ``printed``.

    References
    ----------
    000_318ba4d3771c8f90.txt, 表3.

    Examples
    --------
    >>> t3 = pd.Series([1974, 1937, 1901, 1865, 1829, 1792, 1756, 1720], index=range(2013, 2021))
    >>> round(float(ols_fitted(t3)[2014]), 4)
    1937.4048
    """
    fit = ols_linear_fit(printed)
    years = np.asarray(_check_printed(printed).index, dtype=int)
    values = fit["start_cap"] - fit["annual_reduction"] * (years - int(fit["start_year"]))
    return pd.Series(values, index=pd.Index(years, name="year"), name=name)


def rounding_feasible_lines(printed: pd.Series, decimals: int = 0) -> pd.Series:
    """All straight lines whose rounded values equal every printed value (linear programme).

    A line ``start_cap - annual_reduction x (year - first year)`` explains the printing if it
    lies within half a unit of the last printed digit of each value. The set of such lines is
    a polygon; this returns its extent.

    Parameters
    ----------
    printed : pandas.Series
        Printed cap per year (index ``year``).
    decimals : int
        Digits printed after the decimal point (0 for whole MtCO2e).

    Returns
    -------
    pandas.Series
        ``annual_reduction_min``/``_max`` and ``start_cap_min``/``_max`` over the feasible lines,
        in the unit of ``printed``.

    Raises
    ------
    InputError
        If no straight line rounds to every printed value.

    References
    ----------
    000_318ba4d3771c8f90.txt, 表3.

    Examples
    --------
    >>> t3 = pd.Series([1974, 1937, 1901, 1865, 1829, 1792, 1756, 1720], index=range(2013, 2021))
    >>> r = rounding_feasible_lines(t3)
    >>> round(float(r["annual_reduction_min"]), 4), round(float(r["annual_reduction_max"]), 4)
    (36.2, 36.3333)
    """
    from scipy.optimize import linprog

    s = _check_printed(printed)
    k = np.asarray(s.index, dtype=float) - float(s.index[0])
    tol = checks.rounding_tolerance(decimals)
    ones = np.ones_like(k)
    a_ub = np.vstack([np.c_[ones, -k], -np.c_[ones, -k]])  # variables: start_cap, annual_reduction
    b_ub = np.r_[s.to_numpy() + tol, -(s.to_numpy() - tol)]
    out = {}
    for key, c in (("annual_reduction_min", [0, 1]), ("annual_reduction_max", [0, -1]),
                   ("start_cap_min", [1, 0]), ("start_cap_max", [-1, 0])):
        res = linprog(c, A_ub=a_ub, b_ub=b_ub, bounds=[(None, None)] * 2, method="highs")
        if res.status != 0:
            raise InputError("printed: no straight line rounds to every printed value")
        out[key] = float(res.x[1] if key.startswith("annual") else res.x[0])
    return pd.Series(out, name="feasible")


def proposal_report(printed: pd.Series, average_decline: float = 1.84, decimals: int = 0) -> pd.DataFrame:
    """表3 printed versus recomputed under three rules, one row per rule and year.

    Rules: ``endpoints`` (straight line through the printed 2013 and 2020 values),
    ``average_decline`` (the 2013 value less ``average_decline`` % of it a year, the text's
    1.84 %) and ``ols`` (the least-squares line, :func:`ols_fitted`).

    Parameters
    ----------
    printed : pandas.Series
        表3 cap per year (index ``year``), MtCO2e.
    average_decline : float
        Printed average annual decline, percent of the first year's cap.
    decimals : int
        Digits printed after the decimal point of ``printed``.

    Returns
    -------
    pandas.DataFrame
        Index (``rule``, ``year``); the columns of :func:`carbonlib.checks.compare`.

    Raises
    ------
    InputError
        As :func:`ols_linear_fit`, or ``average_decline`` outside [0, 100].

    References
    ----------
    000_318ba4d3771c8f90.txt, 表3 and section 三.2.

    Examples
    --------
    >>> t3 = pd.Series([1974, 1937, 1901, 1865, 1829, 1792, 1756, 1720], index=range(2013, 2021))
    >>> proposal_report(t3).groupby("rule")["within_rounding"].sum().to_dict()
    {'average_decline': 7, 'endpoints': 6, 'ols': 8}
    """
    s = _check_printed(printed)
    if not 0 <= float(average_decline) <= 100:
        raise InputError(f"average_decline: {average_decline} % outside [0, 100]")
    first, last = int(s.index[0]), int(s.index[-1])
    rules = {
        "endpoints": endpoint_path(first, s.iloc[0], last, s.iloc[-1]),
        "average_decline": linear_path(first, s.iloc[0], last,
                                       annual_reduction_t=s.iloc[0] * float(average_decline) / 100),
        "ols": ols_fitted(s),
    }
    parts = {rule: checks.compare(s, path.set_axis(s.index), decimals=decimals)
             for rule, path in rules.items()}
    out = pd.concat(parts, names=["rule", "year"])
    return out


def phase3_path(years=PHASE3_YEARS, cap_2013_t: float = PHASE3_CAP_2013_T,
                annual_reduction_t: float = PHASE3_ANNUAL_REDUCTION_T) -> pd.Series:
    """Adopted Phase 3 cap (001): the 2013 cap less a fixed amount a year, 2013-2020 only.

    Parameters
    ----------
    years : sequence of int
        Phase 3 years (2013-2020); use :func:`extend_path` to go past 2020.
    cap_2013_t : float
        Cap in 2013, t CO2e (printed 2,084,301,856).
    annual_reduction_t : float
        Reduction per year, t CO2e (printed 38,264,246).

    Returns
    -------
    pandas.Series
        ``cap_t`` per year (index ``year``).

    Raises
    ------
    InputError
        A year outside 2013-2020, or a negative cap or reduction.

    References
    ----------
    001_b0950b57165db085.txt, section 二.(一) 3.

    Examples
    --------
    >>> int(phase3_path([2014])[2014])
    2046037610
    """
    yrs = check_phase3_years(years)
    path = linear_path(2013, cap_2013_t, 2020, annual_reduction_t=annual_reduction_t)
    return path.loc[yrs]


def phase3_report(published: pd.Series, cap_2013_t: float = PHASE3_CAP_2013_T,
                  annual_reduction_t: float = PHASE3_ANNUAL_REDUCTION_T) -> pd.DataFrame:
    """Adopted Phase 3 cap, published versus recomputed for every year 2013-2020.

    Parameters
    ----------
    published : pandas.Series
        Printed caps per year, t CO2e (001 prints only 2013; other years are ``not printed``).
    cap_2013_t, annual_reduction_t : float
        The printed rule (t CO2e, t CO2e a year).

    Returns
    -------
    pandas.DataFrame
        One row per year with the columns of :func:`carbonlib.checks.compare` plus
        ``share_of_2013_pct`` (recomputed cap as percent of 2013).

    Raises
    ------
    InputError
        A published year outside 2013-2020.

    References
    ----------
    001_b0950b57165db085.txt, section 二.(一) 3.

    Examples
    --------
    >>> r = phase3_report(pd.Series({2013: 2_084_301_856}))
    >>> r["status"].value_counts().to_dict()
    {'not printed': 7, 'agrees': 1}
    """
    check_phase3_years(published.index, "published")
    path = phase3_path(PHASE3_YEARS, cap_2013_t, annual_reduction_t)
    out = checks.compare(published.astype(float).rename_axis("year"), path, decimals=0)
    out["share_of_2013_pct"] = (path / path.loc[2013] * 100).reindex(out.index)
    return out


def constant_path(years, cap: float, name: str = "cap_t") -> pd.Series:
    """A cap held constant every year (the Phase 3 aviation cap).

    Parameters
    ----------
    years : sequence of int
        Years.
    cap : float
        Cap per year, t CO2e (aviation: 210,349,264).
    name : str
        Name of the returned Series.

    Returns
    -------
    pandas.Series
        ``cap`` in every year (index ``year``).

    Raises
    ------
    InputError
        A negative cap.

    References
    ----------
    001_b0950b57165db085.txt, section 二.(一) 3 ("第三階段每年排放總量固定不變，維持在 210,349,264").

    Examples
    --------
    >>> constant_path([2013, 2014], 5.0).tolist()
    [5.0, 5.0]
    """
    c = _check_nonnegative(cap, "cap")
    yrs = np.asarray(list(years), dtype=int)
    return pd.Series(c, index=pd.Index(yrs, name="year"), name=name)


def implied_reference(value: float, share_pct: float) -> float:
    """The reference a printed share refers to: ``value / (share_pct / 100)``.

    The aviation cap is 95 % of the 2004-2006 average, so that average is cap / 0.95.

    Parameters
    ----------
    value : float
        The quantity (t CO2e).
    share_pct : float
        Its share of the reference, percent, in (0, 100].

    Returns
    -------
    float
        The reference, in the unit of ``value``.

    Raises
    ------
    InputError
        A negative value or a share outside (0, 100].

    References
    ----------
    001_b0950b57165db085.txt, section 二.(一) 3 ("為歷史排放量(2004-2006 年平均)95%").

    Examples
    --------
    >>> round(implied_reference(210_349_264, 95), 1)
    221420277.9
    """
    pct = float(share_pct)
    if not 0 < pct <= 100:
        raise InputError(f"share_pct: {pct} outside (0, 100]")
    return _check_nonnegative(value, "value") / (pct / 100)


def compare_paths(paths: Mapping[str, pd.Series]) -> pd.DataFrame:
    """Several named cap paths side by side (one column per path, index ``year``).

    Parameters
    ----------
    paths : mapping of str to pandas.Series
        Cap per year of each path, all in one unit (t CO2e).

    Returns
    -------
    pandas.DataFrame
        Years of any path as rows, one column per path; missing where a path has no value.

    Raises
    ------
    InputError
        No paths, or a path that is not a Series.

    References
    ----------
    000_318ba4d3771c8f90.txt, 表3; 001_b0950b57165db085.txt, section 二.(一) 3.

    Examples
    --------
    >>> a = pd.Series([2.0, 1.0], index=[2013, 2014])
    >>> compare_paths({"a": a, "b": a * 2}).loc[2014].tolist()
    [1.0, 2.0]
    """
    if not paths:
        raise InputError("paths: no cap paths given")
    for key, p in paths.items():
        if not isinstance(p, pd.Series):
            raise InputError(f"paths: {key!r} is a {type(p).__name__}, expected a pandas Series")
    out = pd.concat({k: p.astype(float) for k, p in paths.items()}, axis=1).sort_index()
    out.index.name = "year"
    return out


def scenario_path(
    start_year: int,
    start_cap_t: float,
    end_year: int,
    *,
    factor: float | None = None,
    base_t: float | None = None,
    annual_reduction_t: float | None = None,
    switch_year: int | None = None,
    new_factor: float | None = None,
) -> pd.Series:
    """A researcher's cap path: linear from ``start_year``, optionally a new factor from ``switch_year``.

    Until ``switch_year - 1`` the cap falls by ``annual_reduction_t`` (when given) or by
    ``factor x base_t``; from ``switch_year`` to ``end_year`` by ``new_factor x base_t``
    (e.g. 2.2 % from 2021).

    Parameters
    ----------
    start_year, end_year : int
        First and last year of the path.
    start_cap_t : float
        Cap in ``start_year``, t CO2e.
    factor : float, optional
        Linear reduction factor, share of ``base_t`` per year, in [0, 1].
    base_t : float, optional
        Base of the factors, t CO2e (Phase 3: the 2008-2012 average).
    annual_reduction_t : float, optional
        Absolute reduction per year before ``switch_year``, t CO2e; replaces ``factor``.
    switch_year : int, optional
        First year of ``new_factor``; ``None`` or a year after ``end_year`` keeps one rule.
    new_factor : float, optional
        Reduction factor from ``switch_year`` on, share of ``base_t`` per year.

    Returns
    -------
    pandas.Series
        ``cap_t`` per year from ``start_year`` to ``end_year``.

    Raises
    ------
    InputError
        As :func:`linear_path`; ``switch_year`` not after ``start_year``; ``new_factor``
        missing when a switch falls within the path.

    References
    ----------
    001_b0950b57165db085.txt, section 二.(一) 3 (the Phase 3 rule).

    Examples
    --------
    >>> p = scenario_path(2013, 100.0, 2022, annual_reduction_t=2.0, base_t=100.0,
    ...                   switch_year=2021, new_factor=0.022)
    >>> round(float(p[2022]), 1)
    81.6
    """
    switching = switch_year is not None and int(switch_year) <= int(end_year)
    if switching and int(switch_year) <= int(start_year):
        raise InputError(f"switch_year: {int(switch_year)} not after start_year {int(start_year)}")
    if switching and (new_factor is None or base_t is None):
        raise InputError("new_factor: give new_factor and base_t for a switch within the path")
    first_end = int(switch_year) - 1 if switching else int(end_year)
    if annual_reduction_t is not None:
        path = linear_path(start_year, start_cap_t, first_end, annual_reduction_t=annual_reduction_t)
    else:
        path = linear_path(start_year, start_cap_t, first_end, factor=factor, base=base_t)
    if switching:
        path = extend_path(path, end_year, factor=new_factor, base=base_t)
    return path


def scenario_rules(
    start_year: int,
    end_year: int,
    *,
    factor: float | None = None,
    base_t: float | None = None,
    annual_reduction_t: float | None = None,
    switch_year: int | None = None,
    new_factor: float | None = None,
) -> pd.Series:
    """The two rules of a :func:`scenario_path`: the reduction per year under each, and its years.

    Takes the arguments of :func:`scenario_path` (without the start cap) and says what the path
    does, so that a text can state it for any parameters: the reduction before ``switch_year``
    (``annual_reduction_t``, or ``factor x base_t``), the reduction ``new_factor x base_t`` that
    the switch would bring, and how many years of the path fall under each (none under the
    second when ``switch_year`` is ``None`` or after ``end_year``).

    Parameters
    ----------
    start_year, end_year : int
        First and last year of the path.
    factor, base_t, annual_reduction_t, switch_year, new_factor
        As in :func:`scenario_path`.

    Returns
    -------
    pandas.Series
        ``reduction_before_switch_t`` and ``reduction_from_switch_t`` (t CO2e a year; NaN
        without ``new_factor`` or ``base_t``), ``years_before_switch`` and ``years_from_switch``
        (counts), ``switches`` (1 if the switch falls within the path, else 0).

    Raises
    ------
    InputError
        As :func:`scenario_path`: ``end_year`` before ``start_year``, ``switch_year`` not after
        ``start_year`` when it falls within the path, an invalid reduction or factor.

    References
    ----------
    001_b0950b57165db085.txt, section 二.(一) 3 (the Phase 3 rule).

    Examples
    --------
    >>> r = scenario_rules(2013, 2022, annual_reduction_t=2.0, base_t=100.0, switch_year=2021, new_factor=0.022)
    >>> r.round(1).to_dict()
    {'reduction_before_switch_t': 2.0, 'reduction_from_switch_t': 2.2, 'years_before_switch': 8.0, 'years_from_switch': 2.0, 'switches': 1.0}
    >>> int(scenario_rules(2013, 2040, factor=0.0174, base_t=100.0, switch_year=2041, new_factor=0.022)["years_from_switch"])
    0
    """
    if int(end_year) < int(start_year):
        raise InputError(f"end_year: {int(end_year)} before start_year {int(start_year)}")
    switching = switch_year is not None and int(switch_year) <= int(end_year)
    if switching and int(switch_year) <= int(start_year):
        raise InputError(f"switch_year: {int(switch_year)} not after start_year {int(start_year)}")
    if switching and (new_factor is None or base_t is None):
        raise InputError("new_factor: give new_factor and base_t for a switch within the path")
    if annual_reduction_t is not None:
        before = _check_nonnegative(annual_reduction_t, "annual_reduction_t")
    else:
        before = _reduction(None, factor, base_t)
    after = annual_reduction(new_factor, base_t) if new_factor is not None and base_t is not None else np.nan
    first_end = int(switch_year) - 1 if switching else int(end_year)
    return pd.Series({
        "reduction_before_switch_t": float(before),
        "reduction_from_switch_t": float(after),
        "years_before_switch": float(first_end - int(start_year) + 1),
        "years_from_switch": float(int(end_year) - int(switch_year) + 1) if switching else 0.0,
        "switches": 1.0 if switching else 0.0,
    }, name="rules")

"""EUA price histories: checks and statistics (statsmodels) of a daily close.

The histories themselves are read by :mod:`carbonlib.pricefiles` (vendor files are never
committed); their figures are drawn by :mod:`carbonlib.figures.prices`. Nothing is fixed
silently: rows are sorted by date, but duplicate dates, non-positive prices, gaps and jumps are
kept and reported by :func:`check_series`.

References
----------
000_318ba4d3771c8f90.txt, section 三.3 and 圖4 (EUA futures price and volume on ECX,
February 2006 – March 2008) and the price facts quoted around it.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from .calendar import PHASE_LABELS, PHASES
from .errors import InputError
from .validate import coverage_frame

#: Significance level of the tests (unit roots, breaks, Ljung–Box) and ``1 -`` the forecast interval.
TEST_LEVEL = 0.05
#: Fewest observations of a series in one phase for the ADF and KPSS tests (:func:`unit_root_tests`).
MIN_UNIT_ROOT_OBS = 30
#: Fewest usable trading days on each side of a break date for the Chow test (:func:`chow_test`).
MIN_BREAK_SIDE = 10
#: Fewest closes in an ARIMA sample (:func:`fit_arima`).
MIN_ARIMA_OBS = 50

# --------------------------------------------------------------------------------------------
# Checks
# --------------------------------------------------------------------------------------------

def _holidays(years) -> set[pd.Timestamp]:
    from dateutil.easter import easter

    days = set()
    for y in years:
        e = pd.Timestamp(easter(int(y)))
        days |= {e - pd.Timedelta(days=2), e + pd.Timedelta(days=1)}
        days |= {pd.Timestamp(y, m, d) for m, d in ((1, 1), (5, 1), (12, 24), (12, 25), (12, 26), (12, 31))}
        # London bank holidays: early May, spring and summer Mondays, and weekend substitutes
        mondays = {m: pd.date_range(pd.Timestamp(y, m, 1), pd.Timestamp(y, m, 1) + pd.offsets.MonthEnd(0),
                                    freq="W-MON") for m in (5, 8)}
        days |= {mondays[5][0], mondays[5][-1], mondays[8][-1]}
        if pd.Timestamp(y, 12, 25).weekday() >= 5:
            days |= {pd.Timestamp(y, 12, 27), pd.Timestamp(y, 12, 28)}
        if pd.Timestamp(y, 1, 1).weekday() >= 5:
            days |= {pd.Timestamp(y, 1, 2), pd.Timestamp(y, 1, 3)}
    return days


def check_series(prices: pd.DataFrame, jump_threshold: float = 0.5, min_gap_weekdays: int = 1) -> pd.DataFrame:
    """List what is unusual in a price history, without changing it.

    Parameters
    ----------
    prices : pandas.DataFrame
        From :func:`read_prices`.
    jump_threshold : float
        A day-on-day absolute log change above this is reported as a jump (0.5 ≈ ×1.65).
    min_gap_weekdays : int
        Report gaps of at least this many missing weekdays.

    Returns
    -------
    pandas.DataFrame
        One row per finding: ``kind`` (duplicate date, non-positive price, gap, jump),
        ``date``, ``detail`` and ``explained`` (``exchange holiday`` for single-day gaps on
        the usual ICE Europe holidays, else empty).
    """
    if jump_threshold <= 0:
        raise InputError(f"jump_threshold: must be positive, got {jump_threshold}")
    if min_gap_weekdays < 1:
        raise InputError(f"min_gap_weekdays: must be at least 1, got {min_gap_weekdays}")
    out = []
    idx = prices.index
    for d in idx[idx.duplicated()].unique():
        out.append(("duplicate date", d, f"{int((idx == d).sum())} rows", ""))
    bad = prices[prices["price_eur_per_t"] <= 0]
    for d, p in bad["price_eur_per_t"].items():
        out.append(("non-positive price", d, f"price {p}", ""))
    dates = idx.unique().sort_values()
    holidays = _holidays(range(dates.min().year, dates.max().year + 1)) if len(dates) else set()
    for prev, cur in zip(dates[:-1], dates[1:], strict=True):
        missing = pd.bdate_range(prev + pd.Timedelta(days=1), cur - pd.Timedelta(days=1))
        if len(missing) >= min_gap_weekdays:
            explained = "exchange holiday" if all(m in holidays for m in missing) else ""
            out.append(("gap", missing[0], f"{len(missing)} weekday(s) missing, "
                        f"{missing[0]:%Y-%m-%d} to {missing[-1]:%Y-%m-%d}", explained))
    positive = prices.loc[~prices.index.duplicated() & (prices["price_eur_per_t"] > 0), "price_eur_per_t"]
    change = np.log(positive).diff()
    for d, r in change[change.abs() > jump_threshold].items():
        before = positive.shift(1).loc[d]
        out.append(("jump", d, f"{before:g} → {positive.loc[d]:g} EUR/t (log change {r:+.2f})", ""))
    frame = pd.DataFrame(out, columns=["kind", "date", "detail", "explained"])
    return frame.sort_values(["date", "kind"], kind="stable").reset_index(drop=True)


def unexplained(findings: pd.DataFrame) -> pd.DataFrame:
    """The findings that an exchange holiday does not explain, numbered from 1.

    Examples
    --------
    >>> f = pd.DataFrame({"kind": ["gap", "jump"], "date": pd.to_datetime(["2007-12-25", "2007-12-19"]),
    ...                   "detail": ["", ""], "explained": ["exchange holiday", ""]})
    >>> unexplained(f)["kind"].tolist()
    ['jump']
    """
    out = findings.loc[findings["explained"] == "", ["kind", "date", "detail"]].reset_index(drop=True)
    out.index = pd.RangeIndex(1, len(out) + 1, name="finding")
    return out


def summarise_checks(findings: pd.DataFrame) -> pd.DataFrame:
    """Count findings by kind, separating explained (holiday) gaps from the rest."""
    if findings.empty:
        return pd.DataFrame({"kind": [], "explained": [], "count": []})
    f = findings.assign(explained=findings["explained"].replace("", "unexplained"))
    return f.groupby(["kind", "explained"]).size().rename("count").reset_index()


# --------------------------------------------------------------------------------------------
# Phases, roll, returns
# --------------------------------------------------------------------------------------------

def detect_roll(prices: pd.DataFrame, start: str = "2007-11-01", end: str = "2008-02-29",
                min_log_jump: float = 2.0) -> pd.Timestamp | None:
    """Date of the Phase 1 → Phase 2 contract roll in a continuous front-December series.

    Phase 1 allowances could not be banked into Phase 2, so a continuous series jumps from
    the collapsed Phase 1 contract (a few cents) to the Dec-08 contract (over 20 EUR). The
    roll is the first observation after the largest log jump between ``start`` and ``end``.

    Returns
    -------
    pandas.Timestamp or None
        ``None`` if the series does not cover the window or has no jump above
        ``min_log_jump`` there (the phases then follow calendar years).
    """
    p = prices.loc[~prices.index.duplicated(), "price_eur_per_t"]
    p = p[p > 0]
    window = p.loc[pd.Timestamp(start) - pd.Timedelta(days=10):pd.Timestamp(end)]
    if len(window) < 2:
        return None
    change = np.log(window).diff().loc[pd.Timestamp(start):]
    if change.empty or change.max() < min_log_jump:
        return None
    return change.idxmax()


def phase_of(dates: pd.DatetimeIndex, roll: pd.Timestamp | None = None) -> pd.Series:
    """Trading phase (1–4) of each date; observations from ``roll`` on are Phase 2 or later."""
    years = pd.Series(dates.year, index=dates)
    phase = pd.Series(4, index=dates)
    for n, _, _first, last in reversed(PHASES[:-1]):
        phase[years <= last] = n
    if roll is not None:
        phase[(dates >= roll) & (phase == 1)] = 2
        phase[(dates < roll)] = 1
    return phase.astype("int64")


def mark_phases(prices: pd.DataFrame, roll: pd.Timestamp | str | None = "auto") -> pd.DataFrame:
    """Add ``phase`` and ``phase_label`` columns.

    Parameters
    ----------
    prices : pandas.DataFrame
        From :func:`carbonlib.pricefiles.read_prices`.
    roll : "auto", date or None
        The Phase 1 → Phase 2 contract roll: detected (``"auto"``), given (a date
        ``YYYY-MM-DD``), or ``None`` for none (calendar years only).

    Raises
    ------
    InputError
        If ``roll`` is neither ``"auto"``, a date nor ``None``.
    """
    if isinstance(roll, str):
        if roll == "auto":
            roll = detect_roll(prices)
        else:
            try:
                roll = pd.Timestamp(roll)
            except ValueError:
                raise InputError(f"roll_date {roll!r}: use 'auto', a date YYYY-MM-DD or None") from None
    out = prices.copy()
    out["phase"] = phase_of(out.index, roll).to_numpy()
    out["phase_label"] = out["phase"].map(PHASE_LABELS)
    out.attrs = dict(prices.attrs, roll=None if roll is None else roll.strftime("%Y-%m-%d"))
    return out


def log_returns(prices: pd.DataFrame) -> pd.Series:
    """Daily log returns that never cross a phase boundary (nor the contract roll).

    Duplicate dates keep their first row; non-positive prices give no return.
    """
    p = prices.loc[~prices.index.duplicated()]
    price = p["price_eur_per_t"].where(p["price_eur_per_t"] > 0)
    r = np.log(price).groupby(p["phase"]).diff()
    return r.rename("log_return")


def rolling_volatility(returns: pd.Series, window: int = 20, trading_days: int = 252) -> pd.Series:
    """Annualised rolling standard deviation of log returns (share per year)."""
    if window < 2:
        raise InputError(f"vol_window: needs at least 2 observations, got {window}")
    return (returns.rolling(window, min_periods=window).std() * math.sqrt(trading_days)).rename("volatility")


def describe_by_phase(prices: pd.DataFrame, returns: pd.Series) -> pd.DataFrame:
    """Descriptive statistics of prices and log returns per phase.

    Returns
    -------
    pandas.DataFrame
        One row per phase: first and last date, observations, min/mean/max close (EUR/t),
        date of the highest close, mean daily log return, annualised volatility.
    """
    p = prices.loc[~prices.index.duplicated()]
    rows = []
    for phase, grp in p.groupby("phase"):
        r = returns.loc[grp.index].dropna()
        price = grp["price_eur_per_t"]
        rows.append({
            "phase": PHASE_LABELS[phase], "first_date": grp.index.min().date(), "last_date": grp.index.max().date(),
            "observations": len(grp), "min_eur_per_t": price.min(), "mean_eur_per_t": round(price.mean(), 4),
            "max_eur_per_t": price.max(), "max_date": price.idxmax().date(),
            "mean_log_return_per_day": round(r.mean(), 6),
            "volatility_per_year": round(r.std() * math.sqrt(252), 4),
        })
    return pd.DataFrame(rows).set_index("phase")


# --------------------------------------------------------------------------------------------
# Statistical tests
# --------------------------------------------------------------------------------------------

def _verdict(adf_p: float, kpss_p: float, alpha: float) -> str:
    if adf_p < alpha and kpss_p >= alpha:
        return "stationary"
    if adf_p >= alpha and kpss_p < alpha:
        return "unit root"
    return "inconclusive"


def unit_root_tests(prices: pd.DataFrame, returns: pd.Series, alpha: float = TEST_LEVEL) -> pd.DataFrame:
    """ADF and KPSS tests on log prices and on log returns, per phase (statsmodels).

    ADF's null is a unit root, KPSS's null is stationarity (level); the verdict reads both at
    ``alpha``. KPSS p-values outside its table are reported at the table's bound (0.01 or 0.10).

    Returns
    -------
    pandas.DataFrame
        One row per phase and series: ``adf_stat``, ``adf_p``, ``adf_lags``, ``kpss_stat``,
        ``kpss_p``, ``verdict``.
    """
    import warnings

    from statsmodels.tools.sm_exceptions import InterpolationWarning
    from statsmodels.tsa.stattools import adfuller, kpss

    p = prices.loc[~prices.index.duplicated()]
    rows = []
    for phase, grp in p.groupby("phase"):
        logp = np.log(grp["price_eur_per_t"].where(grp["price_eur_per_t"] > 0)).dropna()
        for series_name, x in (("log price", logp), ("log return", returns.loc[grp.index].dropna())):
            if len(x) < MIN_UNIT_ROOT_OBS:
                continue
            adf = adfuller(x.to_numpy(), autolag="AIC", result_object=False)
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", InterpolationWarning)
                k = kpss(x.to_numpy(), regression="c", nlags="auto", result_object=False)
            rows.append({"phase": PHASE_LABELS[phase], "series": series_name, "observations": len(x),
                         "adf_stat": round(adf[0], 4), "adf_p": round(adf[1], 4), "adf_lags": adf[2],
                         "kpss_stat": round(k[0], 4), "kpss_p": round(k[1], 4),
                         "verdict": _verdict(adf[1], k[1], alpha)})
    return pd.DataFrame(rows)


def chow_test(prices: pd.DataFrame, break_date: str | pd.Timestamp, window: int = 60) -> dict:
    """Chow test for a break in an AR(1) model of the log price at ``break_date``.

    The model ``log p_t = a + b log p_{t-1} + e_t`` is fitted by OLS (statsmodels) on the
    ``window`` trading days before the date and the ``window`` from it on, pooled and
    separately; lags never cross a phase boundary.

    Returns
    -------
    dict
        ``break_date``, ``n_before``, ``n_after``, ``f_stat``, ``p_value`` and the mean daily
        log return and annualised volatility before and after.

    Raises
    ------
    InputError
        If either side has fewer than 10 usable observations.
    """
    import statsmodels.api as sm
    from scipy import stats

    bd = pd.Timestamp(break_date)
    before, after = _break_sample(prices, bd, window)
    if len(before) < MIN_BREAK_SIDE or len(after) < MIN_BREAK_SIDE:
        raise InputError(f"break date {bd:%Y-%m-%d}: the series has {len(before)} usable days before "
                         f"and {len(after)} after; at least {MIN_BREAK_SIDE} each are needed")

    def ssr(part):
        return sm.OLS(part["y"], sm.add_constant(part["y_lag"])).fit().ssr

    pooled = pd.concat([before, after])
    k = 2
    s1, s2, sp = ssr(before), ssr(after), ssr(pooled)
    dof = len(pooled) - 2 * k
    f_stat = ((sp - (s1 + s2)) / k) / ((s1 + s2) / dof)
    ret_b, ret_a = (before["y"] - before["y_lag"]), (after["y"] - after["y_lag"])
    return {"break_date": bd.date(), "n_before": len(before), "n_after": len(after),
            "f_stat": round(float(f_stat), 4), "p_value": float(stats.f.sf(f_stat, k, dof)),
            "mean_return_before": round(float(ret_b.mean()), 6), "mean_return_after": round(float(ret_a.mean()), 6),
            "volatility_before": round(float(ret_b.std() * math.sqrt(252)), 4),
            "volatility_after": round(float(ret_a.std() * math.sqrt(252)), 4)}


def _break_sample(prices: pd.DataFrame, bd: pd.Timestamp, window: int) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The AR(1) observations (``y``, ``y_lag``) of the ``window`` trading days before ``bd`` and from it on."""
    if window < MIN_BREAK_SIDE:
        raise InputError(f"break_window: needs at least {MIN_BREAK_SIDE} trading days, got {window}")
    p = prices.loc[~prices.index.duplicated()]
    logp = np.log(p["price_eur_per_t"].where(p["price_eur_per_t"] > 0))
    frame = pd.DataFrame({"y": logp, "y_lag": logp.groupby(p["phase"]).shift(1)}).dropna()
    return frame.loc[frame.index < bd].tail(window), frame.loc[frame.index >= bd].head(window)


@dataclass
class ArimaResult:
    """An ARIMA fit on log prices: its summary tables and the forecast in EUR/t."""

    order: tuple[int, int, int]
    start: pd.Timestamp
    end: pd.Timestamp
    observations: int
    coefficients: pd.DataFrame
    diagnostics: pd.DataFrame
    forecast: pd.DataFrame
    fitted_tail: pd.Series


def fit_arima(prices: pd.DataFrame, start: str = "2021-01-01", order: tuple[int, int, int] = (1, 1, 1),
              horizon_days: int = 20, alpha: float = TEST_LEVEL) -> ArimaResult:
    """Fit an ARIMA model (statsmodels) to the log close from ``start`` and forecast ahead.

    The sample must lie within one phase, so it never crosses the Phase 1 → Phase 2 roll.
    Time is counted in trading days (the series has no fixed calendar frequency).

    Returns
    -------
    ArimaResult
        Coefficients with standard errors and p-values; diagnostics (AIC, BIC and Ljung–Box
        tests of residual autocorrelation at lags 5, 10 and 20); the forecast of the next
        ``horizon_days`` trading days as price (EUR/t) with a ``1 - alpha`` interval.
    """
    from statsmodels.stats.diagnostic import acorr_ljungbox
    from statsmodels.tsa.arima.model import ARIMA

    if horizon_days < 1:
        raise InputError(f"forecast horizon: needs at least 1 trading day, got {horizon_days}")
    if any(int(o) < 0 for o in order):
        raise InputError(f"arima order {order}: orders must be non-negative integers")
    sample = _arima_sample(prices, start)
    if sample["phase"].nunique() > 1:
        raise InputError(f"arima_start {start}: the sample spans phases {sorted(sample['phase'].unique())}; "
                         "start it within the last phase")
    if len(sample) < MIN_ARIMA_OBS:
        raise InputError(f"arima_start {start}: only {len(sample)} observations from that date; need {MIN_ARIMA_OBS}")
    y = np.log(sample["price_eur_per_t"].to_numpy())
    res = ARIMA(y, order=tuple(int(o) for o in order)).fit()
    names = res.model.param_names
    coef = pd.DataFrame({"coefficient": res.params, "std_error": res.bse, "p_value": res.pvalues},
                        index=names).round(6)
    lb = acorr_ljungbox(res.resid[int(order[1]):], lags=[5, 10, 20])
    diag = pd.DataFrame({"statistic": ["AIC", "BIC"] + [f"Ljung–Box Q({lag})" for lag in lb.index],
                         "value": [res.aic, res.bic] + list(lb["lb_stat"]),
                         "p_value": [np.nan, np.nan] + list(lb["lb_pvalue"])}).round(4)
    fc = res.get_forecast(horizon_days)
    ci = fc.conf_int(alpha=alpha)
    forecast = pd.DataFrame({"trading_day_ahead": np.arange(1, horizon_days + 1),
                             "price_eur_per_t": np.exp(fc.predicted_mean),
                             "lower_eur_per_t": np.exp(ci[:, 0]), "upper_eur_per_t": np.exp(ci[:, 1])}).round(4)
    return ArimaResult(order=tuple(int(o) for o in order), start=sample.index.min(), end=sample.index.max(),
                       observations=len(sample), coefficients=coef, diagnostics=diag, forecast=forecast,
                       fitted_tail=sample["price_eur_per_t"].tail(120))


def _arima_sample(prices: pd.DataFrame, start: str | pd.Timestamp) -> pd.DataFrame:
    """The rows of an ARIMA sample: one per date, from ``start`` on."""
    p = prices.loc[~prices.index.duplicated()]
    return p.loc[p.index >= pd.Timestamp(start)]


# --------------------------------------------------------------------------------------------
# What a history can support
# --------------------------------------------------------------------------------------------

#: The sections of workbook 06 whose data a history may lack, in the paper's order.
SECTIONS = ("fig4_window", "rolling_volatility", "unit_root_tests", "break_tests", "arima_model", "history_comparison")


def _day(ts) -> str:
    return f"{pd.Timestamp(ts):%Y-%m-%d}"


def _break_note(prices: pd.DataFrame, event: str, date, window: int) -> str:
    """Why the Chow test at ``date`` cannot be run on ``prices`` ("" if it can)."""
    bd = pd.Timestamp(date)
    before, after = _break_sample(prices, bd, window)
    if len(before) >= MIN_BREAK_SIDE and len(after) >= MIN_BREAK_SIDE:
        return ""
    if prices.index.min() >= bd:
        return f"This history starts on {_day(prices.index.min())}, so the break at the {event} ({_day(bd)}) cannot be tested."
    if prices.index.max() < bd:
        return f"This history ends on {_day(prices.index.max())}, so the break at the {event} ({_day(bd)}) cannot be tested."
    return (f"This history has {len(before)} usable trading days before the {event} ({_day(bd)}) and {len(after)} "
            f"from it on, fewer than the {MIN_BREAK_SIDE} on each side that a break test needs, so it is not tested.")


def usable_breaks(prices: pd.DataFrame, dates: dict[str, str | None], window: int = 60) -> dict[str, str]:
    """The named break dates that ``prices`` holds enough trading days around for :func:`chow_test`.

    Dates given as ``None`` (no roll, say) are left out, as are dates with fewer than
    :data:`MIN_BREAK_SIDE` usable days on either side; :func:`coverage` says why.

    Examples
    --------
    >>> idx = pd.bdate_range("2021-01-04", periods=100)
    >>> p = pd.DataFrame({"price_eur_per_t": np.linspace(30, 40, 100), "phase": 4}, index=idx)
    >>> usable_breaks(p, {"release": "2006-04-25", "middle": "2021-03-01", "roll": None})
    {'middle': '2021-03-01'}
    """
    return {name: date for name, date in dates.items() if date and not _break_note(prices, name, date, window)}


def coverage(prices: pd.DataFrame | None, *, fig4_window: tuple[str, str], vol_window: int,
             break_dates: dict[str, str | None], break_window: int, arima_start: str,
             comparison: pd.DataFrame | None = None) -> pd.DataFrame:
    """What a price history can support: for each section of workbook 06, whether it is built and why not.

    A history of any span is valid (the last few years, Phase 2 alone, a few weeks). A section
    whose data the history lacks is not drawn or tested; its note says why in one sentence,
    naming the history's first or last date, the count it has and the count it needs.

    Parameters
    ----------
    prices : pandas.DataFrame or None
        From :func:`carbonlib.pricefiles.load_history` (phases marked); ``None``: no history.
    fig4_window : (str, str)
        First and last date (``YYYY-MM-DD``) of the 圖4-style price and volume chart.
    vol_window : int
        Rolling volatility window, trading days.
    break_dates : dict
        ``{event: date or None}`` of the Chow tests; ``None`` dates are not tested and not noted.
    break_window : int
        Trading days on each side of a break date.
    arima_start : str
        First date of the ARIMA sample.
    comparison : pandas.DataFrame, optional
        A second history, compared on common dates.

    Returns
    -------
    pandas.DataFrame
        Indexed by ``section`` (:data:`SECTIONS`): ``supported`` (bool) and ``note`` (an English
        sentence for the paper, one per line, ``""`` when there is nothing to say). Without a
        history every section is unsupported with an empty note: the narrative says so once.
        ``unit_root_tests`` may be supported with a note (some phases too short to test), and
        ``break_tests`` is supported when one of its dates can be tested (the note names the
        others). ``history_comparison`` is unsupported, with an empty note, when no second
        history is given.

    References
    ----------
    000_318ba4d3771c8f90.txt, section 三.3 and 圖4 (the window of the report's chart).

    Examples
    --------
    >>> idx = pd.bdate_range("2024-03-18", periods=16)
    >>> p = pd.DataFrame({"price_eur_per_t": np.linspace(57, 61, 16), "phase": 4}, index=idx)
    >>> c = coverage(p, fig4_window=("2006-02-01", "2008-03-31"), vol_window=20,
    ...              break_dates={"verified-emissions release": "2006-04-25"}, break_window=60,
    ...              arima_start="2021-01-01")
    >>> c["supported"].tolist()
    [False, False, False, False, False, False]
    >>> print(c.loc["break_tests", "note"])
    This history starts on 2024-03-18, so the break at the verified-emissions release (2006-04-25) cannot be tested.
    """
    rows = dict.fromkeys(SECTIONS, (False, ""))
    if prices is None:
        return coverage_frame(rows)
    first, last = _day(prices.index.min()), _day(prices.index.max())
    start, end = fig4_window
    in_window = prices.loc[(prices.index >= pd.Timestamp(start)) & (prices.index <= pd.Timestamp(end))]
    rows["fig4_window"] = (True, "") if len(in_window) else (
        False, f"This history covers {first} to {last}, none of the window of 圖4 ({start} to {end}), so that chart is not drawn.")
    returns = log_returns(prices)
    if rolling_volatility(returns, vol_window).notna().any():
        rows["rolling_volatility"] = (True, "")
    else:
        longest = int(returns.notna().groupby(prices.loc[~prices.index.duplicated(), "phase"]).sum().max())
        rows["rolling_volatility"] = (False, f"This history has at most {longest} daily returns within one phase, fewer than the "
                                     f"{vol_window}-day window, so the rolling volatility is not drawn.")
    p = prices.loc[~prices.index.duplicated()]
    counts = p.groupby("phase").size()
    short = [int(n) for n, k in counts.items() if k < MIN_UNIT_ROOT_OBS + 1]  # a return series one shorter
    if len(short) == len(counts) and counts.max() < MIN_UNIT_ROOT_OBS:
        rows["unit_root_tests"] = (False, f"No phase of this history has the {MIN_UNIT_ROOT_OBS} observations that a "
                                     "unit-root test needs, so the ADF and KPSS tests are not run.")
    elif short:
        names = ", ".join(PHASE_LABELS[n] for n in short)
        rows["unit_root_tests"] = (True, f"Series with fewer than {MIN_UNIT_ROOT_OBS} observations in a phase are not "
                                    f"tested: {names}.")
    else:
        rows["unit_root_tests"] = (True, "")
    notes = [_break_note(prices, event, date, break_window) for event, date in break_dates.items() if date]
    tested = [n for n in notes if not n]
    rows["break_tests"] = (bool(tested), "\n".join(n for n in notes if n))
    sample = _arima_sample(prices, arima_start)
    if sample.empty:
        rows["arima_model"] = (False, f"This history ends on {last}, before the ARIMA sample's first date ({arima_start}), "
                                "so no ARIMA model is fitted.")
    elif sample["phase"].nunique() > 1:
        rows["arima_model"] = (False, f"The ARIMA sample from {arima_start} spans Phases {sample['phase'].min()} to "
                                f"{sample['phase'].max()}, so no model is fitted: arima_start must lie within one phase.")
    elif len(sample) < MIN_ARIMA_OBS:
        rows["arima_model"] = (False, f"This history has {len(sample)} closes from {arima_start}, fewer than the "
                                f"{MIN_ARIMA_OBS} an ARIMA model needs, so none is fitted.")
    else:
        rows["arima_model"] = (True, "")
    if comparison is not None:
        common = prices.index.unique().intersection(comparison.index.unique())
        rows["history_comparison"] = (True, "") if len(common) else (
            False, "The two histories share no dates, so they cannot be compared.")
    return coverage_frame(rows)


def skipped(coverage_frame: pd.DataFrame, history: pd.DataFrame | None) -> list[str]:
    """The sections a given history cannot support (``[]`` without a history: nothing was attempted).

    Examples
    --------
    >>> c = pd.DataFrame({"supported": [True, False], "note": ["", "why"]}, index=["a", "b"])
    >>> skipped(c, pd.DataFrame()), skipped(c, None)
    (['b'], [])
    """
    if history is None:
        return []
    return [s for s, row in coverage_frame.iterrows() if not row["supported"] and row["note"]]


# --------------------------------------------------------------------------------------------
# The report's quoted facts
# --------------------------------------------------------------------------------------------

def check_facts(prices: pd.DataFrame | None, facts: pd.DataFrame, around_tolerance_pct: float = 10.0) -> pd.DataFrame:
    """Check the report's quoted price facts against a price history.

    Parameters
    ----------
    prices : pandas.DataFrame or None
        From :func:`mark_phases`; ``None`` when no price file was given (every fact is then
        listed as quoted, with status ``no price file``).
    facts : pandas.DataFrame
        The ``prices_quoted_figures`` dataset (``key``, ``value``, ``unit``, ``quote_zh`` …).
    around_tolerance_pct : float
        How far, in percent, a price may be from a figure quoted as "about" (左右).

    Returns
    -------
    pandas.DataFrame
        Per fact: ``key``, ``quoted``, ``observed``, ``observed_on`` (where it applies),
        ``how_observed`` and ``status`` (agrees, disagrees, not checkable, no price file).

    References
    ----------
    000_318ba4d3771c8f90.txt, section 三.3, around 圖4.
    """
    rows = []
    for fact in facts.itertuples(index=False):
        row = {"key": fact.key, "quoted": fact.value, "unit": fact.unit, "quote_zh": fact.quote_zh,
               "observed": np.nan, "observed_on": "", "how_observed": "", "status": "no price file"}
        if prices is not None:
            row.update(_observe(fact.key, fact.value, prices, around_tolerance_pct))
        rows.append(row)
    return pd.DataFrame(rows)


def _observe(key: str, value: float, prices: pd.DataFrame, tol_pct: float) -> dict:
    p = prices.loc[~prices.index.duplicated()]
    close = p["price_eur_per_t"]
    ph1 = close[p["phase"] == 1]
    if key == "phase1_peak_eur_per_t":
        if ph1.empty:
            return {"status": "not checkable", "how_observed": "no Phase 1 data"}
        return {"observed": ph1.max(), "observed_on": f"{ph1.idxmax():%Y-%m-%d}",
                "how_observed": "highest Phase 1 close",
                "status": "agrees" if abs(ph1.max() - value) < 0.005 else "disagrees"}
    if key == "phase1_initial_over_eur_per_t":
        early = ph1.loc[:"2006-04-30"]
        if early.empty:
            return {"status": "not checkable", "how_observed": "no Phase 1 data before May 2006"}
        return {"observed": early.max(), "observed_on": f"{early.idxmax():%Y-%m-%d}",
                "how_observed": "highest close before the May 2006 collapse",
                "status": "agrees" if early.max() > value else "disagrees"}
    if key == "phase1_low_below_eur_per_t":
        below = ph1[ph1 < value]
        if ph1.empty:
            return {"status": "not checkable", "how_observed": "no Phase 1 data"}
        if below.empty:
            return {"observed": ph1.min(), "observed_on": f"{ph1.idxmin():%Y-%m-%d}",
                    "how_observed": "lowest Phase 1 close", "status": "disagrees"}
        return {"observed": below.iloc[0], "observed_on": f"{below.index[0]:%Y-%m-%d}",
                "how_observed": f"first Phase 1 close below {value:g} (lowest {ph1.min():g})", "status": "agrees"}
    if key == "phase2_around_eur_per_t":
        ph2 = close[(p["phase"] == 2) & (p.index <= pd.Timestamp("2008-04-09"))]
        if ph2.empty:
            return {"status": "not checkable", "how_observed": "no Phase 2 data up to 2008-04-09"}
        mean = ph2.mean()
        ok = abs(mean - value) <= value * tol_pct / 100
        return {"observed": round(mean, 2), "observed_on": f"{ph2.index.min():%Y-%m-%d} to {ph2.index.max():%Y-%m-%d}",
                "how_observed": f"mean Phase 2 close up to the report's last date (2008-04-09); 'about' = ±{tol_pct:g} %",
                "status": "agrees" if ok else "disagrees"}
    if key == "dec13_first_trade_eur_per_t":
        day = close.loc[close.index == pd.Timestamp("2008-04-09")]
        observed = day.iloc[0] if len(day) else np.nan
        return {"observed": observed, "observed_on": "2008-04-09" if len(day) else "",
                "how_observed": "front-December (Dec-08) close that day, for reference: the file has no Dec-13 contract",
                "status": "not checkable"}
    return {"status": "not checkable", "how_observed": "no rule to observe this fact"}


# --------------------------------------------------------------------------------------------
# Two series compared
# --------------------------------------------------------------------------------------------

def compare_series(a: pd.DataFrame, b: pd.DataFrame) -> pd.DataFrame:
    """Compare two price histories on their common dates, year by year.

    Returns
    -------
    pandas.DataFrame
        Per year: common days, days only in ``a`` or ``b``, share of identical closes, median
        ratio b/a, largest absolute difference (EUR/t) and its date.
    """
    pa = a.loc[~a.index.duplicated(), "price_eur_per_t"]
    pb = b.loc[~b.index.duplicated(), "price_eur_per_t"]
    both = pd.concat({"a": pa, "b": pb}, axis=1, sort=True)
    rows = []
    for year, grp in both.groupby(both.index.year):
        common = grp.dropna()
        diff = (common["b"] - common["a"]).abs()
        rows.append({"year": int(year), "common_days": len(common),
                     "only_a": int(grp["a"].notna().sum() - len(common)),
                     "only_b": int(grp["b"].notna().sum() - len(common)),
                     "identical_share": round(float((diff < 0.005).mean()), 4) if len(common) else np.nan,
                     "median_ratio_b_to_a": round(float((common["b"] / common["a"]).median()), 4) if len(common) else np.nan,
                     "max_abs_diff_eur_per_t": round(float(diff.max()), 4) if len(common) else np.nan,
                     "max_diff_date": diff.idxmax().date() if len(common) else None})
    return pd.DataFrame(rows).set_index("year")


def break_tests(prices: pd.DataFrame, dates: dict[str, str | None], window: int = 60) -> pd.DataFrame:
    """:func:`chow_test` at several named dates, one row each (dates given as ``None`` are skipped).

    Examples
    --------
    >>> idx = pd.bdate_range("2006-01-02", periods=200)
    >>> p = pd.DataFrame({"price_eur_per_t": np.r_[np.full(100, 20.0), np.full(100, 10.0)]
    ...                   * np.exp(np.random.default_rng(0).normal(0, 0.01, 200))}, index=idx)
    >>> p["phase"] = 1
    >>> break_tests(p, {"midpoint": str(idx[100].date())}, window=60)["n_before"].item()
    60
    """
    rows = [{"event": name, **chow_test(prices, date, window)} for name, date in dates.items() if date]
    if not rows:
        return pd.DataFrame(columns=["event", "break_date", "n_before", "n_after", "f_stat", "p_value"]).set_index("event")
    return pd.DataFrame(rows).set_index("event")


def describe_source(prices: pd.DataFrame | None, role: str = "Price history") -> str:
    """One line saying which price file was read (or that none was), for the paper.

    Only the file's name and hash are shown: the path is machine-specific. For a plain file
    the line says how it was read (separator, decimal mark, order of the date parts, the price
    column and the columns ignored). A file whose name contains "synthetic" (such as the
    project's test history) is labelled illustrative.

    Examples
    --------
    >>> describe_source(None)
    'Price history: none given; only the quoted facts are shown.'
    >>> describe_source(None, "Second history")
    'Second history: none given.'
    """
    if prices is None:
        return f"{role}: none given" + ("; only the quoted facts are shown." if role == "Price history" else ".")
    a = prices.attrs
    name = Path(str(a.get("path"))).name
    synthetic = " — synthetic: illustrative, not observed prices" if "synthetic" in name.lower() else ""
    read_as = ""
    if a.get("format") == "plain":
        sep = {",": "','", ";": "';'", "\t": "tab"}.get(a.get("delimiter"), repr(a.get("delimiter")))
        read_as = (f": {sep}-separated, decimal {'comma' if a.get('decimal') == ',' else 'point'}, "
                   f"{a.get('date_order', 'year-first')} dates, prices from {a.get('price_column')!r}")
        if a.get("ignored_columns"):
            read_as += ", columns ignored: " + ", ".join(map(str, a["ignored_columns"]))
        read_as += ";"
    else:
        read_as = ","
    return (f"{role}: {name} ({a.get('format')} format{read_as} {a.get('order')}, {len(prices)} rows, "
            f"{prices.index.min():%Y-%m-%d} to {prices.index.max():%Y-%m-%d}, sha256 {str(a.get('sha256'))[:12]}…; "
            f"Phase 1 → 2 roll: {a.get('roll') or 'none'}){synthetic}")


# --------------------------------------------------------------------------------------------
# Figures for the prose (None-safe: a run without a history records None)
# --------------------------------------------------------------------------------------------

def _missing(x) -> bool:
    return x is None or (isinstance(x, float) and math.isnan(x)) or x is pd.NaT


def table_value(table: pd.DataFrame | None, row, column: str, scale: float = 1.0):
    """One cell of a result table, or ``None`` when the table, the row or the value is missing.

    Parameters
    ----------
    table : pandas.DataFrame or None
        A table of this module (``None`` when the run has no price history).
    row : object
        Index label of the row.
    column : str
        Column name.
    scale : float
        Multiplier for a number (100 turns a share into percent).

    Returns
    -------
    object or None
        A number (multiplied by ``scale``), a string (dates as ``YYYY-MM-DD``), or ``None``.

    Examples
    --------
    >>> t = pd.DataFrame({"p_value": [0.2, np.nan]}, index=["a", "b"])
    >>> table_value(t, "a", "p_value", 100), table_value(t, "b", "p_value"), table_value(None, "a", "p_value")
    (20.0, None, None)
    """
    if table is None or row not in table.index or column not in table.columns:
        return None
    value = table.loc[row, column]
    if isinstance(value, pd.Series):  # duplicate row labels: the first
        value = value.iloc[0]
    if _missing(value):
        return None
    if hasattr(value, "strftime"):
        return f"{value:%Y-%m-%d}"
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, int | float) and not isinstance(value, bool) and scale != 1.0:
        return float(value) * scale
    return value


def phase_stat(table: pd.DataFrame | None, phase: int, column: str, scale: float = 1.0):
    """A statistic of one phase from :func:`describe_by_phase` (``None`` if absent).

    Examples
    --------
    >>> t = pd.DataFrame({"volatility_per_year": [1.5]}, index=[PHASE_LABELS[1]])
    >>> phase_stat(t, 1, "volatility_per_year", 100), phase_stat(t, 2, "volatility_per_year")
    (150.0, None)
    """
    return table_value(table, PHASE_LABELS[phase], column, scale)


def count_rejected(table: pd.DataFrame | None, column: str = "p_value", alpha: float = TEST_LEVEL) -> int | None:
    """How many tests of a table reject their null at ``alpha`` (rows without a p-value ignored).

    Returns ``None`` without a table (no history was read).

    Examples
    --------
    >>> t = pd.DataFrame({"p_value": [0.001, 0.2, np.nan]})
    >>> count_rejected(t), count_rejected(None)
    (1, None)
    """
    if table is None:
        return None
    return int((table[column].dropna() < alpha).sum()) if len(table) else 0


def count_tests(table: pd.DataFrame | None, column: str = "p_value") -> int | None:
    """How many tests a table reports (rows with a p-value); ``None`` without a table.

    Examples
    --------
    >>> count_tests(pd.DataFrame({"p_value": [0.001, 0.2, np.nan]})), count_tests(None)
    (2, None)
    """
    if table is None:
        return None
    return int(table[column].notna().sum()) if len(table) else 0


def count_verdicts(tests: pd.DataFrame | None, series: str, verdict: str | None = None) -> int | None:
    """Rows of :func:`unit_root_tests` for ``series`` (with ``verdict``, if given); ``None`` without tests.

    Examples
    --------
    >>> t = pd.DataFrame({"series": ["log price", "log price", "log return"],
    ...                   "verdict": ["unit root", "inconclusive", "stationary"]})
    >>> count_verdicts(t, "log price"), count_verdicts(t, "log price", "unit root"), count_verdicts(None, "log price")
    (2, 1, None)
    """
    if tests is None:
        return None
    rows = tests[tests["series"] == series] if len(tests) else tests
    if verdict is not None and len(rows):
        rows = rows[rows["verdict"] == verdict]
    return int(len(rows))


def count_findings(findings: pd.DataFrame | None, kind: str | None = None,
                   explained: bool | None = None) -> int | None:
    """Findings of :func:`check_series`, of one ``kind`` and explained or not (``None``: any).

    Returns ``None`` when there are no findings because no history was read.

    Examples
    --------
    >>> f = pd.DataFrame({"kind": ["gap", "gap", "jump"], "date": pd.to_datetime(["2007-12-25", "2008-01-07",
    ...                   "2007-12-19"]), "detail": ["", "", ""], "explained": ["exchange holiday", "", ""]})
    >>> count_findings(f), count_findings(f, "gap", explained=False), count_findings(f, explained=True)
    (3, 1, 1)
    >>> count_findings(None) is None
    True
    """
    if findings is None:
        return None
    keep = pd.Series(True, index=findings.index)
    if kind is not None:
        keep &= findings["kind"] == kind
    if explained is not None:
        keep &= (findings["explained"] != "") == explained
    return int(keep.sum())


def roll_closes(prices: pd.DataFrame | None) -> tuple[float | None, float | None]:
    """The last close before the Phase 1 → 2 roll and the first from it (EUR/t).

    ``(None, None)`` without a history or a roll (``prices.attrs["roll"]``, set by
    :func:`mark_phases`).

    Examples
    --------
    >>> p = pd.DataFrame({"price_eur_per_t": [0.02, 0.03, 22.0]},
    ...                  index=pd.to_datetime(["2007-12-14", "2007-12-17", "2007-12-19"]))
    >>> p.attrs["roll"] = "2007-12-19"
    >>> roll_closes(p)
    (0.03, 22.0)
    """
    if prices is None or not prices.attrs.get("roll"):
        return None, None
    roll = pd.Timestamp(prices.attrs["roll"])
    close = prices.loc[~prices.index.duplicated(), "price_eur_per_t"]
    before, after = close.loc[close.index < roll], close.loc[close.index >= roll]
    return (float(before.iloc[-1]) if len(before) else None, float(after.iloc[0]) if len(after) else None)


def first_volume_date(prices: pd.DataFrame | None) -> str | None:
    """The first date with a traded volume (``YYYY-MM-DD``), ``None`` if the history has none.

    Examples
    --------
    >>> p = pd.DataFrame({"price_eur_per_t": [20.0, 21.0], "volume": [np.nan, 1000.0]},
    ...                  index=pd.to_datetime(["2007-12-18", "2007-12-19"]))
    >>> first_volume_date(p), first_volume_date(p.drop(columns="volume"))
    ('2007-12-19', None)
    """
    if prices is None or "volume" not in prices.columns:
        return None
    days = prices.index[prices["volume"].notna() & (prices["volume"] > 0)]
    return f"{days.min():%Y-%m-%d}" if len(days) else None


def comparison_summary(comparison: pd.DataFrame | None) -> dict:
    """The table of :func:`compare_series` in a few figures (every value ``None`` without it).

    Returns
    -------
    dict
        ``common_days`` (all years), ``identical_share_pct`` (identical closes among them,
        percent), ``years`` (years with common days), ``years_ratio_not_one`` (those whose
        median ratio is not 1), ``max_abs_diff_eur_per_t`` and ``max_diff_date`` (the largest
        absolute difference and its date).

    Examples
    --------
    >>> c = pd.DataFrame({"common_days": [100, 50], "identical_share": [1.0, 0.5], "median_ratio_b_to_a": [1.0, 0.98],
    ...                   "max_abs_diff_eur_per_t": [0.0, 1.25], "max_diff_date": ["2005-01-03", "2006-04-04"]},
    ...                  index=pd.Index([2005, 2006], name="year"))
    >>> s = comparison_summary(c)
    >>> s["common_days"], round(s["identical_share_pct"], 2), s["years_ratio_not_one"], s["max_diff_date"]
    (150, 83.33, 1, '2006-04-04')
    >>> comparison_summary(None)["common_days"] is None
    True
    """
    keys = ("common_days", "identical_share_pct", "years", "years_ratio_not_one", "max_abs_diff_eur_per_t",
            "max_diff_date")
    if comparison is None:
        return dict.fromkeys(keys)
    c = comparison[comparison["common_days"] > 0]
    days = int(c["common_days"].sum())
    if not days:
        return dict.fromkeys(keys) | {"common_days": 0, "years": 0}
    worst = c["max_abs_diff_eur_per_t"].idxmax()
    date = c.loc[worst, "max_diff_date"]
    return {"common_days": days,
            "identical_share_pct": float((c["identical_share"] * c["common_days"]).sum() / days * 100),
            "years": int(len(c)), "years_ratio_not_one": int((c["median_ratio_b_to_a"] != 1).sum()),
            "max_abs_diff_eur_per_t": float(c.loc[worst, "max_abs_diff_eur_per_t"]),
            "max_diff_date": None if _missing(date) else str(date)}


def arima_summary(arima: ArimaResult | None) -> dict:
    """An ARIMA fit of :func:`fit_arima` in a few figures (every value ``None`` without a fit).

    Returns
    -------
    dict
        ``observations``, ``first_date`` and ``last_date`` (``YYYY-MM-DD``) of the sample;
        ``ljung_box_tests`` and ``ljung_box_rejected`` (Ljung–Box tests, and those finding
        autocorrelation left in the residuals at :data:`TEST_LEVEL`); ``forecast_last``,
        ``lower_last`` and ``upper_last``, the forecast of the horizon's last day and its
        interval (EUR/t).

    Examples
    --------
    >>> arima_summary(None)["observations"] is None
    True
    """
    keys = ("observations", "first_date", "last_date", "ljung_box_tests", "ljung_box_rejected", "forecast_last",
            "lower_last", "upper_last")
    if arima is None:
        return dict.fromkeys(keys)
    last = arima.forecast.iloc[-1]
    return {"observations": int(arima.observations), "first_date": f"{arima.start:%Y-%m-%d}",
            "last_date": f"{arima.end:%Y-%m-%d}", "ljung_box_tests": count_tests(arima.diagnostics),
            "ljung_box_rejected": count_rejected(arima.diagnostics),
            "forecast_last": float(last["price_eur_per_t"]), "lower_last": float(last["lower_eur_per_t"]),
            "upper_last": float(last["upper_eur_per_t"])}


# --------------------------------------------------------------------------------------------
# Conditional volatility (arch)
# --------------------------------------------------------------------------------------------

#: Fewest daily returns within one phase for a GARCH(1,1) fit (:func:`garch_by_phase`).
MIN_GARCH_OBS = 250


@dataclass
class GarchResult:
    """GARCH(1,1) fits by phase: one row of estimates per phase and the conditional volatility."""

    estimates: pd.DataFrame
    volatility: pd.Series


def garch_by_phase(prices: pd.DataFrame, returns: pd.Series, trading_days: int = 252,
                   min_obs: int = MIN_GARCH_OBS) -> GarchResult:
    """Fit a GARCH(1,1) model (the ``arch`` package) to the daily log returns of each phase.

    The model is ``r_t = mu + e_t``, ``e_t = sigma_t z_t`` with ``z_t`` standard normal and
    ``sigma_t^2 = omega + alpha e_{t-1}^2 + beta sigma_{t-1}^2``, fitted by maximum likelihood
    on percent returns (100 × log return) within one phase, so a fit never spans the Phase 1 →
    Phase 2 roll. A phase with fewer than ``min_obs`` returns is not fitted.

    Parameters
    ----------
    prices : pandas.DataFrame
        A history with phases marked (:func:`mark_phases`).
    returns : pandas.Series
        Its log returns (:func:`log_returns`).
    trading_days : int
        Trading days a year, to annualise (252).
    min_obs : int
        Fewest returns of a phase to fit it (:data:`MIN_GARCH_OBS`).

    Returns
    -------
    GarchResult
        ``estimates``: one row per phase with returns (index: phase label): ``observations``,
        ``mu_pct_per_day``, ``omega``, ``alpha``, ``beta``, ``persistence`` (alpha + beta),
        ``unconditional_volatility_pct_per_year`` (empty when persistence ≥ 1),
        ``mean_conditional_volatility_pct_per_year``, ``converged`` (bool; empty where not
        fitted). ``volatility``: the annualised conditional volatility (% per year) of every
        fitted day.

    References
    ----------
    Bollerslev, T. (1986), Generalized autoregressive conditional heteroskedasticity, Journal of
    Econometrics 31(3), 307-327; the ``arch`` package, ``arch.univariate.arch_model``.

    Examples
    --------
    >>> rng = np.random.default_rng(0)
    >>> idx = pd.bdate_range("2021-01-04", periods=400)
    >>> p = pd.DataFrame({"price_eur_per_t": 50 * np.exp(np.cumsum(rng.normal(0, 0.02, 400))),
    ...                   "phase": 4}, index=idx)
    >>> fit = garch_by_phase(p, log_returns(p))
    >>> int(fit.estimates.loc["Phase 4 (2021–)", "observations"]), len(fit.volatility)
    (399, 399)
    """
    from arch import arch_model

    p = prices.loc[~prices.index.duplicated()]
    rows, vols = [], []
    for phase, grp in p.groupby("phase"):
        r = returns.reindex(grp.index).dropna() * 100
        row = {"phase": PHASE_LABELS[phase], "observations": len(r)}
        if len(r) >= min_obs:
            model = arch_model(r.to_numpy(), mean="Constant", vol="GARCH", p=1, q=1, dist="normal", rescale=False)
            res = model.fit(disp="off", show_warning=False)
            mu, omega, alpha, beta = (float(res.params[k]) for k in ("mu", "omega", "alpha[1]", "beta[1]"))
            persistence = alpha + beta
            cond = pd.Series(np.asarray(res.conditional_volatility) * math.sqrt(trading_days), index=r.index)
            row.update(mu_pct_per_day=round(mu, 6), omega=round(omega, 6), alpha=round(alpha, 6), beta=round(beta, 6),
                       persistence=round(persistence, 6),
                       unconditional_volatility_pct_per_year=(round(math.sqrt(omega / (1 - persistence) * trading_days), 4)
                                                              if persistence < 1 else None),
                       mean_conditional_volatility_pct_per_year=round(float(cond.mean()), 4),
                       converged=bool(res.convergence_flag == 0))
            vols.append(cond)
        rows.append(row)
    columns = ["phase", "observations", "mu_pct_per_day", "omega", "alpha", "beta", "persistence",
               "unconditional_volatility_pct_per_year", "mean_conditional_volatility_pct_per_year", "converged"]
    estimates = pd.DataFrame(rows).reindex(columns=columns).set_index("phase")
    volatility = (pd.concat(vols) if vols else pd.Series(dtype=float)).rename("conditional_volatility_pct_per_year")
    return GarchResult(estimates, volatility)

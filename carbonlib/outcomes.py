"""What happened next: the caps after the reports against verified emissions, and the cap after 2020.

Pure functions for workbook 08: the EEA's verified emissions of eight main activities summed by
year and set against a cap; the Phase 4 cap from its published 2021 quantity with a linear
reduction factor that may change in given years and one-off reductions (rebasing) or
increases; the year a path reaches zero; the Kyoto supply forecast of 000 表2 against the
units issued.

References
----------
Directive 2003/87/EC, Article 9, as amended by Directive (EU) 2018/410 (2.2 % from 2021) and
Directive (EU) 2023/959 (4.3 % from 2024, 4.4 % from 2028, 90 and 27 million rebasing, the
maritime increase); Commission Decision (EU) 2020/1722 (the 2021 quantity, 1 571 583 007, and
its annual reduction, 43 003 515). Sources and excerpts: ``data/published/ets_legal_constants.csv``.
001_b0950b57165db085.txt, section 二.(一) 3 (the Phase 3 cap); 000_318ba4d3771c8f90.txt, 表2 and
表3.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd

from carbonlib.errors import InputError
from carbonlib.validate import require_columns

#: The activity code of aviation in the EEA file (aviation has its own cap in Phase 3).
AVIATION = "10 Aviation"


def emissions_by_year(eea: pd.DataFrame, aviation: bool | None = None) -> pd.Series:
    """Verified emissions of the file's activities summed by year, t CO2e.

    Parameters
    ----------
    eea : pandas.DataFrame
        ``eea_sector_verified_emissions``: ``sector``, ``year``, ``emissions_mt`` (MtCO2e).
    aviation : bool or None
        ``None``: every activity; ``False``: the stationary activities only; ``True``: aviation only.

    Returns
    -------
    pandas.Series
        Indexed by ``year``, t CO2e (the file's Mt × 10^6).
    """
    require_columns(eea, ["sector", "year", "emissions_mt"], "verified emissions")
    rows = eea if aviation is None else eea[(eea["sector"] == AVIATION) == bool(aviation)]
    out = rows.groupby("year")["emissions_mt"].sum() * 1e6
    return out.rename("emissions_t").rename_axis("year")


def cap_against_emissions(cap_t: pd.Series, emissions_t: pd.Series) -> pd.DataFrame:
    """A cap and verified emissions year by year, over the years both have.

    Returns
    -------
    pandas.DataFrame
        Indexed by ``year``: ``cap_t``, ``emissions_t``, ``cap_minus_emissions_t`` and
        ``emissions_share_of_cap_pct`` (emissions / cap × 100).

    Raises
    ------
    InputError
        If the two share no year.

    Examples
    --------
    >>> cap_against_emissions(pd.Series({2013: 100.0, 2014: 90.0}), pd.Series({2014: 45.0}))["emissions_share_of_cap_pct"].tolist()
    [50.0]
    """
    years = cap_t.index.intersection(emissions_t.index)
    if years.empty:
        raise InputError("cap against emissions: the cap and the emissions share no year")
    c, e = cap_t.loc[years].astype(float), emissions_t.loc[years].astype(float)
    out = pd.DataFrame({"cap_t": c, "emissions_t": e, "cap_minus_emissions_t": c - e,
                        "emissions_share_of_cap_pct": e / c * 100})
    return out.rename_axis("year").sort_index()


def revised_path(first_year: int, first_cap_t: float, end_year: int, *, annual_reduction_t: float,
                 factor: float, factor_changes: Mapping[int, float] | None = None,
                 one_off_t: Mapping[int, float] | None = None, name: str = "cap_t") -> pd.Series:
    """A linear cap whose factor may rise in given years, with one-off changes, floored at zero.

    The annual reduction is ``annual_reduction_t`` while the factor is ``factor``, and
    ``annual_reduction_t × f / factor`` once a ``factor_changes`` year sets the factor ``f`` (the
    factor always applies to the same base). ``one_off_t`` subtracts an amount in a year, the
    level staying lower from then on (rebasing: positive; an increase such as maritime
    transport: negative). ``cap(y) = max(cap(y-1) - reduction(y) - one_off(y), 0)``.

    Parameters
    ----------
    first_year, first_cap_t : int, float
        The first year and its published cap, t CO2e (allowances).
    end_year : int
        Last year of the path.
    annual_reduction_t : float
        Published reduction a year at ``factor``, t CO2e.
    factor : float
        The linear reduction factor of ``annual_reduction_t`` (a share: 2.2 % is 0.022).
    factor_changes : mapping, optional
        ``{year: factor}``: the factor from that year on.
    one_off_t : mapping, optional
        ``{year: t CO2e}`` subtracted in that year (negative adds).

    Returns
    -------
    pandas.Series
        Indexed by ``year`` from ``first_year`` to ``end_year``, t CO2e, each year rounded to
        whole allowances (the path itself is carried unrounded).

    References
    ----------
    Directive 2003/87/EC, Article 9, as amended by Directive (EU) 2018/410 and (EU) 2023/959.

    Examples
    --------
    >>> revised_path(2021, 100.0, 2024, annual_reduction_t=10.0, factor=0.02,
    ...              factor_changes={2023: 0.04}, one_off_t={2024: 5.0}).tolist()
    [100.0, 90.0, 70.0, 45.0]
    """
    if not 0 < float(factor) <= 1:
        raise InputError(f"cap path: factor {factor} outside (0, 1] (give 2.2 % as 0.022)")
    if int(end_year) < int(first_year):
        raise InputError(f"cap path: end year {end_year} before first year {first_year}")
    changes = dict(factor_changes or {})
    for y, f in changes.items():
        if not 0 <= float(f) <= 1:
            raise InputError(f"cap path: factor {f} from {y} outside [0, 1] (give 4.3 % as 0.043)")
    extra = dict(one_off_t or {})
    years = np.arange(int(first_year), int(end_year) + 1)
    values, cap, f = [], float(first_cap_t), float(factor)
    for y in years:
        if y > first_year:
            f = float(changes.get(int(y), f))
            cap = max(cap - float(annual_reduction_t) * f / float(factor) - float(extra.get(int(y), 0.0)), 0.0)
        values.append(cap)
    return pd.Series(np.round(values), index=pd.Index(years, name="year"), name=name)


def zero_year(path: pd.Series, annual_reduction_t: float | None = None) -> int | None:
    """The first year a cap path reaches zero.

    If the path ends above zero and ``annual_reduction_t`` is given, the path is continued at
    that reduction a year; otherwise ``None``.

    Examples
    --------
    >>> zero_year(pd.Series({2021: 30.0, 2022: 20.0}), 10.0)
    2024
    >>> zero_year(pd.Series({2021: 30.0, 2022: 0.0}))
    2022
    """
    s = path.sort_index()
    hit = s[s <= 0]
    if not hit.empty:
        return int(hit.index[0])
    if not annual_reduction_t or annual_reduction_t <= 0:
        return None
    return int(s.index[-1] + int(np.ceil(float(s.iloc[-1]) / float(annual_reduction_t))))


def kyoto_outcome(supply: pd.DataFrame, outcomes: pd.DataFrame) -> pd.DataFrame:
    """000 表2's supply forecast of CDM, JI and GIS for 2008-2012 beside the units issued.

    Parameters
    ----------
    supply : pandas.DataFrame
        ``kyoto_supply`` (``source``, ``seller``, ``central_mtco2e``, ``low_mtco2e``, ``high_mtco2e``).
    outcomes : pandas.DataFrame
        ``kyoto_outcomes`` (``key``, ``source``, ``issued_mtco2e``, ``period``).

    Returns
    -------
    pandas.DataFrame
        One row per outcome figure: ``key``, ``source``, ``period``, the forecast's
        ``forecast_central_mtco2e``, ``forecast_low_mtco2e``, ``forecast_high_mtco2e`` (the
        subtotal row of the source), ``issued_mtco2e`` and ``within_forecast_range`` (empty where
        no figure or no range).
    """
    require_columns(outcomes, ["key", "source", "issued_mtco2e", "period"], "kyoto outcomes")
    require_columns(supply, ["source", "seller", "central_mtco2e", "low_mtco2e", "high_mtco2e"], "kyoto supply")
    sub = supply[supply["seller"].isin(["all_hosts", "subtotal"])].drop_duplicates("source").set_index("source")
    rows = []
    for _, o in outcomes.iterrows():
        f = sub.loc[o["source"]] if o["source"] in sub.index else None
        low = pd.to_numeric(f["low_mtco2e"], errors="coerce") if f is not None else np.nan
        high = pd.to_numeric(f["high_mtco2e"], errors="coerce") if f is not None else np.nan
        issued = o["issued_mtco2e"]
        within = pd.NA if pd.isna(issued) or pd.isna(low) or pd.isna(high) else bool(low <= issued <= high)
        rows.append({"key": o["key"], "source": o["source"], "period": o["period"],
                     "forecast_central_mtco2e": pd.to_numeric(f["central_mtco2e"], errors="coerce") if f is not None else np.nan,
                     "forecast_low_mtco2e": low, "forecast_high_mtco2e": high, "issued_mtco2e": issued,
                     "within_forecast_range": within})
    return pd.DataFrame(rows).set_index("key")


def emissions_coverage(eea: pd.DataFrame | None, emissions_start_t: float | None) -> pd.DataFrame:
    """What workbook 08 can build without a verified-emissions file.

    The cap is set against verified emissions only with the file; the reserve is projected
    when the assumed emission path has a start, from the file or from ``emissions_start_t``.
    The notes are empty: the narrative says once what a run without the file leaves out.

    Examples
    --------
    >>> emissions_coverage(None, 9e8)["supported"].tolist()
    [False, True]
    """
    from carbonlib.validate import coverage_frame

    return coverage_frame({"cap_against_emissions": (eea is not None, ""),
                           "msr_projection": (eea is not None or emissions_start_t is not None, "")})


def emission_start(eea: pd.DataFrame | None, emissions_start_t: float | None,
                   fallback_year: int) -> tuple[int, float] | None:
    """Year and level (t CO2e) from which the assumed emission path of the projection falls.

    ``emissions_start_t`` in the file's last year (or, without a file, in ``fallback_year``);
    without it, the file's total of its last year (all its activities, a lower bound of the
    system's emissions); ``None`` when there is neither.

    Examples
    --------
    >>> emission_start(None, 9e8, 2025), emission_start(None, None, 2025)
    ((2025, 900000000.0), None)
    """
    if eea is None:
        return None if emissions_start_t is None else (int(fallback_year), float(emissions_start_t))
    totals = emissions_by_year(eea)
    year = int(totals.index.max())
    return year, float(totals.iloc[-1] if emissions_start_t is None else emissions_start_t)


def against_summary(against: pd.DataFrame | None) -> dict:
    """The figures of :func:`cap_against_emissions` the prose quotes (``None`` each without a table).

    Returns
    -------
    dict
        ``last_year``, ``share_min_pct``, ``share_max_pct``, ``share_last_pct``,
        ``years_over_cap``, ``years_compared``.
    """
    if against is None:
        return dict.fromkeys(("last_year", "share_min_pct", "share_max_pct", "share_last_pct",
                              "years_over_cap", "years_compared"))
    share = against["emissions_share_of_cap_pct"]
    return {"last_year": int(against.index.max()), "share_min_pct": float(share.min()),
            "share_max_pct": float(share.max()), "share_last_pct": float(share.iloc[-1]),
            "years_over_cap": int((against["cap_minus_emissions_t"] < 0).sum()), "years_compared": len(against)}


#: Sections of workbook 08 a price history supports (:func:`price_coverage`).
PRICE_SECTIONS = ("price_path", "garch")


def price_coverage(history: pd.DataFrame | None, min_obs: int) -> pd.DataFrame:
    """What a price history supports in workbook 08: the price path from Phase 3 on, and GARCH.

    Without a history both are unsupported with an empty note (the narrative says so once).

    Examples
    --------
    >>> idx = pd.bdate_range("2024-03-18", periods=16)
    >>> p = pd.DataFrame({"price_eur_per_t": np.linspace(57, 61, 16), "phase": 4}, index=idx)
    >>> print(price_coverage(p, 250).loc["garch", "note"])
    No phase of this history has the 250 daily returns a GARCH(1,1) fit needs, so none is fitted.
    """
    from carbonlib.validate import coverage_frame

    rows = dict.fromkeys(PRICE_SECTIONS, (False, ""))
    if history is None:
        return coverage_frame(rows)
    later = history[history["phase"] >= 3]
    rows["price_path"] = (True, "") if len(later) else (
        False, f"This history ends on {history.index.max():%Y-%m-%d}, before Phase 3, so the price path since 2013 is not drawn.")
    counts = history.loc[~history.index.duplicated()].groupby("phase").size() - 1
    rows["garch"] = (True, "") if (counts >= min_obs).any() else (
        False, f"No phase of this history has the {min_obs} daily returns a GARCH(1,1) fit needs, so none is fitted.")
    return coverage_frame(rows)


def phase_prices(history: pd.DataFrame) -> pd.DataFrame:
    """Mean, first and last close of each phase in a history (EUR/t).

    Returns
    -------
    pandas.DataFrame
        Indexed by phase number: ``first_date``, ``last_date``, ``first_eur_per_t``,
        ``last_eur_per_t``, ``mean_eur_per_t``, ``max_eur_per_t``, ``max_date``.
    """
    p = history.loc[~history.index.duplicated()]
    rows = []
    for phase, grp in p.groupby("phase"):
        price = grp["price_eur_per_t"]
        rows.append({"phase": int(phase), "first_date": grp.index.min().date(), "last_date": grp.index.max().date(),
                     "first_eur_per_t": float(price.iloc[0]), "last_eur_per_t": float(price.iloc[-1]),
                     "mean_eur_per_t": round(float(price.mean()), 4), "max_eur_per_t": float(price.max()),
                     "max_date": price.idxmax().date()})
    return pd.DataFrame(rows).set_index("phase")


def mean_rose(by_phase: pd.DataFrame | None, earlier: int, later: int) -> bool | None:
    """Whether the mean close of phase ``later`` is above that of ``earlier`` (``None`` if one is missing).

    Examples
    --------
    >>> t = pd.DataFrame({"mean_eur_per_t": [14.1, 12.3]}, index=pd.Index([2, 3], name="phase"))
    >>> mean_rose(t, 2, 3), mean_rose(t, 2, 4), mean_rose(None, 2, 3)
    (False, None, None)
    """
    if by_phase is None or earlier not in by_phase.index or later not in by_phase.index:
        return None
    return bool(by_phase.loc[later, "mean_eur_per_t"] > by_phase.loc[earlier, "mean_eur_per_t"])


def year_peak(history: pd.DataFrame | None, year: int) -> tuple[float | None, str | None]:
    """The highest close of a calendar year in a history and its date (``(None, None)`` without one)."""
    if history is None:
        return None, None
    p = history.loc[history.index.year == int(year), "price_eur_per_t"]
    if p.empty:
        return None, None
    return float(p.max()), f"{p.idxmax():%Y-%m-%d}"


def zero_years(paths: Mapping[str, tuple[pd.Series, float]]) -> pd.DataFrame:
    """The year each cap path reaches zero, continuing a path at its last annual reduction.

    Parameters
    ----------
    paths : mapping
        ``{label: (path, annual reduction at the end of the path)}``, t CO2e.

    Returns
    -------
    pandas.DataFrame
        Indexed by ``path`` (the label): ``first_year``, ``first_cap_t``, ``final_reduction_t``
        and ``zero_year`` (empty if the path never falls).

    Examples
    --------
    >>> zero_years({"a": (pd.Series({2021: 30.0, 2022: 20.0}), 10.0)})["zero_year"].tolist()
    [2024]
    """
    rows = []
    for label, (path, reduction) in paths.items():
        s = path.dropna().sort_index()
        rows.append({"path": label, "first_year": int(s.index[0]), "first_cap_t": float(s.iloc[0]),
                     "final_reduction_t": float(reduction), "zero_year": zero_year(s, reduction)})
    out = pd.DataFrame(rows).set_index("path")
    out["zero_year"] = out["zero_year"].astype("Int64")
    return out


def msr_summary(check: pd.DataFrame) -> dict:
    """Counts of :func:`carbonlib.msr.check_published` for the prose.

    Returns
    -------
    dict
        ``publications``, ``first``, ``last``, ``tnac_found``, ``checkable`` (an intake
        published with its TNAC), ``agrees``, ``all_agree`` (bool).
    """
    checkable = check["status"].isin(["agrees", "discrepancy"])
    agrees = int((check["status"] == "agrees").sum())
    return {"publications": len(check), "first": int(check.index.min()), "last": int(check.index.max()),
            "tnac_found": int(check["tnac"].notna().sum()), "checkable": int(checkable.sum()), "agrees": agrees,
            "all_agree": bool(agrees == int(checkable.sum()))}


def projection_summary(projection: pd.DataFrame | None, upper_threshold_t: float) -> dict:
    """The figures of :func:`carbonlib.msr.project` the prose quotes.

    Returns
    -------
    dict
        ``first_year``, ``last_year``, ``tnac_end_t``, ``holdings_end_t``,
        ``intake_total_t`` (intake in the projected years), ``invalidated_total_t``,
        ``release_total_t``, ``first_year_at_or_below_upper`` (the first year whose end-of-year
        TNAC is at or below the upper threshold, or None); every one ``None`` without a projection.
    """
    if projection is None:
        return dict.fromkeys(("first_year", "last_year", "tnac_end_t", "holdings_end_t", "intake_total_t",
                              "invalidated_total_t", "release_total_t", "first_year_at_or_below_upper"))
    below = projection.index[projection["tnac_t"] <= upper_threshold_t]
    return {"first_year": int(projection.index.min()), "last_year": int(projection.index.max()),
            "tnac_end_t": int(projection["tnac_t"].iloc[-1]), "holdings_end_t": int(projection["holdings_t"].iloc[-1]),
            "intake_total_t": int(projection["intake_in_year_t"].sum()),
            "invalidated_total_t": int(projection["invalidated_t"].sum()),
            "release_total_t": int(projection["release_in_year_t"].sum()),
            "first_year_at_or_below_upper": int(below[0]) if len(below) else None}

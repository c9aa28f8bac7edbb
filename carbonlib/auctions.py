"""EU ETS Phase 3 auctions (001 表3-表5): volumes, member-state split, calendars, free shares.

表4 gives the auction volume of each year 2013-2020 and its total; 表3 splits the auctioned
volume among member states (88 % by 2005 emissions, 10 % solidarity, 2 % early action to nine
named states); 表5 lists platforms and auction days. The text adds aviation's 15 % auctioned,
the manufacturing free share (80 % in 2013 to 30 % in 2020) and the 5 % new-entrant reserve.

All functions are pure and vectorised: pandas objects in, pandas objects out.

References
----------
001_b0950b57165db085.txt, 表3 歐盟碳交易制度各階段排放額度分配方式; 表4 歐盟 2013-2020 各年可拍賣總額;
表5 歐盟碳交易平台; section 二.(三) 1-2.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd

from carbonlib import checks, validate
from carbonlib.calendar import PHASE3_YEARS, check_phase3_years
from carbonlib.errors import InputError
from carbonlib.validate import percent

#: 表3: split of the auctioned volume among member states, percent
SPLIT_PCT = {"emissions_2005": 88.0, "solidarity": 10.0, "early_action": 2.0}
#: member-state table column holding each component's weights
SPLIT_WEIGHTS = {"emissions_2005": "emissions_2005_weight", "solidarity": "solidarity_weight",
                 "early_action": "early_action_weight"}
WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
FREQUENCIES = ("weekly", "fortnightly", "monthly")


def volumes(t4: pd.DataFrame) -> pd.Series:
    """Yearly auction volumes of 表4 (the total row dropped), checked to be Phase 3 years.

    Parameters
    ----------
    t4 : pandas.DataFrame
        表4 layout: ``item``, ``year``, ``auction_volume_t`` (t CO2e), the total row with
        ``item == "total"``.

    Returns
    -------
    pandas.Series
        ``auction_volume_t`` per year (index ``year``).

    Raises
    ------
    InputError
        ``t4`` failing the schema of the resource ``auctions_volumes_t4``
        (:func:`carbonlib.validate.table`: missing columns, a year outside 2013-2020, a
        duplicate item or year, a negative or missing volume), or a row other than the total
        without a year.

    References
    ----------
    001_b0950b57165db085.txt, 表4.

    Examples
    --------
    >>> t4 = pd.DataFrame({"item": ["2013", "total"], "year": [2013, None],
    ...                    "auction_volume_t": [5.0, 5.0]})
    >>> volumes(t4).tolist()
    [5.0]
    """
    t4 = validate.table(t4, "auctions_volumes_t4", "t4", columns=["item", "year", "auction_volume_t"])
    rows = t4[t4["item"] != "total"]
    if rows["year"].isna().any():
        raise InputError("t4: a row other than 'total' has no year")
    years = check_phase3_years(rows["year"].to_numpy(dtype=int), "t4.year")
    values = rows["auction_volume_t"].to_numpy(dtype=float)
    return pd.Series(values, index=pd.Index(years, name="year"), name="auction_volume_t")


def check_total(t4: pd.DataFrame) -> pd.DataFrame:
    """表4's printed total versus the sum of its years.

    Parameters
    ----------
    t4 : pandas.DataFrame
        表4 layout (see :func:`volumes`), with a ``total`` row.

    Returns
    -------
    pandas.DataFrame
        One row (index ``total``) with the columns of :func:`carbonlib.checks.compare`
        (printed to whole tonnes, tolerance 0.5 t).

    Raises
    ------
    InputError
        No total row, or as :func:`volumes`.

    References
    ----------
    001_b0950b57165db085.txt, 表4 (總計 8,176,193,157).

    Examples
    --------
    >>> t4 = pd.DataFrame({"item": ["2013", "2014", "total"], "year": [2013, 2014, None],
    ...                    "auction_volume_t": [1.0, 2.0, 4.0]})
    >>> check_total(t4)["status"].tolist()
    ['discrepancy']
    """
    total = t4.loc[t4.get("item") == "total", "auction_volume_t"] if "item" in t4 else []
    if len(total) != 1:
        raise InputError("t4: needs exactly one row with item 'total'")
    printed = pd.Series({"total": float(total.iloc[0])})
    recomputed = pd.Series({"total": float(volumes(t4).sum())})
    return checks.compare(printed, recomputed, decimals=0)


def share_of_cap(auction_volume_t: pd.Series, cap_t: pd.Series) -> pd.DataFrame:
    """Auctioned volume as a share of the cap, per year.

    Parameters
    ----------
    auction_volume_t : pandas.Series
        Auction volume per year, t CO2e (表4).
    cap_t : pandas.Series
        Cap per year, t CO2e (e.g. :func:`carbonlib.cap.phase3_path`).

    Returns
    -------
    pandas.DataFrame
        Per year (index ``year``): ``auction_volume_t``, ``cap_t``, ``auction_share_pct``.

    Raises
    ------
    InputError
        A year of the volumes without a cap, or a non-positive cap.

    References
    ----------
    001_b0950b57165db085.txt, 表4 and section 二.(一) 3; text "目前超過 40%額度以拍賣方式提供".

    Examples
    --------
    >>> share_of_cap(pd.Series({2013: 1.0}), pd.Series({2013: 4.0}))["auction_share_pct"].tolist()
    [25.0]
    """
    cap = cap_t.reindex(auction_volume_t.index)
    if cap.isna().any():
        raise InputError(f"cap_t: no cap for year {cap.index[cap.isna()][0]}")
    if (cap <= 0).any():
        raise InputError(f"cap_t: non-positive cap in {cap.index[cap <= 0][0]}")
    out = pd.DataFrame({"auction_volume_t": auction_volume_t.astype(float), "cap_t": cap.astype(float)})
    out["auction_share_pct"] = out["auction_volume_t"] / out["cap_t"] * 100
    out.index.name = "year"
    return out


def split_by_member_state(
    auction_volume_t: pd.Series,
    member_states: pd.DataFrame,
    early_action_states=None,
    shares_pct: Mapping[str, float] | None = None,
) -> pd.DataFrame:
    """Split each year's auctioned volume among member states (表3: 88 / 10 / 2 %).

    Each component's share of the volume is divided pro rata to one column of
    ``member_states``: ``emissions_2005_weight`` (88 %), ``solidarity_weight`` (10 %)
    and ``early_action_weight`` (2 %).

    Parameters
    ----------
    auction_volume_t : pandas.Series
        Volume to split per year (index ``year``), t CO2e.
    member_states : pandas.DataFrame
        ``member_state`` and the three weight columns (non-negative); the table the user may
        replace (see ``auctions_member_states``, illustrative).
    early_action_states : sequence of str, optional
        The member states allowed a non-zero early-action weight (the nine named in 表3).
    shares_pct : mapping, optional
        Percent per component (``emissions_2005``, ``solidarity``, ``early_action``); must
        sum to 100. Defaults to 88 / 10 / 2.

    Returns
    -------
    pandas.DataFrame
        One row per member state and year: ``emissions_2005_t``, ``solidarity_t``,
        ``early_action_t``, ``total_t`` (t CO2e) and ``share_pct`` of the year's volume.

    Raises
    ------
    InputError
        ``member_states`` failing the schema of the resource ``auctions_member_states``
        (:func:`carbonlib.validate.table`: missing columns, a duplicate member state, a weight
        that is not a number, negative or missing, naming the state), an early-action weight for
        a state not named, shares that are negative, unknown or do not sum to 100, or a
        component with a positive share and all weights zero.

    References
    ----------
    001_b0950b57165db085.txt, 表3 (拍賣 row, 第三階段).

    Examples
    --------
    >>> ms = pd.DataFrame({"member_state": ["A", "B"], "emissions_2005_weight": [3.0, 1.0],
    ...                    "solidarity_weight": [0.0, 1.0], "early_action_weight": [0.0, 1.0]})
    >>> out = split_by_member_state(pd.Series({2013: 100.0}), ms)
    >>> out["total_t"].tolist()
    [66.0, 34.0]
    """
    shares = dict(SPLIT_PCT if shares_pct is None else shares_pct)
    unknown = set(shares) - set(SPLIT_PCT)
    if unknown:
        raise InputError(f"shares_pct: unknown component(s) {sorted(unknown)}; expected {sorted(SPLIT_PCT)}")
    for comp in SPLIT_PCT:
        shares[comp] = percent(shares.get(comp, 0.0), f"shares_pct[{comp!r}]")
    if abs(sum(shares.values()) - 100) > 1e-9:
        raise InputError(f"shares_pct: shares sum to {sum(shares.values())}, not 100")
    member_states = validate.table(member_states, "auctions_member_states", "member_states",
                                   columns=["member_state", *SPLIT_WEIGHTS.values()])
    states = member_states["member_state"].astype(str).to_numpy()
    weights = member_states[list(SPLIT_WEIGHTS.values())].to_numpy(dtype=float)
    if early_action_states is not None:
        allowed = set(map(str, early_action_states))
        extra = [s for s, w in zip(states, weights[:, 2], strict=True) if w > 0 and s not in allowed]
        if extra:
            raise InputError(f"early_action_weight: member state {extra[0]!r} is not one of the "
                             f"early-action states {sorted(allowed)}")
    totals = weights.sum(axis=0)
    pct = np.array([shares[c] for c in SPLIT_WEIGHTS])
    for comp, tot, p in zip(SPLIT_WEIGHTS, totals, pct, strict=True):
        if p > 0 and tot == 0:
            raise InputError(f"member_states: all {SPLIT_WEIGHTS[comp]} are zero but {comp} has {p} %")
    norm = np.divide(weights, totals, out=np.zeros_like(weights), where=totals > 0)  # (n, 3)
    per_unit = norm * pct / 100  # share of the volume per state and component
    vol = auction_volume_t.to_numpy(dtype=float)
    if (vol < 0).any():
        raise InputError(f"auction_volume_t: negative volume {vol[vol < 0][0]}")
    n, k = len(states), len(vol)
    parts = per_unit[:, None, :] * vol[None, :, None]  # (n, k, 3)
    out = pd.DataFrame({
        "member_state": np.repeat(states, k),
        "year": np.tile(np.asarray(auction_volume_t.index, dtype=int), n),
        "emissions_2005_t": parts[:, :, 0].ravel(),
        "solidarity_t": parts[:, :, 1].ravel(),
        "early_action_t": parts[:, :, 2].ravel(),
    })
    out["total_t"] = parts.sum(axis=2).ravel()
    out["share_pct"] = np.repeat(per_unit.sum(axis=1) * 100, k)
    return out


def free_share_path(years=PHASE3_YEARS, start_pct: float = 80.0, end_pct: float = 30.0) -> pd.Series:
    """Free share of manufacturing's allowances, linear from 2013 to 2020 (80 % to 30 %).

    Parameters
    ----------
    years : sequence of int
        Phase 3 years (2013-2020).
    start_pct, end_pct : float
        Free share in 2013 and in 2020, percent, in [0, 100].

    Returns
    -------
    pandas.Series
        ``free_share_pct`` per year (index ``year``); the auctioned share is 100 minus it.

    Raises
    ------
    InputError
        A year outside 2013-2020 or a share outside [0, 100].

    References
    ----------
    001_b0950b57165db085.txt, 表3 ("製造業可獲得 80%免費配額，但逐年減少到 2020 年僅 30%") and
    section 二.(三) 2.(3).

    Examples
    --------
    >>> round(float(free_share_path([2014])[2014]), 4)
    72.8571
    """
    yrs = check_phase3_years(years)
    a = percent(start_pct, "start_pct")
    b = percent(end_pct, "end_pct")
    values = a + (b - a) * (yrs - 2013) / 7
    return pd.Series(values, index=pd.Index(yrs, name="year"), name="free_share_pct")


def aviation_split(cap_t: pd.Series, auction_share_pct: float = 15.0) -> pd.DataFrame:
    """Aviation allowances auctioned and not auctioned, per year.

    Parameters
    ----------
    cap_t : pandas.Series
        Aviation cap per year, t CO2e (210,349,264 a year in Phase 3).
    auction_share_pct : float
        Percent auctioned (15), in [0, 100].

    Returns
    -------
    pandas.DataFrame
        Per year: ``cap_t``, ``auctioned_t``, ``not_auctioned_t`` (t CO2e).

    Raises
    ------
    InputError
        A share outside [0, 100] or a negative cap.

    References
    ----------
    001_b0950b57165db085.txt, section 二.(三) 1.(1) ("航空部門為 15%額度採用拍賣").

    Examples
    --------
    >>> aviation_split(pd.Series({2013: 100.0}))["auctioned_t"].tolist()
    [15.0]
    """
    share = percent(auction_share_pct, "auction_share_pct")
    if (cap_t < 0).any():
        raise InputError(f"cap_t: negative cap in {cap_t.index[cap_t < 0][0]}")
    out = pd.DataFrame({"cap_t": cap_t.astype(float)})
    out["auctioned_t"] = out["cap_t"] * share / 100
    out["not_auctioned_t"] = out["cap_t"] - out["auctioned_t"]
    out.index.name = "year"
    return out


def new_entrant_reserve(cap_t: pd.Series, share_pct: float = 5.0) -> pd.DataFrame:
    """New-entrant reserve: a share of each Phase 3 year's cap, and its 2013-2020 total.

    Parameters
    ----------
    cap_t : pandas.Series
        Cap per Phase 3 year, t CO2e.
    share_pct : float
        Percent reserved (5), in [0, 100].

    Returns
    -------
    pandas.DataFrame
        Per year and a ``total`` row: ``cap_t`` and ``reserve_t`` (t CO2e).

    Raises
    ------
    InputError
        A year outside 2013-2020, a share outside [0, 100] or a negative cap.

    References
    ----------
    001_b0950b57165db085.txt, section 二.(三) 2.(3) ("保留 5%額度給新進者"); 000_318ba4d3771c8f90.txt,
    section 三.2 point (6).

    Examples
    --------
    >>> float(new_entrant_reserve(pd.Series({2013: 100.0, 2014: 80.0})).loc["total", "reserve_t"])
    9.0
    """
    check_phase3_years(cap_t.index, "cap_t")
    share = percent(share_pct, "share_pct")
    if (cap_t < 0).any():
        raise InputError(f"cap_t: negative cap in {cap_t.index[cap_t < 0][0]}")
    out = pd.DataFrame({"cap_t": cap_t.astype(float), "reserve_t": cap_t.astype(float) * share / 100})
    out.index = out.index.astype(str)
    out.loc["total"] = out.sum()
    out.index.name = "year"
    return out


def auction_calendar(platforms: pd.DataFrame, year: int, nth_weekday: int = 1) -> pd.DataFrame:
    """Auction days of one year read from 表5's rules (weekly, fortnightly, monthly).

    ``weekly``: every listed weekday. ``fortnightly`` (每半月): every second listed weekday,
    starting with the first of the year. ``monthly`` (每月): the ``nth_weekday``-th listed
    weekday of each month. Which weekday of the month or fortnight is not printed, so the
    last two rules are assumptions; holidays and auction breaks are ignored.

    Parameters
    ----------
    platforms : pandas.DataFrame
        表5 layout: ``platform``, ``member_states_key``, ``frequency``, ``weekdays``
        (``;``-separated ``mon`` ... ``sun``).
    year : int
        Phase 3 year (2013-2020).
    nth_weekday : int
        For monthly rules, which occurrence of the weekday in the month (1-4).

    Returns
    -------
    pandas.DataFrame
        One row per auction day: ``platform``, ``member_states_key``, ``date``.

    Raises
    ------
    InputError
        A year outside 2013-2020, an unknown frequency or weekday, or ``nth_weekday``
        outside 1-4.

    References
    ----------
    001_b0950b57165db085.txt, 表5 歐盟碳交易平台.

    Examples
    --------
    >>> t5 = pd.DataFrame({"platform": ["EEX"], "member_states_key": ["DE"],
    ...                    "frequency": ["weekly"], "weekdays": ["fri"]})
    >>> len(auction_calendar(t5, 2015))
    52
    """
    yr = int(check_phase3_years([year], "year")[0])
    if not 1 <= int(nth_weekday) <= 4:
        raise InputError(f"nth_weekday: {nth_weekday} outside 1-4")
    days = pd.date_range(f"{yr}-01-01", f"{yr}-12-31", freq="D")
    dow = days.day_of_week.to_numpy()
    frames = []
    for row in platforms.itertuples(index=False):  # a handful of platform rules, not data rows
        if row.frequency not in FREQUENCIES:
            raise InputError(f"frequency: unknown value {row.frequency!r} for {row.platform} "
                             f"{row.member_states_key}; expected one of {list(FREQUENCIES)}")
        names = [w.strip() for w in str(row.weekdays).split(";") if w.strip()]
        bad = [w for w in names if w not in WEEKDAYS]
        if bad or not names:
            raise InputError(f"weekdays: unknown weekday {bad[0] if bad else ''!r} for {row.platform} "
                             f"{row.member_states_key}; expected {list(WEEKDAYS)}")
        mask = np.isin(dow, [WEEKDAYS.index(w) for w in names])
        chosen = days[mask]
        if row.frequency == "fortnightly":
            chosen = chosen[::2] if len(names) == 1 else chosen[(chosen.isocalendar().week % 2 == 1).to_numpy()]
        elif row.frequency == "monthly":
            occurrence = (chosen.day - 1) // 7 + 1
            chosen = chosen[occurrence == int(nth_weekday)]
        frames.append(pd.DataFrame({"platform": row.platform, "member_states_key": row.member_states_key,
                                    "date": chosen}))
    return pd.concat(frames, ignore_index=True)


def sessions_per_platform(calendar: pd.DataFrame) -> pd.DataFrame:
    """Number of auction days per platform and member-state group.

    Parameters
    ----------
    calendar : pandas.DataFrame
        Output of :func:`auction_calendar`.

    Returns
    -------
    pandas.DataFrame
        ``platform``, ``member_states_key``, ``auction_days`` (count).

    References
    ----------
    001_b0950b57165db085.txt, 表5.

    Examples
    --------
    >>> cal = pd.DataFrame({"platform": ["EEX", "EEX"], "member_states_key": ["DE", "DE"],
    ...                     "date": pd.to_datetime(["2015-01-02", "2015-01-09"])})
    >>> sessions_per_platform(cal)["auction_days"].tolist()
    [2]
    """
    return (calendar.groupby(["platform", "member_states_key"], sort=False).size()
            .rename("auction_days").reset_index())

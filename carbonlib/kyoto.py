"""Kyoto units 2008-2012: demand by buyer against potential supply (000 表2).

表2 of the 2008 report (after World Bank, *State and Trends of the Carbon Market 2008*) sets the
demand of industrialised countries for Kyoto units over the first commitment period against the
potential supply: the AAU surplus of Russia, Ukraine, the EU10 and other economies in transition,
the part of it sold through Green Investment Schemes (GIS), and the CERs of the CDM and ERUs of JI.

How the parentheses are read (checked by :func:`demand_checks` and :func:`supply_checks`):

* on the demand side a parenthesised figure is *uncertain* demand, left out of every printed
  total; 其餘 (420) is the sum of the three parenthesised items;
* on the supply side a parenthesised pair is the (low-high) range of the value before it; the
  total's central value adds the AAU surplus to CDM/JI, its range adds the GIS range instead.

All functions are pure; the Monte Carlo (:func:`simulate`) is vectorised with NumPy and
:func:`simulate_loop` is its plain-Python reference over the same uniform draws.

References
----------
000_318ba4d3771c8f90.txt, 表2 2008 至 2012 年全球碳市場供需預測, and section 二.3 碳市場未來展望.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from carbonlib import checks, validate
from carbonlib.errors import InputError

REGIONS = ("eu", "japan", "other_europe_nz")
#: supply scenarios: which sources count (the GIS sells part of the AAU surplus, so the two
#: are never added together)
SOURCE_SETS = {
    "cdm_ji": ("cdm", "ji"),
    "cdm_ji_gis": ("cdm", "ji", "gis"),
    "cdm_ji_aau": ("cdm", "ji", "aau_surplus"),
}
RANGE_ENDS = ("low", "central", "high")
READINGS = ("parentheses_excluded", "parentheses_included")
DISTRIBUTIONS = ("uniform", "triangular")
_END_COLUMN = {"low": "low_mtco2e", "central": "central_mtco2e", "high": "high_mtco2e"}
_DEMAND_COLUMNS = ("buyer", "component", "label_zh", "in_parentheses", "volume_mtco2e")
_SUPPLY_COLUMNS = ("source", "seller", "label_zh", "central_mtco2e", "low_mtco2e", "high_mtco2e")
#: Table schema of a components table (:func:`components`, :func:`validate_components`).
COMPONENT_SCHEMA = {
    "fields": [
        {"name": "component", "type": "string", "constraints": {"required": True}},
        {"name": "side", "type": "string", "constraints": {"required": True, "enum": ["demand", "supply"]}},
        *({"name": col, "type": "number", "x_unit": "MtCO2e", "constraints": {"required": True, "minimum": 0}}
          for col in ("low_mtco2e", "central_mtco2e", "high_mtco2e")),
    ],
    "missingValues": [""],
    "primaryKey": ["component"],
}
#: Table schema of a Monte Carlo result as :func:`summarise` reads it.
SIM_SCHEMA = {"fields": [{"name": "surplus_mtco2e", "type": "number", "x_unit": "MtCO2e"}]}


def _choice(value: str, options, name: str, what: str) -> str:
    if value not in options:
        raise InputError(f"{name}: unknown {what} {value!r}; expected one of {sorted(options)}")
    return value


def _check_ordered(low, high, labels, name: str, what: str = "low end", other: str = "high end") -> None:
    lo = np.asarray(low, dtype=float)
    hi = np.asarray(high, dtype=float)
    bad = np.flatnonzero(lo > hi)  # NaN compares False: unprinted ends pass
    if bad.size:
        i = int(bad[0])
        raise InputError(f"{name}: {what} {lo[i]} is above its {other} {hi[i]} for {labels[i]}")


def validate_demand(demand: pd.DataFrame) -> pd.DataFrame:
    """Check a 表2 demand table (columns, known buyers, no negative volume).

    Parameters
    ----------
    demand : pandas.DataFrame
        ``kyoto_demand`` layout: ``buyer``, ``component``, ``label_zh``, ``in_parentheses``
        (bool) and ``volume_mtco2e`` (MtCO2e over 2008-2012).

    Returns
    -------
    pandas.DataFrame
        The same table.

    Raises
    ------
    InputError
        ``demand`` failing the schema of the resource ``kyoto_demand``
        (:func:`carbonlib.validate.table`: a missing column, an unknown buyer or component, a
        volume that is not a number, negative or missing), or a missing total.

    References
    ----------
    000_318ba4d3771c8f90.txt, 表2 (demand side).

    Examples
    --------
    >>> d = pd.DataFrame({"buyer": ["eu"], "component": ["total"], "label_zh": ["歐盟"],
    ...                   "in_parentheses": [False], "volume_mtco2e": [-1.0]})
    >>> validate_demand(d)
    Traceback (most recent call last):
    ...
    carbonlib.errors.InputError: demand.volume_mtco2e: value -1.0 for buyer 'eu', component 'total' is below the minimum 0
    """
    # rows may repeat a buyer's component (a firm part beside a parenthesised one, summed)
    validate.table(demand, "kyoto_demand", "demand", columns=_DEMAND_COLUMNS, primary_key=False)
    totals = demand[demand["component"] == "total"]["buyer"]
    absent = [b for b in (*REGIONS, "all_buyers") if b not in set(totals)]
    if absent:
        raise InputError(f"demand: no printed total for buyer {absent[0]!r}")
    return demand


def validate_supply(supply: pd.DataFrame) -> pd.DataFrame:
    """Check a 表2 supply table (columns, no negative volume, low end not above high end).

    Parameters
    ----------
    supply : pandas.DataFrame
        ``kyoto_supply`` layout: ``source``, ``seller``, ``label_zh``, ``central_mtco2e``,
        ``low_mtco2e``, ``high_mtco2e`` (MtCO2e over 2008-2012, missing where not printed).

    Returns
    -------
    pandas.DataFrame
        The same table.

    Raises
    ------
    InputError
        ``supply`` failing the schema of the resource ``kyoto_supply``
        (:func:`carbonlib.validate.table`: a missing column, an unknown source or seller, a
        volume that is not a number or negative, a seller's source twice), or a range whose low
        end is above its high end.

    References
    ----------
    000_318ba4d3771c8f90.txt, 表2 (supply side).

    Examples
    --------
    >>> s = pd.DataFrame({"source": ["cdm"], "seller": ["all_hosts"], "label_zh": ["CDM"],
    ...                   "central_mtco2e": [1600.0], "low_mtco2e": [2200.0], "high_mtco2e": [1400.0]})
    >>> validate_supply(s)
    Traceback (most recent call last):
    ...
    carbonlib.errors.InputError: supply: low end 2200.0 is above its high end 1400.0 for cdm/all_hosts
    """
    checked = validate.table(supply, "kyoto_supply", "supply", columns=_SUPPLY_COLUMNS)
    labels = (supply["source"].astype(str) + "/" + supply["seller"].astype(str)).tolist()
    _check_ordered(checked["low_mtco2e"], checked["high_mtco2e"], labels, "supply")
    return supply


def _demand_parts(demand: pd.DataFrame) -> pd.DataFrame:
    return demand[demand["buyer"].isin(REGIONS) & (demand["component"] != "total")]


def _printed(demand: pd.DataFrame, buyer: str, component: str) -> float:
    row = demand[(demand["buyer"] == buyer) & (demand["component"] == component)]
    if row.empty:
        raise InputError(f"demand: no printed value for buyer {buyer!r}, component {component!r}")
    return float(row["volume_mtco2e"].iloc[0])


def demand_checks(demand: pd.DataFrame, reading: str = "parentheses_excluded") -> pd.DataFrame:
    """Printed demand totals of 表2 against the sums of their parts under a reading.

    Parameters
    ----------
    demand : pandas.DataFrame
        ``kyoto_demand`` layout (see :func:`validate_demand`).
    reading : {"parentheses_excluded", "parentheses_included"}
        How parenthesised items are read: uncertain demand left out of every total (and summed
        in 其餘), or ordinary demand counted in the totals (其餘 is then the items that are
        neither government nor private).

    Returns
    -------
    pandas.DataFrame
        :func:`carbonlib.checks.compare` report (MtCO2e, printed to units), one row per identity:
        each region's total, the all-buyer government, private and 其餘 lines, and the grand
        total from the parts, from the regional totals and from government + private.

    Raises
    ------
    InputError
        Unknown reading, or a bad demand table (see :func:`validate_demand`).

    References
    ----------
    000_318ba4d3771c8f90.txt, 表2 (demand side).

    Examples
    --------
    >>> from carbonlib import datasets
    >>> rep = demand_checks(datasets.load("kyoto_demand"))
    >>> rep.loc["eu: total = parts", ["printed", "recomputed"]].tolist()
    [1940.0, 1940.0]
    >>> float(rep.loc["other_europe_nz: total = parts", "difference"])
    25.0
    """
    _choice(reading, READINGS, "reading", "reading of the parentheses")
    validate_demand(demand)
    parts = _demand_parts(demand)
    paren = parts["in_parentheses"].astype(bool)
    counted = parts if reading == "parentheses_included" else parts[~paren]
    vol = counted.groupby("buyer")["volume_mtco2e"].sum().reindex(REGIONS, fill_value=0.0)
    printed, recomputed = {}, {}
    for region in REGIONS:
        key = f"{region}: total = parts"
        printed[key] = _printed(demand, region, "total")
        recomputed[key] = float(vol[region])
    for comp in ("government", "private"):
        key = f"all_buyers: {comp} = sum of regions"
        printed[key] = _printed(demand, "all_buyers", comp)
        recomputed[key] = float(counted.loc[counted["component"] == comp, "volume_mtco2e"].sum())
    key = "all_buyers: remainder (其餘) = sum of other items"
    printed[key] = _printed(demand, "all_buyers", "remainder")
    if reading == "parentheses_excluded":
        recomputed[key] = float(parts.loc[paren, "volume_mtco2e"].sum())
    else:
        other = ~parts["component"].isin(["government", "private"])
        recomputed[key] = float(parts.loc[other, "volume_mtco2e"].sum())
    total = _printed(demand, "all_buyers", "total")
    printed["all_buyers: total = sum of counted parts"] = total
    recomputed["all_buyers: total = sum of counted parts"] = float(counted["volume_mtco2e"].sum())
    printed["all_buyers: total = sum of printed regional totals"] = total
    recomputed["all_buyers: total = sum of printed regional totals"] = sum(
        _printed(demand, r, "total") for r in REGIONS)
    printed["all_buyers: total = printed government + private"] = total
    recomputed["all_buyers: total = printed government + private"] = (
        _printed(demand, "all_buyers", "government") + _printed(demand, "all_buyers", "private"))
    return checks.compare(pd.Series(printed), pd.Series(recomputed), decimals=0)


def implied_unprinted(demand: pd.DataFrame) -> pd.Series:
    """Demand a region's printed total holds beyond its firm (unparenthesised) printed parts.

    Parameters
    ----------
    demand : pandas.DataFrame
        ``kyoto_demand`` layout.

    Returns
    -------
    pandas.Series
        MtCO2e per region (index ``buyer``): printed total minus the sum of its unparenthesised
        parts; non-zero where the table leaves a part unprinted (other Europe and New Zealand:
        45 - 20 = 25, the same 25 by which 私人 1,775 exceeds 1,400 + 350).

    References
    ----------
    000_318ba4d3771c8f90.txt, 表2, 其他歐洲及紐西蘭.

    Examples
    --------
    >>> from carbonlib import datasets
    >>> implied_unprinted(datasets.load("kyoto_demand")).to_dict()
    {'eu': 0.0, 'japan': 0.0, 'other_europe_nz': 25.0}
    """
    validate_demand(demand)
    parts = _demand_parts(demand)
    firm = parts[~parts["in_parentheses"].astype(bool)]
    summed = firm.groupby("buyer")["volume_mtco2e"].sum().reindex(REGIONS, fill_value=0.0)
    totals = pd.Series({r: _printed(demand, r, "total") for r in REGIONS})
    out = (totals - summed).rename("unprinted_mtco2e")
    out.index.name = "buyer"
    return out


def supply_checks(supply: pd.DataFrame) -> pd.DataFrame:
    """Printed supply subtotals and totals of 表2 against the sums of their parts.

    Parameters
    ----------
    supply : pandas.DataFrame
        ``kyoto_supply`` layout (see :func:`validate_supply`).

    Returns
    -------
    pandas.DataFrame
        :func:`carbonlib.checks.compare` report (MtCO2e, printed to units): AAU-surplus subtotal
        from the countries; GIS subtotal range from the countries' ranges ('?' counted as
        nothing); CDM/JI subtotal central, low and high; the grand total's central value as AAU
        surplus + CDM/JI and its range as GIS + CDM/JI.

    References
    ----------
    000_318ba4d3771c8f90.txt, 表2 (supply side).

    Examples
    --------
    >>> from carbonlib import datasets
    >>> rep = supply_checks(datasets.load("kyoto_supply"))
    >>> rep.loc["all_sources: total central = aau_surplus + cdm_ji", "recomputed"]
    np.float64(9135.0)
    """
    validate_supply(supply)
    s = supply.set_index(["source", "seller"])

    def cell(source, seller, col):
        if (source, seller) not in s.index:
            raise InputError(f"supply: no row for source {source!r}, seller {seller!r}")
        return float(s.loc[(source, seller), col])

    def parts(source, col):
        block = s.loc[source]
        return float(block.loc[block.index != "subtotal", col].sum())  # NaN ('?') counts as 0

    printed, recomputed = {}, {}
    printed["aau_surplus: subtotal = countries"] = cell("aau_surplus", "subtotal", "central_mtco2e")
    recomputed["aau_surplus: subtotal = countries"] = parts("aau_surplus", "central_mtco2e")
    for end in ("low", "high"):
        key = f"gis: subtotal {end} = countries"
        printed[key] = cell("gis", "subtotal", _END_COLUMN[end])
        recomputed[key] = parts("gis", _END_COLUMN[end])
    for end in RANGE_ENDS:
        key = f"cdm_ji: subtotal {end} = cdm + ji"
        printed[key] = cell("cdm_ji", "subtotal", _END_COLUMN[end])
        recomputed[key] = cell("cdm", "all_hosts", _END_COLUMN[end]) + cell("ji", "all_hosts", _END_COLUMN[end])
    key = "all_sources: total central = aau_surplus + cdm_ji"
    printed[key] = cell("all_sources", "total", "central_mtco2e")
    recomputed[key] = cell("aau_surplus", "subtotal", "central_mtco2e") + cell("cdm_ji", "subtotal", "central_mtco2e")
    for end in ("low", "high"):
        key = f"all_sources: total {end} = gis + cdm_ji"
        printed[key] = cell("all_sources", "total", _END_COLUMN[end])
        recomputed[key] = cell("gis", "subtotal", _END_COLUMN[end]) + cell("cdm_ji", "subtotal", _END_COLUMN[end])
    return checks.compare(pd.Series(printed), pd.Series(recomputed), decimals=0)


def check_summary(demand: pd.DataFrame, supply: pd.DataFrame) -> pd.DataFrame:
    """How many 表2 identities agree under each reading of the parentheses.

    Parameters
    ----------
    demand, supply : pandas.DataFrame
        ``kyoto_demand`` and ``kyoto_supply`` layouts.

    Returns
    -------
    pandas.DataFrame
        Index ``check`` (demand under each of :data:`READINGS`, then supply); columns
        ``identities``, ``agrees``, ``discrepancy`` (counts) and ``max_abs_difference_mtco2e``.

    References
    ----------
    000_318ba4d3771c8f90.txt, 表2.

    Examples
    --------
    >>> from carbonlib import datasets
    >>> s = check_summary(datasets.load("kyoto_demand"), datasets.load("kyoto_supply"))
    >>> s["discrepancy"].to_dict()
    {'demand, parentheses_excluded': 3, 'demand, parentheses_included': 6, 'supply': 0}
    """
    reports = {f"demand, {r}": demand_checks(demand, r) for r in READINGS}
    reports["supply"] = supply_checks(supply)
    rows = []
    for name, rep in reports.items():
        rows.append({"check": name, "identities": len(rep),
                     "agrees": int((rep["status"] == checks.STATUS_OK).sum()),
                     "discrepancy": int((rep["status"] == checks.STATUS_DISCREPANCY).sum()),
                     "max_abs_difference_mtco2e": float(rep["difference"].abs().max())})
    return pd.DataFrame(rows).set_index("check")


def demand_shares(demand: pd.DataFrame) -> pd.DataFrame:
    """Shares of the printed total demand 2,435 by buyer and by government/private.

    Parameters
    ----------
    demand : pandas.DataFrame
        ``kyoto_demand`` layout.

    Returns
    -------
    pandas.DataFrame
        Index ``(group, key)`` with groups ``buyer`` (eu, japan, other_europe_nz), ``sector``
        (government, private) and ``uncertain`` (remainder, relative to the firm total);
        columns ``volume_mtco2e`` and ``share_pct`` (percent of 總計 2,435).

    References
    ----------
    000_318ba4d3771c8f90.txt, 表2 and text "約佔全球總需求的 73%".

    Examples
    --------
    >>> from carbonlib import datasets
    >>> sh = demand_shares(datasets.load("kyoto_demand"))
    >>> round(float(sh.loc[("sector", "private"), "share_pct"]), 1)
    72.9
    """
    validate_demand(demand)
    total = _printed(demand, "all_buyers", "total")
    if total <= 0:
        raise InputError("demand: printed total must be positive to compute shares")
    rows = [("buyer", r, _printed(demand, r, "total")) for r in REGIONS]
    rows += [("sector", c, _printed(demand, "all_buyers", c)) for c in ("government", "private")]
    rows.append(("uncertain", "remainder", _printed(demand, "all_buyers", "remainder")))
    out = pd.DataFrame(rows, columns=["group", "key", "volume_mtco2e"]).set_index(["group", "key"])
    out["share_pct"] = 100.0 * out["volume_mtco2e"] / total
    return out


def supply_shares(supply: pd.DataFrame) -> pd.DataFrame:
    """Shares of the AAU surplus by country and of CDM/JI by mechanism (central values).

    Parameters
    ----------
    supply : pandas.DataFrame
        ``kyoto_supply`` layout.

    Returns
    -------
    pandas.DataFrame
        Index ``(group, key)``: ``aau_surplus`` (russia, ukraine, eu10, other_eits; percent of
        the printed 小計 7,305) and ``cdm_ji`` (cdm, ji; percent of the printed 小計 1,830);
        columns ``volume_mtco2e`` and ``share_pct``.

    References
    ----------
    000_318ba4d3771c8f90.txt, 表2 (supply side).

    Examples
    --------
    >>> from carbonlib import datasets
    >>> sh = supply_shares(datasets.load("kyoto_supply"))
    >>> round(float(sh.loc[("cdm_ji", "cdm"), "share_pct"]), 1)
    87.4
    """
    validate_supply(supply)
    s = supply.set_index(["source", "seller"])["central_mtco2e"]
    rows = []
    aau_total = float(s[("aau_surplus", "subtotal")])
    for seller in ("russia", "ukraine", "eu10", "other_eits"):
        v = float(s[("aau_surplus", seller)])
        rows.append(("aau_surplus", seller, v, 100.0 * v / aau_total))
    cdm_ji_total = float(s[("cdm_ji", "subtotal")])
    for source in ("cdm", "ji"):
        v = float(s[(source, "all_hosts")])
        rows.append(("cdm_ji", source, v, 100.0 * v / cdm_ji_total))
    return pd.DataFrame(rows, columns=["group", "key", "volume_mtco2e", "share_pct"]).set_index(["group", "key"])


def components(
    demand: pd.DataFrame,
    supply: pd.DataFrame,
    sources: str = "cdm_ji_gis",
    include_uncertain: bool = False,
) -> pd.DataFrame:
    """The demand and supply components of one balance scenario, with their ranges.

    Demand is the printed regional totals (which sum to 總計 2,435), plus, if
    ``include_uncertain``, the three parenthesised items in full (其餘 420); the report prints no
    range for demand, so these components have low = central = high. Supply is CDM and JI with
    their printed ranges, plus either the GIS of Ukraine and the EU10 (ranges as printed; no
    central value is printed, the midpoint is used; the '?' of Russia and other EITs counts as
    nothing) or the whole AAU surplus 7,305 (no range printed).

    Parameters
    ----------
    demand, supply : pandas.DataFrame
        ``kyoto_demand`` and ``kyoto_supply`` layouts.
    sources : {"cdm_ji", "cdm_ji_gis", "cdm_ji_aau"}
        Which supply counts.
    include_uncertain : bool
        Whether the parenthesised (uncertain) demand counts.

    Returns
    -------
    pandas.DataFrame
        One row per component: ``component``, ``side`` (demand/supply), ``label_zh``,
        ``low_mtco2e``, ``central_mtco2e``, ``high_mtco2e`` and ``basis`` (how the values were
        obtained).

    Raises
    ------
    InputError
        Unknown ``sources``, a negative volume, a range with its low end above its high end, or
        a component without a printed value.

    References
    ----------
    000_318ba4d3771c8f90.txt, 表2.

    Examples
    --------
    >>> from carbonlib import datasets
    >>> c = components(datasets.load("kyoto_demand"), datasets.load("kyoto_supply"), "cdm_ji")
    >>> c.groupby("side")["central_mtco2e"].sum().to_dict()
    {'demand': 2435.0, 'supply': 1830.0}
    """
    _choice(sources, SOURCE_SETS, "sources", "supply scenario")
    validate_demand(demand)
    validate_supply(supply)
    rows = []
    for region in REGIONS:
        row = demand[(demand["buyer"] == region) & (demand["component"] == "total")].iloc[0]
        v = float(row["volume_mtco2e"])
        rows.append((region, "demand", row["label_zh"], v, v, v, "printed regional total"))
    if include_uncertain:
        parts = _demand_parts(demand)
        for _, row in parts[parts["in_parentheses"].astype(bool)].iterrows():  # three rows
            v = float(row["volume_mtco2e"])
            rows.append((f"{row['buyer']}_{row['component']}_uncertain", "demand", row["label_zh"],
                         v, v, v, "printed in parentheses, counted in full"))
    s = supply.set_index(["source", "seller"])
    for source in SOURCE_SETS[sources]:
        if source in ("cdm", "ji"):
            r = s.loc[(source, "all_hosts")]
            rows.append((source, "supply", r["label_zh"], float(r["low_mtco2e"]),
                         float(r["central_mtco2e"]), float(r["high_mtco2e"]), "printed central and range"))
        elif source == "gis":
            for seller in ("russia", "ukraine", "eu10", "other_eits"):
                r = s.loc[("gis", seller)]
                lo, hi = float(r["low_mtco2e"]), float(r["high_mtco2e"])
                if np.isnan(lo) or np.isnan(hi):
                    continue  # printed '?': unknown, counted as nothing (as the printed 小計 does)
                rows.append((f"gis_{seller}", "supply", f"GIS {r['label_zh']}", lo, (lo + hi) / 2, hi,
                             "printed range; central = midpoint (not printed)"))
        else:
            r = s.loc[("aau_surplus", "subtotal")]
            v = float(r["central_mtco2e"])
            rows.append(("aau_surplus", "supply", "潛在AAUs結餘 小計", v, v, v,
                         "printed central, no range printed"))
    out = pd.DataFrame(rows, columns=["component", "side", "label_zh", "low_mtco2e",
                                      "central_mtco2e", "high_mtco2e", "basis"])
    return validate_components(out)


def validate_components(comps: pd.DataFrame) -> pd.DataFrame:
    """Check a components table: known sides, finite non-negative values, low <= central <= high.

    Parameters
    ----------
    comps : pandas.DataFrame
        Columns ``component``, ``side``, ``low_mtco2e``, ``central_mtco2e``, ``high_mtco2e``.

    Returns
    -------
    pandas.DataFrame
        The same table.

    Raises
    ------
    InputError
        ``comps`` failing :data:`COMPONENT_SCHEMA` (:func:`carbonlib.validate.table`: a missing
        column, an unknown side, a value that is not a number, missing or negative, a component
        twice), an infinite value, or unordered ends.

    Examples
    --------
    >>> c = pd.DataFrame({"component": ["cdm"], "side": ["supply"], "low_mtco2e": [2200.0],
    ...                   "central_mtco2e": [1600.0], "high_mtco2e": [1400.0]})
    >>> validate_components(c)
    Traceback (most recent call last):
    ...
    carbonlib.errors.InputError: components: low end 2200.0 is above its central value 1600.0 for cdm
    """
    checked = validate.table(comps, COMPONENT_SCHEMA, "components")
    labels = comps["component"].astype(str).tolist()
    for col in ("low_mtco2e", "central_mtco2e", "high_mtco2e"):
        arr = checked[col].to_numpy()
        if np.isinf(arr).any():
            i = int(np.flatnonzero(np.isinf(arr))[0])
            raise InputError(f"components.{col}: value {arr[i]} for {labels[i]} is not finite")
    _check_ordered(checked["low_mtco2e"], checked["central_mtco2e"], labels, "components",
                   "low end", "central value")
    _check_ordered(checked["central_mtco2e"], checked["high_mtco2e"], labels, "components",
                   "central value", "high end")
    return comps


def balance(comps: pd.DataFrame, end: str = "central") -> pd.Series:
    """Deterministic balance of one scenario at one end of the ranges.

    Parameters
    ----------
    comps : pandas.DataFrame
        Output of :func:`components`.
    end : {"low", "central", "high"}
        Which end of the supply ranges (demand has no range).

    Returns
    -------
    pandas.Series
        ``demand_mtco2e``, ``supply_mtco2e``, ``surplus_mtco2e`` (supply - demand; negative is
        a shortfall) and ``coverage_pct`` (supply as percent of demand).

    Raises
    ------
    InputError
        Unknown ``end`` or a bad components table.

    References
    ----------
    000_318ba4d3771c8f90.txt, 表2.

    Examples
    --------
    >>> from carbonlib import datasets
    >>> c = components(datasets.load("kyoto_demand"), datasets.load("kyoto_supply"), "cdm_ji_gis")
    >>> balance(c, "low")["supply_mtco2e"], balance(c, "high")["supply_mtco2e"]
    (np.float64(2680.0), np.float64(4380.0))
    """
    _choice(end, RANGE_ENDS, "end", "range end")
    validate_components(comps)
    col = _END_COLUMN[end]
    d = float(comps.loc[comps["side"] == "demand", col].sum())
    s = float(comps.loc[comps["side"] == "supply", col].sum())
    return pd.Series({"demand_mtco2e": d, "supply_mtco2e": s, "surplus_mtco2e": s - d,
                      "coverage_pct": 100.0 * s / d if d > 0 else np.nan})


def balance_grid(demand: pd.DataFrame, supply: pd.DataFrame) -> pd.DataFrame:
    """:func:`balance` for every supply scenario, range end and uncertain-demand choice.

    Parameters
    ----------
    demand, supply : pandas.DataFrame
        ``kyoto_demand`` and ``kyoto_supply`` layouts.

    Returns
    -------
    pandas.DataFrame
        18 rows: ``sources``, ``end``, ``include_uncertain`` and the columns of :func:`balance`.

    References
    ----------
    000_318ba4d3771c8f90.txt, 表2.

    Examples
    --------
    >>> from carbonlib import datasets
    >>> g = balance_grid(datasets.load("kyoto_demand"), datasets.load("kyoto_supply"))
    >>> len(g), float(g["surplus_mtco2e"].max())
    (18, 7350.0)
    """
    rows = []
    for sources in SOURCE_SETS:
        for include in (False, True):
            comps = components(demand, supply, sources, include)
            for end in RANGE_ENDS:
                rows.append({"sources": sources, "end": end, "include_uncertain": include,
                             **balance(comps, end).to_dict()})
    return pd.DataFrame(rows)


def _setup(comps, n_draws, seed, distribution):
    """Checked inputs of the Monte Carlo and its uniforms, one column per ranged component."""
    _choice(distribution, DISTRIBUTIONS, "distribution", "distribution")
    validate_components(comps)
    if isinstance(n_draws, bool) or not isinstance(n_draws, int | np.integer) or n_draws < 1:
        raise InputError(f"n_draws: must be a positive integer, got {n_draws!r}")
    if isinstance(seed, bool) or not isinstance(seed, int | np.integer) or seed < 0:
        raise InputError(f"seed: must be a non-negative integer, got {seed!r}")
    lo = comps["low_mtco2e"].to_numpy(dtype=float)
    mode = comps["central_mtco2e"].to_numpy(dtype=float)
    hi = comps["high_mtco2e"].to_numpy(dtype=float)
    sign = np.where(comps["side"].to_numpy() == "supply", 1.0, -1.0)
    ranged = hi > lo  # constant components (low = high) take no draws
    u = np.random.default_rng(seed).random((int(n_draws), int(ranged.sum())))
    return lo, mode, hi, sign, ranged, u


def simulate(
    comps: pd.DataFrame,
    n_draws: int = 100_000,
    seed: int = 0,
    distribution: str = "triangular",
) -> pd.DataFrame:
    """Monte Carlo of the balance over the printed ranges, vectorised.

    Each component is drawn independently on [low, high]: uniformly, or triangular with its
    mode at the central value (for the GIS, the midpoint). Components with low = high (demand,
    the AAU surplus) are constant and take no draws; one matrix of uniforms, a column per ranged
    component, is transformed by the inverse CDF.

    Parameters
    ----------
    comps : pandas.DataFrame
        Output of :func:`components`.
    n_draws : int
        Number of draws (positive).
    seed : int
        Seed of ``numpy.random.default_rng`` (non-negative); the same seed gives the same draws.
    distribution : {"uniform", "triangular"}
        Distribution of each component over its range.

    Returns
    -------
    pandas.DataFrame
        One row per draw: one column per component (MtCO2e), then ``demand_mtco2e``,
        ``supply_mtco2e`` and ``surplus_mtco2e`` (supply - demand).

    Raises
    ------
    InputError
        Unknown distribution, non-positive ``n_draws``, negative ``seed``, or a bad components
        table (negative value, low end above high end).

    References
    ----------
    000_318ba4d3771c8f90.txt, 表2 (ranges in parentheses).

    Examples
    --------
    >>> c = pd.DataFrame({"component": ["d", "s"], "side": ["demand", "supply"],
    ...                   "low_mtco2e": [10.0, 0.0], "central_mtco2e": [10.0, 5.0],
    ...                   "high_mtco2e": [10.0, 20.0]})
    >>> sim = simulate(c, n_draws=1000, seed=1)
    >>> bool(sim["s"].between(0, 20).all()), bool((sim["d"] == 10).all())
    (True, True)
    """
    lo, mode, hi, sign, ranged, u = _setup(comps, n_draws, seed, distribution)
    a, m, b = lo[ranged], mode[ranged], hi[ranged]
    width = b - a
    if distribution == "uniform":
        x = a + width * u
    else:  # inverse CDF of the triangular distribution on [a, b] with mode m
        left = np.sqrt(u * (width * (m - a))) + a
        right = b - np.sqrt((1.0 - u) * (width * (b - m)))
        x = np.where(u < (m - a) / width, left, right)
    np.clip(x, a, b, out=x)  # guards the last ulp of the inverse CDF
    supply_total = x[:, sign[ranged] > 0].sum(axis=1) + lo[~ranged & (sign > 0)].sum()
    demand_total = x[:, sign[ranged] < 0].sum(axis=1) + lo[~ranged & (sign < 0)].sum()
    n = u.shape[0]
    cols, j = {}, 0
    for i, name in enumerate(comps["component"].astype(str)):
        if ranged[i]:
            cols[name] = x[:, j]
            j += 1
        else:
            cols[name] = np.full(n, lo[i])
    cols["demand_mtco2e"] = demand_total
    cols["supply_mtco2e"] = supply_total
    cols["surplus_mtco2e"] = supply_total - demand_total
    return pd.DataFrame(cols, copy=False)


def simulate_loop(
    comps: pd.DataFrame,
    n_draws: int = 100_000,
    seed: int = 0,
    distribution: str = "triangular",
) -> list[float]:
    """Plain-Python reference of :func:`simulate` over the same uniform draws (for benchmarks).

    Parameters
    ----------
    comps, n_draws, seed, distribution
        As :func:`simulate`.

    Returns
    -------
    list of float
        ``surplus_mtco2e`` per draw (supply - demand, MtCO2e), equal to :func:`simulate`'s.

    References
    ----------
    000_318ba4d3771c8f90.txt, 表2.

    Examples
    --------
    >>> c = pd.DataFrame({"component": ["d", "s"], "side": ["demand", "supply"],
    ...                   "low_mtco2e": [10.0, 0.0], "central_mtco2e": [10.0, 5.0],
    ...                   "high_mtco2e": [10.0, 20.0]})
    >>> loop = simulate_loop(c, n_draws=5, seed=1)
    >>> bool(np.allclose(loop, simulate(c, n_draws=5, seed=1)["surplus_mtco2e"]))
    True
    """
    lo, mode, hi, sign, ranged, u = _setup(comps, n_draws, seed, distribution)
    constant = float(np.sum(sign[~ranged] * lo[~ranged]))
    params = list(zip(lo[ranged].tolist(), mode[ranged].tolist(), hi[ranged].tolist(),
                      sign[ranged].tolist(), strict=True))
    triangular = distribution == "triangular"
    out = []
    for row in u.tolist():
        total = constant
        for x, (a, m, b, sg) in zip(row, params, strict=True):
            w = b - a
            if not triangular:
                v = a + w * x
            elif x < (m - a) / w:
                v = a + math.sqrt(x * (w * (m - a)))
            else:
                v = b - math.sqrt((1.0 - x) * (w * (b - m)))
            total += sg * min(max(v, a), b)
        out.append(total)
    return out


def summarise(sim: pd.DataFrame, quantiles=(0.05, 0.5, 0.95)) -> pd.Series:
    """Distribution of the simulated surplus: mean, spread, quantiles, shortfall probability.

    Parameters
    ----------
    sim : pandas.DataFrame
        Output of :func:`simulate` (column ``surplus_mtco2e``).
    quantiles : sequence of float
        Probabilities in [0, 1] of the reported quantiles.

    Returns
    -------
    pandas.Series
        ``n_draws``, ``mean_surplus_mtco2e``, ``sd_surplus_mtco2e``, one ``q<pct>_surplus_mtco2e``
        per quantile, and ``shortfall_probability`` (share of draws with supply below demand).

    Raises
    ------
    InputError
        No ``surplus_mtco2e`` column, no draws, or a probability outside [0, 1].

    References
    ----------
    000_318ba4d3771c8f90.txt, 表2.

    Examples
    --------
    >>> s = summarise(pd.DataFrame({"surplus_mtco2e": [-1.0, 1.0, 2.0, 3.0]}), quantiles=[0.5])
    >>> float(s["q50_surplus_mtco2e"]), float(s["shortfall_probability"])
    (1.5, 0.25)
    """
    sim = validate.table(sim, SIM_SCHEMA, "sim")
    if len(sim) == 0:
        raise InputError("sim: no draws")
    q = np.asarray(list(quantiles), dtype=float)
    if q.size == 0 or ((q < 0) | (q > 1) | np.isnan(q)).any():
        raise InputError(f"quantiles: probabilities must lie in [0, 1], got {list(quantiles)}")
    x = sim["surplus_mtco2e"].to_numpy(dtype=float)
    out = {"n_draws": float(x.size), "mean_surplus_mtco2e": float(x.mean()),
           "sd_surplus_mtco2e": float(x.std(ddof=1)) if x.size > 1 else 0.0}
    for p, v in zip(q, np.quantile(x, q), strict=True):
        out[f"q{100 * p:g}_surplus_mtco2e"] = float(v)
    out["shortfall_probability"] = float((x < 0).mean())
    return pd.Series(out)

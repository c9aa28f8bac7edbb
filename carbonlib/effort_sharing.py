"""EU targets and the Effort Sharing Decision (001 sections 一 and 三, 圖1, 圖5, 附件一).

* Targets: the economy-wide 2020 and 2030 reductions recombined from the EU ETS / ESD split
  and the sector shares, published versus recomputed (:func:`sector_split`,
  :func:`rebase_reduction`, :func:`split_check`).
* Annual emission allocations (AEAs): a linear path per member state from its 2005 emissions
  to its 2020 limit, between -20 % and +20 % of 2005 (:func:`aea_path`).
* Flexibilities and compliance 2013-2020: banking, sales to and purchases from other member
  states, CDM/JI credits, the shortfall x 1.08 deducted from the next year's allocation and the
  suspension of transfers (:func:`simulate`, :func:`ledger_residuals`).
* 附件一 indicators: ratios of inventory inputs (:func:`emission_intensity`, :func:`indicators`).

References
----------
001_b0950b57165db085.txt, 一.(一) 減量目標分配 and 圖1; 三 國家排放減量分攤 (Decision 406/2009/EC),
(二)1 額度訂定原則 and 圖5, (二)2 彈性機制, (四) 矯正行動; 附件一 歐盟會員國國家清冊排放指標
(Regulation (EU) No 525/2013).
"""

from __future__ import annotations

import itertools

import numpy as np
import pandas as pd

from carbonlib import checks, validate
from carbonlib.calendar import PHASE3_YEARS
from carbonlib.errors import InputError
from carbonlib.validate import percent

#: years of the annual emission allocations (三.(二)1: 2013 年-2020 年), those of ETS Phase 3
ESD_YEARS = PHASE3_YEARS
#: 2020 limits against 2005 emissions, percent (一.(一)1: 20%至-20%之間)
AEA_LIMIT_PCT = (-20.0, 20.0)
#: banking: up to 5 % of the year's allocation, 2013-2019 (三.(二)2(1))
BANK_LIMIT_PCT = 5.0
BANK_LAST_YEAR = 2019
#: sales to other member states: up to 5 % of the year's allocation (三.(二)2(2))
SELL_LIMIT_PCT = 5.0
#: CDM/JI credits: up to 3 % of 2005 emissions a year (三.(二)2(3))
CREDIT_LIMIT_PCT = 3.0
#: corrective action: excess emissions x 1.08 deducted from next year's allocation (三.(四)1(1))
PENALTY_FACTOR = 1.08
ON_LIMIT = ("clip", "raise")

#: 附件一 ratio indicators: numerator variables, denominator variables (summed), scale, unit.
#: Variables carry their unit in the name (kt CO2, million EUR, million km, PJ, ...).
RATIO_INDICATORS: dict[str, tuple[tuple[str, ...], tuple[str, ...], float, str]] = {
    "macro_total_co2_intensity": (("co2_kt",), ("gdp_meur",), 1e3, "tCO2/MEUR"),
    "macro_energy_co2_intensity": (("energy_co2_kt",), ("gdp_meur",), 1e3, "tCO2/MEUR"),
    "transport_diesel_car_co2_per_km": (("diesel_car_co2_kt",), ("diesel_car_mkm",), 1e3, "gCO2/km"),
    "transport_petrol_car_co2_per_km": (("petrol_car_co2_kt",), ("petrol_car_mkm",), 1e3, "gCO2/km"),
    "transport_car_co2_per_pkm": (("car_co2_kt",), ("car_mpkm",), 1e3, "gCO2/pkm"),
    "transport_aviation_co2_per_passenger": (("domestic_aviation_co2_kt",), ("air_passengers_thousand",),
                                             1.0, "tCO2/passenger"),
    "transport_co2_per_final_energy": (("transport_co2_kt",), ("transport_final_energy_ktoe",), 1.0,
                                       "tCO2/toe"),
    "industry_energy_co2_intensity": (("industry_energy_co2_kt",), ("industry_gva_meur",), 1e3, "tCO2/MEUR"),
    "industry_iron_steel_co2_intensity": (("iron_steel_co2_kt",), ("iron_steel_gva_meur",), 1e3, "tCO2/MEUR"),
    "industry_chemicals_co2_intensity": (("chemicals_co2_kt",), ("chemicals_gva_meur",), 1e3, "tCO2/MEUR"),
    "industry_nonmetallic_co2_intensity": (("nonmetallic_co2_kt",), ("nonmetallic_gva_meur",), 1e3,
                                           "tCO2/MEUR"),
    "industry_iron_steel_specific_co2": (("iron_steel_co2_kt",), ("oxygen_steel_kt",), 1.0, "tCO2/t"),
    "industry_cement_specific_co2": (("nonmetallic_co2_kt",), ("cement_kt",), 1.0, "tCO2/t"),
    "industry_food_co2_intensity": (("food_co2_kt",), ("food_gva_meur",), 1e3, "tCO2/MEUR"),
    "industry_paper_printing_co2_intensity": (("paper_printing_co2_kt",), ("paper_printing_gva_meur",), 1e3,
                                              "tCO2/MEUR"),
    "industry_paper_specific_co2": (("paper_energy_co2_kt",), ("paper_output_kt",), 1.0, "tCO2/t"),
    "households_co2_per_dwelling": (("household_co2_kt",), ("households_thousand",), 1.0, "tCO2/household"),
    "households_space_heating_co2_per_m2": (("household_heating_co2_kt",), ("household_floor_area_mm2",),
                                            1.0, "kgCO2/m2"),
    "services_co2_intensity": (("services_co2_kt",), ("services_gva_meur",), 1e3, "tCO2/MEUR"),
    "services_space_heating_co2_per_m2": (("services_heating_co2_kt",), ("services_floor_area_mm2",), 1.0,
                                          "kgCO2/m2"),
    "transformation_public_power_co2_intensity": (("public_power_co2_kt",), ("public_power_output_pj",), 1.0,
                                                  "tCO2/TJ"),
    "transformation_autoproducer_co2_intensity": (("autoproducer_co2_kt",), ("autoproducer_output_pj",), 1.0,
                                                  "tCO2/TJ"),
    "transformation_all_power_co2_intensity": (("public_power_co2_kt", "autoproducer_co2_kt"),
                                               ("public_power_output_pj", "autoproducer_output_pj"), 1.0,
                                               "tCO2/TJ"),
}
#: the two formulas as printed in 附件一 where they differ (see the resource's x_notes)
PRINTED_FORMULAS = {
    "transport_petrol_car_co2_per_km": (("petrol_car_co2_kt",), ("diesel_car_mkm",), 1e3, "gCO2/km"),
    "industry_energy_co2_intensity": (("industry_energy_co2_kt",), ("services_gva_meur",), 1e3, "tCO2/MEUR"),
}
#: every input variable the ratio indicators use
INDICATOR_VARIABLES = tuple(sorted({v for spec in [*RATIO_INDICATORS.values(), *PRINTED_FORMULAS.values()]
                                    for v in (*spec[0], *spec[1])}))


# ---------------------------------------------------------------------------------------------
# targets


def sector_split(ets_reduction_pct: float, esd_reduction_pct: float, ets_share_pct: float,
                 esd_share_pct: float | None = None) -> float:
    """Economy-wide reduction recombined from the ETS and ESD reductions and their shares.

    Parameters
    ----------
    ets_reduction_pct, esd_reduction_pct : float
        Reductions of the EU ETS and the Effort Sharing sectors against the common base year,
        percent (21 and 10 for 2020 against 2005).
    ets_share_pct : float
        Share of the EU ETS in base-year emissions, percent (45).
    esd_share_pct : float, optional
        Share of the ESD sectors, percent (55); ``100 - ets_share_pct`` when omitted.

    Returns
    -------
    float
        ``(ets_share x ets_reduction + esd_share x esd_reduction) / 100``, percent against the
        same base year.

    Raises
    ------
    InputError
        A value outside [0, 100] or shares that do not add up to 100.

    References
    ----------
    001_b0950b57165db085.txt, 一.(一)1 and 圖1 (EU ETS 占總排放 45% 減量 21%, ESD 占 55% 減量 10%).

    Examples
    --------
    >>> round(sector_split(21, 10, 45, 55), 2)
    14.95
    """
    r_ets = percent(ets_reduction_pct, "ets_reduction_pct")
    r_esd = percent(esd_reduction_pct, "esd_reduction_pct")
    s_ets = percent(ets_share_pct, "ets_share_pct")
    s_esd = 100.0 - s_ets if esd_share_pct is None else percent(esd_share_pct, "esd_share_pct")
    if abs(s_ets + s_esd - 100.0) > 1e-9:
        raise InputError(f"ets_share_pct + esd_share_pct: shares add up to {s_ets + s_esd}, not 100")
    return (s_ets * r_ets + s_esd * r_esd) / 100.0


def base_ratio(reduction_vs_old_pct: float, reduction_vs_new_pct: float) -> float:
    """Ratio of emissions in the new base year to the old one, from one target stated twice.

    Parameters
    ----------
    reduction_vs_old_pct : float
        The target against the old base year, percent (20 against 1990).
    reduction_vs_new_pct : float
        The same target against the new base year, percent (14 against 2005).

    Returns
    -------
    float
        ``E_new / E_old = (1 - r_old/100) / (1 - r_new/100)`` (dimensionless).

    Raises
    ------
    InputError
        A value outside [0, 100), which would divide by zero.

    References
    ----------
    001_b0950b57165db085.txt, 一.(一)1 (較 1990 年減量至少 20%(相當於較 2005 年減少 14%)).

    Examples
    --------
    >>> round(base_ratio(20, 14), 4)
    0.9302
    """
    old = percent(reduction_vs_old_pct, "reduction_vs_old_pct")
    new = percent(reduction_vs_new_pct, "reduction_vs_new_pct")
    if new >= 100:
        raise InputError("reduction_vs_new_pct: 100 percent leaves no emissions to compare")
    return (1 - old / 100) / (1 - new / 100)


def rebase_reduction(reduction_pct: float, ratio: float) -> float:
    """A reduction against one base year restated against another.

    Parameters
    ----------
    reduction_pct : float
        Reduction against the new base year (e.g. 2005), percent.
    ratio : float
        Emissions of that base year over those of the old one (E2005 / E1990, see :func:`base_ratio`).

    Returns
    -------
    float
        Reduction against the old base year, percent: ``100 (1 - (1 - r/100) ratio)``.

    Raises
    ------
    InputError
        A reduction outside [0, 100] or a ratio that is not positive.

    References
    ----------
    001_b0950b57165db085.txt, 一.(一)1-2.

    Examples
    --------
    >>> round(rebase_reduction(14, base_ratio(20, 14)), 6)
    20.0
    """
    r = percent(reduction_pct, "reduction_pct")
    if not float(ratio) > 0:
        raise InputError(f"ratio: base-year ratio must be positive, got {ratio}")
    return 100.0 * (1 - (1 - r / 100) * float(ratio))


def _bounds(func, values: list[float], half: float) -> tuple[float, float]:
    """Range of ``func`` over every corner of ``values +/- half`` (func monotone in each input)."""
    corners = [func(*c) for c in itertools.product(*[(v - half, v + half) for v in values])]
    return float(min(corners)), float(max(corners))


def _target(targets: pd.DataFrame, year: int, scope: str, metric: str, column: str = "value_pct") -> float:
    rows = targets[(targets["target_year"] == year) & (targets["scope"] == scope)
                   & (targets["metric"] == metric) & (targets["kind"] == "target")]
    if len(rows) != 1 or pd.isna(rows[column].iloc[0]):
        raise InputError(f"targets: no {column} for the {year} {scope} {metric} target")
    return float(rows[column].iloc[0])


def split_check(targets: pd.DataFrame, decimals: int = 0) -> pd.DataFrame:
    """Published versus recomputed economy-wide targets from the ETS/ESD split.

    Three cells: the 2020 target against 2005 (45 % x 21 % + 55 % x 10 %), the same against
    1990 (rebased with E2005/E1990 from the printed pair 20 % / 14 %), and the 2030 target
    against 1990 (43 % and 30 % recombined with the 2020 shares, which the report does not
    restate for 2030, then rebased).

    Parameters
    ----------
    targets : pandas.DataFrame
        The ``effort_targets`` table (``target_year``, ``kind``, ``scope``, ``metric``,
        ``value_pct``, ``share_of_emissions_pct``).
    decimals : int, default 0
        Decimals of the printed percentages (integers: 0), setting the rounding tolerance.

    Returns
    -------
    pandas.DataFrame
        :func:`carbonlib.checks.compare` columns per cell (``printed`` and ``recomputed`` in
        percent), plus ``recomputed_low`` / ``recomputed_high``, the range of the recomputed
        value when every printed input varies within its own rounding, and
        ``within_input_rounding`` (the printed value's rounding interval meets that range).

    Raises
    ------
    InputError
        A target or share missing from ``targets``.

    References
    ----------
    001_b0950b57165db085.txt, 一.(一)1-2 and 圖1.

    Examples
    --------
    >>> from carbonlib import datasets
    >>> chk = split_check(datasets.load("effort_targets"))
    >>> chk.loc["2020_economy_vs_2005", "status"], bool(chk.loc["2020_economy_vs_2005", "within_input_rounding"])
    ('discrepancy', True)
    """
    half = checks.rounding_tolerance(decimals)
    r_ets20 = _target(targets, 2020, "ets", "ghg_reduction_vs_2005")
    r_esd20 = _target(targets, 2020, "esd", "ghg_reduction_vs_2005")
    s_ets = _target(targets, 2020, "ets", "ghg_reduction_vs_2005", "share_of_emissions_pct")
    s_esd = _target(targets, 2020, "esd", "ghg_reduction_vs_2005", "share_of_emissions_pct")
    e20_1990 = _target(targets, 2020, "economy", "ghg_reduction_vs_1990")
    e20_2005 = _target(targets, 2020, "economy", "ghg_reduction_vs_2005")
    r_ets30 = _target(targets, 2030, "ets", "ghg_reduction_vs_2005")
    r_esd30 = _target(targets, 2030, "esd", "ghg_reduction_vs_2005")
    e30_1990 = _target(targets, 2030, "economy", "ghg_reduction_vs_1990")

    def split(r1, r2, s1):  # ESD share is 100 - ETS share (bounds move them together)
        return (s1 * r1 + (100 - s1) * r2) / 100

    def rebased(r1, r2, s1, a, b):
        return 100 * (1 - (1 - split(r1, r2, s1) / 100) * (1 - a / 100) / (1 - b / 100))

    sector_split(r_ets20, r_esd20, s_ets, s_esd)  # validates the printed shares
    cells = {
        "2020_economy_vs_2005": (e20_2005, split, [r_ets20, r_esd20, s_ets]),
        "2020_economy_vs_1990": (e20_1990, rebased, [r_ets20, r_esd20, s_ets, e20_1990, e20_2005]),
        "2030_economy_vs_1990": (e30_1990, rebased, [r_ets30, r_esd30, s_ets, e20_1990, e20_2005]),
    }
    printed = pd.Series({k: v[0] for k, v in cells.items()}, name="printed_pct")
    recomputed = pd.Series({k: v[1](*v[2]) for k, v in cells.items()}, name="recomputed_pct")
    out = checks.compare(printed, recomputed, decimals=decimals)
    bounds = {k: _bounds(v[1], v[2], half) for k, v in cells.items()}
    out["recomputed_low"] = [bounds[k][0] for k in out.index]
    out["recomputed_high"] = [bounds[k][1] for k in out.index]
    out["within_input_rounding"] = ((out["printed"] + half >= out["recomputed_low"])
                                    & (out["printed"] - half <= out["recomputed_high"]))
    return out


# ---------------------------------------------------------------------------------------------
# annual emission allocations


def _check_years(years, name: str = "years") -> np.ndarray:
    arr = np.asarray(years, dtype=int).ravel()
    bad = arr[(arr < ESD_YEARS[0]) | (arr > ESD_YEARS[-1])]
    if bad.size:
        raise InputError(f"{name}: year {int(bad[0])} outside the ESD period 2013-2020")
    return arr


def aea_path(member_states: pd.DataFrame, years=ESD_YEARS, base_year: int = 2005,
             target_year: int = 2020, limits_pct: tuple[float, float] = AEA_LIMIT_PCT) -> pd.DataFrame:
    """Annual emission allocations: a straight line from 2005 emissions to the 2020 limit.

    ``aea = emissions_2005 x (1 + target_2020_pct/100 x (year - base_year) / (target_year - base_year))``

    Parameters
    ----------
    member_states : pandas.DataFrame
        One row per member state: ``member_state``, ``target_2020_pct`` (change against 2005,
        percent; negative = reduction) and, optionally, ``emissions_2005_mtco2e`` (MtCO2e;
        missing where not known). Rows without a limit are left to :func:`limits_coverage`:
        pass only the rows that have one.
    years : sequence of int
        Allocation years, within 2013-2020.
    base_year, target_year : int
        Start (2005) and end (2020) of the line.
    limits_pct : (float, float)
        Allowed range of ``target_2020_pct`` (-20, +20).

    Returns
    -------
    pandas.DataFrame
        One row per member state and year: ``member_state``, ``year``, ``aea_pct_of_2005``
        (percent of 2005 emissions) and ``aea_mtco2e`` (missing where the 2005 emissions are).

    Raises
    ------
    InputError
        ``member_states`` failing the schema of the resource ``effort_member_states`` with
        ``limits_pct`` as the bounds of ``target_2020_pct`` (:func:`carbonlib.validate.table`: a
        missing column, a value that is not a number, duplicate member state, negative emissions,
        a target outside the limits), a year outside 2013-2020, or ``target_year <= base_year``.

    References
    ----------
    001_b0950b57165db085.txt, 一.(一)1 (20%至-20%之間), 三.(二)1 額度訂定原則 and 圖5.

    Examples
    --------
    >>> ms = pd.DataFrame({"member_state": ["x"], "emissions_2005_mtco2e": [100.0],
    ...                    "target_2020_pct": [-15.0]})
    >>> aea_path(ms, years=[2020])["aea_mtco2e"].round(6).tolist()
    [85.0]
    """
    low, high = limits_pct
    member_states = validate.table(
        member_states, "effort_member_states", "member_states",
        columns=["member_state", "emissions_2005_mtco2e", "target_2020_pct"], optional=["emissions_2005_mtco2e"],
        constraints={"target_2020_pct": {"required": True, "minimum": low, "maximum": high}})
    if target_year <= base_year:
        raise InputError(f"target_year: {target_year} must be after base_year {base_year}")
    yrs = _check_years(years)
    e05 = _emissions_2005(member_states).to_numpy()
    tgt = member_states["target_2020_pct"].to_numpy()
    names = member_states["member_state"].to_numpy(dtype=object)
    frac = (yrs - base_year) / (target_year - base_year)
    pct = 100.0 + tgt[:, None] * frac[None, :]
    return pd.DataFrame({
        "member_state": np.repeat(names, len(yrs)),
        "year": np.tile(yrs, len(names)),
        "aea_pct_of_2005": pct.ravel(),
        "aea_mtco2e": (e05[:, None] * pct / 100.0).ravel(),
    })


def _emissions_2005(member_states: pd.DataFrame) -> pd.Series:
    """The optional ``emissions_2005_mtco2e`` column as floats, all missing when the table has none."""
    if "emissions_2005_mtco2e" in member_states:
        return member_states["emissions_2005_mtco2e"].astype(float)
    return pd.Series(np.nan, index=member_states.index)


#: the parts of the allocation section a member-state table supports (:func:`limits_coverage`)
LIMIT_SECTIONS = ("aea_paths", "weighted_target")


def limits_coverage(member_states: pd.DataFrame) -> pd.DataFrame:
    """What a member-state table supports: allocation paths need limits, the weighted target emissions.

    A table may leave a member state's 2020 limit out (no source found for it) and may give no
    2005 emissions at all (the project's own table gives none). The allocation paths cover the
    states with a limit; the EU-wide weighted target needs the 2005 emissions of every one of them.

    Parameters
    ----------
    member_states : pandas.DataFrame
        ``member_state``, ``target_2020_pct`` (percent, missing where not known) and, optionally,
        ``emissions_2005_mtco2e`` (MtCO2e, missing where not known).

    Returns
    -------
    pandas.DataFrame
        Indexed by ``section`` (:data:`LIMIT_SECTIONS`): ``supported`` (bool) and ``note`` (one
        English sentence for the paper, ``""`` when there is nothing to say).

    References
    ----------
    001_b0950b57165db085.txt, 三.(二)1 額度訂定原則 and 圖5; Decision No 406/2009/EC, Annex II.

    Examples
    --------
    >>> ms = pd.DataFrame({"member_state": ["a", "b"], "target_2020_pct": [-15.0, None]})
    >>> c = limits_coverage(ms)
    >>> c["supported"].tolist()
    [True, False]
    >>> print(c.loc["aea_paths", "note"])
    No 2020 limit is given for 1 of the 2 member states of the table, so 1 has an allocation path.
    """
    n = len(member_states)
    has_limit = member_states["target_2020_pct"].notna()
    emissions = _emissions_2005(member_states)
    k = int(has_limit.sum())
    paths = (k > 0, "" if k == n else
             f"No 2020 limit is given for {n - k} of the {n} member states of the table, so {k} "
             f"{'has an allocation path' if k == 1 else 'have allocation paths'}.")
    given = emissions[has_limit].notna()
    if k and given.all():
        weighted = (True, "")
    elif k and not emissions.notna().any():
        weighted = (False, "The table gives no 2005 emissions, so the limits are not weighted into an EU-wide target.")
    else:
        weighted = (False, f"The table gives 2005 emissions for {int(given.sum())} of the {k} member states with a "
                           "limit, so the limits are not weighted into an EU-wide target.")
    return validate.coverage_frame(dict(zip(LIMIT_SECTIONS, (paths, weighted), strict=True)))


def with_limits(member_states: pd.DataFrame) -> pd.DataFrame:
    """The rows of a member-state table that give a 2020 limit, in their order.

    Examples
    --------
    >>> with_limits(pd.DataFrame({"member_state": ["a", "b"], "target_2020_pct": [None, 5.0]}))["member_state"].tolist()
    ['b']
    """
    return member_states[member_states["target_2020_pct"].notna()].reset_index(drop=True)


def weighted_target(member_states: pd.DataFrame) -> float:
    """EU-wide 2020 change of the ESD sectors: member-state limits weighted by 2005 emissions.

    Parameters
    ----------
    member_states : pandas.DataFrame
        ``emissions_2005_mtco2e`` (MtCO2e) and ``target_2020_pct`` (percent) per member state.

    Returns
    -------
    float
        ``sum(E2005 x target) / sum(E2005)``, percent against 2005 (the report's ESD target is -10).

    Raises
    ------
    InputError
        ``member_states`` failing the schema of the resource ``effort_member_states``, any target
        allowed (:func:`carbonlib.validate.table`: missing columns, a value that is not a
        number, negative or missing 2005 emissions, a missing target, a duplicate member state),
        or total 2005 emissions that are not positive.

    References
    ----------
    001_b0950b57165db085.txt, 一.(一)1 (ESD 應較 2005 年減量 10%) and 圖5.

    Examples
    --------
    >>> ms = pd.DataFrame({"emissions_2005_mtco2e": [300.0, 100.0], "target_2020_pct": [-20.0, 20.0]})
    >>> weighted_target(ms)
    -10.0
    """
    member_states = validate.table(
        member_states, "effort_member_states", "member_states",
        columns=["member_state", "emissions_2005_mtco2e", "target_2020_pct"], optional=["member_state"],
        constraints={"target_2020_pct": {"required": True}})  # no limits: any weighted change
    e = member_states["emissions_2005_mtco2e"].to_numpy()
    target = member_states["target_2020_pct"].to_numpy()
    if not e.sum() > 0:
        raise InputError("emissions_2005_mtco2e: total 2005 emissions must be positive")
    return float((e * target).sum() / e.sum())


# ---------------------------------------------------------------------------------------------
# flexibilities and compliance


def select_plan(plans: pd.DataFrame, plan: str, emissions_scale: float = 1.0) -> pd.DataFrame:
    """One plan of the ``effort_plans`` table, its emissions multiplied by ``emissions_scale``.

    Parameters
    ----------
    plans : pandas.DataFrame
        ``plan``, ``year``, ``emissions_mtco2e`` and the request columns of :func:`simulate`.
    plan : str
        Plan name.
    emissions_scale : float
        Multiplier on the emissions path (dimensionless, >= 0).

    Returns
    -------
    pandas.DataFrame
        The plan's rows (without ``plan``), sorted by year.

    Raises
    ------
    InputError
        ``plans`` failing the schema of the resource ``effort_plans``, any plan name allowed
        (:func:`carbonlib.validate.table`: missing columns, a year outside 2013-2020, emissions
        that are not a number, negative or missing, a plan with a year twice), an unknown plan,
        or a negative scale.

    References
    ----------
    001_b0950b57165db085.txt, 三.(二)2 彈性機制.

    Examples
    --------
    >>> p = pd.DataFrame({"plan": ["a"], "year": [2013], "emissions_mtco2e": [10.0]})
    >>> float(select_plan(p, "a", 1.5)["emissions_mtco2e"].iloc[0])
    15.0
    """
    checked = validate.table(plans, "effort_plans", "plans", columns=["plan", "year", "emissions_mtco2e"],
                             constraints={"plan": {"required": True}})  # any plan name
    known = sorted(checked["plan"].unique(), key=str)
    if plan not in known:
        raise InputError(f"plan: unknown plan {plan!r}; known plans: {known}")
    if not emissions_scale >= 0:
        raise InputError(f"emissions_scale: must be >= 0, got {emissions_scale}")
    rows = plans.assign(emissions_mtco2e=checked["emissions_mtco2e"])[checked["plan"] == plan]
    out = rows.drop(columns="plan").sort_values("year").reset_index(drop=True)
    out["emissions_mtco2e"] = out["emissions_mtco2e"] * emissions_scale
    return out


#: optional request columns of a plan (:func:`simulate`); absent: none requested, bank as allowed
_REQUESTS = ("bought_mtco2e", "sold_mtco2e", "credits_mtco2e", "bank_mtco2e")


def _request(plan: pd.DataFrame, column: str, n: int) -> np.ndarray:
    if column not in plan.columns:
        return np.zeros(n) if column != "bank_mtco2e" else np.full(n, np.nan)
    return plan[column].to_numpy(dtype=float)


class _Grant:
    """Grant a request up to a limit: clip it (and note it) or raise, as ``on_limit`` says."""

    def __init__(self, year: int, on_limit: str, notes: list[str]):
        self.year, self.on_limit, self.notes = year, on_limit, notes

    def __call__(self, what: str, requested: float, cap: float, why: str) -> float:
        if requested <= cap + 1e-12:
            return float(requested)
        if self.on_limit == "raise":
            raise InputError(f"{what}: {requested:g} MtCO2e requested in {self.year} exceeds the limit "
                             f"{cap:g} ({why})")
        self.notes.append(f"{what} {requested:g} -> {cap:g} ({why})")
        return float(cap)


def simulate(
    aea: pd.Series,
    emissions_2005_mtco2e: float,
    plan: pd.DataFrame,
    *,
    bank_limit_pct: float = BANK_LIMIT_PCT,
    bank_last_year: int = BANK_LAST_YEAR,
    sell_limit_pct: float = SELL_LIMIT_PCT,
    credit_limit_pct: float = CREDIT_LIMIT_PCT,
    penalty_factor: float = PENALTY_FACTOR,
    on_limit: str = "clip",
) -> pd.DataFrame:
    """Year-by-year compliance ledger of one member state over 2013-2020.

    Each year, in this order: the allocation less the previous year's penalty; units banked in
    from the previous year; purchases from other member states and CDM/JI credits (both
    suspended in the year after a shortfall); sales (at most ``sell_limit_pct`` of the year's
    allocation and only out of a surplus, i.e. while within target; suspended after a shortfall);
    then the balance against emissions. A surplus is banked up to ``bank_limit_pct`` of the
    year's allocation (years up to ``bank_last_year``) and the rest lapses; a shortfall is
    multiplied by ``penalty_factor`` and deducted from the next year's allocation.

    Ledger identity, every year::

        available = allocation - deducted + banked_in + bought + credits - sold
        available - emissions = banked_out + lapsed - shortfall

    Parameters
    ----------
    aea : pandas.Series
        Annual emission allocation per year (index ``year``), MtCO2e.
    emissions_2005_mtco2e : float
        The member state's 2005 emissions (base of the credit limit), MtCO2e.
    plan : pandas.DataFrame
        One row per year (consecutive, within 2013-2020, all in ``aea``): ``year``,
        ``emissions_mtco2e`` and optional requests ``bought_mtco2e``, ``sold_mtco2e``,
        ``credits_mtco2e`` (missing columns: 0) and ``bank_mtco2e`` (missing or NaN: bank as
        much as allowed), all MtCO2e.
    bank_limit_pct, sell_limit_pct : float
        Limits in percent of the year's allocation (5 and 5).
    bank_last_year : int
        Last year from which units may be banked (2019).
    credit_limit_pct : float
        Credit limit in percent of 2005 emissions per year (3).
    penalty_factor : float
        Multiplier of a shortfall (1.08), >= 1.
    on_limit : {"clip", "raise"}
        A request beyond a limit (or while suspended) is clipped to the limit and reported in
        ``clipped_mtco2e`` and ``note``, or raises :class:`InputError`.

    Returns
    -------
    pandas.DataFrame
        One row per year: ``year``, ``allocation_mtco2e``, ``deducted_mtco2e``,
        ``banked_in_mtco2e``, ``bought_mtco2e``, ``credits_mtco2e``, ``sold_mtco2e``,
        ``available_mtco2e``, ``emissions_mtco2e``, ``banked_out_mtco2e``, ``lapsed_mtco2e``,
        ``shortfall_mtco2e``, ``penalty_mtco2e`` (deducted the next year), ``suspended``
        (bool), ``clipped_mtco2e`` (requests cut by limits) and ``note``.

    Raises
    ------
    InputError
        ``plan`` failing the schema of the resource ``effort_plans`` (:func:`carbonlib.validate.table`:
        missing columns, a year outside 2013-2020, emissions or requests that are not a number,
        negative or missing), years that are not consecutive, negative limits, an unknown
        ``on_limit``, or (with ``on_limit="raise"``) a request beyond a limit, naming the
        request, year and limit.

    References
    ----------
    001_b0950b57165db085.txt, 三.(二)2 彈性機制 (1)-(3) and 三.(四) 矯正行動 (Decision 406/2009/EC).

    Examples
    --------
    >>> aea = pd.Series([100.0, 100.0], index=pd.Index([2013, 2014], name="year"))
    >>> plan = pd.DataFrame({"year": [2013, 2014], "emissions_mtco2e": [110.0, 80.0]})
    >>> led = simulate(aea, 100.0, plan)
    >>> led["penalty_mtco2e"].round(6).tolist(), led["deducted_mtco2e"].round(6).tolist()
    ([10.8, 0.0], [0.0, 10.8])
    """
    if on_limit not in ON_LIMIT:
        raise InputError(f"on_limit: unknown value {on_limit!r}; expected one of {list(ON_LIMIT)}")
    for name, value in (("bank_limit_pct", bank_limit_pct), ("sell_limit_pct", sell_limit_pct),
                        ("credit_limit_pct", credit_limit_pct)):
        if not value >= 0:
            raise InputError(f"{name}: limit must be >= 0 percent, got {value}")
    if not penalty_factor >= 1:
        raise InputError(f"penalty_factor: must be >= 1, got {penalty_factor}")
    if not emissions_2005_mtco2e >= 0:
        raise InputError(f"emissions_2005_mtco2e: must be >= 0, got {emissions_2005_mtco2e}")
    plan = validate.table(plan, "effort_plans", "plan", key="year",
                          columns=["year", "emissions_mtco2e", *_REQUESTS], optional=_REQUESTS)
    years = _check_years(plan["year"], "plan.year")
    if len(years) == 0 or (np.diff(years) != 1).any():
        raise InputError(f"plan.year: years must be consecutive and increasing, got {years.tolist()}")
    missing = [int(y) for y in years if y not in aea.index]
    if missing:
        raise InputError(f"aea: no allocation for year {missing[0]}")
    alloc = aea.reindex(years).to_numpy(dtype=float)
    emis = plan["emissions_mtco2e"].to_numpy()
    n = len(years)
    req = {c: _request(plan, c, n) for c in _REQUESTS}
    credit_cap = credit_limit_pct / 100 * emissions_2005_mtco2e

    rows = []
    deducted = banked_in = 0.0
    suspended = False
    for i, year in enumerate(years.tolist()):
        notes: list[str] = []
        clipped = 0.0
        grant = _Grant(year, on_limit, notes)

        why_susp = "transfers and credits suspended after the shortfall of the previous year"
        bought = grant("bought_mtco2e", req["bought_mtco2e"][i], 0.0 if suspended else np.inf, why_susp)
        credit_why = why_susp if suspended else f"{credit_limit_pct:g} % of 2005 emissions"
        credits = grant("credits_mtco2e", req["credits_mtco2e"][i], 0.0 if suspended else credit_cap,
                        credit_why)
        before_sale = alloc[i] - deducted + banked_in + bought + credits - emis[i]
        sell_cap = 0.0 if suspended else max(0.0, min(sell_limit_pct / 100 * alloc[i], before_sale))
        sell_why = why_susp if suspended else (
            f"{sell_limit_pct:g} % of the allocation and no more than the surplus {max(before_sale, 0):g}: "
            "sales only while within target")
        sold = grant("sold_mtco2e", req["sold_mtco2e"][i], sell_cap, sell_why)
        clipped += (req["bought_mtco2e"][i] - bought) + (req["credits_mtco2e"][i] - credits) \
            + (req["sold_mtco2e"][i] - sold)
        available = alloc[i] - deducted + banked_in + bought + credits - sold
        balance = available - emis[i]
        shortfall = -balance if balance < 0 else 0.0
        surplus = balance if balance > 0 else 0.0
        bank_cap = min(surplus, bank_limit_pct / 100 * alloc[i]) if year <= bank_last_year else 0.0
        bank_req = req["bank_mtco2e"][i]
        if np.isnan(bank_req):
            banked_out = bank_cap
        else:
            why = (f"{bank_limit_pct:g} % of the allocation, up to the surplus {surplus:g}, years to "
                   f"{bank_last_year}")
            banked_out = grant("bank_mtco2e", bank_req, bank_cap, why)
            clipped += bank_req - banked_out
        lapsed = surplus - banked_out
        penalty = penalty_factor * shortfall
        rows.append({
            "year": year, "allocation_mtco2e": alloc[i], "deducted_mtco2e": deducted,
            "banked_in_mtco2e": banked_in, "bought_mtco2e": bought, "credits_mtco2e": credits,
            "sold_mtco2e": sold, "available_mtco2e": available, "emissions_mtco2e": emis[i],
            "banked_out_mtco2e": banked_out, "lapsed_mtco2e": lapsed, "shortfall_mtco2e": shortfall,
            "penalty_mtco2e": penalty, "suspended": suspended, "clipped_mtco2e": clipped,
            "note": "; ".join(notes),
        })
        deducted, banked_in, suspended = penalty, banked_out, shortfall > 0
    return pd.DataFrame(rows)


def ledger_residuals(ledger: pd.DataFrame) -> pd.DataFrame:
    """Residuals of the two ledger identities of :func:`simulate` (zero when the ledger holds).

    Parameters
    ----------
    ledger : pandas.DataFrame
        Output of :func:`simulate`.

    Returns
    -------
    pandas.DataFrame
        Index ``year``; ``available_residual_mtco2e`` (available minus its parts),
        ``balance_residual_mtco2e`` (available - emissions - banked_out - lapsed + shortfall),
        ``carry_residual_mtco2e`` (banked_in minus the previous year's banked_out, plus deducted
        minus the previous year's penalty), all MtCO2e.

    References
    ----------
    001_b0950b57165db085.txt, 三.(二)2 and 三.(四).

    Examples
    --------
    >>> aea = pd.Series([100.0], index=pd.Index([2013], name="year"))
    >>> led = simulate(aea, 100.0, pd.DataFrame({"year": [2013], "emissions_mtco2e": [90.0]}))
    >>> float(ledger_residuals(led).abs().to_numpy().max())
    0.0
    """
    lg = ledger.set_index("year")
    available = (lg["allocation_mtco2e"] - lg["deducted_mtco2e"] + lg["banked_in_mtco2e"]
                 + lg["bought_mtco2e"] + lg["credits_mtco2e"] - lg["sold_mtco2e"])
    balance = (lg["available_mtco2e"] - lg["emissions_mtco2e"] - lg["banked_out_mtco2e"]
               - lg["lapsed_mtco2e"] + lg["shortfall_mtco2e"])
    carry = ((lg["banked_in_mtco2e"] - lg["banked_out_mtco2e"].shift(1, fill_value=0.0))
             + (lg["deducted_mtco2e"] - lg["penalty_mtco2e"].shift(1, fill_value=0.0)))
    return pd.DataFrame({"available_residual_mtco2e": lg["available_mtco2e"] - available,
                         "balance_residual_mtco2e": balance, "carry_residual_mtco2e": carry})


def ledger_summary(ledger: pd.DataFrame) -> dict:
    """The outcome of a compliance ledger of :func:`simulate` in a few figures.

    Parameters
    ----------
    ledger : pandas.DataFrame
        Output of :func:`simulate`.

    Returns
    -------
    dict
        ``years`` (rows of the ledger), ``shortfall_years`` (years ending in a shortfall),
        ``suspended_years`` (years with transfers and credits suspended), ``shortfall_mtco2e``,
        ``penalty_mtco2e`` (the shortfalls times the penalty factor, deducted the next year),
        ``lapsed_mtco2e`` and ``clipped_mtco2e`` (totals over the years, MtCO2e).

    References
    ----------
    001_b0950b57165db085.txt, 三.(二)2 and 三.(四).

    Examples
    --------
    >>> aea = pd.Series([100.0, 100.0], index=pd.Index([2013, 2014], name="year"))
    >>> led = simulate(aea, 100.0, pd.DataFrame({"year": [2013, 2014], "emissions_mtco2e": [110.0, 80.0]}))
    >>> s = ledger_summary(led)
    >>> s["shortfall_years"], s["suspended_years"], round(s["penalty_mtco2e"], 6)
    (1, 1, 10.8)
    """
    return {"years": int(len(ledger)),
            "shortfall_years": int((ledger["shortfall_mtco2e"] > 0).sum()),
            "suspended_years": int(ledger["suspended"].astype(bool).sum()),
            "shortfall_mtco2e": float(ledger["shortfall_mtco2e"].sum()),
            "penalty_mtco2e": float(ledger["penalty_mtco2e"].sum()),
            "lapsed_mtco2e": float(ledger["lapsed_mtco2e"].sum()),
            "clipped_mtco2e": float(ledger["clipped_mtco2e"].sum())}


# ---------------------------------------------------------------------------------------------
# 附件一 indicators


def emission_intensity(co2_kt, gdp_meur):
    """Emission intensity CO2 / GDP (附件一 總體部門 1), in t CO2 per million EUR.

    Parameters
    ----------
    co2_kt : float, array or Series
        CO2 emissions, kt.
    gdp_meur : float, array or Series
        GDP, million EUR (> 0).

    Returns
    -------
    float, array or Series
        ``1000 x co2_kt / gdp_meur`` (t CO2 per million EUR), same shape as the inputs.

    Raises
    ------
    InputError
        Negative emissions or a GDP that is not positive.

    References
    ----------
    001_b0950b57165db085.txt, 附件一 (總體部門, 排放密集度 CO2 / GDP).

    Examples
    --------
    >>> emission_intensity(60000.0, 300000.0)
    200.0
    """
    co2 = np.asarray(co2_kt, dtype=float)
    gdp = np.asarray(gdp_meur, dtype=float)
    if (co2 < 0).any():
        raise InputError(f"co2_kt: negative value {float(co2[co2 < 0].ravel()[0])}")
    if not (gdp > 0).all():
        raise InputError(f"gdp_meur: GDP must be positive, got {float(gdp[~(gdp > 0)].ravel()[0])}")
    out = 1e3 * co2_kt / gdp_meur if isinstance(co2_kt, pd.Series) else 1e3 * co2 / gdp
    return float(out) if np.ndim(out) == 0 else out


def indicators(inputs: pd.DataFrame, names=None, follow_printed_formula: bool = False) -> pd.DataFrame:
    """附件一 ratio indicators from inventory inputs.

    Parameters
    ----------
    inputs : pandas.DataFrame
        Long table ``member_state``, ``year``, ``variable``, ``value``; variables are those of
        :data:`INDICATOR_VARIABLES`, unit in the name (``co2_kt``, ``gdp_meur``, ...).
    names : sequence of str, optional
        Indicators to compute (keys of :data:`RATIO_INDICATORS`); default: every indicator whose
        variables are all present for at least one member state and year.
    follow_printed_formula : bool, default False
        Use the two formulas exactly as printed (petrol-car CO2 over *diesel* kilometres;
        industry CO2 over *services* GVA) instead of the corrected ones.

    Returns
    -------
    pandas.DataFrame
        ``member_state``, ``year``, ``indicator``, ``value``, ``unit``; one row per indicator and
        member state-year whose inputs are present.

    Raises
    ------
    InputError
        ``inputs`` failing the schema of the resource ``effort_indicator_inputs``
        (:func:`carbonlib.validate.table`: missing columns, a value that is not a number,
        negative or missing, a duplicate input), an unknown variable or indicator, a requested
        indicator without inputs, or a zero denominator (naming indicator, member state and
        year).

    References
    ----------
    001_b0950b57165db085.txt, 附件一 歐盟會員國國家清冊排放指標 (Regulation (EU) No 525/2013).

    Examples
    --------
    >>> x = pd.DataFrame({"member_state": "a", "year": 2014, "variable": ["co2_kt", "gdp_meur"],
    ...                   "value": [52000.0, 340000.0]})
    >>> indicators(x)[["indicator", "unit"]].values.tolist()
    [['macro_total_co2_intensity', 'tCO2/MEUR']]
    """
    checked = validate.table(inputs, "effort_indicator_inputs", "inputs",
                             columns=["member_state", "year", "variable", "value"])
    unknown = sorted(set(inputs["variable"]) - set(INDICATOR_VARIABLES))
    if unknown:
        raise InputError(f"variable: unknown variable {unknown[0]!r}; known: {', '.join(INDICATOR_VARIABLES)}")
    inputs = inputs.assign(value=checked["value"])
    spec = {**RATIO_INDICATORS, **(PRINTED_FORMULAS if follow_printed_formula else {})}
    wide = inputs.pivot(index=["member_state", "year"], columns="variable", values="value")
    if names is None:
        chosen = [k for k, (num, den, _, _) in spec.items() if set(num + den) <= set(wide.columns)]
    else:
        chosen = list(names)
        bad = [k for k in chosen if k not in spec]
        if bad:
            raise InputError(f"names: unknown indicator {bad[0]!r}; known: {', '.join(spec)}")
        for k in chosen:
            absent = sorted(set(spec[k][0] + spec[k][1]) - set(wide.columns))
            if absent:
                raise InputError(f"{k}: inputs lack variable(s) {absent}")
    parts = []
    for key in chosen:  # one vectorised division per indicator (23 at most)
        num, den, scale, unit = spec[key]
        n = wide[list(num)].sum(axis=1, min_count=len(num))
        d = wide[list(den)].sum(axis=1, min_count=len(den))
        ok = n.notna() & d.notna()
        zero = ok & (d == 0)
        if zero.any():
            ms, yr = zero[zero].index[0]
            raise InputError(f"{key}: denominator {'+'.join(den)} is zero for {ms!r}, year {int(yr)}")
        ratio = (scale * n[ok] / d[ok]).rename("value").reset_index()
        parts.append(ratio.assign(indicator=key, unit=unit))
    if not parts:
        raise InputError("inputs: no indicator has all its variables")
    out = pd.concat(parts, ignore_index=True)
    return out[["member_state", "year", "indicator", "value", "unit"]]

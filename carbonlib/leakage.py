"""EU ETS scope and carbon leakage (001 表1, 表2, 碳洩漏判定, 附件三, 罰則; 000 point (12)).

* **Scope**: which installations the Phase 3 EU ETS covers (表2 activities, gases and capacity
  thresholds), with the small-emitter opt-out of 000 (at most 10,000 tCO2 a year and at most
  25 MW thermal input).
* **Carbon-leakage test**: additional cost at least 5 % of gross value added and trade
  intensity above 10 % (criterion A), or cost at least 30 % (B), or trade intensity above 30 %
  (C); trade intensity = (exports to + imports from third countries) / EU market size.
* **附件三**: summaries of the printed list of exposed NACE-4 sectors by criterion.
* **Penalty**: 100 EUR/t in 2013, indexed by euro-area inflation.

All functions are pure and vectorised (pandas operations, no per-row loops).

References
----------
001_b0950b57165db085.txt, 表1 歐盟三階段碳交易涵蓋範圍比較; 表2 第三階段管制之部門與氣體;
二.(三) C.a 碳洩漏判定; 附件三 處於碳洩漏風險產業清單; 3.罰則.
000_318ba4d3771c8f90.txt, EU ETS 第三階段規劃方向 (12).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from carbonlib import validate
from carbonlib.calendar import PHASE3_YEARS, PHASE_YEARS, check_phase3_years
from carbonlib.errors import InputError

#: carbon-leakage criteria of 碳洩漏判定 Ⅰ-Ⅲ, percent
COST_SHARE_MIN_PCT = 5.0
TRADE_INTENSITY_MIN_PCT = 10.0
COST_SHARE_ONLY_PCT = 30.0
TRADE_INTENSITY_ONLY_PCT = 30.0
#: penalty per tCO2 not surrendered in 2013 (罰則), EUR/t
PENALTY_2013_EUR_PER_T = 100.0
#: units under 3 MW thermal input are not counted towards a thermal-input threshold (before 表2)
MIN_UNIT_THERMAL_INPUT_MW = 3.0
#: small-emitter opt-out of 000 (12): at most 10,000 tCO2 a year and at most 25 MW
SMALL_EMITTER_MAX_EMISSIONS_T = 10_000.0
SMALL_EMITTER_MAX_THERMAL_INPUT_MW = 25.0
#: threshold column of 表2 for each capacity unit
THRESHOLD_COLUMNS = {
    "MW": "thermal_input_threshold_mw",
    "t/h": "capacity_threshold_t_per_h",
    "t/day": "capacity_threshold_t_per_day",
    "kg": "aircraft_mass_threshold_kg",
}
#: printing errors of 表2 and the value of Directive 2003/87/EC Annex I
DIRECTIVE_THRESHOLD_CORRECTIONS = {"mineral_wool": ("capacity_threshold_t_per_day", 20.0)}
GASES = ("CO2", "N2O", "PFC")


# --------------------------------------------------------------------------------------------
# 表1: coverage by phase
# --------------------------------------------------------------------------------------------
def phase_year_report(phases: pd.DataFrame) -> pd.DataFrame:
    """Printed first and last year of each phase of 表1 against the phase calendar.

    Parameters
    ----------
    phases : pandas.DataFrame
        表1 layout (``scope_phases_t1``): ``phase``, ``first_year_printed``,
        ``last_year_printed`` (years), one or more rows per phase.

    Returns
    -------
    pandas.DataFrame
        A :func:`carbonlib.checks.compare` report indexed by (``phase``, ``bound``), bound
        ``first_year`` or ``last_year``, printed versus :data:`carbonlib.calendar.PHASE_YEARS`.

    Raises
    ------
    InputError
        ``phases`` failing the schema of the resource ``scope_phases_t1``, any printed year
        allowed (:func:`carbonlib.validate.table`: missing columns, an unknown phase, a year
        that is not an integer or missing), or a phase printed with two different spans.

    References
    ----------
    001_b0950b57165db085.txt, 表1 (column headings).

    Examples
    --------
    >>> t1 = pd.DataFrame({"phase": ["phase3"], "first_year_printed": [2012],
    ...                    "last_year_printed": [2020]})
    >>> phase_year_report(t1)["status"].tolist()
    ['discrepancy', 'agrees']
    """
    from carbonlib import checks

    phases = validate.table(  # printed years as printed: the report compares them with the calendar
        phases, "scope_phases_t1", "phases", key="phase",
        columns=["phase", "first_year_printed", "last_year_printed"],
        constraints={"first_year_printed": {"required": True}, "last_year_printed": {"required": True}})
    spans = phases.drop_duplicates(["phase", "first_year_printed", "last_year_printed"])
    if spans["phase"].duplicated().any():
        name = spans.loc[spans["phase"].duplicated(), "phase"].iloc[0]
        raise InputError(f"phases: phase {name!r} is printed with two different spans")
    printed = (spans.set_index("phase")[["first_year_printed", "last_year_printed"]]
               .rename(columns=lambda c: c.removesuffix("_printed")))
    expected = pd.DataFrame.from_dict(PHASE_YEARS, orient="index", columns=["first_year", "last_year"])
    expected = expected.loc[printed.index]
    report = checks.compare(printed.astype(float), expected.astype(float), decimals=0)
    report.index = report.index.set_names(["phase", "bound"])
    return report


#: what a (phase, bound) of :func:`phase_year_report` is called in prose
_BOUND_LABELS = {"first_year": "start", "last_year": "end"}


def phase_year_discrepancies(report: pd.DataFrame) -> pd.DataFrame:
    """The printed phase years of a :func:`phase_year_report` that disagree with the calendar.

    Parameters
    ----------
    report : pandas.DataFrame
        Output of :func:`phase_year_report` (index ``phase``, ``bound``).

    Returns
    -------
    pandas.DataFrame
        One row per discrepancy, in the report's order: ``label`` ("start of phase 3", "end of
        phase 2", ...), ``printed`` and ``calendar`` (years).

    References
    ----------
    001_b0950b57165db085.txt, 表1 (column headings).

    Examples
    --------
    >>> t1 = pd.DataFrame({"phase": ["phase3"], "first_year_printed": [2012],
    ...                    "last_year_printed": [2020]})
    >>> phase_year_discrepancies(phase_year_report(t1)).to_dict("records")
    [{'label': 'start of phase 3', 'printed': 2012.0, 'calendar': 2013.0}]
    """
    from carbonlib import checks

    bad = checks.discrepancies(report)
    phase = bad.index.get_level_values("phase").str.removeprefix("phase")
    bound = bad.index.get_level_values("bound").map(_BOUND_LABELS)
    return pd.DataFrame({"label": bound + " of phase " + phase,
                         "printed": bad["printed"].to_numpy(), "calendar": bad["recomputed"].to_numpy()})


def activity_gases(activities: pd.DataFrame) -> pd.DataFrame:
    """Gases of each 表2 activity, parsed from the printed gas column.

    Parameters
    ----------
    activities : pandas.DataFrame
        表2 layout: ``activity`` and ``gases_printed_zh`` (e.g. ``"CO2 與 PFC"``, ``"CO2與N2O"``).

    Returns
    -------
    pandas.DataFrame
        Boolean table, index ``activity`` (in the printed order, once each), columns ``CO2``,
        ``N2O``, ``PFC``.

    Raises
    ------
    InputError
        Missing columns, or an activity whose gas cell names none of CO2, N2O and PFC.

    References
    ----------
    001_b0950b57165db085.txt, 表2 column 溫室氣體.

    Examples
    --------
    >>> t2 = pd.DataFrame({"activity": ["coke", "primary_aluminium"],
    ...                    "gases_printed_zh": ["CO2", "CO2 與 PFC"]})
    >>> activity_gases(t2).loc["primary_aluminium"].tolist()
    [True, False, True]
    """
    missing = [c for c in ("activity", "gases_printed_zh") if c not in activities.columns]
    if missing:
        raise InputError(f"activities: missing column {missing[0]!r}")
    rows = activities.drop_duplicates("activity").set_index("activity")["gases_printed_zh"].fillna("").astype(str)
    out = pd.DataFrame({g: rows.str.contains(g, regex=False) for g in GASES})
    none = ~out.any(axis=1)
    if none.any():
        raise InputError(f"activities: activity {none.index[none][0]!r} names none of the gases {list(GASES)}")
    return out


def gases_by_phase(phases: pd.DataFrame) -> pd.DataFrame:
    """Gases covered in each phase, parsed from the 氣體 row of 表1.

    Parameters
    ----------
    phases : pandas.DataFrame
        表1 layout: ``aspect``, ``phase``, ``text_zh``; the row with ``aspect == "gases"``
        holds a comma-separated list such as ``"CO2, N2O, PFC (鋁生產)"``.

    Returns
    -------
    pandas.DataFrame
        Boolean table, index ``gas`` (CO2, N2O, PFC), one column per phase.

    Raises
    ------
    InputError
        ``phases`` failing the schema of the resource ``scope_phases_t1``
        (:func:`carbonlib.validate.table`: missing columns, an unknown aspect or phase, an
        aspect of a phase twice, missing text), no gases row, or a gas that is not CO2, N2O or
        PFC.

    References
    ----------
    001_b0950b57165db085.txt, 表1 row 氣體.

    Examples
    --------
    >>> t1 = pd.DataFrame({"aspect": ["gases", "gases"], "phase": ["phase1", "phase3"],
    ...                    "text_zh": ["CO2", "CO2, N2O, PFC (鋁生產)"]})
    >>> gases_by_phase(t1)["phase3"].tolist()
    [True, True, True]
    """
    validate.table(phases, "scope_phases_t1", "phases", columns=["aspect", "phase", "text_zh"])
    rows = phases[phases["aspect"] == "gases"]
    if rows.empty:
        raise InputError("phases: no row with aspect 'gases'")
    tokens = (rows.assign(gas=rows["text_zh"].str.split(","))
              .explode("gas")
              .assign(gas=lambda d: d["gas"].str.strip().str.extract(r"^([A-Za-z0-9]+)", expand=False)))
    unknown = sorted(set(tokens["gas"].dropna()) - set(GASES))
    if unknown or tokens["gas"].isna().any():
        bad = unknown[0] if unknown else None
        raise InputError(f"phases: unknown gas {bad!r} in the gases row; expected {list(GASES)}")
    table = pd.crosstab(tokens["gas"], tokens["phase"]).reindex(index=list(GASES), fill_value=0) > 0
    table.columns.name = None
    return table


# --------------------------------------------------------------------------------------------
# 表2: which installations are covered
# --------------------------------------------------------------------------------------------
def thresholds(activities: pd.DataFrame, correct_printing_errors: bool = False) -> pd.DataFrame:
    """Capacity threshold of each 表2 activity in one column, with its unit and rule.

    Parameters
    ----------
    activities : pandas.DataFrame
        表2 layout (``scope_activities_t2``): ``activity`` and the four threshold columns
        ``thermal_input_threshold_mw``, ``capacity_threshold_t_per_h``,
        ``capacity_threshold_t_per_day``, ``aircraft_mass_threshold_kg``.
    correct_printing_errors : bool
        Replace printed thresholds listed in :data:`DIRECTIVE_THRESHOLD_CORRECTIONS` (mineral
        wool: printed 20 萬公噸 = 200,000 t/day, Directive 20 t/day) by the Directive's value.

    Returns
    -------
    pandas.DataFrame
        Index ``activity``; columns ``threshold`` (NaN = no threshold, always covered),
        ``capacity_unit`` (MW, t/h, t/day, kg or empty) and ``rule``: ``">"`` (capacity must
        exceed the threshold, 超過) or ``">="`` (aviation: flights of aircraft under 5,700 kg
        excluded).

    Raises
    ------
    InputError
        ``activities`` failing the schema of the resource ``scope_activities_t2``
        (:func:`carbonlib.validate.table`: missing columns, a threshold that is not a number or
        negative, an activity twice), or an activity with thresholds in two units.

    References
    ----------
    001_b0950b57165db085.txt, 表2.

    Examples
    --------
    >>> t2 = pd.DataFrame({"activity": ["combustion", "coke"],
    ...                    "thermal_input_threshold_mw": [20.0, None],
    ...                    "capacity_threshold_t_per_h": [None, None],
    ...                    "capacity_threshold_t_per_day": [None, None],
    ...                    "aircraft_mass_threshold_kg": [None, None]})
    >>> thresholds(t2).loc["combustion", "threshold"]
    np.float64(20.0)
    """
    activities = validate.table(activities, "scope_activities_t2", "activities",
                                columns=["activity", *THRESHOLD_COLUMNS.values()])
    values = activities.set_index("activity")[list(THRESHOLD_COLUMNS.values())]
    if correct_printing_errors:
        values = values.copy()
        for activity, (col, value) in DIRECTIVE_THRESHOLD_CORRECTIONS.items():
            if activity in values.index:
                values.loc[activity, col] = value
    count = values.notna().sum(axis=1)
    if (count > 1).any():
        name = count.index[count > 1][0]
        raise InputError(f"activities: activity {name!r} has thresholds in more than one unit")
    units = pd.Series(list(THRESHOLD_COLUMNS), index=list(THRESHOLD_COLUMNS.values()))
    unit = values.notna().idxmax(axis=1).map(units).where(count > 0, "")
    out = pd.DataFrame({"threshold": values.max(axis=1), "capacity_unit": unit})
    out["rule"] = np.where(out["capacity_unit"] == "kg", ">=", ">")
    return out


def threshold_corrections(activities: pd.DataFrame) -> pd.DataFrame:
    """Printed thresholds of 表2 against Directive 2003/87/EC where the printing is wrong.

    Parameters
    ----------
    activities : pandas.DataFrame
        表2 layout (see :func:`thresholds`).

    Returns
    -------
    pandas.DataFrame
        A :func:`carbonlib.checks.compare` report indexed by ``activity``: printed threshold
        versus the Directive's (:data:`DIRECTIVE_THRESHOLD_CORRECTIONS`), same unit.

    References
    ----------
    001_b0950b57165db085.txt, 表2 row 礦物棉 (每日產能超過 20 萬公噸).

    Examples
    --------
    >>> t2 = pd.DataFrame({"activity": ["mineral_wool"], "thermal_input_threshold_mw": [None],
    ...                    "capacity_threshold_t_per_h": [None],
    ...                    "capacity_threshold_t_per_day": [200000.0],
    ...                    "aircraft_mass_threshold_kg": [None]})
    >>> threshold_corrections(t2)["difference"].tolist()
    [199980.0]
    """
    from carbonlib import checks

    printed = thresholds(activities)["threshold"]
    fixed = thresholds(activities, correct_printing_errors=True)["threshold"]
    keys = [a for a in DIRECTIVE_THRESHOLD_CORRECTIONS if a in printed.index]
    report = checks.compare(printed[keys], fixed[keys], decimals=0)
    report.index.name = "activity"
    return report


def covered_activities(
    units: pd.DataFrame, activities: pd.DataFrame, correct_printing_errors: bool = False
) -> pd.DataFrame:
    """Capacity per installation and 表2 activity, compared with the activity's threshold.

    Capacities of the units of one installation carrying out the same activity are added
    (相同排放源不同活動須合併計算); for thermal-input thresholds, units under 3 MW and units
    burning only biomass are not counted. For aviation the heaviest aircraft counts.

    Parameters
    ----------
    units : pandas.DataFrame
        One row per unit: ``installation``, ``unit``, ``activity`` (表2 key), ``capacity``
        (in ``capacity_unit``; may be empty for activities without threshold),
        ``capacity_unit`` (MW thermal input, t/h, t/day, kg aircraft mass) and optionally
        ``biomass_only`` (bool).
    activities : pandas.DataFrame
        表2 layout (see :func:`thresholds`).
    correct_printing_errors : bool
        Use the Directive's threshold where 表2 is misprinted (mineral wool).

    Returns
    -------
    pandas.DataFrame
        One row per installation and activity: ``capacity`` (counted total), ``capacity_unit``,
        ``threshold``, ``rule``, ``units_counted``, ``covered`` (bool) and ``reason``.

    Raises
    ------
    InputError
        ``units`` failing the schema of the resource ``leakage_installation_units``,
        ``biomass_only`` optional (:func:`carbonlib.validate.table`: missing columns, a
        capacity that is not a number or negative, an unknown capacity unit, a unit twice), an
        unknown activity, a capacity in the wrong unit, or no capacity for an activity with a
        threshold.

    References
    ----------
    001_b0950b57165db085.txt, 表2 and the paragraph before it.

    Examples
    --------
    >>> t2 = pd.DataFrame({"activity": ["combustion"], "thermal_input_threshold_mw": [20.0],
    ...                    "capacity_threshold_t_per_h": [None],
    ...                    "capacity_threshold_t_per_day": [None],
    ...                    "aircraft_mass_threshold_kg": [None]})
    >>> u = pd.DataFrame({"installation": ["B", "B"], "unit": ["B1", "B2"],
    ...                   "activity": ["combustion"] * 2, "capacity": [18.0, 2.5],
    ...                   "capacity_unit": ["MW", "MW"]})
    >>> bool(covered_activities(u, t2)["covered"].iloc[0])
    False
    """
    units = validate.table(units, "leakage_installation_units", "units",
                           columns=["installation", "unit", "activity", "capacity", "capacity_unit",
                                    "biomass_only"],
                           optional=["biomass_only"], constraints={"biomass_only": {}})
    thr = thresholds(activities, correct_printing_errors)
    idx = thr.index.get_indexer(units["activity"])
    if (idx < 0).any():
        i = int(np.flatnonzero(idx < 0)[0])
        raise InputError(
            f"activity: unknown activity {units['activity'].iloc[i]!r} for unit "
            f"{units['unit'].iloc[i]!r} (not in 表2)"
        )
    capacity = units["capacity"].to_numpy()
    want_unit = thr["capacity_unit"].to_numpy(dtype=object)[idx]
    has_threshold = want_unit != ""
    given_unit = units["capacity_unit"].fillna("").astype(str).to_numpy(dtype=object)
    no_cap = has_threshold & np.isnan(capacity)
    if no_cap.any():
        i = int(np.flatnonzero(no_cap)[0])
        raise InputError(
            f"capacity: missing for unit {units['unit'].iloc[i]!r}; activity "
            f"{units['activity'].iloc[i]!r} has a threshold in {want_unit[i]}"
        )
    wrong = has_threshold & (given_unit != want_unit)
    if wrong.any():
        i = int(np.flatnonzero(wrong)[0])
        raise InputError(
            f"capacity_unit: unit {units['unit'].iloc[i]!r} gives {given_unit[i]!r} but activity "
            f"{units['activity'].iloc[i]!r} has its threshold in {want_unit[i]!r}"
        )
    biomass = (units["biomass_only"].fillna(False).to_numpy(dtype=bool)
               if "biomass_only" in units.columns else np.zeros(len(units), dtype=bool))
    is_mw = want_unit == "MW"
    counted = ~(is_mw & ((capacity < MIN_UNIT_THERMAL_INPUT_MW) | biomass))
    frame = pd.DataFrame({
        "installation": units["installation"].to_numpy(dtype=object),
        "activity": units["activity"].to_numpy(dtype=object),
        "summed": np.where(counted, np.nan_to_num(capacity), 0.0),
        "heaviest": np.where(counted, np.nan_to_num(capacity), 0.0),
        "units_counted": counted.astype(int),
    })
    out = (frame.groupby(["installation", "activity"], sort=False)
           .agg(summed=("summed", "sum"), heaviest=("heaviest", "max"),
                units_counted=("units_counted", "sum"))
           .reset_index()
           .join(thr, on="activity"))
    is_kg = (out["capacity_unit"] == "kg").to_numpy()
    out["capacity"] = np.where(is_kg, out["heaviest"], out["summed"])
    out.loc[out["capacity_unit"] == "", "capacity"] = np.nan
    cap = out["capacity"].to_numpy(dtype=float)
    limit = out["threshold"].to_numpy(dtype=float)
    no_limit = np.isnan(limit)
    exceeds = np.where(is_kg, cap >= limit, cap > limit)
    out["covered"] = no_limit | exceeds
    cap_txt = out["capacity"].map("{:g}".format)
    lim_txt = out["threshold"].map("{:g}".format)
    unit_txt = out["capacity_unit"]
    out["reason"] = np.select(
        [no_limit, is_kg & exceeds, is_kg, exceeds],
        [
            "表2 " + out["activity"] + ": no threshold",
            "表2 " + out["activity"] + ": aircraft " + cap_txt + " kg >= " + lim_txt + " kg",
            "表2 " + out["activity"] + ": aircraft " + cap_txt + " kg < " + lim_txt + " kg (excluded)",
            "表2 " + out["activity"] + ": " + cap_txt + " " + unit_txt + " > " + lim_txt + " " + unit_txt,
        ],
        default="表2 " + out["activity"] + ": " + cap_txt + " " + unit_txt + " not above "
        + lim_txt + " " + unit_txt,
    )
    return out[["installation", "activity", "capacity", "capacity_unit", "threshold", "rule",
                "units_counted", "covered", "reason"]]


def coverage(
    units: pd.DataFrame,
    activities: pd.DataFrame,
    emissions: pd.DataFrame | None = None,
    apply_opt_out: bool = True,
    correct_printing_errors: bool = False,
    max_emissions_t: float = SMALL_EMITTER_MAX_EMISSIONS_T,
    max_thermal_input_mw: float = SMALL_EMITTER_MAX_THERMAL_INPUT_MW,
) -> pd.DataFrame:
    """Whether each installation is covered by the Phase 3 EU ETS, and why.

    An installation is covered when any of its 表2 activities is (see
    :func:`covered_activities`). A covered combustion installation with annual emissions of at
    most ``max_emissions_t`` and a counted thermal input of at most ``max_thermal_input_mw`` may
    be excluded as a small emitter (000 point (12); 以下 and 不超過 read as inclusive).

    Parameters
    ----------
    units : pandas.DataFrame
        Units, as for :func:`covered_activities`.
    activities : pandas.DataFrame
        表2 layout.
    emissions : pandas.DataFrame, optional
        ``installation``, ``annual_emissions_t`` (tCO2 a year). Without it no installation is
        eligible for the opt-out.
    apply_opt_out : bool
        Exclude eligible small emitters (the opt-out is at the member state's discretion).
    correct_printing_errors : bool
        Use the Directive's threshold where 表2 is misprinted.
    max_emissions_t : float
        Opt-out emission ceiling, tCO2 a year (10,000).
    max_thermal_input_mw : float
        Opt-out thermal-input ceiling, MW (25).

    Returns
    -------
    pandas.DataFrame
        One row per installation: ``covered_by_activity``, ``thermal_input_mw`` (counted),
        ``annual_emissions_t``, ``opt_out_eligible``, ``covered`` and ``reason``.

    Raises
    ------
    InputError
        As :func:`covered_activities`; ``emissions`` failing the schema of the resource
        ``leakage_installation_emissions`` (:func:`carbonlib.validate.table`: missing columns,
        emissions that are not a number, negative or missing, an installation twice); negative
        ceilings; an installation with emissions but no units.

    References
    ----------
    001_b0950b57165db085.txt, 表2; 000_318ba4d3771c8f90.txt, EU ETS 第三階段規劃方向 (12).

    Examples
    --------
    >>> t2 = pd.DataFrame({"activity": ["combustion"], "thermal_input_threshold_mw": [20.0],
    ...                    "capacity_threshold_t_per_h": [None],
    ...                    "capacity_threshold_t_per_day": [None],
    ...                    "aircraft_mass_threshold_kg": [None]})
    >>> u = pd.DataFrame({"installation": ["B"], "unit": ["B1"], "activity": ["combustion"],
    ...                   "capacity": [22.0], "capacity_unit": ["MW"]})
    >>> e = pd.DataFrame({"installation": ["B"], "annual_emissions_t": [8000.0]})
    >>> coverage(u, t2, e)["reason"].iloc[0]
    'small-emitter opt-out: 8000 t <= 10000 t and 22 MW <= 25 MW'
    """
    if max_emissions_t < 0 or max_thermal_input_mw < 0:
        raise InputError(
            f"opt-out ceilings: negative value ({max_emissions_t} t, {max_thermal_input_mw} MW)"
        )
    per_activity = covered_activities(units, activities, correct_printing_errors)
    mw = per_activity["capacity"].where(per_activity["capacity_unit"] == "MW", 0.0)
    per_activity = per_activity.assign(mw=mw.fillna(0.0))
    grouped = per_activity.groupby("installation", sort=False)
    out = pd.DataFrame({
        "covered_by_activity": grouped["covered"].any(),
        "thermal_input_mw": grouped["mw"].sum(),
        "activity_reason": per_activity.sort_values("covered", ascending=False, kind="stable")
        .groupby("installation", sort=False)["reason"].agg("; ".join),
    })
    if emissions is not None:
        checked = validate.table(emissions, "leakage_installation_emissions", "emissions")
        extra = sorted(set(checked["installation"]) - set(out.index))
        if extra:
            raise InputError(f"emissions: installation {extra[0]!r} has no units")
        out["annual_emissions_t"] = emissions.set_index("installation")["annual_emissions_t"]  # as given
        annual = checked.set_index("installation")["annual_emissions_t"].reindex(out.index)
    else:
        out["annual_emissions_t"] = annual = pd.Series(np.nan, index=out.index)
    e = annual.to_numpy(dtype=float)
    q = out["thermal_input_mw"].to_numpy(dtype=float)
    eligible = out["covered_by_activity"].to_numpy() & (q > 0) & (q <= max_thermal_input_mw) & (e <= max_emissions_t)
    out["opt_out_eligible"] = eligible
    out["covered"] = out["covered_by_activity"] & ~(eligible & apply_opt_out)
    opt_txt = ("small-emitter opt-out: " + annual.map("{:g}".format) + " t <= "
               + f"{max_emissions_t:g} t and " + out["thermal_input_mw"].map("{:g}".format)
               + f" MW <= {max_thermal_input_mw:g} MW")
    out["reason"] = np.where(
        eligible & apply_opt_out, opt_txt,
        np.where(eligible, out["activity_reason"] + " (opt-out eligible, not applied)",
                 out["activity_reason"]),
    )
    out.index.name = "installation"
    return out.drop(columns="activity_reason").reset_index()


# --------------------------------------------------------------------------------------------
# carbon-leakage test
# --------------------------------------------------------------------------------------------
SECTOR_COLUMNS = ["sector", "additional_cost_meur", "gva_meur", "exports_third_meur",
                  "imports_third_meur", "eu_market_meur"]


def leakage_test(
    sectors: pd.DataFrame,
    cost_min_pct: float = COST_SHARE_MIN_PCT,
    trade_min_pct: float = TRADE_INTENSITY_MIN_PCT,
    cost_only_pct: float = COST_SHARE_ONLY_PCT,
    trade_only_pct: float = TRADE_INTENSITY_ONLY_PCT,
) -> pd.DataFrame:
    """Apply the carbon-leakage criteria to a sector table.

    * A (Art. 10a(15)): cost share >= ``cost_min_pct`` and trade intensity > ``trade_min_pct``;
    * B (Art. 10a(16a)): cost share >= ``cost_only_pct``;
    * C (Art. 10a(16b)): trade intensity > ``trade_only_pct``.

    cost share = 100 x additional cost / GVA; trade intensity = 100 x (exports to third
    countries + imports from third countries) / EU market size.

    Parameters
    ----------
    sectors : pandas.DataFrame
        ``sector``, ``additional_cost_meur`` (direct and indirect additional cost),
        ``gva_meur`` (gross value added), ``exports_third_meur``, ``imports_third_meur``,
        ``eu_market_meur`` (all million EUR); other columns are kept.
    cost_min_pct, trade_min_pct, cost_only_pct, trade_only_pct : float
        Thresholds in percent (5, 10, 30, 30).

    Returns
    -------
    pandas.DataFrame
        The input with ``cost_share_gva_pct``, ``trade_intensity_pct`` (percent),
        ``criterion_a``, ``criterion_b``, ``criterion_c`` (bool), ``criteria`` (letters met,
        e.g. ``"AC"``, empty if none) and ``exposed`` (any criterion met).

    Raises
    ------
    InputError
        ``sectors`` failing the schema of the resource ``leakage_sectors``
        (:func:`carbonlib.validate.table`: missing columns, a duplicate sector, a value that is
        not a number, negative or missing), zero GVA or market size, or a negative threshold.

    References
    ----------
    001_b0950b57165db085.txt, 二.(三) C.a 碳洩漏判定 Ⅰ-Ⅲ.

    Examples
    --------
    >>> s = pd.DataFrame({"sector": ["X"], "additional_cost_meur": [50.0], "gva_meur": [1000.0],
    ...                   "exports_third_meur": [130.0], "imports_third_meur": [80.0],
    ...                   "eu_market_meur": [2000.0]})
    >>> out = leakage_test(s)
    >>> float(out["trade_intensity_pct"].iloc[0]), out["criteria"].iloc[0]
    (10.5, 'A')
    """
    checked = validate.table(sectors, "leakage_sectors", "sectors", columns=SECTOR_COLUMNS)
    for name, value in (("cost_min_pct", cost_min_pct), ("trade_min_pct", trade_min_pct),
                        ("cost_only_pct", cost_only_pct), ("trade_only_pct", trade_only_pct)):
        if not value >= 0:
            raise InputError(f"{name}: threshold must be a non-negative percentage, got {value}")
    for col in ("gva_meur", "eu_market_meur"):
        zero = np.flatnonzero(checked[col].to_numpy() == 0)
        if zero.size:
            raise InputError(f"{col}: zero for sector {sectors['sector'].iloc[int(zero[0])]!r} "
                             "(the share is undefined)")
    out = sectors.copy()
    c = checked
    out["cost_share_gva_pct"] = 100.0 * c["additional_cost_meur"] / c["gva_meur"]
    out["trade_intensity_pct"] = (100.0 * (c["exports_third_meur"] + c["imports_third_meur"])
                                  / c["eu_market_meur"])
    cost = out["cost_share_gva_pct"].round(10)  # 50/1000*100 must be exactly 5 at the boundary
    trade = out["trade_intensity_pct"].round(10)
    out["criterion_a"] = (cost >= cost_min_pct) & (trade > trade_min_pct)
    out["criterion_b"] = cost >= cost_only_pct
    out["criterion_c"] = trade > trade_only_pct
    letters = pd.DataFrame({c.upper(): out[f"criterion_{c}"] for c in "abc"})
    out["criteria"] = letters.dot(letters.columns).astype(str)
    out["exposed"] = letters.any(axis=1)
    return out


# --------------------------------------------------------------------------------------------
# 附件三
# --------------------------------------------------------------------------------------------
def _check_annex3(annex3: pd.DataFrame) -> None:
    """附件三 against its resource's schema; criteria as any letters :func:`criteria_letters` reads."""
    validate.table(annex3, "leakage_annex3_sectors", "annex3", what="NACE code",
                   columns=["nace_code", "criteria_printed"],
                   constraints={"criteria_printed": {"required": True}})


def criteria_letters(printed: pd.Series) -> pd.Series:
    """Normalise criteria letters as printed in 附件三 (``A、C``, ``A/C``, ``AC``) to ``"AC"``.

    Parameters
    ----------
    printed : pandas.Series
        Criteria as printed.

    Returns
    -------
    pandas.Series
        Letters A, B, C met, sorted, without separator.

    Raises
    ------
    InputError
        A cell with a character other than A, B, C, 、 or /, or with no letter.

    References
    ----------
    001_b0950b57165db085.txt, 附件三 (column 符合碳洩漏判定條件).

    Examples
    --------
    >>> criteria_letters(pd.Series(["A、C", "A/C", "AB", "C"])).tolist()
    ['AC', 'AC', 'AB', 'C']
    """
    text = printed.astype(str).str.replace(r"[、/\s]", "", regex=True)
    bad = ~text.str.fullmatch(r"[ABC]+")
    if bad.any():
        raise InputError(f"criteria: cannot read {printed[bad].iloc[0]!r}; expected letters A, B, C")
    return text.map(lambda s: "".join(c for c in "ABC" if c in s))


def annex3_by_criterion(annex3: pd.DataFrame) -> pd.DataFrame:
    """Number of 附件三 sectors meeting each criterion, and per combination of criteria.

    Parameters
    ----------
    annex3 : pandas.DataFrame
        附件三 layout (``leakage_annex3_sectors``): ``nace_code``, ``criteria_printed``.

    Returns
    -------
    pandas.DataFrame
        Index ``group``: ``A``, ``B``, ``C`` (sectors meeting that criterion, alone or with
        another), then each printed combination ``only A``, ``only B``, ``only C``, ``A+B``,
        ``A+C``, ..., then ``all``; columns ``kind`` (criterion / combination / total),
        ``sectors`` (count) and ``share_pct`` (percent of all sectors).

    Raises
    ------
    InputError
        ``annex3`` failing the schema of the resource ``leakage_annex3_sectors``, any letters
        allowed (:func:`carbonlib.validate.table`: missing columns, a missing cell, a NACE code
        twice), or an unreadable criteria cell.

    References
    ----------
    001_b0950b57165db085.txt, 附件三.

    Examples
    --------
    >>> a3 = pd.DataFrame({"nace_code": ["0510", "2351", "2442"],
    ...                    "criteria_printed": ["C", "B", "AC"]})
    >>> annex3_by_criterion(a3).loc[["A", "C", "all"], "sectors"].tolist()
    [1, 2, 3]
    """
    _check_annex3(annex3)
    letters = criteria_letters(annex3["criteria_printed"])
    n = len(letters)
    per = pd.Series({c: int(letters.str.contains(c).sum()) for c in "ABC"})
    combos = letters.value_counts()
    combo_names = {k: ("only " + k if len(k) == 1 else "+".join(k)) for k in combos.index}
    combos = combos.rename(index=combo_names).sort_index()
    out = pd.DataFrame({
        "kind": ["criterion"] * 3 + ["combination"] * len(combos) + ["total"],
        "sectors": list(per) + list(combos.astype(int)) + [n],
    }, index=pd.Index(list(per.index) + list(combos.index) + ["all"], name="group"))
    out["share_pct"] = 100.0 * out["sectors"] / n
    return out


def annex3_by_division(annex3: pd.DataFrame) -> pd.DataFrame:
    """Number of 附件三 sectors per NACE division (first two digits) and criterion.

    Parameters
    ----------
    annex3 : pandas.DataFrame
        附件三 layout: ``nace_code`` (four digits), ``criteria_printed``.

    Returns
    -------
    pandas.DataFrame
        Index ``division`` (two-digit string); columns ``A``, ``B``, ``C`` (sectors meeting each
        criterion) and ``sectors`` (codes in the division).

    Raises
    ------
    InputError
        As :func:`annex3_by_criterion`, or a code that is not four digits.

    References
    ----------
    001_b0950b57165db085.txt, 附件三.

    Examples
    --------
    >>> a3 = pd.DataFrame({"nace_code": ["2351", "2352", "2442"],
    ...                    "criteria_printed": ["B", "B", "AC"]})
    >>> annex3_by_division(a3)["sectors"].tolist()
    [2, 1]
    """
    _check_annex3(annex3)
    code = annex3["nace_code"].astype(str)
    bad = ~code.str.fullmatch(r"[0-9]{4}")
    if bad.any():
        raise InputError(f"nace_code: {code[bad].iloc[0]!r} is not a four-digit NACE code")
    letters = criteria_letters(annex3["criteria_printed"])
    flags = pd.DataFrame({c: letters.str.contains(c).astype(int) for c in "ABC"})
    flags["sectors"] = 1
    flags["division"] = code.str[:2].to_numpy()
    return flags.groupby("division").sum()


def on_leakage_list(codes, annex3: pd.DataFrame) -> pd.DataFrame:
    """Look NACE-4 codes up in 附件三.

    Parameters
    ----------
    codes : sequence of str
        Four-digit NACE Rev. 2 codes (with leading zero, e.g. ``"0510"``).
    annex3 : pandas.DataFrame
        附件三 layout: ``nace_code``, ``label_zh``, ``criteria_printed``.

    Returns
    -------
    pandas.DataFrame
        One row per code: ``nace_code``, ``on_list`` (bool), ``label_zh`` and ``criteria``
        (empty when not listed).

    Raises
    ------
    InputError
        A code that is not a four-digit string.

    References
    ----------
    001_b0950b57165db085.txt, 附件三.

    Examples
    --------
    >>> a3 = pd.DataFrame({"nace_code": ["2351"], "label_zh": ["水泥製造"],
    ...                    "criteria_printed": ["B"]})
    >>> on_leakage_list(["2351", "1071"], a3)["on_list"].tolist()
    [True, False]
    """
    query = pd.Series(list(codes), dtype=object)
    bad = ~query.map(lambda c: isinstance(c, str)) | ~query.astype(str).str.fullmatch(r"[0-9]{4}")
    if bad.any():
        raise InputError(f"nace_code: {query[bad].iloc[0]!r} is not a four-digit NACE code string")
    table = annex3.assign(criteria=criteria_letters(annex3["criteria_printed"]))
    table = table.set_index("nace_code")[["label_zh", "criteria"]]
    out = table.reindex(query.to_numpy())
    out.index.name = "nace_code"
    out = out.reset_index()
    out.insert(1, "on_list", out["criteria"].notna())
    return out.fillna({"label_zh": "", "criteria": ""})


# --------------------------------------------------------------------------------------------
# penalty
# --------------------------------------------------------------------------------------------
def constant_inflation(rate_pct: float, years=PHASE3_YEARS[1:]) -> pd.Series:
    """A constant annual inflation series, percent per year.

    Parameters
    ----------
    rate_pct : float
        Annual inflation, percent (above -100).
    years : sequence of int
        Years (2014-2020 by default).

    Returns
    -------
    pandas.Series
        ``assumed_inflation_pct`` per year (index ``year``): an assumption, not an observed series.

    Raises
    ------
    InputError
        A year outside 2013-2020 or a rate of -100 % or less.

    References
    ----------
    001_b0950b57165db085.txt, 3.罰則 (每年隨歐元區通貨膨脹比例調整).

    Examples
    --------
    >>> constant_inflation(2.0).loc[2020]
    np.float64(2.0)
    """
    yrs = check_phase3_years(years)
    if not rate_pct > -100:
        raise InputError(f"rate_pct: inflation {rate_pct} % is not above -100 %")
    return pd.Series(float(rate_pct), index=pd.Index(yrs, name="year"), name="assumed_inflation_pct")


def penalty_path(
    inflation_pct: pd.Series,
    years=PHASE3_YEARS,
    base_eur_per_t: float = PENALTY_2013_EUR_PER_T,
    base_year: int = 2013,
) -> pd.Series:
    """Excess-emissions penalty per year, indexed by inflation from the base year.

    ``penalty(y) = base x prod_{t = base_year + 1}^{y} (1 + inflation_pct(t) / 100)``: the
    penalty of year *y* carries the inflation of the years after the base year up to *y*.

    Parameters
    ----------
    inflation_pct : pandas.Series
        Annual euro-area inflation in percent, indexed by year; must cover every year after
        ``base_year`` up to the last of ``years``.
    years : sequence of int
        Years of the path (2013-2020).
    base_eur_per_t : float
        Penalty in the base year, EUR per tCO2 (100).
    base_year : int
        Year of ``base_eur_per_t`` (2013).

    Returns
    -------
    pandas.Series
        ``penalty_eur_per_t`` per year (index ``year``).

    Raises
    ------
    InputError
        A year outside 2013-2020 (in ``years`` or the inflation index), a year before the
        base year, an inflation year missing, inflation of -100 % or less, or a negative base.

    References
    ----------
    001_b0950b57165db085.txt, 3.罰則 (2013 年每公噸 CO2 罰金為 100 歐元，且每年隨歐元區通貨膨脹比例調整).

    Examples
    --------
    >>> p = penalty_path(pd.Series({2014: 2.0, 2015: 1.0}), years=[2013, 2014, 2015])
    >>> [round(float(v), 4) for v in p]
    [100.0, 102.0, 103.02]
    """
    yrs = check_phase3_years(years)
    check_phase3_years([base_year], "base_year")
    if base_eur_per_t < 0:
        raise InputError(f"base_eur_per_t: negative penalty {base_eur_per_t}")
    early = yrs[yrs < base_year]
    if early.size:
        raise InputError(f"years: year {int(early[0])} is before the base year {base_year}")
    rates = pd.Series(inflation_pct, dtype=float)
    check_phase3_years(rates.index, "inflation_pct")
    low = rates[~(rates > -100)]
    if low.size:
        raise InputError(f"inflation_pct: {float(low.iloc[0])} % in {int(low.index[0])} is not above -100 %")
    needed = np.arange(base_year + 1, int(yrs.max()) + 1) if yrs.size else np.array([], dtype=int)
    missing = [int(y) for y in needed if y not in rates.index]
    if missing:
        raise InputError(f"inflation_pct: no rate for year {missing[0]}")
    factors = (1 + rates.reindex(needed) / 100).cumprod()
    index = pd.concat([pd.Series([1.0], index=[base_year]), factors])
    values = base_eur_per_t * index.reindex(yrs).to_numpy(dtype=float)
    return pd.Series(values, index=pd.Index(yrs, name="year"), name="penalty_eur_per_t")


def penalty_due(excess_t: pd.Series, penalty: pd.Series) -> pd.Series:
    """Penalty owed: excess emissions x penalty of the year.

    Parameters
    ----------
    excess_t : pandas.Series
        Emissions not covered by surrendered allowances, tCO2, indexed by year.
    penalty : pandas.Series
        Penalty per year, EUR/tCO2 (:func:`penalty_path`).

    Returns
    -------
    pandas.Series
        ``penalty_eur`` per year.

    Raises
    ------
    InputError
        Negative excess emissions, or a year without a penalty.

    References
    ----------
    001_b0950b57165db085.txt, 3.罰則.

    Examples
    --------
    >>> penalty_due(pd.Series({2013: 50.0}), pd.Series({2013: 100.0})).tolist()
    [5000.0]
    """
    excess = pd.Series(excess_t, dtype=float)
    neg = excess[excess < 0]
    if neg.size:
        raise InputError(f"excess_t: negative value {float(neg.iloc[0])} in {neg.index[0]}")
    missing = [y for y in excess.index if y not in penalty.index]
    if missing:
        raise InputError(f"penalty: no penalty for year {missing[0]}")
    return (excess * penalty.reindex(excess.index)).rename("penalty_eur")

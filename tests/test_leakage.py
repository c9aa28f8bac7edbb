"""Tests for carbonlib.leakage: printed 表1, 表2, 附件三 and quoted figures; scope, leakage
test and penalty rules; identities; errors."""

import numpy as np
import pandas as pd
import pytest
from numpy.testing import assert_allclose

from carbonlib import calendar, checks, datasets
from carbonlib import leakage as lk
from carbonlib.errors import InputError

GASES = (("CO2", "co2"), ("N2O", "n2o"), ("PFC", "pfc"))  # gas as printed, its flag column


@pytest.fixture(scope="module")
def t1():
    return datasets.load("scope_phases_t1")


@pytest.fixture(scope="module")
def t2():
    return datasets.load("scope_activities_t2")


@pytest.fixture(scope="module")
def annex3():
    return datasets.load("leakage_annex3_sectors")


@pytest.fixture(scope="module")
def quoted():
    return datasets.load("leakage_quoted_figures").set_index("key")


@pytest.fixture(scope="module")
def units():
    return datasets.load("leakage_installation_units")


@pytest.fixture(scope="module")
def emissions():
    return datasets.load("leakage_installation_emissions")


# ---------------------------------------------------------------------------------------------
# 表1
# ---------------------------------------------------------------------------------------------
def test_table1_phase_years_printed(t1):
    """The years printed in a phase's heading are repeated, the same, on every row of the phase."""
    years = t1.groupby("phase")[["first_year_printed", "last_year_printed"]].nunique()
    assert (years == 1).all().all(), years


def test_table1_phase3_start_is_a_printing_error(t1):
    report = lk.phase_year_report(t1)
    assert len(report) == 6
    bad = checks.discrepancies(report)
    assert list(bad.index) == [("phase3", "first_year")]
    assert_allclose(bad["printed"].iloc[0], 2012, atol=0)
    assert_allclose(bad["recomputed"].iloc[0], 2013, atol=0)
    assert (report.drop(index=[("phase3", "first_year")])["status"] == "agrees").all()


def test_phases_are_contiguous():
    spans = [(first, last) for _, _, first, last in calendar.PHASES]
    for (_, end), (start, _) in zip(spans[:-1], spans[1:], strict=True):
        assert start == end + 1
    assert calendar.PHASE_YEARS["phase3"] == (min(calendar.PHASE3_YEARS), max(calendar.PHASE3_YEARS))


def test_table1_gases_by_phase(t1):
    g = lk.gases_by_phase(t1)
    assert g.to_dict() == {
        "phase1": {"CO2": True, "N2O": False, "PFC": False},
        "phase2": {"CO2": True, "N2O": True, "PFC": False},
        "phase3": {"CO2": True, "N2O": True, "PFC": True},
    }


# ---------------------------------------------------------------------------------------------
# 表2
# ---------------------------------------------------------------------------------------------
def test_table2_rows_in_printed_order(t2):
    assert t2["printed_row"].tolist() == sorted(t2["printed_row"])


def test_table2_thresholds_one_per_activity_in_its_unit(t2):
    """thresholds() gives each activity the one threshold 表2 prints, in the unit of its column;
    none (NaN, no unit) where 表2 prints none."""
    thr = lk.thresholds(t2)
    assert thr.index.tolist() == t2["activity"].tolist()
    for _, rec in t2.iterrows():
        given = {unit: rec[col] for unit, col in lk.THRESHOLD_COLUMNS.items() if not pd.isna(rec[col])}
        got = thr.loc[rec["activity"]]
        assert len(given) <= 1, rec["activity"]
        if given:
            [(unit, value)] = given.items()
            assert got["capacity_unit"] == unit and got["threshold"] == value, rec["activity"]
            assert not pd.isna(rec["threshold_printed_zh"]), rec["activity"]
        else:
            assert np.isnan(got["threshold"]) and got["capacity_unit"] == "", rec["activity"]
            assert pd.isna(rec["threshold_printed_zh"]), rec["activity"]


def test_table2_threshold_is_in_the_printed_wording(t2):
    """Each threshold is the number its printed wording and the activity's label state (萬 = 10,000)."""
    thr = lk.thresholds(t2)
    for _, rec in t2[t2["threshold_printed_zh"].notna()].iterrows():
        value = thr.loc[rec["activity"], "threshold"]
        wording = rec["threshold_printed_zh"].replace(",", "")
        number = f"{value / 1e4:g} 萬" if "萬" in wording else f"{value:g}"
        assert number in wording and number in rec["label_zh"].replace(",", ""), (rec["activity"], number)


def test_table2_gas_flags_match_printed_text(t2):
    for gas, col in GASES:
        assert (t2["gases_printed_zh"].str.contains(gas) == t2[col]).all(), gas


def test_table2_gases_equal_phase3_gases_of_table1(t1, t2):
    in_t2 = {g for g, c in GASES if t2[c].any()}
    g = lk.gases_by_phase(t1)
    assert in_t2 == set(g.index[g["phase3"]])


def test_table2_mineral_wool_printing_error(t2):
    report = lk.threshold_corrections(t2)
    assert list(report.index) == ["mineral_wool"]
    assert_allclose(report.loc["mineral_wool", ["printed", "recomputed", "difference"]].astype(float),
                    [200000, 20, 199980], atol=0)
    assert report.loc["mineral_wool", "status"] == "discrepancy"
    fixed = lk.thresholds(t2, correct_printing_errors=True)
    assert_allclose(fixed.loc["mineral_wool", "threshold"], 20, atol=0)
    assert (fixed.drop(index="mineral_wool")["threshold"].fillna(-1)
            == lk.thresholds(t2).drop(index="mineral_wool")["threshold"].fillna(-1)).all()


# ---------------------------------------------------------------------------------------------
# scope rules on the illustrative installations
# ---------------------------------------------------------------------------------------------
COVERAGE = [  # installation, covered by activity, opt-out eligible, covered (opt-out applied)
    ("BOIL_A", True, True, False),  # 15 + 8 MW (2 MW unit < 3 MW not counted), 9,000 t
    ("BOIL_B", False, False, False),  # 12 + 6 MW (4 MW biomass-only not counted)
    ("BOIL_C", True, False, True),
    ("CEM_A", True, False, True),
    ("CEM_B", False, False, False),
    ("GLS_A", False, False, False),  # exactly 20 t/day is not above 20
    ("STL_A", True, False, True),
    ("REF_A", True, False, True),
    ("WOOL_A", False, False, False),  # printed 200,000 t/day threshold
    ("NIT_A", True, False, True),
    ("PAP_A", False, False, False),
    ("AIR_A", True, False, True),  # exactly 5,700 kg is not excluded
    ("AIR_B", False, False, False),
]


@pytest.mark.parametrize(("inst", "by_activity", "eligible", "covered"), COVERAGE)
def test_coverage(t2, units, emissions, inst, by_activity, eligible, covered):
    out = lk.coverage(units, t2, emissions).set_index("installation").loc[inst]
    assert bool(out["covered_by_activity"]) is by_activity
    assert bool(out["opt_out_eligible"]) is eligible
    assert bool(out["covered"]) is covered
    kept = lk.coverage(units, t2, emissions, apply_opt_out=False).set_index("installation")
    assert bool(kept.loc[inst, "covered"]) is by_activity


def test_coverage_counts_units_and_explains(t2, units, emissions):
    act = lk.covered_activities(units, t2).set_index(["installation", "activity"])
    assert_allclose(act.loc[("BOIL_A", "combustion"), "capacity"], 23.0, atol=0)
    assert act.loc[("BOIL_A", "combustion"), "units_counted"] == 2
    assert_allclose(act.loc[("BOIL_B", "combustion"), "capacity"], 18.0, atol=0)
    out = lk.coverage(units, t2, emissions).set_index("installation")["reason"]
    assert out["BOIL_A"] == "small-emitter opt-out: 9000 t <= 10000 t and 23 MW <= 25 MW"
    assert out["BOIL_C"] == "表2 combustion: 30 MW > 20 MW"
    assert out["GLS_A"] == "表2 glass: 20 t/day not above 20 t/day"
    assert out["REF_A"] == "表2 mineral_oil_refining: no threshold"
    assert out["AIR_B"] == "表2 aviation: aircraft 5000 kg < 5700 kg (excluded)"


def test_coverage_with_directive_threshold(t2, units, emissions):
    out = lk.coverage(units, t2, emissions, correct_printing_errors=True).set_index("installation")
    assert bool(out.loc["WOOL_A", "covered"])
    assert out.loc["WOOL_A", "reason"] == "表2 mineral_wool: 150 t/day > 20 t/day"


@pytest.mark.parametrize(("emitted", "mw", "eligible"), [
    (10000, 25, True), (10000.5, 25, False), (10000, 25.5, False), (0, 21, True),
])
def test_opt_out_boundaries_inclusive(t2, emitted, mw, eligible):
    u = pd.DataFrame({"installation": ["X"], "unit": ["X1"], "activity": ["combustion"],
                      "capacity": [mw], "capacity_unit": ["MW"]})
    e = pd.DataFrame({"installation": ["X"], "annual_emissions_t": [emitted]})
    out = lk.coverage(u, t2, e)
    assert bool(out["opt_out_eligible"].iloc[0]) is eligible
    assert bool(out["covered"].iloc[0]) is not eligible


def test_opt_out_only_for_combustion_installations(t2, units, emissions):
    out = lk.coverage(units, t2, emissions).set_index("installation")
    assert_allclose(out.loc["AIR_A", "annual_emissions_t"], 8000, atol=0)  # < 10,000 t, no MW
    assert not out.loc["AIR_A", "opt_out_eligible"]
    assert not lk.coverage(units, t2)["opt_out_eligible"].any()  # no emissions given


@pytest.mark.parametrize(("mw", "covered"), [(20, False), (20.01, True), (2.99, False)])
def test_combustion_threshold_must_be_exceeded(t2, mw, covered):
    u = pd.DataFrame({"installation": ["X", "X"], "unit": ["X1", "X2"],
                      "activity": ["combustion"] * 2, "capacity": [mw, 2.99],
                      "capacity_unit": ["MW", "MW"]})
    assert bool(lk.covered_activities(u, t2)["covered"].iloc[0]) is covered


def test_error_unknown_activity(t2, units):
    bad = units.copy()
    bad.loc[0, "activity"] = "unobtainium"
    with pytest.raises(InputError, match="activity: unknown activity 'unobtainium' for unit 'BOIL_A_1'"):
        lk.coverage(bad, t2)


def test_error_negative_capacity(t2, units):
    bad = units.copy()
    bad.loc[1, "capacity"] = -3.0
    with pytest.raises(InputError, match="units.capacity: value -3.0 for unit 'BOIL_A_2' is below the minimum 0"):
        lk.covered_activities(bad, t2)


def test_error_capacity_in_wrong_unit(t2, units):
    bad = units.copy()
    bad.loc[7, "capacity_unit"] = "t/h"
    with pytest.raises(InputError, match="capacity_unit: unit 'CEM_A_kiln' gives 't/h' but activity "
                                         "'cement_clinker_rotary_kiln' has its threshold in 't/day'"):
        lk.covered_activities(bad, t2)


def test_error_missing_capacity(t2, units):
    bad = units.copy()
    bad.loc[6, "capacity"] = np.nan
    with pytest.raises(InputError, match="capacity: missing for unit 'BOIL_C_1'"):
        lk.covered_activities(bad, t2)


def test_error_negative_emissions(t2, units, emissions):
    bad = emissions.copy()
    bad.loc[0, "annual_emissions_t"] = -1.0
    with pytest.raises(InputError, match="emissions.annual_emissions_t: value -1.0 for installation 'BOIL_A' is below the minimum 0"):
        lk.coverage(units, t2, bad)
    extra = pd.concat([emissions, pd.DataFrame({"installation": ["GHOST"], "annual_emissions_t": [1.0]})])
    with pytest.raises(InputError, match="emissions: installation 'GHOST' has no units"):
        lk.coverage(units, t2, extra)


def test_error_missing_columns(t2, units):
    with pytest.raises(InputError, match=r"units: missing columns \['capacity_unit'\]"):
        lk.covered_activities(units.drop(columns="capacity_unit"), t2)


# ---------------------------------------------------------------------------------------------
# the carbon-leakage test
# ---------------------------------------------------------------------------------------------
LEAKAGE = [  # sector, cost share % of GVA, trade intensity %, criteria met
    ("S1", 35.0, 5.0, "B"),
    ("S2", 12.0, 25.0, "A"),
    ("S3", 1.0, 45.0, "C"),
    ("S4", 2.0, 3.0, ""),
    ("S5", 5.0, 10.0, ""),  # trade intensity must be above 10 %
    ("S6", 5.0, 10.5, "A"),  # cost of exactly 5 % is enough
    ("S7", 30.0, 40.0, "ABC"),  # cost of exactly 30 % is enough
    ("S8", 4.9, 30.0, ""),  # trade intensity must be above 30 %
]


@pytest.fixture(scope="module")
def tested():
    return lk.leakage_test(datasets.load("leakage_sectors")).set_index("sector")


@pytest.mark.parametrize(("sector", "cost", "trade", "criteria"), LEAKAGE)
def test_leakage_criteria(tested, sector, cost, trade, criteria):
    row = tested.loc[sector]
    assert_allclose(row["cost_share_gva_pct"], cost, atol=1e-9)
    assert_allclose(row["trade_intensity_pct"], trade, atol=1e-9)
    assert row["criteria"] == criteria
    assert bool(row["exposed"]) is (criteria != "")
    assert [bool(row[f"criterion_{c}"]) for c in "abc"] == [c in criteria for c in "ABC"]


def test_trade_intensity_identity(tested):
    recomputed = 100 * (tested["exports_third_meur"] + tested["imports_third_meur"]) / tested["eu_market_meur"]
    assert_allclose(tested["trade_intensity_pct"], recomputed, rtol=1e-12)
    assert_allclose(tested["cost_share_gva_pct"],
                    100 * tested["additional_cost_meur"] / tested["gva_meur"], rtol=1e-12)


def test_leakage_thresholds_are_parameters():
    s = datasets.load("leakage_sectors")
    strict = lk.leakage_test(s, cost_min_pct=10, trade_min_pct=20, cost_only_pct=40, trade_only_pct=44)
    assert strict.set_index("sector")["criteria"].to_dict() == {
        "S1": "", "S2": "A", "S3": "C", "S4": "", "S5": "", "S6": "", "S7": "A", "S8": ""}


@pytest.mark.parametrize(("column", "message"), [
    ("exports_third_meur", "sectors.exports_third_meur: value -1.0 for sector 'S1' is below the minimum 0"),
    ("additional_cost_meur", "sectors.additional_cost_meur: value -1.0 for sector 'S1' is below the minimum 0"),
])
def test_error_negative_sector_value(column, message):
    s = datasets.load("leakage_sectors")
    s.loc[0, column] = -1.0
    with pytest.raises(InputError, match=message):
        lk.leakage_test(s)


def test_error_zero_market_and_bad_threshold():
    s = datasets.load("leakage_sectors")
    s.loc[2, "eu_market_meur"] = 0.0
    with pytest.raises(InputError, match="eu_market_meur: zero for sector 'S3'"):
        lk.leakage_test(s)
    with pytest.raises(InputError, match="cost_min_pct: threshold must be a non-negative percentage, got -5"):
        lk.leakage_test(datasets.load("leakage_sectors"), cost_min_pct=-5)
    with pytest.raises(InputError, match=r"sectors: missing columns \['gva_meur'\]"):
        lk.leakage_test(datasets.load("leakage_sectors").drop(columns="gva_meur"))


# ---------------------------------------------------------------------------------------------
# 附件三
# ---------------------------------------------------------------------------------------------
def test_annex3_codes_are_unique_four_digit_codes(annex3):
    assert annex3["nace_code"].is_unique
    assert annex3["nace_code"].str.fullmatch(r"\d{4}").all()


def test_annex3_criterion_flags_match_the_letters(annex3):
    """criterion_a/b/c (what the summaries count) are the letters of the normalised criteria."""
    for c in "abc":
        assert (annex3[f"criterion_{c}"].astype(bool) == annex3["criteria"].str.contains(c.upper())).all(), c


def test_annex3_codes_ascend_down_each_printed_column(annex3):
    for col in (1, 2, 3):
        codes = annex3.loc[annex3["printed_column"] == col, "nace_code"].tolist()
        assert codes and codes == sorted(codes)
    first = annex3.groupby("printed_column")["nace_code"].agg(["min", "max"])
    assert first["max"].iloc[0] < first["min"].iloc[1] and first["max"].iloc[1] < first["min"].iloc[2]


def test_annex3_normalised_letters_recomputed(annex3):
    assert (lk.criteria_letters(annex3["criteria_printed"]) == annex3["criteria"]).all()


@pytest.mark.parametrize(("group", "count"), [
    ("A", 20), ("B", 3), ("C", 134), ("only A", 10), ("only B", 2), ("only C", 125),
    ("A+B", 1), ("A+C", 9), ("all", 147),
])
def test_annex3_summary_by_criterion(annex3, group, count):
    summary = lk.annex3_by_criterion(annex3)
    assert summary.loc[group, "sectors"] == count
    assert_allclose(summary.loc[group, "share_pct"], 100 * count / 147, rtol=1e-12)


def test_annex3_summary_identities(annex3):
    s = lk.annex3_by_criterion(annex3)
    combos = s[s["kind"] == "combination"]
    assert combos["sectors"].sum() == s.loc["all", "sectors"] == len(annex3)
    for letter in "ABC":
        with_letter = combos[combos.index.str.contains(letter)]["sectors"].sum()
        assert with_letter == s.loc[letter, "sectors"]
    by_div = lk.annex3_by_division(annex3)
    assert by_div["sectors"].sum() == 147
    assert by_div[["A", "B", "C"]].sum().tolist() == [20, 3, 134]
    assert by_div.loc["28", "sectors"] == 21  # machinery is the largest division
    assert by_div["sectors"].idxmax() == "28"


def test_annex3_count_differs_from_quoted_164(annex3):
    """The text's count of exposed sectors (the 2009 list) is not the number of codes 附件三 prints."""
    quoted = datasets.load("allocation_quoted_figures").set_index("key").loc["leakage_sector_count", "value"]
    assert len(annex3) != quoted


def test_on_leakage_list(annex3):
    out = lk.on_leakage_list(["2351", "0893", "1071"], annex3).set_index("nace_code")
    assert out["on_list"].tolist() == [True, True, False]
    listed = annex3.set_index("nace_code").loc["2351"]
    assert (out.loc["2351", "criteria"], out.loc["2351", "label_zh"]) == (listed["criteria"], listed["label_zh"])
    assert out.loc["1071", "criteria"] == ""
    with pytest.raises(InputError, match="nace_code: 2351 is not a four-digit NACE code string"):
        lk.on_leakage_list([2351], annex3)
    with pytest.raises(InputError, match="nace_code: '235' is not a four-digit NACE code string"):
        lk.on_leakage_list(["235"], annex3)


def test_error_unreadable_criteria():
    with pytest.raises(InputError, match="criteria: cannot read 'D'"):
        lk.criteria_letters(pd.Series(["A", "D"]))
    dup = pd.DataFrame({"nace_code": ["2351", "2351"], "criteria_printed": ["B", "B"]})
    with pytest.raises(InputError, match=r"annex3: NACE code '2351' appears twice \(rows 1 and 2\)"):
        lk.annex3_by_criterion(dup)


# ---------------------------------------------------------------------------------------------
# quoted figures
# ---------------------------------------------------------------------------------------------
# (that each quoted value is the number its quote prints: tests/test_datasets.py)
def test_quoted_rules_match_library(quoted):
    q = quoted["value"]
    assert lk.COST_SHARE_MIN_PCT == q["leakage_cost_share_min_pct"]
    assert lk.TRADE_INTENSITY_MIN_PCT == q["leakage_trade_intensity_min_pct"]
    assert lk.COST_SHARE_ONLY_PCT == q["leakage_cost_share_only_min_pct"]
    assert lk.TRADE_INTENSITY_ONLY_PCT == q["leakage_trade_intensity_only_min_pct"]
    assert lk.PENALTY_2013_EUR_PER_T == q["penalty_eur_per_t_2013"]
    assert lk.MIN_UNIT_THERMAL_INPUT_MW == q["scope_min_unit_thermal_input_mw"]
    assert lk.SMALL_EMITTER_MAX_EMISSIONS_T == q["small_emitter_max_emissions_t"]
    assert lk.SMALL_EMITTER_MAX_THERMAL_INPUT_MW == q["small_emitter_max_thermal_input_mw"]


# ---------------------------------------------------------------------------------------------
# penalty
# ---------------------------------------------------------------------------------------------
PENALTY = [  # year, EUR/t with the illustrative inflation series
    (2013, 100.0), (2014, 100.5), (2015, 100.5), (2016, 101.0025), (2017, 102.5175375),
    (2018, 104.05530056), (2019, 105.09585357), (2020, 105.62133284),
]


@pytest.fixture(scope="module")
def path():
    infl = datasets.load("leakage_inflation").set_index("year")["assumed_inflation_pct"]
    return lk.penalty_path(infl)


@pytest.mark.parametrize(("year", "value"), PENALTY)
def test_penalty_path(path, year, value):
    assert_allclose(path[year], value, rtol=0, atol=1e-8)


def test_penalty_identity_year_on_year(path):
    infl = datasets.load("leakage_inflation").set_index("year")["assumed_inflation_pct"]
    ratio = path.iloc[1:].to_numpy() / path.iloc[:-1].to_numpy()
    assert_allclose(ratio, 1 + infl.loc[2014:2020].to_numpy() / 100, rtol=1e-12)
    assert_allclose(lk.penalty_path(lk.constant_inflation(0.0)), 100.0, atol=0)
    assert_allclose(lk.penalty_path(lk.constant_inflation(2.0))[2020], 100 * 1.02 ** 7, rtol=1e-12)


def test_penalty_due(path):
    due = lk.penalty_due(pd.Series({2013: 1000.0, 2020: 10.0}), path)
    assert_allclose(due.to_numpy(), [100000.0, 1056.2133284], rtol=1e-10)
    with pytest.raises(InputError, match="excess_t: negative value -1.0 in 2014"):
        lk.penalty_due(pd.Series({2014: -1.0}), path)


@pytest.mark.parametrize("year", [2012, 2021])
def test_error_year_outside_phase3(year):
    with pytest.raises(InputError, match=f"year {year} outside Phase 3"):
        lk.penalty_path(lk.constant_inflation(1.0), years=[year])
    with pytest.raises(InputError, match=f"inflation_pct: year {year} outside Phase 3"):
        lk.penalty_path(pd.concat([lk.constant_inflation(1.0), pd.Series({year: 1.0})]))


def test_error_inflation_series():
    gap = lk.constant_inflation(1.0).drop(2017)
    with pytest.raises(InputError, match="inflation_pct: no rate for year 2017"):
        lk.penalty_path(gap)
    crash = lk.constant_inflation(1.0)
    crash[2015] = -100.0
    with pytest.raises(InputError, match="inflation_pct: -100.0 % in 2015 is not above -100 %"):
        lk.penalty_path(crash)
    with pytest.raises(InputError, match="base_eur_per_t: negative penalty -1"):
        lk.penalty_path(lk.constant_inflation(1.0), base_eur_per_t=-1)

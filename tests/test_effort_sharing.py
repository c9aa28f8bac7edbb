"""Tests for carbonlib.effort_sharing: printed targets and quoted figures, 圖5, 附件一, the
published-versus-recomputed split, annual emission allocations, the compliance ledger and
every ESD limit, and the 附件一 indicators."""

import re

import numpy as np
import pandas as pd
import pytest
from numpy.testing import assert_allclose

from carbonlib import datasets
from carbonlib import effort_sharing as es
from carbonlib.errors import InputError

YEARS = list(range(2013, 2021))


@pytest.fixture(scope="module")
def targets():
    return datasets.load("effort_targets")


@pytest.fixture(scope="module")
def plans():
    return datasets.load("effort_plans")


def _aea(e2005=100.0, target=-10.0):
    ms = pd.DataFrame({"member_state": ["x"], "emissions_2005_mtco2e": [e2005], "target_2020_pct": [target]})
    return es.aea_path(ms).set_index("year")["aea_mtco2e"]


def _plan(emissions, **requests):
    years = YEARS[: len(emissions)]
    return pd.DataFrame({"year": years, "emissions_mtco2e": emissions, **requests})


# ---------------------------------------------------------------------------- printed data
# (that each target and quoted value is the number its quote prints: tests/test_datasets.py)


def test_targets_table_shape_and_shares_sum(targets):
    """The 2020 ETS and ESD shares of emissions add up to the whole."""
    shares = targets.query("target_year == 2020 and scope != 'economy'")["share_of_emissions_pct"]
    assert shares.notna().all() and len(shares) == 2
    assert_allclose(shares.sum(), 100, atol=1e-12)


def test_quoted_rules_match_library():
    q = datasets.load("effort_quoted_figures").set_index("key")["value"]
    assert es.AEA_LIMIT_PCT == (q["aea_limit_low_pct"], q["aea_limit_high_pct"])
    assert es.ESD_YEARS == tuple(range(int(q["aea_first_year"]), int(q["aea_last_year"]) + 1))
    assert es.BANK_LAST_YEAR == q["bank_last_year"]
    assert_allclose([es.BANK_LIMIT_PCT, es.SELL_LIMIT_PCT, es.CREDIT_LIMIT_PCT, es.PENALTY_FACTOR],
                    [q["bank_limit_pct"], q["sell_limit_pct"], q["credit_limit_pct"], q["penalty_factor"]],
                    atol=1e-12)


def test_intro_2030_contradicts_detailed_target(targets):
    q = datasets.load("effort_quoted_figures").set_index("key")["value"]
    detailed = targets.query("target_year == 2030 and metric == 'ghg_reduction_vs_1990'")["value_pct"].iloc[0]
    assert q["intro_2030_reduction_pct"] != detailed  # the introduction's figure is not the target's


def test_figure5_printing_errors_and_the_member_state_order():
    """Where 圖5 prints a code other than the member state's, or one name for two codes, its
    resource's x_notes say so; the member-state table follows 圖5's order."""
    f5 = datasets.load("effort_figure5_member_states")
    ms = datasets.load("effort_member_states")
    assert len(f5) == len(ms)
    codes = f5.merge(ms[["member_state", "code"]], on="member_state", validate="one_to_one")
    wrong_code = set(codes.loc[codes["code_printed"] != codes["code"], "code_printed"])
    shared_name = set(f5.loc[f5["name_zh"].duplicated(keep=False), "code_printed"])
    notes = " ".join(datasets.resource("effort_figure5_member_states")["x_notes"])
    unexplained = [c for c in sorted(wrong_code | shared_name) if not re.search(rf"\b{c}-", notes)]
    assert not unexplained, f"圖5 codes not explained in x_notes: {unexplained}"
    assert ms["member_state"].tolist() == f5.sort_values("position")["member_state"].tolist()
    # 圖5 runs from the largest reduction to the largest increase
    assert (np.diff(ms["target_2020_pct"].dropna().to_numpy()) >= 0).all()


def test_every_limit_cites_its_document_and_every_gap_says_so():
    """A limit moved to observed names the page it was read from; an empty one says why."""
    ms = datasets.load("effort_member_states")
    given = ms["target_2020_pct"].notna()
    assert given.any() and (~given).any()
    assert ms.loc[given, "target_address"].str.match(r"^https?://").all()
    assert ms.loc[given, "target_source"].str.len().gt(20).all()
    assert ms.loc[~given, "target_source"].str.startswith("not found").all()
    assert ms.loc[~given, "target_address"].isna().all()
    assert "406/2009/EC" in " ".join(s["title"] for s in datasets.resource("effort_member_states")["sources"])
    assert_allclose(ms["target_2020_pct"].agg(["min", "max"]).to_numpy(), es.AEA_LIMIT_PCT, atol=1e-12)


def test_annex1_rows_and_ratio_indicators():
    """The indicators the library computes are exactly those 附件一 prints as a ratio."""
    a1 = datasets.load("effort_annex1_indicators")
    ratios = set(a1.loc[a1["formula_zh"].fillna("").str.contains("/"), "indicator"])
    assert ratios == set(es.RATIO_INDICATORS)


# ---------------------------------------------------------------------------- targets


def test_sector_split_2020():
    assert_allclose(es.sector_split(21, 10, 45, 55), 14.95, atol=1e-12)
    assert_allclose(es.sector_split(21, 10, 45), 14.95, atol=1e-12)
    # the ETS share that would give the printed 14 % exactly
    assert_allclose(es.sector_split(21, 10, 400 / 11), 14.0, atol=1e-12)


def test_base_ratio_and_rebase():
    ratio = es.base_ratio(20, 14)
    assert_allclose(ratio, 0.8 / 0.86, rtol=1e-12)
    assert_allclose(es.rebase_reduction(14, ratio), 20.0, atol=1e-12)
    assert_allclose(es.rebase_reduction(0, 1.0), 0.0, atol=1e-12)


@pytest.mark.parametrize(("cell", "printed", "recomputed", "low", "high", "status"), [
    ("2020_economy_vs_2005", 14, 14.95, 14.395, 15.505, "discrepancy"),
    ("2020_economy_vs_1990", 20, 20.883721, 19.401140, 22.342746, "discrepancy"),
    ("2030_economy_vs_1990", 40, 40.325581, 39.069503, 41.560607, "agrees"),
])
def test_split_check_published_vs_recomputed(targets, cell, printed, recomputed, low, high, status):
    chk = es.split_check(targets)
    row = chk.loc[cell]
    assert_allclose(row["printed"], printed, atol=1e-12)
    assert_allclose(row["recomputed"], recomputed, atol=1e-6)
    assert_allclose([row["recomputed_low"], row["recomputed_high"]], [low, high], atol=1e-6)
    assert row["status"] == status
    assert bool(row["within_input_rounding"])  # every cell is explained by the inputs' rounding


def test_split_check_tighter_rounding_flags_all(targets):
    chk = es.split_check(targets, decimals=2)
    assert not chk["within_input_rounding"].any()


@pytest.mark.parametrize(("args", "message"), [
    ((21, 10, 45, 50), r"ets_share_pct \+ esd_share_pct: shares add up to 95.0, not 100"),
    ((121, 10, 45), r"ets_reduction_pct: 121.0 % outside \[0, 100\]"),
    ((21, -1, 45), r"esd_reduction_pct: -1.0 % outside \[0, 100\]"),
])
def test_sector_split_errors(args, message):
    with pytest.raises(InputError, match=message):
        es.sector_split(*args)


def test_rebase_and_ratio_errors(targets):
    with pytest.raises(InputError, match="ratio: base-year ratio must be positive, got 0"):
        es.rebase_reduction(10, 0)
    with pytest.raises(InputError, match="reduction_vs_new_pct: 100 percent leaves no emissions"):
        es.base_ratio(20, 100)
    with pytest.raises(InputError, match="targets: no value_pct for the 2030 esd ghg_reduction_vs_2005 target"):
        es.split_check(targets.query("not (target_year == 2030 and scope == 'esd')"))


# ---------------------------------------------------------------------------- AEAs


@pytest.mark.parametrize(("target", "year", "expected"), [
    (-20, 2013, 100 * (1 - 0.20 * 8 / 15)), (-20, 2020, 80.0), (20, 2020, 120.0),
    (-10, 2013, 100 * (1 - 0.10 * 8 / 15)), (0, 2017, 100.0), (11, 2016, 100 * (1 + 0.11 * 11 / 15)),
])
def test_aea_path_linear_from_2005(target, year, expected):
    assert_allclose(_aea(100.0, target)[year], expected, rtol=1e-12)


def test_aea_path_of_every_member_state_with_a_limit():
    ms = es.with_limits(datasets.load("effort_member_states"))
    path = es.aea_path(ms)
    assert len(path) == len(ms) * 8
    end = path[path["year"] == 2020].set_index("member_state")["aea_pct_of_2005"]
    assert_allclose(end.loc[ms["member_state"]].to_numpy(), 100 + ms["target_2020_pct"].to_numpy(), rtol=1e-12)
    steps = path.pivot(index="year", columns="member_state", values="aea_pct_of_2005").diff().dropna()
    assert_allclose(steps.to_numpy(), np.broadcast_to(steps.iloc[[0]].to_numpy(), steps.shape), atol=1e-9)
    assert path["aea_mtco2e"].isna().all()  # the table gives no 2005 emissions
    given = es.aea_path(ms.assign(emissions_2005_mtco2e=np.arange(1.0, len(ms) + 1)))
    expected = given["aea_pct_of_2005"] / 100 * np.repeat(np.arange(1.0, len(ms) + 1), 8)
    assert_allclose(given["aea_mtco2e"], expected, rtol=1e-12)


def test_limits_coverage_of_the_projects_table():
    ms = datasets.load("effort_member_states")
    cov = es.limits_coverage(ms)
    n, k = len(ms), int(ms["target_2020_pct"].notna().sum())
    assert cov.loc["aea_paths", "supported"]
    assert cov.loc["aea_paths", "note"] == (f"No 2020 limit is given for {n - k} of the {n} member states of the "
                                             f"table, so {k} have allocation paths.")
    assert not cov.loc["weighted_target", "supported"]
    assert cov.loc["weighted_target", "note"].startswith("The table gives no 2005 emissions")


@pytest.mark.parametrize(("targets", "emissions", "supported"), [
    ([-20.0, 20.0], [300.0, 100.0], (True, True)),
    ([-20.0, None], [300.0, None], (True, True)),  # the state without a limit needs no emissions
    ([-20.0, 20.0], [300.0, None], (True, False)),
    ([None, None], [None, None], (False, False)),
])
def test_limits_coverage_decides_what_a_table_supports(targets, emissions, supported):
    ms = pd.DataFrame({"member_state": ["a", "b"], "target_2020_pct": targets, "emissions_2005_mtco2e": emissions},
                      dtype=object).astype({"target_2020_pct": float, "emissions_2005_mtco2e": float})
    cov = es.limits_coverage(ms)
    assert tuple(cov["supported"]) == supported
    assert (cov.loc["aea_paths", "note"] == "") == all(t is not None for t in targets)
    assert (cov.loc["weighted_target", "note"] == "") == cov.loc["weighted_target", "supported"]


def test_weighted_target():
    two = pd.DataFrame({"emissions_2005_mtco2e": [300.0, 100.0], "target_2020_pct": [-20.0, 20.0]})
    assert_allclose(es.weighted_target(two), -10.0, atol=1e-12)


@pytest.mark.parametrize(("change", "message"), [
    ({"target_2020_pct": [-21.0]}, "member_states.target_2020_pct: value -21.0 for member state 'x' is below the minimum -20.0"),
    ({"target_2020_pct": [20.5]}, "member_states.target_2020_pct: value 20.5 for member state 'x' is above the maximum 20.0"),
    ({"emissions_2005_mtco2e": [-1.0]}, "member_states.emissions_2005_mtco2e: value -1.0 for member state 'x' is below the minimum 0"),
])
def test_aea_path_limits_enforced(change, message):
    ms = pd.DataFrame({"member_state": ["x"], "emissions_2005_mtco2e": [100.0], "target_2020_pct": [-10.0]})
    with pytest.raises(InputError, match=message):
        es.aea_path(ms.assign(**change))


def test_aea_path_input_errors():
    ms = pd.DataFrame({"member_state": ["x", "x"], "emissions_2005_mtco2e": [1.0, 2.0], "target_2020_pct": [0, 0]})
    with pytest.raises(InputError, match="member_states: member state 'x' appears twice"):
        es.aea_path(ms)
    with pytest.raises(InputError, match=r"member_states: missing columns \['target_2020_pct'\]"):
        es.aea_path(ms.drop(columns="target_2020_pct"))
    with pytest.raises(InputError, match="years: year 2021 outside the ESD period 2013-2020"):
        es.aea_path(ms.iloc[:1], years=[2021])


# ---------------------------------------------------------------------------- ledger

LEDGER_CASES = [
    ("overshoot", {}), ("compliant", {}), ("compliant", {"on_limit": "raise"}),
    ("overshoot", {"bank_limit_pct": 100.0}), ("overshoot", {"penalty_factor": 1.5}),
    ("overshoot", {"sell_limit_pct": 0.0, "credit_limit_pct": 0.0}),
]


@pytest.mark.parametrize(("plan", "options"), LEDGER_CASES)
@pytest.mark.parametrize("scale", [0.9, 1.0, 1.05])
def test_ledger_identity_every_year(plans, plan, options, scale):
    if options.get("on_limit") == "raise" and scale != 1.0:
        options = {}
    led = es.simulate(_aea(), 100.0, es.select_plan(plans, plan, scale), **options)
    assert led["year"].tolist() == YEARS
    res = es.ledger_residuals(led)
    assert_allclose(res.to_numpy(), 0.0, atol=1e-9)
    assert (led[["banked_out_mtco2e", "lapsed_mtco2e", "shortfall_mtco2e", "sold_mtco2e"]] >= 0).all().all()
    assert ((led["shortfall_mtco2e"] == 0) | (led["banked_out_mtco2e"] + led["lapsed_mtco2e"] == 0)).all()
    assert_allclose(led["penalty_mtco2e"], options.get("penalty_factor", 1.08) * led["shortfall_mtco2e"], rtol=1e-12)
    assert led.loc[led["year"] == 2020, "banked_out_mtco2e"].iloc[0] == 0


def test_ledger_residuals_detect_a_broken_ledger(plans):
    led = es.simulate(_aea(), 100.0, es.select_plan(plans, "overshoot"))
    led.loc[3, "credits_mtco2e"] += 0.5
    assert_allclose(es.ledger_residuals(led).loc[2016, "available_residual_mtco2e"], -0.5, atol=1e-12)


def test_overshoot_ledger_pinned(plans):
    led = es.simulate(_aea(), 100.0, es.select_plan(plans, "overshoot")).set_index("year")
    aea = _aea()
    assert_allclose(led["allocation_mtco2e"], aea.to_numpy(), rtol=1e-12)
    # 2013: sale of 2.0 clipped to the surplus 94.667 - 93 = 1.667
    assert_allclose(led.loc[2013, "sold_mtco2e"], aea[2013] - 93.0, rtol=1e-12)
    # 2016: credits 4.0 clipped to 3 % of 2005 emissions; surplus banked up to 5 % of the allocation
    assert_allclose(led.loc[2016, "credits_mtco2e"], 3.0, atol=1e-12)
    assert_allclose(led.loc[2016, "banked_out_mtco2e"], 3.0, atol=1e-12)
    # 2017: shortfall 1.5, penalty 1.5 x 1.08 = 1.62 deducted in 2018, transfers suspended in 2018
    assert_allclose(led.loc[2017, "shortfall_mtco2e"], 1.5, atol=1e-9)
    assert_allclose(led.loc[2017, "penalty_mtco2e"], 1.62, atol=1e-9)
    assert_allclose(led.loc[2018, "deducted_mtco2e"], 1.62, atol=1e-9)
    assert bool(led.loc[2018, "suspended"]) and not bool(led.loc[2019, "suspended"])
    assert_allclose(led.loc[2018, "credits_mtco2e"], 0.0, atol=1e-12)
    # 2019: banking capped at 5 % of 90.667; the rest lapses
    assert_allclose(led.loc[2019, "banked_out_mtco2e"], 0.05 * aea[2019], rtol=1e-12)
    assert_allclose(led["clipped_mtco2e"].sum(), (2.0 - (aea[2013] - 93.0)) + 1.0 + 2.0, rtol=1e-12)
    assert "credits_mtco2e 4 -> 3" in led.loc[2016, "note"]


def test_bank_request_below_limit_is_honoured(plans):
    led = es.simulate(_aea(), 100.0, es.select_plan(plans, "compliant"), on_limit="raise").set_index("year")
    assert_allclose(led.loc[2015, "banked_out_mtco2e"], 1.0, atol=1e-12)
    assert (led["clipped_mtco2e"] == 0).all()


LIMIT_CASES = [
    # (plan kwargs, what, clipped value, error message)
    ({"credits_mtco2e": [3.5]}, "credits_mtco2e", 3.0,
     r"credits_mtco2e: 3.5 MtCO2e requested in 2013 exceeds the limit 3 \(3 % of 2005 emissions\)"),
    ({"sold_mtco2e": [5.0]}, "sold_mtco2e", 0.05 * 94.6666666667,
     r"sold_mtco2e: 5 MtCO2e requested in 2013 exceeds the limit 4.73333 \(5 % of the allocation"),
    ({"sold_mtco2e": [1.0]}, "sold_mtco2e", 0.0,
     r"sold_mtco2e: 1 MtCO2e requested in 2013 exceeds the limit 0 .*sales only while within target"),
    ({"bank_mtco2e": [4.9]}, "banked_out_mtco2e", 0.05 * 94.6666666667,
     r"bank_mtco2e: 4.9 MtCO2e requested in 2013 exceeds the limit 4.73333 \(5 % of the allocation"),
]


@pytest.mark.parametrize(("requests", "column", "granted", "message"), LIMIT_CASES)
def test_each_limit_clip_or_raise(requests, column, granted, message):
    emissions = [96.0] if requests.get("sold_mtco2e") == [1.0] else [85.0]
    plan = _plan(emissions, **requests)
    led = es.simulate(_aea(), 100.0, plan, on_limit="clip")
    assert_allclose(led[column].iloc[0], granted, atol=1e-9)
    assert led["clipped_mtco2e"].iloc[0] > 0 and led["note"].iloc[0]
    assert_allclose(es.ledger_residuals(led).to_numpy(), 0.0, atol=1e-9)
    with pytest.raises(InputError, match=message):
        es.simulate(_aea(), 100.0, plan, on_limit="raise")


def test_no_banking_in_2020():
    plan = pd.DataFrame({"year": [2020], "emissions_mtco2e": [80.0], "bank_mtco2e": [1.0]})
    led = es.simulate(_aea(), 100.0, plan)
    assert led["banked_out_mtco2e"].iloc[0] == 0 and led["lapsed_mtco2e"].iloc[0] == pytest.approx(10.0)
    with pytest.raises(InputError, match="bank_mtco2e: 1 MtCO2e requested in 2020 exceeds the limit 0 .*years to 2019"):
        es.simulate(_aea(), 100.0, plan, on_limit="raise")


@pytest.mark.parametrize("column", ["bought_mtco2e", "credits_mtco2e", "sold_mtco2e"])
def test_transfers_suspended_after_shortfall(column):
    zeros = [0.0, 0.0]
    requests = {"bought_mtco2e": zeros, "credits_mtco2e": zeros, "sold_mtco2e": zeros}
    requests[column] = [0.0, 1.0]
    plan = _plan([100.0, 70.0], **requests)
    led = es.simulate(_aea(), 100.0, plan)
    assert bool(led["suspended"].iloc[1])
    assert led[column].iloc[1] == 0 and led["clipped_mtco2e"].iloc[1] == 1.0
    assert "suspended" in led["note"].iloc[1]
    with pytest.raises(InputError, match=f"{column}: 1 MtCO2e requested in 2014 exceeds the limit 0 "
                                         r"\(transfers and credits suspended"):
        es.simulate(_aea(), 100.0, plan, on_limit="raise")


def test_penalty_deducted_times_1_08():
    led = es.simulate(_aea(), 100.0, _plan([100.0, 80.0]))
    short = 100.0 - _aea()[2013]
    assert_allclose(led["shortfall_mtco2e"].iloc[0], short, rtol=1e-12)
    assert_allclose(led["deducted_mtco2e"].iloc[1], 1.08 * short, rtol=1e-12)
    assert_allclose(led["available_mtco2e"].iloc[1], _aea()[2014] - 1.08 * short, rtol=1e-12)


@pytest.mark.parametrize(("kwargs", "plan", "message"), [
    ({"on_limit": "ignore"}, None, r"on_limit: unknown value 'ignore'; expected one of \['clip', 'raise'\]"),
    ({"penalty_factor": 0.9}, None, "penalty_factor: must be >= 1, got 0.9"),
    ({"credit_limit_pct": -1.0}, None, "credit_limit_pct: limit must be >= 0 percent, got -1.0"),
    ({}, pd.DataFrame({"year": [2013, 2015], "emissions_mtco2e": [1.0, 1.0]}),
     r"plan.year: years must be consecutive and increasing, got \[2013, 2015\]"),
    ({}, pd.DataFrame({"year": [2012], "emissions_mtco2e": [1.0]}), "plan.year: value 2012 in row 1 is below the minimum 2013"),
    ({}, pd.DataFrame({"year": [2013], "emissions_mtco2e": [1.0], "credits_mtco2e": [-2.0]}),
     "plan.credits_mtco2e: value -2.0 for year 2013 is below the minimum 0"),
    ({}, pd.DataFrame({"year": [2013], "emissions_mtco2e": [-1.0]}),
     "plan.emissions_mtco2e: value -1.0 for year 2013 is below the minimum 0"),
    ({}, pd.DataFrame({"year": [2013]}), r"plan: missing columns \['emissions_mtco2e'\]"),
])
def test_simulate_input_errors(kwargs, plan, message):
    plan = _plan([90.0]) if plan is None else plan
    with pytest.raises(InputError, match=message):
        es.simulate(_aea(), 100.0, plan, **kwargs)


def test_simulate_missing_allocation_year_and_unknown_plan(plans):
    with pytest.raises(InputError, match="aea: no allocation for year 2014"):
        es.simulate(_aea().loc[[2013]], 100.0, _plan([90.0, 90.0]))
    with pytest.raises(InputError, match=r"plan: unknown plan 'nope'; known plans: \['compliant', 'overshoot'\]"):
        es.select_plan(plans, "nope")


# ---------------------------------------------------------------------------- 附件一 indicators


@pytest.mark.parametrize(("indicator", "year", "expected"), [
    ("macro_total_co2_intensity", 2005, 200.0), ("macro_total_co2_intensity", 2014, 52000e3 / 340000),
    ("transport_diesel_car_co2_per_km", 2005, 150.0), ("transport_petrol_car_co2_per_km", 2014, 3800e3 / 23000),
    ("industry_energy_co2_intensity", 2005, 200.0), ("industry_cement_specific_co2", 2005, 0.7),
    ("households_space_heating_co2_per_m2", 2014, 14.0),
    ("transformation_all_power_co2_intensity", 2005, 16500 / 245),
])
def test_indicators_illustrative(indicator, year, expected):
    out = es.indicators(datasets.load("effort_indicator_inputs")).set_index(["indicator", "year"])
    assert_allclose(out.loc[(indicator, year), "value"], expected, rtol=1e-12)
    assert len(out) == 2 * len(es.RATIO_INDICATORS)


def test_indicators_follow_printed_formula():
    inputs = datasets.load("effort_indicator_inputs")
    printed = es.indicators(inputs, follow_printed_formula=True).set_index(["indicator", "year"])["value"]
    fixed = es.indicators(inputs).set_index(["indicator", "year"])["value"]
    assert_allclose(printed[("transport_petrol_car_co2_per_km", 2005)], 5000e3 / 40000, rtol=1e-12)
    assert_allclose(printed[("industry_energy_co2_intensity", 2005)], 12000e3 / 180000, rtol=1e-12)
    same = fixed.index.difference([("transport_petrol_car_co2_per_km", y) for y in (2005, 2014)]
                                  + [("industry_energy_co2_intensity", y) for y in (2005, 2014)])
    assert_allclose(printed[same], fixed[same], rtol=1e-12)


def test_emission_intensity():
    assert es.emission_intensity(60000.0, 300000.0) == 200.0
    s = es.emission_intensity(pd.Series([1.0, 2.0]), pd.Series([10.0, 10.0]))
    assert_allclose(s.to_numpy(), [100.0, 200.0], rtol=1e-12)
    with pytest.raises(InputError, match="gdp_meur: GDP must be positive, got 0.0"):
        es.emission_intensity(1.0, 0.0)
    with pytest.raises(InputError, match="co2_kt: negative value -1.0"):
        es.emission_intensity(-1.0, 1.0)


def _inputs(**values):
    return pd.DataFrame({"member_state": "a", "year": 2014, "variable": list(values), "value": list(values.values())})


@pytest.mark.parametrize(("inputs", "names", "message"), [
    (_inputs(co2_kt=1.0, gdp_meur=0.0), None, "macro_total_co2_intensity: denominator gdp_meur is zero for 'a', year 2014"),
    (_inputs(co2_kt=1.0, steel_kt=1.0), None, "variable: unknown variable 'steel_kt'"),
    (_inputs(co2_kt=-1.0, gdp_meur=1.0), None, "inputs.value: value -1.0 for member state 'a', year 2014, variable 'co2_kt' is below the minimum 0"),
    (_inputs(co2_kt=1.0), None, "inputs: no indicator has all its variables"),
    (_inputs(co2_kt=1.0), ["macro_total_co2_intensity"], r"macro_total_co2_intensity: inputs lack variable\(s\) \['gdp_meur'\]"),
    (_inputs(co2_kt=1.0, gdp_meur=1.0), ["gdp_per_head"], "names: unknown indicator 'gdp_per_head'"),
])
def test_indicator_errors(inputs, names, message):
    with pytest.raises(InputError, match=message):
        es.indicators(inputs, names=names)

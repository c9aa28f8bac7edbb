"""Tests for carbonlib.cap: 000 表3 and the 2008 proposal's quoted figures, the adopted Phase 3
cap and aviation cap of 001, rules, OLS recovery, rounding, extensions and errors."""

import numpy as np
import pandas as pd
import pytest
from numpy.testing import assert_allclose

from carbonlib import cap, checks, datasets
from carbonlib.errors import InputError

YEARS = list(range(2013, 2021))
ADOPTED = [2084301856, 2046037610, 2007773364, 1969509118, 1931244872, 1892980626, 1854716380,
           1816452134]


@pytest.fixture(scope="module")
def t3():
    return datasets.load("cap_proposal_t3").set_index("year")["cap_mtco2e"]


# --- 表3 as printed -------------------------------------------------------------------------

def test_table3_end_points_match_text():
    q = datasets.load("cap_phase3_proposal_quoted").set_index("key")["value"]
    t3 = datasets.load("cap_proposal_t3").set_index("year")["cap_mtco2e"]
    assert_allclose(t3[2020], q["cap_2020_mtco2e"], atol=1e-12)
    assert_allclose(t3[2020], q["cap_2020_million_euas"], atol=1e-12)


def test_average_decline_184_pct(t3):
    recomputed = cap.average_decline_pct(t3)
    assert_allclose(recomputed, (1974 - 1720) / 7 / 1974 * 100, rtol=1e-12)
    rep = checks.compare(pd.Series({"decline": 1.84}), pd.Series({"decline": recomputed}), decimals=2)
    assert rep["within_rounding"].all()


def test_implied_2005_allocation_from_21_pct(t3):
    # 1,720 is 21 % below 2005: 2005 = 1,720 / 0.79
    assert_allclose(cap.implied_reference(t3[2020], 100 - 21), 2177.2151898734, rtol=1e-10)


# --- 表3 recomputed from its rules ---------------------------------------------------------

ENDPOINT_STATUS = ["agrees", "discrepancy", "agrees", "agrees", "agrees", "discrepancy", "agrees", "agrees"]
DECLINE_STATUS = ["agrees", "discrepancy"] + ["agrees"] * 6


@pytest.mark.parametrize(("year", "status"), list(zip(YEARS, ENDPOINT_STATUS, strict=True)))
def test_endpoint_rule_per_year(t3, year, status):
    rep = cap.proposal_report(t3).loc["endpoints"]
    assert rep.loc[year, "status"] == status
    assert_allclose(rep.loc[year, "recomputed"], 1974 - (1974 - 1720) / 7 * (year - 2013), rtol=1e-12)


@pytest.mark.parametrize(("year", "status"), list(zip(YEARS, DECLINE_STATUS, strict=True)))
def test_average_decline_rule_per_year(t3, year, status):
    rep = cap.proposal_report(t3).loc["average_decline"]
    assert rep.loc[year, "status"] == status
    assert_allclose(rep.loc[year, "recomputed"], 1974 * (1 - 0.0184 * (year - 2013)), rtol=1e-12)


@pytest.mark.parametrize("year", YEARS)
def test_ols_line_rounds_to_every_printed_value(t3, year):
    rep = cap.proposal_report(t3).loc["ols"]
    assert rep.loc[year, "status"] == "agrees"
    assert round(rep.loc[year, "recomputed"]) == t3[year]
    assert abs(rep.loc[year, "difference"]) <= 0.5


def test_endpoint_discrepancies_are_one_unit(t3):
    rep = cap.proposal_report(t3).loc["endpoints"]
    bad = rep[rep["status"] == "discrepancy"]
    assert bad.index.tolist() == [2014, 2018]
    assert_allclose(np.round(bad["recomputed"]) - bad["printed"], [1, 1], atol=1e-12)
    assert (bad["difference"].abs() < 1).all()


def test_ols_estimates(t3):
    fit = cap.ols_linear_fit(t3)
    assert_allclose(fit["annual_reduction"], 36.261904761904, rtol=1e-10)
    assert_allclose(fit["start_cap"], 1973.666666666667, rtol=1e-12)
    assert_allclose(fit["annual_reduction_se"], 0.0495634796, rtol=1e-6)
    assert fit["rsquared"] > 0.99998
    assert fit["nobs"] == 8
    assert fit["max_abs_residual"] < 0.5
    assert fit["annual_reduction_ci_low"] < fit["annual_reduction"] < fit["annual_reduction_ci_high"]


def test_ols_matches_numpy_polyfit(t3):
    slope, intercept = np.polyfit(np.arange(8), t3.to_numpy(dtype=float), 1)
    fit = cap.ols_linear_fit(t3)
    assert_allclose([-fit["annual_reduction"], fit["start_cap"]], [slope, intercept], rtol=1e-10)


def test_implied_base_of_table3(t3):
    fit = cap.ols_linear_fit(t3)
    # reduction / 1.74 %: about 2,084 Mt, the 2008-2012 average the proposal scaled from
    assert_allclose(cap.implied_base(fit["annual_reduction"], 0.0174), 2084.0175150520, rtol=1e-10)
    # reduction / 1.84 %: close to the 2013 value, the base of the text's average decline
    assert_allclose(cap.implied_base(fit["annual_reduction"], 0.0184), 1970.7556935818, rtol=1e-10)


def test_rounding_feasible_lines(t3):
    feas = cap.rounding_feasible_lines(t3)
    assert_allclose(feas["annual_reduction_min"], 36.2, atol=1e-7)
    assert_allclose(feas["annual_reduction_max"], 36.333333333, atol=1e-7)
    assert_allclose(feas["start_cap_min"], 1973.5, atol=1e-7)
    assert_allclose(feas["start_cap_max"], 1973.833333333, atol=1e-7)
    fit = cap.ols_linear_fit(t3)
    assert feas["annual_reduction_min"] <= fit["annual_reduction"] <= feas["annual_reduction_max"]
    # the end-point slope (36.2857) is feasible, but not with the printed 1,974 as start
    assert feas["start_cap_max"] < 1974


def test_rounding_infeasible_raises():
    with pytest.raises(InputError, match="no straight line rounds to every printed value"):
        cap.rounding_feasible_lines(pd.Series([10.0, 5.0, 9.0], index=[2013, 2014, 2015]))


# --- adopted Phase 3 cap (001) --------------------------------------------------------------

@pytest.mark.parametrize(("year", "expected"), list(zip(YEARS, ADOPTED, strict=True)))
def test_phase3_path_every_year(year, expected):
    assert_allclose(cap.phase3_path()[year], expected, rtol=0, atol=1e-6)


def test_phase3_report_2013_agrees_others_not_printed():
    rep = cap.phase3_report(pd.Series({2013: 2084301856}))
    assert rep.loc[2013, "status"] == "agrees"
    assert (rep.drop(2013)["status"] == "not printed").all()
    assert_allclose(rep.loc[2020, "share_of_2013_pct"], 1816452134 / 2084301856 * 100, rtol=1e-12)


def test_phase3_rule_identities():
    p = cap.phase3_path()
    assert_allclose(np.diff(p.to_numpy()), -38264246, atol=1e-6)
    assert_allclose(p.sum(), 8 * 2084301856 - 28 * 38264246, atol=1e-3)
    # relative to 2013 the reduction is 1.836 %, not 1.74 %: the base is the 2008-2012 average
    assert_allclose(38264246 / 2084301856 * 100, 1.8358, atol=5e-5)


def test_phase3_implied_base():
    assert_allclose(cap.implied_base(38264246, 0.0174), 2199094597.7011494, rtol=1e-12)
    rng = cap.implied_base_range(38264246, 1.74, decimals=2)
    assert_allclose(rng[["low", "central", "high"]].to_numpy(),
                    [38264246 / 0.01745, 38264246 / 0.0174, 38264246 / 0.01735], rtol=1e-12)
    assert_allclose(cap.annual_reduction(0.0174, cap.implied_base(38264246, 0.0174)), 38264246, rtol=1e-12)


def test_phase3_constants_match_quoted():
    q = datasets.load("cap_quoted_figures").set_index("key")["value"]
    assert q["cap_2013_t"] == cap.PHASE3_CAP_2013_T
    assert q["annual_reduction_t"] == cap.PHASE3_ANNUAL_REDUCTION_T
    assert_allclose(q["lrf_pct"] / 100, cap.PHASE3_LRF, atol=1e-15)
    assert q["aviation_cap_t"] == cap.AVIATION_CAP_T
    assert q["aviation_cap_share_of_historical_pct"] == cap.AVIATION_SHARE_OF_HISTORICAL_PCT


def test_aviation_cap_and_history():
    av = cap.constant_path(YEARS, cap.AVIATION_CAP_T)
    assert_allclose(av.to_numpy(), [210349264] * 8, atol=0)
    hist = cap.implied_reference(cap.AVIATION_CAP_T, 95)
    assert_allclose(hist, 221420277.89473684, rtol=1e-12)
    assert_allclose(hist * 0.95, 210349264, rtol=1e-12)
    assert_allclose(100 - 95, 5, atol=0)  # 95 % of history = the printed 5 % reduction


# --- extend and compare ---------------------------------------------------------------------

def test_extend_past_2020_with_22_pct():
    base = cap.implied_base(38264246, 0.0174)
    ext = cap.extend_path(cap.phase3_path(), 2030, factor=0.022, base=base)
    assert ext.index.tolist() == list(range(2013, 2031))
    assert_allclose(ext[2020], 1816452134, atol=1e-6)
    assert_allclose(ext[2021], 1816452134 - 0.022 * base, rtol=1e-12)
    assert_allclose(ext[2030], 1816452134 - 10 * 0.022 * base, rtol=1e-12)


def test_linear_path_factor_equals_absolute():
    a = cap.linear_path(2013, 2084301856, 2020, factor=0.0174, base=cap.implied_base(38264246, 0.0174))
    b = cap.linear_path(2013, 2084301856, 2020, annual_reduction_t=38264246)
    assert_allclose(a.to_numpy(), b.to_numpy(), rtol=1e-12)


def test_compare_paths_aligns_years():
    wide = cap.compare_paths({"adopted": cap.phase3_path(), "aviation": cap.constant_path([2013], 1.0)})
    assert wide.shape == (8, 2)
    assert wide["aviation"].isna().sum() == 7


# --- quoted figures -------------------------------------------------------------------------
# (that each quoted value is the number its quote prints: tests/test_datasets.py)

def test_quoted_2020_cut_matches_between_reports():
    a = datasets.load("cap_phase3_proposal_quoted").set_index("key")["value"]
    b = datasets.load("cap_quoted_figures").set_index("key")["value"]
    assert a["cap_2020_below_2005_pct"] == a["p2_allowances_2020_below_2005_pct"] == b["reduction_2020_vs_2005_pct"]


# --- errors ---------------------------------------------------------------------------------

@pytest.mark.parametrize("year", [2012, 2021])
def test_error_year_outside_phase3(year):
    with pytest.raises(InputError, match=f"years: year {year} outside Phase 3 \\(2013-2020\\)"):
        cap.phase3_path([year])
    with pytest.raises(InputError, match=f"published: year {year} outside Phase 3"):
        cap.phase3_report(pd.Series({year: 1.0}))


@pytest.mark.parametrize("factor", [-0.01, 1.74])
def test_error_factor_outside_unit_interval(factor):
    with pytest.raises(InputError, match=rf"factor: {factor} outside \[0, 1\]"):
        cap.linear_path(2013, 100.0, 2020, factor=factor, base=100.0)
    with pytest.raises(InputError, match=r"outside \[0, 1\]"):
        cap.implied_base(10.0, factor)


def test_error_reduction_given_twice_or_not_at_all():
    with pytest.raises(InputError, match="either annual_reduction_t or factor and base, not both"):
        cap.linear_path(2013, 100.0, 2020, annual_reduction_t=1.0, factor=0.01, base=100.0)
    with pytest.raises(InputError, match="give annual_reduction_t, or both factor and base"):
        cap.linear_path(2013, 100.0, 2020, factor=0.01)


def test_error_negative_inputs_and_years():
    with pytest.raises(InputError, match="start_cap: negative or non-finite value -1.0"):
        cap.linear_path(2013, -1.0, 2020, annual_reduction_t=1.0)
    with pytest.raises(InputError, match="annual_reduction_t: negative or non-finite value -5.0"):
        cap.linear_path(2013, 100.0, 2020, annual_reduction_t=-5.0)
    with pytest.raises(InputError, match="end_year: 2010 before start_year 2013"):
        cap.linear_path(2013, 100.0, 2010, annual_reduction_t=1.0)
    with pytest.raises(InputError, match="cap falls below zero in 2025"):
        cap.linear_path(2013, 100.0, 2030, annual_reduction_t=9.0)
    with pytest.raises(InputError, match="end_year: 2020 not after the path's last year 2020"):
        cap.extend_path(cap.phase3_path(), 2020, annual_reduction_t=1.0)
    with pytest.raises(InputError, match="share_pct: 0.0 outside"):
        cap.implied_reference(1.0, 0)
    with pytest.raises(InputError, match="factor_pct: 101.0 outside"):
        cap.implied_base_range(1.0, 101)


def test_error_printed_input():
    with pytest.raises(InputError, match="printed: need at least three years"):
        cap.ols_linear_fit(pd.Series([1.0, 2.0], index=[2013, 2014]))
    with pytest.raises(InputError, match="printed: missing or non-numeric value for year 2014"):
        cap.ols_linear_fit(pd.Series([1.0, np.nan, 3.0], index=[2013, 2014, 2015]))
    with pytest.raises(InputError, match="printed: expected a pandas Series"):
        cap.ols_linear_fit([1.0, 2.0, 3.0])
    with pytest.raises(InputError, match="paths: no cap paths given"):
        cap.compare_paths({})


def test_scenario_path_switches_factor():
    base = cap.implied_base(38264246, 0.0174)
    p = cap.scenario_path(2013, 2084301856, 2030, factor=0.0174, base_t=base, switch_year=2021, new_factor=0.022)
    assert_allclose(p.loc[2013:2020].to_numpy(), ADOPTED, atol=1e-3)
    assert_allclose(p[2030], 1816452134 - 10 * 0.022 * base, rtol=1e-12)
    same = cap.scenario_path(2013, 2084301856, 2020, annual_reduction_t=38264246, switch_year=2021)
    assert_allclose(same.to_numpy(), ADOPTED, atol=1e-6)
    with pytest.raises(InputError, match="switch_year: 2013 not after start_year 2013"):
        cap.scenario_path(2013, 1.0, 2020, annual_reduction_t=0.0, switch_year=2013, new_factor=0.1, base_t=1.0)
    with pytest.raises(InputError, match="new_factor: give new_factor and base_t"):
        cap.scenario_path(2013, 1.0, 2030, annual_reduction_t=0.0, switch_year=2021)

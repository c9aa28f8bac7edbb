"""Tests for carbonlib.allocation: printed 表7-表10 and 附件二, identities, errors."""

import re

import numpy as np
import pandas as pd
import pytest
from numpy.testing import assert_allclose

from carbonlib import allocation as al
from carbonlib import checks, datasets
from carbonlib.errors import InputError

YEARS = list(range(2013, 2021))


@pytest.fixture(scope="module")
def tables():
    return {n: datasets.load(f"allocation_{n}") for n in
            ["product_benchmarks", "clef", "cscf", "lrf", "installations", "fallback_benchmarks"]}


def _sub(**over):
    row = {"installation": "X", "sub_installation": "X1", "method": "product",
           "product": "lime", "leakage_exposed": None, "correction": "cscf", "hal": 1000.0}
    row.update(over)
    return pd.DataFrame([row])


def test_annex2_exposed_flag_matches_the_printed_mark(tables):
    """leakage_exposed (what allocate() reads) is the 是/否 printed in 附件二's last column."""
    t = tables["product_benchmarks"]
    printed = t["leakage_printed_zh"].map({"是": True, "否": False})
    assert printed.notna().all(), t.loc[printed.isna(), ["product", "leakage_printed_zh"]]
    assert (t["leakage_exposed"].astype(bool) == printed).all()


@pytest.mark.parametrize("method", sorted(al.FALLBACK_BENCHMARKS))
def test_table7_printed_and_used(tables, method):
    """allocate() uses the printed 表7 fallback benchmarks (process: printed in %, used as a share)."""
    t7 = tables["fallback_benchmarks"].set_index("method")["benchmark_value"]
    used = al.FALLBACK_BENCHMARKS[method] * (100 if method == "process" else 1)
    assert_allclose(used, t7[method], rtol=1e-12, atol=0)


@pytest.mark.parametrize("year", YEARS)
def test_table8_not_exposed(tables, year):
    """The linear 0.8 -> 0.3 rule rounds to the printed 表8 factor; exposed sectors get the quoted 1."""
    t8 = tables["clef"].set_index(["status", "year"])["factor"]
    q = datasets.load("allocation_quoted_figures").set_index("key")["value"]
    assert_allclose(t8[("exposed", year)], q["clef_exposed"], atol=0)
    assert_allclose(al.clef_linear()[year], t8[("not_exposed", year)], atol=0.5e-4)


def test_table8_compare_all_agree(tables):
    printed = tables["clef"].query("status == 'not_exposed'").set_index("year")["factor"]
    cmp = checks.compare(printed, al.clef_linear(), decimals=4)
    assert cmp["within_rounding"].all() and len(cmp) == 8


@pytest.mark.parametrize("year", YEARS)
def test_table10_printed_and_recomputed(tables, year):
    """1 - 1.74 % x (year - 2013) rounds to the printed 表10 factor."""
    assert_allclose(al.lrf_factors()[year], tables["lrf"].set_index("year")["factor"][year], atol=0.5e-4)


def test_table10_compare(tables):
    cmp = checks.compare(tables["lrf"].set_index("year")["factor"], al.lrf_factors(), decimals=4)
    assert cmp["within_rounding"].all()


def test_table9_is_decreasing(tables):
    assert (np.diff(tables["cscf"]["factor"]) < 0).all()


@pytest.mark.parametrize(("rule", "expected"), [("2005_2008", 1035000.0), ("2009_2010", 875000.0)])
def test_hal_median(tables, rule, expected):
    hal = al.historical_activity_level(tables["installations"], rule).set_index("sub_installation")
    assert_allclose(hal.loc["CLK1_clinker", "hal"], expected, rtol=1e-12)


def test_formula_worked_example(tables):
    # clinker: 0.766 x 1,035,000 x 1 x CSCF(2013) = 0.766 * 1035000 * 0.9427
    hal = al.historical_activity_level(tables["installations"])
    out = al.allocate(hal, tables["product_benchmarks"], tables["clef"], tables["cscf"], tables["lrf"])
    row = out.query("sub_installation == 'CLK1_clinker' and year == 2013")
    assert_allclose(row["allocation_t"].iloc[0], 0.766 * 1035000 * 0.9427, rtol=1e-12)
    heat = out.query("sub_installation == 'HEAT1_district_heat' and year == 2020")
    assert_allclose(heat["allocation_t"].iloc[0], 62.3 * 5050 * 0.3 * 0.8244, rtol=1e-12)
    pwr = out.query("sub_installation == 'PWR1_heat' and year == 2016")
    assert_allclose(pwr["allocation_t"].iloc[0], 62.3 * 3025 * 0.5857 * 0.9478, rtol=1e-12)
    proc = out.query("sub_installation == 'BRK1_process' and year == 2013")
    assert_allclose(proc["allocation_t"].iloc[0], 0.97 * 11900 * 0.8 * 0.9427, rtol=1e-12)


def test_installation_sum_identity(tables):
    hal = al.historical_activity_level(tables["installations"])
    out = al.allocate(hal, tables["product_benchmarks"], tables["clef"], tables["cscf"], tables["lrf"])
    tot = al.by_installation(out)
    assert len(tot) == hal["installation"].nunique() * 8
    assert_allclose(tot["allocation_t"].sum(), out["allocation_t"].sum(), rtol=1e-12)
    pap = tot.query("installation == 'PAP1' and year == 2015")["allocation_t"].iloc[0]
    parts = out.query("installation == 'PAP1' and year == 2015")["allocation_t"].sum()
    assert_allclose(pap, parts, rtol=1e-12)


def test_vectorised_equals_loop(tables):
    hal = al.historical_activity_level(tables["installations"])
    args = (tables["product_benchmarks"], tables["clef"], tables["cscf"], tables["lrf"])
    vec = al.allocate(hal, *args).astype({"sub_installation": str})
    vec = vec.sort_values(["sub_installation", "year"])
    loop = al.allocate_loop(hal, *args).sort_values(["sub_installation", "year"])
    assert_allclose(vec["allocation_t"].to_numpy(), loop["allocation_t"].to_numpy(), rtol=1e-12)


def test_error_unknown_product(tables):
    args = (tables["product_benchmarks"], tables["clef"], tables["cscf"], tables["lrf"])
    with pytest.raises(InputError, match="product: unknown product 'unobtainium'"):
        al.allocate(_sub(product="unobtainium"), *args)


def test_error_negative_activity(tables):
    bad = tables["installations"].copy()
    bad.loc[0, "activity_level"] = -3.0
    with pytest.raises(InputError, match="activity.activity_level: value -3.0 for sub-installation 'CLK1_clinker', year 2005 "
                                         "is below the minimum 0"):
        al.historical_activity_level(bad)
    args = (tables["product_benchmarks"], tables["clef"], tables["cscf"], tables["lrf"])
    with pytest.raises(InputError, match="subinstallations.hal: value -1.0 for sub-installation .* is below the minimum 0"):
        al.allocate(_sub(hal=-1.0), *args)


@pytest.mark.parametrize("year", [2012, 2021])
def test_error_year_outside_phase3(tables, year):
    args = (tables["product_benchmarks"], tables["clef"], tables["cscf"], tables["lrf"])
    with pytest.raises(InputError, match=f"year {year} outside Phase 3"):
        al.allocate(_sub(), *args, years=[year])
    with pytest.raises(InputError, match=f"year {year} outside Phase 3"):
        al.clef_linear([year])


def test_error_factor_outside_unit_interval(tables):
    bad = tables["cscf"].copy()
    bad.loc[0, "factor"] = 1.2
    with pytest.raises(InputError, match=r"cscf: factor 1.2 outside \[0, 1\]"):
        al.allocate(_sub(), tables["product_benchmarks"], tables["clef"], bad, tables["lrf"])
    with pytest.raises(InputError, match=r"start/end: factor -0.1 outside \[0, 1\]"):
        al.clef_linear(start=-0.1)


def test_error_unknown_hal_rule(tables):
    with pytest.raises(InputError, match="rule: unknown HAL rule '2000_2004'"):
        al.historical_activity_level(tables["installations"], "2000_2004")


@pytest.mark.parametrize(("cell", "resource", "keys"), [
    (("auction", "phase1"), "auctions_quoted_figures", ["phase1_auction_max_pct"]),
    (("auction", "phase2"), "auctions_quoted_figures", ["phase2_auction_max_pct", "phase2_auction_actual_pct"]),
    (("free_allocation", "phase3"), "allocation_quoted_figures",
     ["manufacturing_free_share_2013_pct", "manufacturing_free_share_2020_pct"]),
])
def test_table3_auction_caps_and_free_share(cell, resource, keys):
    """The auction caps and free shares quoted from 表3 are the percentages its cells print."""
    t3 = datasets.load("allocation_methods_by_phase_t3").set_index(["aspect", "phase"])["text_zh"]
    q = datasets.load(resource).set_index("key")["value"]
    text = t3[cell].replace(" ", "")
    for key in keys:
        assert re.search(rf"(?<![\d.]){q[key]:g}%", text), f"{key} = {q[key]:g} % not in 表3 {cell}: {t3[cell]!r}"


# (that each quoted value is the number its quote prints: tests/test_datasets.py)
def test_quoted_rules_match_library():
    q = datasets.load("allocation_quoted_figures").set_index("key")["value"]
    assert al.HAL_WINDOWS["2005_2008"] == (q["hal_window_a_first_year"], q["hal_window_a_last_year"])
    assert al.HAL_WINDOWS["2009_2010"] == (q["hal_window_b_first_year"], q["hal_window_b_last_year"])
    lin = al.clef_linear(start=q["clef_not_exposed_start"], end=q["clef_not_exposed_end"])
    assert_allclose(lin[[2013, 2020]].to_numpy(), [0.8, 0.3], atol=1e-12)
    assert_allclose(al.lrf_factors(lrf=q["lrf_pct_per_year"] / 100)[2020], 0.8782, atol=0.5e-4)

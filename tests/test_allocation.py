"""Tests for carbonlib.allocation: printed 表7-表10 and 附件二, identities, errors."""

import numpy as np
import pandas as pd
import pytest
from numpy.testing import assert_allclose

from carbonlib import allocation as al
from carbonlib import checks, datasets
from carbonlib.errors import InputError

YEARS = list(range(2013, 2021))
T8_NOT_EXPOSED = [0.8, 0.7286, 0.6571, 0.5857, 0.5143, 0.4429, 0.3714, 0.3]
T9_CSCF = [0.9427, 0.9263, 0.9098, 0.8930, 0.8761, 0.8590, 0.8417, 0.8244]
T10_LRF = [1, 0.9826, 0.9652, 0.9478, 0.9304, 0.9130, 0.8956, 0.8782]

ANNEX2 = [
    ("coke", True, 0.286), ("sintered_ore", True, 0.171), ("hot_metal", True, 1.328),
    ("pre_bake_anode", True, 0.324), ("aluminium", True, 1.514),
    ("grey_cement_clinker", True, 0.766), ("white_cement_clinker", True, 0.987),
    ("lime", True, 0.954), ("sintered_dolime", True, 1.449), ("float_glass", True, 0.453),
    ("bottles_jars_colourless_glass", True, 0.382), ("bottles_jars_coloured_glass", True, 0.306),
    ("continuous_filament_glass_fibre", True, 0.406), ("facing_bricks", False, 0.139),
    ("pavers", False, 0.192), ("roof_tiles", False, 0.144), ("spray_dried_powder", True, 0.076),
    ("plaster", False, 0.048), ("dried_secondary_gypsum", False, 0.017),
    ("short_fibre_kraft_pulp", True, 0.12), ("long_fibre_kraft_pulp", True, 0.06),
    ("sulphite_thermomechanical_mechanical_pulp", True, 0.02),
    ("recovered_paper_pulp", True, 0.093), ("newsprint", True, 0.298),
    ("uncoated_fine_paper", True, 0.318), ("coated_fine_paper", True, 0.918),
    ("tissue", True, 0.334), ("testliner_fluting", True, 0.248),
    ("uncoated_carton_board", True, 0.237), ("coated_carton_board", True, 0.273),
    ("nitric_acid", True, 0.302), ("adipic_acid", True, 2.79),
    ("vinyl_chloride_monomer", True, 0.204), ("phenol_acetone", True, 0.266),
    ("s_pvc", True, 0.085), ("e_pvc", True, 0.238), ("soda_ash", True, 0.843),
    ("refinery_products", True, 0.0295), ("eaf_carbon_steel", True, 0.283),
    ("eaf_high_alloy_steel", True, 0.352), ("iron_casting", True, 0.325),
    ("mineral_wool", False, 0.682), ("plasterboard", False, 0.131),
    ("carbon_black", True, 1.954), ("ammonia", True, 1.619), ("steam_cracking", True, 0.702),
    ("aromatics", True, 0.295), ("styrene", True, 0.527), ("hydrogen", True, 8.85),
    ("synthesis_gas", True, 0.242), ("ethylene_oxide_glycols", True, 0.512),
]


@pytest.fixture(scope="module")
def tables():
    return {n: datasets.load(f"allocation_{n}") for n in
            ["product_benchmarks", "clef", "cscf", "lrf", "installations", "fallback_benchmarks"]}


def _sub(**over):
    row = {"installation": "X", "sub_installation": "X1", "method": "product",
           "product": "lime", "leakage_exposed": None, "correction": "cscf", "hal": 1000.0}
    row.update(over)
    return pd.DataFrame([row])


def test_annex2_has_51_products(tables):
    assert len(tables["product_benchmarks"]) == 51 == len(ANNEX2)


@pytest.mark.parametrize(("product", "exposed", "value"), ANNEX2)
def test_annex2_printed(tables, product, exposed, value):
    row = tables["product_benchmarks"].set_index("product").loc[product]
    assert bool(row["leakage_exposed"]) is exposed
    assert row["leakage_printed_zh"] == ("是" if exposed else "否")
    assert_allclose(row["benchmark_tco2_per_t"], value, rtol=0, atol=1e-12)


@pytest.mark.parametrize(("method", "value"), [("heat", 62.3), ("fuel", 56.1), ("process", 97)])
def test_table7_printed_and_used(tables, method, value):
    t7 = tables["fallback_benchmarks"].set_index("method")["benchmark_value"]
    assert_allclose(t7[method], value, atol=1e-12)
    used = al.FALLBACK_BENCHMARKS[method] * (100 if method == "process" else 1)
    assert_allclose(used, value, atol=1e-12)


@pytest.mark.parametrize(("year", "printed"), list(zip(YEARS, T8_NOT_EXPOSED, strict=True)))
def test_table8_not_exposed(tables, year, printed):
    t8 = tables["clef"].set_index(["status", "year"])["factor"]
    assert_allclose(t8[("not_exposed", year)], printed, atol=1e-12)
    assert_allclose(t8[("exposed", year)], 1.0, atol=1e-12)
    assert_allclose(al.clef_linear()[year], printed, atol=0.5e-4)


def test_table8_compare_all_agree(tables):
    printed = tables["clef"].query("status == 'not_exposed'").set_index("year")["factor"]
    cmp = checks.compare(printed, al.clef_linear(), decimals=4)
    assert cmp["within_rounding"].all() and len(cmp) == 8


@pytest.mark.parametrize(("year", "printed"), list(zip(YEARS, T9_CSCF, strict=True)))
def test_table9_printed(tables, year, printed):
    assert_allclose(tables["cscf"].set_index("year")["factor"][year], printed, atol=1e-12)


@pytest.mark.parametrize(("year", "printed"), list(zip(YEARS, T10_LRF, strict=True)))
def test_table10_printed_and_recomputed(tables, year, printed):
    assert_allclose(tables["lrf"].set_index("year")["factor"][year], printed, atol=1e-12)
    assert_allclose(al.lrf_factors()[year], printed, atol=0.5e-4)


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
    with pytest.raises(InputError, match="activity_level: negative value -3.0 .*'CLK1_clinker', year 2005"):
        al.historical_activity_level(bad)
    args = (tables["product_benchmarks"], tables["clef"], tables["cscf"], tables["lrf"])
    with pytest.raises(InputError, match="hal: negative activity level"):
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


def test_table6_phase3_uses_benchmarks():
    t6 = datasets.load("allocation_methods_by_phase_t6").set_index(["aspect", "phase"])["text_zh"]
    assert t6[("baseline", "phase1_2")] == "歷史排放"
    assert t6[("baseline", "phase3")] == "標竿法"
    assert t6[("free_allocation", "phase3")] == "工業與供熱"
    assert len(t6) == 10


def test_table3_auction_caps_and_free_share():
    t3 = datasets.load("allocation_methods_by_phase_t3").set_index(["aspect", "phase"])["text_zh"]
    assert "5%" in t3[("auction", "phase1")]
    assert "10%" in t3[("auction", "phase2")] and "4%" in t3[("auction", "phase2")]
    assert "80%" in t3[("free_allocation", "phase3")] and "30%" in t3[("free_allocation", "phase3")]


@pytest.mark.parametrize(("key", "value"), [
    ("hal_window_a_first_year", 2005), ("hal_window_a_last_year", 2008),
    ("hal_window_b_first_year", 2009), ("hal_window_b_last_year", 2010),
    ("clef_not_exposed_start", 0.8), ("clef_not_exposed_end", 0.3), ("clef_exposed", 1),
    ("lrf_pct_per_year", 1.74), ("lrf_base_year", 2013), ("leakage_sector_count", 164),
    ("benchmark_top_share_pct", 10), ("manufacturing_free_share_2013_pct", 80),
    ("manufacturing_free_share_2020_pct", 30),
])
def test_quoted_figures(key, value):
    q = datasets.load("allocation_quoted_figures").set_index("key")
    assert_allclose(q.loc[key, "value"], value, atol=1e-12)
    assert str(q.loc[key, "value"]).rstrip("0").rstrip(".") in q.loc[key, "quote_zh"].replace(" ", "")


def test_quoted_rules_match_library():
    q = datasets.load("allocation_quoted_figures").set_index("key")["value"]
    assert al.HAL_WINDOWS["2005_2008"] == (q["hal_window_a_first_year"], q["hal_window_a_last_year"])
    assert al.HAL_WINDOWS["2009_2010"] == (q["hal_window_b_first_year"], q["hal_window_b_last_year"])
    lin = al.clef_linear(start=q["clef_not_exposed_start"], end=q["clef_not_exposed_end"])
    assert_allclose(lin[[2013, 2020]].to_numpy(), [0.8, 0.3], atol=1e-12)
    assert_allclose(al.lrf_factors(lrf=q["lrf_pct_per_year"] / 100)[2020], 0.8782, atol=0.5e-4)

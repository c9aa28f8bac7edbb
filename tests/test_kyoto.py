"""Tests for carbonlib.kyoto: printed 表2 (000), its identities, the balance, the Monte Carlo."""

import doctest
import re

import numpy as np
import pandas as pd
import pytest
from numpy.testing import assert_allclose

from carbonlib import datasets
from carbonlib import kyoto as ky
from carbonlib.errors import InputError

ATOL = 1e-9  # transcribed integers, exact in binary floating point


@pytest.fixture(scope="module")
def demand():
    return datasets.load("kyoto_demand")


@pytest.fixture(scope="module")
def supply():
    return datasets.load("kyoto_supply")


@pytest.fixture(scope="module")
def central(demand, supply):
    return ky.components(demand, supply, "cdm_ji_gis", include_uncertain=False)


# ---------------------------------------------------------------- the cells as printed


def _printed_numbers(cell) -> list[float]:
    """The numbers of a 表2 cell as printed, in order ("1,830 1,580-2480" -> 1830, 1580, 2480)."""
    return [] if pd.isna(cell) else [float(n.replace(",", "")) for n in re.findall(r"\d[\d,]*", cell)]


def test_table2_demand_number_and_parentheses_match_the_printed_cell(demand):
    for _, row in demand.iterrows():
        value = int(row["volume_mtco2e"])
        assert value == row["volume_mtco2e"], (row["buyer"], row["component"])
        expected = f"({value:,})" if row["in_parentheses"] else f"{value:,}"
        assert row["cell_as_printed"] == expected, (row["buyer"], row["component"])


def test_table2_supply_numbers_are_those_of_the_printed_cell(supply):
    """Central value, then the range: the numbers the cell prints, in that order ('?' = none)."""
    for _, row in supply.iterrows():
        numbers = [row[c] for c in ("central_mtco2e", "low_mtco2e", "high_mtco2e") if not pd.isna(row[c])]
        assert _printed_numbers(row["cell_as_printed"]) == numbers, (row["source"], row["seller"])


# ---------------------------------------------------------------- identities and the reading


EXCLUDED = {  # identity: (recomputed, status) under "parentheses are uncertain, not in totals"
    "eu: total = parts": (1940, "agrees"),
    "japan: total = parts": (450, "agrees"),
    "other_europe_nz: total = parts": (20, "discrepancy"),
    "all_buyers: government = sum of regions": (660, "agrees"),
    "all_buyers: private = sum of regions": (1750, "discrepancy"),
    "all_buyers: remainder (其餘) = sum of other items": (420, "agrees"),
    "all_buyers: total = sum of counted parts": (2410, "discrepancy"),
    "all_buyers: total = sum of printed regional totals": (2435, "agrees"),
    "all_buyers: total = printed government + private": (2435, "agrees"),
}
INCLUDED = {  # the same identities if parenthesised items were counted in the totals
    "eu: total = parts": (2140, "discrepancy"),
    "japan: total = parts": (650, "discrepancy"),
    "other_europe_nz: total = parts": (40, "discrepancy"),
    "all_buyers: government = sum of regions": (660, "agrees"),
    "all_buyers: private = sum of regions": (1770, "discrepancy"),
    "all_buyers: remainder (其餘) = sum of other items": (400, "discrepancy"),
    "all_buyers: total = sum of counted parts": (2830, "discrepancy"),
    "all_buyers: total = sum of printed regional totals": (2435, "agrees"),
    "all_buyers: total = printed government + private": (2435, "agrees"),
}


@pytest.mark.parametrize(("identity", "expected"), list(EXCLUDED.items()))
def test_demand_identities_parentheses_excluded(demand, identity, expected):
    rep = ky.demand_checks(demand, "parentheses_excluded")
    assert_allclose(rep.loc[identity, "recomputed"], expected[0], rtol=0, atol=ATOL)
    assert rep.loc[identity, "status"] == expected[1]


@pytest.mark.parametrize(("identity", "expected"), list(INCLUDED.items()))
def test_demand_identities_parentheses_included(demand, identity, expected):
    rep = ky.demand_checks(demand, "parentheses_included")
    assert_allclose(rep.loc[identity, "recomputed"], expected[0], rtol=0, atol=ATOL)
    assert rep.loc[identity, "status"] == expected[1]


def test_excluded_reading_leaves_one_unprinted_cell_of_25(demand):
    rep = ky.demand_checks(demand, "parentheses_excluded")
    bad = rep[rep["status"] == "discrepancy"]
    assert len(bad) == 3
    assert_allclose(bad["difference"].to_numpy(), [25, 25, 25], rtol=0, atol=ATOL)
    assert len(rep[rep["status"] == "discrepancy"]) < len(
        ky.demand_checks(demand, "parentheses_included").query("status == 'discrepancy'"))


@pytest.mark.parametrize(("buyer", "value"), [("eu", 0), ("japan", 0), ("other_europe_nz", 25)])
def test_implied_unprinted(demand, buyer, value):
    implied = ky.implied_unprinted(demand)
    assert_allclose(implied[buyer], value, rtol=0, atol=ATOL)


def test_implied_cell_closes_every_identity(demand):
    # adding the implied firm private demand of other Europe (25) makes all totals agree
    extra = pd.DataFrame([{"buyer": "other_europe_nz", "component": "private_implied",
                           "label_zh": "(implied)", "in_parentheses": False, "volume_mtco2e": 25.0}])
    filled = pd.concat([demand, extra], ignore_index=True)
    filled.loc[filled["component"] == "private_implied", "component"] = "private"
    rep = ky.demand_checks(filled, "parentheses_excluded")
    assert (rep["status"] == "agrees").all()


SUPPLY_IDENTITIES = {
    "aau_surplus: subtotal = countries": (7305, 3330 + 2170 + 1720 + 85),
    "gis: subtotal low = countries": (1100, 1000 + 100),
    "gis: subtotal high = countries": (1900, 1200 + 700),
    "cdm_ji: subtotal low = cdm + ji": (1580, 1400 + 180),
    "cdm_ji: subtotal central = cdm + ji": (1830, 1600 + 230),
    "cdm_ji: subtotal high = cdm + ji": (2480, 2200 + 280),
    "all_sources: total central = aau_surplus + cdm_ji": (9135, 7305 + 1830),
    "all_sources: total low = gis + cdm_ji": (2680, 1100 + 1580),
    "all_sources: total high = gis + cdm_ji": (4380, 1900 + 2480),
}


@pytest.mark.parametrize(("identity", "expected"), list(SUPPLY_IDENTITIES.items()))
def test_supply_identities(supply, identity, expected):
    rep = ky.supply_checks(supply)
    assert_allclose(rep.loc[identity, ["printed", "recomputed"]].to_numpy(dtype=float),
                    expected, rtol=0, atol=ATOL)
    assert rep.loc[identity, "status"] == "agrees"


def test_supply_checks_all_agree(supply):
    assert (ky.supply_checks(supply)["status"] == "agrees").all()


@pytest.mark.parametrize(("check", "agrees", "discrepancy", "max_diff"), [
    ("demand, parentheses_excluded", 6, 3, 25), ("demand, parentheses_included", 3, 6, 395),
    ("supply", 9, 0, 0),
])
def test_check_summary(demand, supply, check, agrees, discrepancy, max_diff):
    row = ky.check_summary(demand, supply).loc[check]
    assert (row["identities"], row["agrees"], row["discrepancy"]) == (9, agrees, discrepancy)
    assert_allclose(row["max_abs_difference_mtco2e"], max_diff, rtol=0, atol=ATOL)


# ---------------------------------------------------------------- shares and quoted figures


@pytest.mark.parametrize(("group", "key", "share"), [
    ("buyer", "eu", 100 * 1940 / 2435), ("buyer", "japan", 100 * 450 / 2435),
    ("buyer", "other_europe_nz", 100 * 45 / 2435), ("sector", "government", 100 * 660 / 2435),
    ("sector", "private", 100 * 1775 / 2435), ("uncertain", "remainder", 100 * 420 / 2435),
])
def test_demand_shares(demand, group, key, share):
    assert_allclose(ky.demand_shares(demand).loc[(group, key), "share_pct"], share, rtol=1e-12)


def test_demand_shares_sum_to_100(demand):
    sh = ky.demand_shares(demand)
    assert_allclose(sh.loc["buyer", "share_pct"].sum(), 100, atol=1e-9)
    assert_allclose(sh.loc["sector", "share_pct"].sum(), 100, atol=1e-9)


def test_private_share_matches_quoted_73_pct(demand):
    q = datasets.load("kyoto_quoted_figures").set_index("key")["value"]
    share = ky.demand_shares(demand).loc[("sector", "private"), "share_pct"]
    assert_allclose(share, 72.895277, atol=1e-6)
    assert_allclose(share, q["demand_private_share_pct"], atol=0.5)  # printed to whole percent


@pytest.mark.parametrize(("group", "key", "share"), [
    ("aau_surplus", "russia", 100 * 3330 / 7305), ("aau_surplus", "ukraine", 100 * 2170 / 7305),
    ("aau_surplus", "eu10", 100 * 1720 / 7305), ("aau_surplus", "other_eits", 100 * 85 / 7305),
    ("cdm_ji", "cdm", 100 * 1600 / 1830), ("cdm_ji", "ji", 100 * 230 / 1830),
])
def test_supply_shares(supply, group, key, share):
    assert_allclose(ky.supply_shares(supply).loc[(group, key), "share_pct"], share, rtol=1e-12)


# (that each quoted value is the number its quote prints: tests/test_datasets.py)
@pytest.mark.parametrize(("key", "buyer", "component"), [
    ("demand_total", "all_buyers", "total"), ("demand_government", "all_buyers", "government"),
    ("demand_eu15_government", "eu", "government"), ("demand_japan_government_min", "japan", "government"),
    ("demand_private", "all_buyers", "private"),
])
def test_quoted_demand_matches_table(demand, key, buyer, component):
    q = datasets.load("kyoto_quoted_figures").set_index("key")["value"]
    t = demand.set_index(["buyer", "component"])["volume_mtco2e"]
    assert_allclose(q[key], t[(buyer, component)], rtol=0, atol=ATOL)


@pytest.mark.parametrize(("key", "source"), [("supply_aau_surplus", "aau_surplus"), ("supply_cdm_ji", "cdm_ji")])
def test_quoted_supply_matches_table(supply, key, source):
    q = datasets.load("kyoto_quoted_figures").set_index("key")["value"]
    s = supply.set_index(["source", "seller"])["central_mtco2e"]
    assert_allclose(q[key], s[(source, "subtotal")], rtol=0, atol=ATOL)


# ---------------------------------------------------------------- the balance


GRID = [  # (sources, include_uncertain, end, demand, supply)
    ("cdm_ji", False, "low", 2435, 1580), ("cdm_ji", False, "central", 2435, 1830),
    ("cdm_ji", False, "high", 2435, 2480), ("cdm_ji", True, "central", 2855, 1830),
    ("cdm_ji_gis", False, "low", 2435, 2680), ("cdm_ji_gis", False, "central", 2435, 3330),
    ("cdm_ji_gis", False, "high", 2435, 4380), ("cdm_ji_gis", True, "low", 2855, 2680),
    ("cdm_ji_aau", False, "low", 2435, 8885), ("cdm_ji_aau", False, "central", 2435, 9135),
    ("cdm_ji_aau", True, "high", 2855, 9785),
]


@pytest.mark.parametrize(("sources", "include", "end", "d", "s"), GRID)
def test_balance(demand, supply, sources, include, end, d, s):
    b = ky.balance(ky.components(demand, supply, sources, include), end)
    assert_allclose(b[["demand_mtco2e", "supply_mtco2e", "surplus_mtco2e"]].to_numpy(dtype=float),
                    [d, s, s - d], rtol=0, atol=ATOL)
    assert_allclose(b["coverage_pct"], 100 * s / d, rtol=1e-12)


@pytest.mark.parametrize(("sources", "end", "column"), [
    ("cdm_ji", "central", "central_mtco2e"), ("cdm_ji", "low", "low_mtco2e"),
    ("cdm_ji", "high", "high_mtco2e"), ("cdm_ji_gis", "low", "low_mtco2e"),
    ("cdm_ji_gis", "high", "high_mtco2e"),
])
def test_balance_supply_reproduces_printed_totals(demand, supply, sources, end, column):
    row = ("cdm_ji", "subtotal") if sources == "cdm_ji" else ("all_sources", "total")
    printed = supply.set_index(["source", "seller"]).loc[row, column]
    b = ky.balance(ky.components(demand, supply, sources), end)
    assert_allclose(b["supply_mtco2e"], printed, rtol=0, atol=ATOL)


def test_balance_all_aau_central_is_printed_total(demand, supply):
    b = ky.balance(ky.components(demand, supply, "cdm_ji_aau"), "central")
    assert_allclose(b["supply_mtco2e"], 9135, rtol=0, atol=ATOL)
    assert_allclose(b["demand_mtco2e"], 2435, rtol=0, atol=ATOL)


def test_uncertain_demand_adds_420(demand, supply):
    off = ky.balance(ky.components(demand, supply, "cdm_ji", False))
    on = ky.balance(ky.components(demand, supply, "cdm_ji", True))
    assert_allclose(on["demand_mtco2e"] - off["demand_mtco2e"], 420, rtol=0, atol=ATOL)


def test_gis_central_is_midpoint_and_question_marks_dropped(central):
    gis = central[central["component"].str.startswith("gis_")].set_index("component")
    assert sorted(gis.index) == ["gis_eu10", "gis_ukraine"]
    assert_allclose(gis.loc["gis_ukraine", "central_mtco2e"], 1100, rtol=0, atol=ATOL)
    assert_allclose(gis.loc["gis_eu10", "central_mtco2e"], 400, rtol=0, atol=ATOL)


def test_balance_grid(demand, supply):
    g = ky.balance_grid(demand, supply)
    assert len(g) == 18
    assert g[["sources", "end", "include_uncertain"]].duplicated().sum() == 0
    assert_allclose(g["surplus_mtco2e"], g["supply_mtco2e"] - g["demand_mtco2e"], rtol=0, atol=ATOL)
    shortfall = g[g["surplus_mtco2e"] < 0]
    assert set(shortfall["sources"]) == {"cdm_ji", "cdm_ji_gis"}
    assert_allclose(g["surplus_mtco2e"].min(), 1580 - 2855, rtol=0, atol=ATOL)


# ---------------------------------------------------------------- Monte Carlo


def test_same_seed_same_draws(central):
    a = ky.simulate(central, n_draws=2000, seed=42)
    b = ky.simulate(central, n_draws=2000, seed=42)
    pd.testing.assert_frame_equal(a, b, check_exact=True)
    c = ky.simulate(central, n_draws=2000, seed=43)
    assert not np.array_equal(a["surplus_mtco2e"].to_numpy(), c["surplus_mtco2e"].to_numpy())


@pytest.mark.parametrize("distribution", ky.DISTRIBUTIONS)
@pytest.mark.parametrize("end", ky.RANGE_ENDS)
def test_degenerate_ranges_give_deterministic_balance(demand, supply, distribution, end):
    comps = ky.components(demand, supply, "cdm_ji_gis", include_uncertain=True)
    col = {"low": "low_mtco2e", "central": "central_mtco2e", "high": "high_mtco2e"}[end]
    fixed = comps.assign(low_mtco2e=comps[col], central_mtco2e=comps[col], high_mtco2e=comps[col])
    sim = ky.simulate(fixed, n_draws=500, seed=3, distribution=distribution)
    expected = ky.balance(comps, end)["surplus_mtco2e"]
    assert_allclose(sim["surplus_mtco2e"].to_numpy(), expected, rtol=0, atol=1e-9)
    assert ky.summarise(sim)["sd_surplus_mtco2e"] < 1e-9


@pytest.mark.parametrize("distribution", ky.DISTRIBUTIONS)
def test_draws_stay_inside_bounds(demand, supply, distribution):
    comps = ky.components(demand, supply, "cdm_ji_gis", include_uncertain=True)
    sim = ky.simulate(comps, n_draws=50_000, seed=7, distribution=distribution)
    for _, c in comps.iterrows():
        x = sim[c["component"]].to_numpy()
        assert x.min() >= c["low_mtco2e"] and x.max() <= c["high_mtco2e"], c["component"]
    low, high = ky.balance(comps, "low"), ky.balance(comps, "high")
    assert sim["supply_mtco2e"].min() >= low["supply_mtco2e"]
    assert sim["supply_mtco2e"].max() <= high["supply_mtco2e"]
    assert_allclose(sim["surplus_mtco2e"], sim["supply_mtco2e"] - sim["demand_mtco2e"], rtol=0, atol=1e-9)


@pytest.mark.parametrize(("distribution", "component", "mean"), [
    ("uniform", "cdm", 1800), ("uniform", "ji", 230), ("uniform", "gis_eu10", 400),
    ("triangular", "cdm", (1400 + 1600 + 2200) / 3), ("triangular", "ji", 230),
    ("triangular", "gis_ukraine", 1100),
])
def test_component_means(central, distribution, component, mean):
    sim = ky.simulate(central, n_draws=200_000, seed=11, distribution=distribution)
    assert_allclose(sim[component].mean(), mean, rtol=3e-3)


def test_triangular_mode_is_central(central):
    sim = ky.simulate(central, n_draws=200_000, seed=5)
    # CDM: P(X < mode) = (mode - low) / (high - low) = 200 / 800
    assert_allclose((sim["cdm"] < 1600).mean(), 0.25, atol=5e-3)


def test_shortfall_probability_by_scenario(demand, supply):
    only_credits = ky.summarise(ky.simulate(ky.components(demand, supply, "cdm_ji"), 20_000, 1))
    with_gis = ky.summarise(ky.simulate(ky.components(demand, supply, "cdm_ji_gis"), 20_000, 1))
    all_aau = ky.summarise(ky.simulate(ky.components(demand, supply, "cdm_ji_aau"), 20_000, 1))
    assert only_credits["shortfall_probability"] > 0.9
    assert with_gis["shortfall_probability"] == 0.0  # low ends already cover demand (2,680 > 2,435)
    assert all_aau["shortfall_probability"] == 0.0


def test_vectorised_equals_loop(central):
    for distribution in ky.DISTRIBUTIONS:
        vec = ky.simulate(central, n_draws=3000, seed=9, distribution=distribution)
        loop = ky.simulate_loop(central, n_draws=3000, seed=9, distribution=distribution)
        assert_allclose(vec["surplus_mtco2e"].to_numpy(), loop, rtol=1e-12, atol=1e-9)


def test_summarise(central):
    sim = pd.DataFrame({"surplus_mtco2e": [-2.0, -1.0, 0.0, 1.0, 2.0]})
    s = ky.summarise(sim, quantiles=[0.05, 0.5, 0.95])
    assert_allclose(s[["n_draws", "mean_surplus_mtco2e", "q50_surplus_mtco2e"]].to_numpy(dtype=float),
                    [5, 0, 0], atol=1e-12)
    assert_allclose(s["q5_surplus_mtco2e"], -1.8, atol=1e-12)
    assert_allclose(s["q95_surplus_mtco2e"], 1.8, atol=1e-12)
    assert_allclose(s["shortfall_probability"], 0.4, atol=1e-12)
    assert_allclose(s["sd_surplus_mtco2e"], np.std([-2, -1, 0, 1, 2], ddof=1), rtol=1e-12)


# ---------------------------------------------------------------- errors


def test_error_negative_volume(demand, supply):
    bad = demand.copy()
    bad.loc[bad["component"] == "doubtful_policies", "volume_mtco2e"] = -200.0
    with pytest.raises(InputError, match="demand.volume_mtco2e: value -200.0 for buyer 'eu', component 'doubtful_policies' "
                                         "is below the minimum 0"):
        ky.demand_checks(bad)
    bad_s = supply.copy()
    bad_s.loc[bad_s["source"] == "ji", "central_mtco2e"] = -5.0
    with pytest.raises(InputError, match="supply.central_mtco2e: value -5.0 for source 'ji', seller 'all_hosts' is below the minimum 0"):
        ky.components(demand, bad_s)


def test_error_low_above_high(demand, supply, central):
    bad = supply.copy()
    bad.loc[(bad["source"] == "gis") & (bad["seller"] == "eu10"), "low_mtco2e"] = 900.0
    with pytest.raises(InputError, match="supply: low end 900.0 is above its high end 700.0 for gis/eu10"):
        ky.supply_checks(bad)
    comps = central.copy()
    comps.loc[comps["component"] == "cdm", "low_mtco2e"] = 2500.0
    with pytest.raises(InputError, match="components: low end 2500.0 is above its central value 1600.0 for cdm"):
        ky.simulate(comps, n_draws=10)
    comps = central.copy()
    comps.loc[comps["component"] == "ji", "high_mtco2e"] = 200.0
    with pytest.raises(InputError, match="components: central value 230.0 is above its high end 200.0 for ji"):
        ky.balance(comps)


@pytest.mark.parametrize(("call", "message"), [
    (lambda d, s, c: ky.components(d, s, "all_of_it"), "sources: unknown supply scenario 'all_of_it'"),
    (lambda d, s, c: ky.balance(c, "median"), "end: unknown range end 'median'"),
    (lambda d, s, c: ky.simulate(c, 10, 0, "normal"), "distribution: unknown distribution 'normal'"),
    (lambda d, s, c: ky.demand_checks(d, "guess"), "reading: unknown reading of the parentheses 'guess'"),
])
def test_error_unknown_scenario_names(demand, supply, central, call, message):
    with pytest.raises(InputError, match=message):
        call(demand, supply, central)


@pytest.mark.parametrize(("kwargs", "message"), [
    ({"n_draws": 0}, "n_draws: must be a positive integer, got 0"),
    ({"n_draws": 10.5}, "n_draws: must be a positive integer, got 10.5"),
    ({"seed": -1}, "seed: must be a non-negative integer, got -1"),
])
def test_error_bad_draw_settings(central, kwargs, message):
    with pytest.raises(InputError, match=message):
        ky.simulate(central, **kwargs)


def test_error_bad_quantile_and_missing_column(central):
    sim = ky.simulate(central, n_draws=10, seed=0)
    with pytest.raises(InputError, match=r"quantiles: probabilities must lie in \[0, 1\]"):
        ky.summarise(sim, quantiles=[0.5, 1.5])
    with pytest.raises(InputError, match=r"sim: missing columns \['surplus_mtco2e'\]"):
        ky.summarise(sim.drop(columns="surplus_mtco2e"))


def test_error_missing_total_and_unknown_buyer(demand):
    with pytest.raises(InputError, match="demand: no printed total for buyer 'japan'"):
        ky.demand_shares(demand[~((demand["buyer"] == "japan") & (demand["component"] == "total"))])
    bad = demand.copy()
    bad.loc[0, "buyer"] = "mars"
    with pytest.raises(InputError, match=r"demand.buyer: 'mars' in row 1 is not one of \['eu', 'japan', 'other_europe_nz', 'all_buyers'\]"):
        ky.implied_unprinted(bad)


def test_docstring_examples_run():
    result = doctest.testmod(ky, optionflags=doctest.ELLIPSIS)
    assert result.attempted >= 14 and result.failed == 0

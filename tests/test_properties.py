"""Property-based tests (hypothesis) of the calculations, on inputs the reports never printed.

Totals equal the sum of their parts (market 表1, the Kyoto balance and its Monte Carlo); cap
paths never increase under a positive reduction; factors stay within [0, 1]; allocation is
linear in activity; the effort-sharing ledger balances every year; Monte Carlo draws stay
inside their printed ranges. Settings are modest (deadline off, 50-80 examples) so the file
runs in seconds.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from carbonlib import allocation, cap, datasets, effort_sharing, kyoto, market
from carbonlib.errors import InputError

SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])

volumes = st.floats(min_value=0, max_value=1e5, allow_nan=False, allow_infinity=False)
maybe_volumes = st.one_of(st.just(np.nan), volumes)


# --------------------------------------------------------------------------- totals = sum of parts


LEVELS = datasets.load("market_t1_levels")
SEGMENT_ROWS = int((LEVELS["row_type"] == "segment").sum())


@SETTINGS
@given(st.lists(st.tuples(maybe_volumes, maybe_volumes), min_size=SEGMENT_ROWS, max_size=SEGMENT_ROWS))
def test_market_subtotals_and_total_are_the_sums_of_their_segments(values):
    levels = LEVELS.copy()
    seg = levels["row_type"] == "segment"
    levels.loc[seg, ["volume_mtco2e", "value_musd"]] = np.array(values, dtype=float)
    sums = market.recompute_sums(levels).set_index(["segment", "year"])
    rows = levels[seg]
    for (segment, year), got in sums.iterrows():
        kind, mkt = levels.loc[levels["segment"] == segment, ["row_type", "market"]].iloc[0]
        part = rows[(rows["year"] == year) & ((rows["market"] == mkt) if kind == "subtotal" else True)]
        for m in ("volume_mtco2e", "value_musd"):
            present = part[m].dropna()
            assert got[f"n_{m}"] == len(present)
            if len(present):
                assert got[m] == pytest.approx(present.sum(), rel=1e-12, abs=1e-9)
            else:
                assert np.isnan(got[m])
    # the total is the sum of the subtotals, whenever every segment is present
    for year in (2006, 2007):
        for m in ("volume_mtco2e", "value_musd"):
            subs = [sums.loc[(s, year), m] for s in ("allowance_subtotal", "project_subtotal")]
            if not rows.loc[rows["year"] == year, m].isna().any():
                assert sums.loc[("total", year), m] == pytest.approx(sum(subs), rel=1e-12, abs=1e-9)


@st.composite
def kyoto_components(draw):
    """A components table: demand constant, supply ranged with low <= central <= high."""
    n_demand = draw(st.integers(1, 3))
    n_supply = draw(st.integers(1, 4))
    rows = []
    for i in range(n_demand):
        v = draw(volumes)
        rows.append((f"d{i}", "demand", v, v, v))
    for i in range(n_supply):
        a, b, c = sorted(draw(st.tuples(volumes, volumes, volumes)))
        rows.append((f"s{i}", "supply", a, b, c))
    return pd.DataFrame(rows, columns=["component", "side", "low_mtco2e", "central_mtco2e", "high_mtco2e"])


@SETTINGS
@given(kyoto_components(), st.sampled_from(["low", "central", "high"]))
def test_kyoto_balance_is_supply_parts_minus_demand_parts(comps, end):
    out = kyoto.balance(comps, end)
    col = {"low": "low_mtco2e", "central": "central_mtco2e", "high": "high_mtco2e"}[end]
    demand = comps.loc[comps["side"] == "demand", col].sum()
    supply = comps.loc[comps["side"] == "supply", col].sum()
    assert out["demand_mtco2e"] == pytest.approx(demand)
    assert out["supply_mtco2e"] == pytest.approx(supply)
    assert out["surplus_mtco2e"] == pytest.approx(supply - demand, abs=1e-6)


@SETTINGS
@given(kyoto_components(), st.sampled_from(["uniform", "triangular"]), st.integers(0, 2**32 - 1))
def test_kyoto_monte_carlo_draws_inside_bounds_and_totals_add_up(comps, distribution, seed):
    sim = kyoto.simulate(comps, n_draws=200, seed=seed, distribution=distribution)
    assert len(sim) == 200
    for row in comps.itertuples(index=False):
        x = sim[row.component]
        assert (x >= row.low_mtco2e).all() and (x <= row.high_mtco2e).all()
    sides = comps.groupby("side")["component"].agg(list)
    supply = sim[sides["supply"]].sum(axis=1)
    demand = sim[sides["demand"]].sum(axis=1)
    np.testing.assert_allclose(sim["supply_mtco2e"], supply, rtol=1e-12, atol=1e-6)
    np.testing.assert_allclose(sim["demand_mtco2e"], demand, rtol=1e-12, atol=1e-6)
    np.testing.assert_allclose(sim["surplus_mtco2e"], supply - demand, rtol=1e-12, atol=1e-6)
    lo, hi = comps["low_mtco2e"].to_numpy(), comps["high_mtco2e"].to_numpy()
    sign = np.where(comps["side"] == "supply", 1.0, -1.0)
    bound_lo = (np.where(sign > 0, lo, hi) * sign).sum()
    bound_hi = (np.where(sign > 0, hi, lo) * sign).sum()
    assert (sim["surplus_mtco2e"] >= bound_lo - 1e-6).all() and (sim["surplus_mtco2e"] <= bound_hi + 1e-6).all()


def test_kyoto_monte_carlo_is_reproducible_for_a_seed():
    comps = kyoto.components(datasets.load("kyoto_demand"), datasets.load("kyoto_supply"))
    a = kyoto.simulate(comps, n_draws=500, seed=7)
    pd.testing.assert_frame_equal(a, kyoto.simulate(comps, n_draws=500, seed=7))
    assert not a.equals(kyoto.simulate(comps, n_draws=500, seed=8))


# --------------------------------------------------------------------------- cap paths


caps = st.floats(min_value=1.0, max_value=1e10, allow_nan=False)


@SETTINGS
@given(st.integers(2005, 2030), caps, st.integers(0, 40), st.floats(1e-6, 0.99))
def test_cap_path_never_increases_under_a_positive_reduction(start_year, start_cap, n_years, share):
    reduction = share * start_cap / max(n_years, 1)  # the cap never falls below zero
    path = cap.linear_path(start_year, start_cap, start_year + n_years, annual_reduction_t=reduction)
    assert list(path.index) == list(range(start_year, start_year + n_years + 1))
    assert path.iloc[0] == start_cap
    assert (np.diff(path.to_numpy()) < 0).all()
    assert (path >= -1e-6 * start_cap).all()


@SETTINGS
@given(caps, st.one_of(st.just(0.0), st.floats(1e-6, 0.05)), st.floats(1e-4, 0.05), st.integers(2014, 2035),
       st.integers(2013, 2040))
def test_scenario_path_with_a_switch_never_increases(start_cap, factor, new_factor, switch_year, end_year):
    base = start_cap
    try:
        path = cap.scenario_path(2013, start_cap, end_year, factor=factor, base_t=base,
                                 switch_year=switch_year, new_factor=new_factor)
    except InputError as exc:  # the only refusal: a path that would fall below zero
        assert "falls below zero" in str(exc)
        return
    steps = np.diff(path.to_numpy())
    assert (steps <= 1e-9 * start_cap).all()
    if factor > 0:
        assert (steps < 0).all()
    assert (path >= 0).all()


# --------------------------------------------------------------------------- factors in [0, 1]


unit = st.floats(0.0, 1.0, allow_nan=False)


@SETTINGS
@given(unit, unit)
def test_clef_factors_stay_within_0_and_1(start, end):
    clef = allocation.clef_linear(start=start, end=end)
    assert ((clef >= 0) & (clef <= 1)).all()
    assert clef.iloc[0] == pytest.approx(start) and clef.iloc[-1] == pytest.approx(end)
    table = allocation.clef_table(start=start, end=end)
    assert ((table["factor"] >= 0) & (table["factor"] <= 1)).all()


@SETTINGS
@given(st.floats(-0.5, 1.5, allow_nan=False), st.integers(2013, 2020))
def test_lrf_factors_stay_within_0_and_1_or_are_refused(lrf, base_year):
    try:
        factors = allocation.lrf_factors(lrf=lrf, base_year=base_year)
    except InputError as exc:
        assert "lrf: factor" in str(exc) and "outside [0, 1]" in str(exc)
        # refused only if some year's factor 1 - lrf x (year - base_year) leaves [0, 1]
        assert not 0 <= lrf <= 1 or lrf * (2020 - base_year) > 1 or lrf * (base_year - 2013) > 0
        return
    assert ((factors >= 0) & (factors <= 1)).all()
    assert factors[base_year] == 1.0


# --------------------------------------------------------------------------- allocation is linear


BENCH = (datasets.load("allocation_product_benchmarks"), datasets.load("allocation_clef"),
         datasets.load("allocation_cscf"), datasets.load("allocation_lrf"))
SUBS = allocation.historical_activity_level(datasets.load("allocation_installations"))
hals = st.lists(st.floats(0, 1e7, allow_nan=False), min_size=len(SUBS), max_size=len(SUBS))


@SETTINGS
@given(hals, hals, st.floats(0, 10, allow_nan=False), st.floats(0, 10, allow_nan=False))
def test_allocation_is_linear_in_activity(h1, h2, a, b):
    def alloc(h):
        return allocation.allocate(SUBS.assign(hal=h), *BENCH)["allocation_t"].to_numpy()

    combined = alloc(a * np.array(h1) + b * np.array(h2))
    np.testing.assert_allclose(combined, a * alloc(h1) + b * alloc(h2), rtol=1e-9, atol=1e-6)
    assert (combined >= 0).all()


# --------------------------------------------------------------------------- effort-sharing ledger


@st.composite
def plans(draw):
    first = draw(st.integers(2013, 2020))
    last = draw(st.integers(first, 2020))
    n = last - first + 1
    small = st.floats(0, 20, allow_nan=False)
    bank = st.one_of(st.just(np.nan), small)
    return pd.DataFrame({
        "year": list(range(first, last + 1)),
        "emissions_mtco2e": draw(st.lists(st.floats(0, 200, allow_nan=False), min_size=n, max_size=n)),
        "bought_mtco2e": draw(st.lists(small, min_size=n, max_size=n)),
        "sold_mtco2e": draw(st.lists(small, min_size=n, max_size=n)),
        "credits_mtco2e": draw(st.lists(small, min_size=n, max_size=n)),
        "bank_mtco2e": draw(st.lists(bank, min_size=n, max_size=n)),
    })


@SETTINGS
@given(plans(), st.floats(0, 200, allow_nan=False), st.floats(-20, 20, allow_nan=False),
       st.floats(0, 10), st.floats(0, 10), st.floats(0, 10), st.floats(1, 2))
def test_effort_sharing_ledger_balances_every_year(plan, e2005, target, bank_pct, sell_pct, credit_pct, penalty):
    ms = pd.DataFrame({"member_state": ["x"], "emissions_2005_mtco2e": [e2005], "target_2020_pct": [target]})
    aea = effort_sharing.aea_path(ms).set_index("year")["aea_mtco2e"]
    ledger = effort_sharing.simulate(aea, e2005, plan, bank_limit_pct=bank_pct, sell_limit_pct=sell_pct,
                                     credit_limit_pct=credit_pct, penalty_factor=penalty)
    assert ledger["year"].tolist() == plan["year"].tolist()
    residuals = effort_sharing.ledger_residuals(ledger)
    scale = 1 + ledger[["allocation_mtco2e", "emissions_mtco2e"]].abs().to_numpy().max()
    assert np.abs(residuals.to_numpy()).max() <= 1e-9 * scale
    for col in ("banked_out_mtco2e", "lapsed_mtco2e", "shortfall_mtco2e", "penalty_mtco2e", "clipped_mtco2e"):
        assert (ledger[col] >= -1e-9 * scale).all(), col
    # a year is either short or in surplus, never both (a request within 1e-12 of its limit is
    # granted as asked, so a zero surplus may bank a crumb of that size)
    tol = 1e-9 * scale
    short = ledger["shortfall_mtco2e"] > tol
    assert (ledger.loc[short, ["banked_out_mtco2e", "lapsed_mtco2e"]].abs() <= tol).all().all()
    np.testing.assert_allclose(ledger["penalty_mtco2e"], penalty * ledger["shortfall_mtco2e"])


@SETTINGS
@given(st.lists(st.tuples(st.one_of(st.just(0.0), st.floats(1e-6, 1e4)), st.floats(-20, 20, allow_nan=False)),
                min_size=1, max_size=8))
def test_aea_paths_run_straight_from_2005_to_the_2020_limit(rows):
    ms = pd.DataFrame({"member_state": [f"m{i}" for i in range(len(rows))],
                       "emissions_2005_mtco2e": [r[0] for r in rows], "target_2020_pct": [r[1] for r in rows]})
    aea = effort_sharing.aea_path(ms)
    for (_name, e05, tgt), part in zip(ms.itertuples(index=False), (aea[aea["member_state"] == n]
                                                                   for n in ms["member_state"]), strict=True):
        assert part["aea_mtco2e"].iloc[-1] == pytest.approx(e05 * (1 + tgt / 100), rel=1e-12, abs=1e-9)
        steps = np.diff(part["aea_mtco2e"].to_numpy())
        assert np.allclose(steps, steps[0], rtol=1e-9, atol=1e-9)
    weighted = effort_sharing.weighted_target(ms) if ms["emissions_2005_mtco2e"].sum() > 0 else None
    if weighted is not None:
        assert min(r[1] for r in rows) - 1e-9 <= weighted <= max(r[1] for r in rows) + 1e-9

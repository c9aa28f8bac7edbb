"""Tests for carbonlib.figures.allocation, .leakage and .effort_sharing (workbooks 04, 05, 07).

Each figure is drawn from the real tables with the workbook's default parameters; the tests
check what is drawn (axes, bars, lines, labels) against the tables it draws.
"""

from __future__ import annotations

import matplotlib
import numpy as np
import pandas as pd
import pytest
from matplotlib.figure import Figure
from numpy.testing import assert_allclose

from carbonlib import allocation, datasets, effort_sharing, figures, leakage

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
from matplotlib.collections import PathCollection  # noqa: E402
from matplotlib.patches import Rectangle  # noqa: E402

RTOL = 1e-12


def _bars(ax) -> list[Rectangle]:
    """The bars of an axes (the rectangles of its bar containers, in drawing order)."""
    return [bar for container in ax.containers for bar in container]


@pytest.fixture
def close():
    """Collect figures and close them after the test."""
    drawn = []
    yield drawn.append
    for fig in drawn:
        plt.close(fig)


# ---- allocation

@pytest.fixture(scope="module")
def allocation_tables():
    """The tables of workbook 04 with its defaults (hal_rule 2005_2008, printed factors)."""
    benchmarks = datasets.load("allocation_product_benchmarks")
    clef = datasets.load("allocation_clef")
    cscf = datasets.load("allocation_cscf")
    lrf = datasets.load("allocation_lrf")
    hal = allocation.historical_activity_level(datasets.load("allocation_installations"), rule="2005_2008")
    sub_alloc = allocation.allocate(hal, benchmarks, clef, cscf, lrf)
    return {"clef": clef, "cscf": cscf, "lrf": lrf, "sub_alloc": sub_alloc,
            "per_installation": allocation.by_installation(sub_alloc)}


def test_factors_draws_the_three_printed_factors(allocation_tables, close):
    t = allocation_tables
    fig = figures.allocation.factors(t["clef"], t["cscf"], t["lrf"])
    close(fig)
    assert isinstance(fig, Figure)
    assert len(fig.axes) == 1
    ax = fig.axes[0]
    lines = ax.get_lines()
    assert [line.get_label() for line in lines] == ["CLEF not exposed (表8)", "CSCF (表9)", "LRF (表10)"]
    not_exposed = t["clef"].query("status == 'not_exposed'").sort_values("year")
    expected = [not_exposed, t["cscf"].sort_values("year"), t["lrf"].sort_values("year")]
    for line, table in zip(lines, expected, strict=True):
        assert len(line.get_xdata()) == len(table) == 8
        assert_allclose(np.asarray(line.get_xdata(), dtype=float), table["year"].to_numpy(dtype=float), rtol=RTOL)
        assert_allclose(np.asarray(line.get_ydata(), dtype=float), table["factor"].to_numpy(dtype=float), rtol=RTOL)
        assert line.get_marker() == "o"
    assert ax.get_xlabel() == "year"
    assert ax.get_ylabel() == "factor (dimensionless)"
    assert ax.get_ylim() == (0, 1.05)


def test_allocation_paths_draws_one_panel_per_installation(allocation_tables, close):
    t = allocation_tables
    fig = figures.allocation.allocation_paths(t["per_installation"], t["sub_alloc"])
    close(fig)
    assert isinstance(fig, Figure)
    assert len(fig.axes) == 6
    installations = list(t["per_installation"]["installation"].unique())  # in the order of the input file
    assert len(installations) == 6
    reference = allocation.constant_emissions(t["sub_alloc"])
    for ax, name in zip(fig.axes, installations, strict=True):
        assert ax.get_title() == name
        assert ax.get_ylabel() == "ktCO2 per year"
        assert ax.get_ylim()[0] == 0
        free, constant = ax.get_lines()
        assert free.get_label() == "free allocation"
        assert constant.get_label() == "constant emissions (benchmark × HAL)"
        own = t["per_installation"].query("installation == @name").sort_values("year")
        ref = reference.query("installation == @name").sort_values("year")
        assert len(free.get_xdata()) == len(own) == 8
        assert_allclose(np.asarray(free.get_xdata(), dtype=float), own["year"].to_numpy(dtype=float), rtol=RTOL)
        assert_allclose(free.get_ydata(), own["allocation_t"].to_numpy() / 1e3, rtol=RTOL)
        assert_allclose(constant.get_ydata(), ref["emissions_t"].to_numpy() / 1e3, rtol=RTOL)
    legend = fig.axes[0].get_legend()
    assert legend is not None and [x.get_text() for x in legend.get_texts()] == [
        "free allocation", "constant emissions (benchmark × HAL)"]
    assert all(ax.get_legend() is None for ax in fig.axes[1:])


# ---- leakage

#: the defaults of workbook 05
CRITERIA = {"cost_min_pct": 5.0, "trade_min_pct": 10.0, "cost_only_pct": 30.0, "trade_only_pct": 30.0}


@pytest.fixture(scope="module")
def leakage_tables():
    """The tables of workbook 05 with its defaults (printed thresholds, illustrative inflation)."""
    inflation = datasets.load("leakage_inflation").set_index("year")["assumed_inflation_pct"]
    return {"units": datasets.load("leakage_installation_units"), "t2": datasets.load("scope_activities_t2"),
            "tested": leakage.leakage_test(datasets.load("leakage_sectors"), **CRITERIA),
            "annex3": datasets.load("leakage_annex3_sectors"), "penalty": leakage.penalty_path(inflation)}


@pytest.mark.parametrize("correct", [False, True])
def test_capacity_vs_threshold_draws_one_bar_per_activity_with_a_threshold(leakage_tables, close, correct):
    t = leakage_tables
    fig = figures.leakage.capacity_vs_threshold(t["units"], t["t2"], correct_printing_errors=correct)
    close(fig)
    assert isinstance(fig, Figure)
    assert len(fig.axes) == 1
    ax = fig.axes[0]
    per_activity = leakage.covered_activities(t["units"], t["t2"], correct_printing_errors=correct)
    drawn = per_activity.dropna(subset=["threshold"])
    assert 0 < len(drawn) < len(per_activity)  # activities without a threshold are left out
    bars = _bars(ax)
    assert len(bars) == len(drawn)
    assert_allclose([b.get_width() for b in bars], (drawn["capacity"] / drawn["threshold"]).to_numpy(), rtol=RTOL)
    assert [x.get_text() for x in ax.get_yticklabels()] == list(drawn["installation"] + " " + drawn["activity"])
    blue, grey = matplotlib.colors.to_rgba("tab:blue"), matplotlib.colors.to_rgba("tab:gray")
    assert [b.get_facecolor() for b in bars] == [blue if c else grey for c in drawn["covered"]]
    assert ax.get_xscale() == "log"
    assert ax.get_xlabel() == "capacity / activity threshold (dimensionless, log scale)"
    assert ax.get_ylabel() == "installation and activity"
    (threshold_line,) = ax.get_lines()
    assert list(threshold_line.get_xdata()) == [1.0, 1.0]
    wool = [b.get_width() for b, a in zip(bars, drawn["activity"], strict=True) if a == "mineral_wool"]
    assert_allclose(wool, [150.0 / (20.0 if correct else 200_000.0)], rtol=RTOL)


def test_leakage_criteria_places_every_sector(leakage_tables, close):
    tested = leakage_tables["tested"]
    fig = figures.leakage.leakage_criteria(tested, **CRITERIA)
    close(fig)
    assert isinstance(fig, Figure)
    assert len(fig.axes) == 1
    ax = fig.axes[0]
    (points,) = [c for c in ax.collections if isinstance(c, PathCollection)]
    assert_allclose(points.get_offsets(), tested[["trade_intensity_pct", "cost_share_gva_pct"]].to_numpy(), rtol=RTOL)
    red, grey = matplotlib.colors.to_rgba("tab:red"), matplotlib.colors.to_rgba("tab:gray")
    assert [tuple(c) for c in points.get_facecolors()] == [red if e else grey for e in tested["exposed"]]
    assert [a.get_text() for a in ax.texts] == [f"{s} {c}" for s, c in zip(tested["sector"], tested["criteria"],
                                                                          strict=True)]
    lines = ax.get_lines()
    assert len(lines) == 4  # B, C and the two sides of A
    assert [line.get_label() for line in lines[:3]] == ["B: cost ≥ 30 %", "C: trade > 30 %",
                                                        "A: cost ≥ 5 % and trade > 10 %"]
    assert list(lines[0].get_ydata()) == [30.0, 30.0]
    assert list(lines[1].get_xdata()) == [30.0, 30.0]
    assert list(lines[2].get_xdata()) == [10.0, 50.0] and list(lines[2].get_ydata()) == [5.0, 5.0]
    assert list(lines[3].get_xdata()) == [10.0, 10.0] and list(lines[3].get_ydata()) == [5.0, 40.0]
    assert ax.get_xlabel() == "trade intensity with third countries (% of EU market)"
    assert ax.get_ylabel() == "additional cost (% of gross value added)"
    assert [x.get_text() for x in ax.get_legend().get_texts()] == [line.get_label() for line in lines[:3]]


def test_leakage_criteria_follows_the_thresholds(leakage_tables, close):
    fig = figures.leakage.leakage_criteria(leakage_tables["tested"], cost_min_pct=4.0, trade_min_pct=12.0,
                                           cost_only_pct=40.0, trade_only_pct=50.0)
    close(fig)
    b, c, a, a_side = fig.axes[0].get_lines()
    assert list(b.get_ydata()) == [40.0, 40.0] and list(c.get_xdata()) == [50.0, 50.0]
    assert list(a.get_xdata()) == [12.0, 75.0] and list(a_side.get_ydata()) == [4.0, 52.0]
    assert b.get_label() == "B: cost ≥ 40 %"


def test_annex3_by_division_draws_three_bars_per_division(leakage_tables, close):
    annex3 = leakage_tables["annex3"]
    fig = figures.leakage.annex3_by_division(annex3)
    close(fig)
    assert isinstance(fig, Figure)
    assert len(fig.axes) == 1
    ax = fig.axes[0]
    by_division = leakage.annex3_by_division(annex3)
    assert len(ax.containers) == 3
    for container, column, width in zip(ax.containers, ["sectors", "A", "B"], [0.8, 0.5, 0.25], strict=True):
        assert len(container) == len(by_division)
        assert_allclose([b.get_height() for b in container], by_division[column].to_numpy(dtype=float), rtol=RTOL)
        assert_allclose([b.get_width() for b in container], width, rtol=RTOL)
    assert sum(b.get_height() for b in ax.containers[0]) == len(annex3) == 147
    assert [x.get_text() for x in ax.get_xticklabels()] == list(by_division.index)
    assert ax.get_xlabel() == "NACE division (first two digits)"
    assert ax.get_ylabel() == "number of NACE-4 sectors"
    assert [x.get_text() for x in ax.get_legend().get_texts()] == ["sectors listed", "meeting A", "meeting B"]


def test_penalty_path_draws_the_penalty(leakage_tables, close):
    penalty = leakage_tables["penalty"]
    fig = figures.leakage.penalty_path(penalty)
    close(fig)
    assert isinstance(fig, Figure)
    assert len(fig.axes) == 1
    ax = fig.axes[0]
    path, level = ax.get_lines()
    assert len(path.get_xdata()) == len(penalty) == 8
    assert_allclose(np.asarray(path.get_xdata(), dtype=float), penalty.index.to_numpy(dtype=float), rtol=RTOL)
    assert_allclose(path.get_ydata(), penalty.to_numpy(), rtol=RTOL)
    assert path.get_ydata()[0] == 100.0
    assert list(level.get_ydata()) == [100, 100] and level.get_label() == "2013 level (100 EUR/t)"
    assert ax.get_xlabel() == "year"
    assert ax.get_ylabel() == "penalty (EUR per tCO2)"


# ---- effort_sharing

@pytest.fixture(scope="module")
def effort_tables():
    """The tables of workbook 07 with its defaults (plan overshoot, 100 MtCO2e, -10 %, clip)."""
    member_states = effort_sharing.with_limits(datasets.load("effort_member_states"))  # as workbook 07 draws them
    simulated = pd.DataFrame({"member_state": ["simulated"], "emissions_2005_mtco2e": [100.0],
                              "target_2020_pct": [-10.0]})
    aea = effort_sharing.aea_path(simulated).set_index("year")["aea_mtco2e"]
    plan = effort_sharing.select_plan(datasets.load("effort_plans"), "overshoot", 1.0)
    ledger = effort_sharing.simulate(aea, 100.0, plan, bank_limit_pct=5.0, sell_limit_pct=5.0,
                                     credit_limit_pct=3.0, penalty_factor=1.08, on_limit="clip")
    return {"targets": datasets.load("effort_targets"), "member_states": member_states,
            "aea_paths": effort_sharing.aea_path(member_states), "ledger": ledger}


def test_targets_draws_the_economy_and_the_split(effort_tables, close):
    targets = effort_tables["targets"]
    fig = figures.effort_sharing.targets(targets)
    close(fig)
    assert isinstance(fig, Figure)
    assert len(fig.axes) == 2
    left, right = fig.axes
    economy = targets.query("scope == 'economy' and metric == 'ghg_reduction_vs_1990'").sort_values("target_year")
    assert len(economy) == 4  # 2014 outcome, 2020, 2030 and the 2050 range
    printed, ranges = left.containers
    assert len(printed) == len(ranges) == len(economy)
    low = economy["value_pct"].fillna(economy["value_low_pct"]).to_numpy()
    assert_allclose([b.get_height() for b in printed], low, rtol=RTOL)
    assert_allclose([b.get_height() for b in ranges],
                    (economy["value_high_pct"] - economy["value_low_pct"]).fillna(0).to_numpy(), rtol=RTOL)
    assert_allclose([b.get_y() for b in ranges], low, rtol=RTOL)
    assert_allclose(max(b.get_y() + b.get_height() for b in ranges), 95.0, rtol=RTOL)
    assert [x.get_text() for x in left.get_xticklabels()] == list(economy["target_year"].astype(str) + " "
                                                                  + economy["kind"])
    assert left.get_ylabel() == "reduction against 1990 (%)"
    sectors = targets.query("metric == 'ghg_reduction_vs_2005'").pivot(index="target_year", columns="scope",
                                                                       values="value_pct")
    assert len(right.containers) == 3
    for container, scope in zip(right.containers, ["economy", "ets", "esd"], strict=True):
        assert len(container) == len(sectors) == 2
        assert_allclose([b.get_height() for b in container], sectors[scope].fillna(0).to_numpy(), rtol=RTOL)
    assert_allclose([b.get_height() for b in right.containers[1]], [21.0, 43.0], rtol=RTOL)
    assert [x.get_text() for x in right.get_xticklabels()] == ["2020", "2030"]
    assert [x.get_text() for x in right.get_legend().get_texts()] == ["economy", "ets", "esd"]
    assert right.get_xlabel() == "target year"
    assert right.get_ylabel() == "reduction against 2005 (%)"


def test_aea_paths_draws_every_member_state(effort_tables, close):
    member_states, paths = effort_tables["member_states"], effort_tables["aea_paths"]
    fig = figures.effort_sharing.aea_paths(paths, member_states)
    close(fig)
    assert isinstance(fig, Figure)
    assert len(fig.axes) == 2
    left, right = fig.axes
    lines = left.get_lines()
    assert 0 < len(member_states) <= 28
    assert len(lines) == len(member_states) + 1  # one per member state and the 100 % line
    assert [line.get_label() for line in lines[:-1]] == list(member_states["member_state"])
    for line, state in zip(lines[:-1], member_states["member_state"], strict=True):
        own = paths[paths["member_state"] == state].sort_values("year")
        assert_allclose(line.get_ydata(), own["aea_pct_of_2005"].to_numpy(), rtol=RTOL)
    assert list(lines[-1].get_ydata()) == [100, 100]
    assert left.get_legend() is None
    assert left.get_xlabel() == "year"
    assert left.get_ylabel() == "annual emission allocation (% of 2005 emissions)"
    bars = _bars(right)
    assert len(bars) == len(member_states)
    assert_allclose([b.get_height() for b in bars], member_states["target_2020_pct"].to_numpy(), rtol=RTOL)
    red, blue = matplotlib.colors.to_rgba("tab:red"), matplotlib.colors.to_rgba("tab:blue")
    assert [b.get_facecolor() for b in bars] == [red if t < 0 else blue for t in member_states["target_2020_pct"]]
    assert [x.get_text() for x in right.get_xticklabels()] == list(member_states["code"])
    assert right.get_xlabel() == "member state (order of the report's Figure 5)"
    assert right.get_ylabel() == "2020 limit (% change against 2005)"


def test_ledger_draws_available_emissions_allocation_and_shortfalls(effort_tables, close):
    ledger = effort_tables["ledger"]
    fig = figures.effort_sharing.ledger(ledger)
    close(fig)
    assert isinstance(fig, Figure)
    assert len(fig.axes) == 1
    ax = fig.axes[0]
    short = ledger.query("shortfall_mtco2e > 0")
    assert len(ledger) == 8 and len(short) > 0  # the default plan overshoots
    available, emissions, shortfall = ax.containers
    assert len(available) == len(emissions) == len(ledger)
    assert len(shortfall) == len(short)
    assert len(_bars(ax)) == 2 * len(ledger) + len(short)
    assert_allclose([b.get_height() for b in available], ledger["available_mtco2e"].to_numpy(), rtol=RTOL)
    assert_allclose([b.get_height() for b in emissions], ledger["emissions_mtco2e"].to_numpy(), rtol=RTOL)
    assert_allclose([b.get_x() + b.get_width() / 2 for b in available], ledger["year"].to_numpy() - 0.2, rtol=RTOL)
    assert_allclose([b.get_height() for b in shortfall], short["shortfall_mtco2e"].to_numpy(), rtol=RTOL)
    assert_allclose([b.get_y() + b.get_height() for b in shortfall], short["emissions_mtco2e"].to_numpy(), rtol=RTOL)
    (allocation_line,) = ax.get_lines()
    assert_allclose(allocation_line.get_ydata(), ledger["allocation_mtco2e"].to_numpy(), rtol=RTOL)
    assert allocation_line.get_label() == "annual emission allocation"
    assert [x.get_text() for x in ax.get_legend().get_texts()] == [
        "annual emission allocation", "available (after deductions, banking, transfers, credits)", "emissions",
        "shortfall (× penalty factor next year)"]
    assert ax.get_xlabel() == "year"
    assert ax.get_ylabel() == "MtCO2e per year"

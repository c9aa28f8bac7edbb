"""Tests for carbonlib.figures: each figure function, called on the real tables with the
workbook's default parameters, draws what the tables hold.

One section per topic (``# ---- <topic>``); each section builds its own tables.
"""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
import pytest  # noqa: E402
from matplotlib.collections import LineCollection, PathCollection  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402
from matplotlib.patches import Rectangle  # noqa: E402
from numpy.testing import assert_allclose  # noqa: E402

from carbonlib import auctions, cap, datasets, figures, kyoto, market  # noqa: E402

RTOL = 1e-12


def widths(ax):
    return np.array([p.get_width() for p in ax.patches])


def heights(ax):
    return np.array([p.get_height() for p in ax.patches])


def tick_texts(axis):
    return [t.get_text() for t in axis.get_ticklabels()]


def legend_texts(ax):
    return [t.get_text() for t in ax.get_legend().get_texts()]


# ---- market
# Workbook 01 with its defaults: half_width 0.5, use_corrected_sums False (levels_used = levels).


@pytest.fixture(scope="module")
def market_tables():
    levels = datasets.load("market_t1_levels")
    growth = datasets.load("market_t1_growth")
    return {
        "levels": levels,
        "report": market.table1_report(levels, growth, half_width=0.5),
        "prices": market.implied_prices(levels),
        "split": market.market_split(levels),
        "shares": market.with_unreported(datasets.load("market_figure_shares")),
    }


MARKET_CALLS = {
    "volume_value_by_segment": lambda t: figures.market.volume_value_by_segment(t["levels"]),
    "growth_printed_vs_recomputed": lambda t: figures.market.growth_printed_vs_recomputed(t["report"]),
    "implied_prices": lambda t: figures.market.implied_prices(t["prices"]),
    "allowance_vs_project_based": lambda t: figures.market.allowance_vs_project_based(t["split"]),
    "figure_shares": lambda t: figures.market.figure_shares(t["shares"]),
}


@pytest.mark.parametrize("name", sorted(MARKET_CALLS))
def test_market_figures_are_new_figures(market_tables, name):
    fig = MARKET_CALLS[name](market_tables)
    again = MARKET_CALLS[name](market_tables)
    assert isinstance(fig, Figure) and isinstance(again, Figure) and fig is not again
    plt.close(fig)
    plt.close(again)


def test_market_volume_value_by_segment(market_tables):
    levels = market_tables["levels"]
    segments = levels[(levels["row_type"] == "segment") & levels["volume_mtco2e"].notna()]
    order = list(dict.fromkeys(segments["segment"]))[::-1]  # first segment at the top
    assert "uk_ets" not in order and len(order) == 7
    fig = figures.market.volume_value_by_segment(levels)
    assert len(fig.axes) == 2
    for ax, measure, label in zip(fig.axes, ["volume_mtco2e", "value_musd"],
                                  ["volume (MtCO2e, log scale)", "value (MUS$, log scale)"], strict=True):
        assert ax.get_xscale() == "log"
        assert ax.get_xlabel() == label and ax.get_ylabel() == "segment"
        assert_allclose(ax.get_yticks(), range(len(order)), rtol=RTOL)
        assert len(ax.patches) == len(segments) == 2 * len(order)
        by = segments.set_index(["year", "segment"])[measure]
        expected = np.concatenate([by.loc[year].reindex(order).to_numpy() for year in (2006, 2007)])
        assert_allclose(widths(ax), expected, rtol=RTOL)
        assert legend_texts(ax) == ["2006", "2007"]
    assert tick_texts(fig.axes[0].yaxis) == order  # the right axes shares (and hides) them
    plt.close(fig)


def test_market_growth_printed_vs_recomputed(market_tables):
    report = market_tables["report"]
    volume = report.xs("volume_growth_pct", level="cell")
    value = report.xs("value_growth_pct", level="cell")
    rows = volume.index[volume["printed"].notna()]
    fig = figures.market.growth_printed_vs_recomputed(report)
    assert len(fig.axes) == 2
    ax_rate, ax_dev = fig.axes
    n = len(rows)
    assert len(ax_rate.patches) == 2 * n
    assert_allclose(widths(ax_rate), np.concatenate([volume.loc[rows, "printed"], value.loc[rows, "printed"]]), rtol=RTOL)
    assert tick_texts(ax_rate.yaxis) == list(rows)
    assert ax_rate.get_xscale() == "symlog" and ax_dev.get_xscale() == "symlog"
    assert ax_rate.get_xlabel() == "printed growth 2006→2007 (%, symmetric log scale)"
    assert ax_dev.get_xlabel() == "printed − recomputed growth (percentage points, symmetric log scale)"
    assert legend_texts(ax_rate) == ["volume", "value"]
    scatters = [c for c in ax_dev.collections if isinstance(c, PathCollection)]
    assert len(scatters) == 2
    for points, table, shift in zip(scatters, (volume, value), (-0.2, 0.2), strict=True):
        offsets = points.get_offsets()
        expected = (table.loc[rows, "printed"] - table.loc[rows, "recomputed"]).to_numpy()
        assert_allclose(offsets[:, 0], expected, rtol=RTOL)
        assert_allclose(offsets[:, 1], np.arange(n) + shift, rtol=RTOL)
    bands = [c for c in ax_dev.collections if isinstance(c, LineCollection)]
    assert len(bands) == 2
    for band, table in zip(bands, (volume, value), strict=True):
        segs = np.array([s[:, 0] for s in band.get_segments()])  # x ends of each error bar
        t = table.loc[rows]
        assert_allclose(segs[:, 0], t["range_low"] - t["tolerance"] - t["recomputed"], rtol=RTOL, atol=1e-12)
        assert_allclose(segs[:, 1], t["range_high"] + t["tolerance"] - t["recomputed"], rtol=RTOL, atol=1e-12)
    assert legend_texts(ax_dev) == ["volume: printed − recomputed", "value: printed − recomputed"]
    plt.close(fig)


def test_market_implied_prices(market_tables):
    prices = market_tables["prices"].dropna()
    assert "uk_ets" not in prices.index
    fig = figures.market.implied_prices(market_tables["prices"])
    assert len(fig.axes) == 1
    ax = fig.axes[0]
    assert len(ax.patches) == prices.size == 2 * len(prices)
    assert_allclose(widths(ax), np.concatenate([prices[year].to_numpy()[::-1] for year in prices.columns]), rtol=RTOL)
    assert tick_texts(ax.yaxis) == list(prices.index[::-1])
    assert ax.get_xlabel() == "implied average price (US$ per tCO2e)" and ax.get_ylabel() == "printed row"
    plt.close(fig)


def test_market_allowance_vs_project_based(market_tables):
    split = market_tables["split"]
    parts = split[split["market"] != "all"].set_index(["market", "year"])["value_share_pct"]
    fig = figures.market.allowance_vs_project_based(split)
    assert len(fig.axes) == 1
    ax = fig.axes[0]
    assert len(ax.patches) == len(parts) == 4
    expected = np.concatenate([parts.loc[m].loc[[2006, 2007]].to_numpy() for m in ("allowance", "project_based")])
    assert_allclose(widths(ax), expected, rtol=RTOL)
    lefts = np.array([p.get_x() for p in ax.patches])
    assert_allclose(lefts[2:], parts.loc["allowance"].loc[[2006, 2007]].to_numpy(), rtol=RTOL)  # stacked
    assert ax.get_xlim() == (0, 100)
    assert ax.get_xlabel() == "share of total traded value (%)"
    assert tick_texts(ax.yaxis) == ["2006", "2007"]
    assert legend_texts(ax) == ["allowance", "project_based"]
    plt.close(fig)


def test_market_figure_shares(market_tables):
    shares = market_tables["shares"]
    fig = figures.market.figure_shares(shares)
    assert len(fig.axes) == 1
    ax = fig.axes[0]
    bars = [p for p in ax.patches if isinstance(p, Rectangle)]
    assert len(bars) == len(shares) == 18
    assert_allclose(widths(ax), shares["share_pct"], rtol=RTOL)
    group = shares["figure"] + shares["dimension"] + shares["year"].astype(str)
    left = shares.groupby(group, sort=False)["share_pct"].cumsum() - shares["share_pct"]
    assert_allclose([p.get_x() for p in bars], left, rtol=RTOL)
    right = (left + shares["share_pct"]).groupby(group, sort=False).last()
    assert_allclose(right, 100.0, rtol=RTOL)  # every group, with its unreported part, fills 0-100
    hatched = np.array([bool(p.get_hatch()) for p in bars])
    assert (hatched == ~shares["reported"].to_numpy()).all()
    assert len(ax.texts) == len(shares)
    assert tick_texts(ax.yaxis) == ["Fig. 3 project_type 2007", "Fig. 2 seller_country_or_region 2007",
                                    "Fig. 2 seller_country_or_region 2006", "Fig. 1 buyer_type 2007",
                                    "Fig. 1 buyer_country 2007", "Fig. 1 buyer_country 2006"]
    assert ax.get_xlim() == (0, 100)
    assert ax.get_xlabel() == "share (%); hatched = not reported in the text"
    plt.close(fig)


# ---- kyoto
# Workbook 02 with its defaults: supply "cdm_ji_gis", range end "central", uncertain demand
# excluded, 100,000 triangular draws with seed 2008, quantiles 0.05, 0.5, 0.95.


@pytest.fixture(scope="module")
def kyoto_tables():
    demand = datasets.load("kyoto_demand")
    supply = datasets.load("kyoto_supply")
    chosen = kyoto.components(demand, supply, sources="cdm_ji_gis", include_uncertain=False)
    draws = kyoto.simulate(chosen, n_draws=100000, seed=2008, distribution="triangular")
    return {
        "grid": kyoto.balance_grid(demand, supply),
        "result": kyoto.balance(chosen, end="central"),
        "draws": draws,
        "mc": kyoto.summarise(draws, quantiles=[0.05, 0.5, 0.95]),
    }


KYOTO_CALLS = {
    "balance": lambda t: figures.kyoto.balance(t["grid"]),
    "monte_carlo": lambda t: figures.kyoto.monte_carlo(t["draws"], t["mc"], t["result"], "central"),
}


@pytest.mark.parametrize("name", sorted(KYOTO_CALLS))
def test_kyoto_figures_are_new_figures(kyoto_tables, name):
    fig = KYOTO_CALLS[name](kyoto_tables)
    again = KYOTO_CALLS[name](kyoto_tables)
    assert isinstance(fig, Figure) and isinstance(again, Figure) and fig is not again
    plt.close(fig)
    plt.close(again)


def test_kyoto_balance(kyoto_tables):
    grid = kyoto_tables["grid"]
    firm = grid[~grid["include_uncertain"]].set_index(["sources", "end"])["supply_mtco2e"]
    order = list(kyoto.SOURCE_SETS)
    fig = figures.kyoto.balance(grid)
    assert len(fig.axes) == 1
    ax = fig.axes[0]
    assert len(ax.patches) == len(order) == 3
    central = np.array([firm[(s, "central")] for s in order])
    assert_allclose(heights(ax), central, rtol=RTOL)
    assert_allclose(heights(ax), [1830, 3330, 9135], rtol=RTOL)  # 表2: CDM/JI, + GIS midpoint, + AAU
    (whiskers,) = [c for c in ax.collections if isinstance(c, LineCollection)]
    ends = np.array([s[:, 1] for s in whiskers.get_segments()])
    assert_allclose(ends[:, 0], [firm[(s, "low")] for s in order], rtol=RTOL)
    assert_allclose(ends[:, 1], [firm[(s, "high")] for s in order], rtol=RTOL)
    demand = [line.get_ydata()[0] for line in ax.get_lines() if line.get_xdata()[0] == 0 and line.get_linestyle() in ("-", "--")]
    assert_allclose(demand, [2435, 2855], rtol=RTOL)
    assert_allclose(demand, grid.groupby("include_uncertain")["demand_mtco2e"].first().reindex([False, True]), rtol=RTOL)
    assert tick_texts(ax.xaxis) == ["CDM + JI", "CDM + JI + GIS", "CDM + JI + all AAU surplus"]
    assert ax.get_ylabel() == "MtCO2e, cumulative 2008–2012" and ax.get_xlabel() == "supply counted"
    assert legend_texts(ax) == ["demand 2,435", "demand with uncertain items 2,855",
                                "potential supply: central, whiskers low–high"]
    plt.close(fig)


def test_kyoto_monte_carlo(kyoto_tables):
    draws, mc, result = kyoto_tables["draws"], kyoto_tables["mc"], kyoto_tables["result"]
    fig = figures.kyoto.monte_carlo(draws, mc, result, "central")
    assert len(fig.axes) == 1
    ax = fig.axes[0]
    assert len(ax.patches) == 100
    bars = ax.patches
    assert_allclose(sum(p.get_height() * p.get_width() for p in bars), 1.0, rtol=1e-9)  # a density
    assert_allclose(bars[0].get_x(), draws["surplus_mtco2e"].min(), rtol=RTOL)
    assert_allclose(bars[-1].get_x() + bars[-1].get_width(), draws["surplus_mtco2e"].max(), rtol=1e-9)
    quantiles = [k for k in mc.index if k.startswith("q")]
    assert quantiles == ["q5_surplus_mtco2e", "q50_surplus_mtco2e", "q95_surplus_mtco2e"]
    lines = ax.get_lines()
    assert len(lines) == 2 + len(quantiles)
    assert_allclose([line.get_xdata()[0] for line in lines], [0, *mc[quantiles], result["surplus_mtco2e"]], rtol=RTOL)
    assert [line.get_linestyle() for line in lines] == ["-", ":", ":", ":", "--"]
    assert ax.get_xlabel() == "surplus of supply over demand (MtCO2e, 2008–2012); dotted: quantiles"
    assert ax.get_ylabel() == "probability density (per MtCO2e)"
    assert legend_texts(ax) == ["simulated surplus", "supply = demand", "deterministic balance at the central end"]
    plt.close(fig)


# ---- cap
# Workbook 03 with its defaults: the researcher's path from 2013 at 2,084,301,856 t, factor 0.0174
# of 2,199,094,597.7 t until 2021, then 0.022, to 2030.


@pytest.fixture(scope="module")
def cap_tables():
    t3 = datasets.load("cap_proposal_t3").set_index("year")["cap_mtco2e"]
    cap_quoted = datasets.load("cap_quoted_figures").set_index("key")["value"]
    researcher = cap.scenario_path(2013, 2084301856.0, 2030, factor=0.0174, base_t=2199094597.7,
                                   annual_reduction_t=None, switch_year=2021, new_factor=0.022)
    paths = cap.compare_paths({"2008 proposal (000 Table 3)": t3 * 1e6, "adopted Phase 3 (001)": cap.phase3_path(),
                               "researcher: central": researcher,
                               "aviation (001)": cap.constant_path(cap.PHASE3_YEARS, cap_quoted["aviation_cap_t"])})
    return {"t3": t3, "paths": paths}


CAP_CALLS = {
    "proposal_rounding": lambda t: figures.cap.proposal_rounding(t["t3"]),
    "cap_paths": lambda t: figures.cap.cap_paths(t["paths"]),
}


@pytest.mark.parametrize("name", sorted(CAP_CALLS))
def test_cap_figures_are_new_figures(cap_tables, name):
    fig = CAP_CALLS[name](cap_tables)
    again = CAP_CALLS[name](cap_tables)
    assert isinstance(fig, Figure) and isinstance(again, Figure) and fig is not again
    plt.close(fig)
    plt.close(again)


def test_cap_proposal_rounding(cap_tables):
    t3 = cap_tables["t3"]
    ols = cap.ols_fitted(t3)
    end = cap.endpoint_path(2013, t3[2013], 2020, t3[2020])
    fig = figures.cap.proposal_rounding(t3)
    assert len(fig.axes) == 2
    ax, ax2 = fig.axes
    assert len(ax.get_lines()) == 3 and len(ax2.get_lines()) == 2
    for line, series in zip(ax.get_lines(), (t3, ols, end), strict=True):
        assert_allclose(line.get_xdata(), list(range(2013, 2021)), rtol=RTOL)
        assert_allclose(line.get_ydata(), series.to_numpy(), rtol=RTOL)
    assert_allclose(ax.get_lines()[0].get_ydata(), [1974, 1937, 1901, 1865, 1829, 1792, 1756, 1720], rtol=RTOL)
    for line, series in zip(ax2.get_lines(), (t3 - ols, t3 - end), strict=True):
        assert_allclose(line.get_ydata(), series.to_numpy(), rtol=RTOL, atol=1e-9)
    assert np.abs(ax2.get_lines()[0].get_ydata()).max() < 0.5  # every printed value rounds the OLS line
    assert np.abs(ax2.get_lines()[1].get_ydata()).max() > 0.5  # the end-point line misses some
    (band,) = ax2.patches
    assert_allclose([band.get_y(), band.get_y() + band.get_height()], [-0.5, 0.5], rtol=RTOL)
    assert ax.get_ylabel() == "cap (MtCO2e per year)"
    assert ax2.get_xlabel() == "year" and ax2.get_ylabel() == "difference (MtCO2e)"
    assert legend_texts(ax) == ["000 Table 3 as printed", "least-squares line", "line through printed end points"]
    assert legend_texts(ax2) == ["rounding interval (±0.5 Mt)", "printed − least squares", "printed − end-point line"]
    plt.close(fig)


def test_cap_cap_paths(cap_tables):
    from matplotlib.ticker import MaxNLocator

    paths = cap_tables["paths"]
    fig = figures.cap.cap_paths(paths)
    assert len(fig.axes) == 1
    ax = fig.axes[0]
    lines = ax.get_lines()
    assert len(lines) == paths.shape[1] == 4
    for line, column in zip(lines, paths.columns, strict=True):
        assert_allclose(line.get_xdata(), paths.index, rtol=RTOL)
        assert_allclose(line.get_ydata(), paths[column].to_numpy() / 1e6, rtol=RTOL, equal_nan=True)
    assert legend_texts(ax) == list(paths.columns)
    assert isinstance(ax.xaxis.get_major_locator(), MaxNLocator)
    assert all(float(t).is_integer() for t in ax.get_xticks())
    assert ax.get_ylim()[0] == 0
    assert ax.get_xlabel() == "year" and ax.get_ylabel() == "cap (MtCO2e per year)"
    plt.close(fig)


# ---- auctions
# Workbook 03 with its defaults: the illustrative member-state table, split 88 / 10 / 2 %, free
# share 80 % in 2013 to 30 % in 2020.


@pytest.fixture(scope="module")
def auction_tables():
    t4 = datasets.load("auctions_volumes_t4")
    early_action = datasets.load("auctions_early_action_states")
    members = datasets.load("auctions_member_states", path=None)
    split = auctions.split_by_member_state(auctions.volumes(t4), members, early_action["member_state"],
                                           {"emissions_2005": 88.0, "solidarity": 10.0, "early_action": 2.0})
    by_state = split.groupby("member_state")[["emissions_2005_t", "solidarity_t", "early_action_t", "total_t"]].sum()
    return {
        "share": auctions.share_of_cap(auctions.volumes(t4), cap.phase3_path()),
        "by_state": by_state.sort_values("total_t", ascending=False),
        "free_share": auctions.free_share_path(start_pct=80.0, end_pct=30.0),
    }


AUCTION_CALLS = {
    "auction_volumes": lambda t: figures.auctions.auction_volumes(t["share"]),
    "split_by_member_state": lambda t: figures.auctions.split_by_member_state(t["by_state"]),
    "free_share": lambda t: figures.auctions.free_share(t["free_share"]),
}


@pytest.mark.parametrize("name", sorted(AUCTION_CALLS))
def test_auction_figures_are_new_figures(auction_tables, name):
    fig = AUCTION_CALLS[name](auction_tables)
    again = AUCTION_CALLS[name](auction_tables)
    assert isinstance(fig, Figure) and isinstance(again, Figure) and fig is not again
    plt.close(fig)
    plt.close(again)


def test_auctions_auction_volumes(auction_tables):
    share = auction_tables["share"]
    fig = figures.auctions.auction_volumes(share)
    assert len(fig.axes) == 1
    ax = fig.axes[0]
    assert len(share) == 8 and len(ax.patches) == 2 * len(share)
    assert_allclose(heights(ax), np.concatenate([share["cap_t"], share["auction_volume_t"]]) / 1e6, rtol=RTOL)
    assert_allclose([p.get_x() + p.get_width() / 2 for p in ax.patches], np.tile(share.index, 2), rtol=RTOL)
    assert (heights(ax)[8:] < heights(ax)[:8]).all()  # every auction volume lies inside its cap
    assert ax.get_xlabel() == "year" and ax.get_ylabel() == "MtCO2e per year"
    assert legend_texts(ax) == ["adopted cap", "auction volume (001 Table 4)"]
    plt.close(fig)


def test_auctions_split_by_member_state(auction_tables):
    by_state = auction_tables["by_state"]
    parts = by_state[["emissions_2005_t", "solidarity_t", "early_action_t"]] / 1e6
    fig = figures.auctions.split_by_member_state(by_state)
    assert len(fig.axes) == 1
    ax = fig.axes[0]
    assert len(ax.patches) == parts.size == 3 * len(by_state)
    assert_allclose(heights(ax), parts.to_numpy().T.ravel(), rtol=RTOL)
    bottoms = np.array([p.get_y() for p in ax.patches]).reshape(3, -1)
    assert_allclose(bottoms[1:], parts.cumsum(axis=1).to_numpy().T[:-1], rtol=RTOL)  # stacked
    assert_allclose(bottoms[-1] + heights(ax)[-len(by_state):], by_state["total_t"] / 1e6, rtol=RTOL)
    assert tick_texts(ax.xaxis) == list(by_state.index)
    assert ax.get_xlabel() == "member state" and ax.get_ylabel() == "auctioned 2013–2020 (MtCO2e)"
    assert legend_texts(ax) == ["by 2005 emissions", "solidarity", "early action"]
    plt.close(fig)


def test_auctions_free_share(auction_tables):
    free = auction_tables["free_share"]
    fig = figures.auctions.free_share(free)
    assert len(fig.axes) == 1
    ax = fig.axes[0]
    free_line, auctioned_line = ax.get_lines()
    assert_allclose(free_line.get_xdata(), free.index, rtol=RTOL)
    assert_allclose(free_line.get_ydata(), free.to_numpy(), rtol=RTOL)
    assert_allclose(auctioned_line.get_ydata(), 100 - free.to_numpy(), rtol=RTOL)
    assert_allclose(free_line.get_ydata()[[0, -1]], [80, 30], rtol=RTOL)
    assert (free_line.get_marker(), auctioned_line.get_marker()) == ("o", "s")
    assert ax.get_ylim() == (0, 100)
    assert ax.get_xlabel() == "year" and ax.get_ylabel() == "share of manufacturing allowances (%)"
    assert legend_texts(ax) == ["free", "auctioned"]
    assert isinstance(free, pd.Series)
    plt.close(fig)

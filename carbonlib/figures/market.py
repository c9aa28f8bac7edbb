"""Figures of workbook 01: the global carbon market 2006-2007 (000 表1, 圖1-圖3).

Each function takes the tables :mod:`carbonlib.market` returns and gives back a new figure;
``run.figure`` saves, translates and shows it.

References
----------
000_318ba4d3771c8f90.txt, 表1 2006、07 年全球碳市場交易現況 (World Bank 2008, State and Trends
of the Carbon Market 2008); 圖1-圖3 and section 二.1-二.2.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from carbonlib.figures import PALETTE


def volume_value_by_segment(levels: pd.DataFrame):
    """Traded volume and value of every printed segment row, 2006 and 2007, on log scales.

    Parameters
    ----------
    levels : pandas.DataFrame
        A levels table like ``market_t1_levels`` (as printed, or after
        :func:`carbonlib.market.correct_sums`): columns ``segment, row_type, year,
        volume_mtco2e`` (MtCO2e) and ``value_musd`` (million US$). Only ``row_type ==
        "segment"`` rows with a printed volume are drawn (the UK, printed ``na``/``--``, is not).

    Returns
    -------
    matplotlib.figure.Figure
        Two axes sharing the segment axis: volume (MtCO2e) left, value (MUS$) right, one
        horizontal bar per segment and year, both on a log scale, segments in table order from
        the top.

    References
    ----------
    000_318ba4d3771c8f90.txt, 表1 (segment rows, 2006 and 2007).
    """
    import matplotlib.pyplot as plt

    segments = levels[levels["row_type"] == "segment"].dropna(subset=["volume_mtco2e"])
    fig, axes = plt.subplots(1, 2, figsize=(11, 4.5), sharey=True)
    measures = [("volume_mtco2e", "volume (MtCO2e, log scale)"), ("value_musd", "value (MUS$, log scale)")]
    for ax, (measure, unit) in zip(axes, measures, strict=True):
        wide = segments.pivot(index="segment", columns="year", values=measure).reindex(segments["segment"].unique()[::-1])
        wide.plot.barh(ax=ax, width=0.8)
        ax.set_xscale("log")
        ax.set_xlabel(unit)
        ax.set_ylabel("segment")
    return fig


def growth_printed_vs_recomputed(report: pd.DataFrame):
    """Printed growth by row, and printed minus recomputed growth against what rounding allows.

    Parameters
    ----------
    report : pandas.DataFrame
        The cell-by-cell report of :func:`carbonlib.market.table1_report` (index ``(segment,
        cell)``). Its ``volume_growth_pct`` and ``value_growth_pct`` cells (printed,
        recomputed, tolerance, range_low, range_high; percent) of every row with a printed
        volume growth are drawn.

    Returns
    -------
    matplotlib.figure.Figure
        Two axes sharing the row axis. Left: printed growth 2006→2007 (%), volume and value
        bars, symmetric log scale. Right: printed − recomputed growth (percentage points,
        ×), with grey error bars from ``range_low − tolerance`` to ``range_high + tolerance``
        (relative to the recomputed rate), symmetric log scale.

    References
    ----------
    000_318ba4d3771c8f90.txt, 表1 (growth 2006→2007, %).
    """
    import matplotlib.pyplot as plt

    volume = report.xs("volume_growth_pct", level="cell").add_suffix("_volume")
    value = report.xs("value_growth_pct", level="cell").add_suffix("_value")
    rates = volume.join(value).dropna(subset=["printed_volume"])
    fig, (ax_rate, ax_dev) = plt.subplots(1, 2, figsize=(11, 4.5), sharey=True)
    y = np.arange(len(rates))
    ax_rate.barh(y - 0.2, rates["printed_volume"], height=0.4, label="volume")
    ax_rate.barh(y + 0.2, rates["printed_value"], height=0.4, label="value")
    ax_rate.set_xscale("symlog", linthresh=10)
    ax_rate.set_xlabel("printed growth 2006→2007 (%, symmetric log scale)")
    ax_rate.set_yticks(y, rates.index)
    ax_rate.legend(fontsize="small")
    for kind, shift in (("volume", -0.2), ("value", 0.2)):
        band_low = rates[f"range_low_{kind}"] - rates[f"tolerance_{kind}"] - rates[f"recomputed_{kind}"]
        band_high = rates[f"range_high_{kind}"] + rates[f"tolerance_{kind}"] - rates[f"recomputed_{kind}"]
        ax_dev.errorbar(np.zeros(len(rates)), y + shift, xerr=[-band_low, band_high], fmt="none", capsize=3, color="grey")
        ax_dev.scatter(rates[f"printed_{kind}"] - rates[f"recomputed_{kind}"], y + shift, marker="x", zorder=3,
                       label=f"{kind}: printed − recomputed")
    ax_dev.axvline(0, color="black", linewidth=0.8)
    ax_dev.set_xscale("symlog", linthresh=1)
    ax_dev.set_xlabel("printed − recomputed growth (percentage points, symmetric log scale)")
    ax_dev.legend(fontsize="small", loc="lower left")
    return fig


def implied_prices(prices: pd.DataFrame):
    """Implied average price (value / volume) of every printed row with one, 2006 and 2007.

    Parameters
    ----------
    prices : pandas.DataFrame
        The table of :func:`carbonlib.market.implied_prices`: one row per printed row, one
        column per year, in US$ per tCO2e. Rows with a missing price are left out.

    Returns
    -------
    matplotlib.figure.Figure
        One axes, one horizontal bar per row and year (US$ per tCO2e), rows in table order from
        the top.

    References
    ----------
    000_318ba4d3771c8f90.txt, 表1 (value MUS$ / volume MtCO2e of each printed row).
    """
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(8, 4.5))
    prices.dropna().iloc[::-1].plot.barh(ax=ax, width=0.8)
    ax.set_xlabel("implied average price (US$ per tCO2e)")
    ax.set_ylabel("printed row")
    return fig


def allowance_vs_project_based(split: pd.DataFrame):
    """Allowance and project-based markets' shares of the total traded value, stacked per year.

    Parameters
    ----------
    split : pandas.DataFrame
        The table of :func:`carbonlib.market.market_split`: columns ``year, market,
        value_share_pct`` (percent of the total value); the ``market == "all"`` rows are
        left out.

    Returns
    -------
    matplotlib.figure.Figure
        One axes, one stacked horizontal bar per year, one segment per market (% of total
        traded value, 0-100).

    References
    ----------
    000_318ba4d3771c8f90.txt, 表1 (allowance and project-based subtotals, value) and section 二.1.
    """
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(6, 3.5))
    stack = split[split["market"] != "all"].pivot(index="year", columns="market", values="value_share_pct")
    stack.plot.barh(ax=ax, stacked=True)
    ax.set_xlabel("share of total traded value (%)")
    ax.set_xlim(0, 100)
    ax.legend(title="market", loc="upper center", bbox_to_anchor=(0.5, -0.2), ncol=2, fontsize="small")
    return fig


def figure_shares(shares: pd.DataFrame):
    """The shares quoted for 圖1-圖3 as stacked bars, the unreported remainder hatched.

    Parameters
    ----------
    shares : pandas.DataFrame
        The table of :func:`carbonlib.market.with_unreported` (columns ``figure, dimension,
        year, category, share_pct, reported``; shares in percent, each figure, dimension and
        year summing to 100).

    Returns
    -------
    matplotlib.figure.Figure
        One axes, one horizontal bar per share (%), stacked per figure, dimension and year (the
        first group at the top); reported shares filled, the unreported remainder white and
        hatched; each bar labelled with its category and share.

    References
    ----------
    000_318ba4d3771c8f90.txt, 圖1 (buyers of primary CDM/JI), 圖2 (CER sellers), 圖3 (CDM project
    types); the figures are not in the text, only the shares section 二.2 quotes.
    """
    import matplotlib.pyplot as plt

    names = {"圖1": "Fig. 1", "圖2": "Fig. 2", "圖3": "Fig. 3"}
    bars = shares.assign(group=shares["figure"].map(names) + " " + shares["dimension"] + " " + shares["year"].astype(str))
    bars = bars.assign(left=bars.groupby("group", sort=False)["share_pct"].cumsum() - bars["share_pct"])
    groups = list(dict.fromkeys(bars["group"]))[::-1]
    fig, ax = plt.subplots(figsize=(10, 4.5))
    for row in bars.itertuples():
        y = groups.index(row.group)
        ax.barh(y, row.share_pct, left=row.left, color=PALETTE[5] if row.reported else "white",
                edgecolor="black" if row.reported else "grey", hatch=None if row.reported else "//")
        big = row.share_pct >= 4
        ax.text(row.left + row.share_pct / 2, y if big else y + 0.45,
                f"{row.category}\n{row.share_pct:g}" if big else f"{row.category} {row.share_pct:g}",
                ha="center", va="center" if big else "bottom", fontsize="x-small")
    ax.set_yticks(range(len(groups)), groups)
    ax.set_xlim(0, 100)
    ax.set_xlabel("share (%); hatched = not reported in the text")
    return fig

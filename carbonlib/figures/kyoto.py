"""Figures of workbook 02: Kyoto demand against potential supply, 2008-2012 (000 表2).

Each function takes the tables :mod:`carbonlib.kyoto` returns and gives back a new figure;
``run.figure`` saves, translates and shows it.

References
----------
000_318ba4d3771c8f90.txt, 表2 2008 至 2012 年全球碳市場供需預測, and section 二.3 碳市場未來展望.
"""

from __future__ import annotations

import pandas as pd

from carbonlib import kyoto
from carbonlib.figures import PALETTE


def balance(grid: pd.DataFrame):
    """Potential supply per set of sources (central, whiskers low-high) against demand.

    Parameters
    ----------
    grid : pandas.DataFrame
        The table of :func:`carbonlib.kyoto.balance_grid`: columns ``sources, end,
        include_uncertain, demand_mtco2e, supply_mtco2e`` (MtCO2e, cumulative 2008-2012).
        Supply is read from the rows without uncertain demand, one bar per set of
        :data:`carbonlib.kyoto.SOURCE_SETS`, in that order.

    Returns
    -------
    matplotlib.figure.Figure
        One axes: a bar per supply set at its central value with whiskers to its low and high
        ends (MtCO2e), a solid line at the demand and a dashed line at the demand with the
        uncertain (parenthesised) items.

    References
    ----------
    000_318ba4d3771c8f90.txt, 表2 (demand totals 2,435 and (420); supply totals CDM/JI 1,830
    (1,580-2,480), GIS range 1,100-1,900, AAU surplus 7,305).
    """
    import matplotlib.pyplot as plt

    supply_ends = grid[~grid["include_uncertain"]].pivot(index="sources", columns="end", values="supply_mtco2e").loc[list(kyoto.SOURCE_SETS)]
    demand_levels = grid.groupby("include_uncertain")["demand_mtco2e"].first()
    fig, ax = plt.subplots(figsize=(7, 4.5))
    ax.bar(supply_ends.index, supply_ends["central"],
           yerr=[supply_ends["central"] - supply_ends["low"], supply_ends["high"] - supply_ends["central"]],
           capsize=8, color=PALETTE[0], alpha=0.8, label="potential supply: central, whiskers low–high")
    ax.axhline(demand_levels[False], color=PALETTE[3], label=f"demand {demand_levels[False]:,.0f}")
    ax.axhline(demand_levels[True], color=PALETTE[3], linestyle="--",
               label=f"demand with uncertain items {demand_levels[True]:,.0f}")
    ax.set_xticks(range(len(supply_ends)), ["CDM + JI", "CDM + JI + GIS", "CDM + JI + all AAU surplus"])
    ax.set_ylabel("MtCO2e, cumulative 2008–2012")
    ax.set_xlabel("supply counted")
    ax.legend(fontsize="small", loc="upper left")
    return fig


def monte_carlo(draws: pd.DataFrame, summary: pd.Series, result: pd.Series, end: str = "central"):
    """Histogram of the simulated 2008-2012 surplus with its quantiles and the deterministic balance.

    Parameters
    ----------
    draws : pandas.DataFrame
        The draws of :func:`carbonlib.kyoto.simulate`; its ``surplus_mtco2e`` column (supply −
        demand, MtCO2e) is drawn.
    summary : pandas.Series
        The summary of :func:`carbonlib.kyoto.summarise`; every entry whose name starts with
        ``q`` (a surplus quantile, MtCO2e) is marked by a dotted line.
    result : pandas.Series
        The balance of :func:`carbonlib.kyoto.balance` at ``end``; its ``surplus_mtco2e``
        (MtCO2e) is marked by a dashed line.
    end : str
        The range end ``result`` was computed at (``"low"``, ``"central"`` or ``"high"``), named
        in the legend.

    Returns
    -------
    matplotlib.figure.Figure
        One axes: a 100-bin density histogram (per MtCO2e) of the surplus, a line at zero
        (supply = demand), dotted quantiles and the dashed deterministic balance.

    References
    ----------
    000_318ba4d3771c8f90.txt, 表2 (the printed supply ranges the draws are taken over).
    """
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(7, 4.5))
    ax.hist(draws["surplus_mtco2e"], bins=100, density=True, color=PALETTE[0], alpha=0.8, label="simulated surplus")
    ax.axvline(0, color=PALETTE[3], label="supply = demand")
    for name in [k for k in summary.index if k.startswith("q")]:
        ax.axvline(summary[name], color="black", linestyle=":", linewidth=1)
    ax.axvline(result["surplus_mtco2e"], color=PALETTE[1], linestyle="--", label=f"deterministic balance at the {end} end")
    ax.set_xlabel("surplus of supply over demand (MtCO2e, 2008–2012); dotted: quantiles")
    ax.set_ylabel("probability density (per MtCO2e)")
    ax.legend(fontsize="small")
    return fig

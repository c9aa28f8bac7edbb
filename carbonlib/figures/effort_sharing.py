"""Figures of workbook 07: the EU targets and their split, the annual emission allocations and the ledger.

Each function returns a new figure; ``run.figure`` saves, translates and shows it.

References
----------
001_b0950b57165db085.txt, 一.(一) 減量目標分配 and 圖1; 三.(二)1 額度訂定原則 and 圖5;
三.(二)2 彈性機制; 三.(四) 矯正行動.
"""

from __future__ import annotations

import pandas as pd


def targets(targets: pd.DataFrame):
    """Economy-wide reductions against 1990 (left) and the ETS/ESD split against 2005 (right).

    Left: one bar per economy-wide target against 1990 (the 2050 range drawn as its low end
    plus a hatched bar up to its high end). Right: grouped bars per target year for the
    economy, the EU ETS and the ESD sectors against 2005.

    Parameters
    ----------
    targets : pandas.DataFrame
        ``datasets.load("effort_targets")``: ``target_year``, ``scope`` (``economy``, ``ets``,
        ``esd``), ``metric`` (``ghg_reduction_vs_1990``, ``ghg_reduction_vs_2005`` …),
        ``kind``, ``value_pct`` and, for ranges, ``value_low_pct`` / ``value_high_pct``
        (reductions in percent, as positive numbers).

    Returns
    -------
    matplotlib.figure.Figure
        Two axes side by side, reductions in percent against 1990 and against 2005.

    References
    ----------
    001_b0950b57165db085.txt, 一.(一) 減量目標分配 and 圖1.
    """
    import matplotlib.pyplot as plt

    economy = targets.query("scope == 'economy' and metric == 'ghg_reduction_vs_1990'").sort_values("target_year")
    sectors = targets.query("metric == 'ghg_reduction_vs_2005'").pivot(index="target_year", columns="scope",
                                                                       values="value_pct")
    fig, axes = plt.subplots(1, 2, figsize=(10, 4))
    labels = economy["target_year"].astype(str) + " " + economy["kind"]
    axes[0].bar(labels, economy["value_pct"].fillna(economy["value_low_pct"]), label="printed value (2050: low end)")
    axes[0].bar(labels, (economy["value_high_pct"] - economy["value_low_pct"]).fillna(0),
                bottom=economy["value_pct"].fillna(economy["value_low_pct"]), hatch="//", alpha=0.4,
                label="2050 range (80–95 %)")
    axes[0].set_ylabel("reduction against 1990 (%)")
    axes[0].legend(fontsize="small")
    sectors[["economy", "ets", "esd"]].plot.bar(ax=axes[1], rot=0)
    axes[1].set_xlabel("target year")
    axes[1].set_ylabel("reduction against 2005 (%)")
    return fig


def aea_paths(aea_paths: pd.DataFrame, member_states: pd.DataFrame):
    """Annual emission allocations in percent of 2005 (left) and the 2020 limits in 圖5 order (right).

    Parameters
    ----------
    aea_paths : pandas.DataFrame
        Output of :func:`carbonlib.effort_sharing.aea_path`: ``member_state``, ``year`` and
        ``aea_pct_of_2005`` (annual emission allocation, percent of 2005 emissions).
    member_states : pandas.DataFrame
        Member-state inputs in the order of 圖5 (``datasets.load("effort_member_states")``):
        ``member_state``, ``code`` and ``target_2020_pct`` (2020 limit, percent change against
        2005; negative = reduction).

    Returns
    -------
    matplotlib.figure.Figure
        Two axes: one line per member state over 2013–2020 (percent of 2005) and one bar per
        member state (2020 limit, percent; red for a reduction, blue for an increase).

    References
    ----------
    001_b0950b57165db085.txt, 三.(二)1 額度訂定原則 and 圖5.
    """
    import matplotlib.pyplot as plt

    fig, axes = plt.subplots(1, 2, figsize=(12, 4.8), width_ratios=[1, 1.3])
    aea_paths.pivot(index="year", columns="member_state", values="aea_pct_of_2005")[member_states["member_state"]].plot(
        ax=axes[0], legend=False, colormap="coolwarm_r", marker=".")
    axes[0].axhline(100, color="grey", linewidth=0.8)
    axes[0].set_xlabel("year")
    axes[0].set_ylabel("annual emission allocation (% of 2005 emissions)")
    axes[1].bar(member_states["code"], member_states["target_2020_pct"],
                color=["tab:red" if t < 0 else "tab:blue" for t in member_states["target_2020_pct"]])
    axes[1].axhline(0, color="grey", linewidth=0.8)
    axes[1].tick_params(axis="x", labelrotation=90)
    axes[1].set_xlabel("member state (order of the report's Figure 5)")
    axes[1].set_ylabel("2020 limit (% change against 2005)")
    return fig


def ledger(ledger: pd.DataFrame):
    """Allocation, available units and emissions of the simulated member state, with shortfalls.

    Parameters
    ----------
    ledger : pandas.DataFrame
        Output of :func:`carbonlib.effort_sharing.simulate`: ``year``, ``allocation_mtco2e``,
        ``available_mtco2e``, ``emissions_mtco2e`` and ``shortfall_mtco2e`` (all MtCO2e per
        year).

    Returns
    -------
    matplotlib.figure.Figure
        One axes: per year a bar of available units and a bar of emissions (MtCO2e), the
        allocation as a dashed line, and a hatched bar on top of the emissions in each year of
        a shortfall.

    References
    ----------
    001_b0950b57165db085.txt, 三.(二)2 彈性機制; 三.(四) 矯正行動.
    """
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(9, 4.5))
    ax.bar(ledger["year"] - 0.2, ledger["available_mtco2e"], width=0.4,
           label="available (after deductions, banking, transfers, credits)")
    ax.bar(ledger["year"] + 0.2, ledger["emissions_mtco2e"], width=0.4, label="emissions")
    ax.plot(ledger["year"], ledger["allocation_mtco2e"], color="black", linestyle="--", marker="o",
            label="annual emission allocation")
    short = ledger.query("shortfall_mtco2e > 0")
    ax.bar(short["year"] + 0.2, short["shortfall_mtco2e"], width=0.4,
           bottom=short["emissions_mtco2e"] - short["shortfall_mtco2e"], color="none", edgecolor="red", hatch="xx",
           label="shortfall (× penalty factor next year)")
    ax.set_ylim(0.9 * ledger[["available_mtco2e", "emissions_mtco2e"]].to_numpy().min(),
                1.05 * ledger[["available_mtco2e", "emissions_mtco2e", "allocation_mtco2e"]].to_numpy().max())
    ax.set_xlabel("year")
    ax.set_ylabel("MtCO2e per year")
    ax.legend(fontsize="small", loc="upper center", bbox_to_anchor=(0.5, -0.15), ncol=2)
    return fig

"""Figures of workbook 03, auctions: 表4 volumes within the cap, the member-state split (表3)
and the manufacturing free share (001).

Each function takes the tables :mod:`carbonlib.auctions` returns and gives back a new figure;
``run.figure`` saves, translates and shows it.

References
----------
001_b0950b57165db085.txt, 表3 歐盟碳交易制度各階段排放額度分配方式; 表4 歐盟 2013-2020 各年可拍賣總額;
section 二.(三) 1-2.
"""

from __future__ import annotations

import pandas as pd


def auction_volumes(share: pd.DataFrame):
    """Each year's auction volume drawn inside the adopted cap of that year.

    Parameters
    ----------
    share : pandas.DataFrame
        The table of :func:`carbonlib.auctions.share_of_cap`, indexed by year, with columns
        ``cap_t`` and ``auction_volume_t`` (t CO2e per year). Drawn in MtCO2e.

    Returns
    -------
    matplotlib.figure.Figure
        One axes, two overlaid bars per year (MtCO2e per year): the cap in grey behind, the
        auction volume in front.

    References
    ----------
    001_b0950b57165db085.txt, 表4 歐盟 2013-2020 各年可拍賣總額, and section 二.(一) 3 (the adopted cap).
    """
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots()
    ax.bar(share.index, share["cap_t"] / 1e6, color="0.8", label="adopted cap")
    ax.bar(share.index, share["auction_volume_t"] / 1e6, label="auction volume (001 Table 4)")
    ax.set_xlabel("year")
    ax.set_ylabel("MtCO2e per year")
    ax.legend()
    return fig


def split_by_member_state(by_state: pd.DataFrame):
    """Auctioned volume 2013-2020 per member state, stacked by component of the split.

    Parameters
    ----------
    by_state : pandas.DataFrame
        One row per member state (in the order drawn), with columns ``emissions_2005_t``,
        ``solidarity_t`` and ``early_action_t`` (t CO2e over 2013-2020), as workbook 03 sums
        :func:`carbonlib.auctions.split_by_member_state` per state. Drawn in MtCO2e.

    Returns
    -------
    matplotlib.figure.Figure
        One axes, one stacked bar per member state (MtCO2e): by 2005 emissions, solidarity,
        early action.

    References
    ----------
    001_b0950b57165db085.txt, 表3 歐盟碳交易制度各階段排放額度分配方式 (88 % by 2005 verified
    emissions, 10 % solidarity, 2 % early action) and 表4 (the volumes split).
    """
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(10, 4.5))
    (by_state[["emissions_2005_t", "solidarity_t", "early_action_t"]] / 1e6).plot.bar(stacked=True, ax=ax)
    ax.set_xlabel("member state")
    ax.set_ylabel("auctioned 2013–2020 (MtCO2e)")
    ax.legend(["by 2005 emissions", "solidarity", "early action"])
    return fig


def free_share(path: pd.Series):
    """Manufacturing's free and auctioned shares of its allowances, per year.

    Parameters
    ----------
    path : pandas.Series
        The path of :func:`carbonlib.auctions.free_share_path`, indexed by year, in percent of
        manufacturing's allowances given free; the auctioned share is 100 minus it.

    Returns
    -------
    matplotlib.figure.Figure
        One axes, two lines (percent, 0-100): free (circles) and auctioned (squares).

    References
    ----------
    001_b0950b57165db085.txt, section 二.(三) 2.(3) (80 % free in 2013, 30 % in 2020).
    """
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots()
    ax.plot(path.index, path, marker="o", label="free")
    ax.plot(path.index, 100 - path, marker="s", label="auctioned")
    ax.set_xlabel("year")
    ax.set_ylabel("share of manufacturing allowances (%)")
    ax.set_ylim(0, 100)
    ax.legend()
    return fig

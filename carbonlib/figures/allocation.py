"""Figures of workbook 04: the printed Phase 3 factors and the free allocation of each installation.

Each function returns a new figure; ``run.figure`` saves, translates and shows it.

References
----------
001_b0950b57165db085.txt, 圖4 免費排放額度計算方式; 表8 碳洩漏風險係數; 表9 跨部門矯正係數;
表10 線性減量係數.
"""

from __future__ import annotations

import pandas as pd

from carbonlib import allocation


def factors(clef: pd.DataFrame, cscf: pd.DataFrame, lrf: pd.DataFrame):
    """The printed factors of 表8–表10, one line each over 2013–2020.

    Parameters
    ----------
    clef : pandas.DataFrame
        表8 layout (``datasets.load("allocation_clef")``): ``year``, ``status`` and ``factor``
        (dimensionless); only the ``not_exposed`` rows are drawn.
    cscf : pandas.DataFrame
        表9 layout (``datasets.load("allocation_cscf")``): ``year`` and ``factor``
        (cross-sectoral correction factor, dimensionless).
    lrf : pandas.DataFrame
        表10 layout (``datasets.load("allocation_lrf")``): ``year`` and ``factor`` (linear
        reduction factor, dimensionless).

    Returns
    -------
    matplotlib.figure.Figure
        One axes with three lines (CLEF not exposed, CSCF, LRF) against the year, factor on a
        0–1.05 scale.

    References
    ----------
    001_b0950b57165db085.txt, 表8 碳洩漏風險係數; 表9 跨部門矯正係數; 表10 線性減量係數.
    """
    import matplotlib.pyplot as plt

    table = pd.DataFrame({"CLEF not exposed (表8)": clef.query("status == 'not_exposed'").set_index("year")["factor"],
                          "CSCF (表9)": cscf.set_index("year")["factor"],
                          "LRF (表10)": lrf.set_index("year")["factor"]})
    fig, ax = plt.subplots()
    table.plot(ax=ax, marker="o")
    ax.set_xlabel("year")
    ax.set_ylabel("factor (dimensionless)")
    ax.set_ylim(0, 1.05)
    return fig


def allocation_paths(per_installation: pd.DataFrame, sub_allocation: pd.DataFrame):
    """Free allocation of each installation against its constant-emissions line, one panel each.

    The constant-emissions line is benchmark × HAL held over 2013–2020
    (:func:`carbonlib.allocation.constant_emissions`); the gap to the allocation is what the
    installation has to buy at constant output. Up to six installations are drawn (2 × 3 panels).

    Parameters
    ----------
    per_installation : pandas.DataFrame
        Output of :func:`carbonlib.allocation.by_installation`: ``installation``, ``year`` and
        ``allocation_t`` (free allocation, tCO2 per year).
    sub_allocation : pandas.DataFrame
        Output of :func:`carbonlib.allocation.allocate` (per sub-installation and year, with
        ``benchmark`` and ``hal``), from which the constant-emissions line is computed.

    Returns
    -------
    matplotlib.figure.Figure
        A 2 × 3 grid of axes sharing the year axis; in each, the free allocation and the
        constant emissions of one installation in ktCO2 per year.

    References
    ----------
    001_b0950b57165db085.txt, 圖4 免費排放額度計算方式 (allocation = benchmark × HAL × CLEF × CSCF,
    or × LRF); illustrative installations, not observed.
    """
    import matplotlib.pyplot as plt

    reference = allocation.constant_emissions(sub_allocation)
    paths = per_installation.merge(reference, on=["installation", "year"])
    fig, axes = plt.subplots(2, 3, figsize=(11, 6), sharex=True)
    for ax, (name, grp) in zip(axes.ravel(), paths.groupby("installation"), strict=False):
        ax.plot(grp["year"], grp["allocation_t"] / 1e3, marker="o", label="free allocation")
        ax.plot(grp["year"], grp["emissions_t"] / 1e3, linestyle="--", label="constant emissions (benchmark × HAL)")
        ax.set_title(name)
        ax.set_ylabel("ktCO2 per year")
        ax.set_ylim(bottom=0)
    axes[0, 0].legend(fontsize="small")
    return fig

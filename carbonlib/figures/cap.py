"""Figures of workbook 03, caps: the 2008 proposal (000 表3) and the cap paths compared (001).

Each function takes the tables :mod:`carbonlib.cap` returns and gives back a new figure;
``run.figure`` saves, translates and shows it.

References
----------
000_318ba4d3771c8f90.txt, 表3 2013-2020 年歐盟排放總管制量 and section 三.2;
001_b0950b57165db085.txt, section 二.(一) 3.第三階段(2013-2020)年排放額度總量規劃.
"""

from __future__ import annotations

import pandas as pd

from carbonlib import cap


def proposal_rounding(t3: pd.Series):
    """表3 as printed with its least-squares and end-point lines, and the differences from them.

    Parameters
    ----------
    t3 : pandas.Series
        The proposed cap of ``cap_proposal_t3`` indexed by year 2013-2020, in MtCO2e per year
        (whole Mt, as printed).

    Returns
    -------
    matplotlib.figure.Figure
        Two axes sharing the year axis. Top: the printed cap (points), the least-squares line
        (:func:`carbonlib.cap.ols_fitted`) and the straight line through the printed 2013 and
        2020 values (:func:`carbonlib.cap.endpoint_path`), MtCO2e per year. Bottom: printed −
        each line (MtCO2e) against the rounding interval ±0.5 Mt.

    References
    ----------
    000_318ba4d3771c8f90.txt, 表3 2013-2020 年歐盟排放總管制量.
    """
    import matplotlib.pyplot as plt

    ols_line = cap.ols_fitted(t3)
    end_line = cap.endpoint_path(2013, t3[2013], 2020, t3[2020])
    fig, (ax, ax2) = plt.subplots(2, 1, figsize=(8, 6), sharex=True, height_ratios=[2, 1])
    ax.plot(t3.index, t3, "o", label="000 Table 3 as printed")
    ax.plot(ols_line.index, ols_line, label="least-squares line")
    ax.plot(end_line.index, end_line, "--", label="line through printed end points")
    ax.set_ylabel("cap (MtCO2e per year)")
    ax.legend()
    ax2.axhspan(-0.5, 0.5, color="0.9", label="rounding interval (±0.5 Mt)")
    ax2.plot(t3.index, t3 - ols_line, "o-", label="printed − least squares")
    ax2.plot(t3.index, t3 - end_line, "s--", label="printed − end-point line")
    ax2.set_xlabel("year")
    ax2.set_ylabel("difference (MtCO2e)")
    ax2.legend(fontsize="small", ncol=3)
    return fig


def cap_paths(paths: pd.DataFrame):
    """Cap paths side by side, one line per path.

    Parameters
    ----------
    paths : pandas.DataFrame
        The table of :func:`carbonlib.cap.compare_paths`: one column per path (the column name
        is its legend label), indexed by year, in t CO2e per year (missing where a path has no
        year). Drawn in MtCO2e; the styles ``.-``, ``o-``, ``--``, ``.-`` are given to the
        first four columns, the order workbook 03 passes: 2008 proposal, adopted Phase 3 cap,
        the researcher's path, aviation.

    Returns
    -------
    matplotlib.figure.Figure
        One axes, one line per path (MtCO2e per year) over integer years, the cap axis from 0.

    References
    ----------
    000_318ba4d3771c8f90.txt, 表3 (the 2008 proposal); 001_b0950b57165db085.txt, section 二.(一) 3
    (the adopted Phase 3 cap, 2,084,301,856 t in 2013 falling 38,264,246 t a year, and the
    aviation cap, 210,349,264 t a year).
    """
    import matplotlib.pyplot as plt
    from matplotlib.ticker import MaxNLocator

    fig, ax = plt.subplots(figsize=(9, 5))
    (paths / 1e6).plot(ax=ax, style=[".-", "o-", "--", ".-"])
    ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    ax.set_xlabel("year")
    ax.set_ylabel("cap (MtCO2e per year)")
    ax.set_ylim(bottom=0)
    return fig

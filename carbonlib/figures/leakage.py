"""Figures of workbook 05: scope thresholds, the carbon-leakage criteria, 附件三 and the penalty.

Each function returns a new figure; ``run.figure`` saves, translates and shows it.

References
----------
001_b0950b57165db085.txt, 表2 第三階段管制之部門與氣體; 二.(三) C.a 碳洩漏判定;
附件三 處於碳洩漏風險產業清單; 3.罰則.
"""

from __future__ import annotations

import pandas as pd

from carbonlib import leakage


def capacity_vs_threshold(units: pd.DataFrame, activities: pd.DataFrame, correct_printing_errors: bool = False):
    """Capacity of each installation and activity relative to its 表2 threshold (log scale).

    The capacities are counted by :func:`carbonlib.leakage.covered_activities`; activities
    without a threshold are left out. A bar is blue when the activity is covered, grey
    otherwise; the dashed line marks capacity = threshold.

    Parameters
    ----------
    units : pandas.DataFrame
        One row per unit (``datasets.load("leakage_installation_units")``): ``installation``,
        ``unit``, ``activity``, ``capacity`` in ``capacity_unit`` (MW thermal input, t/h,
        t/day, kg aircraft mass).
    activities : pandas.DataFrame
        表2 layout (``datasets.load("scope_activities_t2")``).
    correct_printing_errors : bool
        Use the Directive's threshold where 表2 is misprinted (mineral wool, 20 t/day).

    Returns
    -------
    matplotlib.figure.Figure
        One axes with one horizontal bar per installation and activity: capacity / threshold
        (dimensionless, log scale).

    References
    ----------
    001_b0950b57165db085.txt, 表2 第三階段管制之部門與氣體.
    """
    import matplotlib.pyplot as plt

    per_activity = leakage.covered_activities(units, activities, correct_printing_errors=correct_printing_errors
                                              ).dropna(subset=["threshold"])
    ratio = (per_activity["capacity"] / per_activity["threshold"]).set_axis(
        per_activity["installation"] + " " + per_activity["activity"])
    fig, ax = plt.subplots(figsize=(8, 5))
    ax.barh(ratio.index, ratio.to_numpy(), color=["tab:blue" if c else "tab:gray" for c in per_activity["covered"]])
    ax.axvline(1.0, color="black", linestyle="--", linewidth=1)
    ax.set_xscale("log")
    ax.xaxis.set_major_formatter(_plain_log_formatter())
    ax.xaxis.set_minor_formatter(_plain_log_formatter(labelOnlyBase=False))
    ax.set_xlabel("capacity / activity threshold (dimensionless, log scale)")
    ax.set_ylabel("installation and activity")
    return fig


def _plain_log_formatter(labelOnlyBase: bool = True):
    """Matplotlib's log-axis labels (10⁻⁴ … 10¹, 2×10⁻¹) written without the ``\\mathdefault`` wrapper.

    In the English figure the labels are drawn exactly as matplotlib's own (the wrapper selects
    the text font, which there is the mathtext font as well); without it the figure's texts hold
    only the formula (``$10^{-4}$``), which the zh-TW checks read as a formula.
    ``labelOnlyBase=False`` is the minor-tick form.
    """
    from matplotlib import ticker

    class PlainLogFormatter(ticker.LogFormatterSciNotation):
        def __call__(self, x, pos=None):
            return super().__call__(x, pos).replace(r"\mathdefault{", "{")

    return PlainLogFormatter(labelOnlyBase=labelOnlyBase)


def leakage_criteria(tested: pd.DataFrame, cost_min_pct: float = leakage.COST_SHARE_MIN_PCT,
                     trade_min_pct: float = leakage.TRADE_INTENSITY_MIN_PCT,
                     cost_only_pct: float = leakage.COST_SHARE_ONLY_PCT,
                     trade_only_pct: float = leakage.TRADE_INTENSITY_ONLY_PCT):
    """The sectors in the trade-intensity / cost-share plane with the three criteria's boundaries.

    Each sector is a point, red when exposed, labelled with its name and the criteria it meets;
    criterion B is a horizontal line, C a vertical one, and A the corner of the two orange lines.

    Parameters
    ----------
    tested : pandas.DataFrame
        Output of :func:`carbonlib.leakage.leakage_test`: ``sector``, ``trade_intensity_pct``
        and ``cost_share_gva_pct`` (percent), ``criteria`` (letters met) and ``exposed`` (bool).
    cost_min_pct : float
        Criterion A: additional cost at least this share of GVA, percent (5).
    trade_min_pct : float
        Criterion A: trade intensity above this, percent (10).
    cost_only_pct : float
        Criterion B: additional cost at least this share of GVA, percent (30).
    trade_only_pct : float
        Criterion C: trade intensity above this, percent (30).

    Returns
    -------
    matplotlib.figure.Figure
        One axes: a scatter of the sectors (x trade intensity, y cost share, both percent) and
        the criteria lines.

    References
    ----------
    001_b0950b57165db085.txt, 二.(三) C.a 碳洩漏判定 Ⅰ–Ⅲ.
    """
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(7, 5))
    ax.scatter(tested["trade_intensity_pct"], tested["cost_share_gva_pct"],
               c=["tab:red" if e else "tab:gray" for e in tested["exposed"]], zorder=3)
    for i, (_, row) in enumerate(tested.iterrows()):
        ax.annotate(f"{row['sector']} {row['criteria']}", (row["trade_intensity_pct"], row["cost_share_gva_pct"]),
                    xytext=(4, 4 if i % 2 == 0 else -12), textcoords="offset points", fontsize="small")
    ax.axhline(cost_only_pct, color="tab:blue", linestyle="--", label=f"B: cost ≥ {cost_only_pct:g} %")
    ax.axvline(trade_only_pct, color="tab:green", linestyle="--", label=f"C: trade > {trade_only_pct:g} %")
    ax.plot([trade_min_pct, max(50.0, trade_only_pct * 1.5)], [cost_min_pct, cost_min_pct], color="tab:orange",
            label=f"A: cost ≥ {cost_min_pct:g} % and trade > {trade_min_pct:g} %")
    ax.plot([trade_min_pct, trade_min_pct], [cost_min_pct, max(40.0, cost_only_pct * 1.3)], color="tab:orange")
    ax.set_xlabel("trade intensity with third countries (% of EU market)")
    ax.set_ylabel("additional cost (% of gross value added)")
    ax.legend(fontsize="small", loc="upper right")
    return fig


def annex3_by_division(annex3: pd.DataFrame):
    """附件三 sectors per NACE division, with those meeting criterion A and criterion B.

    The counts come from :func:`carbonlib.leakage.annex3_by_division`; three overlaid bars per
    division (all listed sectors, meeting A, meeting B; the rest meet C only).

    Parameters
    ----------
    annex3 : pandas.DataFrame
        附件三 layout (``datasets.load("leakage_annex3_sectors")``): ``nace_code`` (four digits)
        and ``criteria_printed``.

    Returns
    -------
    matplotlib.figure.Figure
        One axes with three bars per NACE division (number of NACE-4 sectors).

    References
    ----------
    001_b0950b57165db085.txt, 附件三 處於碳洩漏風險產業清單.
    """
    import matplotlib.pyplot as plt

    by_division = leakage.annex3_by_division(annex3)
    fig, ax = plt.subplots(figsize=(10, 4))
    ax.bar(by_division.index, by_division["sectors"], color="tab:gray", label="sectors listed")
    ax.bar(by_division.index, by_division["A"], color="tab:orange", width=0.5, label="meeting A")
    ax.bar(by_division.index, by_division["B"], color="tab:blue", width=0.25, label="meeting B")
    ax.set_xlabel("NACE division (first two digits)")
    ax.set_ylabel("number of NACE-4 sectors")
    ax.legend(fontsize="small")
    return fig


def penalty_path(penalty: pd.Series):
    """The excess-emissions penalty per year against its 2013 level of 100 EUR/t.

    Parameters
    ----------
    penalty : pandas.Series
        Output of :func:`carbonlib.leakage.penalty_path`: penalty in EUR per tCO2, indexed by
        year.

    Returns
    -------
    matplotlib.figure.Figure
        One axes with the penalty line (EUR per tCO2) and a dashed line at 100 EUR/t.

    References
    ----------
    001_b0950b57165db085.txt, 3.罰則.
    """
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots()
    ax.plot(penalty.index, penalty.to_numpy(), marker="o")
    ax.axhline(100, color="gray", linestyle="--", linewidth=1, label="2013 level (100 EUR/t)")
    ax.set_xlabel("year")
    ax.set_ylabel("penalty (EUR per tCO2)")
    ax.legend(fontsize="small")
    return fig

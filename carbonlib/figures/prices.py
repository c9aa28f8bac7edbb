"""Figures of workbook 06: the report's quoted EUA prices and a daily price history.

Each function returns a new figure; ``run.figure`` saves, translates and shows it.

References
----------
000_318ba4d3771c8f90.txt, 圖4 (EUA futures price and volume on ECX, February 2006 – March 2008).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from carbonlib.calendar import PHASE_LABELS
from carbonlib.prices import ArimaResult


def quoted_facts(facts: pd.DataFrame):
    """The report's quoted price levels as labelled horizontal bars (EUR/t).

    Parameters
    ----------
    facts : pandas.DataFrame
        The resource ``prices_quoted_figures``: ``key``, ``value`` (EUR per tCO2) and
        ``relation`` (``over``, ``below``, ``about`` or ``equals``), one bar each, in order.

    Returns
    -------
    matplotlib.figure.Figure
        One axes, one bar per fact, each labelled with its value.

    References
    ----------
    000_318ba4d3771c8f90.txt, section 三.3, the text around 圖4.
    """
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(7, 3.2))
    f = facts.reset_index(drop=True)
    relation = {"over": "over", "below": "below", "about": "about", "equals": ""}
    names = {"phase1_initial_over_eur_per_t": "Phase 1, initially", "phase1_peak_eur_per_t": "Phase 1 peak",
             "phase1_low_below_eur_per_t": "Phase 1 collapse", "phase2_around_eur_per_t": "Phase 2 level",
             "dec13_first_trade_eur_per_t": "first Dec-13 trade"}
    labels = [f"{names.get(k, k)} ({relation.get(r, r)})".replace(" ()", "")
              for k, r in zip(f["key"], f["relation"], strict=True)]
    ax.barh(labels, f["value"], color="C0")
    for i, v in enumerate(f["value"]):
        ax.annotate(f"{v:g}", (v, i), xytext=(3, 0), textcoords="offset points", va="center")
    ax.set_xlabel("EUR per tCO2 (as quoted)")
    ax.invert_yaxis()
    return fig


def price_volume(prices: pd.DataFrame, start: str = "2006-02-01", end: str = "2008-03-31"):
    """Price and volume on twin axes over a window, in the manner of the report's 圖4.

    Parameters
    ----------
    prices : pandas.DataFrame
        A history of :func:`carbonlib.pricefiles.load_history`: ``price_eur_per_t`` (EUR per
        tCO2) and, where the file has it, ``volume`` (the vendor's unit), indexed by date; a
        duplicated date is drawn once.
    start, end : str
        The window, ``YYYY-MM-DD`` (inclusive).

    Returns
    -------
    matplotlib.figure.Figure
        The close on the left axis; the volume in thousands as bars on the right axis, with a
        note where the file has no volume before some date or none at all in the window; a
        sentence instead when the window holds no observation.

    References
    ----------
    000_318ba4d3771c8f90.txt, 圖4 (EUA futures price and volume on ECX, February 2006 – March 2008).
    """
    import matplotlib.pyplot as plt

    w = prices.loc[~prices.index.duplicated()].loc[start:end]
    fig, ax = plt.subplots(figsize=(8, 4))
    if w.empty:
        ax.text(0.5, 0.5, f"no observations between {start} and {end}", ha="center", transform=ax.transAxes)
        return fig
    ax.plot(w.index, w["price_eur_per_t"], color="C0", label="close")
    ax.set_ylabel("price, EUR per tCO2")
    ax.set_xlabel("date")
    ax2 = ax.twinx()
    vol = w["volume"] if "volume" in w else pd.Series(dtype=float)
    if vol.notna().any():
        ax2.bar(w.index, vol.fillna(0) / 1e3, width=1.0, color="C1", alpha=0.5, label="volume")
        first = vol.first_valid_index()
        if first is not None and first > w.index.min():
            ax2.axvline(first, color="0.5", linestyle=":")
            ax2.annotate(f"no volume in the file before {first:%Y-%m-%d}", (first, 0), xytext=(-5, 60),
                         textcoords="offset points", ha="right", fontsize="small")
    else:
        ax2.annotate("the file has no volume in this window", (0.02, 0.9), xycoords="axes fraction", fontsize="small")
    ax2.set_ylabel("volume, thousands (vendor's unit)")
    ax2.set_ylim(bottom=0)
    return fig


def history(prices: pd.DataFrame):
    """The whole history with phases shaded and the Phase 1 → 2 roll marked (log scale).

    Parameters
    ----------
    prices : pandas.DataFrame
        A history with its phases marked (:func:`carbonlib.prices.mark_phases`):
        ``price_eur_per_t`` (EUR per tCO2), ``phase``, and the roll date in ``attrs["roll"]``.

    Returns
    -------
    matplotlib.figure.Figure
        The close on a log scale, one shaded span per phase present (labelled as in
        :data:`carbonlib.calendar.PHASE_LABELS`), a dashed line at the roll.

    References
    ----------
    000_318ba4d3771c8f90.txt, section 三.3 (the Phase 1 collapse and the Phase 2 price).
    """
    import matplotlib.pyplot as plt

    p = prices.loc[~prices.index.duplicated()]
    fig, ax = plt.subplots(figsize=(9, 4))
    ax.plot(p.index, p["price_eur_per_t"], color="C0", linewidth=0.8)
    for n, grp in p.groupby("phase"):
        ax.axvspan(grp.index.min(), grp.index.max(), color=f"C{n + 1}", alpha=0.12, label=PHASE_LABELS[n])
    roll = prices.attrs.get("roll")
    if roll:
        ax.axvline(pd.Timestamp(roll), color="0.3", linestyle="--", linewidth=0.8)
        ax.annotate(f"contract roll {roll}", (pd.Timestamp(roll), 0.02), xytext=(4, 0), textcoords="offset points",
                    fontsize="small")
    ax.set_yscale("log")
    ax.set_ylabel("close, EUR per tCO2 (log scale)")
    ax.set_xlabel("date")
    ax.legend(fontsize="small", loc="lower right")
    return fig


def volatility(volatility: pd.Series):
    """Annualised rolling volatility of log returns.

    Parameters
    ----------
    volatility : pandas.Series
        :func:`carbonlib.prices.rolling_volatility`, a fraction per year, indexed by date.

    Returns
    -------
    matplotlib.figure.Figure
        One line, in percent per year.
    """
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(9, 3.2))
    ax.plot(volatility.index, volatility * 100, linewidth=0.8)
    ax.set_ylabel("volatility, % per year")
    ax.set_xlabel("date")
    return fig


def forecast(result: ArimaResult):
    """The last closes and the ARIMA forecast with its interval (EUR/t).

    Parameters
    ----------
    result : carbonlib.prices.ArimaResult
        From :func:`carbonlib.prices.fit_arima`: ``fitted_tail`` (the last closes, EUR per
        tCO2), ``forecast`` (``trading_day_ahead``, ``price_eur_per_t``, ``lower_eur_per_t``,
        ``upper_eur_per_t``) and ``end`` (the sample's last date).

    Returns
    -------
    matplotlib.figure.Figure
        The closes at trading days ``-(n - 1) … 0``, the forecast at ``1 … h`` and its interval
        shaded.
    """
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(8, 3.5))
    tail = result.fitted_tail.reset_index(drop=True)
    x_hist = np.arange(-len(tail) + 1, 1)
    ax.plot(x_hist, tail, color="C0", label="close")
    f = result.forecast
    ax.plot(f["trading_day_ahead"], f["price_eur_per_t"], color="C1", label="forecast")
    ax.fill_between(f["trading_day_ahead"], f["lower_eur_per_t"], f["upper_eur_per_t"], color="C1", alpha=0.25,
                    label="interval")
    ax.set_xlabel(f"trading days from {result.end:%Y-%m-%d}")
    ax.set_ylabel("EUR per tCO2")
    ax.legend(fontsize="small")
    return fig


def comparison(a: pd.DataFrame, b: pd.DataFrame, label_a: str = "a", label_b: str = "b"):
    """Ratio of two series on their common dates (b / a).

    Parameters
    ----------
    a, b : pandas.DataFrame
        Two histories with ``price_eur_per_t`` (EUR per tCO2), indexed by date; a duplicated
        date is read once.
    label_a, label_b : str
        Their names in the axis label.

    Returns
    -------
    matplotlib.figure.Figure
        One line of ``b / a`` on the dates both hold, and a reference line at 1.
    """
    import matplotlib.pyplot as plt

    pa = a.loc[~a.index.duplicated(), "price_eur_per_t"]
    pb = b.loc[~b.index.duplicated(), "price_eur_per_t"]
    ratio = (pb / pa).dropna()
    fig, ax = plt.subplots(figsize=(9, 3.2))
    ax.plot(ratio.index, ratio, linewidth=0.8)
    ax.axhline(1, color="0.5", linewidth=0.8)
    ax.set_ylabel(f"{label_b} / {label_a} (ratio)")
    ax.set_xlabel("date")
    return fig

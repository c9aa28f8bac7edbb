"""Figures of workbook 08: caps against verified emissions, the cap after 2020, the MSR, prices.

Each function takes the tables :mod:`carbonlib.outcomes`, :mod:`carbonlib.msr` and
:mod:`carbonlib.prices` return and gives back a new figure; ``run.figure`` saves, translates
and shows it.

References
----------
001_b0950b57165db085.txt, section 二.(一) 3 (the Phase 3 cap); 000_318ba4d3771c8f90.txt, section
三.3 (the expectation of scarce EUAs); Decision (EU) 2015/1814 as amended (the MSR); the EEA's
verified emissions (``data/published/eea_sector_verified_emissions.csv``).
"""

from __future__ import annotations

import pandas as pd

from carbonlib.calendar import PHASES


def cap_against_emissions(table: pd.DataFrame):
    """The cap and the verified emissions of the eight activities, by year (MtCO2e).

    Parameters
    ----------
    table : pandas.DataFrame
        Indexed by ``year`` with ``cap_t`` and ``emissions_t`` (t CO2e), as
        :func:`carbonlib.outcomes.cap_against_emissions` returns, Phase 3 and Phase 4 stacked.

    Returns
    -------
    matplotlib.figure.Figure
        One axes: the cap as a line, the emissions as bars, MtCO2e per year.
    """
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(8, 4))
    ax.bar(table.index, table["emissions_t"] / 1e6, color="C1", label="verified emissions, eight main activities (EEA)")
    ax.plot(table.index, table["cap_t"] / 1e6, "o-", color="C0", label="cap (stationary installations)")
    ax.set_xlabel("year")
    ax.set_ylabel("MtCO2e per year")
    ax.set_ylim(bottom=0)
    ax.legend(loc="lower left")
    return fig


def cap_paths(paths: pd.DataFrame, zero_years: pd.Series):
    """Cap paths after 2008 side by side, each ending at the year it reaches zero.

    Parameters
    ----------
    paths : pandas.DataFrame
        One column per path (its legend label), indexed by year, t CO2e (missing where a path
        has no value).
    zero_years : pandas.Series
        The year each path reaches zero, by column name (missing: not within the paths).

    Returns
    -------
    matplotlib.figure.Figure
        One axes, MtCO2e per year, the zero year of each path marked with a cross.
    """
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(8, 4.5))
    for i, col in enumerate(paths.columns):
        s = paths[col].dropna() / 1e6
        ax.plot(s.index, s, ".-" if i % 2 else "-", color=f"C{i}", label=col)
        z = zero_years.get(col)
        if pd.notna(z) and z in s.index:
            ax.plot([z], [0], "x", color=f"C{i}", markersize=9)
    ax.set_xlabel("year")
    ax.set_ylabel("cap (MtCO2e per year)")
    ax.set_ylim(bottom=0)
    ax.legend(fontsize="small")
    return fig


def msr_published(check: pd.DataFrame):
    """Published TNAC and MSR intake by publication year, with the intake the rules give.

    Parameters
    ----------
    check : pandas.DataFrame
        :func:`carbonlib.msr.check_published`: ``tnac``, ``published_intake_t``,
        ``recomputed_intake_t``, indexed by ``publication_year``.

    Returns
    -------
    matplotlib.figure.Figure
        Bars of the published TNAC and intake (million allowances) and the recomputed intake
        as points; years without a published figure have no bar.
    """
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(8, 4))
    x = check.index.to_numpy()
    tnac, pub, rec = (check[c].astype("Float64").astype(float) / 1e6
                      for c in ("tnac", "published_intake_t", "recomputed_intake_t"))
    ax.bar(x - 0.2, tnac, width=0.4, color="C0", label="TNAC as published")
    ax.bar(x + 0.2, pub, width=0.4, color="C1", label="MSR intake as published")
    ax.plot(x + 0.2, rec, "kx", markersize=9, label="intake recomputed from the published TNAC")
    ax.set_xticks(x)
    ax.set_xlabel("year of publication")
    ax.set_ylabel("million allowances")
    ax.legend(fontsize="small")
    return fig


def msr_projection(projection: pd.DataFrame):
    """The projected TNAC and MSR holdings (million allowances), with the supply and emissions.

    Parameters
    ----------
    projection : pandas.DataFrame
        :func:`carbonlib.msr.project`.

    Returns
    -------
    matplotlib.figure.Figure
        Two axes sharing the year axis: top, TNAC and holdings at the end of each year; bottom,
        supply and emissions a year.
    """
    import matplotlib.pyplot as plt

    fig, (ax, ax2) = plt.subplots(2, 1, figsize=(8, 6), sharex=True)
    ax.plot(projection.index, projection["tnac_t"] / 1e6, "o-", label="TNAC, end of year")
    ax.plot(projection.index, projection["holdings_t"] / 1e6, "s--", label="MSR holdings, end of year")
    ax.set_ylabel("million allowances")
    ax.legend(fontsize="small")
    ax2.plot(projection.index, projection["supply_t"] / 1e6, "-", label="supply (cap path)")
    ax2.plot(projection.index, projection["emissions_t"] / 1e6, "--", label="emissions (assumed path)")
    ax2.set_xlabel("year")
    ax2.set_ylabel("MtCO2e per year")
    ax2.legend(fontsize="small")
    return fig


def prices_with_events(history: pd.DataFrame, events: pd.DataFrame):
    """The daily close from Phase 3 on (log scale) with dated policy events marked.

    Parameters
    ----------
    history : pandas.DataFrame
        A price history with phases marked (:func:`carbonlib.prices.mark_phases`).
    events : pandas.DataFrame
        ``ets_policy_events``: ``date`` and ``label_en``; an event outside the history is not drawn.

    Returns
    -------
    matplotlib.figure.Figure
        One axes: the close (EUR/t, log scale), a numbered vertical line per event, the
        numbers explained in the legend.
    """
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(9, 4.5))
    p = history.loc[history["phase"] >= 3, "price_eur_per_t"]
    p = p[p > 0]
    ax.plot(p.index, p, color="C0", linewidth=0.8, label="EUA close")
    ax.set_yscale("log")
    first, last = (p.index.min(), p.index.max()) if len(p) else (None, None)
    for i, (_, e) in enumerate(events.sort_values("date").iterrows(), start=1):
        d = pd.Timestamp(e["date"])
        if first is None or not first <= d <= last:
            continue
        ax.axvline(d, color="C3", linestyle=":", linewidth=1)
        ax.annotate(str(i), (d, 1), xycoords=("data", "axes fraction"), xytext=(2, -12),
                    textcoords="offset points", color="C3")
        ax.plot([], [], " ", label=f"{i}: {e['date']:%Y-%m-%d} {e['label_en']}")
    ax.set_xlabel("date")
    ax.set_ylabel("close, EUR per tCO2 (log scale)")
    ax.legend(fontsize="x-small", loc="upper left")
    return fig


def volatility_compare(rolling: pd.Series, garch: pd.Series):
    """The rolling volatility of workbook 06 and the GARCH(1,1) conditional volatility (% a year).

    Parameters
    ----------
    rolling : pandas.Series
        :func:`carbonlib.prices.rolling_volatility` (share a year).
    garch : pandas.Series
        ``GarchResult.volatility`` (% a year).

    Returns
    -------
    matplotlib.figure.Figure
        One axes, both series over time (log scale), Phases 2 and 4 shaded.
    """
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(9, 4))
    ax.plot(rolling.index, rolling * 100, color="0.6", linewidth=0.7, label="rolling volatility (workbook 06)")
    ax.plot(garch.index, garch, color="C3", linewidth=0.9, label="GARCH(1,1) conditional volatility")
    for n, _, first, last in PHASES:
        if n % 2 == 0:
            ax.axvspan(pd.Timestamp(f"{first}-01-01"), pd.Timestamp(f"{(last or first + 20)}-12-31"),
                       color="0.93", zorder=0)
    ax.set_xlim(garch.index.min() if len(garch) else None, garch.index.max() if len(garch) else None)
    ax.set_xlabel("date")
    ax.set_ylabel("volatility, % per year")
    ax.set_yscale("log")
    ax.legend(fontsize="small")
    return fig

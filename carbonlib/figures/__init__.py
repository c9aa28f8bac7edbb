"""Figures: every figure a paper draws, as a function from tables to a matplotlib figure.

One module per topic (:mod:`carbonlib.figures.prices` …). Each function takes the tables the
calculation library returns and gives back a new :class:`matplotlib.figure.Figure`; it never
saves, shows or translates it (the workbench's ``run.figure`` does that) and never imports the
workbench. The house look (``carbonlib.mplstyle`` and the palette below) lives here, and the
workbench applies it.

References
----------
Okabe, M. and Ito, K. (2008), Color Universal Design: the colour-blind-safe palette used here.
"""

from __future__ import annotations

from pathlib import Path

#: The matplotlib style file of every figure.
STYLE_FILE = Path(__file__).with_name("carbonlib.mplstyle")

#: Okabe–Ito palette, in the order of the style's colour cycle.
PALETTE = ["#0072B2", "#E69F00", "#009E73", "#D55E00", "#CC79A7", "#56B4E9", "#F0E442", "#000000"]

#: The figure modules, one per topic, imported on first use (``figures.prices`` …).
TOPICS = ("allocation", "auctions", "cap", "effort_sharing", "kyoto", "leakage", "market", "outcomes", "prices")


def __getattr__(name: str):
    import importlib

    if name in TOPICS:
        return importlib.import_module(f".{name}", __name__)
    raise AttributeError(f"module 'carbonlib.figures' has no attribute {name!r}")

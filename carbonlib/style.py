"""One matplotlib style for all figures, and table formatting helpers.

References
----------
Okabe, M. and Ito, K. (2008), Color Universal Design: the colour-blind-safe palette used here.
"""

from __future__ import annotations

from pathlib import Path

STYLE_FILE = Path(__file__).with_name("carbonlib.mplstyle")

#: Okabe–Ito palette, in the order of the style's colour cycle.
PALETTE = ["#0072B2", "#E69F00", "#009E73", "#D55E00", "#CC79A7", "#56B4E9", "#F0E442", "#000000"]


def apply() -> None:
    """Apply the house style to matplotlib (called by :func:`carbonlib.start`)."""
    import matplotlib
    import matplotlib.pyplot as plt

    plt.style.use(STYLE_FILE)
    matplotlib.rcParams["svg.hashsalt"] = "carbonlib"

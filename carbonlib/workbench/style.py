"""Applying the house style (from :mod:`carbonlib.figures`) and the fonts of each edition."""

from __future__ import annotations

import logging
from pathlib import Path

from carbonlib.figures import PALETTE, STYLE_FILE

__all__ = ["CJK_FAMILY", "PALETTE", "STYLE_FILE", "apply", "cjk_font_file"]


#: Family name of the CJK font used for Traditional Chinese labels (from the ``mplfonts`` package,
#: Noto Sans CJK, which covers the full CJK Unified Ideographs block).
CJK_FAMILY = "Noto Sans CJK SC"


def cjk_font_file() -> Path:
    """Path of the packaged Noto Sans CJK font (installed with the project's dependencies).

    Raises
    ------
    FileNotFoundError
        If the ``mplfonts`` package or its font file is missing (reinstall with ``make setup``).
    """
    import mplfonts

    path = Path(mplfonts.__file__).parent / "fonts" / "NotoSansCJKsc-Regular.otf"
    if not path.is_file():
        raise FileNotFoundError(f"the CJK font {path} is missing: run `make setup` to reinstall mplfonts")
    return path


def apply(lang: str = "en") -> None:
    """Apply the house style to matplotlib (called by :func:`carbonlib.start`).

    For ``lang = "zh-TW"`` the packaged Noto Sans CJK font comes first, so Chinese labels
    render without missing-glyph boxes; in English it is the fallback for the reports' terms.
    """
    import matplotlib
    import matplotlib.pyplot as plt
    from matplotlib import font_manager

    plt.style.use(STYLE_FILE)
    matplotlib.rcParams["svg.hashsalt"] = "carbonlib"
    if CJK_FAMILY not in {f.name for f in font_manager.fontManager.ttflist}:
        font_manager.fontManager.addfont(str(cjk_font_file()))
    # the reports' terms (表8, 附件二 …) appear in English labels too: matplotlib falls back
    # glyph by glyph along font.family (not within font.sans-serif), so both are listed there
    families = ["DejaVu Sans", CJK_FAMILY] if lang == "en" else [CJK_FAMILY, "DejaVu Sans"]
    matplotlib.rcParams["font.family"] = families
    if lang != "en":
        matplotlib.rcParams["axes.unicode_minus"] = False
        matplotlib.rcParams["axes.titleweight"] = "normal"  # the packaged CJK font has one weight
    # a bold request falls back to the regular CJK face: not worth a warning in every paper
    logging.getLogger("matplotlib.font_manager").setLevel(logging.ERROR)

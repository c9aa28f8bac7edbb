"""Applying the house style (from :mod:`carbonlib.figures`) and the fonts of each edition."""

from __future__ import annotations

import logging
from pathlib import Path

from carbonlib.figures import PALETTE, STYLE_FILE

__all__ = ["CJK_FAMILY", "FALLBACK_FAMILY", "PALETTE", "STYLE_FILE", "apply", "cjk_font_file", "edition_rc",
           "fallback_font_file", "house_families"]


#: Family name of the Traditional Chinese font: Taipei Sans TC Beta (JT Foundry, a modification of
#: Source Han Sans with Taiwan's standard glyph forms, SIL Open Font License 1.1), from the
#: ``mpltw`` package on PyPI.
CJK_FAMILY = "Taipei Sans TC Beta"
#: The fallback for the few characters the Traditional Chinese font lacks (compatibility
#: ideographs such as U+F98E in the reports' quotes): Noto Sans CJK SC from ``mplfonts``.
FALLBACK_FAMILY = "Noto Sans CJK SC"


def cjk_font_file() -> Path:
    """Path of the packaged Traditional Chinese font (installed with the project's dependencies).

    Raises
    ------
    FileNotFoundError
        If the ``mpltw`` package or its font file is missing (reinstall with ``make setup``).
    """
    return _packaged("mpltw", "TaipeiSansTCBeta-Regular.ttf")


def fallback_font_file() -> Path:
    """Path of the packaged Noto Sans CJK SC font, the fallback of :func:`cjk_font_file`.

    Raises
    ------
    FileNotFoundError
        If the ``mplfonts`` package or its font file is missing (reinstall with ``make setup``).
    """
    return _packaged("mplfonts", "fonts/NotoSansCJKsc-Regular.otf")


def _packaged(package: str, name: str) -> Path:
    import importlib.util

    spec = importlib.util.find_spec(package)  # located, not imported: mpltw's import changes rcParams
    if spec is None or spec.origin is None:
        raise FileNotFoundError(f"the package {package} is missing: run `make setup` to reinstall it")
    path = Path(spec.origin).parent / name
    if not path.is_file():
        raise FileNotFoundError(f"the font {path} is missing: run `make setup` to reinstall {package}")
    return path


def house_families() -> list[str]:
    """``font.family`` of the house style: DejaVu Sans, then the two CJK fonts.

    The reports' terms (表8, 附件二 …) appear in English labels too: matplotlib falls back
    glyph by glyph along ``font.family`` (not within ``font.sans-serif``), so both are listed.
    """
    return ["DejaVu Sans", CJK_FAMILY, FALLBACK_FAMILY]


def edition_rc(lang: str = "en") -> dict[str, object]:
    """The matplotlib settings that differ in an edition, applied when its figures are saved.

    A figure is drawn once, in the house style; each edition then relabels a copy and saves it
    within ``matplotlib.rc_context(edition_rc(lang))``. For ``lang = "zh-TW"`` the Traditional
    Chinese font comes first (Noto Sans CJK SC behind it for the characters it lacks), so
    Chinese labels render in Taiwan's glyph forms without missing-glyph boxes; titles are not
    bold (the packaged CJK font has one weight) and minus signs are hyphens.
    """
    if lang == "en":
        return {}
    return {"font.family": [CJK_FAMILY, FALLBACK_FAMILY, "DejaVu Sans"], "axes.unicode_minus": False,
            "axes.titleweight": "normal"}


def apply(lang: str = "en") -> None:
    """Apply the house style to matplotlib (called by :func:`carbonlib.start`).

    The style is the same in every edition (a figure is drawn once and relabelled per edition,
    see :func:`edition_rc`); ``lang`` is accepted for the callers that name their edition.
    """
    import matplotlib
    import matplotlib.pyplot as plt
    from matplotlib import font_manager

    plt.style.use(STYLE_FILE)
    matplotlib.rcParams["svg.hashsalt"] = "carbonlib"
    known = {f.name for f in font_manager.fontManager.ttflist}
    for family, file in ((CJK_FAMILY, cjk_font_file), (FALLBACK_FAMILY, fallback_font_file)):
        if family not in known:
            font_manager.fontManager.addfont(str(file()))
    matplotlib.rcParams["font.family"] = house_families()
    # a bold request falls back to the regular CJK face: not worth a warning in every paper
    logging.getLogger("matplotlib.font_manager").setLevel(logging.ERROR)

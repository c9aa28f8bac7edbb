"""The EU ETS calendar: trading phases and the years of Phase 3, defined once.

Every topic module takes its phases and Phase 3 years from here.

References
----------
001_b0950b57165db085.txt, 第三階段(2013-2020); 001, 表1 (the phases, whose Phase 3 is printed as
2012-2020: a printing error, checked in :func:`carbonlib.leakage.phase_checks`).
"""

from __future__ import annotations

import numpy as np

from carbonlib.errors import InputError

#: EU ETS trading phases: number, label, first and last calendar year (``None``: still open).
PHASES = (
    (1, "Phase 1 (2005–2007)", 2005, 2007),
    (2, "Phase 2 (2008–2012)", 2008, 2012),
    (3, "Phase 3 (2013–2020)", 2013, 2020),
    (4, "Phase 4 (2021–)", 2021, None),
)
#: Label of each phase by its number.
PHASE_LABELS = {n: label for n, label, _, _ in PHASES}
#: First and last year of the phases the reports discuss, keyed as in their tables (``phase1`` …).
PHASE_YEARS = {f"phase{n}": (first, last) for n, _, first, last in PHASES if last is not None}
#: The years of Phase 3.
PHASE3_FIRST, PHASE3_LAST = PHASE_YEARS["phase3"]
PHASE3_YEARS = tuple(range(PHASE3_FIRST, PHASE3_LAST + 1))


def check_phase3_years(years, name: str = "years") -> np.ndarray:
    """Years as an integer array; InputError if one lies outside Phase 3 (2013-2020).

    Parameters
    ----------
    years : int or sequence of int
        Calendar years.
    name : str
        Name of the input, used in the error message.

    Returns
    -------
    numpy.ndarray
        The years (int).

    Raises
    ------
    InputError
        ``"years: year 2021 outside Phase 3 (2013-2020)"``.

    References
    ----------
    001_b0950b57165db085.txt, 第三階段(2013-2020).

    Examples
    --------
    >>> check_phase3_years([2013, 2020]).tolist()
    [2013, 2020]
    """
    arr = np.atleast_1d(np.asarray(years)).ravel()
    if arr.size and not np.issubdtype(arr.dtype, np.integer):
        if not np.all(np.mod(arr.astype(float), 1) == 0):
            raise InputError(f"{name}: years must be whole numbers, got {arr.tolist()}")
    arr = arr.astype(int)
    bad = arr[(arr < PHASE3_FIRST) | (arr > PHASE3_LAST)]
    if bad.size:
        raise InputError(f"{name}: year {int(bad[0])} outside Phase 3 ({PHASE3_FIRST}-{PHASE3_LAST})")
    return arr

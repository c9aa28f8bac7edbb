"""Checks of user-supplied tables and values shared by the calculation modules.

Every check raises :class:`carbonlib.errors.InputError` with a message that names the input and
the problem, so a bad table never ends in a traceback from deep inside pandas or NumPy.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from .errors import InputError


def require_columns(df: pd.DataFrame, columns, name: str) -> None:
    """Raise :class:`InputError` unless ``df`` is a DataFrame holding every one of ``columns``.

    Examples
    --------
    >>> require_columns(pd.DataFrame({"a": [1]}), ["a", "b"], "sim")
    Traceback (most recent call last):
    ...
    carbonlib.errors.InputError: sim: missing columns ['b']
    """
    if not isinstance(df, pd.DataFrame):
        raise InputError(f"{name}: expected a pandas DataFrame, got {type(df).__name__}")
    missing = [c for c in columns if c not in df.columns]
    if missing:
        raise InputError(f"{name}: missing columns {missing}")


def numbers(df: pd.DataFrame, column: str, key: str | None, what: str) -> np.ndarray:
    """``df[column]`` as floats (missing cells NaN); InputError naming a cell that is not a number.

    Parameters
    ----------
    df : pandas.DataFrame
        A user's table.
    column : str
        The column to read.
    key : str or None
        Column identifying a row in the message (``None``: the row number).
    what : str
        What a row is, for the message (``"member state"``, ``"sub-installation"`` …).

    Examples
    --------
    >>> numbers(pd.DataFrame({"ms": ["AT"], "x": ["1.5"]}), "x", "ms", "member state").tolist()
    [1.5]
    >>> numbers(pd.DataFrame({"ms": ["AT"], "x": ["n/a"]}), "x", "ms", "member state")
    Traceback (most recent call last):
    ...
    carbonlib.errors.InputError: x: 'n/a' for member state 'AT' is not a number
    """
    values = pd.to_numeric(df[column], errors="coerce").to_numpy(dtype=float, na_value=np.nan)
    bad = np.flatnonzero(np.isnan(values) & df[column].notna().to_numpy())
    if bad.size:
        i = int(bad[0])
        k = df[key].iloc[i] if key is not None else None
        k = k.item() if hasattr(k, "item") else k  # numpy scalar: plain repr
        where = f" for {what} {k!r}" if key is not None else f" in row {i + 1}"
        raise InputError(f"{column}: {df[column].iloc[i]!r}{where} is not a number")
    return values


def percent(value, name: str) -> float:
    """A percentage as a float; InputError if it is not finite or lies outside [0, 100].

    Examples
    --------
    >>> percent(88, "split_emissions_pct")
    88.0
    >>> percent(120, "start_pct")
    Traceback (most recent call last):
    ...
    carbonlib.errors.InputError: start_pct: 120.0 % outside [0, 100]
    """
    v = float(value)
    if not np.isfinite(v) or not 0 <= v <= 100:
        raise InputError(f"{name}: {v} % outside [0, 100]")
    return v

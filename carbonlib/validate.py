"""Checks of user-supplied tables and values shared by the calculation modules.

User tables are checked in one place, against the same schemas as ``data/``. A topic function
that takes a table (member states, sub-installations, sectors ...) starts with one call of
:func:`table`, which checks the DataFrame against a Frictionless table schema: the schema of the
data-package resource the table stands for (``data/datapackage.json``, the one
:func:`carbonlib.datasets.load` checks the files in ``data/`` against), or a small schema of the
topic module where the input is not a resource. It checks columns, types, the constraints
``required``, ``minimum``, ``maximum``, ``enum`` and ``unique``, and the primary key, and returns
a typed copy to compute with. :func:`percent` checks a single percentage.

Every check raises :class:`carbonlib.errors.InputError` with a message that names the input, the
column, the row (its key value, or its 1-based number) and the value, such as
``"member_states.x: 'n/a' for member state 'AT' is not a number"``, so a bad table never ends
in a traceback from deep inside pandas or NumPy.

References
----------
Frictionless Table Schema, https://specs.frictionlessdata.io/table-schema/

Examples
--------
>>> import pandas as pd
>>> ms = pd.DataFrame({"member_state": ["AT"], "emissions_2005_mtco2e": ["-1"]})
>>> table(ms, "effort_member_states", "member_states",
...       columns=["member_state", "emissions_2005_mtco2e"])
Traceback (most recent call last):
...
carbonlib.errors.InputError: member_states.emissions_2005_mtco2e: value -1.0 for member state 'AT' is below the minimum 0
"""

from __future__ import annotations

import numbers
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd
from pandas.api.types import (
    is_bool_dtype,
    is_datetime64_any_dtype,
    is_integer_dtype,
    is_numeric_dtype,
    is_string_dtype,
)

from .errors import InputError


def coverage_frame(rows: Mapping[str, tuple[bool, str]]) -> pd.DataFrame:
    """What an input supports, section by section: the frame ``Run.section`` reads.

    Parameters
    ----------
    rows : mapping
        ``{section: (supported, note)}``, the note one English sentence per line (``""`` for none).

    Returns
    -------
    pandas.DataFrame
        Indexed by ``section``: ``supported`` (bool) and ``note`` (str), in the order of ``rows``.

    Examples
    --------
    >>> c = coverage_frame({"chart": (False, "No data.")})
    >>> bool(c.loc["chart", "supported"]), c.loc["chart", "note"]
    (False, 'No data.')
    """
    return pd.DataFrame({"supported": [bool(v[0]) for v in rows.values()], "note": [v[1] for v in rows.values()]},
                        index=pd.Index(list(rows), name="section"))


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


def table(
    df: pd.DataFrame,
    schema: Mapping[str, Any] | str,
    name: str,
    key: str | Sequence[str] | None = None,
    *,
    what: str | Sequence[str] | None = None,
    columns: Sequence[str] | None = None,
    optional: Iterable[str] = (),
    constraints: Mapping[str, Mapping[str, Any]] | None = None,
    primary_key: bool = True,
    extra: bool = True,
) -> pd.DataFrame:
    """Check a user's table against a Frictionless table schema; return a typed copy.

    The same schemas as the data package's: ``schema`` is a resource's ``schema`` (or the
    resource's name), or a small schema of a topic module when a function's input is not a
    resource. Checked, in this order: ``df`` is a DataFrame with a column per checked field
    (other columns are kept, unless ``extra=False``); each cell has its field's type
    (``number`` and ``integer`` cells convertible to numbers, ``boolean`` cells true/false,
    ``date`` cells dates; ``string`` cells are not converted); the field's constraints
    ``required``, ``minimum``, ``maximum``, ``enum``; the primary key and ``unique`` fields
    hold no value twice. A cell that is NaN, None or one of the schema's ``missingValues``
    (default ``[""]``) is missing.

    Parameters
    ----------
    df : pandas.DataFrame
        The user's table.
    schema : dict or str
        Table schema (``fields``, optional ``missingValues`` and ``primaryKey``), or the name
        of a resource of ``data/datapackage.json`` whose schema to use.
    name : str
        Name of the input, first word of every message (``"member_states"``).
    key : str or sequence of str, optional
        Column(s) naming a row in messages (``for member state 'AT'``). Default: the schema's
        primary key when it is among the checked columns and present; otherwise, and for a
        problem in a key column, the 1-based row number (``in row 3``).
    what : str or sequence of str, optional
        What each key column names, for messages (default: the column name, ``_`` as a
        space, so ``member_state`` reads ``member state``).
    columns : sequence of str, optional
        The fields to check (default: all fields of the schema); fields not listed are
        ignored, and so is the primary key unless all its fields are listed.
    optional : iterable of str
        Listed fields that may be absent from ``df`` (checked when present).
    constraints : mapping, optional
        Field name to the constraints to use instead of the schema's for that field (for a
        function whose parameters widen or narrow what the data package allows).
    primary_key : bool, default True
        Whether rows must differ in the primary key (False: it only names rows in messages,
        for a function that accepts a key twice).
    extra : bool, default True
        Whether ``df`` may hold columns that are not checked fields.

    Returns
    -------
    pandas.DataFrame
        A copy of ``df`` (same index, column order and unchecked columns) whose checked
        columns are typed: ``number`` as float64 (missing: NaN), ``integer`` as int64
        (``Int64`` when a cell is missing), ``boolean`` as bool (``boolean`` when a cell is
        missing), ``date`` as datetime64; ``string`` columns unchanged.

    Raises
    ------
    InputError
        Naming the input, the column, the row (key value or row number) and the value:
        ``"member_states.x: 'n/a' for member state 'AT' is not a number"``.

    Examples
    --------
    >>> schema = {"fields": [{"name": "ms", "type": "string", "constraints": {"required": True}},
    ...                      {"name": "x", "type": "number", "constraints": {"minimum": 0}}],
    ...           "primaryKey": ["ms"]}
    >>> table(pd.DataFrame({"ms": ["AT", "BE"], "x": ["1.5", 2]}), schema, "sim")["x"].tolist()
    [1.5, 2.0]
    >>> table(pd.DataFrame({"ms": ["AT"], "x": ["n/a"]}), schema, "sim", what="member state")
    Traceback (most recent call last):
    ...
    carbonlib.errors.InputError: sim.x: 'n/a' for member state 'AT' is not a number
    >>> table(pd.DataFrame({"ms": ["AT"], "x": [-1]}), schema, "sim")
    Traceback (most recent call last):
    ...
    carbonlib.errors.InputError: sim.x: value -1.0 for ms 'AT' is below the minimum 0
    """
    if isinstance(schema, str):
        from . import datasets  # the loader locates the data package; a schema dict needs no file

        schema = datasets.resource(schema).get("schema", {})
    fields = {f["name"]: f for f in schema.get("fields", [])}
    checked = list(fields) if columns is None else list(columns)
    optional = set(optional)
    constraints = dict(constraints or {})
    unknown = [c for c in [*checked, *optional, *constraints] if c not in fields]
    if unknown:
        raise ValueError(f"{name}: the schema has no field(s) {unknown}")
    require_columns(df, [c for c in checked if c not in optional], name)
    present = [c for c in checked if c in df.columns]
    doubled = sorted({str(c) for c in df.columns[df.columns.duplicated()] if c in present})
    if doubled:
        raise InputError(f"{name}: column(s) {doubled} appear more than once")
    if not extra:
        unexpected = [c for c in df.columns if c not in checked]
        if unexpected:
            raise InputError(f"{name}: unexpected columns {unexpected}")
    tokens = [t for t in schema.get("missingValues", [""]) if isinstance(t, str)]
    pk = schema.get("primaryKey") or []
    pk = [pk] if isinstance(pk, str) else list(pk)
    if not all(c in present for c in pk):
        pk = []
    keys = list(pk) if key is None else [key] if isinstance(key, str) else list(key)
    labels = _labels(keys, what)
    out = df.copy()

    def row(i: int, column: str | None = None) -> str:
        """``for <what> <key value>`` of row ``i``, or ``in row <i + 1>``."""
        if keys and column not in keys and all(k in out.columns for k in keys):
            values = [out[k].iloc[i] for k in keys]
            if not any(_is_missing(v) for v in values):
                return "for " + ", ".join(f"{labels[k]} {_show(v)}" for k, v in zip(keys, values, strict=True))
        return f"in row {i + 1}"

    # key columns first, so that a message about another column can name its row by key
    for col in [c for c in keys if c in present] + [c for c in present if c not in keys]:
        field = fields[col]
        cons = constraints.get(col, field.get("constraints") or {})
        given = df[col]
        typed = _check_column(given, field.get("type", "string"), cons, tokens,
                              lambda i, c=col: row(i, c), f"{name}.{col}")
        if typed is not given:
            out[col] = typed
    for cols in [pk if primary_key else []] + [[c] for c in present if [c] != pk
                        and constraints.get(c, fields[c].get("constraints") or {}).get("unique")]:
        if cols:
            _check_unique(out, cols, name, {c: labels.get(c, _label(c)) for c in cols})
    return out


def _labels(keys: list[str], what) -> dict[str, str]:
    if what is None or not keys:  # no key (e.g. an optional key column absent): row numbers
        return {k: _label(k) for k in keys}
    whats = [what] if isinstance(what, str) else list(what)
    if len(whats) != len(keys):
        raise ValueError(f"what: {len(whats)} label(s) for {len(keys)} key column(s) {keys}")
    return dict(zip(keys, whats, strict=True))


def _label(column) -> str:
    return str(column).replace("_", " ")


def _is_missing(value) -> bool:
    try:
        return bool(pd.isna(value))
    except (TypeError, ValueError):  # a list or an array in a cell is not missing
        return False


def _show(value) -> str:
    """A cell for a message: numbers and text as Python shows them, dates as ISO text."""
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, pd.Timestamp):
        return repr(value.date().isoformat() if value == value.normalize() else value.isoformat())
    return repr(value)


def _missing_mask(s: pd.Series, tokens: list[str]) -> np.ndarray:
    """Cells that are NaN, None, NA or a missing-value token."""
    missing = s.isna().to_numpy()
    if tokens and (s.dtype == object or is_string_dtype(s.dtype)):
        values = s.to_numpy(dtype=object)
        try:
            for token in tokens:  # a few tokens: comparisons are faster than hashing
                missing = missing | np.asarray(values == token, dtype=bool)
        except (TypeError, ValueError):  # cells that do not compare with text (arrays)
            missing = s.isna().to_numpy() | np.array([isinstance(v, str) and v in tokens for v in values],
                                                     dtype=bool)
    return missing


def _to_float(value) -> float:
    """A cell as a float; NaN when it is not a real number or a text that reads as one."""
    if isinstance(value, numbers.Real):
        return float(value)
    if isinstance(value, str):
        return _as_floats(pd.Series([value], dtype=object))[0]
    return np.nan


def _as_floats(values: pd.Series) -> np.ndarray:
    """Cells as floats, NaN where a cell is not a number (as :func:`pandas.to_numeric` reads text)."""
    try:
        converted = pd.to_numeric(values, errors="coerce")
        if converted.dtype.kind not in "fiub":  # complex numbers, or objects it kept
            raise TypeError
        return converted.to_numpy(dtype=float, na_value=np.nan)
    except (TypeError, ValueError):
        return np.array([_to_float(v) for v in values], dtype=float)


def _to_bool(value):
    """A cell as True or False; None when it is not a boolean."""
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, bool | int | float | str):
        return _BOOLEANS.get(value)
    return None


#: cells read as booleans (the data package's tokens; 1 and 0 also as numbers)
_BOOLEANS: dict[Any, bool] = {
    **dict.fromkeys(("true", "True", "TRUE", "1", "yes", "Yes", True), True),
    **dict.fromkeys(("false", "False", "FALSE", "0", "no", "No", False), False),
}


def _check_column(s: pd.Series, ftype: str, cons: Mapping[str, Any], tokens: list[str],
                  row: Callable[[int], str], label: str) -> pd.Series:
    """One column typed and checked against its field's type and constraints."""
    if ftype == "string":
        if not {"required", "enum"} & set(cons):
            return s  # nothing to convert or check
        allowed = cons.get("enum")
        if allowed is not None and not any(_is_missing(a) or a in tokens for a in allowed):
            try:
                if (pd.Index(list(dict.fromkeys(allowed))).get_indexer(s) >= 0).all():
                    return s  # every cell one of the values: none is missing either
            except TypeError:  # unhashable cells: checked below
                pass
    missing = _missing_mask(s, tokens)
    numeric = None  # float view of a number, integer or date column, for minimum/maximum
    if ftype in ("number", "integer", "year"):
        if is_numeric_dtype(s.dtype):
            numeric = s.to_numpy(dtype=float, na_value=np.nan)
        else:
            numeric = _as_floats(pd.Series(s.to_numpy(dtype=object), dtype=object).where(~missing))
        bad = np.isnan(numeric) & ~missing
        whole = "number"
        if ftype != "number" and not bad.any():
            with np.errstate(invalid="ignore"):
                bad = ~missing & ~((np.mod(numeric, 1) == 0) & (np.abs(numeric) < 2**63))
            whole = "integer"
        if bad.any():
            i = int(np.flatnonzero(bad)[0])
            article = "an" if whole == "integer" else "a"
            raise InputError(f"{label}: {_show(s.iloc[i])} {row(i)} is not {article} {whole}")
        missing = np.isnan(numeric)
        if ftype == "number":
            typed = pd.Series(numeric, index=s.index, name=s.name)
        elif is_integer_dtype(s.dtype):  # exact, even beyond 2**53
            typed = s.astype("Int64" if missing.any() else "int64")
        elif missing.any():
            ints = pd.arrays.IntegerArray(np.where(missing, 0, numeric).astype(np.int64), missing)
            typed = pd.Series(ints, index=s.index, name=s.name)
        else:
            typed = pd.Series(numeric.astype(np.int64), index=s.index, name=s.name)
    elif ftype == "boolean":
        flags = np.zeros(len(s), dtype=bool)
        if is_bool_dtype(s.dtype):
            flags[~missing] = s.to_numpy(dtype=object)[~missing].astype(bool)
        else:
            given = np.flatnonzero(~missing)
            read = [_to_bool(v) for v in s.to_numpy(dtype=object)[given]]
            unread = [i for i, f in zip(given, read, strict=True) if f is None]
            if unread:
                i = int(unread[0])
                raise InputError(f"{label}: {_show(s.iloc[i])} {row(i)} is not a boolean")
            flags[given] = np.array(read, dtype=bool)
        data = pd.arrays.BooleanArray(flags, missing.copy()) if missing.any() else flags
        typed = pd.Series(data, index=s.index, name=s.name)
    elif ftype == "date":
        if is_datetime64_any_dtype(s.dtype):
            typed = s.copy()
        else:
            try:
                typed = pd.to_datetime(s.where(~missing), errors="coerce")
            except (TypeError, ValueError):
                typed = pd.Series(pd.NaT, index=s.index, name=s.name)
            bad = typed.isna().to_numpy() & ~missing
            if bad.any():
                i = int(np.flatnonzero(bad)[0])
                raise InputError(f"{label}: {_show(s.iloc[i])} {row(i)} is not a date")
        numeric = typed.to_numpy(dtype="datetime64[ns]")
    else:  # string (and any other type): not converted
        typed = s
    if cons.get("required") and missing.any():
        i = int(np.flatnonzero(missing)[0])
        raise InputError(f"{label}: missing value {row(i)}")
    if numeric is not None:
        for bound, word in (("minimum", "below"), ("maximum", "above")):
            if bound not in cons:
                continue
            limit = pd.Timestamp(cons[bound]).to_datetime64() if ftype == "date" else cons[bound]
            outside = ~missing & ((numeric < limit) if bound == "minimum" else (numeric > limit))
            if outside.any():
                i = int(np.flatnonzero(outside)[0])
                raise InputError(f"{label}: value {_show(typed.iloc[i])} {row(i)} is {word} the "
                                 f"{bound} {cons[bound]}")
    if "enum" in cons:
        allowed = list(cons["enum"])
        try:
            known = typed.isin(allowed).to_numpy()
        except TypeError:  # unhashable cells
            known = np.array([v in allowed for v in typed.to_numpy(dtype=object)])
        outside = ~missing & ~known
        if outside.any():
            i = int(np.flatnonzero(outside)[0])
            raise InputError(f"{label}: {_show(typed.iloc[i])} {row(i)} is not one of {allowed}")
    return typed


def _check_unique(df: pd.DataFrame, cols: list[str], name: str, labels: dict[str, str]) -> None:
    """InputError naming the first value of ``cols`` that two rows share (missing cells ignored)."""
    part = df[cols]
    try:
        if not (part[cols[0]] if len(cols) == 1 else part).duplicated().any():
            return
    except TypeError:  # unhashable cells: compare their text
        part = part.astype(str)
    dup = part.duplicated(keep=False).to_numpy()
    dup = dup & ~np.column_stack([_missing_mask(df[c], []) for c in cols]).any(axis=1)
    if not dup.any():
        return
    rows = np.flatnonzero(dup)
    first = tuple(part.iloc[rows[0]])
    second = next(j for j in rows[1:] if tuple(part.iloc[j]) == first)
    values = [df[c].iloc[rows[0]] for c in cols]
    what = ", ".join(f"{labels[c]} {_show(v)}" for c, v in zip(cols, values, strict=True))
    raise InputError(f"{name}: {what} appears twice (rows {rows[0] + 1} and {second + 1})")


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

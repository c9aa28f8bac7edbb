"""Load the project's data as validated pandas objects.

Every table transcribed from the reports, and every illustrative input, is a resource of the
Frictionless Data Package ``data/datapackage.json``. :func:`load` reads a resource, checks it
against its schema (columns, types, missing-value tokens, constraints, primary key) and returns a
:class:`pandas.DataFrame`. A problem raises :class:`~carbonlib.errors.DataError` naming the file,
the line and the column.

This is the one module of the calculation library that knows where files are: the data
package sits in ``data/`` beside the package (an editable install, as ``make`` makes);
:func:`set_root` points it elsewhere. Every file a loader reads is hashed and reported to the
callbacks registered with :func:`on_read` (the workbench records them in each run's manifest);
the library itself keeps no other state.

References
----------
Frictionless Table Schema, https://specs.frictionlessdata.io/table-schema/
"""

from __future__ import annotations

import csv
import hashlib
import json
import math
import unicodedata
from collections.abc import Callable
from functools import lru_cache
from pathlib import Path
from typing import Any

import pandas as pd

from .errors import DataError

#: The project folder whose ``data/`` the loaders read (see :func:`set_root`).
ROOT: Path = Path(__file__).resolve().parent.parent
_listeners: list[Callable[[Path, str], None]] = []
_hashes: dict[tuple[str, int, int], str] = {}


def set_root(root: str | Path) -> None:
    """Read the data package from ``<root>/data/`` (for an installation outside the checkout)."""
    global ROOT
    ROOT = Path(root).resolve()


def data_dir() -> Path:
    """The data package's folder, ``<root>/data``."""
    return ROOT / "data"


def on_read(callback: Callable[[Path, str], None]) -> None:
    """Call ``callback(path, sha256)`` for every file a loader reads from now on (once each)."""
    if callback not in _listeners:
        _listeners.append(callback)


def sha256_file(path: str | Path) -> str:
    """Hex SHA-256 of a file's bytes (cached on path, size and modification time)."""
    p = Path(path)
    st = p.stat()
    key = (str(p.resolve()), st.st_size, st.st_mtime_ns)
    if key not in _hashes:
        h = hashlib.sha256()
        with p.open("rb") as fh:
            for chunk in iter(lambda: fh.read(1 << 20), b""):
                h.update(chunk)
        _hashes[key] = h.hexdigest()
    return _hashes[key]


def record_read(path: str | Path) -> str:
    """Hash a file a loader has read, tell the :func:`on_read` callbacks, return the hash."""
    digest = sha256_file(path)
    for callback in _listeners:
        callback(Path(path), digest)
    return digest


def display_path(path: str | Path) -> str:
    """A path relative to the project folder where possible, else absolute."""
    p = Path(path).resolve()
    try:
        return p.relative_to(ROOT).as_posix()
    except ValueError:
        return p.as_posix()

_TRUE = {"true", "True", "TRUE", "1", "yes", "Yes"}
_FALSE = {"false", "False", "FALSE", "0", "no", "No"}


@lru_cache(maxsize=4)
def _read_package(path: str, mtime_ns: int) -> dict[str, Any]:
    try:
        return json.loads(Path(path).read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise DataError(f"{path}: data package descriptor not found") from exc
    except json.JSONDecodeError as exc:
        raise DataError(f"{path}, line {exc.lineno}: not valid JSON ({exc.msg})") from exc


def package(path: str | Path | None = None) -> dict[str, Any]:
    """The data package descriptor (``data/datapackage.json``) as a dictionary."""
    p = Path(path) if path else data_dir() / "datapackage.json"
    mtime = p.stat().st_mtime_ns if p.exists() else 0
    return _read_package(str(p), mtime)


def names() -> list[str]:
    """Names of all resources in the data package."""
    return [r["name"] for r in package()["resources"]]


def resource(name: str) -> dict[str, Any]:
    """The descriptor of resource ``name``.

    Raises
    ------
    DataError
        If the package has no resource of that name (the message lists the known ones).
    """
    for res in package()["resources"]:
        if res["name"] == name:
            return res
    known = ", ".join(sorted(names()))
    raise DataError(f"no dataset named {name!r} in datapackage.json; known datasets: {known}")


def source_line(res: dict[str, Any]) -> str:
    """A one-line citation of a resource, e.g. ``000_318ba4d3771c8f90.txt, 表1``."""
    src = res.get("x_source") or {}
    parts = [src.get("file"), src.get("table") or src.get("figure")]
    line = ", ".join(str(p) for p in parts if p)
    if not line and res.get("sources"):
        line = res["sources"][0].get("title", "")
    if res.get("x_illustrative"):
        line = (line + "; " if line else "") + "illustrative, not observed"
    return line


def load(name: str, path: str | Path | None = None) -> pd.DataFrame:
    """Load and validate a dataset of the data package.

    Parameters
    ----------
    name : str
        Resource name in ``data/datapackage.json`` (see :func:`names`).
    path : str or Path, optional
        Read this file instead of the resource's own, validated against the same schema
        (for tables the user may replace, such as member-state inputs). The table's
        ``source`` is then the file itself (its path), not the resource's citation.

    Returns
    -------
    pandas.DataFrame
        One column per schema field, typed (``integer`` columns with missing cells become
        ``Int64``, ``date`` columns ``datetime64``). ``df.attrs`` holds ``resource``,
        ``source`` (a citation line, or the path of a file given as ``path``), ``path`` and
        ``sha256``.

    Raises
    ------
    DataError
        Unknown name, missing file, wrong header, no data rows, a cell that does not parse or
        breaks a constraint (the schema's, or the loader's ``x_constraints``: see
        :func:`read_validated`), a duplicate primary key or a foreign key not found; the
        message names file, line and column.

    Examples
    --------
    >>> from carbonlib import datasets
    >>> isinstance(datasets.names(), list)
    True
    """
    res = resource(name)
    own = data_dir() / res["path"]
    file = Path(path) if path is not None else own
    df = read_validated(file, res.get("schema", {}), references=_reference)
    digest = record_read(file)
    given = path is not None and file.resolve() != own.resolve()
    df.attrs.update(
        {"resource": name, "source": display_path(file) if given else source_line(res),
         "path": display_path(file), "sha256": digest, "title": res.get("title", name)}
    )
    return df


def provided_resource(name: str) -> dict[str, Any]:
    """The descriptor of a provided table (``data/provided/<name>.json``).

    Provided tables are data the project may read but never commits (they stay beside the
    clone, in ``../shared/data``); their descriptors, with the schema, licence and
    attribution, are committed and are not part of the data package.

    Raises
    ------
    DataError
        If there is no such descriptor (the message lists the known ones).
    """
    file = data_dir() / "provided" / f"{name}.json"
    if not file.is_file():
        known = ", ".join(sorted(p.stem for p in (data_dir() / "provided").glob("*.json")))
        raise DataError(f"no provided table named {name!r}; known: {known or 'none'}")
    return json.loads(file.read_text(encoding="utf-8"))


def load_provided(name: str, path: str | Path) -> pd.DataFrame:
    """Load and validate a provided table read by path (see :func:`provided_resource`).

    Returns
    -------
    pandas.DataFrame
        As :func:`load`; ``df.attrs["source"]`` is the descriptor's citation (the publisher),
        ``df.attrs["path"]`` the file read, whose hash the run records with its inputs.

    Raises
    ------
    DataError
        As :func:`load`: the message names file, line and column.
    """
    res = provided_resource(name)
    file = Path(path)
    df = read_validated(file, res.get("schema", {}), references=_reference)
    digest = record_read(file)
    df.attrs.update({"resource": name, "source": source_line(res),
                     "path": display_path(file), "sha256": digest, "title": res.get("title", name)})
    return df


def _reference(name: str) -> pd.DataFrame:
    """The resource a foreign key or an ``x_constraints`` reference names (its own file)."""
    return load(name)


def _fail(file: Path, line: int | None, column: str | None, problem: str) -> DataError:
    where = [display_path(file)]
    if line is not None:
        where.append(f"line {line}")
    if column is not None:
        where.append(f"column {column!r}")
    return DataError(", ".join(where) + ": " + problem)


def read_validated(file: str | Path, schema: dict[str, Any],
                   references: Callable[[str], pd.DataFrame] | None = None) -> pd.DataFrame:
    """Read a CSV file and validate it against a Frictionless table schema.

    Checked, in this order: the file is UTF-8 CSV with the schema's header and at least one
    data row; each cell has its field's type and meets its ``constraints`` (``required``,
    ``minimum``, ``maximum``, ``enum``, ``unique``); the ``primaryKey`` holds no value twice;
    every ``foreignKeys`` value (all of its fields given) is a row of the referenced resource;
    and each field's ``x_constraints``, the checks of this loader beyond Table Schema v1 (the
    ``frictionless`` tool ignores them):

    ``exclusiveMinimum`` : number
        Every value is above it (as in Table Schema v2).
    ``notAllZero`` : true
        At least one row has a value other than zero (a column of weights to divide by), unless
        the column is empty in every row.
    ``requiredIf`` : {field: [values]}
        The cell is required in the rows whose ``field`` holds one of the values.
    ``sameWithin`` : [fields]
        The value is the same on every row with the same values of ``fields``.
    ``coverWithin`` : {"key": [fields], "ranges": [[low, high], ...]}
        For every value of ``key``, some row has a value in each range (inclusive).
    ``zeroUnless`` : {"field": name, "reference": {"resource": name, "field": name}}
        The value is zero unless the row's ``field`` is a value of the referenced resource's field.

    Two field properties shape the header: ``x_optional: true`` lets a file leave the column
    out (its values are then missing), and ``x_formerly: [names]`` lists the column's earlier
    names, so that a file written for an earlier layout is told which column to rename.

    Parameters
    ----------
    file : str or Path
        CSV file with a header row.
    schema : dict
        Table schema (``fields``, optional ``missingValues``, ``primaryKey``, ``foreignKeys``).
    references : callable, optional
        ``references(resource_name)`` returns a referenced resource's table; required when
        the schema has a foreign key or a ``zeroUnless`` reference (:func:`load` passes it).

    Returns
    -------
    pandas.DataFrame
        The typed table.

    Raises
    ------
    DataError
        Naming the file, the line and the column, and the problem.
    """
    file = Path(file)
    if not file.exists():
        raise _fail(file, None, None, "file not found")
    rows: list[list[str]] = []
    line = 1  # where the record being read starts
    try:
        with file.open(encoding="utf-8-sig", newline="") as fh:
            reader = csv.reader(fh, strict=True)
            for row in reader:
                rows.append(row)
                line = reader.line_num + 1
    except UnicodeDecodeError as exc:
        raise _fail(file, None, None, f"not UTF-8 text ({exc.reason} at byte {exc.start})") from exc
    except csv.Error as exc:
        hint = "; a quote opened here is never closed" if "end of data" in str(exc) else ""
        raise _fail(file, line, None, f"not valid CSV ({exc}{hint})") from exc
    if not rows:
        raise _fail(file, None, None, "file is empty (no header row)")
    header, body = rows[0], rows[1:]
    fields = schema.get("fields", [])
    expected = [f["name"] for f in fields if f["name"] in header or not f.get("x_optional")]
    if expected and header != expected:
        missing = [c for c in expected if c not in header]
        extra = [c for c in header if c not in expected]
        detail = []
        for f in fields:  # a column renamed since: say so
            for old in f.get("x_formerly", []):
                if old in extra and f["name"] in missing:
                    detail.append(f"column {old!r} is now {f['name']!r}: {f.get('description', '')}")
                    missing.remove(f["name"])
                    extra.remove(old)
        units = {f["name"]: f["x_unit"] for f in fields
                 if f.get("x_unit") and f["x_unit"] != "1" and not f["x_unit"].startswith("see")}
        for got, want in zip(header, expected, strict=False):  # same quantity, another unit
            if (got in extra and want in missing and want in units
                    and got.split("_")[0] == want.split("_")[0]):
                detail.append(f"column {got!r} where {want!r} is expected: a different unit? "
                              f"The values must be in {units[want]} (units are part of column names)")
                missing.remove(want)
                extra.remove(got)
        if missing:
            detail.append(f"missing column(s) {missing}")
        if extra:
            detail.append(f"unexpected column(s) {extra}")
        if not detail:
            detail.append(f"columns in the wrong order; expected {expected}")
        raise _fail(file, 1, None, "; ".join(detail))
    if not body:
        raise _fail(file, None, None, "no data rows (the file has a header only)")
    for i, row in enumerate(body, start=2):
        if len(row) != len(header):
            if not row:
                raise _fail(file, i, None, "blank line inside the table")
            raise _fail(file, i, None, f"{len(row)} cells, header has {len(header)} (truncated or extra cells)")
    missing_tokens = set(schema.get("missingValues", [""]))
    columns: dict[str, pd.Series] = {}
    for field in fields or [{"name": h, "type": "string"} for h in header]:
        if field["name"] in header:
            j = header.index(field["name"])
            columns[field["name"]] = _convert(file, field, [r[j] for r in body], missing_tokens)
        else:  # an optional column the file leaves out: missing in every row
            columns[field["name"]] = _convert(file, field, [None] * len(body), missing_tokens | {None})
    df = pd.DataFrame(columns, index=pd.RangeIndex(len(body)))
    key = schema.get("primaryKey")
    if key:
        key = [key] if isinstance(key, str) else list(key)
        dup = df.duplicated(subset=key, keep=False)
        if dup.any():
            lines = [int(i) + 2 for i in df.index[dup]]
            values = [body[lines[0] - 2][header.index(k)] for k in key]
            raise _fail(file, lines[1], ", ".join(key),
                        f"duplicate primary key {values} (lines {lines})")
    for fk in schema.get("foreignKeys", []):
        _check_foreign_key(file, df, body, header, fk, references)
    for field in fields:
        for rule, arg in (field.get("x_constraints") or {}).items():
            if rule not in _X_CHECKS:
                raise DataError(f"field {field['name']!r}: unknown x_constraints rule {rule!r}; "
                                f"known: {sorted(_X_CHECKS)}")
            _X_CHECKS[rule](file, df, body, header, field["name"], arg, references)
    return df


def _names(value: str | list[str]) -> list[str]:
    return [value] if isinstance(value, str) else list(value)


def _reference_table(references: Callable[[str], pd.DataFrame] | None, resource: str) -> pd.DataFrame:
    if references is None:
        raise DataError(f"the schema refers to the resource {resource!r}, but no reference loader was given")
    return references(resource)


def _check_foreign_key(file: Path, df: pd.DataFrame, body: list[list[str]], header: list[str],
                       fk: dict[str, Any], references) -> None:
    """Every row whose foreign-key fields are all given names a row of the referenced resource."""
    fields, ref = _names(fk["fields"]), fk["reference"]
    ref_fields = _names(ref["fields"])
    table = _reference_table(references, ref["resource"])
    known = set(map(tuple, table[ref_fields].astype(object).to_numpy().tolist()))
    given = df[fields].notna().all(axis=1).to_numpy()
    for i in map(int, given.nonzero()[0]):
        value = tuple(df[fields].iloc[i])
        if value not in known:
            cells = ", ".join(repr(body[i][header.index(f)]) for f in fields)
            shown = ", ".join(str(v[0] if len(v) == 1 else v) for v in sorted(known, key=str))
            raise _fail(file, i + 2, ", ".join(fields),
                        f"{cells} is not a {', '.join(ref_fields)} of the resource {ref['resource']!r} "
                        f"(foreign key; one of: {shown})")


def _check_exclusive_minimum(file, df, body, header, name, limit, references) -> None:
    values = df[name].to_numpy(dtype=float, na_value=math.nan)
    for i, v in enumerate(values):
        if not math.isnan(v) and not v > limit:
            raise _fail(file, i + 2, name, f"value {body[i][header.index(name)]!r} is not above {limit} "
                                            "(exclusive minimum)")


def _check_not_all_zero(file, df, body, header, name, flag, references) -> None:
    given = df[name].dropna().to_numpy(dtype=float)
    if flag and given.size and not (given != 0).any():  # a column left empty is not all zero
        raise _fail(file, None, name, "every value is zero; at least one row needs a value other than 0")


def _check_required_if(file, df, body, header, name, condition, references) -> None:
    for other, values in condition.items():
        rows = df[other].isin(list(values)).to_numpy() & df[name].isna().to_numpy()
        if rows.any():
            i = int(rows.nonzero()[0][0])
            raise _fail(file, i + 2, name, f"required value is missing ({other} is "
                                            f"{body[i][header.index(other)]!r})")


def _group_lines(df: pd.DataFrame, key: list[str]) -> dict[tuple, list[int]]:
    """Row indices of each value of ``key`` (missing keys grouped as None), in file order."""
    groups: dict[tuple, list[int]] = {}
    for i, k in enumerate(df[key].astype(object).where(df[key].notna(), None).itertuples(index=False, name=None)):
        groups.setdefault(k, []).append(i)
    return groups


def _show_key(key: list[str], value: tuple) -> str:
    return ", ".join(f"{k} {v!r}" for k, v in zip(key, value, strict=True))


def _check_same_within(file, df, body, header, name, key, references) -> None:
    key = _names(key)
    col = header.index(name)
    typed = df[name].astype(object).where(df[name].notna(), None).tolist()  # "true" and "True" agree
    for value, rows in _group_lines(df, key).items():
        first = body[rows[0]][col]
        for i in rows[1:]:
            if typed[i] != typed[rows[0]]:
                raise _fail(file, i + 2, name,
                            f"value {body[i][col]!r} differs from {first!r} on line {rows[0] + 2} for "
                            f"{_show_key(key, value)} (must be the same on every row of one {', '.join(key)})")


def _check_cover_within(file, df, body, header, name, rule, references) -> None:
    key, ranges = _names(rule["key"]), [tuple(r) for r in rule["ranges"]]
    values = df[name].to_numpy(dtype=float, na_value=math.nan)
    for value, rows in _group_lines(df, key).items():
        for low, high in ranges:
            if not any(low <= values[i] <= high for i in rows):
                spans = ", ".join(f"{a}-{b}" for a, b in ranges)
                raise _fail(file, rows[0] + 2, name,
                            f"no row for {_show_key(key, value)} has a {name} in {low}-{high} (lines "
                            f"{', '.join(str(i + 2) for i in rows)}); each {', '.join(key)} needs one in "
                            f"each of {spans}")


def _check_zero_unless(file, df, body, header, name, rule, references) -> None:
    other, ref = rule["field"], rule["reference"]
    allowed = set(_reference_table(references, ref["resource"])[ref["field"]].dropna())
    nonzero = df[name].fillna(0).to_numpy(dtype=float) != 0
    outside = nonzero & ~df[other].isin(allowed).to_numpy()
    if outside.any():
        i = int(outside.nonzero()[0][0])
        raise _fail(file, i + 2, name,
                    f"value {body[i][header.index(name)]!r} for {other} {body[i][header.index(other)]!r}: "
                    f"only a {other} of the resource {ref['resource']!r} ({', '.join(sorted(map(str, allowed)))}) "
                    "may have a value other than 0")


#: the loader's checks beyond Table Schema v1, by their key in a field's ``x_constraints``
_X_CHECKS: dict[str, Callable[..., None]] = {
    "exclusiveMinimum": _check_exclusive_minimum,
    "notAllZero": _check_not_all_zero,
    "requiredIf": _check_required_if,
    "sameWithin": _check_same_within,
    "coverWithin": _check_cover_within,
    "zeroUnless": _check_zero_unless,
}


def _convert(file: Path, field: dict[str, Any], raw: list[str], missing: set[str]) -> pd.Series:
    name, ftype = field["name"], field.get("type", "string")
    cons = field.get("constraints", {})
    values: list[Any] = []
    for i, cell in enumerate(raw, start=2):
        if cell in missing:
            if cons.get("required"):
                raise _fail(file, i, name, f"required value is missing (cell is {cell!r})")
            values.append(None)
            continue
        values.append(_parse(file, i, name, ftype, cell))
    for i, v in enumerate(values, start=2):
        if v is None:
            continue
        if "minimum" in cons and _lt(v, cons["minimum"], ftype):
            raise _fail(file, i, name, f"value {raw[i - 2]!r} is below the minimum {cons['minimum']}")
        if "maximum" in cons and _lt(cons["maximum"], v, ftype):
            raise _fail(file, i, name, f"value {raw[i - 2]!r} is above the maximum {cons['maximum']}")
        if "enum" in cons and v not in cons["enum"] and raw[i - 2] not in map(str, cons["enum"]):
            raise _fail(file, i, name, f"value {raw[i - 2]!r} is not one of {cons['enum']}")
    if cons.get("unique"):
        seen: dict[Any, int] = {}
        for i, v in enumerate(values, start=2):
            if v is None:
                continue
            if v in seen:
                raise _fail(file, i, name, f"value {raw[i - 2]!r} repeats line {seen[v]} (must be unique)")
            seen[v] = i
    has_na = any(v is None for v in values)
    if ftype == "integer":
        return pd.Series(values, dtype="Int64" if has_na else "int64", name=name)
    if ftype == "number":
        return pd.Series([math.nan if v is None else v for v in values], dtype="float64", name=name)
    if ftype == "boolean":
        return pd.Series(values, dtype="boolean" if has_na else "bool", name=name)
    if ftype == "date":
        return pd.Series(pd.to_datetime(values), name=name)
    if not is_quotation(name):
        values = [v if v is None else reader_form(v) for v in values]
    return pd.Series(values, dtype="object", name=name)


def is_quotation(field_name: str) -> bool:
    """Whether a field holds a quotation kept as printed (``quote_zh``, ``quote_en`` ...).

    Quotations keep every code point of the report, CJK compatibility ideographs included, so
    that they can be found in it; every other text field is a label and is read in
    :func:`reader_form`.
    """
    return field_name.startswith("quote")


def reader_form(text: str) -> str:
    """A label in the form shown to readers: Unicode NFC.

    NFC maps each CJK compatibility ideograph (U+F900-U+FAFF, U+2F800-U+2FA1F, e.g. U+F98E) to
    its unified ideograph (U+5E74 年) and, unlike NFKC, keeps full-width punctuation (，、（）)
    as printed.

    >>> reader_form("2013 \uf98e") == "2013 \u5e74"
    True
    >>> reader_form("（表1）")
    '（表1）'
    """
    return unicodedata.normalize("NFC", text)


def compatibility_code_points(text: str) -> list[str]:
    """The CJK compatibility ideographs and radicals in ``text``, as ``U+XXXX`` (in order).

    >>> compatibility_code_points("2013 \uf98e")
    ['U+F98E']
    """
    return [f"U+{ord(c):04X}" for c in text
            if unicodedata.name(c, "").startswith(("CJK COMPATIBILITY IDEOGRAPH", "KANGXI RADICAL",
                                                    "CJK RADICAL"))]


def _lt(a: Any, b: Any, ftype: str) -> bool:
    if ftype == "date":
        a, b = pd.Timestamp(a), pd.Timestamp(b)
    return a < b


def _parse(file: Path, line: int, name: str, ftype: str, cell: str) -> Any:
    try:
        if ftype == "integer":
            if cell.strip() != cell or not cell.lstrip("-").isdigit():
                raise ValueError
            return int(cell)
        if ftype == "number":
            if cell.strip() != cell or "," in cell:
                raise ValueError
            value = float(cell)
            if math.isnan(value):
                raise ValueError
            return value
        if ftype == "boolean":
            if cell in _TRUE:
                return True
            if cell in _FALSE:
                return False
            raise ValueError
        if ftype == "date":
            return pd.Timestamp.fromisoformat(cell).date().isoformat() if len(cell) == 10 else _bad()
        if ftype == "year":
            return int(cell)
        return cell
    except ValueError:
        article = "an" if ftype[0] in "aeiou" else "a"
        raise _fail(file, line, name, f"{cell!r} is not {article} {ftype}") from None


def _bad() -> Any:
    raise ValueError

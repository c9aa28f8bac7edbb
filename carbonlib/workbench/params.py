"""Notebook parameters: read the ``parameters`` cell, check what a user passes.

Each workbook declares its parameters in one cell tagged ``parameters``, one per line::

    lrf: float = 0.0174  # linear reduction factor, share of the base per year

:func:`declared` reads those lines (name, type, default, comment) without running anything;
:func:`validate` checks a set of values against them, so that an unknown name or a value of
the wrong type fails before any cell runs, with a message naming the parameter and what it
accepts. Named scenarios are YAML files under ``notebooks/params/<notebook>/``.
"""

from __future__ import annotations

import ast
import io
import json
import tokenize
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from carbonlib.errors import ParameterError

from . import paths
from .i18n import LANGS

_TYPES = {"int": int, "float": float, "str": str, "bool": bool, "list": list, "dict": dict}


@dataclass(frozen=True)
class Parameter:
    """One declared notebook parameter."""

    name: str
    type: str  # "int", "float", "str", "bool", "list", "dict", optionally with "|None"
    default: Any
    comment: str = ""

    @property
    def optional(self) -> bool:
        return self.type.endswith("|None")

    @property
    def base(self) -> str:
        return self.type.removesuffix("|None")

    def describe(self) -> str:
        kind = self.base + (" or None" if self.optional else "")
        text = f"{self.name} ({kind}, default {self.default!r})"
        return text + (f": {self.comment}" if self.comment else "")


def resolve_notebook(name: str | Path) -> Path:
    """Path of a workbook from its stem, a prefix like ``03`` or a path.

    Raises
    ------
    ParameterError
        If no workbook, or more than one, matches.
    """
    p = Path(name)
    if p.suffix == ".ipynb" and p.exists():
        return p.resolve()
    stem = p.stem if p.suffix == ".ipynb" else str(name)
    candidates = sorted(paths.notebooks_dir().glob("*.ipynb"))
    exact = [c for c in candidates if c.stem == stem]
    if exact:
        return exact[0]
    prefixed = [c for c in candidates if c.stem.startswith(stem)]
    if len(prefixed) == 1:
        return prefixed[0]
    known = ", ".join(c.stem for c in candidates)
    why = "is ambiguous" if prefixed else "matches no workbook"
    raise ParameterError(f"notebook {str(name)!r} {why}; workbooks: {known}")


def title(nb_path: str | Path, lang: str = "en") -> str:
    """The first level-1 markdown heading of a workbook in ``lang`` (its stem if it has none)."""
    from .translations import edition_cells

    path = resolve_notebook(nb_path)
    nb = json.loads(path.read_text(encoding="utf-8"))
    for cell in edition_cells(nb.get("cells", []), lang):
        if cell.get("cell_type") == "markdown":
            src = cell.get("source", "")
            for line in ("".join(src) if isinstance(src, list) else src).splitlines():
                if line.startswith("# "):
                    return line[2:].strip()
    return path.stem


def _parameters_source(nb_path: Path) -> str:
    nb = json.loads(Path(nb_path).read_text(encoding="utf-8"))
    for cell in nb.get("cells", []):
        if cell.get("cell_type") == "code" and "parameters" in cell.get("metadata", {}).get("tags", []):
            src = cell.get("source", "")
            return "".join(src) if isinstance(src, list) else src
    raise ParameterError(f"{nb_path.name}: no cell tagged 'parameters'")


def _type_name(node: ast.expr | None, default: Any) -> str:
    if node is None:
        if default is None:
            return "str|None"
        return type(default).__name__
    text = ast.unparse(node).replace(" ", "")
    text = text.replace("Optional[", "").rstrip("]") + ("|None" if text.startswith("Optional[") else "")
    if text.startswith("None|"):
        text = text[5:] + "|None"
    if text.removesuffix("|None") not in _TYPES:
        raise ParameterError(f"unsupported parameter type annotation {ast.unparse(node)!r}")
    return text


def declared(nb_path: str | Path) -> dict[str, Parameter]:
    """The parameters a workbook declares, in order.

    Parameters
    ----------
    nb_path : str or Path
        The workbook (``.ipynb``) or a name accepted by :func:`resolve_notebook`.

    Returns
    -------
    dict
        ``{name: Parameter}``.
    """
    return declared_from_source(_parameters_source(resolve_notebook(nb_path)))


def declared_from_source(source: str) -> dict[str, Parameter]:
    """The parameters declared by the source of a parameters cell (see :func:`declared`)."""
    comments: dict[int, str] = {}
    for tok in tokenize.generate_tokens(io.StringIO(source).readline):
        if tok.type == tokenize.COMMENT:
            comments[tok.start[0]] = tok.string.lstrip("#").strip()
    out: dict[str, Parameter] = {}
    for node in ast.parse(source).body:
        if isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name):
            target, annotation, value = node.target.id, node.annotation, node.value
        elif isinstance(node, ast.Assign) and len(node.targets) == 1 and isinstance(node.targets[0], ast.Name):
            target, annotation, value = node.targets[0].id, None, node.value
        else:
            continue
        default = ast.literal_eval(value) if value is not None else None
        out[target] = Parameter(target, _type_name(annotation, default), default, comments.get(node.lineno, ""))
    return out


#: Parameters shared by every workbook whose values are restricted to a fixed set.
CHOICES: dict[str, tuple[str, ...]] = {"lang": LANGS}
#: Command-line words for ``None``, the one value meaning "absent" (docs/CONVENTIONS.md).
NONE_WORDS = frozenset({"None", "none", "null"})


def _check_one(p: Parameter, value: Any, notebook: str) -> Any:
    if value is None and p.optional:
        return None
    base = p.base
    ok: bool
    if base == "float":
        ok = isinstance(value, int | float) and not isinstance(value, bool)
        value = float(value) if ok else value
    elif base == "int":
        ok = isinstance(value, int) and not isinstance(value, bool)
    else:
        ok = isinstance(value, _TYPES[base])
    if not ok:
        raise ParameterError(
            f"{notebook}: parameter {p.name!r} must be {base}"
            f"{' or None' if p.optional else ''}, got {type(value).__name__} {value!r}. "
            f"It accepts: {p.describe()}"
        )
    if p.name in CHOICES and value not in CHOICES[p.name]:
        raise ParameterError(
            f"{notebook}: parameter {p.name!r} must be one of {', '.join(CHOICES[p.name])}, got {value!r}"
        )
    return value


def coerce_text(p: Parameter, text: str) -> Any:
    """Parse a command-line value (``-p name value``) for parameter ``p``."""
    if p.optional and text in NONE_WORDS:
        return None
    if p.base == "str":
        return text
    try:
        return yaml.safe_load(text)
    except yaml.YAMLError:
        return text


def validate(nb_path: str | Path, values: dict[str, Any]) -> dict[str, Any]:
    """Check parameter values against a workbook's declarations.

    Parameters
    ----------
    nb_path : str or Path
        The workbook.
    values : dict
        Parameter values to pass (a subset of the declared ones).

    Returns
    -------
    dict
        The values, with ints given for float parameters converted to float.

    Raises
    ------
    ParameterError
        For an unknown name (the message lists the accepted ones) or a value of the wrong type.
    """
    path = resolve_notebook(nb_path)
    decl = declared(path)
    out = {}
    for name, value in values.items():
        if name not in decl:
            accepted = "; ".join(p.describe() for p in decl.values()) or "none"
            raise ParameterError(f"{path.stem}: unknown parameter {name!r}. It accepts: {accepted}")
        out[name] = _check_one(decl[name], value, path.stem)
    return out


def check_namespace(notebook: str, namespace: dict[str, Any]) -> dict[str, Any]:
    """Type-check the declared parameters as they stand in a running notebook's namespace.

    Used by :func:`carbonlib.start` so that plain ``papermill -p`` runs are checked too.
    Returns ``{name: value}`` of the declared parameters.
    """
    decl = declared(notebook)
    return {name: _check_one(p, namespace.get(name, p.default), notebook) for name, p in decl.items()}


def scenarios(notebook: str | Path) -> dict[str, Path]:
    """Named scenarios of a workbook: ``{name: yaml path}``."""
    stem = resolve_notebook(notebook).stem
    folder = paths.params_dir() / stem
    return {p.stem: p for p in sorted(folder.glob("*.yaml"))}


def match_scenario(notebook: str | Path, parameters: dict[str, Any]) -> str | None:
    """The named scenario whose values these parameters are (ignoring ``lang``), else ``None``.

    A run matches a scenario when every parameter the scenario sets has that value and every
    other declared parameter has its default, however the run was started (``build -f``,
    papermill with the YAML file, or JupyterLab).
    """
    nb = resolve_notebook(notebook)
    decl = declared(nb)
    full = {name: parameters.get(name, p.default) for name, p in decl.items() if name != "lang"}
    for name in scenarios(nb):
        values = load_scenario(nb, name)
        wanted = {n: values.get(n, p.default) for n, p in decl.items() if n != "lang"}
        if wanted == full:
            return name
    return None


def load_scenario(notebook: str | Path, name_or_path: str | Path) -> dict[str, Any]:
    """Parameter values of a named scenario (or of a YAML file given by path), validated.

    Raises
    ------
    ParameterError
        If the scenario is unknown (the message lists the named ones), the file is not a YAML
        mapping, or a value fails :func:`validate`.
    """
    nb = resolve_notebook(notebook)
    p = Path(name_or_path)
    if not p.exists():
        known = scenarios(nb)
        if str(name_or_path) not in known:
            listing = ", ".join(known) or "none"
            raise ParameterError(f"{nb.stem}: unknown scenario {str(name_or_path)!r}; named scenarios: {listing}")
        p = known[str(name_or_path)]
    try:
        data = yaml.safe_load(p.read_text(encoding="utf-8")) or {}
    except yaml.YAMLError as exc:
        def at(mark) -> str:
            return f" at line {mark.line + 1}, column {mark.column + 1}" if mark else ""

        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        context = getattr(exc, "context", None)
        started = f" ({context} that starts{at(exc.context_mark)})" if context else ""
        raise ParameterError(f"{p}: not valid YAML{at(getattr(exc, 'problem_mark', None))}: "
                             f"{problem}{started}") from None
    if not isinstance(data, dict):
        raise ParameterError(f"{p}: a scenario must be a mapping of parameter names to values")
    return validate(nb, data)

"""The Traditional Chinese text of a workbook, written beside its English (docs/CONVENTIONS.md,
"Two languages, one paragraph").

Every English Markdown cell of a workbook is followed by its Chinese twin: a Markdown cell whose
metadata reads ::

    {"lang": "zh-TW", "translation_of": "<id of the English cell>",
     "source_sha256": "<sha256 of the English text the Chinese was written from>"}

The English cell is the source of truth. The English edition shows the English cells, the
zh-TW edition shows each twin in its English cell's place (:func:`edition_cells`). Both carry
the same placeholders (:mod:`.prose`), so a computed sentence reads one recorded value in both
languages.

The description of each parameter (its comment in the parameters cell) has its Chinese in that
cell's metadata, ``{"translations": {"zh-TW": {name: {"text": …, "source_sha256": …}}}}``, and
shows in the zh-TW edition's "not the default" box.

:func:`problems` is the drift check: a paragraph in one language only, a twin out of place, or
an English text changed after its Chinese was last revised (its hash no longer matches). After
revising the Chinese, ``python -m carbonlib translations --stamp <notebook> <cell id>`` records
the English it now translates. QuantEcon's translation-sync checks are the model.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

from carbonlib.errors import InputError

#: The language of the twins; English is the source.
TWIN_LANG = "zh-TW"


def source_hash(text: str) -> str:
    """The sha256 of an English text, trailing spaces of each line and blank ends ignored.

    Examples
    --------
    >>> source_hash("a  \\nb\\n") == source_hash("a\\nb")
    True
    """
    normal = "\n".join(line.rstrip() for line in text.strip().splitlines())
    return hashlib.sha256(normal.encode("utf-8")).hexdigest()


def _source(cell) -> str:
    src = cell["source"]
    return "".join(src) if isinstance(src, list) else src


def is_twin(cell) -> bool:
    """Whether a cell is the Chinese twin of an English Markdown cell."""
    return cell["cell_type"] == "markdown" and cell.get("metadata", {}).get("lang") == TWIN_LANG


def _parameters_cell(cells):
    return next((c for c in cells if c["cell_type"] == "code"
                 and "parameters" in c.get("metadata", {}).get("tags", [])), None)


def problems(nb: dict[str, Any], name: str = "") -> list[str]:
    """Everything that keeps a workbook's two languages from matching, one sentence each.

    Parameters
    ----------
    nb : dict
        The notebook (``nbformat`` node or its JSON).
    name : str
        The workbook's name, for the messages.

    Returns
    -------
    list of str
        Empty when every English Markdown cell is followed by a twin written from its current
        text, every twin follows the cell it translates, and every documented parameter has a
        current Chinese description.
    """
    from . import params

    where = f"{name}: " if name else ""
    cells = nb["cells"]
    out: list[str] = []
    ids = {c.get("id"): i for i, c in enumerate(cells)}
    for i, cell in enumerate(cells):
        if cell["cell_type"] != "markdown":
            continue
        cid = cell.get("id")
        if is_twin(cell):
            meta = cell["metadata"]
            of = meta.get("translation_of")
            if of not in ids or cells[ids[of]]["cell_type"] != "markdown" or is_twin(cells[ids[of]]):
                out.append(f"{where}zh-TW cell {cid} translates {of!r}, which is not an English Markdown cell")
            elif ids[of] != i - 1:
                out.append(f"{where}zh-TW cell {cid} does not follow the English cell {of} it translates")
            elif meta.get("source_sha256") != source_hash(_source(cells[ids[of]])):
                out.append(f"{where}cell {of}: the English changed after its zh-TW twin {cid} was last revised; "
                           f"revise the Chinese, then run `python -m carbonlib translations --stamp {name or '<notebook>'} {of}`")
            continue
        if not _source(cell).strip():
            continue
        nxt = cells[i + 1] if i + 1 < len(cells) else None
        if not (nxt is not None and is_twin(nxt) and nxt["metadata"].get("translation_of") == cid):
            first = _source(cell).strip().splitlines()[0][:60]
            out.append(f"{where}cell {cid} ({first!r}) has no zh-TW twin after it")
    pcell = _parameters_cell(cells)
    if pcell is not None:
        given = pcell.get("metadata", {}).get("translations", {}).get(TWIN_LANG, {})
        for p in params.declared_from_source(_source(pcell)).values():
            if p.name in ("lang",) or not p.comment:
                continue
            entry = given.get(p.name)
            if entry is None:
                out.append(f"{where}parameter {p.name}: its description has no zh-TW text")
            elif entry.get("source_sha256") != source_hash(p.comment):
                out.append(f"{where}parameter {p.name}: its English description changed after the zh-TW text was "
                           f"last revised; revise it, then run `python -m carbonlib translations --stamp "
                           f"{name or '<notebook>'} {p.name}`")
    return out


def edition_cells(cells: list, lang: str = "en") -> list:
    """The cells one edition shows: English cells for ``"en"``, each replaced by its twin for zh-TW.

    A cell without a twin stays English (the drift check, :func:`problems`, reports it).
    """
    if lang != TWIN_LANG:
        return [c for c in cells if not is_twin(c)]
    twins = {c["metadata"].get("translation_of"): c for c in cells if is_twin(c)}
    return [twins.get(c.get("id"), c) for c in cells if not is_twin(c)]


def parameter_description(nb: dict[str, Any], name: str, lang: str, english: str) -> str:
    """A parameter's description in ``lang`` (its English comment when no translation is given)."""
    if lang != TWIN_LANG:
        return english
    pcell = _parameters_cell(nb["cells"])
    given = (pcell or {}).get("metadata", {}).get("translations", {}).get(TWIN_LANG, {})
    return (given.get(name) or {}).get("text") or english


# --------------------------------------------------------------------------- writing twins

def _read(path: Path) -> dict[str, Any]:
    return json.loads(path.read_text(encoding="utf-8"))


def _save(path: Path, nb: dict[str, Any]) -> None:
    import nbformat

    node = nbformat.from_dict(nb)
    nbformat.validate(node)
    text = nbformat.writes(node) + "\n"
    path.write_text(text, encoding="utf-8")


def _new_id(cells: list, base: str) -> str:
    taken = {c.get("id") for c in cells}
    for k in range(1000):
        cid = f"{base[:8]}-zh" if k == 0 else f"{base[:8]}-zh{k}"
        if cid not in taken:
            return cid
    raise InputError(f"no free cell id for the twin of {base}")  # pragma: no cover


def write(path: str | Path, texts: dict[str, str]) -> list[str]:
    """Insert or replace the zh-TW twins of English cells, stamped with their English's hash.

    Parameters
    ----------
    path : str or Path
        The workbook.
    texts : dict
        ``{English cell id: Chinese Markdown}``; a key that is a declared parameter's name sets
        that parameter's Chinese description instead.

    Returns
    -------
    list of str
        The cell ids and parameter names written.

    Raises
    ------
    InputError
        If a key names neither an English Markdown cell nor a documented parameter.
    """
    from . import params

    path = Path(path)
    nb = _read(path)
    cells = nb["cells"]
    pcell = _parameters_cell(cells)
    declared = params.declared_from_source(_source(pcell)) if pcell is not None else {}
    done = []
    for key, text in texts.items():
        index = next((i for i, c in enumerate(cells) if c.get("id") == key), None)
        if index is not None and cells[index]["cell_type"] == "markdown" and not is_twin(cells[index]):
            meta = {"lang": TWIN_LANG, "translation_of": key, "source_sha256": source_hash(_source(cells[index]))}
            lines = text.strip("\n").splitlines(keepends=True)
            nxt = cells[index + 1] if index + 1 < len(cells) else None
            if nxt is not None and is_twin(nxt) and nxt["metadata"].get("translation_of") == key:
                nxt["source"], nxt["metadata"] = lines, meta
            else:
                cells.insert(index + 1, {"cell_type": "markdown", "id": _new_id(cells, key),
                                         "metadata": meta, "source": lines})
        elif key in declared and declared[key].comment:
            store = pcell.setdefault("metadata", {}).setdefault("translations", {}).setdefault(TWIN_LANG, {})
            store[key] = {"text": text.strip(), "source_sha256": source_hash(declared[key].comment)}
        else:
            raise InputError(f"{path.name}: {key!r} is neither an English Markdown cell nor a documented parameter")
        done.append(key)
    _save(path, nb)
    return done


def stamp(path: str | Path, keys: list[str] | None = None) -> list[str]:
    """Record that the Chinese of ``keys`` (cell ids or parameter names; default: all) translates
    the current English. Use it after revising the Chinese, never instead of revising it."""
    from . import params

    path = Path(path)
    nb = _read(path)
    cells = nb["cells"]
    by_id = {c.get("id"): c for c in cells}
    pcell = _parameters_cell(cells)
    declared = params.declared_from_source(_source(pcell)) if pcell is not None else {}
    given = (pcell or {}).get("metadata", {}).get("translations", {}).get(TWIN_LANG, {})
    done = []
    for cell in cells:
        if is_twin(cell) and (keys is None or cell["metadata"].get("translation_of") in keys):
            english = by_id.get(cell["metadata"].get("translation_of"))
            if english is not None:
                cell["metadata"]["source_sha256"] = source_hash(_source(english))
                done.append(cell["metadata"]["translation_of"])
    for name, entry in given.items():
        if (keys is None or name in keys) and name in declared:
            entry["source_sha256"] = source_hash(declared[name].comment)
            done.append(name)
    missing = sorted(set(keys or []) - set(done))
    if missing:
        raise InputError(f"{path.name}: nothing to stamp for {', '.join(missing)} (no zh-TW twin or description)")
    _save(path, nb)
    return done


def run_cli(args) -> int:
    """``python -m carbonlib translations``: check, write (``--write NB FILE.json``) or stamp."""
    import sys

    from . import params

    try:
        if args.write:
            nb_path = params.resolve_notebook(args.write[0])
            texts = json.loads(Path(args.write[1]).read_text(encoding="utf-8"))
            print("\n".join(write(nb_path, texts)))
            return 0
        if args.stamp:
            nb_path = params.resolve_notebook(args.stamp[0])
            print("\n".join(stamp(nb_path, args.stamp[1:] or None)))
            return 0
    except (InputError, OSError, json.JSONDecodeError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    from . import paths

    found = []
    for nb_path in sorted((paths.ROOT / "notebooks").glob("*.ipynb")):
        found += problems(_read(nb_path), nb_path.stem)
    print("\n".join(found) if found else "every paragraph and parameter description has a current zh-TW twin")
    return 1 if found else 0


__all__ = ["TWIN_LANG", "edition_cells", "is_twin", "parameter_description", "problems", "source_hash",
           "stamp", "write"]

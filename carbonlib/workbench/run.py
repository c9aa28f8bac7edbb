"""A workbook run: checked parameters, and the tables and figures it writes.

In a notebook::

    import carbonlib as cl
    run = cl.start("03_eu_ets_cap_and_auctions", globals())
    run.table(report, "cap_published_vs_recomputed", caption="Table 1. …")
    run.figure(fig, "cap_paths", caption="Figure 1. …")

Tables go to ``<build>/tables/<notebook>/<name>.csv``, figures to
``<build>/figures/<notebook>/<name>.png`` and ``.svg``. When the build runner executes the
notebook they go to its stage folder first and are published only if the whole notebook
succeeds; it executes a workbook once and the run writes every edition it names
(``CARBONLIB_EDITIONS``), each under its own folder (``<build>/zh-TW/`` for Traditional
Chinese). Every file is written to a temporary name and renamed, so no reader ever sees half
of one.
"""

from __future__ import annotations

import json
import os
import re
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from carbonlib import datasets
from carbonlib.errors import InputError

from . import params, paths, provenance, render, style

_NAME = re.compile(r"^[a-z0-9][a-z0-9_\-]*$")
_UMASK = os.umask(0)
os.umask(_UMASK)


def atomic_write(path: Path, write) -> Path:
    """Call ``write(tmp_path)`` then rename the temporary file onto ``path``."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    os.close(fd)
    try:
        write(Path(tmp))
        os.chmod(tmp, 0o666 & ~_UMASK)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return path


@dataclass
class Run:
    """Outputs of one workbook run."""

    notebook: str
    parameters: dict[str, Any]
    outputs: list[dict[str, Any]] = field(default_factory=list)
    values: dict[str, Any] = field(default_factory=dict)
    lang: str = "en"
    #: The editions this run writes (its own ``lang`` first); the build asks for several at once.
    editions: list[str] = field(default_factory=list)
    #: Sections whose data the input lacks (or lacks in part), each with its note: ``section``,
    #: ``supported``, ``note`` (:meth:`section`).
    notes: list[dict[str, Any]] = field(default_factory=list)
    _edition_outputs: dict[str, list[dict[str, Any]]] = field(default_factory=dict, repr=False)

    def __post_init__(self) -> None:
        if not self.editions:
            self.editions = [self.lang]

    def roots(self) -> dict[str, Path]:
        """Output folder of every edition this run writes."""
        return {lang: paths.output_root(lang) for lang in self.editions}

    def _show(self, blocks: dict[str, str]) -> None:
        """Display this run's own edition of a block, with every edition's kept beside it."""
        render.display_html(blocks[self.lang], blocks if len(blocks) > 1 else None)

    def _check_name(self, name: str, kind: str) -> None:
        if not _NAME.match(name):
            raise InputError(f"{kind} name {name!r}: use lower-case letters, digits, '_' or '-'")
        if any(o["name"] == name and o["kind"] == kind for o in self.outputs):
            raise InputError(f"{kind} name {name!r} is used twice in {self.notebook}")

    def table(self, df, name: str, caption: str = "", source: str = "") -> None:
        """Write ``df`` as ``tables/<notebook>/<name>.csv`` and show it, numbered, in the paper.

        Parameters
        ----------
        df : pandas.DataFrame or Series
            The table (its index is written too when it is not a plain range).
        name : str
            File stem: lower-case letters, digits, ``_`` and ``-``.
        caption : str
            The caption in English (a leading "Table N." is dropped: the run numbers tables
            in the order they are shown).
        source : str
            The source line; by default the ``source`` of a loaded dataset (``df.attrs``),
            else "computed in this workbook".
        """
        import pandas as pd

        self._check_name(name, "table")
        frame = df.to_frame() if isinstance(df, pd.Series) else df
        index = not render.plain_index(frame.index)
        text = frame.to_csv(index=index, lineterminator="\n")  # one table, the same file in every edition
        targets = [root / "tables" / self.notebook / f"{name}.csv" for root in self.roots().values()]
        for target in targets:
            atomic_write(target, lambda tmp: tmp.write_text(text, encoding="utf-8"))
        caption, source = render.strip_number(caption), self._source(frame, source)
        number = self._record("table", name, caption, source, targets[:1])
        if "papers" in paths.run_outputs():
            self._show({lang: render.table_block(frame, name, number, caption, source, lang)
                        for lang in self.editions})

    def _source(self, frame, source: str) -> str:
        if source:
            return source
        attr = getattr(frame, "attrs", {}).get("source")
        return attr or f"computed in workbook {self.notebook} (inputs in the appendix)"

    def figure(self, fig, name: str, caption: str = "", source: str = "") -> None:
        """Save ``fig`` as PNG and SVG under ``figures/<notebook>/`` and show it, numbered.

        The figure is drawn once. Each edition saves its own copy, relabelled in its language
        (through the glossary, :func:`carbonlib.workbench.render.translate_figure`) and in its
        fonts (:func:`carbonlib.workbench.style.edition_rc`); every copy is taken before any is
        drawn, so an edition's files are the same whether it is built alone or with the others.
        The figure is closed afterwards, so it is not shown twice.
        """
        import copy

        import matplotlib
        import matplotlib.pyplot as plt

        self._check_name(name, "figure")
        caption = render.strip_number(caption)
        source = source or f"computed in workbook {self.notebook} (inputs in the appendix)"
        if "figures" not in paths.run_outputs():  # a sweep: the figure is neither drawn nor saved
            plt.close(fig)
            self._record("figure", name, caption, source, [])
            return
        copies = {lang: (copy.deepcopy(fig) if i < len(self.editions) - 1 else fig)
                  for i, lang in enumerate(self.editions)}
        blocks, written, texts = {}, {}, {}
        for lang, edition_fig in copies.items():
            folder = self.roots()[lang] / "figures" / self.notebook
            files = []
            with matplotlib.rc_context(style.edition_rc(lang)):
                render.translate_figure(edition_fig, lang)
                render.freeze_layout(edition_fig)  # one layout for the PNG and the SVG
                for ext, meta in (("png", {"Software": None}), ("svg", {"Date": None, "Creator": None})):
                    target = folder / f"{name}.{ext}"
                    atomic_write(target, lambda tmp, ext=ext, meta=meta, f=edition_fig:
                                 f.savefig(tmp, format=ext, metadata=meta))
                    files.append(target)
            written[lang] = files
            texts[lang] = render.figure_texts(edition_fig) if lang != "en" else None  # checked by the tests
            plt.close(edition_fig)
        number = self._record("figure", name, caption, source, written[self.lang], texts)
        for lang, files in written.items():
            blocks[lang] = render.figure_block(files[0].read_bytes(), name, number, caption, source, lang)
        self._show(blocks)

    #: How a caption names inputs from the project's illustrative table, and from a user's file.
    ILLUSTRATIVE = "illustrative, not observed"
    GIVEN = "from the user's table"
    PUBLISHED = "published values, each row naming its source"

    @staticmethod
    def inputs(file: str | None, default: str = ILLUSTRATIVE) -> str:
        """How a caption names the inputs of a table the user may replace.

        Parameters
        ----------
        file : str or None
            The workbook's ``*_file`` parameter: ``None`` for the project's own table.
        default : str
            What the project's own table is: :attr:`ILLUSTRATIVE` (the default) or
            :attr:`PUBLISHED` (values read from public documents, each row citing its own).

        Returns
        -------
        str
            ``default`` for the project's table, ``"from the user's table"`` for a file (whose
            path the source line names); all three in the glossary.

        Examples
        --------
        >>> Run.inputs(None), Run.inputs("my_states.csv")
        ('illustrative, not observed', "from the user's table")
        >>> Run.inputs(None, Run.PUBLISHED)
        'published values, each row naming its source'
        """
        return default if file is None else Run.GIVEN

    def section(self, coverage, key: str) -> bool:
        """Whether the input supports a section; its note, if it has one, is shown and recorded.

        Parameters
        ----------
        coverage : pandas.DataFrame
            Indexed by section, with ``supported`` (bool) and ``note`` (English sentences, one
            per line; ``""`` for none), e.g. :func:`carbonlib.prices.coverage`.
        key : str
            The section.

        Returns
        -------
        bool
            ``supported``: build the section's tables and figures only when it is true.

        Notes
        -----
        A note takes the place of what the input cannot support, in one sentence per line,
        translated for each edition through the glossary. It is listed, with the section and
        whether the rest of it was built, under ``notes`` in ``outputs/<notebook>.json``.
        """
        if key not in coverage.index:
            raise InputError(f"section {key!r}: the coverage table has {', '.join(map(str, coverage.index))}")
        supported, note = bool(coverage.loc[key, "supported"]), str(coverage.loc[key, "note"] or "")
        if note:
            self.notes.append({"section": key, "supported": supported, "note": note})
            self._write_outputs()
            if "papers" in paths.run_outputs():
                self._show({lang: render.note_block(note, lang) for lang in self.editions})
        return supported

    def price_history(self, price_file: str | None, fmt: str = "auto", roll: str | None = "auto"):
        """The EUA price history this run reads (``None`` when no file is named).

        The file is found by :func:`carbonlib.workbench.paths.resolve_price_file` (a path,
        ``"$CARBONLIB_EUA_PRICES"`` for the file that variable names, or ``None``), read by
        :func:`carbonlib.pricefiles.load_history`, and its hash recorded with the run.
        """
        from carbonlib import pricefiles

        return pricefiles.load_history(paths.resolve_price_file(price_file), fmt, roll)

    def provided_table(self, name: str, file: str | None, parameter: str):
        """A provided table this run reads by path (``None`` when no file is named).

        The file is found by :func:`carbonlib.workbench.paths.resolve_input_file` and read by
        :func:`carbonlib.datasets.load_provided` against the schema of ``data/provided/<name>.json``;
        its hash is recorded with the run. Workbook 08 reads the EEA's verified emissions so.
        """
        res = datasets.provided_resource(name)
        path = paths.resolve_input_file(file, parameter, res.get("x_file_label", "file"))
        return None if path is None else datasets.load_provided(name, path)

    def record(self, name: str, value: Any) -> Any:
        """Record a result in ``values/<notebook>.json``, for the prose and for parameter sweeps.

        A Markdown cell shows it as ``{{ name }}`` (:mod:`carbonlib.workbench.prose`); a sweep
        tabulates it. ``value`` is a number, a bool, a string (an identifier is shown by its
        label, other text through the glossary), ``None`` or a list of those; numpy scalars
        are converted.

        Raises
        ------
        InputError
            If ``name`` is not lower-case letters, digits, ``_`` and ``.``, or is a parameter's name.
        """
        if not re.match(r"^[a-z][a-z0-9_.]*$", name):
            raise InputError(f"value name {name!r}: use lower-case letters, digits, '_' and '.'")
        if name in self.parameters:
            raise InputError(f"value name {name!r} is a parameter of {self.notebook}: "
                             "Markdown reads parameters as they are, record another name")
        if hasattr(value, "item"):
            value = value.item()
        elif isinstance(value, list | tuple):
            value = [v.item() if hasattr(v, "item") else v for v in value]
        self.values[name] = value
        self._write_values()
        return value

    def record_each(self, values) -> Any:
        """Record every item of a Series (or mapping) under its own name, e.g. one value per quantile.

        Names with a ``.`` (``q2.5_surplus_mtco2e``) are tabulated by sweeps; a Markdown
        placeholder reads names of letters, digits and ``_`` only.
        """
        for name, value in dict(values).items():
            self.record(str(name), value)
        return values

    def reset_values(self) -> None:
        """Start this run's ``values/<notebook>.json`` empty."""
        self.values = {}
        self._write_values()

    def _write_values(self) -> None:
        text = json.dumps(self.values, indent=2, sort_keys=True, default=str, ensure_ascii=False) + "\n"
        for root in self.roots().values():
            atomic_write(root / "values" / f"{self.notebook}.json",
                         lambda tmp: tmp.write_text(text, encoding="utf-8"))

    def _record(self, kind: str, name: str, caption: str, source: str, files: list[Path],
                texts: dict[str, list[str] | None] | None = None) -> int:
        """Number an output and list it in each edition's ``outputs/<notebook>.json``."""
        number = 1 + sum(o["kind"] == kind for o in self.outputs)
        entry = {"kind": kind, "number": number, "name": name, "caption": caption,
                 "source": source, "files": [f.name for f in files]}
        self.outputs.append(entry)
        for lang in self.editions:
            edition_texts = (texts or {}).get(lang)
            listed = self._edition_outputs.setdefault(lang, [])
            listed.append({**entry, "texts": edition_texts} if edition_texts is not None else entry)
        self._write_outputs()
        return number

    def _write_outputs(self) -> None:
        """Write each edition's ``outputs/<notebook>.json``: parameters, outputs and notes."""
        for lang, root in self.roots().items():
            parameters = {**self.parameters, "lang": lang} if "lang" in self.parameters else self.parameters
            record = {"notebook": self.notebook, "parameters": parameters,
                      "outputs": self._edition_outputs.get(lang, [])}
            if self.notes:
                record["notes"] = self.notes
            text = json.dumps(record, indent=2, ensure_ascii=False, default=str) + "\n"
            atomic_write(root / "outputs" / f"{self.notebook}.json",
                         lambda tmp, text=text: tmp.write_text(text, encoding="utf-8"))


def start(notebook: str, namespace: dict[str, Any]) -> Run:
    """Begin a workbook run.

    Parameters
    ----------
    notebook : str
        The workbook's stem, e.g. ``"01_global_carbon_market"``.
    namespace : dict
        The notebook's ``globals()``, holding its parameters (defaults or injected).

    Returns
    -------
    Run
        The run, whose :meth:`Run.table` and :meth:`Run.figure` write the outputs.

    Raises
    ------
    ParameterError
        If a declared parameter holds a value of the wrong type.
    """
    values = params.check_namespace(notebook, namespace)
    for name, value in values.items():  # ints passed for float parameters become floats
        namespace[name] = value
    # the build names the editions to write (one execution, every edition); a run on its own
    # writes the edition of its ``lang`` parameter
    editions = paths.run_editions() or [values.get("lang", "en")]
    lang = values.get("lang", "en") if values.get("lang", "en") in editions else editions[0]
    if "lang" in values:
        namespace["lang"] = values["lang"] = lang
    style.apply(lang)
    from carbonlib import datasets

    if datasets.ROOT != paths.ROOT:  # an installation outside the checkout: read its data/
        datasets.set_root(paths.ROOT)
    provenance.begin_run()  # this run's inputs only, even in a worker that ran others before
    provenance.listen()  # the loaders report every file they read, for the manifest
    if paths.stage_dir() is None:  # JupyterLab or plain papermill: outputs go straight to build/
        from .build import record_interactive_run

        record_interactive_run(notebook, values, lang)
    run = Run(notebook=notebook, parameters=values, lang=lang, editions=[lang, *(e for e in editions if e != lang)])
    run.reset_values()  # a paper is filled from this run's values only, never from an earlier run's
    return run

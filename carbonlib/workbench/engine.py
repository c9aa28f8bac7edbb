"""Executing workbooks in a warm worker: the stack imported once, a fresh namespace per run.

A kernel started for every notebook spends most of a short run starting up and importing
pandas, matplotlib, statsmodels and carbonlib. The build and the sweeps instead execute
notebooks in long-lived worker processes (:func:`warm_up` imports the stack once per
process). :func:`execute_notebook` runs one notebook in the worker's own IPython shell:

- the parameters are injected as papermill injects them (a cell tagged
  ``injected-parameters`` after the cell tagged ``parameters``);
- every code cell runs in order through :meth:`IPython.core.interactiveshell.InteractiveShell.run_cell`,
  so tracebacks name ``Cell In[N], line M`` as in a kernel; its stream, display and result
  outputs are recorded in the cell, as nbclient records them;
- execution stops at the first error, which is recorded in the failing cell.

Nothing leaks from one run into the next: the shell's namespace, history and output cache are
reset, matplotlib's figures are closed and its settings restored to the defaults, the warning
filters and "already warned" registries are restored, and the working folder and the
environment variables a run sets are put back afterwards.
"""

from __future__ import annotations

import contextlib
import os
import sys
import threading
import time
import warnings
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

__all__ = ["Execution", "execute_notebook", "skip_iri_parser", "warm_up"]

#: The modules a worker imports once (the notebooks' own imports then cost nothing).
STACK = ("numpy", "pandas", "scipy.stats", "statsmodels.api", "statsmodels.tsa.arima.model",
         "matplotlib.pyplot", "nbformat", "papermill.iorw", "papermill.parameterize", "carbonlib", "carbonlib.figures",
         "carbonlib.workbench.run", "carbonlib.workbench.render", "carbonlib.workbench.prose")

#: What an IPython kernel reports of its language, recorded in every executed notebook.
_LANGUAGE_INFO = {
    "name": "python", "version": ".".join(map(str, sys.version_info[:3])), "mimetype": "text/x-python",
    "codemirror_mode": {"name": "ipython", "version": 3}, "pygments_lexer": "ipython3",
    "nbconvert_exporter": "python", "file_extension": ".py",
}

_shell = None
_warning_filters: list[Any] = []
#: One run at a time per process (a Dask worker may run tasks in several threads).
_RUNNING = threading.RLock()


@dataclass
class Execution:
    """The outcome of :func:`execute_notebook`.

    Attributes
    ----------
    notebook : nbformat.NotebookNode
        The executed notebook (parameters injected, outputs recorded).
    ok : bool
        Whether every cell ran without error.
    error : str
        ``"<exception name>: <message>"`` of the failing cell (empty when ``ok``).
    cell_index : int or None
        1-based number of the failing cell in the source notebook (the injected cell not
        counted), ``None`` when ``ok``.
    cells_s : float
        Time spent executing cells, seconds (the rest of a run is overhead).
    durations_s : list of float
        Time of each code cell executed, seconds, in order (the injected cell included).
    """

    notebook: Any
    ok: bool
    error: str = ""
    cell_index: int | None = None
    cells_s: float = 0.0
    durations_s: list[float] = field(default_factory=list)


class _Sink:
    """Where the outputs of the cell being executed go."""

    outputs: list[dict[str, Any]] | None = None

    @classmethod
    def add(cls, output: dict[str, Any]) -> None:
        if cls.outputs is not None:
            cls.outputs.append(output)

    @classmethod
    def stream(cls, name: str, text: str) -> None:
        if cls.outputs is None or not text:
            return
        last = cls.outputs[-1] if cls.outputs else None
        if last is not None and last.get("output_type") == "stream" and last.get("name") == name:
            last["text"] += text
        else:
            import nbformat

            cls.outputs.append(nbformat.v4.new_output("stream", name=name, text=text))


class _Stream:
    """``sys.stdout`` / ``sys.stderr`` while a cell runs: text becomes a stream output."""

    encoding = "utf-8"
    errors = "strict"

    def __init__(self, name: str) -> None:
        self.name = name

    def write(self, text: str) -> int:
        _Sink.stream(self.name, text)
        return len(text)

    def flush(self) -> None:
        pass

    def isatty(self) -> bool:
        return False

    def writable(self) -> bool:
        return True


def _shell_classes():
    from IPython.core.displayhook import DisplayHook
    from IPython.core.displaypub import DisplayPublisher
    from IPython.core.interactiveshell import InteractiveShell

    class Publisher(DisplayPublisher):
        def publish(self, data, metadata=None, source=None, *, transient=None, update=False, **kw):
            import nbformat

            _Sink.add(nbformat.v4.new_output("display_data", data=data, metadata=metadata or {}))

        def clear_output(self, wait=False):
            if _Sink.outputs is not None:
                _Sink.outputs.clear()

    class Hook(DisplayHook):
        def start_displayhook(self):
            pass

        def write_output_prompt(self):
            pass

        def write_format_data(self, format_dict, md_dict=None):
            import nbformat

            _Sink.add(nbformat.v4.new_output("execute_result", data=format_dict, metadata=md_dict or {},
                                             execution_count=self.prompt_count))

        def finish_displayhook(self):
            pass

    class Shell(InteractiveShell):
        displayhook_class = Hook
        display_pub_class = Publisher

        def _showtraceback(self, etype, evalue, stb):
            import nbformat

            _Sink.add(nbformat.v4.new_output("error", ename=getattr(etype, "__name__", str(etype)),
                                             evalue=str(evalue), traceback=list(stb)))

    return Shell


def warm_up() -> None:
    """Import the stack and create this process's shell (once; later calls do nothing)."""
    global _shell
    with _RUNNING:
        if _shell is None:
            _warm_up()


def skip_iri_parser() -> None:
    """Keep jsonschema (imported by nbformat) from building its IRI parser in this process.

    With ``rfc3987_syntax`` installed (a JupyterLab dependency), importing jsonschema builds a
    Lark grammar for the optional ``"iri"`` format check: 4.5 s per process, for a check that
    notebook validation never makes. Marked absent, jsonschema leaves that format unchecked.
    Called by the build's and the sweeps' processes only (not by JupyterLab's).
    """
    if "jsonschema" not in sys.modules:
        sys.modules.setdefault("rfc3987_syntax", None)


def _warm_up() -> None:
    global _shell
    skip_iri_parser()
    if "matplotlib" not in sys.modules:  # figures are saved, never shown: no GUI or inline backend
        os.environ["MPLBACKEND"] = "Agg"
    import importlib

    for name in STACK:
        importlib.import_module(name)
    from traitlets.config import Config

    config = Config()
    config.HistoryManager.enabled = False  # no sqlite file per worker
    shell_class = _shell_classes()
    saved = sys.stdout, sys.stderr, sys.displayhook, sys.excepthook
    main = sys.modules.get("__main__")
    _shell = shell_class.instance(config=config, colors="nocolor")
    sys.stdout, sys.stderr, _, sys.excepthook = saved  # the shell's displayhook stays installed
    if main is not None:
        # the shell puts its namespace module (no ``__spec__``) in place of ``__main__``; the
        # process's own is kept, so that it can still start processes by spawning
        sys.modules["__main__"] = main
    _warning_filters[:] = list(warnings.filters)


def _show_warning(message, category, filename, lineno, file=None, line=None) -> None:
    sys.stderr.write(warnings.formatwarning(message, category, filename, lineno, line))


def _reset() -> None:
    import matplotlib
    import matplotlib.pyplot as plt

    # what ``InteractiveShell.reset`` does, without its full garbage collection (0.4 s a run)
    history = _shell.history_manager
    history.output_hist.clear()
    history.input_hist_parsed[:] = [""]
    history.input_hist_raw[:] = [""]
    _shell.user_ns.clear()
    _shell.user_ns_hidden.clear()
    _shell.init_user_ns()
    _shell.execution_count = 1
    plt.close("all")
    matplotlib.rcdefaults()
    warnings.filters[:] = _warning_filters
    warnings._filters_mutated()  # forget which warnings were shown: a fresh run shows them again
    getattr(warnings, "onceregistry", {}).clear()
    warnings.showwarning = _show_warning  # to the cell's stderr, as in a kernel


def _inject(nb, parameters: dict[str, Any]):
    from papermill.parameterize import parameterize_notebook

    if not parameters:
        return nb
    language = nb.metadata.get("kernelspec", {}).get("language") or "python"
    return parameterize_notebook(nb, parameters, kernel_name="python3", language=language)


def execute_notebook(nb_path: str | Path, parameters: dict[str, Any], *, cwd: str | Path,
                     env: dict[str, str] | None = None) -> Execution:
    """Execute a notebook in this process's warm shell, in a fresh namespace.

    Parameters
    ----------
    nb_path : str or Path
        The notebook (``.ipynb``).
    parameters : dict
        Values injected after the ``parameters`` cell (papermill's injection).
    cwd : str or Path
        Working folder of the run (restored afterwards).
    env : dict, optional
        Environment variables set for the run (restored afterwards).

    Returns
    -------
    Execution
        The executed notebook and, for a failed run, the error and the failing cell.
    """
    with _RUNNING:
        return _execute(nb_path, parameters, cwd, env)


def _execute(nb_path: str | Path, parameters: dict[str, Any], cwd: str | Path, env: dict[str, str] | None) -> Execution:
    from papermill.iorw import load_notebook_node

    warm_up()
    nb = _inject(load_notebook_node(str(nb_path)), parameters)
    nb.metadata["language_info"] = _LANGUAGE_INFO  # as a kernel reports it (the papers' code highlighting)
    saved_env = {k: os.environ.get(k) for k in (env or {})}
    saved_cwd = os.getcwd()
    saved_streams = sys.stdout, sys.stderr
    result = Execution(notebook=nb, ok=True)
    stack = contextlib.ExitStack()
    try:
        os.environ.update(env or {})
        os.chdir(cwd)
        stack.enter_context(warnings.catch_warnings())  # the caller's warning settings come back after
        _reset()
        sys.stdout, sys.stderr = _Stream("stdout"), _Stream("stderr")
        for cell in nb.cells:
            if cell.cell_type != "code":
                continue
            cell.outputs = []
            _Sink.outputs = cell.outputs
            started = time.perf_counter()
            run = _shell.run_cell(cell.source, store_history=True)
            took = time.perf_counter() - started
            result.durations_s.append(round(took, 3))
            result.cells_s += took
            cell.execution_count = run.execution_count
            if not run.success:
                exc = run.error_in_exec or run.error_before_exec
                result.ok = False
                result.error = f"{type(exc).__name__}: {exc}"
                result.cell_index = _source_number(nb, cell)
                break
    finally:
        stack.close()
        _Sink.outputs = None
        sys.stdout, sys.stderr = saved_streams
        os.chdir(saved_cwd)
        for k, v in saved_env.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v
    if result.ok:
        _reset()  # free the run's objects before the worker waits for the next
    return result


def _source_number(nb, failing) -> int:
    """1-based number of ``failing`` among the source notebook's cells (the injected cell not counted)."""
    cells = [c for c in nb.cells if "injected-parameters" not in c.get("metadata", {}).get("tags", [])]
    return next(i for i, c in enumerate(cells, start=1) if c is failing)

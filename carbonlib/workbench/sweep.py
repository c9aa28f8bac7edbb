"""Run one workbook over a grid or a random sample of its parameters.

``python -m carbonlib sweep NOTEBOOK -f GRID [--name NAME] [-j JOBS] [--scheduler ADDRESS]``

A grid file is a YAML mapping::

    fixed:                     # optional: the same value in every run
      mc_draws: 20000
    grid:                      # Cartesian product of the listed values
      supply_sources: [cdm_ji, cdm_ji_gis, cdm_ji_aau]
      range_end: [low, central, high]
    sample:                    # n random draws (numpy, seeded), combined with every grid point
      n: 8
      seed: 1
      mc_seed: {low: 1, high: 100000}     # uniform; integers for an int parameter
      mc_distribution: [uniform, triangular]   # one of the listed values
    tables: [monte_carlo_summary]   # optional: tables to collect besides the recorded values,
                                    # or {table: [key columns]} to name the columns that identify a row
    quantities: [shortfall_probability]   # optional: recorded values to chart (default: all numeric)

Every run's parameters are checked with :func:`carbonlib.params.validate` before anything
runs. Each run executes the notebook in a temporary folder (``CARBONLIB_STAGE_DIR``), with no
HTML export, and returns the values it recorded (``run.record``) and the chosen tables. Runs go
to warm workers (:mod:`.engine`): processes on the local cores, or, with ``scheduler``, the
workers of a Dask distributed cluster (``distributed.Client(address)``; they need this project
installed and the notebook at the same path; one run at a time per worker process), each of
which imports the stack once and runs every parameter set in a fresh namespace.
``--engine papermill`` runs each in a new kernel instead (the cold way; same values and tables).

Outputs, under ``build/sweeps/<name>/`` (``<name>`` defaults to ``<notebook>-<grid stem>``):

``runs/<run id>.json``
    one finished run (its parameters, status, values, tables), written as soon as it finishes;
    the run id is a hash of its parameters. A rerun skips every run already finished with the
    same notebook and library, so an interrupted sweep resumes where it stopped.
``results.csv``
    the tidy table: one row per run and quantity (``run_id, status, <varied parameters>, table,
    row, quantity, value, error``); recorded values have an empty ``table``; a failed run has one
    row with its error.
``failures.csv``
    the failed runs: run id, parameters, failing cell and error (header only if none failed).
``failed/<run id>.ipynb``
    the executed copy of each failed run.
``chart.png``, ``chart.svg``
    each charted quantity against each varied parameter.
``sweep.json``
    what was run: notebook, grid, fixed parameters, counts, where and how long.
"""

from __future__ import annotations

import concurrent.futures as cf
import csv
import fcntl
import hashlib
import io
import itertools
import json
import multiprocessing
import os
import socket
import sys
import tempfile
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from carbonlib.errors import BuildError, ParameterError

from . import params, paths, provenance
from .run import _NAME, atomic_write

_KEYS = {"fixed", "grid", "sample", "tables", "quantities"}
_SAMPLE_KEYS = {"n", "seed"}


# --------------------------------------------------------------------------- the plan


@dataclass
class Plan:
    """What a sweep runs: the notebook, the parameter sets and what to collect.

    Attributes
    ----------
    notebook : Path
        The workbook.
    runs : list of dict
        The validated parameters of every run (fixed and varied), duplicates removed.
    varied : list of str
        Names of the parameters that vary (grid, then sample), in file order.
    fixed : dict
        Parameters held at one value.
    tables : dict
        Tables collected from every run besides its recorded values: ``{name: key columns}``
        (empty: the text columns and a ``year`` column identify a row).
    quantities : list of str
        Recorded values to chart (empty: every numeric one).
    duplicates : int
        Parameter sets drawn more than once (run once).
    """

    notebook: Path
    runs: list[dict[str, Any]]
    varied: list[str]
    fixed: dict[str, Any] = field(default_factory=dict)
    tables: dict[str, list[str]] = field(default_factory=dict)
    quantities: list[str] = field(default_factory=list)
    duplicates: int = 0


def run_id(parameters: dict[str, Any]) -> str:
    """Identifier of a run: the first 16 hex digits of the SHA-256 of its parameters (JSON)."""
    blob = json.dumps(parameters, sort_keys=True, default=str, separators=(",", ":"))
    return hashlib.sha256(blob.encode()).hexdigest()[:16]


def find_grid(notebook: str | Path, name_or_path: str | Path) -> Path:
    """The grid file: a path, or a name under ``notebooks/params/<notebook>/sweeps/``.

    Raises
    ------
    ParameterError
        If neither exists (the message lists the named grids).
    """
    p = Path(name_or_path)
    if p.is_file():
        return p
    nb = params.resolve_notebook(notebook)
    folder = nb.parent / "params" / nb.stem / "sweeps"
    named = {g.stem: g for g in sorted(folder.glob("*.yaml"))}
    if str(name_or_path) in named:
        return named[str(name_or_path)]
    listing = ", ".join(named) or "none"
    raise ParameterError(f"grid file {str(name_or_path)!r} not found; named grids of {nb.stem}: {listing}")


def _sample_values(src: str, name: str, spec: Any, decl: params.Parameter, n: int, rng) -> list[Any]:
    if isinstance(spec, list):
        if not spec:
            raise ParameterError(f"{src}: sample.{name}: an empty list of values")
        return [spec[int(i)] for i in rng.integers(0, len(spec), size=n)]
    if not isinstance(spec, dict) or set(spec) != {"low", "high"}:
        raise ParameterError(f"{src}: sample.{name}: give a list of values or a mapping {{low, high}}, got {spec!r}")
    low, high = spec["low"], spec["high"]
    if decl.base not in {"int", "float"}:
        raise ParameterError(f"{src}: sample.{name}: low/high needs an int or float parameter, "
                             f"{name} is {decl.base}; give a list of values instead")
    for bound, value in (("low", low), ("high", high)):
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise ParameterError(f"{src}: sample.{name}.{bound}: must be a number, got {value!r}")
    if low > high:
        raise ParameterError(f"{src}: sample.{name}: low {low!r} is above high {high!r}")
    if decl.base == "int":
        if low != int(low) or high != int(high):
            raise ParameterError(f"{src}: sample.{name}: {name} is int, so low and high must be whole numbers")
        return [int(v) for v in rng.integers(int(low), int(high), size=n, endpoint=True)]
    return [float(v) for v in rng.uniform(low, high, size=n)]


def load_plan(notebook: str | Path, grid_file: str | Path) -> Plan:
    """Read a grid file and expand it into validated runs, before anything runs.

    Parameters
    ----------
    notebook : str or Path
        The workbook (stem, prefix such as ``02``, or path).
    grid_file : str or Path
        A YAML grid file, or the name of one under ``notebooks/params/<notebook>/sweeps/``.

    Returns
    -------
    Plan
        The runs: the Cartesian product of ``grid`` combined with each of the ``sample.n``
        draws, on top of ``fixed``.

    Raises
    ------
    ParameterError
        The file is missing or not a mapping, has an unknown key, gives no ``grid`` and no
        ``sample``, names a parameter twice or one the notebook does not declare, or a value of
        the wrong type (the message names the file, the key and the problem).
    """
    import numpy as np

    nb = params.resolve_notebook(notebook)
    path = find_grid(nb, grid_file)
    src = str(path)
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        raise ParameterError(f"{src}: not valid YAML ({exc})") from None
    if not isinstance(data, dict):
        raise ParameterError(f"{src}: a grid file must be a mapping with 'grid' and/or 'sample'")
    unknown = set(data) - _KEYS
    if unknown:
        raise ParameterError(f"{src}: unknown key(s) {', '.join(sorted(map(str, unknown)))}; "
                             f"a grid file takes {', '.join(sorted(_KEYS))}")
    grid, sample = data.get("grid") or {}, data.get("sample") or {}
    fixed = data.get("fixed") or {}
    for key, value in (("grid", grid), ("sample", sample), ("fixed", fixed)):
        if not isinstance(value, dict):
            raise ParameterError(f"{src}: '{key}' must be a mapping of parameter names, got {value!r}")
    if not grid and not sample:
        raise ParameterError(f"{src}: nothing varies; give 'grid' (parameter -> list) and/or 'sample'")
    decl = params.declared(nb)
    sample_params = {k: v for k, v in sample.items() if k not in _SAMPLE_KEYS}
    seen: dict[str, str] = {}
    for key, names in (("fixed", fixed), ("grid", grid), ("sample", sample_params)):
        for name in names:
            if name in seen:
                raise ParameterError(f"{src}: parameter {name!r} is given in both '{seen[name]}' and '{key}'")
            seen[name] = key
            if name not in decl:
                _validate_one(nb, src, f"{key}.{name}", name, None)  # raises the unknown-parameter error
    for name, values in grid.items():
        if not isinstance(values, list) or not values:
            raise ParameterError(f"{src}: grid.{name}: must be a non-empty list of values, got {values!r}"
                                 " (use 'fixed' for a single value)")
        for v in values:
            _validate_one(nb, src, f"grid.{name}", name, v)
    fixed = {name: _validate_one(nb, src, f"fixed.{name}", name, v) for name, v in fixed.items()}

    draws: list[dict[str, Any]] = [{}]
    if sample:
        n, seed = sample.get("n"), sample.get("seed", 0)
        if isinstance(n, bool) or not isinstance(n, int) or n < 1:
            raise ParameterError(f"{src}: sample.n: the number of draws must be a positive integer, got {n!r}")
        if isinstance(seed, bool) or not isinstance(seed, int) or seed < 0:
            raise ParameterError(f"{src}: sample.seed: must be a non-negative integer, got {seed!r}")
        if not sample_params:
            raise ParameterError(f"{src}: sample: no parameter to draw (besides n and seed)")
        rng = np.random.default_rng(seed)
        columns = {name: _sample_values(src, name, spec, decl[name], n, rng) for name, spec in sample_params.items()}
        draws = [{name: columns[name][i] for name in columns} for i in range(n)]
        for name, spec in sample_params.items():
            if isinstance(spec, list):
                for v in spec:
                    _validate_one(nb, src, f"sample.{name}", name, v)

    runs, ids = [], set()
    names = list(grid)
    for combo in itertools.product(*(grid[name] for name in names)):
        for draw in draws:
            values = {**fixed, **dict(zip(names, combo, strict=True)), **draw}
            checked = params.validate(nb, values)
            rid = run_id(checked)
            if rid not in ids:
                ids.add(rid)
                runs.append(checked)
    total = len(draws) * int(np.prod([len(v) for v in grid.values()])) if grid else len(draws)

    tables = _tables(src, data.get("tables"))
    quantities = _name_list(src, "quantities", data.get("quantities"))
    return Plan(notebook=nb, runs=runs, varied=names + list(sample_params), fixed=fixed, tables=tables,
                quantities=quantities, duplicates=total - len(runs))


def _validate_one(nb: Path, src: str, where: str, name: str, value: Any) -> Any:
    try:
        return params.validate(nb, {name: value})[name]
    except ParameterError as exc:
        raise ParameterError(f"{src}: {where}: {exc}") from None


def _name_list(src: str, key: str, value: Any) -> list[str]:
    if value is None:
        return []
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ParameterError(f"{src}: '{key}' must be a list of names, got {value!r}")
    return list(value)


def _tables(src: str, value: Any) -> dict[str, list[str]]:
    if value is None:
        return {}
    if isinstance(value, list):
        value = {name: [] for name in _name_list(src, "tables", value)}
    if not isinstance(value, dict):
        raise ParameterError(f"{src}: 'tables' must be a list of table names or a mapping "
                             f"table -> key columns, got {value!r}")
    out = {}
    for name, keys in value.items():
        if not isinstance(name, str) or not _NAME.match(name):
            raise ParameterError(f"{src}: tables: {name!r} is not a table name (lower-case letters, digits, '_', '-')")
        out[name] = _name_list(src, f"tables.{name}", keys)
    return out


# --------------------------------------------------------------------------- one run


#: How a sweep executes its runs: in warm workers (the default) or one papermill kernel per run.
ENGINES = ("warm", "papermill")


def _execute_warm(nb: Path, parameters: dict[str, Any], env: dict[str, str], out_nb: Path) -> dict[str, Any]:
    """One run in this worker's warm shell (:mod:`.engine`); the error fields if it failed."""
    import nbformat

    from . import engine
    from .build import _failing_cell

    run = engine.execute_notebook(nb, parameters, cwd=nb.parent, env=env)
    if run.ok:
        return {"cells_s": round(run.cells_s, 3)}
    nbformat.write(run.notebook, str(out_nb))
    index, first = _failing_cell(out_nb)
    return {"error": run.error, "cell_index": index, "cell_source": first}


def _execute_papermill(nb: Path, parameters: dict[str, Any], env: dict[str, str], out_nb: Path) -> dict[str, Any]:
    """One run in its own papermill kernel (the cold way); the error fields if it failed."""
    import papermill as pm

    from .build import _failing_cell, kernel_manager_class

    log = out_nb.parent / "kernel.log"
    env = {**env, "MPLBACKEND": "Agg", "PATH": os.path.dirname(sys.executable) + os.pathsep + os.environ.get("PATH", "")}
    try:
        pm.execute_notebook(str(nb), str(out_nb), parameters=parameters, kernel_name="python3",
                            progress_bar=False, log_output=False,
                            kernel_manager_class=kernel_manager_class(env, str(nb.parent), log))
    except pm.PapermillExecutionError as exc:
        index, first = _failing_cell(out_nb)
        return {"error": f"{exc.ename}: {exc.evalue}", "cell_index": index, "cell_source": first}
    except Exception as exc:  # kernel died, notebook unreadable…
        tail = log.read_text(encoding="utf-8", errors="replace").strip().splitlines()[-5:] if log.exists() else []
        return {"error": f"{type(exc).__name__}: {exc}" + ("\n" + "\n".join(tail) if tail else ""),
                "cell_index": None, "cell_source": ""}
    return {}


def run_one(task: dict[str, Any]) -> dict[str, Any]:
    """Execute one run of a sweep (in a worker process, local or on a Dask worker).

    Parameters
    ----------
    task : dict
        ``notebook`` (path), ``parameters`` (dict), ``tables`` (``{name: key columns}``),
        ``run_id`` and optionally ``engine`` (one of :data:`ENGINES`, default ``"warm"``: the
        worker's warm shell, a fresh namespace per run; ``"papermill"``: a new kernel).

    Returns
    -------
    dict
        ``run_id``, ``parameters``, ``status`` (``"ok"`` or ``"failed"``), ``values`` (what the
        run recorded), ``tables`` (``{name: CSV text}``), ``duration_s``, ``host``, ``pid`` and,
        for a failed run, ``error``, ``cell_index``, ``cell_source`` and ``executed`` (the
        executed notebook as JSON text); a warm run also gives ``cells_s``, the time its cells
        took (the rest of ``duration_s`` is the run's overhead).
    """
    from .build import edition_stage

    nb = Path(task["notebook"])
    result: dict[str, Any] = {"run_id": task["run_id"], "parameters": task["parameters"], "status": "failed",
                              "values": {}, "tables": {}, "host": socket.gethostname(), "pid": os.getpid()}
    execute = _execute_papermill if task.get("engine") == "papermill" else _execute_warm
    started = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="carbonlib-sweep-") as tmp:
        tmp_path = Path(tmp)
        stage = tmp_path / "stage"
        env = {"CARBONLIB_STAGE_DIR": str(stage), "CARBONLIB_BUILD_DIR": str(tmp_path / "build"),
               "CARBONLIB_NOTEBOOKS_DIR": str(nb.parent)}
        if execute is _execute_warm:  # what a sweep collects, and nothing it does not
            env["CARBONLIB_OUTPUTS"] = "values,tables"
        out_nb = tmp_path / "executed.ipynb"
        outcome = execute(nb, task["parameters"], env, out_nb)
        result.update(outcome)
        if "error" not in outcome:
            folder = edition_stage(stage, task["parameters"].get("lang", "en"))
            values_file = folder / "values" / f"{nb.stem}.json"
            if values_file.exists():
                result["values"] = json.loads(values_file.read_text(encoding="utf-8"))
            problems = []
            for name, keys in task["tables"].items():
                table = folder / "tables" / nb.stem / f"{name}.csv"
                if not table.exists():
                    written = sorted(p.stem for p in (folder / "tables" / nb.stem).glob("*.csv"))
                    problems.append(f"table {name!r} not written by {nb.stem}; it writes: {', '.join(written) or 'none'}")
                    continue
                text = table.read_text(encoding="utf-8")
                header = next(csv.reader(io.StringIO(text)), [])
                absent = [k for k in keys if k not in header]
                if absent:
                    problems.append(f"table {name!r} has no key column(s) {', '.join(absent)}; "
                                    f"its columns: {', '.join(header)}")
                result["tables"][name] = text
            if problems:
                result.update(error="; ".join(problems), cell_index=None, cell_source="")
            else:
                result["status"] = "ok"
        if result["status"] != "ok" and out_nb.exists():
            result["executed"] = out_nb.read_text(encoding="utf-8")
    result["duration_s"] = round(time.perf_counter() - started, 3)
    return result


# --------------------------------------------------------------------------- the sweep


@dataclass
class Outcome:
    """What a sweep did.

    Attributes
    ----------
    folder : Path
        ``build/sweeps/<name>/``.
    runs, skipped, executed, failed : int
        Runs planned; already finished and skipped; executed now; failed (now or before).
    wall_s : float
        Wall time of the sweep, seconds.
    """

    folder: Path
    runs: int
    skipped: int
    executed: int
    failed: int
    wall_s: float


def _say(msg: str, quiet: bool) -> None:
    if not quiet:
        print(msg, file=sys.stderr, flush=True)


def _fingerprint(nb: Path) -> dict[str, str]:
    return {"notebook_sha256": provenance.sha256_file(nb), "carbonlib_sha256": provenance.library_hash()}


def _write_json(path: Path, data: Any) -> None:
    text = json.dumps(data, indent=2, sort_keys=True, ensure_ascii=False, default=str) + "\n"
    atomic_write(path, lambda tmp: tmp.write_text(text, encoding="utf-8"))


def _finished(folder: Path, rid: str, fingerprint: dict[str, str]) -> tuple[dict[str, Any] | None, bool]:
    """The stored result of a run finished with the same notebook and library, if any, and
    whether a result finished with another notebook or library version was found instead."""
    try:
        rec = json.loads((folder / "runs" / f"{rid}.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None, False
    if rec.get("status") != "ok":
        return None, False
    if all(rec.get(k) == v for k, v in fingerprint.items()):
        return rec, False
    return None, True


def _warm_dask_worker() -> None:
    """Import the stack on a Dask worker before its first run (:func:`.engine.warm_up`)."""
    from . import engine

    engine.warm_up()


def _executors(scheduler: str | None, jobs: int | None, n: int, engine: str = "warm"):
    """A submit function, an iterator over finished futures, a closer and a description.

    With the warm engine, every worker (a local process or a Dask worker) imports the stack
    once and then runs many parameter sets, each in a fresh namespace.
    """
    if scheduler:
        try:
            from distributed import Client, as_completed
        except ImportError:  # pragma: no cover - distributed is a declared dependency
            raise BuildError("--scheduler needs the 'distributed' package") from None
        try:
            client = Client(scheduler, timeout="20s")
        except (OSError, TimeoutError) as exc:
            raise BuildError(f"cannot reach the Dask scheduler {scheduler!r}: {exc}") from None
        workers = len(client.scheduler_info().get("workers", {}))
        if engine == "warm":
            client.run(_warm_dask_worker)
        tag = uuid.uuid4().hex[:8]

        def submit(task):
            return client.submit(run_one, task, key=f"carbonlib-sweep-{task['run_id']}-{tag}", pure=False)

        def close():
            client.close()

        return submit, lambda futs: as_completed(futs), close, f"Dask scheduler {scheduler} ({workers} worker(s))"
    workers = max(1, min(n, jobs or os.cpu_count() or 1))
    if engine == "warm":
        from . import engine as warm

        pool = cf.ProcessPoolExecutor(max_workers=workers, mp_context=multiprocessing.get_context("spawn"),
                                      initializer=warm.warm_up)
    else:
        pool = cf.ProcessPoolExecutor(max_workers=workers, mp_context=multiprocessing.get_context("spawn"))

    def close_pool():
        pool.shutdown(wait=True, cancel_futures=True)

    return (lambda task: pool.submit(run_one, task), cf.as_completed, close_pool,
            f"{workers} local {'warm ' if engine == 'warm' else ''}worker(s)")


def sweep(
    notebook: str | Path, grid_file: str | Path, *, name: str | None = None, jobs: int | None = None,
    scheduler: str | None = None, force: bool = False, quiet: bool = False, engine: str = "warm",
) -> Outcome:
    """Run a workbook over a grid or sample of its parameters and collect the results.

    Parameters
    ----------
    notebook : str or Path
        The workbook (stem, prefix such as ``02``, or path).
    grid_file : str or Path
        The grid file (see the module documentation) or its name under
        ``notebooks/params/<notebook>/sweeps/``.
    name : str, optional
        Folder under ``build/sweeps/``; default ``<notebook stem>-<grid file stem>``.
    jobs : int, optional
        Local worker processes (default: the number of cores). Ignored with ``scheduler``.
    scheduler : str, optional
        Address of a Dask distributed scheduler (``tcp://host:8786``) to run on instead.
    force : bool
        Run again the runs already finished.
    quiet : bool
        Print no progress.
    engine : {"warm", "papermill"}
        ``"warm"`` (the default): worker processes that import the stack once and run each
        parameter set in a fresh namespace; ``"papermill"``: a new kernel for every run (the
        cold way, kept to check that both record the same values and tables).

    Returns
    -------
    Outcome
        Counts and the output folder. Failed runs do not raise: they are in the results.

    Raises
    ------
    ParameterError
        The grid file or a parameter in it is invalid (nothing has run).
    BuildError
        The output folder is not writable, another sweep of the same name is running, or the
        scheduler cannot be reached.
    """
    if engine not in ENGINES:
        raise ParameterError(f"engine {engine!r}: use one of {', '.join(ENGINES)}")
    plan = load_plan(notebook, grid_file)
    nb = plan.notebook
    name = name or f"{nb.stem}-{find_grid(nb, grid_file).stem}"
    if not _NAME.match(name):
        raise ParameterError(f"sweep name {name!r}: use lower-case letters, digits, '_' or '-'")
    folder = paths.build_dir() / "sweeps" / name
    try:
        (folder / "runs").mkdir(parents=True, exist_ok=True)
        lock = open(folder / ".lock", "w")  # noqa: SIM115 (held for the whole sweep)
    except OSError as exc:
        raise BuildError(f"cannot write to the sweep folder {folder}: {exc.strerror}") from None
    try:
        fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        raise BuildError(f"another sweep named {name!r} is running in {folder}") from None
    with lock:
        return _sweep(plan, folder, jobs, scheduler, force, quiet, engine)


def _sweep(plan: Plan, folder: Path, jobs: int | None, scheduler: str | None, force: bool, quiet: bool,
           engine: str = "warm") -> Outcome:
    nb = plan.notebook
    started = time.perf_counter()
    fingerprint = _fingerprint(nb)
    records: dict[str, dict[str, Any]] = {}
    pending, stale = [], 0
    for values in plan.runs:
        rid = run_id(values)
        done, outdated = (None, False) if force else _finished(folder, rid, fingerprint)
        stale += outdated
        if done is not None:
            records[rid] = done
        else:
            pending.append({"notebook": str(nb), "parameters": values, "tables": dict(plan.tables),
                            "run_id": rid, "engine": engine})
    skipped = len(records)
    dup = f" ({plan.duplicates} duplicate draw(s) merged)" if plan.duplicates else ""
    _say(f"sweep {folder.name}: {len(plan.runs)} run(s) of {nb.stem}{dup}; "
         f"{skipped} already finished, skipped", quiet)
    if stale:
        _say(f"{stale} run(s) finished with another version of the notebook or of carbonlib: run again", quiet)
    where = "nowhere"
    if pending:
        submit, completed, close, where = _executors(scheduler, jobs, len(pending), engine)
        _say(f"running {len(pending)} run(s) on {where}", quiet)
        try:
            futures = {submit(task): task for task in pending}
            for count, fut in enumerate(completed(list(futures)), start=1):
                task = futures[fut]
                try:
                    res = fut.result()
                except Exception as exc:  # the worker itself died
                    res = {"run_id": task["run_id"], "parameters": task["parameters"], "status": "failed",
                           "values": {}, "tables": {}, "error": f"{type(exc).__name__}: {exc}",
                           "cell_index": None, "cell_source": "", "duration_s": None}
                records[task["run_id"]] = _store(folder, res, fingerprint)
                shown = ", ".join(f"{k}={task['parameters'].get(k)!r}" for k in plan.varied)
                status = "ok    " if res["status"] == "ok" else "FAILED"
                extra = "" if res["status"] == "ok" else f": {res['error']}"
                _say(f"[{count}/{len(pending)}] {status} {task['run_id']} {shown}{extra}", quiet)
        finally:
            close()
    wall = time.perf_counter() - started
    failed = _collect(plan, folder, records)
    _write_json(folder / "sweep.json", {
        "notebook": nb.stem, "fixed": plan.fixed, "varied": plan.varied, "tables": plan.tables,
        "runs": len(plan.runs), "skipped": skipped, "executed": len(pending), "failed": failed,
        "duplicates_merged": plan.duplicates, "executor": where, "wall_s": round(wall, 2), **fingerprint,
    })
    _say(f"{len(plan.runs) - failed} of {len(plan.runs)} run(s) ok, {failed} failed, in {wall:.1f} s; "
         f"results in {folder / 'results.csv'}", quiet)
    return Outcome(folder=folder, runs=len(plan.runs), skipped=skipped, executed=len(pending), failed=failed,
                   wall_s=wall)


def _store(folder: Path, res: dict[str, Any], fingerprint: dict[str, str]) -> dict[str, Any]:
    """Write a finished run to ``runs/<id>.json`` (and a failed one's notebook to ``failed/``)."""
    executed = res.pop("executed", None)
    failed_nb = folder / "failed" / f"{res['run_id']}.ipynb"
    if executed is not None:
        atomic_write(failed_nb, lambda tmp: tmp.write_text(executed, encoding="utf-8"))
    elif res["status"] == "ok":
        failed_nb.unlink(missing_ok=True)
    record = {**res, **fingerprint}
    _write_json(folder / "runs" / f"{res['run_id']}.json", record)
    return record


# --------------------------------------------------------------------------- results


def _cell(value: Any) -> Any:
    """A parameter value as a CSV cell (lists and mappings as JSON)."""
    if isinstance(value, list | dict):
        return json.dumps(value, sort_keys=True)
    return value


def _table_rows(name: str, text: str, keys: list[str]) -> list[tuple[str, str, Any]]:
    """Long rows ``(row, quantity, value)`` of a table, one per non-missing cell outside ``keys``.

    ``row`` joins the key columns' values with ``|`` (default keys: the text and boolean
    columns and a column named ``year``; the row number if there are none).
    """
    import pandas as pd

    frame = pd.read_csv(io.StringIO(text))
    missing = [k for k in keys if k not in frame.columns]
    if missing:
        raise BuildError(f"table {name!r}: no key column(s) {', '.join(missing)}; "
                         f"its columns: {', '.join(map(str, frame.columns))}")
    keys = keys or [c for c in frame.columns if c == "year" or not pd.api.types.is_numeric_dtype(frame[c])
                    or pd.api.types.is_bool_dtype(frame[c])]
    out = []
    for i, row in enumerate(frame.itertuples(index=False), start=1):
        cells = dict(zip(frame.columns, row, strict=True))
        label = "|".join(str(cells[k]) for k in keys) if keys else str(i)
        for col in frame.columns:
            if col not in keys and not pd.isna(cells[col]):
                out.append((label, str(col), cells[col]))
    return out


def _collect(plan: Plan, folder: Path, records: dict[str, dict[str, Any]]) -> int:
    """Write ``results.csv``, ``failures.csv`` and the chart; return the number of failed runs."""
    import pandas as pd

    varied = plan.varied
    rows, failures = [], []
    for values in plan.runs:
        rid = run_id(values)
        rec = records.get(rid)
        head = {"run_id": rid, "status": rec["status"] if rec else "not run",
                **{k: _cell(values.get(k)) for k in varied}}
        if rec is None or rec["status"] != "ok":
            error = rec.get("error", "") if rec else "interrupted before it finished"
            rows.append({**head, "table": "", "row": "", "quantity": "", "value": "", "error": error})
            failures.append({"run_id": rid, **{k: _cell(v) for k, v in values.items()},
                             "cell_index": rec.get("cell_index") if rec else None,
                             "cell_source": rec.get("cell_source", "") if rec else "", "error": error})
            continue
        for q, v in sorted(rec["values"].items()):
            rows.append({**head, "table": "", "row": "", "quantity": q, "value": v, "error": ""})
        for tname in plan.tables:
            for label, q, v in _table_rows(tname, rec["tables"][tname], plan.tables[tname]):
                rows.append({**head, "table": tname, "row": label, "quantity": q, "value": v, "error": ""})
    columns = ["run_id", "status", *varied, "table", "row", "quantity", "value", "error"]
    results = pd.DataFrame(rows, columns=columns)
    atomic_write(folder / "results.csv", lambda tmp: results.to_csv(tmp, index=False, lineterminator="\n"))
    fail_cols = ["run_id", *dict.fromkeys(k for f in failures for k in f if k not in
                                          {"run_id", "cell_index", "cell_source", "error"}),
                 "cell_index", "cell_source", "error"]

    def write_failures(tmp: Path) -> None:
        with tmp.open("w", encoding="utf-8", newline="") as fh:
            writer = csv.DictWriter(fh, fieldnames=fail_cols, lineterminator="\n")
            writer.writeheader()
            writer.writerows(failures)

    atomic_write(folder / "failures.csv", write_failures)
    chart(results, varied, plan.quantities, folder / "chart")
    return len(failures)


def chart(results, varied: list[str], quantities: list[str], stem: Path) -> list[str]:
    """Draw each recorded quantity against each varied parameter; write ``stem``.png and .svg.

    Parameters
    ----------
    results : pandas.DataFrame
        The tidy results (``results.csv``).
    varied : list of str
        The varied parameters (one column of panels each).
    quantities : list of str
        Recorded values to draw (one row of panels each); empty: every numeric one.
    stem : Path
        Output path without suffix.

    Returns
    -------
    list of str
        The quantities drawn (none: no chart is written and an old one is removed).
    """
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    import pandas as pd

    from . import style

    values = results[(results["status"] == "ok") & (results["table"] == "")].copy()
    values["number"] = pd.to_numeric(values["value"], errors="coerce")
    numeric = [q for q in dict.fromkeys(values["quantity"]) if values.loc[values["quantity"] == q, "number"].notna().all()]
    drawn = [q for q in quantities if q in numeric] if quantities else numeric
    if not drawn or not varied:
        for ext in ("png", "svg"):
            stem.with_suffix(f".{ext}").unlink(missing_ok=True)
        return []
    style.apply()
    width, height = 3.6 * len(varied) + 0.6, 2.8 * len(drawn) + 0.4
    # fixed margins, not constrained layout (minutes for a chart of many panels); the saved
    # figure is cropped to its contents (savefig.bbox: tight), so no label is cut off
    fig, axes = plt.subplots(len(drawn), len(varied), figsize=(width, height), squeeze=False, layout="none")
    fig.subplots_adjust(left=1.0 / width, right=1 - 0.2 / width, bottom=0.5 / height, top=1 - 0.2 / height,
                        wspace=0.35, hspace=0.75 / 2.8)
    for i, q in enumerate(drawn):
        sub = values[values["quantity"] == q]
        for j, p in enumerate(varied):
            ax = axes[i][j]
            _panel(ax, sub, p, [o for o in varied if o != p], style.PALETTE)
            if i == len(drawn) - 1:
                ax.set_xlabel(p)
            if j == 0:
                ax.set_ylabel(q)
    for ext, meta in (("png", {"Software": None}), ("svg", {"Date": None, "Creator": None})):
        atomic_write(stem.with_suffix(f".{ext}"),
                     lambda tmp, ext=ext, meta=meta: fig.savefig(tmp, format=ext, metadata=meta))
    plt.close(fig)
    return drawn


def _panel(ax, sub, p: str, others: list[str], palette: list[str]) -> None:
    """One quantity against parameter ``p``: points, and the mean per value of ``p`` as a line,
    coloured by the first other parameter with two to six values (means over the rest)."""
    import pandas as pd

    x = pd.to_numeric(sub[p], errors="coerce")
    numeric = bool(x.notna().all()) and not sub[p].map(lambda v: isinstance(v, bool)).any()
    if not numeric:
        cats = list(dict.fromkeys(sub[p].astype(str)))
        x = sub[p].astype(str).map({c: k for k, c in enumerate(cats)}).astype(float)
        ax.set_xticks(range(len(cats)), cats, rotation=30 if len(cats) > 3 else 0, fontsize="small")
    frame = sub.assign(_x=x)
    by = next((o for o in others if 2 <= frame[o].astype(str).nunique() <= 6), None)
    groups = [("", frame)] if by is None else list(frame.groupby(frame[by].astype(str), sort=False))
    for k, (label, g) in enumerate(groups):
        colour = palette[k % len(palette)]
        ax.scatter(g["_x"], g["number"], s=14, alpha=0.6, color=colour)
        means = g.groupby("_x")["number"].mean()
        if len(means) > 1:
            ax.plot(means.index, means.to_numpy(), color=colour, label=f"{by} = {label}" if by else "mean")
    if by is not None or ax.get_legend_handles_labels()[0]:
        ax.legend(fontsize="x-small")


def run_cli(args: Any) -> int:
    """Entry point of ``python -m carbonlib sweep``: 0 all runs ok, 1 some failed, 2 bad input."""
    try:
        outcome = sweep(args.notebook, args.file, name=args.name, jobs=args.jobs, scheduler=args.scheduler,
                        force=args.force, engine=getattr(args, "engine", "warm"))
    except (ParameterError, BuildError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    return 1 if outcome.failed else 0


__all__ = ["ENGINES", "Outcome", "Plan", "chart", "find_grid", "load_plan", "run_cli", "run_id", "run_one", "sweep"]

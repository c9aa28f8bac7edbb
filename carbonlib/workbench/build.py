"""Build every workbook into an executed notebook, an HTML paper, tables and figures.

``python -m carbonlib build [NOTEBOOK ...] [-p NAME VALUE ...] [-f SCENARIO]``

Every edition (English in ``build/``, Traditional Chinese in ``build/zh-TW/``) comes from one
execution of each workbook; ``--lang`` builds one edition. For each workbook the runner

1. checks the parameters against the notebook's ``parameters`` cell (before anything runs);
2. skips it when, for every edition, its notebook, the library, the data files it read last
   time, the provided files named by ``CARBONLIB_EUA_PRICES`` and ``CARBONLIB_EEA_EMISSIONS``
   and its parameters are all unchanged
   since its last good build (the edition's ``manifest.json``);
3. executes it once, in a warm worker process (:mod:`.engine`: the stack imported once per
   worker, a fresh namespace per notebook; one worker per core, longest workbooks first), in
   a stage folder (``build/.stage/``) where the run writes every stale edition's tables,
   figures and values;
4. exports the executed notebook to each edition's standalone HTML papers (code hidden, images
   embedded, a table of contents, a run-record appendix, no script or request to any other host);
5. publishes the results by renaming them into each edition's ``notebooks/``, ``html/``,
   ``tables/``, ``figures/`` and records the run in its ``manifest.json``.

A failing notebook leaves its previous good outputs in place, keeps its executed copy in
``build/failed/`` and makes the build exit non-zero, naming the notebook and the failing cell.
"""

from __future__ import annotations

import concurrent.futures as cf
import copy
import fcntl
import hashlib
import json
import os
import re
import shutil
import sys
import tempfile
import time
import uuid
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from carbonlib.errors import BuildError, InputError, ParameterError

from . import params, paths, provenance
from .i18n import LANGS
from .run import atomic_write

MANIFEST = "manifest.json"
#: Outputs published per notebook: (stage-relative source, build-relative target).
_PUBLISHED = (
    ("notebook.ipynb", "notebooks/{nb}.ipynb"),
    ("paper.html", "html/{nb}.html"),
    ("paper-code.html", "html/code/{nb}.html"),
    ("tables/{nb}", "tables/{nb}"),
    ("figures/{nb}", "figures/{nb}"),
    ("outputs/{nb}.json", "outputs/{nb}.json"),
    ("values/{nb}.json", "values/{nb}.json"),
)


def notebooks() -> list[Path]:
    """All workbooks, in order."""
    return sorted(p for p in paths.notebooks_dir().glob("*.ipynb") if not p.name.startswith("."))


def read_manifest(build_root: Path) -> dict[str, Any]:
    """The manifest of the last builds (empty if absent or unreadable)."""
    try:
        data = json.loads((build_root / MANIFEST).read_text(encoding="utf-8"))
        return data if isinstance(data.get("notebooks"), dict) else {"notebooks": {}}
    except (OSError, ValueError):
        return {"notebooks": {}}


def _write_manifest(build_root: Path, manifest: dict[str, Any]) -> None:
    text = json.dumps(manifest, indent=2, sort_keys=True, ensure_ascii=False) + "\n"
    atomic_write(build_root / MANIFEST, lambda tmp: tmp.write_text(text, encoding="utf-8"))


def _provided_env() -> dict[str, str | None]:
    """The provided files the environment names (price history, verified emissions), hashed."""
    out = {}
    for key, var in (("path", paths.EUA_PRICES_ENV), ("emissions", paths.EEA_EMISSIONS_ENV)):
        value = os.environ.get(var, "").strip() or None
        out[key] = value
        out[f"{key}_sha256" if key != "path" else "sha256"] = (
            provenance.sha256_file(value) if value and Path(value).is_file() else None)
    return out


def build_key(nb: Path, parameters: dict[str, Any], inputs: dict[str, str]) -> str:
    """Fingerprint of everything a build of ``nb`` depends on.

    ``inputs`` are the data files the last run read, as ``{path: sha256}``; their current
    hashes enter the key, so a changed data file changes it.
    """
    current = {}
    for name in sorted(inputs):
        p = Path(name) if Path(name).is_absolute() else paths.ROOT / name
        current[name] = provenance.sha256_file(p) if p.is_file() else "missing"
    blob = json.dumps(
        {"notebook": provenance.sha256_file(nb), "library": provenance.library_hash(),
         "parameters": parameters, "inputs": current, "price_env": _provided_env()},
        sort_keys=True, default=str,
    )
    return hashlib.sha256(blob.encode()).hexdigest()


# --------------------------------------------------------------------------- execution


_ANSI = re.compile(r"\x1b\[[0-9;]*m")
_CELL_FRAME = re.compile(r"Cell In\[\d+\], line (\d+)")


def _failing_line(source: str, traceback: list[str]) -> str:
    """The line of ``source`` that raised, from the ``Cell In[N], line M`` frame of a traceback."""
    lines = source.splitlines()
    found = [int(m) for tb in traceback for m in _CELL_FRAME.findall(_ANSI.sub("", tb))]
    if found and 1 <= found[-1] <= len(lines):
        return f"line {found[-1]} `{lines[found[-1] - 1].strip()}`"
    first = next((line.strip() for line in lines if line.strip()), "")
    return f"`{first}`" if first else ""


def _failing_cell(nb_file: Path) -> tuple[int | None, str]:
    """Number (1-based, as in the source notebook) of the cell that failed, and the line that raised.

    The line is read from the traceback's ``Cell In[N], line M`` frame (``"line M `<code>`"``);
    when the traceback names none, the cell's first line is given (``"`<code>`"``).
    """
    try:
        nb = json.loads(nb_file.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None, ""
    cells = [c for c in nb.get("cells", [])
             if not {"injected-parameters", "papermill-error-cell-tag"}
             & set(c.get("metadata", {}).get("tags", []))]
    for i, cell in enumerate(cells, start=1):
        errors = [o for o in cell.get("outputs", []) if o.get("output_type") == "error"]
        if errors:
            return i, _failing_line("".join(cell.get("source", "")), errors[0].get("traceback", []))
    return None, ""


def kernel_manager_class(env: dict[str, str] | None = None, cwd: str | None = None, log: Path | None = None):
    """The kernel manager every workbook run uses: IPC transport, optionally its own env and log.

    Over IPC (Unix sockets, private to this user) the kernel does not warn that it runs "over
    TCP without encryption" on every build line. ``env`` is added to this process's
    environment for the kernel, ``cwd`` is its working folder and ``log`` receives its
    stdout and stderr; this process's own environment and folder never change.
    """
    from jupyter_client.manager import AsyncKernelManager

    class _WorkbookKernelManager(AsyncKernelManager):
        def __init__(self, **kw: Any) -> None:
            super().__init__(**kw)
            self.transport = "ipc"
            # one socket prefix per kernel: kernels run side by side and must never share one
            self.ip = os.path.join(tempfile.gettempdir(), f"carbonlib-kernel-{uuid.uuid4().hex}-ipc")

        async def start_kernel(self, **kw: Any) -> None:
            if env is not None:
                kw["env"] = {**os.environ, **env}
            if cwd is not None:
                kw["cwd"] = cwd
            if log is None:
                return await super().start_kernel(**kw)
            with log.open("ab") as fh:
                kw["stdout"] = kw["stderr"] = fh
                return await super().start_kernel(**kw)

    return _WorkbookKernelManager


def edition_stage(stage: Path, lang: str) -> Path:
    """The part of a run's stage folder holding one edition (laid out as ``build/`` is)."""
    return paths.edition_folder(stage, lang)


def execute(nb: Path, parameters: dict[str, Any], stage: Path, editions: list[str]) -> dict[str, Any]:
    """Execute one workbook once into ``stage`` and export every edition's papers (in a worker).

    The notebook runs in this worker's warm shell (:mod:`.engine`) with ``parameters`` (no
    ``lang``: the editions are named by ``editions``). Each edition's tables, figures and
    values are written by the run under :func:`edition_stage`; its papers are exported here
    from the one executed notebook.
    """
    from . import engine

    stage.mkdir(parents=True, exist_ok=True)
    env = {"CARBONLIB_STAGE_DIR": str(stage), "CARBONLIB_EDITIONS": ",".join(editions),
           "CARBONLIB_BUILD_DIR": str(paths.build_dir())}
    started = time.perf_counter()
    result: dict[str, Any] = {"notebook": nb.stem, "ok": False}
    out_nb = stage / "notebook.ipynb"
    try:
        run = engine.execute_notebook(nb, parameters, cwd=paths.notebooks_dir(), env=env)
    except Exception as exc:  # the notebook is unreadable, its parameters cell missing…
        result.update(error=f"{type(exc).__name__}: {exc}", cell_index=None, cell_source="")
        run = None
    if run is not None:
        import nbformat

        nbformat.write(run.notebook, str(out_nb))
        result["cells_s"] = round(run.cells_s, 2)
        if run.ok:
            result["ok"] = True
        else:
            index, line = _failing_cell(out_nb)
            result.update(error=run.error, cell_index=index, cell_source=line)
    inputs = {}
    inputs_file = stage / "inputs.jsonl"
    if inputs_file.exists():
        for line in inputs_file.read_text(encoding="utf-8").splitlines():
            rec = json.loads(line)
            inputs[rec["path"]] = rec["sha256"]
    result["inputs"] = dict(sorted(inputs.items()))
    if result["ok"]:
        from .paper import edition_outputs, embed_font, export_html

        exported = time.perf_counter()
        for lang in editions:
            folder = edition_stage(stage, lang)
            record = run_record(nb, {**parameters, "lang": lang}, result["inputs"])
            record["notes"] = section_notes(folder, nb.stem)
            papers = {"paper.html": False, "paper-code.html": True}
            values_file = folder / "values" / f"{nb.stem}.json"
            values = json.loads(values_file.read_text(encoding="utf-8")) if values_file.exists() else {}
            try:
                texts = [export_html(run.notebook, record, show_code=code, lang=lang, embed_font=False, values=values)
                         for code in papers.values()]
            except InputError as exc:  # a placeholder the run did not record: no paper, and why
                result.update(ok=False, error=str(exc), cell_index=None, cell_source="", stage="paper")
                break
            for name, text in zip(papers, embed_font(texts), strict=True):
                (folder / name).write_text(text, encoding="utf-8")
            edition_nb = copy.deepcopy(run.notebook)  # the executed notebook as this edition shows it
            edition_outputs(edition_nb, lang)
            nbformat.write(edition_nb, str(folder / "notebook.ipynb"))
        result["papers_s"] = round(time.perf_counter() - exported, 2)
    result["duration_s"] = round(time.perf_counter() - started, 2)
    return result


def run_record(nb: Path, parameters: dict[str, Any], inputs: dict[str, str]) -> dict[str, Any]:
    """What a paper's appendix and the manifest say about a run."""
    decl = params.declared(nb)
    full = {name: parameters.get(name, p.default) for name, p in decl.items()}
    return {
        "notebook": nb.stem,
        "parameters": full,
        "notebook_sha256": provenance.sha256_file(nb),
        "carbonlib_sha256": provenance.library_hash(),
        "inputs": inputs,
        "packages": provenance.package_versions(),
        "built_at": datetime.now(UTC).replace(microsecond=0).isoformat(),
    }


def section_notes(folder: Path, notebook: str) -> list[dict[str, Any]]:
    """The notes a run gave where its input could not support a section (``Run.section``):
    ``section``, ``supported`` and ``note`` each, from ``outputs/<notebook>.json`` in
    ``folder`` (an edition's stage or build folder); ``[]`` when there are none."""
    file = folder / "outputs" / f"{notebook}.json"
    if not file.exists():
        return []
    return json.loads(file.read_text(encoding="utf-8")).get("notes", [])


#: How long a run outside the build waits for a running build to release the manifest, s.
INTERACTIVE_LOCK_WAIT_S = 30.0


def record_interactive_run(notebook: str, parameters: dict[str, Any], lang: str = "en") -> bool:
    """Mark a workbook's manifest entry as run outside the build (JupyterLab, plain papermill).

    Such a run writes its tables and figures straight under the edition's ``tables/`` and
    ``figures/``, while ``html/`` still holds the last build's paper. The entry then says so:
    ``status`` is ``"interactive"``, with the run's parameters and start time, so the manifest
    never claims a build that the files no longer show, and the next build rebuilds the
    workbook. Waits up to :data:`INTERACTIVE_LOCK_WAIT_S` for a running build's lock.

    Returns
    -------
    bool
        Whether the manifest was written (``False`` if a build held the lock throughout).
    """
    root = edition_root(lang)
    root.mkdir(parents=True, exist_ok=True)
    deadline = time.monotonic() + INTERACTIVE_LOCK_WAIT_S
    with open(root / ".lock", "a") as lock:
        while True:
            try:
                fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() > deadline:
                    _say(f"note: a build is running in {root}; build/manifest.json was not updated for this run")
                    return False
                time.sleep(0.2)
        manifest = read_manifest(root)
        manifest["notebooks"][notebook] = {
            "notebook": notebook, "status": "interactive", "parameters": parameters,
            "started_at": datetime.now(UTC).replace(microsecond=0).isoformat(),
            "note": ("run outside the build (JupyterLab or papermill): tables/, figures/, outputs/ and "
                     "values/ hold this run's results, html/ and notebooks/ the last build's; the next "
                     "build rebuilds this workbook"),
        }
        _write_manifest(root, manifest)
    return True


# --------------------------------------------------------------------------- publishing


def _replace(src: Path, dst: Path) -> None:
    """Move ``src`` onto ``dst`` (file or folder), replacing it with renames only."""
    dst.parent.mkdir(parents=True, exist_ok=True)
    if src.is_dir():
        old = dst.with_name(f".{dst.name}.old-{uuid.uuid4().hex[:8]}")
        if dst.exists():
            os.replace(dst, old)
        os.replace(src, dst)
        shutil.rmtree(old, ignore_errors=True)
    else:
        os.replace(src, dst)


def publish(stem: str, stage: Path, build_root: Path) -> list[str]:
    """Rename a successful run's outputs into place; remove outputs it no longer makes."""
    written = []
    for src_t, dst_t in _PUBLISHED:
        src, dst = stage / src_t.format(nb=stem), build_root / dst_t.format(nb=stem)
        if src.exists():
            _replace(src, dst)
            written.append(dst.relative_to(build_root).as_posix())
        elif dst.is_dir():
            shutil.rmtree(dst)
        elif dst.exists():
            dst.unlink()
    (build_root / "failed" / f"{stem}.ipynb").unlink(missing_ok=True)
    return written


# --------------------------------------------------------------------------- the build


def _say(msg: str) -> None:
    print(msg, file=sys.stderr, flush=True)


def plan(
    targets: list[str] | None, parameters: dict[str, Any] | None = None, scenario: str | None = None,
    raw: dict[str, str] | None = None,
) -> list[tuple[Path, dict[str, Any]]]:
    """Resolve notebooks and check their parameters, before anything runs.

    Raises
    ------
    ParameterError
        Unknown notebook, scenario or parameter, or a value of the wrong type.
    """
    nbs = [params.resolve_notebook(t) for t in targets] if targets else notebooks()
    if not nbs:
        raise ParameterError(f"no notebooks found in {paths.notebooks_dir()}")
    if (parameters or scenario or raw) and len(nbs) != 1:
        raise ParameterError("-p/-f apply to one notebook: name exactly one")
    out = []
    for nb in nbs:
        values: dict[str, Any] = {}
        if scenario:
            values.update(params.load_scenario(nb, scenario))
        if raw:
            decl = params.declared(nb)
            for name, text in raw.items():
                if name not in decl:
                    params.validate(nb, {name: text})  # raises the unknown-parameter error
                values[name] = params.coerce_text(decl[name], text)
        values.update(parameters or {})
        out.append((nb, params.validate(nb, values)))
    return out


def edition_root(lang: str = "en") -> Path:
    """Build folder of an edition: ``build/`` for English, ``build/<lang>/`` for the others."""
    return paths.edition_dir(lang)


def _lock(build_root: Path):
    """Make an edition's folders and take its build lock (an open file, held by the caller).

    Raises
    ------
    BuildError
        The folder cannot be written.

    Notes
    -----
    When another build holds the lock, this one says so on stderr and waits for it: two
    builds started together run one after the other, and neither loses the other's outputs
    (each reads the manifest after taking the lock).
    """
    try:
        build_root.mkdir(parents=True, exist_ok=True)
        # every folder a run publishes into, made (or found blocked) before anything runs
        for _, target in (*_PUBLISHED, ("", "failed/{nb}")):
            (build_root / target.format(nb="-")).parent.mkdir(parents=True, exist_ok=True)
        lock = open(build_root / ".lock", "w")  # noqa: SIM115 (held for the whole build)
    except OSError as exc:
        problem = exc.strerror
        if isinstance(exc, FileExistsError | NotADirectoryError) and exc.filename:
            blocked = Path(exc.filename)
            blocker = next((q for q in (blocked, *blocked.parents) if q.exists() and not q.is_dir()), blocked)
            problem = f"{blocker} is a file where a folder is needed"
        elif exc.filename and Path(exc.filename) != build_root:
            problem = f"{exc.strerror} ({exc.filename})"
        raise BuildError(f"cannot write to the build folder {build_root}: {problem}") from None
    try:
        fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        # another build holds the folder: wait for it (its outputs are then up to date, and
        # this build rebuilds only what it changed), rather than fail or interleave with it
        print(f"another build is running in {build_root}; waiting for it to finish", file=sys.stderr, flush=True)
        fcntl.flock(lock, fcntl.LOCK_EX)
    return lock


def build(
    targets: list[str] | None = None, *, parameters: dict[str, Any] | None = None,
    scenario: str | None = None, raw: dict[str, str] | None = None, jobs: int | None = None,
    force: bool = False, lang: str | None = None,
) -> int:
    """Build workbooks; return 0 if all succeeded (or were unchanged), 1 otherwise.

    Every edition (:data:`carbonlib.workbench.i18n.LANGS`) is built from one execution of each
    workbook, each into its :func:`edition_root`. ``lang`` builds that edition only; a
    ``lang`` given with ``-p``/``-f`` chooses the edition too.
    """
    work = plan(targets, parameters, scenario, raw)
    if lang is not None:
        work = [(nb, {**values, **params.validate(nb, {"lang": lang})}) for nb, values in work]
    asked = {values["lang"] for _, values in work if "lang" in values}
    if len(asked) > 1:
        raise ParameterError("one edition at a time: the notebooks ask for " + ", ".join(sorted(asked)))
    editions = sorted(asked) or list(LANGS)
    work = [(nb, {k: v for k, v in values.items() if k != "lang"}) for nb, values in work]
    locks = []
    try:
        for edition in editions:
            locks.append(_lock(edition_root(edition)))
        for edition in editions:
            # stage folders left by a build that was killed are never published: remove them
            shutil.rmtree(edition_root(edition) / ".stage", ignore_errors=True)
        return _build(work, editions, jobs, force)
    finally:
        for lock in locks:
            lock.close()


def is_fresh(nb: Path, values: dict[str, Any], build_root: Path, manifest: dict[str, Any] | None = None) -> bool:
    """Whether the last good build of ``nb`` in ``build_root`` is still current for ``values``.

    It is when the manifest records a build (``status`` ``"ok"``, not a run outside the build),
    its paper exists, and nothing it depends on changed (:func:`build_key`).
    """
    prev = (manifest or read_manifest(build_root))["notebooks"].get(nb.stem)
    return (prev is not None and prev.get("status") == "ok"
            and (build_root / "html" / f"{nb.stem}.html").exists()
            and prev.get("key") == build_key(nb, values, prev.get("inputs", {})))


def _edition_values(values: dict[str, Any], nb: Path, lang: str) -> dict[str, Any]:
    """A run's parameters as an edition records them (``lang`` when the notebook declares it)."""
    return {**values, "lang": lang} if "lang" in params.declared(nb) else dict(values)


def _pool(workers: int) -> cf.ProcessPoolExecutor:
    """Worker processes that import the stack once (:func:`.engine.warm_up`) and run many notebooks."""
    import multiprocessing

    from . import engine

    return cf.ProcessPoolExecutor(max_workers=workers, mp_context=multiprocessing.get_context("spawn"),
                                  initializer=engine.warm_up)


def _build(work: list[tuple[Path, dict[str, Any]]], editions: list[str], jobs: int | None, force: bool) -> int:
    roots = {lang: edition_root(lang) for lang in editions}
    manifests = {lang: read_manifest(root) for lang, root in roots.items()}
    pending, skipped = [], []
    for nb, values in work:
        stale = [lang for lang in editions if force or not is_fresh(
            nb, _edition_values(values, nb, lang), roots[lang], manifests[lang])]
        (pending if stale else skipped).append((nb, values, stale))
    if skipped:
        _say(f"unchanged, skipped: {', '.join(nb.stem for nb, _, _ in skipped)}")
    if not pending:
        _say("nothing to build")
        return 0
    durations = {nb: max((manifests[lang]["notebooks"].get(nb.stem, {}).get("duration_s") or float("inf"))
                         for lang in editions) for nb, _, _ in pending}
    # longest first (by the last good build's duration), so a slow workbook does not start last
    pending.sort(key=lambda item: -durations[item[0]])
    workers = max(1, min(len(pending), jobs or os.cpu_count() or 1))
    _say(f"building {len(pending)} notebook(s) ({', '.join(editions)}) on {workers} worker(s): "
         + ", ".join(nb.stem for nb, _, _ in pending))
    stage_root = roots[editions[0]] / ".stage"
    failures = []
    started = time.perf_counter()
    with _pool(workers) as pool:
        futures = {}
        for nb, values, stale in pending:
            stage = stage_root / f"{nb.stem}-{uuid.uuid4().hex[:8]}"
            futures[pool.submit(execute, nb, values, stage, stale)] = (nb, values, stale, stage)
        for done, fut in enumerate(cf.as_completed(futures), start=1):
            nb, values, stale, stage = futures[fut]
            try:
                res = fut.result()
            except Exception as exc:  # the worker itself died
                res = {"ok": False, "error": f"{type(exc).__name__}: {exc}", "cell_index": None,
                       "cell_source": "", "duration_s": None, "inputs": {}}
            prefix = f"[{done}/{len(pending)}]"
            if res["ok"]:
                for lang in stale:
                    ed_values = _edition_values(values, nb, lang)
                    outputs = publish(nb.stem, edition_stage(stage, lang), roots[lang])
                    record = run_record(nb, ed_values, res["inputs"])
                    record.update(notes=section_notes(roots[lang], nb.stem))
                    record.update(status="ok", duration_s=res["duration_s"], cells_s=res.get("cells_s"),
                                  papers_s=res.get("papers_s"), outputs=outputs,
                                  key=build_key(nb, ed_values, res["inputs"]), price_env=_provided_env())
                    manifests[lang]["notebooks"][nb.stem] = record
                    _write_manifest(roots[lang], manifests[lang])
                _say(f"{prefix} ok      {nb.stem} ({res['duration_s']:.1f} s; {', '.join(stale)})")
            else:
                # one executed copy, in the first edition's failed/ (every edition ran it)
                failed = roots[stale[0]] / "failed" / f"{nb.stem}.ipynb"
                if (stage / "notebook.ipynb").exists():
                    failed.parent.mkdir(parents=True, exist_ok=True)
                    os.replace(stage / "notebook.ipynb", failed)
                cell = res.get("cell_index")
                where = (f"cell {cell}" if cell is not None else
                         "rendering the paper" if res.get("stage") == "paper" else "before any cell")
                src = f", {res['cell_source']}" if res.get("cell_source") else ""
                kept_at = failed.relative_to(paths.build_dir().parent) if failed.exists() else "n/a"
                msg = f"{nb.stem}: failed in {where}{src}: {res['error']} (executed copy kept in {kept_at})"
                failures.append(msg)
                _say(f"{prefix} FAILED  {msg}")
            shutil.rmtree(stage, ignore_errors=True)
    if stage_root.exists() and not any(stage_root.iterdir()):
        stage_root.rmdir()
    html_dirs = ", ".join(str(roots[lang] / "html") for lang in editions)
    _say(f"built {len(pending) - len(failures)} of {len(pending)} in {time.perf_counter() - started:.1f} s; "
         f"papers in {html_dirs}")
    write_indexes()
    if failures:
        _say("build failed:\n  " + "\n  ".join(failures))
        return 1
    return 0


def write_indexes() -> list[Path]:
    """Write the combined paper ``html/index.html`` of every edition that has papers.

    Each edition's combined paper links to the other's when both exist.
    """
    from .paper import combined_page

    roots = {lang: edition_root(lang) for lang in LANGS}
    have = {lang: root for lang, root in roots.items() if any((root / "html").glob("*.html"))}
    written = []
    for lang, root in have.items():
        manifest = read_manifest(root)
        entries = []
        for nb in notebooks():
            if not (root / "html" / f"{nb.stem}.html").exists():
                continue
            outputs_file = root / "outputs" / f"{nb.stem}.json"
            outputs = json.loads(outputs_file.read_text(encoding="utf-8"))["outputs"] if outputs_file.exists() else []
            entries.append({"notebook": nb.stem, "title": params.title(nb, lang), "outputs": outputs})
        if not entries:
            continue
        others = [other for other in have if other != lang]
        link = None
        if others:
            target = roots[others[0]] / "html" / "index.html"
            link = os.path.relpath(target, root / "html")
        built = max((e.get("built_at", "") for e in manifest["notebooks"].values()), default="")
        text = combined_page(root / "html", entries, built, lang, link)
        target = root / "html" / "index.html"
        atomic_write(target, lambda tmp, text=text: tmp.write_text(text, encoding="utf-8"))
        written.append(target)
    return written


def run_cli(args: Any) -> int:
    """Entry point of ``python -m carbonlib build``."""
    raw = dict(args.param or [])
    try:
        return build(args.notebooks or None, scenario=args.file, raw=raw or None,
                     jobs=args.jobs, force=args.force, lang=getattr(args, "lang", None))
    except (ParameterError, BuildError) as exc:
        _say(f"error: {exc}")
        return 2


__all__ = ["build", "build_key", "edition_root", "edition_stage", "execute", "is_fresh", "kernel_manager_class", "notebooks", "plan",
           "publish", "read_manifest", "record_interactive_run", "run_record", "section_notes", "write_indexes"]

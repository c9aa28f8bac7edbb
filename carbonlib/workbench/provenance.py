"""Hashes of inputs and versions of packages, recorded with every run.

Every file the calculation library's loaders read is reported here (:func:`record_input`,
registered with :func:`carbonlib.datasets.on_read`); when the build runner executes a notebook
it collects these records (through ``inputs.jsonl`` in the run's stage
folder) into ``build/manifest.json``.
"""

from __future__ import annotations

import hashlib
import json
import platform
from importlib import metadata
from pathlib import Path

from carbonlib import datasets

from . import paths

#: Packages whose versions are recorded in the manifest and in each paper's appendix.
RECORDED_PACKAGES = (
    "carbonlib", "numpy", "pandas", "matplotlib", "statsmodels", "scipy", "papermill",
    "nbconvert", "nbclient", "nbformat", "ipykernel", "jupyterlab", "PyYAML",
)

_read_this_session: dict[str, str] = {}


def sha256_file(path: str | Path) -> str:
    """Hex SHA-256 of a file's bytes (cached on path, size and modification time)."""
    return datasets.sha256_file(path)


def display_path(path: str | Path) -> str:
    """A path relative to the repository root where possible, else absolute."""
    p = Path(path).resolve()
    try:
        return p.relative_to(paths.ROOT).as_posix()
    except ValueError:
        return p.as_posix()


def record_input(path: str | Path) -> str:
    """Record that the current run read ``path``; return its SHA-256."""
    digest = sha256_file(path)
    name = display_path(path)
    if _read_this_session.get(name) != digest:
        _read_this_session[name] = digest
        stage = paths.stage_dir()
        if stage is not None:
            stage.mkdir(parents=True, exist_ok=True)
            with (stage / "inputs.jsonl").open("a", encoding="utf-8") as fh:
                fh.write(json.dumps({"path": name, "sha256": digest}) + "\n")
    return digest


def _on_read(path: Path, digest: str) -> None:
    record_input(path)


def begin_run() -> None:
    """Forget the files read so far: a new run records its own inputs (called by ``cl.start``)."""
    _read_this_session.clear()


def listen() -> None:
    """Record every file the library's loaders read from now on (called by ``cl.start``)."""
    datasets.on_read(_on_read)


def inputs_read() -> dict[str, str]:
    """Files read so far in this process, as ``{path: sha256}``."""
    return dict(sorted(_read_this_session.items()))


def package_versions() -> dict[str, str]:
    """Versions of Python and of the recorded packages."""
    out = {"python": platform.python_version()}
    for name in RECORDED_PACKAGES:
        try:
            out[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            out[name] = "not installed"
    return out


def tree_hash(files: list[Path]) -> str:
    """One SHA-256 over several files (names and contents), order-independent."""
    h = hashlib.sha256()
    for f in sorted(files, key=lambda p: p.as_posix()):
        h.update(display_path(f).encode())
        h.update(sha256_file(f).encode())
    return h.hexdigest()


def library_hash() -> str:
    """Hash of the library's source (every ``carbonlib/*.py``, style file and the glossary)."""
    files = [p for p in paths.PACKAGE_DIR.rglob("*") if p.suffix in {".py", ".mplstyle", ".csv"}
             and "__pycache__" not in p.parts]
    return tree_hash(files)

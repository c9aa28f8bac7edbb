"""The house rules: two wings, enforced.

The calculation library (the modules listed in ``carbonlib.LIBRARY``) imports neither the
workbench, the figures, matplotlib nor Jupyter, reads no environment variable and computes no
path from ``__file__`` except in its one loader module; the figures never import the workbench
(import-linter contracts in ``pyproject.toml``); notebooks hold no matplotlib and define nothing.
"""

from __future__ import annotations

import ast
import json
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

import carbonlib

from .conftest import ROOT

PACKAGE = ROOT / "carbonlib"
LINT = Path(sys.executable).with_name("lint-imports")
CONTRACTS = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["importlinter"]["contracts"]
#: the one module of the library that may locate files from ``__file__``
LOADER = "datasets"


def _lint(cwd: Path, pythonpath: Path | None = None) -> subprocess.CompletedProcess:
    env = None
    if pythonpath is not None:
        import os

        env = {**os.environ, "PYTHONPATH": str(pythonpath)}
    return subprocess.run([str(LINT), "--config", "pyproject.toml", "--no-cache"], cwd=cwd, env=env,
                          capture_output=True, text=True, timeout=120)


def test_import_contracts_are_kept():
    result = _lint(ROOT)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "2 kept, 0 broken" in result.stdout


def test_every_module_belongs_to_a_wing():
    top = {p.stem for p in PACKAGE.glob("*.py")} - {"__init__", "__main__"}
    packages = {p.name for p in PACKAGE.iterdir() if (p / "__init__.py").is_file()}
    assert top == set(carbonlib.LIBRARY), "a module at the top of carbonlib/ is not in carbonlib.LIBRARY"
    assert packages == {"figures", "workbench"}
    library_contract = CONTRACTS[0]
    assert library_contract["source_modules"] == [f"carbonlib.{m}" for m in carbonlib.LIBRARY]
    assert "carbonlib.workbench" in library_contract["forbidden_modules"]
    assert "matplotlib" in library_contract["forbidden_modules"]


def test_a_broken_rule_is_caught(tmp_path):
    """The contract is not vacuous: a library module importing the workbench breaks it."""
    copy = tmp_path / "project"
    shutil.copytree(PACKAGE, copy / "carbonlib", ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(ROOT / "pyproject.toml", copy / "pyproject.toml")
    market = copy / "carbonlib" / "market.py"
    market.write_text(market.read_text(encoding="utf-8") + "\nfrom carbonlib.workbench import paths  # noqa\n",
                      encoding="utf-8")
    result = _lint(copy, pythonpath=copy)
    assert result.returncode != 0
    assert "BROKEN" in result.stdout and "carbonlib.market -> carbonlib.workbench.paths" in result.stdout


def test_the_library_imports_on_its_own():
    """Importing every library module loads no workbench, figure, plotting or Jupyter module."""
    code = ("import sys, carbonlib\n"
            "for m in carbonlib.LIBRARY: __import__('carbonlib.' + m)\n"
            "bad = {'carbonlib.workbench', 'carbonlib.figures', 'matplotlib', 'IPython', 'ipykernel', 'papermill'}\n"
            "print(sorted(k for k in sys.modules if k in bad))")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120, check=True)
    assert result.stdout.strip() == "[]", result.stdout


def _attribute_uses(tree: ast.AST, names: set[str]) -> list[int]:
    lines = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute) and node.attr in names:
            lines.append(node.lineno)
        elif isinstance(node, ast.Name) and node.id in names:
            lines.append(node.lineno)
        elif isinstance(node, ast.ImportFrom) and node.module == "os" and {a.name for a in node.names} & names:
            lines.append(node.lineno)
    return lines


@pytest.mark.parametrize("name", carbonlib.LIBRARY)
def test_the_library_reads_no_environment_variable(name):
    tree = ast.parse((PACKAGE / f"{name}.py").read_text(encoding="utf-8"))
    lines = _attribute_uses(tree, {"environ", "getenv", "putenv"})
    assert not lines, f"carbonlib/{name}.py reads the environment on line(s) {lines}: that belongs to the workbench"


@pytest.mark.parametrize("name", carbonlib.LIBRARY)
def test_only_the_loader_locates_files_from_its_own_path(name):
    tree = ast.parse((PACKAGE / f"{name}.py").read_text(encoding="utf-8"))
    lines = [n.lineno for n in ast.walk(tree) if isinstance(n, ast.Name) and n.id == "__file__"]
    if name == LOADER:
        assert lines, "the loader should locate the data package from the package's own path"
    else:
        assert not lines, f"carbonlib/{name}.py uses __file__ on line(s) {lines}: only carbonlib/{LOADER}.py may"


NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))


def _code_cells(nb: Path):
    for i, cell in enumerate(json.loads(nb.read_text(encoding="utf-8"))["cells"]):
        if cell["cell_type"] == "code":
            yield i, "".join(cell["source"])


@pytest.mark.parametrize("nb", NOTEBOOKS, ids=[p.stem for p in NOTEBOOKS])
def test_notebooks_draw_nothing_and_define_nothing(nb):
    for i, source in _code_cells(nb):
        tree = ast.parse(source)
        for node in ast.walk(tree):
            assert not isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef | ast.Lambda), (
                f"{nb.name}, cell {i}: defines {getattr(node, 'name', 'a lambda')}; put it in carbonlib")
            if isinstance(node, ast.Import | ast.ImportFrom):
                modules = [a.name for a in node.names] + ([node.module] if isinstance(node, ast.ImportFrom) else [])
                assert not any(m and m.split(".")[0] == "matplotlib" for m in modules), (
                    f"{nb.name}, cell {i}: imports matplotlib; draw figures in carbonlib.figures")
            if isinstance(node, ast.Name):
                assert node.id not in {"plt", "ax", "axes", "fig"}, (
                    f"{nb.name}, cell {i}, line {node.lineno}: `{node.id}`: draw figures in carbonlib.figures")


@pytest.mark.parametrize("nb", NOTEBOOKS, ids=[p.stem for p in NOTEBOOKS])
def test_no_code_cell_reads_the_edition(nb):
    """One execution writes every edition, so no computation may depend on ``lang``."""
    cells = json.loads(nb.read_text(encoding="utf-8"))["cells"]
    for i, cell in enumerate(cells):
        if cell["cell_type"] != "code" or "parameters" in cell.get("metadata", {}).get("tags", []):
            continue
        names = {n.id for n in ast.walk(ast.parse("".join(cell["source"]))) if isinstance(n, ast.Name)}
        assert "lang" not in names, f"{nb.name}, cell {i}: reads `lang`; the run renders each edition itself"


def _run_installed_copy(tmp_path: Path, code: str, cwd: Path, env_extra: dict | None = None) -> str:
    """Run ``code`` with a copy of the package installed outside the checkout (as a wheel would be)."""
    import os

    site = tmp_path / "site"
    if not site.exists():
        shutil.copytree(PACKAGE, site / "carbonlib", ignore=shutil.ignore_patterns("__pycache__"))
    env = {k: v for k, v in os.environ.items() if not k.startswith("CARBONLIB_")}
    env.update({"PYTHONPATH": str(site), **(env_extra or {})})
    result = subprocess.run([sys.executable, "-c", code], cwd=cwd, env=env, capture_output=True, text=True,
                            timeout=120)
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


def test_an_installation_outside_the_checkout_finds_the_project(tmp_path):
    code = ("import carbonlib.workbench.paths as p, carbonlib.datasets as d; "
            "print(p.PACKAGE_DIR.parent != p.ROOT, p.ROOT, p.notebooks_dir())")
    out = _run_installed_copy(tmp_path, code, cwd=ROOT / "notebooks")  # found from the working folder up
    assert out == f"True {ROOT} {ROOT / 'notebooks'}"
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    out = _run_installed_copy(tmp_path, code, cwd=elsewhere, env_extra={"CARBONLIB_ROOT": str(ROOT)})
    assert out == f"True {ROOT} {ROOT / 'notebooks'}"


def test_the_loader_reads_the_data_package_of_the_root_it_is_given(tmp_path):
    code = ("from carbonlib import datasets; from carbonlib.errors import DataError\n"
            "try:\n    datasets.load('cap_proposal_t3')\nexcept DataError as e:\n    print('refused:', e)\n"
            f"datasets.set_root({str(ROOT)!r}); print(len(datasets.load('cap_proposal_t3')) > 0)")
    out = _run_installed_copy(tmp_path, code, cwd=tmp_path).splitlines()
    assert out[0].startswith("refused:") and "datapackage.json" in out[0] and "not found" in out[0]
    assert out[1] == "True"

"""Every workbook: committed clean, and executed through papermill with its defaults and with
each of its named scenarios (``notebooks/params/<notebook>/*.yaml``)."""

from __future__ import annotations

import ast
import json
import re
from pathlib import Path

import papermill as pm
import pytest
import yaml

from carbonlib.workbench import build, params, paths

from . import prose

NOTEBOOKS = sorted(p for p in paths.notebooks_dir().glob("*.ipynb"))
ZH = "zh-TW"  # the Traditional Chinese edition of each workbook, run with its defaults
SYNTHETIC = "synthetic_history"  # 06's scenario on the committed synthetic price history


def _shared_files(values: dict) -> list[Path]:
    """Files a scenario names (``*_file`` parameters) that live in ``../shared``, not in the repository."""
    out = []
    for name, value in values.items():
        if name.endswith("_file") and isinstance(value, str) and value.strip() and not value.startswith("$"):
            p = Path(value)
            if not p.is_absolute() and not (paths.ROOT / p).exists():
                out.append(paths.shared_data_dir() / p)
    return out


def _runs():
    runs = [pytest.param(nb, None, id=nb.stem) for nb in NOTEBOOKS]
    runs += [pytest.param(nb, ZH, id=f"{nb.stem}[lang={ZH}]") for nb in NOTEBOOKS]
    for nb in NOTEBOOKS:
        for scenario in sorted((paths.params_dir() / nb.stem).glob("*.yaml")):
            if scenario.stem == SYNTHETIC:  # run, with more checks, by its own test below
                continue
            values = yaml.safe_load(scenario.read_text(encoding="utf-8")) or {}
            shared = _shared_files(values)
            runs.append(pytest.param(nb, scenario, id=f"{nb.stem}[{scenario.stem}]",
                                     marks=[pytest.mark.shared(*shared)] if shared else []))
    return runs


RUNS = _runs()


def test_there_are_workbooks():
    assert len(NOTEBOOKS) >= 1


@pytest.mark.parametrize("nb", NOTEBOOKS, ids=[p.stem for p in NOTEBOOKS])
def test_committed_notebook_is_clean_and_thin(nb):
    data = json.loads(nb.read_text(encoding="utf-8"))
    code = [c for c in data["cells"] if c["cell_type"] == "code"]
    assert all(not c.get("outputs") and c.get("execution_count") is None for c in code), "has outputs"
    assert sum("parameters" in c.get("metadata", {}).get("tags", []) for c in code) == 1
    source = "\n".join("".join(c["source"]) for c in code)
    assert not re.search(r"^\s*(def|class)\s", source, re.M), "defines functions: they belong in carbonlib"
    assert f'cl.start("{nb.stem}", globals())' in source
    assert data["metadata"]["kernelspec"]["name"] == "python3"
    decl = params.declared(nb)
    assert decl, "declares no parameters"
    assert all(p.comment for p in decl.values()), "every parameter needs a comment with its unit"
    assert len(params.scenarios(nb)) >= 2, "needs at least two named scenarios"


def _caption_literals(nb: Path) -> list[tuple[int, str]]:
    """The literal text of every ``caption=`` of a workbook's code (an f-string's fixed parts)."""
    out = []
    for i, cell in enumerate(json.loads(nb.read_text(encoding="utf-8"))["cells"], start=1):
        if cell["cell_type"] != "code":
            continue
        for node in ast.walk(ast.parse("".join(cell["source"]))):
            if isinstance(node, ast.keyword) and node.arg == "caption":
                v = node.value
                parts = [v] if isinstance(v, ast.Constant) else [x for x in getattr(v, "values", []) if isinstance(x, ast.Constant)]
                out.append((i, " ⟨value⟩ ".join(str(x.value) for x in parts)))
    return out


def _illustrative_outputs(nb: Path) -> list[tuple[str, str]]:
    """``(output name, caption source)`` of every ``run.table``/``run.figure`` of a workbook
    whose data derive from an illustrative dataset (``x_illustrative``).

    A small data-flow reading of the code cells in order: a name is illustrative when the
    expression assigned to it loads an illustrative dataset or uses an illustrative name.
    """
    from carbonlib import datasets

    illustrative = {r["name"] for r in datasets.package()["resources"] if r.get("x_illustrative")}
    tainted: set[str] = set()

    def taints(node) -> bool:
        for n in ast.walk(node):
            if isinstance(n, ast.Name) and n.id in tainted:
                return True
            if (isinstance(n, ast.Call) and isinstance(n.func, ast.Attribute) and n.func.attr == "load"
                    and n.args and isinstance(n.args[0], ast.Constant) and n.args[0].value in illustrative):
                return True
        return False

    found = []
    for cell in json.loads(nb.read_text(encoding="utf-8"))["cells"]:
        if cell["cell_type"] != "code":
            continue
        for node in ast.walk(ast.parse("".join(cell["source"]))):
            if isinstance(node, ast.Assign) and taints(node.value):
                tainted |= {n.id for t in node.targets for n in ast.walk(t) if isinstance(n, ast.Name)}
            elif (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
                  and isinstance(node.func.value, ast.Name) and node.func.value.id == "run"
                  and node.func.attr in ("table", "figure") and node.args and taints(node.args[0])):
                caption = next(k.value for k in node.keywords if k.arg == "caption")
                name = node.args[1].value if len(node.args) > 1 and isinstance(node.args[1], ast.Constant) else "?"
                found.append((name, ast.unparse(caption)))
    return found


def _says_illustrative(nb: Path, caption_source: str) -> bool:
    """A caption says so itself, through ``run.inputs`` (which says so for the project's
    illustrative table), or through a name assigned a text that says so."""
    if "illustrative" in caption_source or "run.inputs(" in caption_source:
        return True
    code = "".join("".join(c["source"]) for c in json.loads(nb.read_text(encoding="utf-8"))["cells"]
                   if c["cell_type"] == "code")
    named = re.findall(r"\{(\w+)\}", caption_source)
    return any(re.search(rf"^{n} = .*illustrative", code, re.M) for n in named)


@pytest.mark.parametrize("nb", NOTEBOOKS, ids=[p.stem for p in NOTEBOOKS])
def test_every_output_of_illustrative_data_says_so_in_its_caption(nb):
    unsaid = [name for name, caption in _illustrative_outputs(nb) if not _says_illustrative(nb, caption)]
    assert not unsaid, f"{nb.stem}: outputs of illustrative data whose caption does not say so: {unsaid}"


def test_the_illustrative_data_flow_is_seen():
    """The check above is not vacuous: workbook 05's penalty reads the illustrative inflation."""
    names = [name for name, _ in _illustrative_outputs(paths.notebooks_dir() / "05_carbon_leakage.ipynb")]
    assert "penalty_path" in names


@pytest.mark.parametrize("nb", NOTEBOOKS, ids=[p.stem for p in NOTEBOOKS])
def test_captions_type_no_computed_number(nb):
    """A caption is an f-string: its numbers are run values, printed figures (data/raw) or names."""
    found = []
    for cell, text in _caption_literals(nb):
        body = re.sub(r"^\s*(Table|Figure)\s+\d+\.\s*", "", text)
        found += [f"cell {cell}: {u}" for u in prose.unaccounted(f'<div class="jp-RenderedMarkdown">{body}</div>')]
    assert not found, "numbers typed into captions (use the run's values in the f-string):\n" + "\n".join(found)


def _execute(nb: Path, scenario, build_dir: Path, tmp_path: Path) -> dict:
    """Run ``nb`` through papermill with a scenario (None: defaults; ZH: the zh-TW edition)."""
    if scenario == ZH:
        values = {"lang": ZH}
    else:
        values = {} if scenario is None else yaml.safe_load(scenario.read_text(encoding="utf-8"))
    params.validate(nb, values)
    out = tmp_path / f"{nb.stem}.ipynb"
    pm.execute_notebook(str(nb), str(out), parameters=values, kernel_name="python3",
                        progress_bar=False, cwd=str(paths.notebooks_dir()),
                        kernel_manager_class=build.kernel_manager_class())
    executed = json.loads(out.read_text(encoding="utf-8"))
    errors = [o for c in executed["cells"] for o in c.get("outputs", []) if o.get("output_type") == "error"]
    assert not errors
    streams = "".join("".join(o.get("text", "")) for c in executed["cells"] for o in c.get("outputs", [])
                      if o.get("output_type") == "stream")
    assert "missing from font" not in streams, "a figure label would show missing-glyph boxes"
    assert "Warning" not in streams, f"a warning is printed into the paper: {streams[:500]}"
    edition = build_dir / ZH if values.get("lang") == ZH else build_dir
    assert list((edition / "tables" / nb.stem).glob("*.csv")), "wrote no table"
    assert list((edition / "figures" / nb.stem).glob("*.png")), "wrote no figure"
    entry = build.read_manifest(edition)["notebooks"][nb.stem]
    assert entry["status"] == "interactive", "a run outside the build is marked so in the manifest"
    assert {k: entry["parameters"][k] for k in values} == params.validate(nb, values)
    # the paper of this run: its prose types no number that the run or the reports do not account for
    html_text = prose.paper_of_run(nb, out, values)
    found = prose.unaccounted(html_text)
    assert not found, "numbers typed into the prose (use a placeholder, docs/CONVENTIONS.md):\n" + "\n".join(found)
    executed["paper"] = html_text
    return executed


@pytest.mark.notebooks
@pytest.mark.parametrize(("nb", "scenario"), RUNS)
def test_notebook_executes(nb, scenario, build_dir, tmp_path):
    _execute(nb, scenario, build_dir, tmp_path)


@pytest.mark.notebooks
def test_synthetic_history_builds_every_section_of_the_price_paper(build_dir, tmp_path):
    """Without vendor data, 06 on the committed synthetic history shows every table and figure."""
    nb = paths.notebooks_dir() / "06_eua_prices.ipynb"
    executed = _execute(nb, paths.params_dir() / nb.stem / f"{SYNTHETIC}.yaml", build_dir, tmp_path)
    tables = {p.stem for p in (build_dir / "tables" / nb.stem).glob("*.csv")}
    assert tables == {"quoted_facts", "findings_summary", "findings", "describe_by_phase", "unit_root_tests",
                      "break_tests", "arima_coefficients", "arima_diagnostics", "arima_forecast", "comparison"}
    figures = {p.stem for p in (build_dir / "figures" / nb.stem).glob("*.png")}
    assert figures == {"quoted_facts", "fig4_price_volume", "history", "volatility", "arima_forecast", "comparison"}
    text = "".join("".join(o.get("text", "")) for c in executed["cells"] for o in c.get("outputs", []))
    assert "synthetic: illustrative, not observed prices" in text

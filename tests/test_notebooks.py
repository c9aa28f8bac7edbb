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

"""Every workbook: committed clean, and executed through papermill with its defaults and with
each of its named scenarios (``notebooks/params/<notebook>/*.yaml``)."""

from __future__ import annotations

import json
import re

import papermill as pm
import pytest
import yaml

from carbonlib import params, paths

NOTEBOOKS = sorted(p for p in paths.NOTEBOOKS_DIR.glob("*.ipynb"))
ZH = "zh-TW"  # the Traditional Chinese edition of each workbook, run with its defaults
RUNS = [(nb, None) for nb in NOTEBOOKS] + [(nb, ZH) for nb in NOTEBOOKS] + [
    (nb, scenario) for nb in NOTEBOOKS for scenario in sorted((paths.PARAMS_DIR / nb.stem).glob("*.yaml"))
]


def _id(run):
    nb, scenario = run
    if scenario == ZH:
        return f"{nb.stem}[lang={ZH}]"
    return nb.stem + ("" if scenario is None else f"[{scenario.stem}]")


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


@pytest.mark.notebooks
@pytest.mark.parametrize("run", RUNS, ids=[_id(r) for r in RUNS])
def test_notebook_executes(run, build_dir, tmp_path):
    nb, scenario = run
    if scenario == ZH:
        values = {"lang": ZH}
    else:
        values = {} if scenario is None else yaml.safe_load(scenario.read_text(encoding="utf-8"))
    params.validate(nb, values)
    out = tmp_path / f"{nb.stem}.ipynb"
    pm.execute_notebook(str(nb), str(out), parameters=values, kernel_name="python3",
                        progress_bar=False, cwd=str(paths.NOTEBOOKS_DIR))
    executed = json.loads(out.read_text(encoding="utf-8"))
    errors = [o for c in executed["cells"] for o in c.get("outputs", []) if o.get("output_type") == "error"]
    assert not errors
    streams = "".join("".join(o.get("text", "")) for c in executed["cells"] for o in c.get("outputs", [])
                      if o.get("output_type") == "stream")
    assert "missing from font" not in streams, "a figure label would show missing-glyph boxes"
    assert "Warning" not in streams, f"a warning is printed into the paper: {streams[:500]}"
    assert list((build_dir / "tables" / nb.stem).glob("*.csv")), "wrote no table"
    assert list((build_dir / "figures" / nb.stem).glob("*.png")), "wrote no figure"

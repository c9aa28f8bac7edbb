"""Parameter sweeps (``python -m carbonlib sweep``): the plan, local and Dask runs, failures, resume.

Most tests use the small fixture workbook ``tests/fixtures/sweeps/sweepfix.ipynb`` (records
``y = k * x`` or ``k * x**2``, writes a ``summary`` table, fails when ``x > fail_above``, sleeps
``seconds``); one runs workbook 02 for real.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time

import pandas as pd
import pytest

from carbonlib.__main__ import main
from carbonlib.errors import ParameterError
from carbonlib.workbench import sweep

from .conftest import FIXTURES, ROOT

FIX = FIXTURES / "sweeps"
NB = FIX / "sweepfix.ipynb"


def _grid(tmp_path, text: str, name: str = "grid.yaml"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def _cli(*args, timeout=300):
    return subprocess.run([sys.executable, "-m", "carbonlib", "sweep", *map(str, args)], cwd=ROOT,
                          env=dict(os.environ), capture_output=True, text=True, timeout=timeout)


def _results(folder):
    frame = pd.read_csv(folder / "results.csv", dtype={"value": str}, keep_default_na=False)
    return frame


# --------------------------------------------------------------------------- the plan


def test_plan_is_grid_product_times_seeded_sample_on_top_of_fixed(tmp_path):
    g = _grid(tmp_path, """
fixed: {seconds: 0}
grid:
  x: [1, 2]
  mode: [plain, squared]
sample:
  n: 3
  seed: 5
  k: {low: 1, high: 4}
  fail_above: {low: 10, high: 20}
tables: [summary]
""")
    plan = sweep.load_plan(NB, g)
    assert len(plan.runs) == 2 * 2 * 3 and plan.duplicates == 0
    assert plan.varied == ["x", "mode", "k", "fail_above"] and plan.fixed == {"seconds": 0.0}
    assert plan.tables == {"summary": []}
    assert {(r["x"], r["mode"]) for r in plan.runs} == {(1.0, "plain"), (1.0, "squared"), (2.0, "plain"),
                                                        (2.0, "squared")}
    assert all(isinstance(r["x"], float) and isinstance(r["seconds"], float) for r in plan.runs)
    assert all(isinstance(r["k"], int) and 1 <= r["k"] <= 4 for r in plan.runs)
    assert all(10 <= r["fail_above"] < 20 for r in plan.runs)
    # the same three draws are combined with every grid point
    points = {(r["x"], r["mode"]) for r in plan.runs}
    draws = {xm: sorted((r["k"], r["fail_above"]) for r in plan.runs if (r["x"], r["mode"]) == xm) for xm in points}
    assert len({tuple(d) for d in draws.values()}) == 1 and len(next(iter(draws.values()))) == 3
    assert [r["fail_above"] for r in sweep.load_plan(NB, g).runs] == [r["fail_above"] for r in plan.runs]
    other = sweep.load_plan(NB, _grid(tmp_path, g.read_text().replace("seed: 5", "seed: 6"), "other.yaml"))
    assert [r["fail_above"] for r in other.runs] != [r["fail_above"] for r in plan.runs]
    ids = [sweep.run_id(r) for r in plan.runs]
    assert len(set(ids)) == len(ids) and all(len(i) == 16 for i in ids)


def test_sample_from_a_list_merges_duplicate_draws(tmp_path):
    plan = sweep.load_plan(NB, _grid(tmp_path, "sample: {n: 20, seed: 0, mode: [plain, squared]}\n"))
    assert sorted(r["mode"] for r in plan.runs) == ["plain", "squared"] and plan.duplicates == 18


def test_named_grids_of_the_workbooks_load():
    p02 = sweep.load_plan("02", "supply_uncertainty")
    assert len(p02.runs) == 24 and p02.tables == {"monte_carlo_summary": []}
    assert {r["mc_distribution"] for r in p02.runs} <= {"uniform", "triangular"}
    p03 = sweep.load_plan("03_eu_ets_cap_and_auctions", "reduction_factors")
    assert len(p03.runs) == 12 and p03.varied == ["reduction_factor", "extension_factor"]
    with pytest.raises(ParameterError, match=r"grid file 'nope' not found; named grids of "
                                             r"02_kyoto_supply_demand: supply_uncertainty"):
        sweep.load_plan("02", "nope")


BAD_GRIDS = [
    ("grid: {z: [1, 2]}", r"unknown parameter 'z'\. It accepts: x \(float"),
    ("grid: {k: [1, 2.5]}", r"grid\.k: sweepfix: parameter 'k' must be int, got float 2\.5"),
    ("grid: {x: 1.5}", r"grid\.x: must be a non-empty list of values, got 1\.5 \(use 'fixed'"),
    ("grid: {x: []}", r"grid\.x: must be a non-empty list"),
    ("fixed: {x: 1}", r"nothing varies; give 'grid'"),
    ("grid: {x: [1]}\nsample: {n: 2, x: {low: 0, high: 1}}", r"parameter 'x' is given in both 'grid' and 'sample'"),
    ("sample: {n: 2, x: {low: 2, high: 1}}", r"sample\.x: low 2 is above high 1"),
    ("sample: {n: 2, mode: {low: 0, high: 1}}", r"sample\.mode: low/high needs an int or float parameter"),
    ("sample: {n: 2, k: {low: 0.5, high: 3}}", r"sample\.k: k is int, so low and high must be whole numbers"),
    ("sample: {n: 0, x: {low: 0, high: 1}}", r"sample\.n: the number of draws must be a positive integer, got 0"),
    ("sample: {n: 2, mode: [plain, 3]}", r"sample\.mode: sweepfix: parameter 'mode' must be str, got int 3"),
    ("sample: {n: 2, seed: 1}", r"sample: no parameter to draw"),
    ("grid: {x: [1]}\nrepeat: 3", r"unknown key\(s\) repeat; a grid file takes fixed, grid, quantities"),
    ("grid: {x: [1]}\ntables: [Summary]", r"tables: 'Summary' is not a table name"),
    ("- x\n- y", r"a grid file must be a mapping"),
    ("grid: {x: [1}", r"not valid YAML"),
]


@pytest.mark.parametrize(("text", "match"), BAD_GRIDS, ids=[m.split("\\")[0][:30] for _, m in BAD_GRIDS])
def test_bad_grid_is_rejected_before_anything_runs(tmp_path, build_dir, text, match):
    g = _grid(tmp_path, text + "\n")
    with pytest.raises(ParameterError, match=match) as info:
        sweep.sweep(NB, g, quiet=True)
    assert str(g) in str(info.value)
    assert not (build_dir / "sweeps").exists()


def test_cli_reports_a_bad_grid_with_exit_2(tmp_path, build_dir, capsys):
    g = _grid(tmp_path, "grid: {z: [1, 2]}\n")
    assert main(["sweep", str(NB), "-f", str(g)]) == 2
    assert f"error: {g}: grid.z: sweepfix: unknown parameter 'z'" in capsys.readouterr().err
    assert not (build_dir / "sweeps").exists()


# --------------------------------------------------------------------------- running


def test_local_sweep_collects_values_tables_chart_and_isolates_a_failure(build_dir):
    out = sweep.sweep(NB, FIX / "grid_fail.yaml", jobs=2, quiet=True)
    assert (out.runs, out.executed, out.skipped, out.failed) == (6, 6, 0, 2)
    assert out.folder == build_dir / "sweeps" / "sweepfix-grid_fail"
    res = _results(out.folder)
    assert list(res.columns) == ["run_id", "status", "x", "mode", "table", "row", "quantity", "value", "error"]
    y = res[(res["table"] == "") & (res["quantity"] == "y")]
    assert {(float(r.x), r.mode): float(r.value) for r in y.itertuples()} == {
        (1.0, "plain"): 2.0, (1.0, "squared"): 2.0, (2.0, "plain"): 4.0, (2.0, "squared"): 8.0}
    labels = res[res["quantity"] == "label"]
    assert sorted(labels["value"]) == ["plain-2", "plain-2", "squared-2", "squared-2"]
    half = res[(res["table"] == "summary") & (res["row"] == "half_y")]
    assert sorted(float(v) for v in half["value"]) == [1.0, 1.0, 2.0, 4.0]
    assert set(half["quantity"]) == {"value"}
    # the two failing runs: one row each, with their parameters and the error
    failed = res[res["status"] == "failed"]
    assert len(failed) == 2 and set(failed["x"].astype(float)) == {3.0}
    assert set(failed["mode"]) == {"plain", "squared"}
    assert all(e == "ValueError: x = 3.0 is above fail_above = 2.5" for e in failed["error"])
    fails = pd.read_csv(out.folder / "failures.csv")
    assert list(fails.columns) == ["run_id", "fail_above", "x", "mode", "cell_index", "cell_source", "error"]
    assert set(fails["run_id"]) == set(failed["run_id"]) and set(fails["cell_index"]) == {4}
    assert set(fails["cell_source"]) == {'line 2 `raise ValueError(f"x = {x} is above fail_above = {fail_above}")`'} and set(fails["fail_above"]) == {2.5}
    for rid in fails["run_id"]:
        executed = json.loads((out.folder / "failed" / f"{rid}.ipynb").read_text())
        assert any(o.get("ename") == "ValueError" for c in executed["cells"] for o in c.get("outputs", []))
    assert (out.folder / "chart.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert "<svg" in (out.folder / "chart.svg").read_text()
    assert len(list((out.folder / "runs").glob("*.json"))) == 6
    meta = json.loads((out.folder / "sweep.json").read_text())
    assert meta["varied"] == ["x", "mode"] and meta["fixed"] == {"fail_above": 2.5} and meta["failed"] == 2

    # a rerun keeps the finished runs and retries only the failed ones
    ok_files = {p: p.stat().st_mtime_ns for p in (out.folder / "runs").glob("*.json")
                if json.loads(p.read_text())["status"] == "ok"}
    again = sweep.sweep(NB, FIX / "grid_fail.yaml", jobs=2, quiet=True)
    assert (again.skipped, again.executed, again.failed) == (4, 2, 2)
    assert {p: p.stat().st_mtime_ns for p in ok_files} == ok_files
    assert _results(again.folder).equals(res)


def test_cli_sweep_runs_on_a_dask_local_cluster(tmp_path, build_dir):
    from distributed import Client, LocalCluster

    g = _grid(tmp_path, "grid:\n  x: [1, 2, 3]\n  k: [2, 3]\n", "dask.yaml")
    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None) as cluster:
        result = _cli(NB, "-f", g, "--name", "on-dask", "--scheduler", cluster.scheduler_address)
        with Client(cluster) as client:
            worker_pids = set(client.run(os.getpid).values())
    assert result.returncode == 0, result.stderr
    assert f"running 6 run(s) on Dask scheduler {cluster.scheduler_address} (2 worker(s))" in result.stderr
    folder = build_dir / "sweeps" / "on-dask"
    res = _results(folder)
    y = res[res["quantity"] == "y"]
    assert {(float(r.x), int(r.k)): float(r.value) for r in y.itertuples()} == {
        (x, k): float(k * x) for x in (1.0, 2.0, 3.0) for k in (2, 3)}
    runs = [json.loads(p.read_text()) for p in (folder / "runs").glob("*.json")]
    assert {r["pid"] for r in runs} == worker_pids and len(worker_pids) == 2


def test_interrupted_sweep_resumes_without_redoing_finished_runs(tmp_path, build_dir):
    g = _grid(tmp_path, "fixed: {seconds: 1.0}\ngrid:\n  x: [1, 2, 3, 4]\n", "slow.yaml")
    runs = build_dir / "sweeps" / "sweepfix-slow" / "runs"
    proc = subprocess.Popen([sys.executable, "-m", "carbonlib", "sweep", str(NB), "-f", str(g), "-j", "1"],
                            cwd=ROOT, env=dict(os.environ), stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL, start_new_session=True)
    deadline = time.monotonic() + 120
    while len(list(runs.glob("*.json"))) < 2 and time.monotonic() < deadline and proc.poll() is None:
        time.sleep(0.05)
    os.killpg(proc.pid, signal.SIGKILL)
    proc.wait()
    done = {p.name: p.stat().st_mtime_ns for p in runs.glob("*.json")}
    assert 2 <= len(done) < 4, "the sweep was not interrupted in the middle"
    assert not (runs.parent / "results.csv").exists()

    result = _cli(NB, "-f", g, "-j", "2")
    assert result.returncode == 0, result.stderr
    assert f"4 run(s) of sweepfix; {len(done)} already finished, skipped" in result.stderr
    assert f"running {4 - len(done)} run(s)" in result.stderr
    assert {p.name: p.stat().st_mtime_ns for p in runs.glob("*.json") if p.name in done} == done
    y = _results(runs.parent).query("quantity == 'y'")
    assert sorted(float(v) for v in y["value"]) == [2.0, 4.0, 6.0, 8.0]


@pytest.mark.notebooks
def test_sweep_of_workbook_02_collects_shortfall_probability_and_quantiles(tmp_path, build_dir):
    g = _grid(tmp_path, """
fixed: {mc_draws: 2000, mc_quantiles: [0.1, 0.9]}
grid:
  supply_sources: [cdm_ji, cdm_ji_aau]
tables: [monte_carlo_summary]
""", "kyoto.yaml")
    out = sweep.sweep("02", g, jobs=2, quiet=True)
    assert out.failed == 0 and out.runs == 2
    res = _results(out.folder)
    values = res[res["table"] == ""].pivot(index="supply_sources", columns="quantity", values="value")
    wanted = ["shortfall_probability", "surplus_mtco2e", "mean_surplus_mtco2e", "q10_surplus_mtco2e",
              "q90_surplus_mtco2e"]
    assert set(wanted) <= set(values.columns)
    values = values[wanted].astype(float)  # the run also records lists and labels, for its prose
    # counting the whole AAU surplus can only add supply
    assert values.loc["cdm_ji_aau", "mean_surplus_mtco2e"] > values.loc["cdm_ji", "mean_surplus_mtco2e"]
    assert (values["q10_surplus_mtco2e"] <= values["q90_surplus_mtco2e"]).all()
    assert values["shortfall_probability"].between(0, 1).all()
    table = res[(res["table"] == "monte_carlo_summary") & (res["row"] == "shortfall_probability")]
    assert dict(zip(table["supply_sources"], table["value"].astype(float), strict=True)) == \
        values["shortfall_probability"].to_dict()
    assert (out.folder / "chart.svg").exists()


def test_warm_and_cold_runs_record_the_same_values_and_tables(tmp_path, build_dir):
    """The same runs of workbook 02, in warm workers and each in its own papermill kernel."""
    g = _grid(tmp_path, "fixed: {mc_draws: 2000}\ngrid:\n  mc_seed: [1, 2, 3]\n  range_end: [low, high]\n"
              "tables: [monte_carlo_summary]\n", "warm_cold.yaml")
    nb = ROOT / "notebooks" / "02_kyoto_supply_demand.ipynb"
    warm = sweep.sweep(nb, g, name="warm", jobs=2, quiet=True)
    cold = sweep.sweep(nb, g, name="cold", jobs=2, quiet=True, engine="papermill")
    assert (warm.failed, cold.failed, warm.executed, cold.executed) == (0, 0, 6, 6)
    warm_rows, cold_rows = _results(warm.folder), _results(cold.folder)
    assert len(warm_rows) > 6 * 10 and set(warm_rows["table"]) == {"", "monte_carlo_summary"}
    pd.testing.assert_frame_equal(warm_rows, cold_rows)  # identical rows, value for value
    warm_runs = [json.loads(p.read_text()) for p in (warm.folder / "runs").glob("*.json")]
    assert len({r["pid"] for r in warm_runs}) <= 2  # two workers ran all six parameter sets
    assert all(0 < r["cells_s"] <= r["duration_s"] for r in warm_runs)


def test_an_unknown_engine_is_refused(tmp_path, build_dir):
    with pytest.raises(ParameterError, match="engine 'hot': use one of warm, papermill"):
        sweep.sweep(NB, FIX / "grid_fail.yaml", engine="hot", quiet=True)

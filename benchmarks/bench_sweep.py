"""Benchmark: a sweep of 64 runs of one workbook against a loop of papermill calls, in one run.

The workbook is 02_kyoto_supply_demand, the quickest to execute (about 3 s in the build's
manifest), swept over 64 Monte Carlo seeds (``mc_seed`` = 1 … 64, defaults otherwise). The
usual way is a shell loop of ``papermill NB out.ipynb -p mc_seed N``, one after another; the
sweep is ``python -m carbonlib sweep 02 -f grid.yaml`` (warm workers on the local cores, each
importing the stack once and running every parameter set in a fresh namespace; values and the
Monte Carlo table collected into one CSV and a chart). Both write into temporary folders. The
script prints both wall times, their ratio (target: at most 0.10), the mean overhead of a run
in the sweep (its time minus its cells' time; target: under 0.3 s), and the time of a second
sweep that finds every run finished (resume; runs are redone only if the notebook or carbonlib
changed in between).

Usage: python benchmarks/bench_sweep.py [runs]
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
NOTEBOOK = ROOT / "notebooks" / "02_kyoto_supply_demand.ipynb"


def main(runs: int = 64) -> int:
    env = {**os.environ, "PATH": f"{BIN}{os.pathsep}{os.environ.get('PATH', '')}"}
    env.pop("CARBONLIB_STAGE_DIR", None)
    seeds = list(range(1, runs + 1))
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        env_seq = {**env, "CARBONLIB_BUILD_DIR": str(tmp / "seq-build")}
        (tmp / "seq").mkdir()
        t0 = time.perf_counter()
        for seed in seeds:
            subprocess.run([str(BIN / "papermill"), str(NOTEBOOK), str(tmp / "seq" / f"run-{seed}.ipynb"),
                            "-p", "mc_seed", str(seed), "--cwd", str(NOTEBOOK.parent), "-k", "python3",
                            "--no-progress-bar"], check=True, env=env_seq, capture_output=True)
        sequential = time.perf_counter() - t0

        grid = tmp / "seeds.yaml"
        grid.write_text(f"grid:\n  mc_seed: {seeds}\ntables: [monte_carlo_summary]\n", encoding="utf-8")
        env_sweep = {**env, "CARBONLIB_BUILD_DIR": str(tmp / "build")}
        command = [sys.executable, "-m", "carbonlib", "sweep", str(NOTEBOOK), "-f", str(grid), "--name", "bench"]
        t0 = time.perf_counter()
        subprocess.run(command, check=True, env=env_sweep, capture_output=True)
        swept = time.perf_counter() - t0

        t0 = time.perf_counter()
        again = subprocess.run(command, check=True, env=env_sweep, capture_output=True, text=True)
        resumed = time.perf_counter() - t0
        skipped = re.search(r"(\d+) already finished, skipped", again.stderr)
        folder = tmp / "build" / "sweeps" / "bench"
        lines = (folder / "results.csv").read_text().count("\n") - 1
        records = [json.loads(p.read_text()) for p in (folder / "runs").glob("*.json")]
        overhead = sum(r["duration_s"] - r["cells_s"] for r in records) / len(records)
        cells = sum(r["cells_s"] for r in records) / len(records)

    print(f"workbook: {NOTEBOOK.stem}   runs: {runs}   cores: {os.cpu_count()}")
    print(f"{'method':<52}{'wall time (s)':>14}{'per run (s)':>13}")
    print(f"{'papermill -p mc_seed N, one call after another':<52}{sequential:>14.1f}{sequential / runs:>13.2f}")
    print(f"{'python -m carbonlib sweep (local cores)':<52}{swept:>14.1f}{swept / runs:>13.2f}")
    note = f"{skipped.group(1) if skipped else '?'} of {runs} skipped"
    print(f"{'the same sweep again (resume: ' + note + ')':<52}{resumed:>14.2f}")
    print(f"a run in the sweep: cells {cells:.2f} s, overhead {overhead:.3f} s "
          f"(target < 0.3 s: {'met' if overhead < 0.3 else 'NOT met'})")
    ratio = swept / sequential
    print(f"sweep / sequential = {ratio:.2f}   (speed-up {sequential / swept:.1f}x; "
          f"target <= 0.10: {'met' if ratio <= 0.10 else 'NOT met'}); results.csv: {lines} rows")
    return 0


if __name__ == "__main__":
    sys.exit(main(*(int(a) for a in sys.argv[1:2])))

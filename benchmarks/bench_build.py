"""Benchmark: the full build against the usual Makefile recipe, in one run.

The usual recipe runs, one notebook after another, the command lines
``papermill NB out.ipynb`` then ``jupyter nbconvert --to html out.ipynb``. The project's build
(``python -m carbonlib build --force``) runs the same notebooks in parallel and exports two
papers each. Both run on the same notebooks into temporary folders; the script prints both
wall times and their ratio (target: the build takes at most half as long).

Usage: python benchmarks/bench_build.py
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent


def main() -> int:
    notebooks = sorted((ROOT / "notebooks").glob("*.ipynb"))
    env = {**os.environ, "PATH": f"{BIN}{os.pathsep}{os.environ.get('PATH', '')}"}
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        env_seq = {**env, "CARBONLIB_BUILD_DIR": str(tmp / "seq-build")}
        t0 = time.perf_counter()
        for nb in notebooks:
            out = tmp / "seq" / nb.name
            out.parent.mkdir(exist_ok=True)
            subprocess.run([str(BIN / "papermill"), str(nb), str(out), "--cwd", str(nb.parent),
                            "-k", "python3", "--no-progress-bar"], check=True, env=env_seq,
                           capture_output=True)
            subprocess.run([str(BIN / "jupyter"), "nbconvert", "--to", "html", str(out)], check=True,
                           env=env_seq, capture_output=True)
        sequential = time.perf_counter() - t0

        env_build = {**env, "CARBONLIB_BUILD_DIR": str(tmp / "build")}
        t0 = time.perf_counter()
        subprocess.run([sys.executable, "-m", "carbonlib", "build", "--force"], check=True,
                       env=env_build, capture_output=True)
        build = time.perf_counter() - t0

        t0 = time.perf_counter()
        subprocess.run([sys.executable, "-m", "carbonlib", "build"], check=True, env=env_build,
                       capture_output=True)
        noop = time.perf_counter() - t0

    print(f"notebooks: {len(notebooks)}   cores: {os.cpu_count()}")
    print(f"{'method':<46}{'wall time (s)':>14}")
    print(f"{'papermill + jupyter nbconvert, one by one':<46}{sequential:>14.1f}")
    print(f"{'python -m carbonlib build --force':<46}{build:>14.1f}")
    print(f"{'python -m carbonlib build (nothing changed)':<46}{noop:>14.2f}")
    ratio = build / sequential
    print(f"build / sequential = {ratio:.2f}  (target <= 0.50: {'met' if ratio <= 0.5 else 'NOT met'})")
    return 0


if __name__ == "__main__":
    sys.exit(main())

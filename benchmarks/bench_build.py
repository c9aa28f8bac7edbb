"""Benchmark: the full build of both editions against the usual recipe, in one run.

The usual recipe runs, one notebook after another and once per edition, the command lines
``papermill NB out.ipynb -p lang LANG`` then ``jupyter nbconvert --to html out.ipynb``. The
project's build (``python -m carbonlib build --force``, what ``make clean && make`` runs)
executes each notebook once, in warm workers, and writes both editions' tables, figures and
two papers each. Both run on the same notebooks into temporary folders; the script prints both
wall times, their ratio (target: at most 0.25) and the time of a build that finds nothing
changed (target: under 1 s for the no-op ``make``, which does not even start Python).

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
        for lang in ("en", "zh-TW"):
            for nb in notebooks:
                out = tmp / "seq" / lang / nb.name
                out.parent.mkdir(parents=True, exist_ok=True)
                subprocess.run([str(BIN / "papermill"), str(nb), str(out), "-p", "lang", lang,
                                "--cwd", str(nb.parent), "-k", "python3", "--no-progress-bar"],
                               check=True, env=env_seq, capture_output=True)
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

    make_noop = None
    if (ROOT / "build" / ".built").exists():  # the checkout's own build: time a make that finds it current
        subprocess.run(["make", "-s", "-C", str(ROOT)], check=True, capture_output=True)  # bring it up to date
        t0 = time.perf_counter()
        subprocess.run(["make", "-s", "-C", str(ROOT)], check=True, capture_output=True)
        make_noop = time.perf_counter() - t0

    print(f"notebooks: {len(notebooks)}   editions: en, zh-TW   cores: {os.cpu_count()}")
    print(f"{'method (both editions)':<58}{'wall time (s)':>14}")
    print(f"{'papermill -p lang L + jupyter nbconvert, one by one':<58}{sequential:>14.1f}")
    print(f"{'python -m carbonlib build --force (make clean && make)':<58}{build:>14.1f}")
    print(f"{'python -m carbonlib build (nothing changed)':<58}{noop:>14.2f}")
    if make_noop is not None:
        print(f"{'make (nothing changed, this checkout)':<58}{make_noop:>14.2f}"
              f"  (target < 1 s: {'met' if make_noop < 1 else 'NOT met'})")
    ratio = build / sequential
    print(f"build / sequential = {ratio:.2f}  (target <= 0.25: {'met' if ratio <= 0.25 else 'NOT met'})")
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""Compare two build folders: proof that a change left every output as it was.

    python tools/compare_builds.py BEFORE AFTER [--same OLD NEW ...]

Build before and after the change into two folders (``CARBONLIB_BUILD_DIR=/tmp/before make build``
…), then compare them:

* tables (CSV), figures (PNG, SVG) and recorded values must be byte-identical;
* papers (HTML) and manifests (JSON) must be identical once build dates, hashes and durations
  are normalised, and once each ``--same OLD NEW`` pair (a text the change renamed on purpose,
  such as a parameter's new way of saying "absent") is applied to the BEFORE side;
* code editions (``html/code/``) print the notebooks' source, which a change to a notebook
  changes: every output and markdown area must be identical, the code is not compared.

Exit status 0 when nothing else differs; otherwise every differing file is listed.
"""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

SKIP_PARTS = {".stage", "sweeps", "screenshots", "notebooks", "failed"}
SKIP_NAMES = {".built", ".lock"}
BYTE_EXACT = {".csv", ".png", ".svg"}


def normalise(text: str) -> str:
    """Build dates, hex digests and durations replaced by placeholders."""
    text = re.sub(r"\d{4}-\d\d-\d\d[T ]\d\d:\d\d(:\d\d(\.\d+)?)?(\+00:00|Z| UTC)?", "DATE", text)
    text = re.sub(r"[0-9a-f]{12,64}", "HASH", text)
    return re.sub(r'"duration_s": [0-9.]+', '"duration_s": D', text)


def outputs_of_code_edition(text: str) -> list[str]:
    """The output and markdown areas of a code edition, inputs removed, normalised."""
    from bs4 import BeautifulSoup  # installed with nbconvert

    soup = BeautifulSoup(text, "html.parser")
    for node in soup.select(".jp-InputArea, .jp-Cell-inputWrapper"):
        node.decompose()
    return [normalise(str(node)) for node in soup.select(".jp-OutputArea, .jp-MarkdownCell")]


def files(root: Path) -> dict[str, Path]:
    return {p.relative_to(root).as_posix(): p for p in sorted(root.rglob("*"))
            if p.is_file() and not SKIP_PARTS & set(p.relative_to(root).parts) and p.name not in SKIP_NAMES}


def compare(before: Path, after: Path, same: list[tuple[str, str]]) -> tuple[dict[str, int], list[str]]:
    fa, fb = files(before), files(after)
    counts = {"byte-identical": 0, "identical after normalising": 0, "code edition, outputs identical": 0}
    problems = []
    for key in sorted(set(fa) | set(fb)):
        if key not in fb or key not in fa:
            problems.append(f"only in {'BEFORE' if key in fa else 'AFTER'}: {key}")
            continue
        x, y = fa[key].read_bytes(), fb[key].read_bytes()
        if x == y:
            counts["byte-identical"] += 1
            continue
        if Path(key).suffix in BYTE_EXACT or Path(key).parent.name == "values":
            problems.append(f"bytes differ: {key}")
            continue
        sx, sy = x.decode("utf-8"), y.decode("utf-8")
        if "/code/" in f"/{key}":
            if outputs_of_code_edition(sx) == outputs_of_code_edition(sy):
                counts["code edition, outputs identical"] += 1
            else:
                problems.append(f"outputs differ in the code edition: {key}")
            continue
        for old, new in same:
            sx = sx.replace(old, new)
        if normalise(sx) == normalise(sy):
            counts["identical after normalising"] += 1
        else:
            problems.append(f"differs: {key}")
    return counts, problems


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("before", type=Path)
    parser.add_argument("after", type=Path)
    parser.add_argument("--same", nargs=2, action="append", default=[], metavar=("OLD", "NEW"),
                        help="a text renamed on purpose: OLD in BEFORE counts as NEW (repeatable)")
    args = parser.parse_args(argv)
    for folder in (args.before, args.after):
        if not folder.is_dir():
            print(f"error: {folder} is not a build folder", file=sys.stderr)
            return 2
    counts, problems = compare(args.before, args.after, [tuple(p) for p in args.same])
    total = sum(counts.values()) + len(problems)
    print(f"{total} files compared: " + ", ".join(f"{n} {what}" for what, n in counts.items())
          + f", {len(problems)} differ")
    for line in problems:
        print("  " + line)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())

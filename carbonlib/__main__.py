"""Command line: ``python -m carbonlib build|params|scenarios``."""

from __future__ import annotations

import argparse
import sys


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m carbonlib", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)

    b = sub.add_parser("build", help="execute workbooks into HTML papers, tables and figures under build/")
    b.add_argument("notebooks", nargs="*", help="workbooks to build (stem, prefix such as 03, or path); default: all")
    b.add_argument("-p", "--param", nargs=2, action="append", metavar=("NAME", "VALUE"),
                   help="set a parameter (one notebook only); repeatable")
    b.add_argument("-f", "--file", metavar="SCENARIO",
                   help="a named scenario under notebooks/params/<notebook>/ or a YAML file")
    b.add_argument("-j", "--jobs", type=int, default=None, help="parallel workers (default: cores)")
    b.add_argument("--force", action="store_true", help="rebuild even if unchanged")

    p = sub.add_parser("params", help="list a workbook's parameters and named scenarios")
    p.add_argument("notebook")

    args = parser.parse_args(argv)
    if args.command == "build":
        from .build import run_cli

        return run_cli(args)
    if args.command == "params":
        from . import params
        from .errors import ParameterError

        try:
            decl = params.declared(args.notebook)
            for prm in decl.values():
                print(prm.describe())
            names = ", ".join(params.scenarios(args.notebook)) or "none"
            print(f"scenarios: {names}")
        except ParameterError as exc:
            print(f"error: {exc}", file=sys.stderr)
            return 2
        return 0
    return 2


if __name__ == "__main__":
    sys.exit(main())

"""Command line: ``python -m carbonlib build|params|sweep|lab|pdf|translations``."""

from __future__ import annotations

import argparse
import sys

from .i18n import LANGS


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
    b.add_argument("--lang", choices=LANGS, default=None,
                   help="build one edition only: en (build/html/) or zh-TW (build/zh-TW/html/); "
                        "default: every edition, from one execution of each workbook")

    p = sub.add_parser("params", help="list a workbook's parameters and named scenarios")
    p.add_argument("notebook")

    s = sub.add_parser("sweep", help="run one workbook over a grid or random sample of its parameters")
    s.add_argument("notebook", help="the workbook (stem, prefix such as 02, or path)")
    s.add_argument("-f", "--file", required=True, metavar="GRID",
                   help="grid YAML file, or a name under notebooks/params/<notebook>/sweeps/")
    s.add_argument("--name", default=None, help="folder under build/sweeps/ (default: <notebook>-<grid>)")
    s.add_argument("-j", "--jobs", type=int, default=None, help="local worker processes (default: cores)")
    s.add_argument("--scheduler", metavar="ADDRESS", default=None,
                   help="run on a Dask distributed cluster, e.g. tcp://host:8786")
    s.add_argument("--force", action="store_true", help="rerun runs already finished")
    s.add_argument("--engine", choices=("warm", "papermill"), default="warm",
                   help="warm: workers that import the stack once, a fresh namespace per run (default); "
                        "papermill: a new kernel per run")

    lab = sub.add_parser("lab", help="JupyterLab on notebooks/ with the project's kernel (what `make lab` runs)")
    lab.add_argument("--port", type=int, default=None, help="port on 127.0.0.1 (default: 8888 or the next free)")
    lab.add_argument("--token", default=None, help="access token (default: a random one, printed with the URL)")
    lab.add_argument("--no-browser", action="store_true", help="do not open a browser window")
    lab.add_argument("extra", nargs=argparse.REMAINDER, help="further jupyter lab options, after --")

    pdf = sub.add_parser("pdf", help="print the built papers to PDF in headless Chromium (what `make pdf` runs)")
    pdf.add_argument("--lang", choices=LANGS, default=None,
                     help="edition: en (build/pdf/) or zh-TW (build/zh-TW/pdf/); default: both")
    pdf.add_argument("--force", action="store_true", help="print even the papers whose PDF is up to date")

    t = sub.add_parser("translations", help="check that every paragraph has a current zh-TW twin (or write/stamp twins)")
    t.add_argument("--write", nargs=2, metavar=("NOTEBOOK", "FILE.json"),
                   help="insert or replace twins from {English cell id or parameter name: Chinese text}")
    t.add_argument("--stamp", nargs="+", metavar="ARG",
                   help="NOTEBOOK [ID ...]: record that the revised Chinese translates the current English")

    args = parser.parse_args(argv)
    if args.command in {"build", "sweep"}:
        from .engine import skip_iri_parser

        skip_iri_parser()
    if args.command == "translations":
        from .translations import run_cli as translations_cli

        return translations_cli(args)
    if args.command == "lab":
        from .lab import run_cli as lab_cli

        args.extra = [a for a in args.extra if a != "--"]
        return lab_cli(args)
    if args.command == "build":
        from .build import run_cli

        return run_cli(args)
    if args.command == "pdf":
        from .pdf import run_cli as pdf_cli

        return pdf_cli(args)
    if args.command == "sweep":
        from .sweep import run_cli as sweep_cli

        return sweep_cli(args)
    if args.command == "params":
        from carbonlib.errors import ParameterError

        from . import params

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


"""The bad-input corpus (``tests/bad_inputs/``): each case gives one clear error, nothing partial.

Every file of the corpus goes through the entry point a user would use: the data loader
(``datasets.load(name, path=...)``, what the workbooks call for a replaced member-state table),
the price reader, the library functions that take a user's own table (read here with
``pandas.read_csv``, as a researcher would), or the build command. Each test asserts the
message (it names the input and the problem) and that nothing was written under the build
folder, or, for the build command, that nothing partial or corrupt was left there.
``tests/bad_inputs/README.md`` lists the cases; a test keeps it and this file in step.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys

import nbformat
import pandas as pd
import pytest

from carbonlib import allocation, auctions, datasets, effort_sharing, leakage, pricefiles, prices
from carbonlib.errors import DataError, InputError
from carbonlib.workbench import paths

from .conftest import ROOT

CORPUS = ROOT / "tests" / "bad_inputs"

#: datasets.load(resource, path=corpus file): (file, resource, message after "<file>, ")
DATASET_CASES = [
    ("effort_member_states_unclosed_quote.csv", "effort_member_states",
     "line 3: not valid CSV (unexpected end of data; a quote opened here is never closed)"),
    ("effort_member_states_stray_quote.csv", "effort_member_states",
     "line 3: not valid CSV (',' expected after '\"')"),
    ("effort_member_states_truncated.csv", "effort_member_states",
     "line 4: 3 cells, header has 4 (truncated or extra cells)"),
    ("effort_member_states_blank_line.csv", "effort_member_states", "line 3: blank line inside the table"),
    ("effort_member_states_missing_column.csv", "effort_member_states",
     "line 1: missing column(s) ['target_2020_pct']"),
    ("effort_member_states_extra_column.csv", "effort_member_states", "line 1: unexpected column(s) ['notes']"),
    ("effort_member_states_wrong_unit.csv", "effort_member_states",
     "line 1: column 'emissions_2005_ktco2e' where 'emissions_2005_mtco2e' is expected: a different unit? "
     "The values must be in MtCO2e"),
    ("auctions_member_states_former_column.csv", "auctions_member_states",
     "line 1: column 'verified_emissions_2005_mtco2' is now 'emissions_2005_weight': weight in the 88 % share"),
    ("effort_member_states_negative.csv", "effort_member_states",
     "line 3, column 'emissions_2005_mtco2e': value '-5.0' is below the minimum 0"),
    ("installations_negative_activity.csv", "allocation_installations",
     "line 3, column 'activity_level': value '-3' is below the minimum 0"),
    ("effort_member_states_percent_sign.csv", "effort_member_states",
     "line 3, column 'target_2020_pct': '-20%' is not a number"),
    ("auctions_member_states_non_numeric.csv", "auctions_member_states",
     "line 3, column 'solidarity_weight': 'yes' is not a number"),
    ("leakage_sectors_non_numeric.csv", "leakage_sectors", "line 2, column 'gva_meur': 'n/a' is not a number"),
    ("effort_member_states_duplicate.csv", "effort_member_states",
     "line 4, column 'member_state': value 'luxembourg' repeats line 2 (must be unique)"),
    ("leakage_inflation_duplicate_year.csv", "leakage_inflation",
     "line 4, column 'year': duplicate primary key ['2015'] (lines [3, 4])"),
    ("installations_duplicate_year.csv", "allocation_installations",
     "line 3, column 'sub_installation, year': duplicate primary key ['CLK1_clinker', '2005'] (lines [2, 3])"),
    ("effort_member_states_empty.csv", "effort_member_states", "file is empty (no header row)"),
    ("effort_member_states_latin1.csv", "effort_member_states", "not UTF-8 text"),
]

#: pricefiles.read_prices(corpus file): (file, message after "<path>")
PRICE_CASES = [
    ("truncated.csv", ", line 4: 1 fields where the header has 2 (truncated or malformed row)"),
    ("non_numeric_price.csv", ", line 3, column 'price': 'n/a' is not a number"),
    ("impossible_date.csv", ", line 3, column 'date': date '2008-13-01' is not a valid calendar date"),
    ("unknown_header.csv", ", line 1: cannot tell the format from the header ['day', 'close']"),
    ("header_only.csv", ": the header is there but there are no data rows"),
    ("investing_bad_volume.csv",
     ", line 3, column 'Vol.': volume 'lots' is not a number with an optional K, M or B suffix"),
    ("ambiguous_day_month.csv",
     ", column 'date': cannot tell whether the dates are day-first or month-first; every one fits both "
     "orders (line 2: '04/01/2021;33,69' and line 3: '05/01/2021;34,10')"),
    ("mixed_day_month.csv",
     ", column 'date': the dates mix day-first (line 2: '13/01/2021,33.69') and month-first "
     "(line 3: '01/14/2021,34.10') orders"),
    ("decimal_point_in_comma_file.csv",
     ", line 3, column 'price': '22.50' is not a number (the file writes decimal commas)"),
]


def _benchmarks():
    return (datasets.load("allocation_product_benchmarks"), datasets.load("allocation_clef"),
            datasets.load("allocation_cscf"), datasets.load("allocation_lrf"))


def _luxembourg_aea():
    """Luxembourg's allocation path for 100 MtCO2e of 2005 emissions (the project's table gives none)."""
    luxembourg = datasets.load("effort_member_states").query("member_state == 'luxembourg'")
    aea = effort_sharing.aea_path(luxembourg.assign(emissions_2005_mtco2e=100.0))
    return aea.set_index("year")["aea_mtco2e"]


#: a user's own table (pandas.read_csv of the corpus file) passed to a library function
TABLE_CASES = [
    ("auctions_member_states_fraction.csv",
     lambda t: auctions.split_by_member_state(pd.Series({2013: 1e6}), t),
     "member_states.solidarity_weight: '1/2' for member state 'BE' is not a number"),
    ("effort_member_states_non_numeric.csv", effort_sharing.aea_path,
     "member_states.emissions_2005_mtco2e: 'lots' for member state 'luxembourg' is not a number"),
    ("effort_member_states_non_numeric.csv", effort_sharing.weighted_target,
     "member_states.emissions_2005_mtco2e: 'lots' for member state 'luxembourg' is not a number"),
    ("effort_member_states_negative.csv", effort_sharing.aea_path,
     "member_states.emissions_2005_mtco2e: value -5.0 for member state 'denmark' is below the minimum 0"),
    ("effort_member_states_negative.csv", effort_sharing.weighted_target,
     "member_states.emissions_2005_mtco2e: value -5.0 for member state 'denmark' is below the minimum 0"),
    ("effort_plan_non_numeric.csv", lambda t: effort_sharing.select_plan(t, "overshoot"),
     "plans.emissions_mtco2e: 'about 94' for plan 'overshoot', year 2014 is not a number"),
    ("effort_plan_non_numeric.csv",
     lambda t: effort_sharing.simulate(_luxembourg_aea(), 100.0, t[t["plan"] == "overshoot"]),
     "plan.emissions_mtco2e: 'about 94' for year 2014 is not a number"),
    ("leakage_sectors_missing_value.csv", leakage.leakage_test, "sectors.gva_meur: missing value for sector 'S2'"),
    ("leakage_sectors_duplicate.csv", leakage.leakage_test, "sectors: sector 'S1' appears twice (rows 1 and 2)"),
    ("leakage_sectors_thousands_separator.csv", leakage.leakage_test,
     "sectors.gva_meur: '1,000' for sector 'S1' is not a number"),
    ("installations_non_numeric.csv", allocation.historical_activity_level,
     "activity.activity_level: '1,050,000' for sub-installation 'CLK1_clinker', year 2006 is not a number"),
    ("installations_missing_value.csv", allocation.historical_activity_level,
     "activity.activity_level: missing value for sub-installation 'CLK1_clinker', year 2006"),
    ("installations_duplicate_year.csv", allocation.historical_activity_level,
     "activity: sub-installation 'CLK1_clinker', year 2005 appears twice (rows 1 and 2)"),
    ("subinstallations_missing_column.csv", lambda t: allocation.allocate(t, *_benchmarks()),
     "subinstallations: missing columns ['correction']"),
]


def _files(build_dir):
    return sorted(p.relative_to(build_dir).as_posix() for p in build_dir.rglob("*") if p.is_file()) \
        if build_dir.exists() else []


def assert_nothing_partial(build_dir, stem=None):
    """No stage folder, no temporary file, a readable manifest; ``stem`` published nowhere."""
    files = _files(build_dir)
    assert not (build_dir / ".stage").exists(), files
    assert not [f for f in files if f.endswith(".tmp") or ".old-" in f], files
    if (build_dir / "manifest.json").exists():
        manifest = json.loads((build_dir / "manifest.json").read_text(encoding="utf-8"))
        assert stem not in manifest["notebooks"]
    if stem:
        published = [f for f in files if stem in f and not f.startswith("failed/")]
        assert published == [], published
        failed = build_dir / "failed" / f"{stem}.ipynb"
        if failed.exists():  # the executed copy kept for inspection is a whole notebook
            nbformat.validate(nbformat.read(failed, as_version=4))


# --------------------------------------------------------------------------- the corpus itself


def test_every_corpus_file_has_a_case_and_a_line_in_the_readme():
    readme = (CORPUS / "README.md").read_text(encoding="utf-8")
    listed = set(re.findall(r"`((?:datasets|prices|tables|scenarios)/[^`]+)`", readme))
    present = {p.relative_to(CORPUS).as_posix() for p in CORPUS.rglob("*") if p.is_file() and p.name != "README.md"}
    tested = ({f"datasets/{f}" for f, _, _ in DATASET_CASES} | {f"prices/{f}" for f, _ in PRICE_CASES}
              | {f"tables/{f}" for f, _, _ in TABLE_CASES}
              | {"prices/negative_price.csv", "prices/duplicate_date.csv"}
              | {f"scenarios/{f}" for f in ("not_a_mapping.yaml", "unknown_parameter.yaml",
                                            "ill_typed.yaml", "invalid_yaml.yaml")})
    assert present == listed == tested


# --------------------------------------------------------------------------- data files


@pytest.mark.parametrize(("file", "resource", "message"), DATASET_CASES, ids=[c[0] for c in DATASET_CASES])
def test_bad_data_file_gives_one_clear_error(build_dir, file, resource, message):
    path = CORPUS / "datasets" / file
    with pytest.raises(DataError) as info:
        datasets.load(resource, path=path)
    text = str(info.value)
    assert text.startswith(f"tests/bad_inputs/datasets/{file}"), text
    assert message in text
    assert _files(build_dir) == []


def test_missing_data_file_is_named(build_dir):
    with pytest.raises(DataError, match=r"tests/bad_inputs/datasets/no_such_member_states\.csv: file not found"):
        datasets.load("effort_member_states", path=CORPUS / "datasets" / "no_such_member_states.csv")
    assert _files(build_dir) == []


# --------------------------------------------------------------------------- price files


@pytest.mark.parametrize(("file", "message"), PRICE_CASES, ids=[c[0] for c in PRICE_CASES])
def test_bad_price_file_gives_one_clear_error(build_dir, file, message):
    path = CORPUS / "prices" / file
    with pytest.raises(DataError) as info:
        pricefiles.read_prices(path)
    assert str(info.value).startswith(str(path) + message), str(info.value)
    assert _files(build_dir) == []


def test_missing_price_file_is_named_by_reader_and_by_setting(build_dir):
    missing = CORPUS / "prices" / "no_such_prices.csv"
    with pytest.raises(DataError, match=re.escape(f"{missing}: no such price file")):
        pricefiles.read_prices(missing)
    with pytest.raises(DataError, match=re.escape(f"price_file: no such price file '{missing}'")):
        paths.resolve_price_file(str(missing))
    assert _files(build_dir) == []


@pytest.mark.parametrize(("file", "kind", "detail"), [
    ("negative_price.csv", "non-positive price", "price -22.5"),
    ("duplicate_date.csv", "duplicate date", "2 rows"),
])
def test_suspect_prices_are_kept_and_reported_not_raised(file, kind, detail):
    # by design (carbonlib.prices): nothing is fixed silently, and a vendor file with a bad
    # row still loads; check_series reports the row instead
    history = pricefiles.read_prices(CORPUS / "prices" / file)
    findings = prices.check_series(history)
    assert findings[["kind", "date", "detail"]].astype(str).values.tolist() == [
        [kind, "2008-01-03" if kind == "non-positive price" else "2008-01-02", detail]]


# --------------------------------------------------------------------------- user tables


@pytest.mark.parametrize(("file", "call", "message"), TABLE_CASES,
                         ids=[f"{c[0]}-{getattr(c[1], '__name__', 'call')}" for c in TABLE_CASES])
def test_bad_user_table_gives_one_clear_error(build_dir, file, call, message):
    table = pd.read_csv(CORPUS / "tables" / file)
    with pytest.raises(InputError) as info:
        call(table)
    assert str(info.value) == message
    assert _files(build_dir) == []


# --------------------------------------------------------------------------- the build command


def _build(*args, env_extra=None):
    env = {**os.environ, **(env_extra or {})}
    env.pop("CARBONLIB_STAGE_DIR", None)
    env.pop("CARBONLIB_EUA_PRICES", None)
    return subprocess.run([sys.executable, "-m", "carbonlib", "build", "-j", "1", *args], cwd=ROOT,
                          env=env, capture_output=True, text=True, timeout=600)


@pytest.mark.parametrize(("args", "message"), [
    (["03", "-p", "reduction_facter", "0.02"],
     "03_eu_ets_cap_and_auctions: unknown parameter 'reduction_facter'. It accepts: "
     "proposal_average_decline_pct (float, default 1.84)"),
    (["03", "-p", "end_year", "2030.5"],
     "03_eu_ets_cap_and_auctions: parameter 'end_year' must be int, got float 2030.5"),
    (["03", "-p", "reduction_factor", "1,74%"],
     "03_eu_ets_cap_and_auctions: parameter 'reduction_factor' must be float, got str '1,74%'"),
    (["02", "-p", "mc_quantiles", "0.5"],
     "02_kyoto_supply_demand: parameter 'mc_quantiles' must be list, got float 0.5"),
    (["01", "-p", "lang", "fr"], "01_global_carbon_market: parameter 'lang' must be one of en, zh-TW, got 'fr'"),
    (["03", "-f", str(CORPUS / "scenarios" / "unknown_parameter.yaml")],
     "03_eu_ets_cap_and_auctions: unknown parameter 'reduction_facter'"),
    (["03", "-f", str(CORPUS / "scenarios" / "ill_typed.yaml")],
     "03_eu_ets_cap_and_auctions: parameter 'end_year' must be int, got float 2030.5"),
    (["03", "-f", str(CORPUS / "scenarios" / "not_a_mapping.yaml")],
     f"{CORPUS / 'scenarios' / 'not_a_mapping.yaml'}: a scenario must be a mapping of parameter names to values"),
    (["03", "-f", str(CORPUS / "scenarios" / "invalid_yaml.yaml")],
     f"{CORPUS / 'scenarios' / 'invalid_yaml.yaml'}: not valid YAML at line 2, column 1: expected ',' or ']', "
     "but got '<stream end>' (while parsing a flow sequence that starts at line 1, column 11)"),
], ids=["unknown", "int-as-float", "float-as-text", "list-as-float", "choice", "yaml-unknown",
        "yaml-ill-typed", "yaml-not-mapping", "yaml-invalid"])
def test_bad_notebook_parameter_stops_the_build_before_anything_runs(build_dir, args, message):
    result = _build(*args)
    assert result.returncode == 2, result.stderr
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1 and lines[0].startswith("error: ") and message in lines[0], result.stderr
    assert _files(build_dir) == []


def test_missing_price_file_fails_the_workbook_and_publishes_nothing(build_dir):
    missing = CORPUS / "prices" / "no_such_prices.csv"
    result = _build("06", "-p", "price_file", str(missing))
    assert result.returncode == 1, result.stderr
    assert "Traceback" not in result.stderr
    assert ("06_eua_prices: failed in cell 5, line 3 `history = run.price_history(price_file, price_format, roll_date)`: "
            f"DataError: price_file: no such price file '{missing}'") in result.stderr
    assert_nothing_partial(build_dir, "06_eua_prices")
    assert (build_dir / "failed" / "06_eua_prices.ipynb").is_file()


@pytest.mark.parametrize("blocked", [".", "tables", "html/code"])
def test_unwritable_output_folder_is_named_before_anything_runs(build_dir, tmp_path, blocked):
    # running as root, permissions do not stop a write: a file where a folder must go does
    blocker = build_dir / blocked if blocked != "." else tmp_path / "blocker"
    blocker.parent.mkdir(parents=True, exist_ok=True)
    blocker.write_text("not a folder\n")
    root = build_dir if blocked != "." else blocker / "build"
    result = _build("03", "-p", "end_year", "2025", env_extra={"CARBONLIB_BUILD_DIR": str(root)})
    assert result.returncode == 2, result.stderr
    assert "Traceback" not in result.stderr
    assert (f"error: cannot write to the build folder {root}: {blocker} is a file where a folder is needed"
            in result.stderr)
    assert blocker.read_text() == "not a folder\n"
    assert_nothing_partial(build_dir, "03_eu_ets_cap_and_auctions")

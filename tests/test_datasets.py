"""carbonlib.datasets: the data package loads, validates and reports malformed files clearly."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys

import pandas as pd
import pytest

from carbonlib import datasets
from carbonlib.errors import DataError
from carbonlib.workbench import paths

SCHEMA = {
    "fields": [
        {"name": "segment", "type": "string", "constraints": {"required": True}},
        {"name": "year", "type": "integer", "constraints": {"minimum": 2006, "maximum": 2007}},
        {"name": "volume_mtco2e", "type": "number", "constraints": {"minimum": 0}},
        {"name": "flag", "type": "boolean"},
    ],
    "missingValues": ["", "na", "--"],
    "primaryKey": ["segment", "year"],
}
GOOD = "segment,year,volume_mtco2e,flag\neu,2006,1104,true\nuk,2006,na,false\nuk,2007,--,\n"


def test_good_file_is_typed_and_missing_tokens_load_as_missing(tmp_path):
    f = tmp_path / "good.csv"
    f.write_text(GOOD, encoding="utf-8")
    df = datasets.read_validated(f, SCHEMA)
    assert df["year"].dtype == "int64"
    assert df["volume_mtco2e"].dtype == "float64"
    assert df["volume_mtco2e"].isna().tolist() == [False, True, True]
    assert df.loc[0, "volume_mtco2e"] == 1104.0
    assert df["flag"].tolist()[:2] == [True, False]


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("segment,year,volume_mtco2e\neu,2006,1\n", r"line 1: missing column\(s\) \['flag'\]"),
        ("segment,year,volume_mtco2e,flag,extra\n", r"unexpected column\(s\) \['extra'\]"),
        ("year,segment,volume_mtco2e,flag\n", "columns in the wrong order"),
        ("segment,year,volume_mtco2e,flag\neu,2006,abc,true\n", r"line 2, column 'volume_mtco2e': 'abc' is not a number"),
        ("segment,year,volume_mtco2e,flag\neu,2006,\"1,104\",true\n", r"line 2, column 'volume_mtco2e': '1,104' is not a number"),
        ("segment,year,volume_mtco2e,flag\neu,2006.5,1,true\n", r"line 2, column 'year': '2006.5' is not an integer"),
        ("segment,year,volume_mtco2e,flag\neu,2006,-4,true\n", r"line 2, column 'volume_mtco2e': value '-4' is below the minimum 0"),
        ("segment,year,volume_mtco2e,flag\neu,2008,4,true\n", r"line 2, column 'year': value '2008' is above the maximum 2007"),
        ("segment,year,volume_mtco2e,flag\n,2006,4,true\n", r"line 2, column 'segment': required value is missing"),
        ("segment,year,volume_mtco2e,flag\neu,2006,4,maybe\n", r"line 2, column 'flag': 'maybe' is not a boolean"),
        ("segment,year,volume_mtco2e,flag\neu,2006,4\n", r"line 2: 3 cells, header has 4"),
        ("segment,year,volume_mtco2e,flag\neu,2006,4,true\neu,2006,5,true\n", r"line 3, column 'segment, year': duplicate primary key \['eu', '2006'\] \(lines \[2, 3\]\)"),
        ("", "file is empty"),
    ],
)
def test_malformed_file_error_names_file_line_and_column(tmp_path, content, message):
    f = tmp_path / "bad.csv"
    f.write_text(content, encoding="utf-8")
    with pytest.raises(DataError, match=message) as info:
        datasets.read_validated(f, SCHEMA)
    assert "bad.csv" in str(info.value)


def test_non_utf8_file_is_reported(tmp_path):
    f = tmp_path / "latin.csv"
    f.write_bytes("segment,year,volume_mtco2e,flag\nm\xe9xico,2006,1,true\n".encode("latin-1"))
    with pytest.raises(DataError, match="latin.csv: not UTF-8"):
        datasets.read_validated(f, SCHEMA)


def test_missing_file_and_unknown_dataset(tmp_path):
    with pytest.raises(DataError, match="nope.csv: file not found"):
        datasets.read_validated(tmp_path / "nope.csv", SCHEMA)
    with pytest.raises(DataError, match="no dataset named 'no_such_table'"):
        datasets.load("no_such_table")


def test_package_is_generated_from_its_parts():
    result = subprocess.run([sys.executable, "tools/assemble_datapackage.py", "--check"],
                            cwd=paths.ROOT, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr


def _resources():
    return json.loads(paths.DATAPACKAGE.read_text(encoding="utf-8"))["resources"]


def test_every_resource_names_its_source_and_describes_every_field():
    for res in _resources():
        assert res.get("sources") or res.get("x_illustrative"), f"{res['name']}: no source"
        if not res.get("x_illustrative"):
            src = res.get("x_source", {})
            assert src.get("file", "").endswith(".txt"), f"{res['name']}: x_source.file missing"
            assert (paths.seeds_dir() / src["file"]).name in {"000_318ba4d3771c8f90.txt", "001_b0950b57165db085.txt"}
        for field in res["schema"]["fields"]:
            assert field.get("description"), f"{res['name']}.{field['name']}: no description"


@pytest.mark.parametrize("name", [r["name"] for r in _resources()] or ["<none>"])
def test_every_dataset_loads_and_validates(name):
    if name == "<none>":
        pytest.fail("the data package has no resources")
    df = datasets.load(name)
    assert isinstance(df, pd.DataFrame) and len(df) > 0
    assert df.attrs["source"]
    assert len(df.attrs["sha256"]) == 64


def test_frictionless_validates_the_package():
    exe = shutil.which("frictionless", path=str(paths.ROOT / ".venv" / "bin")) or shutil.which("frictionless")
    assert exe, "the frictionless command is not installed (it is in the dev extra)"
    result = subprocess.run([exe, "validate", "--json", "datapackage.json"], cwd=paths.DATA_DIR,
                            capture_output=True, text=True, timeout=600)
    report = json.loads(result.stdout)
    errors = [e.get("message") for task in report.get("tasks", []) for e in task.get("errors", [])]
    errors += [e.get("message") for e in report.get("errors", [])]
    assert report["valid"], "\n".join(errors[:20])

"""carbonlib.datasets: the data package loads, validates and reports malformed files clearly.

The content of the data files is pinned once, by the ``hash`` (SHA-256) that
``tools/assemble_datapackage.py`` writes for every resource: no test re-types a cell. What is
tested here about the real files is what holds for every one of them: the hash, the missing-value
tokens, and that a quoted number stands in its quote.
"""

from __future__ import annotations

import csv
import hashlib
import json
import re
import shutil
import subprocess
import sys

import pandas as pd
import pytest

from carbonlib import datasets
from carbonlib.errors import DataError
from carbonlib.workbench import i18n, paths

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
        if not res.get("x_illustrative") and "x_source" not in res:
            # a dataset taken whole from a public publisher: its source has an address, its terms a licence
            assert res["path"].startswith("published/"), f"{res['name']}: no x_source outside data/published"
            assert all(s.get("path", "").startswith("http") for s in res["sources"]), f"{res['name']}: a source without address"
            assert res.get("licenses") and res.get("x_attribution"), f"{res['name']}: no licence or attribution"
        elif not res.get("x_illustrative"):
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
    """Schemas, constraints and every resource's hash, checked by the frictionless tool."""
    report = _frictionless(paths.DATA_DIR)
    errors = [e.get("message") for task in report.get("tasks", []) for e in task.get("errors", [])]
    errors += [e.get("message") for e in report.get("errors", [])]
    assert report["valid"], "\n".join(errors[:20])


def _frictionless(folder):
    """``frictionless validate --json datapackage.json`` in ``folder``: the parsed report."""
    exe = shutil.which("frictionless", path=str(paths.ROOT / ".venv" / "bin")) or shutil.which("frictionless")
    assert exe, "the frictionless command is not installed (it is in the dev extra)"
    result = subprocess.run([exe, "validate", "--json", "datapackage.json"], cwd=folder,
                            capture_output=True, text=True, timeout=600)
    return json.loads(result.stdout)


# --- the content hash of every resource ----------------------------------------------------

@pytest.mark.parametrize("name", [r["name"] for r in _resources()])
def test_every_resource_carries_the_hash_of_its_file(name):
    res = next(r for r in _resources() if r["name"] == name)
    file = paths.DATA_DIR / res["path"]
    actual = "sha256:" + hashlib.sha256(file.read_bytes()).hexdigest()
    assert re.fullmatch(r"sha256:[0-9a-f]{64}", res.get("hash", "")), f"{name}: no sha256 hash in datapackage.json"
    assert res["hash"] == actual, (
        f"resource {name!r}: data/{res['path']} has {actual}, data/datapackage.json records "
        f"{res['hash']}: the transcription changed: check it against the report, then `make datapackage`")


def test_no_descriptor_types_a_hash():
    for part in sorted((paths.DATA_DIR / "resources").glob("*.json")):
        typed = [r["name"] for r in json.loads(part.read_text(encoding="utf-8")) if "hash" in r]
        assert not typed, f"{part.name}: {typed} type a hash; the assembler computes it"


def _tamper(tmp_path, name):
    """A copy of data/ and the assembler in tmp_path, with one byte of ``name``'s file changed
    (a digit, so that the file stays a valid table and only its hash gives it away)."""
    shutil.copytree(paths.DATA_DIR, tmp_path / "data")
    (tmp_path / "tools").mkdir()
    shutil.copy2(paths.ROOT / "tools" / "assemble_datapackage.py", tmp_path / "tools")
    res = next(r for r in _resources() if r["name"] == name)
    file = tmp_path / "data" / res["path"]
    data = bytearray(file.read_bytes())
    i = next(i for i in range(data.index(b"\n"), len(data)) if chr(data[i]) in "123456789")
    data[i] = ord("1") if data[i] != ord("1") else ord("2")
    file.write_bytes(bytes(data))
    return res, file


def test_a_changed_byte_fails_frictionless_validate_naming_the_resource(tmp_path):
    res, _ = _tamper(tmp_path, "kyoto_demand")
    report = _frictionless(tmp_path / "data")
    assert not report["valid"]
    failed = {t["name"]: {e["type"] for e in t["errors"]} for t in report["tasks"] if not t["valid"]}
    assert failed == {"kyoto_demand": {"hash-count"}}, failed


def test_a_changed_byte_fails_the_assembler_check_naming_the_resource(tmp_path):
    res, _ = _tamper(tmp_path, "market_t1_levels")
    result = subprocess.run([sys.executable, "tools/assemble_datapackage.py", "--check"],
                            cwd=tmp_path, capture_output=True, text=True)
    assert result.returncode == 1
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert "resource 'market_t1_levels'" in lines[0] and f"data/{res['path']} changed" in lines[0]
    assert "make datapackage" in lines[0]


def test_the_loader_does_not_depend_on_the_hash(tmp_path, monkeypatch):
    """load() validates against the schema, not the hash: a changed file (or a user's own file)
    still loads, and its own SHA-256 is what df.attrs reports."""
    res, file = _tamper(tmp_path, "kyoto_demand")
    monkeypatch.setattr(datasets, "ROOT", tmp_path)
    df = datasets.load("kyoto_demand")
    actual = hashlib.sha256(file.read_bytes()).hexdigest()
    assert len(df) > 0 and df.attrs["sha256"] == actual
    assert res["hash"] != f"sha256:{actual}"


# --- what holds for every real file ----------------------------------------------------------

@pytest.mark.parametrize("name", [r["name"] for r in _resources()])
def test_missing_value_tokens_load_as_missing_and_nothing_else_does(name):
    """A cell printed as na, --, - or ? (the resource's missingValues) loads as missing."""
    res = next(r for r in _resources() if r["name"] == name)
    tokens = set(res["schema"].get("missingValues", [""]))
    with (paths.DATA_DIR / res["path"]).open(encoding="utf-8", newline="") as fh:
        header, *rows = list(csv.reader(fh))
    df = datasets.load(name)
    for j, column in enumerate(header):
        printed_missing = [row[j] in tokens for row in rows]
        assert df[column].isna().tolist() == printed_missing, f"{name}.{column}"


_CJK_NUMERALS = {1: "一", 2: "二兩", 3: "三", 4: "四", 5: "五", 6: "六", 7: "七", 8: "八", 9: "九", 10: "十"}
#: the columns whose number the row's quote_zh prints (the default is ``value``)
_QUOTED_COLUMNS = {"market_figure_shares": ("share_pct",),
                   "effort_targets": ("value_pct", "value_low_pct", "value_high_pct")}


def _stands_in(value: float, quote: str) -> bool:
    """Whether the number ``value`` is printed in ``quote`` (thousands separators ignored, trailing
    zeros allowed, not as part of a longer number; 1-10 also as a Chinese numeral)."""
    text = f"{float(value):.15g}"
    pattern = re.escape(text) + ("0*" if "." in text else r"(?:\.0+)?")
    plain = re.sub(r"(?<=\d),(?=\d{3}(?!\d))", "", quote)
    if re.search(rf"(?<![\d.]){pattern}(?!\d|\.\d)", plain):
        return True
    return float(value) in _CJK_NUMERALS and any(c in quote for c in _CJK_NUMERALS[int(value)])


def _quoted_numbers():
    cases = []
    for res in _resources():
        fields = [f["name"] for f in res["schema"]["fields"]]
        if "quote_zh" not in fields:
            continue
        columns = [c for c in _QUOTED_COLUMNS.get(res["name"], ("value",)) if c in fields]
        key = ["key"] if "key" in fields else res["schema"].get("primaryKey", [])
        for i, row in enumerate(datasets.load(res["name"]).to_dict("records"), start=1):
            row_id = "/".join(str(row[k]) for k in key) or f"row {i}"
            for column in columns:
                if not pd.isna(row[column]):
                    cases.append(pytest.param(res["name"], row_id, column, row[column], row["quote_zh"],
                                              id=f"{res['name']}-{row_id}-{column}"))
    return cases


@pytest.mark.parametrize(("name", "row", "column", "value", "quote"), _quoted_numbers())
def test_quoted_number_stands_in_its_quote(name, row, column, value, quote):
    """The number a quoted-figure row gives is the number its quotation prints (the quotation
    itself is checked against the report by tests/test_seeds.py)."""
    assert _stands_in(value, quote), f"{name} {row}: {column} = {value:g} is not in its quote {quote!r}"


@pytest.mark.parametrize(("value", "quote", "found"), [
    (2435, "需求總計 2,435 百萬噸", True), (31.5, "最高達 31.50 歐元", True), (1.74, "1.74%", True),
    (6, "涵蓋六種氣體", True), (1, "成長了一倍以上", True), (2435, "需求總計 2,436 百萬噸", False),
    (20, "2020 年", False), (1.7, "1.74%", False), (5, "15%", False), (12, "1,2", False),
])
def test_stands_in_reads_printed_numbers(value, quote, found):
    assert _stands_in(value, quote) is found


# --- one rule for CJK character forms (data/README.md, "Character forms") -------------------

def _strings(value, where):
    if isinstance(value, str):
        yield where, value
    elif isinstance(value, dict):
        for k, v in value.items():
            yield from _strings(k, where)
            yield from _strings(v, f"{where}.{k}")
    elif isinstance(value, list):
        for i, v in enumerate(value):
            yield from _strings(v, f"{where}[{i}]")


def _label_texts():
    """Every text a reader may see as a label: each non-quotation cell of each committed table,
    each string of each descriptor, the glossary and the notebooks' markdown."""
    for res in _resources():
        with (paths.DATA_DIR / res["path"]).open(encoding="utf-8", newline="") as fh:
            rows = list(csv.reader(fh))
        for i, row in enumerate(rows[1:], start=2):
            for name, cell in zip(rows[0], row, strict=True):
                if not datasets.is_quotation(name):
                    yield f"{res['path']} line {i} {name}", cell
    for descriptor in sorted((paths.DATA_DIR / "resources").glob("*.json")):
        yield from _strings(json.loads(descriptor.read_text(encoding="utf-8")), descriptor.name)
    yield "glossary.csv", i18n.GLOSSARY_FILE.read_text(encoding="utf-8")
    for nb in sorted(paths.notebooks_dir().glob("*.ipynb")):
        for k, cell in enumerate(json.loads(nb.read_text(encoding="utf-8"))["cells"]):
            yield f"{nb.name} cell {k}", "".join(cell["source"])


def test_no_label_holds_a_compatibility_code_point():
    found = [(where, datasets.compatibility_code_points(text)) for where, text in _label_texts()]
    found = [(where, cps) for where, cps in found if cps]
    assert not found, f"labels must use unified ideographs (NFC): {found[:5]}"


def test_the_quotations_keep_the_reports_compatibility_ideographs():
    """The rule is not vacuous: 000 prints U+F98E for 年, and its quotations keep it."""
    quotes = datasets.load("cap_phase3_proposal_quoted")["quote_zh"]
    assert any("U+F98E" in datasets.compatibility_code_points(q) for q in quotes)


def test_a_users_label_is_read_in_nfc_and_a_quotation_as_printed(tmp_path):
    schema = {"fields": [{"name": "label_zh", "type": "string"}, {"name": "quote_zh", "type": "string"}]}
    f = tmp_path / "t.csv"
    f.write_text("label_zh,quote_zh\n2013 \uf98e,2013 \uf98e\n", encoding="utf-8")
    row = datasets.read_validated(f, schema).iloc[0]
    assert row["label_zh"] == "2013 \u5e74"
    assert row["quote_zh"] == "2013 \uf98e"

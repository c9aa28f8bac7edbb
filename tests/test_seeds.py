"""Every quote in ``data/raw`` stands in the report it cites.

The reports (``../shared/seeds/``) are not part of the repository, so these tests carry the
``shared`` marker and are skipped, naming the file, in a clone without them. What the quotes
say about their values (the printed number is in the quote) is tested in ``tests/test_datasets.py``
and runs everywhere.

A quote keeps every printed character code point for code point, the CJK compatibility
ideographs of the text files included (U+F98E for 年 in 000, for example): it is compared with
its report without whitespace only (the text files break and pad lines inside sentences), and
never after a Unicode normalisation. Labels, by contrast, are read in NFC
(``tests/test_datasets.py``, ``data/README.md``).
"""

from __future__ import annotations

import functools
import json

import pytest

from carbonlib import datasets
from carbonlib.workbench import paths

SEED_NAMES = ("000_318ba4d3771c8f90.txt", "001_b0950b57165db085.txt")


def _flat(text: str) -> str:
    return "".join(c for c in text if not c.isspace())


def _quotes():
    package = json.loads(paths.DATAPACKAGE.read_text(encoding="utf-8"))
    cases = []
    for resource in package["resources"]:
        fields = [f["name"] for f in resource["schema"]["fields"]]
        if "quote_zh" not in fields:
            continue
        table = datasets.load(resource["name"])
        default = resource.get("x_source", {}).get("file")
        for i, row in enumerate(table.to_dict("records"), start=1):
            seed = row.get("file") or default
            key = row.get("key", f"row {i}")
            cases.append(pytest.param(resource["name"], key, row["quote_zh"], seed,
                                      id=f"{resource['name']}-{key}",
                                      marks=pytest.mark.shared(paths.seeds_dir() / seed)))
    return cases


QUOTES = _quotes()


@functools.cache
def _seed(name: str) -> str:
    return _flat((paths.seeds_dir() / name).read_text(encoding="utf-8"))


def test_every_quote_names_one_of_the_two_reports():
    assert QUOTES, "no quote_zh column in the data package"
    assert {case.values[3] for case in QUOTES} <= set(SEED_NAMES)


@pytest.mark.parametrize(("resource", "key", "quote", "seed"), QUOTES)
def test_quote_stands_in_its_report(resource, key, quote, seed):
    assert quote.strip(), f"{resource} {key}: empty quote"
    assert _flat(quote) in _seed(seed), f"{resource} {key}: quote not found in {seed}: {quote!r}"

"""What an open research project carries: a licence, citation metadata that agree with the package."""

from __future__ import annotations

import tomllib

import yaml

from carbonlib.workbench import paths


def _pyproject() -> dict:
    return tomllib.loads((paths.ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]


def test_licence_file_matches_the_package_metadata():
    first = (paths.ROOT / "LICENSE").read_text(encoding="utf-8").splitlines()[0]
    assert _pyproject()["license"] == "MIT" and first == "MIT License"


def test_citation_agrees_with_the_package_and_names_both_reports():
    cff = yaml.safe_load((paths.ROOT / "CITATION.cff").read_text(encoding="utf-8"))
    assert cff["cff-version"] == "1.2.0"
    assert cff["version"] == _pyproject()["version"] and cff["license"] == _pyproject()["license"]
    assert cff["authors"] and cff["title"]
    cited = [ref for ref in cff["references"] if ref["type"] == "report"]
    assert sorted(ref["year"] for ref in cited) == [2008, 2016]
    notes = " ".join(ref["authors"][0]["name"] for ref in cited)
    assert "000_318ba4d3771c8f90.txt" in notes and "001_b0950b57165db085.txt" in notes

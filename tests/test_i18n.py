"""The glossary, the Traditional Chinese rendering, and how tables and figures appear in a paper."""

from __future__ import annotations

import csv

import pandas as pd
import pytest

from carbonlib.errors import InputError
from carbonlib.workbench import i18n, render, style

REPORT_TERMS = {  # the reports' own terms that the issue names, and their English keys
    "allowance market": "許可權交易",
    "project-based market": "計畫基礎交易",
    "benchmark": "標竿值",
    "carbon-leakage exposure factor": "碳洩漏風險係數",
    "cross-sectoral correction factor": "跨部門矯正係數",
}


def test_glossary_is_well_formed_and_uses_the_reports_terms():
    g = i18n.glossary()
    assert len(g) >= 50
    for en, zh in REPORT_TERMS.items():
        assert g[en][0] == zh
    with i18n.GLOSSARY_FILE.open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    assert {r["kind"] for r in rows} <= {"term", "heading", "caption", "label", "column", "ui", "cell", "figure"}


def _zh_text() -> str:
    """The Chinese the edition shows: the glossary and every twin paragraph of the workbooks."""
    import json

    from carbonlib.workbench import paths, translations

    text = "".join(zh for zh, _ in i18n.glossary().values())
    for nb in paths.notebooks_dir().glob("*.ipynb"):
        cells = json.loads(nb.read_text(encoding="utf-8"))["cells"]
        text += "".join("".join(c["source"]) for c in cells if translations.is_twin(c))
    return text


def test_every_chinese_character_has_a_traditional_glyph():
    """Taipei Sans TC has every character but compatibility ideographs, which the fallback has."""
    from fontTools.ttLib import TTFont

    tc = TTFont(str(style.cjk_font_file()), lazy=True).getBestCmap()
    sc = TTFont(str(style.fallback_font_file()), lazy=True).getBestCmap()
    chars = {c for c in _zh_text() if ord(c) >= 0x2E80}
    lacking = sorted(c for c in chars if ord(c) not in tc)
    assert all(0xF900 <= ord(c) <= 0xFAFF for c in lacking), f"Taipei Sans TC lacks {lacking}"
    missing = [c for c in lacking if ord(c) not in sc]
    assert not missing, f"no glyph for {missing}: these would print as boxes"


@pytest.mark.parametrize("text, expected", [
    ("Source", "資料來源"),
    ("Table 3. allowance market", "表 3．許可權交易"),
    ("Figure 12. benchmark", "圖 12．標竿值"),
    ("Benchmark values", "標竿值 values"),  # term by term, case-insensitive; the rest stays English
    ("rebenchmarked", "rebenchmarked"),  # only whole words
])
def test_translate(text, expected):
    assert i18n.translate(text, "zh-TW") == expected
    assert i18n.translate(text, "en") == text


def test_unknown_language_is_refused():
    with pytest.raises(InputError, match="lang 'fr': use one of en, zh-TW"):
        i18n.translate("Source", "fr")


@pytest.mark.parametrize("column, en", [
    ("volume_mtco2e", "Volume (MtCO2e)"), ("value_musd", "Value (MUS$)"), ("share_pct", "Share (%)"),
    ("price_usd_per_t", "Price (US$/t)"), ("cap_t", "Cap (t)"), ("year", "Year"), ("Mixed Case", "Mixed Case"),
])
def test_column_labels_carry_units(column, en):
    assert i18n.column_label(column) == en


@pytest.mark.parametrize("value, text, numeric", [
    (2084301856, "2,084,301,856", True), (1104.0, "1,104", True), (0.9427, "0.9427", True),
    (-0.0174, "−0.0174", True), (float("nan"), "", True), (1.2e-09, "1.2e-09", True),
    (True, "yes", False), ("歐盟", "歐盟", False), (None, "", False),
])
def test_cells_are_formatted_for_reading(value, text, numeric):
    assert render.format_value(value) == (text, numeric)


def test_table_html_right_aligns_numbers_and_flags_discrepancies():
    df = pd.DataFrame({"cell": ["a", "b"], "printed_musd": [24669.0, 31235.0],
                       "status": ["discrepancy", "agrees"]})
    out = render.table_html(df)
    assert '<th scope="col">Printed (MUS$)</th>' in out
    assert '<tr class="cl-flag"><td>A</td><td class="num">24,669</td>' in out  # a row label starts upper-case
    assert '<tr><td>B</td><td class="num">31,235</td>' in out
    block = render.table_block(df, "t1", 4, "Table 9. Checks", "000_318ba4d3771c8f90.txt, 表1")
    assert 'data-number="4">Table 4.</span> Checks' in block, "the run's number replaces a written one"
    assert "Source: 000_318ba4d3771c8f90.txt, 表1" in block


def test_strip_number():
    assert render.strip_number("Table 12. Cap path") == "Cap path"
    assert render.strip_number("Figure 2.3. Prices") == "Prices"
    assert render.strip_number("Cap path") == "Cap path"


def test_years_and_codes_have_no_thousands_separator():
    df = pd.DataFrame({"target_year": [2020], "nace_code": [2013], "cap_t": [2084301856]})
    out = render.table_html(df)
    assert '<td class="num">2020</td><td class="num">2013</td><td class="num">2,084,301,856</td>' in out


def test_grouping_is_kept_for_quantities_whose_names_merely_contain_label_letters():
    out = render.table_html(pd.DataFrame({"residual_mtco2e": [12345.0], "valid_count": [1000]}))
    assert '<td class="num">12,345</td><td class="num">1,000</td>' in out

"""Tables a reader can read: labels from the data package's descriptors and the glossary.

Headers and identifier cells are shown by their labels in each edition; the CSV written by
``Run.table`` keeps the identifiers; years, codes and ids never carry thousands separators.
"""

from __future__ import annotations

import re

import pandas as pd
import pytest

from carbonlib import datasets
from carbonlib.workbench import i18n, render
from carbonlib.workbench.run import Run

SNAKE = re.compile(r"[a-z0-9]+_[a-z0-9_]+")


def _cells(out: str, tag: str) -> list[str]:
    return [re.sub(r"<[^>]+>", "", c) for c in re.findall(rf"<{tag}\b[^>]*>(.*?)</{tag}>", out)]


def _first_column(out: str) -> list[str]:
    body = out.split("<tbody>")[1]
    return [_cells(row, "td")[0] for row in re.findall(r"<tr\b[^>]*>(.*?)</tr>", body)]


def _printed_label(resource: str, column: str, identifier: str, printed: str = "label_zh") -> str:
    df = datasets.load(resource)
    return df.loc[df[column] == identifier, printed].iloc[0]


@pytest.mark.parametrize(("resource", "column", "identifier", "en"), [
    ("market_t1_levels", "segment", "eu_ets", "EU ETS"),
    ("market_t1_levels", "segment", "nsw", "New South Wales"),
    ("market_t1_levels", "segment", "cdm_primary", "Primary CDM"),
    ("allocation_product_benchmarks", "product", "sintered_ore", "Sintered ore"),
    ("allocation_fallback_benchmarks", "method", "heat", "Heat benchmark"),
])
def test_an_identifier_renders_as_its_label_and_as_the_reports_word(resource, column, identifier, en):
    assert i18n.value_label(identifier, column, "en") == en
    # the Chinese is the report's own printed label, as the data file holds it
    assert i18n.value_label(identifier, column, "zh-TW") == _printed_label(resource, column, identifier)


@pytest.mark.parametrize("lang", ["en", "zh-TW"])
def test_a_loaded_table_shows_one_label_column_and_no_identifier(lang):
    levels = datasets.load("market_t1_levels").query("year == 2006").reset_index(drop=True)
    out = render.table_html(levels, lang)
    heads, first = _cells(out, "th"), _first_column(out)
    assert not [h for h in heads if SNAKE.search(h)], heads
    assert not [c for c in first if SNAKE.search(c)], first
    assert len(heads) == levels.shape[1] - 1  # label_zh is folded into the segment column
    assert first[0] == ("EU ETS" if lang == "en" else "歐盟")


@pytest.mark.parametrize(("column", "lang", "header"), [
    ("volume_mtco2e_2006", "en", "Volume 2006 (MtCO2e)"),
    ("value_musd_2007", "en", "Value 2007 (MUS$)"),
    ("volume_mtco2e_2006", "zh-TW", "2006 年交易量 (MtCO2e)"),
    ("phase1_2", "en", "Phases 1–2"),
    ("phase3", "zh-TW", "第三階段"),
    ("benchmark_tco2_per_t", "en", "Benchmark (tCO2/t product)"),
    ("range_low", "en", "Range low"),
    ("index", "en", "Item"),
])
def test_headers_follow_descriptors_glossary_and_the_year_and_phase_rule(column, lang, header):
    assert i18n.column_label(column, lang) == header


@pytest.mark.parametrize("index", [
    pd.Index([2013, 2014], name="year"),
    pd.Index([2013, 2014]),  # unnamed, holding years
    pd.MultiIndex.from_tuples([("ols", 2013), ("ols", 2014)], names=["rule", "year"]),
])
def test_a_year_index_renders_without_separators(index):
    out = render.table_html(pd.DataFrame({"cap_mtco2e": [1974.0, 1937.0]}, index=index))
    assert "2013" in _cells(out, "td") and "2,013" not in out


def test_a_year_held_in_a_key_value_table_renders_without_separators():
    fit = pd.Series({"start_year": 2013, "start_cap": 1973.67, "annual_reduction": 36.26}).rename("value")
    out = render.table_html(fit)
    cells = _cells(out, "td")
    assert "2013" in cells and "2,013" not in out
    assert _first_column(out) == ["Start year", "Start cap", "Annual reduction"]


@pytest.mark.parametrize("lang", ["en", "zh-TW"])
def test_identifiers_inside_computed_row_labels_are_labelled(lang):
    df = pd.DataFrame({"printed": [45.0]}, index=["other_europe_nz: total = parts"])
    first = _first_column(render.table_html(df, lang))[0]
    assert not SNAKE.search(first)
    assert first.startswith("Other Europe and New Zealand" if lang == "en" else "其他歐洲及紐西蘭")


def test_the_csv_keeps_the_identifiers_and_the_raw_column_names(tmp_path, monkeypatch):
    monkeypatch.setattr(Run, "roots", lambda self: {"en": tmp_path})
    monkeypatch.setattr(render, "display_html", lambda text, editions=None: None)
    levels = datasets.load("market_t1_levels")
    Run(notebook="t", parameters={}).table(levels, "levels")
    written = (tmp_path / "tables" / "t" / "levels.csv").read_text(encoding="utf-8")
    assert written.splitlines()[0] == ",".join(levels.columns)
    assert "eu_ets" in written and "EU ETS" not in written
    assert written == levels.to_csv(index=False, lineterminator="\n")

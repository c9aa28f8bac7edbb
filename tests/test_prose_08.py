"""What the prose of workbook 08 states under its scenarios (docs/CONVENTIONS.md, "Numbers in
prose"): the filled values agree with the run's own tables, and the sentences that depend on the
parameters (invalidation on or off, a price history or none) follow them."""

from __future__ import annotations

import pandas as pd
import pytest

from carbonlib.workbench import paths

from . import prose
from .prose import build_paper, value_text

OUTCOMES = "08_outcomes_and_msr"
#: The EEA verified emissions the defaults read (provided data beside the clone, never committed).
EEA_FILE = paths.shared_data_dir() / "eea" / "eea_euets_sector_verified_emissions_2005-2025.csv"


def _table(build_dir, name: str) -> pd.DataFrame:
    return pd.read_csv(build_dir / "tables" / OUTCOMES / f"{name}.csv")


def _shown(html: str, name: str) -> str:
    texts = set(value_text(html, name))
    assert len(texts) == 1, f"{name}: shown as {texts or 'nothing'}"
    return texts.pop()


def _number(text: str) -> float:
    return float(text.replace(",", "").replace("−", "-"))


@pytest.mark.notebooks
@pytest.mark.shared(EEA_FILE)
@pytest.mark.parametrize("scenario", [None, "no_invalidation", "faster_decline"])
def test_08_prose_states_its_own_tables(scenario, build_dir, tmp_path):
    html = build_paper(OUTCOMES, scenario, tmp_path)
    text = " ".join(prose.prose_text(html).split())
    check = _table(build_dir, "msr_intake_check")
    projection = _table(build_dir, "msr_projection").set_index("year")
    zeros = _table(build_dir, "cap_zero_years").set_index("path")
    # every published intake with its TNAC is reproduced, and the prose says so
    checkable = check[check["status"].isin(["agrees", "discrepancy"])]
    assert len(checkable) >= 4 and (checkable["status"] == "agrees").all()
    assert _number(_shown(html, "n_intake_agrees")) == len(checkable)
    assert "exactly, to the allowance." in text
    # the projection's end and totals are the table's
    assert _number(_shown(html, "tnac_end_t")) == projection["tnac_t"].iloc[-1]
    assert _number(_shown(html, "invalidated_total_t")) == projection["invalidated_t"].sum()
    assert int(_shown(html, "zero_year_revised")) == zeros.loc["Phase 4, 2023 revision", "zero_year"]
    if scenario == "no_invalidation":
        assert projection["invalidated_t"].sum() == 0
        assert "Invalidation is switched off in this run" in text
    else:
        assert "Holdings above the threshold stop being valid each 1 January." in text


@pytest.mark.notebooks
@pytest.mark.shared(EEA_FILE)
def test_08_faster_decline_leaves_a_larger_surplus(build_dir, tmp_path):
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    build_paper(OUTCOMES, None, tmp_path / "a")
    central = _table(build_dir, "msr_projection").set_index("year")
    build_paper(OUTCOMES, "faster_decline", tmp_path / "b")
    faster = _table(build_dir, "msr_projection").set_index("year")
    assert (faster["emissions_t"].iloc[1:] < central["emissions_t"].iloc[1:]).all()
    assert faster["tnac_t"].iloc[-1] > central["tnac_t"].iloc[-1]  # lower emissions leave more allowances unused


@pytest.mark.notebooks
def test_08_without_a_price_history_says_so_and_shows_no_price_figure(build_dir, tmp_path):
    html = build_paper(OUTCOMES, "no_price_file", tmp_path)
    text = " ".join(prose.prose_text(html).split())
    assert "This run reads no price history, so there is no price chart" in text
    assert _shown(html, "phase3_mean_eur_per_t") == "—"
    figures = {p.stem for p in (build_dir / "figures" / OUTCOMES).glob("*.png")}
    assert "prices_with_events" not in figures and "volatility_compare" not in figures
    assert {"msr_published", "cap_paths"} <= figures


@pytest.mark.notebooks
def test_08_without_the_eea_file_says_so_and_still_checks_every_intake(build_dir, tmp_path):
    html = build_paper(OUTCOMES, "no_emissions_file", tmp_path)
    text = " ".join(prose.prose_text(html).split())
    assert "This run reads no verified-emissions file, so this section shows no table or figure" in text
    assert "so the reserve is not projected" in text
    assert _shown(html, "tnac_end_t") == "—"
    tables = {p.stem for p in (build_dir / "tables" / OUTCOMES).glob("*.csv")}
    assert "cap_against_emissions" not in tables and "msr_projection" not in tables
    check = _table(build_dir, "msr_intake_check")
    assert (check.loc[check["status"].isin(["agrees", "discrepancy"]), "status"] == "agrees").sum() >= 4


@pytest.mark.notebooks
def test_08_synthetic_history_fits_garch_in_every_phase_it_holds(build_dir, tmp_path):
    html = build_paper(OUTCOMES, "synthetic_history", tmp_path)
    garch = _table(build_dir, "garch_by_phase")
    fitted = garch.dropna(subset=["persistence"])
    assert _number(_shown(html, "n_garch_phases")) == len(fitted) >= 1
    assert (fitted["persistence"] > 0).all()
    assert "prices_with_events" in {p.stem for p in (build_dir / "figures" / OUTCOMES).glob("*.png")}

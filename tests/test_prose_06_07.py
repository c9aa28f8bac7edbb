"""What the prose of workbooks 06 and 07 states under their scenarios (docs/CONVENTIONS.md,
"Numbers in prose"): every filled value agrees with the run's own tables, and sentences that
depend on the input (a price history, the banking limit) follow it.
"""

from __future__ import annotations

import pandas as pd
import pytest
import yaml

from carbonlib.workbench import paths

from . import prose
from .prose import build_paper, value_text

PRICES = "06_eua_prices"
EFFORT = "07_effort_sharing"


def _table(build_dir, stem: str, name: str) -> pd.DataFrame:
    return pd.read_csv(build_dir / "tables" / stem / f"{name}.csv")


def _scenario(stem: str, name: str) -> dict:
    return yaml.safe_load((paths.params_dir() / stem / f"{name}.yaml").read_text(encoding="utf-8"))


def _shown(html: str, name: str) -> str:
    """The one text a paper shows for ``name`` (every place it is used shows the same)."""
    texts = set(value_text(html, name))
    assert len(texts) == 1, f"{name}: shown as {texts or 'nothing'}"
    return texts.pop()


def prose_text(html: str) -> str:
    """The paper's prose on one line, each filled value as ``⟨value⟩``."""
    return " ".join(prose.prose_text(html).split())


def _number(text: str) -> float:
    return float(text.replace(",", "").replace("−", "-"))


# ---------------------------------------------------------------------------------------------
# 07: the ledger, the split check and the parameters the prose states


@pytest.mark.notebooks
@pytest.mark.parametrize("scenario", [None, "deep_cut_report_banking", "deep_cut_carry_over", "strict_compliant"])
def test_07_prose_states_the_ledger_of_its_run(scenario, build_dir, tmp_path):
    html = build_paper(EFFORT, scenario, tmp_path)
    ledger = _table(build_dir, EFFORT, "ledger")
    shortfalls = int((ledger["shortfall_mtco2e"] > 0).sum())
    assert _shown(html, "n_shortfall_years") == str(shortfalls)
    assert _shown(html, "n_ledger_years") == str(len(ledger))
    assert _shown(html, "n_suspended_years") == str(int(ledger["suspended"].sum()))
    assert _number(_shown(html, "total_penalty_mtco2e")) == pytest.approx(ledger["penalty_mtco2e"].sum(), abs=0.01)
    assert _number(_shown(html, "total_lapsed_mtco2e")) == pytest.approx(ledger["lapsed_mtco2e"].sum(), abs=0.01)
    assert _number(_shown(html, "total_clipped_mtco2e")) == pytest.approx(ledger["clipped_mtco2e"].sum(), abs=0.01)
    text = prose_text(html)
    assert ("years end in a shortfall" if shortfalls != 1 else "year ends in a shortfall") in text
    identities = _table(build_dir, EFFORT, "ledger_identity").drop(columns="year")
    assert _number(_shown(html, "ledger_max_abs_residual_mtco2e")) == pytest.approx(
        identities.abs().to_numpy().max(), abs=1e-6)


@pytest.mark.notebooks
def test_07_deep_cut_carry_over_states_its_banking_limit_not_the_reports(build_dir, tmp_path):
    """The issue's example: "bank up to 5 %" was typed although the scenario banks up to 100 %."""
    html = build_paper(EFFORT, "deep_cut_carry_over", tmp_path)
    assert value_text(html, "bank_limit_pct") == ["100", "100"]
    assert "This run uses a banking limit of ⟨value⟩ %" in prose_text(html)
    assert "As the report prints them, a member state may bank up to 5 %" in prose_text(html)
    assert _shown(html, "n_shortfall_years") == "0"
    assert "This run follows the two formulas as printed." in prose_text(html)


@pytest.mark.notebooks
def test_07_defaults_state_the_split_check_and_the_weighted_target(build_dir, tmp_path):
    html = build_paper(EFFORT, None, tmp_path)
    split = pd.read_csv(build_dir / "tables" / EFFORT / "split_check.csv", index_col=0)
    assert _shown(html, "n_split_cells") == str(len(split))
    assert _shown(html, "n_split_agree") == str(int((split["status"] == "agrees").sum()))
    assert _shown(html, "n_split_within_input_rounding") == str(int(split["within_input_rounding"].sum()))
    assert _shown(html, "split_2020_vs_2005_pct") == f"{split.loc['2020_economy_vs_2005', 'recomputed']:.2f}"
    members = _table(build_dir, EFFORT, "member_states")
    assert _number(_shown(html, "n_member_states")) == len(members)
    assert _number(_shown(html, "n_member_states_with_limit")) == members["target_2020_pct"].notna().sum()
    assert members["emissions_2005_mtco2e"].isna().all()  # so the limits are not weighted
    assert _shown(html, "weighted_target_2020_pct") == "—"
    assert "The table gives no 2005 emissions, so the limits are not weighted" in html  # the section's note
    assert "This run uses the corrected formulas." in prose_text(html)


# ---------------------------------------------------------------------------------------------
# 06: with and without a price history


def _facts(build_dir) -> pd.Series:
    return _table(build_dir, PRICES, "quoted_facts").set_index("key")["status"]


@pytest.mark.notebooks
def test_06_without_a_price_history_says_so_in_each_section(build_dir, tmp_path):
    html = build_paper(PRICES, "no_price_file", tmp_path)
    text = prose_text(html)
    assert "This run reads no price history" in text
    assert text.count("This run reads no price history") >= 6  # the opening and each section that needs one
    assert "This run compares no second history" in text
    status = _facts(build_dir)
    assert _shown(html, "n_facts") == str(len(status))
    assert _shown(html, "n_facts_agree") == "0"
    assert _shown(html, "n_facts_unchecked") == str(len(status))
    assert _shown(html, "phase1_peak_status") == status["phase1_peak_eur_per_t"] == "no price file"
    for name in ("n_findings_unexplained", "roll_used", "arima_observations", "arima_forecast_last_eur_per_t",
                 "n_common_days", "phase1_volatility_pct"):
        assert _shown(html, name) == "—", name


def _check_history_prose(html: str, build_dir, scenario: str) -> None:
    """The filled values of a paper with a price history against the tables of its run."""
    values = _scenario(PRICES, scenario)
    text = prose_text(html)
    assert "This run reads a price history" in text and "This run reads no price history" not in text
    status = _facts(build_dir)
    assert _shown(html, "n_facts_agree") == str(int((status == "agrees").sum()))
    assert _shown(html, "n_facts_disagree") == str(int((status == "disagrees").sum()))
    assert _shown(html, "phase2_about_status") == status["phase2_around_eur_per_t"]
    assert _shown(html, "phase1_peak_status") == status["phase1_peak_eur_per_t"]
    findings = _table(build_dir, PRICES, "findings")
    assert _shown(html, "n_findings_unexplained") == f"{len(findings):,}"
    assert _shown(html, "n_jumps") == str(int((findings["kind"] == "jump").sum()))
    phases = _table(build_dir, PRICES, "describe_by_phase").set_index("phase")
    assert _shown(html, "phase1_volatility_pct") == f"{phases['volatility_per_year'].iloc[0] * 100:.0f}"
    roots = _table(build_dir, PRICES, "unit_root_tests")
    price = roots[roots["series"] == "log price"]
    assert _shown(html, "n_phases_price_unit_root") == str(int((price["verdict"] == "unit root").sum()))
    forecast = _table(build_dir, PRICES, "arima_forecast")
    assert _shown(html, "arima_forecast_last_eur_per_t") == f"{forecast['price_eur_per_t'].iloc[-1]:.2f}"
    assert value_text(html, "arima_p")[0] == str(values.get("arima_p", 1))
    compared = _table(build_dir, PRICES, "comparison")
    assert _shown(html, "n_common_days") == f"{int(compared['common_days'].sum()):,}"
    assert _shown(html, "n_years_ratio_not_one") == str(int((compared["median_ratio_b_to_a"] != 1).sum()))
    assert "This run compares no second history" not in text


@pytest.mark.notebooks
def test_06_synthetic_history_fills_every_section_from_its_tables(build_dir, tmp_path):
    html = build_paper(PRICES, "synthetic_history", tmp_path)
    _check_history_prose(html, build_dir, "synthetic_history")


_TWO = _scenario(PRICES, "two_series")


@pytest.mark.notebooks
@pytest.mark.shared(paths.shared_data_dir() / _TWO["price_file"], paths.shared_data_dir() / _TWO["compare_file"])
def test_06_two_series_fills_every_section_from_its_tables(build_dir, tmp_path):
    html = build_paper(PRICES, "two_series", tmp_path)
    _check_history_prose(html, build_dir, "two_series")
    assert _shown(html, "forecast_days") == str(_TWO["forecast_days"])

"""The prose of 01 and 02 states what each scenario's own tables say (docs/CONVENTIONS.md,
"Numbers in prose"): every filled value is compared with the table the same run wrote."""

from __future__ import annotations

import pandas as pd
import pytest

from carbonlib.workbench import render

from . import prose

M01 = "01_global_carbon_market"
M02 = "02_kyoto_supply_demand"


def _table(build_dir, stem: str, name: str) -> pd.DataFrame:
    return pd.read_csv(build_dir / "tables" / stem / f"{name}.csv")


def _only(html: str, name: str) -> str:
    """The one text the paper shows for ``name`` (the same wherever it is used)."""
    shown = set(prose.value_text(html, name))
    assert len(shown) == 1, f"{name}: {shown or 'not filled'}"
    return shown.pop()


@pytest.mark.notebooks
@pytest.mark.parametrize("scenario", [None, "exact_levels"])
def test_01_counts_of_table_3_and_verdicts_of_table_4(scenario, build_dir, tmp_path):
    html = prose.build_paper("01", scenario, tmp_path)
    counts = _table(build_dir, M01, "table1_status_counts").set_index("status")["cells"]
    verdicts = _table(build_dir, M01, "table1_disagreements")["verdict"]
    assert _only(html, "n_discrepancies") == str(counts["discrepancy"])
    assert _only(html, "n_cells") == str(counts.sum())
    n_errors = int((verdicts == "printing error").sum())
    n_rounding = int((verdicts == "rounding of the parts").sum())
    assert _only(html, "n_printing_errors") == str(n_errors)
    assert _only(html, "n_rounding_differences") == str(n_rounding)
    text = prose.prose_text(html)
    assert ("of them is a printing error" in text) == (n_errors == 1)
    if scenario == "exact_levels":  # the example: Table 3 counts 7, and all 7 are printing errors
        assert n_errors == 7 and n_rounding == 0
        assert "of them are printing errors" in text
    else:
        assert _only(html, "printing_error_rows") == "Allowance subtotal"  # shown by its label
        assert _only(html, "misprinted_sums") == "Allowance subtotal"
        assert _only(html, "misprinted_sum_years") == "2006"


@pytest.mark.notebooks
def test_01_text_wording_states_the_scenario_base_and_year(build_dir, tmp_path):
    html = prose.build_paper("01", "text_wording_2006", tmp_path)
    bases = _table(build_dir, M01, "cdm_share_bases").set_index("base")
    assert _only(html, "cdm_share_base") == "CDM + JI"  # the parameter shown by its label
    assert _only(html, "share_year") == "2006"
    assert _only(html, "cdm_volume_share_pct") == f"{bases.loc['cdm_plus_ji', 'volume_share_pct']:.1f}"
    assert _only(html, "cdm_value_share_pct") == f"{bases.loc['cdm_plus_ji', 'value_share_pct']:.1f}"
    shares = _table(build_dir, M01, "value_shares").set_index("segment")
    assert _only(html, "allowance_value_share_pct") == f"{shares.loc['allowance_subtotal', '2006']:.1f}"
    # the text's 87 % and 91 % are a 2007 statement: the matching base does not follow share_year
    assert _only(html, "cdm_bases_matching_text") == "Primary project-based market"


@pytest.mark.notebooks
def test_01_corrected_sums_states_the_corrected_subtotal(build_dir, tmp_path):
    html = prose.build_paper("01", "corrected_sums", tmp_path)
    split = _table(build_dir, M01, "allowance_vs_project_based").set_index(["market", "year"])
    assert _only(html, "allowance_value_2006_musd_used") == f"{split.loc[('allowance', 2006), 'value_musd']:,.0f}"
    assert "replaced by the sum of its rows" in prose.prose_text(html)


@pytest.mark.notebooks
@pytest.mark.parametrize("scenario", [None, "all_aau_high", "credits_only_low"])
def test_02_balance_and_monte_carlo_as_tabled(scenario, build_dir, tmp_path):
    html = prose.build_paper("02", scenario, tmp_path)
    balance = _table(build_dir, M02, "balance").set_index("Unnamed: 0")["value"]
    surplus = balance["surplus_mtco2e"]
    text = prose.prose_text(html)
    assert ("a shortfall of" in text) == (surplus < 0)
    assert ("a surplus of" in text) == (surplus >= 0)
    assert _only(html, "abs_surplus_mtco2e") == f"{abs(surplus):,.0f}"
    assert _only(html, "balance_supply_mtco2e") == f"{balance['supply_mtco2e']:,.0f}"
    mc = _table(build_dir, M02, "monte_carlo_summary").set_index("Unnamed: 0")["value"]
    assert _only(html, "shortfall_probability") == f"{mc['shortfall_probability']:.3f}"
    quantiles = [f"{mc[k]:,.0f}".replace("-", "−") for k in mc.index if k.startswith("q")]
    assert _only(html, "surplus_quantiles_mtco2e") == ", ".join(quantiles)
    grid = _table(build_dir, M02, "balance_grid")
    assert _only(html, "n_grid_shortfalls") == str(int((grid["surplus_mtco2e"] < 0).sum()))
    if scenario == "credits_only_low":  # CERs and ERUs alone at the low end fall short of demand
        assert surplus < 0 and "a shortfall of" in text


@pytest.mark.notebooks
def test_02_identities_as_tabled(build_dir, tmp_path):
    html = prose.build_paper("02", None, tmp_path)
    excluded = _table(build_dir, M02, "demand_checks_parentheses_excluded")
    failing = excluded[excluded["status"] == "discrepancy"]
    assert _only(html, "n_failing_parentheses_excluded") == str(len(failing))
    # the prose names them as the table's first column does: by their labels, not the identifiers of the CSV
    shown = [render.cell_label(v, None, "en", first=False) for v in failing.iloc[:, 0]]
    assert _only(html, "failing_identities_parentheses_excluded") == ", ".join(shown)
    assert "_" not in ", ".join(shown)
    unprinted = _table(build_dir, M02, "implied_unprinted").set_index("buyer")["unprinted_mtco2e"]
    assert _only(html, "unprinted_other_europe_nz_mtco2e") == f"{unprinted['other_europe_nz']:,.0f}"
    summary = _table(build_dir, M02, "checks_summary").set_index("check")
    assert _only(html, "n_failing_parentheses_included") == str(summary.loc["demand, parentheses_included",
                                                                             "discrepancy"])
    assert _only(html, "n_supply_agree") == str(summary.loc["supply", "agrees"])


def test_locate_misprints_follows_the_identity_that_holds():
    from carbonlib import datasets, market
    from carbonlib.errors import InputError

    levels = datasets.load("market_t1_levels")
    located = market.locate_misprints(market.identity_checks(levels))
    report = market.table1_report(levels, datasets.load("market_t1_growth"))
    errors = report[report["verdict"] == market.VERDICT_ERROR].index.get_level_values("segment")
    assert located["segment"].tolist() == [s for s in errors if s.endswith(("subtotal", "total"))]
    assert market.locate_misprints(market.identity_checks(levels, half_width=100.0)).empty
    with pytest.raises(InputError, match="verdict"):
        market.locate_misprints(pd.DataFrame({"x": [1]}))
    with pytest.raises(InputError, match="cdm_share_of_value_2007_pct"):
        market.cdm_bases_matching_text(levels, pd.DataFrame({"key": ["cdm_share_of_volume_2007_pct"], "value": [87]}))

"""The prose of 04 (free allocation) and 05 (scope and carbon leakage) states what each run found.

Each paper is built under its defaults and under every named scenario; the values its prose
fills in are compared with the tables the same run wrote (``build/tables/<notebook>/*.csv``)
and with the scenario's parameters, so that a sentence true only at the defaults fails here.
"""

from __future__ import annotations

import pandas as pd
import pytest

from . import prose

FREE = "04_free_allocation"
LEAKAGE = "05_carbon_leakage"


def _one(html: str, name: str) -> str:
    shown = prose.value_text(html, name)
    assert shown, f"the prose shows no value {name!r}"
    assert len(set(shown)) == 1, f"{name!r} is shown differently in different places: {shown}"
    return shown[0]


def _number(text: str) -> float:
    return float(text.replace(",", "").replace("−", "-"))


def _table(build_dir, notebook: str, name: str, **kwargs) -> pd.DataFrame:
    return pd.read_csv(build_dir / "tables" / notebook / f"{name}.csv", **kwargs)


def _discrepancies(table: pd.DataFrame) -> int:
    return int((table["status"] == "discrepancy").sum())


@pytest.mark.notebooks
@pytest.mark.parametrize("scenario", [None, "hal_2009_2010", "recomputed_factors"])
def test_free_allocation_prose_follows_the_run(scenario, build_dir, tmp_path):
    html = prose.build_paper(FREE, scenario, tmp_path)
    assert prose.unaccounted(html) == []
    text = " ".join(prose.prose_text(html).split())  # one space between words, as read

    benchmarks = _table(build_dir, FREE, "product_benchmarks")
    assert _number(_one(html, "n_product_benchmarks")) == len(benchmarks)

    clef_check = _table(build_dir, FREE, "clef_check")
    lrf_check = _table(build_dir, FREE, "lrf_check")
    assert _number(_one(html, "n_clef_years_disagreeing")) == _discrepancies(clef_check)
    assert _number(_one(html, "n_lrf_years_disagreeing")) == _discrepancies(lrf_check)
    assert _number(_one(html, "n_lrf_years")) == len(lrf_check)

    allocation = _table(build_dir, FREE, "allocation", index_col="installation")
    total_2020 = _number(_one(html, "total_allocation_2020_t"))
    assert total_2020 == pytest.approx(allocation["2020"].sum(), abs=len(allocation))  # table rounded per row
    assert _one(html, "lrf_installations") == "PWR1"

    # the printed 表8 and 表10 are checked against the rules the report states, whatever the run's own factors
    assert _discrepancies(lrf_check) == 0 and _discrepancies(clef_check) == 0
    assert "so 表10 is the stated rule" in text and "so 表8 is the stated rule" in text
    if scenario == "recomputed_factors":  # the run's own factors: CLEF 0.8 to 0, LRF 2.2 %
        assert _one(html, "clef_end") == "0"
        assert _one(html, "clef_not_exposed_2020_used") == "0"
        assert _one(html, "lrf") == "2.20%"
        assert "factors recomputed from" in text
    else:  # the printed factors
        assert _one(html, "clef_not_exposed_2020_used") == "0.3"
        assert _one(html, "lrf") == "1.74%"
        assert "the factors as printed in 表8 and 表10" in text
    assert _one(html, "hal_rule") == ("2009_2010" if scenario == "hal_2009_2010" else "2005_2008")


@pytest.mark.notebooks
@pytest.mark.parametrize("scenario", [None, "directive_thresholds", "strict_leakage", "wider_opt_out"])
def test_leakage_prose_follows_the_run(scenario, build_dir, tmp_path):
    html = prose.build_paper(LEAKAGE, scenario, tmp_path)
    assert prose.unaccounted(html) == []
    text = " ".join(prose.prose_text(html).split())  # one space between words, as read

    covered = _table(build_dir, LEAKAGE, "coverage")
    assert _number(_one(html, "n_installations")) == len(covered)
    assert _number(_one(html, "n_covered_installations")) == covered["covered"].sum()
    assert _number(_one(html, "n_opt_out_eligible")) == covered["opt_out_eligible"].sum()
    eligible = ", ".join(covered.loc[covered["opt_out_eligible"], "installation"]) or "—"
    assert _one(html, "opt_out_eligible_installations") == eligible

    tested = _table(build_dir, LEAKAGE, "leakage_test")
    assert _number(_one(html, "n_exposed_sectors")) == tested["exposed"].sum()
    assert _one(html, "exposed_sectors") == ", ".join(tested.loc[tested["exposed"], "sector"])

    by_criterion = _table(build_dir, LEAKAGE, "annex3_by_criterion", index_col="group")["sectors"]
    assert _number(_one(html, "n_annex3_sectors")) == by_criterion["all"] == 147
    assert _number(_one(html, "n_annex3_c_only")) == by_criterion["only C"]
    assert _number(_one(html, "n_annex3_c")) == by_criterion["C"]

    phases = _table(build_dir, LEAKAGE, "phase_years_check")
    assert _number(_one(html, "n_phase_year_discrepancies")) == _discrepancies(phases)
    assert _one(html, "phase_year_discrepancies") == "start of phase 3"
    checks = [phases, _table(build_dir, LEAKAGE, "threshold_check"), _table(build_dir, LEAKAGE, "annex3_count_check")]
    assert _number(_one(html, "n_printed_disagreements")) == sum(map(_discrepancies, checks)) == 3

    penalty = _table(build_dir, LEAKAGE, "penalty_path", index_col="year")
    assert _one(html, "penalty_2020_eur_per_t") == f"{penalty.loc[2020, 'penalty_eur_per_t']:.2f}"
    assert _number(_one(html, "inflation_mean_pct")) == pytest.approx(penalty["assumed_inflation_pct"].mean(), abs=0.005)

    thresholds = _table(build_dir, LEAKAGE, "activities_thresholds", index_col="activity")
    assert _number(_one(html, "mineral_wool_threshold_used_t_per_day")) == thresholds.loc["mineral_wool", "threshold"]

    if scenario == "directive_thresholds":  # Directive's mineral-wool threshold, no opt-out
        assert _one(html, "mineral_wool_threshold_used_t_per_day") == "20"
        assert "this run does not apply it" in text and "which this run does not apply" in text
        assert "uses the Directive's mineral-wool threshold instead" in text
        assert not covered["opt_out_eligible"].sum() or "opt-out eligible, not applied" in " ".join(covered["reason"])
    else:
        assert _one(html, "mineral_wool_threshold_used_t_per_day") == "200,000"
        assert "this run applies it" in text
        assert "uses the printed mineral-wool threshold as well" in text
    if scenario == "wider_opt_out":  # 25,000 t and 35 MW
        assert _one(html, "opt_out_max_emissions_t") == "25,000"
        assert _one(html, "opt_out_max_thermal_input_mw") == "35"
    else:
        assert _one(html, "opt_out_max_emissions_t") == "10,000"
        assert _one(html, "opt_out_max_thermal_input_mw") == "25"
    if scenario == "strict_leakage":  # thresholds 10, 20, 40, 40 %, constant 3 % inflation
        assert [_one(html, n) for n in ("cost_min_pct", "trade_min_pct", "cost_only_pct", "trade_only_pct")] == [
            "10", "20", "40", "40"]
        assert "the constant rate" in text and _number(_one(html, "inflation_mean_pct")) == 3
    else:
        assert _one(html, "cost_min_pct") == "5"
        assert "This run uses the illustrative table" in text

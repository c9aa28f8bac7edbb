"""The prose of 03 (EU ETS cap and auctions) states what its own run found, under every scenario.

Each test builds the paper of 03 under its defaults or under one named scenario, and checks that
the values the prose fills in are those of the tables the same run wrote
(``build/tables/03_eu_ets_cap_and_auctions/*.csv``) and of the scenario's parameters, and that
the conclusions it draws (a shortfall of years, a share above the quoted minimum) follow them.
"""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest

from carbonlib.workbench import params
from carbonlib.workbench.prose import format_value

from . import prose

NB = "03_eu_ets_cap_and_auctions"
SCENARIOS = [None] + sorted(p.stem for p in (Path(__file__).resolve().parent.parent
                                             / "notebooks" / "params" / NB).glob("*.yaml"))

#: what the issue says the prose must state under these scenarios (typed here on purpose)
ISSUE = {
    "phase3_rule_continued": {"free_share_2020_pct": "0", "researcher_n_years_from_switch": "0"},
    "absolute_reduction_2050": {"new_entrant_reserve_pct": "3", "split_early_action_pct": "0"},
    "proposal_base_2040": {"proposal_lrf": "1.84%", "proposal_implied_base_mt": "1,971"},
}


def _parameters(scenario: str | None) -> dict:
    values = params.load_scenario(NB, scenario) if scenario else {}
    return {name: values.get(name, p.default) for name, p in params.declared(NB).items()}


def _table(build_dir: Path, name: str, **kwargs) -> pd.DataFrame:
    return pd.read_csv(build_dir / "tables" / NB / f"{name}.csv", **kwargs)


def _shown(paper: str, name: str) -> str:
    """The one text the paper shows for ``name`` (the same wherever it is used)."""
    texts = set(prose.value_text(paper, name))
    assert len(texts) == 1, f"{name}: shown as {texts or 'nothing'}"
    return texts.pop()


@pytest.mark.notebooks
@pytest.mark.parametrize("scenario", SCENARIOS, ids=[s or "defaults" for s in SCENARIOS])
def test_the_prose_states_what_the_run_found(scenario, build_dir, tmp_path):
    paper = prose.build_paper(NB, scenario, tmp_path)
    p = _parameters(scenario)
    text = " ".join(prose.prose_text(paper).split())
    assert prose.unaccounted(paper) == []

    # 表3: misses per rule, as Table 2 counts them
    counts = _table(build_dir, "proposal_status_counts", index_col="status")
    for name, rule in (("n_endpoint_misses", "endpoints"), ("n_average_decline_misses", "average_decline"),
                       ("n_ols_misses", "ols")):
        assert _shown(paper, name) == format_value(int(counts.loc["discrepancy", rule]))
    plural = "year" if int(counts.loc["discrepancy", "endpoints"]) == 1 else "years"
    assert f"through the printed end points misses ⟨value⟩ {plural}." in text
    ols = _table(build_dir, "proposal_ols", index_col=0)["value"]
    on_line = ols["start_cap_min"] <= 1974 <= ols["start_cap_max"]
    assert ("the printed 1,974 is not the 2013 value of such a line" in text) != on_line

    # the base implied by the fitted reduction at the run's proposal_lrf (0.0184 in proposal_base_2040)
    assert _shown(paper, "proposal_lrf") == format_value(p["proposal_lrf"], ".2%")
    assert _shown(paper, "proposal_implied_base_mt") == format_value(ols["annual_reduction"] / p["proposal_lrf"], ",.0f")

    # the researcher's path: its end, and how many years fall under the factor from switch_year
    path = _table(build_dir, "cap_paths", index_col="year").filter(like="researcher").iloc[:, 0].dropna()
    assert _shown(paper, "researcher_cap_end_year_t") == format_value(path.iloc[-1], ",.0f")
    assert _shown(paper, "end_year") == str(p["end_year"]) == str(path.index[-1])
    assert _shown(paper, "researcher_n_years_from_switch") == format_value(int((path.index >= p["switch_year"]).sum()))

    # auctions: the share of the cap, the split and the calendar as this run computed them
    share = _table(build_dir, "auction_share_of_cap", index_col="year")["auction_share_pct"]
    assert set(prose.value_text(paper, "auction_share_min_pct")) == {format_value(share.min(), ".1f"),
                                                                     format_value(share.min(), ".0f")}
    assert ('above the text\'s "over 40 %" every year' in text) == bool(share.min() > 40)
    for name in ("split_emissions_pct", "split_solidarity_pct", "split_early_action_pct", "new_entrant_reserve_pct"):
        assert _shown(paper, name) == format_value(p[name])
    days = _table(build_dir, "auction_days")["auction_days"].sum()
    assert _shown(paper, "n_auction_sessions") == format_value(int(days))
    assert _shown(paper, "calendar_year") == str(p["calendar_year"])

    # free share in 2020 and the new-entrant reserve
    assert _shown(paper, "free_share_2020_pct") == format_value(float(p["free_share_end_pct"]))
    reserve = _table(build_dir, "new_entrant_reserve", index_col="year")
    assert _shown(paper, "reserve_total_t") == format_value(reserve.loc["total", "reserve_t"], ",.0f")

    # the figures the issue names, as these scenarios set them
    for name, shown in ISSUE.get(scenario, {}).items():
        assert _shown(paper, name) == shown, name

    # a value recorded in a code cell is not printed under it
    executed = json.loads((tmp_path / f"{NB}.ipynb").read_text(encoding="utf-8"))
    for cell in executed["cells"]:
        if cell["cell_type"] == "code" and "run.record(" in "".join(cell["source"]):
            assert not [o for o in cell.get("outputs", []) if o.get("output_type") == "execute_result"], (
                "".join(cell["source"]))

"""carbonlib.outcomes and the data of workbook 08: the cap paths against their legal constants, the
EEA series against its schema, the Kyoto outcome, GARCH(1,1) by phase."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from numpy.testing import assert_allclose

from carbonlib import cap, datasets, outcomes, prices
from carbonlib.errors import DataError, InputError
from carbonlib.workbench import paths

#: The EEA verified emissions: provided data beside the clone, read by path, never committed.
EEA_FILE = paths.shared_data_dir() / "eea" / "eea_euets_sector_verified_emissions_2005-2025.csv"
EEA = "eea_sector_verified_emissions"


@pytest.fixture(scope="module")
def legal():
    return datasets.load("ets_legal_constants").set_index("key")["value"]


def _revised(legal, end=2060):
    return outcomes.revised_path(2021, legal["cap_2021_t"], end, annual_reduction_t=legal["cap_annual_reduction_2021_t"],
                                 factor=legal["lrf_2021"], factor_changes={2024: legal["lrf_2024"], 2028: legal["lrf_2028"]},
                                 one_off_t={2024: legal["rebase_2024_t"] - legal["maritime_addition_2024_t"],
                                            2026: legal["rebase_2026_t"]})


def test_the_legal_constants_are_those_the_sources_print(legal):
    """Decision (EU) 2020/1722 and the Commission's pages (data/published/ets_legal_constants.csv)."""
    assert legal["cap_2021_t"] == 1_571_583_007
    assert legal["cap_annual_reduction_2021_t"] == 43_003_515
    assert (legal["lrf_2021"], legal["lrf_2024"], legal["lrf_2028"]) == (0.022, 0.043, 0.044)
    assert (legal["rebase_2024_t"], legal["rebase_2026_t"]) == (90_000_000, 27_000_000)


def test_the_phase4_path_at_2_2_percent_falls_by_its_published_reduction(legal):
    p = outcomes.revised_path(2021, legal["cap_2021_t"], 2030, annual_reduction_t=legal["cap_annual_reduction_2021_t"],
                              factor=legal["lrf_2021"])
    assert p[2021] == 1_571_583_007
    assert (-p.diff().dropna() == 43_003_515).all()


def test_the_revised_path_applies_each_constant_in_its_year(legal):
    p = _revised(legal)
    drop = -p.diff()
    per_point = 43_003_515 / 0.022  # the factors share one base
    # each year is rounded to whole allowances: a drop may differ from the exact one by one allowance
    assert (drop[[2022, 2023]] == 43_003_515).all()
    assert_allclose(drop[2024], 0.043 * per_point + 90_000_000 - 78_400_000, rtol=0, atol=1)
    assert_allclose(drop[[2025, 2027]], 0.043 * per_point, rtol=0, atol=1)
    assert_allclose(drop[2026], 0.043 * per_point + 27_000_000, rtol=0, atol=1)
    assert_allclose(drop[2028], 0.044 * per_point, rtol=0, atol=1)
    assert (p == p.round()).all()
    assert (p >= 0).all() and p.iloc[-1] == 0


@pytest.mark.parametrize(("first", "start", "reduction"), [
    (2013, cap.PHASE3_CAP_2013_T, cap.PHASE3_ANNUAL_REDUCTION_T),  # 001: 2068
    (2021, 1_571_583_007, 43_003_515),  # Phase 4 at 2.2 %: 2058
])
def test_zero_year_of_a_linear_path(first, start, reduction):
    path = outcomes.revised_path(first, start, first + 5, annual_reduction_t=reduction, factor=0.02)
    assert outcomes.zero_year(path, reduction) == first + math.ceil(start / reduction)


def test_the_continued_phase3_rule_is_the_adopted_cap_to_2020():
    p = outcomes.revised_path(2013, cap.PHASE3_CAP_2013_T, 2020, annual_reduction_t=cap.PHASE3_ANNUAL_REDUCTION_T,
                              factor=cap.PHASE3_LRF)
    assert_allclose(p, cap.phase3_path(), rtol=0, atol=0)


def test_revised_path_errors():
    with pytest.raises(InputError, match="factor 2.2 outside"):
        outcomes.revised_path(2021, 1.0, 2030, annual_reduction_t=1.0, factor=2.2)
    with pytest.raises(InputError, match="end year 2020 before first year 2021"):
        outcomes.revised_path(2021, 1.0, 2020, annual_reduction_t=1.0, factor=0.022)


# --- the EEA series ------------------------------------------------------------------------

@pytest.mark.shared(EEA_FILE)
def test_the_eea_series_loads_with_its_eight_activities_and_spot_values():
    eea = datasets.load_provided(EEA, EEA_FILE)
    assert len(eea) == 161 and eea["sector"].nunique() == 8
    assert eea.loc[eea["sector"] == outcomes.AVIATION, "year"].min() == 2012
    v = eea.set_index(["sector", "year"])["emissions_mt"]
    assert v[("20 Combustion of fuels", 2005)] == 1452.25  # ../shared/data/PROVENANCE.txt, spot checks
    assert v[("20 Combustion of fuels", 2025)] == 555.15


def test_the_eea_descriptor_states_licence_and_attribution():
    res = datasets.provided_resource(EEA)
    assert res["licenses"][0]["name"] == "ODC-PDDL-1.0"
    assert "European Environment Agency" in res["x_attribution"]
    assert "NOT the whole system" in res["description"] and "never committed" in res["description"]
    assert EEA not in datasets.names()  # not part of the data package


@pytest.mark.shared(EEA_FILE)
def test_no_tracked_file_is_a_copy_of_provided_data():
    """Price histories and the EEA file are read by path: none of them is committed."""
    import subprocess

    provided = {datasets.sha256_file(f) for f in paths.shared_data_dir().rglob("*") if f.is_file()}
    tracked = subprocess.run(["git", "ls-files", "-z"], cwd=paths.ROOT, capture_output=True, check=True).stdout
    copies = [f for f in tracked.decode().split("\0") if f and (paths.ROOT / f).is_file()
              and datasets.sha256_file(paths.ROOT / f) in provided]
    assert copies == []


@pytest.mark.parametrize(("row", "message"), [
    ("20 Combustion of fuels,2005,-3", "emissions_mt"),
    ("99 Something else,2005,3", "sector"),
    ("20 Combustion of fuels,2005,1452.25", "primary key|duplicate"),
])
def test_a_bad_eea_file_is_refused_naming_the_problem(tmp_path, row, message):
    # a made-up file in the EEA layout (test input, not data): one good row, then the bad one
    bad = tmp_path / "eea.csv"
    bad.write_text("sector,year,emissions_mt\n20 Combustion of fuels,2005,1452.25\n" + row + "\n", encoding="utf-8")
    with pytest.raises(DataError, match=message):
        datasets.load_provided(EEA, bad)


def test_without_the_eea_file_the_workbook_knows_what_it_cannot_build():
    c = outcomes.emissions_coverage(None, None)
    assert c["supported"].tolist() == [False, False]
    assert outcomes.emission_start(None, None, 2025) is None
    assert outcomes.against_summary(None)["share_last_pct"] is None
    assert outcomes.projection_summary(None, 833e6)["tnac_end_t"] is None


@pytest.mark.shared(EEA_FILE)
def test_cap_against_emissions_identities():
    eea = datasets.load_provided(EEA, EEA_FILE)
    stationary = outcomes.emissions_by_year(eea, aviation=False)
    everything = outcomes.emissions_by_year(eea)
    aviation = outcomes.emissions_by_year(eea, aviation=True)
    assert_allclose(everything, stationary.add(aviation, fill_value=0), rtol=1e-12)
    t = outcomes.cap_against_emissions(cap.phase3_path(), stationary)
    assert list(t.index) == list(range(2013, 2021))
    assert_allclose(t["cap_minus_emissions_t"], t["cap_t"] - t["emissions_t"])
    assert_allclose(t["emissions_share_of_cap_pct"], t["emissions_t"] / t["cap_t"] * 100)
    with pytest.raises(InputError, match="share no year"):
        outcomes.cap_against_emissions(pd.Series({1990: 1.0}), stationary)


# --- the Kyoto outcome ----------------------------------------------------------------------

def test_kyoto_outcome_against_the_forecast_of_table_2():
    k = outcomes.kyoto_outcome(datasets.load("kyoto_supply"), datasets.load("kyoto_outcomes"))
    cdm = k.loc["cdm_cers_issued_2008_2012"]
    assert (cdm["forecast_low_mtco2e"], cdm["forecast_high_mtco2e"], cdm["issued_mtco2e"]) == (1400, 2200, 1472)
    assert bool(cdm["within_forecast_range"]) is True
    assert bool(k.loc["ji_erus_issued_by_2015_07", "within_forecast_range"]) is False  # 863 > 280
    assert pd.isna(k.loc["aau_gis_transfers_2008_2012", "issued_mtco2e"])
    assert pd.isna(k.loc["aau_gis_transfers_2008_2012", "within_forecast_range"])


# --- GARCH(1,1) by phase --------------------------------------------------------------------

def _garch_history(n=2000, omega=0.05, alpha=0.1, beta=0.85, seed=1):
    rng = np.random.default_rng(seed)
    r, s2 = np.empty(n), omega / (1 - alpha - beta)
    for t in range(n):
        r[t] = math.sqrt(s2) * rng.standard_normal()
        s2 = omega + alpha * r[t] ** 2 + beta * s2
    idx = pd.bdate_range("2013-01-01", periods=n + 1)
    price = 20 * np.exp(np.concatenate([[0], np.cumsum(r / 100)]))
    return pd.DataFrame({"price_eur_per_t": price, "phase": 3}, index=idx)


def test_garch_recovers_the_persistence_of_a_simulated_series():
    h = _garch_history()
    fit = prices.garch_by_phase(h, prices.log_returns(h))
    row = fit.estimates.loc["Phase 3 (2013–2020)"]
    assert bool(row["converged"])
    assert_allclose(row["persistence"], 0.95, atol=0.05)
    assert_allclose(row["alpha"], 0.10, atol=0.05)
    assert len(fit.volatility) == row["observations"] == len(h) - 1


def test_garch_skips_a_short_phase_and_coverage_says_so():
    h = _garch_history(n=100)
    fit = prices.garch_by_phase(h, prices.log_returns(h), min_obs=250)
    assert pd.isna(fit.estimates["persistence"]).all() and fit.volatility.empty
    note = outcomes.price_coverage(h, 250).loc["garch", "note"]
    assert note == "No phase of this history has the 250 daily returns a GARCH(1,1) fit needs, so none is fitted."
    assert outcomes.price_coverage(None, 250)["supported"].tolist() == [False, False]

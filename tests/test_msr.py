"""carbonlib.msr: every published MSR intake reproduced from its published TNAC, to the allowance;
the rules at their edges; the projection's identities; errors on bad rules."""

from __future__ import annotations

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from carbonlib import datasets, msr
from carbonlib.errors import InputError

#: (publication year, TNAC, intake) as published; documents in data/published/msr_tnac.csv:
#: 2018 Commission news 2018-05-15 (intake: tuttoambiente.it), 2019 and 2023 Commission news of
#: 15 May, 2026 The Brussels Times reporting the Commission's statement.
PUBLISHED = [
    (2018, 1_654_574_598, 264_731_936),  # 24 % over the first 8 months of 2019
    (2019, 1_654_909_824, 397_178_358),  # 24 %
    (2023, 1_134_794_738, 272_350_737),  # 24 %
    (2026, 1_023_494_202, 190_494_202),  # the band: TNAC - 833 million
]


@pytest.mark.parametrize(("year", "tnac", "published"), PUBLISHED, ids=[str(p[0]) for p in PUBLISHED])
def test_each_published_intake_is_reproduced_to_the_allowance(year, tnac, published):
    assert msr.intake(tnac, year) == published


def test_the_data_package_holds_these_pairs_and_every_one_agrees():
    table = datasets.load("msr_tnac")
    exact = table.dropna(subset=["tnac", "intake_t"])
    assert sorted(zip(exact["publication_year"], exact["tnac"], exact["intake_t"], strict=True)) == PUBLISHED
    check = msr.check_published(table)
    assert (check.loc[[p[0] for p in PUBLISHED], "status"] == "agrees").all()
    assert (check.loc[[p[0] for p in PUBLISHED], "difference_t"] == 0).all()
    # a publication without an exact TNAC is not recomputed, and says why
    assert check.loc[2024, "status"] == "TNAC not found" and pd.isna(check.loc[2024, "recomputed_intake_t"])


def test_rounding_down_would_miss_the_2019_intake():
    """0.24 × 1 654 909 824 = 397 178 357.76: only rounding to the nearest allowance gives the published figure."""
    assert msr.intake(1_654_909_824, 2019, msr.Rules(rounding="down")) == 397_178_357


def test_without_the_doubling_the_2019_intake_would_be_half():
    rules = msr.Rules(doubled_until_year=2018)
    assert msr.intake(1_654_909_824, 2019, rules) == 198_589_179  # 12 %, 198 589 178.88


@pytest.mark.parametrize(("tnac", "year", "expected"), [
    (833_000_000, 2025, 0),  # at the threshold: nothing
    (833_000_001, 2025, 1),  # just inside the band
    (1_096_000_000, 2025, 263_000_000),  # top of the band: TNAC - 833 million
    (1_096_000_001, 2025, 263_040_000),  # above it: 24 %
    (833_000_000, 2022, 0),  # before the band: at the threshold, nothing
    (900_000_000, 2022, 216_000_000),  # before the band: 24 %
    (1_200_000_000, 2031, 144_000_000),  # after the doubling, above the band: 12 %
    (1_000_000_000, 2031, 167_000_000),  # after the doubling, inside the band
    (1_694_836_870, 2017, 0),  # before the reserve operates
])
def test_intake_rules_at_their_edges(tnac, year, expected):
    assert msr.intake(tnac, year) == expected


def test_minimum_intake_applies_before_the_band():
    rules = msr.Rules(upper_threshold_t=100_000_000, lower_threshold_t=50_000_000)
    assert msr.intake(800_000_000, 2020, rules) == 0  # 24 % = 192 million < the doubled 200 million
    assert msr.intake(900_000_000, 2020, rules) == 216_000_000


def test_release_below_the_lower_threshold_is_capped_by_the_holdings():
    assert msr.release(399_999_999, 1_000_000_000) == 100_000_000
    assert msr.release(399_999_999, 30_000_000) == 30_000_000
    assert msr.release(400_000_000, 1_000_000_000) == 0


def test_invalidation_rules():
    assert msr.invalidated(3_000_000_000, 2023, previous_auction_volume_t=500_000_000) == 2_500_000_000
    assert msr.invalidated(600_000_000, 2024) == 200_000_000  # the fixed 400 million
    assert msr.invalidated(600_000_000, 2022) == 0
    assert msr.invalidated(600_000_000, 2030, rules=msr.Rules(invalidation_from_year=None)) == 0
    with pytest.raises(InputError, match="previous year's auction volume is needed"):
        msr.invalidated(3_000_000_000, 2023)


@pytest.mark.parametrize(("kwargs", "message"), [
    ({"intake_rate": 12}, "intake_rate: 12 outside"),
    ({"band_top_t": 500_000_000}, "band_top_t .* is below upper_threshold_t"),
    ({"lower_threshold_t": 900_000_000}, "lower_threshold_t .* is above upper_threshold_t"),
    ({"rounding": "up"}, "rounding: 'up'"),
    ({"release_t": -1}, "release_t: must be a number of allowances"),
])
def test_bad_rules_are_refused_naming_the_rule(kwargs, message):
    with pytest.raises(InputError, match=message):
        msr.Rules(**kwargs)


def test_a_negative_tnac_is_refused():
    with pytest.raises(InputError, match="TNAC published in 2025"):
        msr.intake(-5, 2025)


def _paths(first, years, supply, emissions):
    idx = pd.Index(range(first, first + years), name="year")
    return pd.Series(supply, index=idx, dtype=float), pd.Series(emissions, index=idx, dtype=float)


@settings(max_examples=40, deadline=None)
@given(tnac=st.integers(0, 3_000_000_000), holdings=st.integers(0, 3_000_000_000),
       supply=st.lists(st.integers(0, 2_000_000_000), min_size=1, max_size=12),
       share=st.floats(0.3, 1.5), pending=st.integers(0, 400_000_000), invalidate=st.booleans())
def test_projection_keeps_its_identities(tnac, holdings, supply, share, pending, invalidate):
    s, e = _paths(2026, len(supply), supply, [x * share for x in supply])
    rules = msr.Rules() if invalidate else msr.Rules(invalidation_from_year=None)
    p = msr.project(2025, tnac, holdings, s, e, rules, pending)
    before_t = pd.Series([tnac, *p["tnac_t"].iloc[:-1]], index=p.index)
    before_h = pd.Series([holdings, *p["holdings_t"].iloc[:-1]], index=p.index)
    tnac_change = p["supply_t"] - p["emissions_t"] - p["intake_in_year_t"] + p["release_in_year_t"]
    assert ((p["tnac_t"] - before_t - tnac_change).abs() <= 2).all()  # whole-allowance rounding only
    holdings_change = p["intake_in_year_t"] - p["release_in_year_t"] - p["invalidated_t"]
    assert ((p["holdings_t"] - before_h - holdings_change).abs() <= 2).all()
    if not invalidate:
        assert (p["invalidated_t"] == 0).all()
    else:  # from 2024 nothing above the fixed threshold survives a 1 January
        assert ((before_h - p["invalidated_t"]) <= rules.invalidation_threshold_t + 2).all()


def test_projection_needs_every_year_of_its_paths():
    s, e = _paths(2026, 3, [1e9] * 3, [9e8] * 3)
    with pytest.raises(InputError, match="the emissions path has no value for 2027"):
        msr.project(2025, 1e9, 4e8, s, e.drop(2027))


def test_emission_path_and_its_errors():
    assert msr.emission_path(2025, 100.0, 2027, 10.0).round(6).tolist() == [100.0, 90.0, 81.0]
    with pytest.raises(InputError, match="emission decline: 150"):
        msr.emission_path(2025, 100.0, 2027, 150.0)

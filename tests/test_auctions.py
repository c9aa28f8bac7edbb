"""Tests for carbonlib.auctions: 表4 volumes and total, the 表3 split among member states, 表5
platforms and calendars, aviation's 15 %, the manufacturing free share, the 5 % reserve, errors."""

import numpy as np
import pandas as pd
import pytest
from numpy.testing import assert_allclose

from carbonlib import auctions, cap, datasets
from carbonlib.errors import InputError

YEARS = list(range(2013, 2021))
FREE_SHARE = [80.0, 72.857142857, 65.714285714, 58.571428571, 51.428571429, 44.285714286, 37.142857143, 30.0]


@pytest.fixture(scope="module")
def t4():
    return datasets.load("auctions_volumes_t4")


@pytest.fixture(scope="module")
def members():
    return datasets.load("auctions_member_states")


@pytest.fixture(scope="module")
def early():
    return datasets.load("auctions_early_action_states")["member_state"].tolist()


# --- 表4 ------------------------------------------------------------------------------------

def test_table4_volumes_are_the_year_rows(t4):
    """volumes() reads the year rows of 表4 (item = label = year), not the total row."""
    rows = t4[t4["item"] != "total"]
    assert (rows["item"] == rows["year"].astype(str)).all() and (rows["label_zh"] == rows["item"]).all()
    vol = auctions.volumes(t4)
    assert vol.index.tolist() == rows["year"].tolist() == YEARS
    assert_allclose(vol.to_numpy(), rows["auction_volume_t"].to_numpy(float), rtol=0, atol=0)


def test_table4_total_printed_and_checked(t4):
    """The printed 總計 is the sum of the eight printed years, to the allowance."""
    row = t4.set_index("item").loc["total"]
    assert pd.isna(row["year"])
    rep = auctions.check_total(t4)
    assert rep.loc["total", "status"] == "agrees"
    assert_allclose(rep.loc["total", "difference"], 0, atol=0)
    assert_allclose(row["auction_volume_t"], auctions.volumes(t4).sum(), rtol=0, atol=0)


def test_table4_total_equals_text_total(t4):
    q = datasets.load("auctions_quoted_figures").set_index("key")["value"]
    assert_allclose(q["auction_total_2013_2020_t"], auctions.volumes(t4).sum(), rtol=0, atol=0)


def test_table4_volumes_decline_every_year(t4):
    assert (np.diff(auctions.volumes(t4).to_numpy()) < 0).all()


def test_check_total_detects_a_wrong_total(t4):
    bad = t4.copy()
    bad.loc[bad["item"] == "total", "auction_volume_t"] += 1
    rep = auctions.check_total(bad)
    assert rep.loc["total", "status"] == "discrepancy"
    assert_allclose(rep.loc["total", "difference"], 1, atol=1e-6)


@pytest.mark.parametrize(("year", "share"), list(zip(YEARS, [51.165532, 51.585453, 51.976395, 52.336755,
                                                             52.663561, 52.965716, 53.255266, 53.539460],
                                                            strict=True)))
def test_auction_share_of_adopted_cap(t4, year, share):
    out = auctions.share_of_cap(auctions.volumes(t4), cap.phase3_path())
    assert_allclose(out.loc[year, "auction_share_pct"], share, atol=5e-7)
    assert out.loc[year, "auction_share_pct"] > 40  # 目前超過 40%額度以拍賣方式提供


# --- 表3 split among member states -----------------------------------------------------------

def test_split_table_printed():
    """The printed split adds up to 100 % and is the split the library applies."""
    s = datasets.load("auctions_split_t3").set_index("component")["share_pct"]
    assert_allclose(s.sum(), 100, atol=0)
    assert s.to_dict() == auctions.SPLIT_PCT


def test_early_action_states_in_printed_cell():
    """Every early-action state is named in the 表3 cell it is transcribed from."""
    text = datasets.load("allocation_methods_by_phase_t3").set_index(["aspect", "phase"])["text_zh"]
    cell = text[("auction", "phase3")]
    states = datasets.load("auctions_early_action_states")
    missing = [label for label in states["label_zh"] if label not in cell]
    assert not missing, missing


def test_split_sums_to_volume_every_year(t4, members, early):
    vol = auctions.volumes(t4)
    out = auctions.split_by_member_state(vol, members, early)
    per_year = out.groupby("year")[["emissions_2005_t", "solidarity_t", "early_action_t", "total_t"]].sum()
    assert_allclose(per_year["total_t"].to_numpy(), vol.to_numpy(), rtol=1e-12)
    assert_allclose(per_year["emissions_2005_t"].to_numpy(), 0.88 * vol.to_numpy(), rtol=1e-12)
    assert_allclose(per_year["solidarity_t"].to_numpy(), 0.10 * vol.to_numpy(), rtol=1e-12)
    assert_allclose(per_year["early_action_t"].to_numpy(), 0.02 * vol.to_numpy(), rtol=1e-12)
    assert_allclose(out.groupby("year")["share_pct"].sum().to_numpy(), 100, rtol=1e-12)
    assert len(out) == len(members) * 8


def test_split_worked_example(t4, members, early):
    vol = auctions.volumes(t4)
    out = auctions.split_by_member_state(vol, members, early).set_index(["member_state", "year"])
    e = members.set_index("member_state")
    # Germany (illustrative 470 Mt): only the 88 % component
    de = 0.88 * 1066444135 * e.loc["DE", "emissions_2005_weight"] / e["emissions_2005_weight"].sum()
    assert_allclose(out.loc[("DE", 2013), "total_t"], de, rtol=1e-12)
    # Poland: emissions share + 1/13 of 10 % + 1/9 of 2 %
    pl = (0.88 * 200 / e["emissions_2005_weight"].sum() + 0.10 / 13 + 0.02 / 9) * 972518667
    assert_allclose(out.loc[("PL", 2020), "total_t"], pl, rtol=1e-12)
    assert_allclose(out.loc[("DE", 2020), "early_action_t"], 0, atol=0)


def test_split_replacing_the_table(tmp_path, t4, early):
    f = tmp_path / "states.csv"
    f.write_text("member_state,name_en,emissions_2005_weight,solidarity_weight,early_action_weight\n"
                 "PL,Poland,1,1,1\nFR,France,3,0,0\n", encoding="utf-8")
    mine = datasets.load("auctions_member_states", path=f)
    out = auctions.split_by_member_state(pd.Series({2013: 100.0}), mine, early)
    assert_allclose(out.set_index("member_state")["total_t"].to_numpy(), [22 + 10 + 2, 66], rtol=1e-12)


def test_split_other_shares(members, early):
    out = auctions.split_by_member_state(pd.Series({2013: 1000.0}), members, early,
                                         {"emissions_2005": 100, "solidarity": 0, "early_action": 0})
    assert_allclose(out["solidarity_t"].sum() + out["early_action_t"].sum(), 0, atol=0)
    assert_allclose(out["total_t"].sum(), 1000, rtol=1e-12)


# --- 表5 platforms and calendars ------------------------------------------------------------

@pytest.mark.parametrize(("year", "expected"), [
    (2015, {"common_25_ee_efta": 157, "DE": 52, "PL": 12, "UK": 26}),
    (2016, {"common_25_ee_efta": 156, "DE": 53, "PL": 12, "UK": 26}),
])
def test_calendar_session_counts(year, expected):
    cal = auctions.auction_calendar(datasets.load("auctions_platforms_t5"), year)
    counts = auctions.sessions_per_platform(cal).set_index("member_states_key")["auction_days"].to_dict()
    assert counts == expected
    assert set(cal.loc[cal["member_states_key"] == "DE", "date"].dt.day_name()) == {"Friday"}
    assert set(cal.loc[cal["member_states_key"] == "common_25_ee_efta", "date"].dt.day_name()) == {
        "Monday", "Tuesday", "Thursday"}


def test_calendar_monthly_is_nth_wednesday():
    cal = auctions.auction_calendar(datasets.load("auctions_platforms_t5"), 2015, nth_weekday=2)
    pl = cal.loc[cal["member_states_key"] == "PL", "date"]
    assert ((pl.dt.day >= 8) & (pl.dt.day <= 14)).all() and (pl.dt.day_name() == "Wednesday").all()
    uk = cal.loc[cal["member_states_key"] == "UK", "date"].sort_values()
    assert (uk.diff().dropna() == pd.Timedelta(days=14)).all()


# --- aviation, free share, reserve ----------------------------------------------------------

def test_aviation_15_pct_auctioned():
    out = auctions.aviation_split(cap.constant_path(YEARS, cap.AVIATION_CAP_T), 15)
    assert_allclose(out["auctioned_t"].to_numpy(), 0.15 * 210349264, rtol=1e-12)
    assert_allclose(out["auctioned_t"].iloc[0], 31552389.6, rtol=1e-12)
    assert_allclose((out["auctioned_t"] + out["not_auctioned_t"]).to_numpy(), out["cap_t"].to_numpy(), rtol=1e-12)


@pytest.mark.parametrize(("year", "share"), list(zip(YEARS, FREE_SHARE, strict=True)))
def test_free_share_80_to_30(year, share):
    assert_allclose(auctions.free_share_path()[year], share, atol=1e-8)


def test_free_share_endpoints_match_quoted():
    q = datasets.load("auctions_quoted_figures").set_index("key")["value"]
    path = auctions.free_share_path(start_pct=q["manufacturing_free_share_2013_pct"],
                                    end_pct=q["manufacturing_free_share_2020_pct"])
    assert_allclose(path[[2013, 2020]].to_numpy(), [80, 30], atol=0)
    assert_allclose(np.diff(path.to_numpy()), -50 / 7, rtol=1e-12)


def test_new_entrant_reserve_5_pct():
    out = auctions.new_entrant_reserve(cap.phase3_path(), 5)
    assert_allclose(out.loc["2013", "reserve_t"], 0.05 * 2084301856, rtol=1e-12)
    total_cap = 8 * 2084301856 - 28 * 38264246
    assert_allclose(out.loc["total", "cap_t"], total_cap, rtol=1e-12)
    assert_allclose(out.loc["total", "reserve_t"], 0.05 * total_cap, rtol=1e-12)
    assert_allclose(out.loc["total", "reserve_t"], out.drop("total")["reserve_t"].sum(), rtol=1e-12)


# --- quoted figures -------------------------------------------------------------------------
# (that each quoted value is the number its quote prints: tests/test_datasets.py)

def test_quoted_split_matches_table():
    q = datasets.load("auctions_quoted_figures").set_index("key")["value"]
    s = datasets.load("auctions_split_t3").set_index("component")["share_pct"]
    assert (q["split_emissions_share_pct"], q["split_solidarity_pct"], q["split_early_action_pct"]) == (
        s["emissions_2005"], s["solidarity"], s["early_action"])


# --- errors ---------------------------------------------------------------------------------

@pytest.mark.parametrize("year", [2012, 2021])
def test_error_year_outside_phase3(t4, year):
    with pytest.raises(InputError, match=f"years: year {year} outside Phase 3 \\(2013-2020\\)"):
        auctions.free_share_path([year])
    bad = t4.copy()
    bad.loc[0, "year"] = year
    with pytest.raises(InputError, match=f"t4.year: value {year} for item '2013' is (below the minimum 2013|above the maximum 2020)"):
        auctions.volumes(bad)
    with pytest.raises(InputError, match=f"year: year {year} outside Phase 3"):
        auctions.auction_calendar(datasets.load("auctions_platforms_t5"), year)
    with pytest.raises(InputError, match=f"cap_t: year {year} outside Phase 3"):
        auctions.new_entrant_reserve(pd.Series({year: 1.0}))


@pytest.mark.parametrize(("kwargs", "message"), [
    ({"start_pct": 120}, r"start_pct: 120.0 % outside \[0, 100\]"),
    ({"end_pct": -5}, r"end_pct: -5.0 % outside \[0, 100\]"),
])
def test_error_share_outside_0_100(kwargs, message):
    with pytest.raises(InputError, match=message):
        auctions.free_share_path(**kwargs)


def test_error_aviation_share():
    with pytest.raises(InputError, match=r"auction_share_pct: 150.0 % outside \[0, 100\]"):
        auctions.aviation_split(pd.Series({2013: 1.0}), 150)


def test_error_negative_volume(t4):
    bad = t4.copy()
    bad.loc[1, "auction_volume_t"] = -3.0
    with pytest.raises(InputError, match="t4.auction_volume_t: value -3.0 for item '2014' is below the minimum 0"):
        auctions.volumes(bad)


def test_error_split_inputs(members, early):
    vol = pd.Series({2013: 100.0})
    bad = members.copy()
    bad.loc[bad["member_state"] == "FR", "emissions_2005_weight"] = -1.0
    with pytest.raises(InputError, match="member_states.emissions_2005_weight: value -1.0 for member state 'FR' is below the minimum 0"):
        auctions.split_by_member_state(vol, bad, early)
    bad = members.copy()
    bad.loc[bad["member_state"] == "DE", "early_action_weight"] = 1.0
    with pytest.raises(InputError, match="early_action_weight: member state 'DE' is not one of the early-action states"):
        auctions.split_by_member_state(vol, bad, early)
    with pytest.raises(InputError, match="shares_pct: shares sum to 99.0, not 100"):
        auctions.split_by_member_state(vol, members, early, {"emissions_2005": 88, "solidarity": 10, "early_action": 1})
    with pytest.raises(InputError, match=r"shares_pct: unknown component\(s\) \['lottery'\]"):
        auctions.split_by_member_state(vol, members, early, {"lottery": 100})
    with pytest.raises(InputError, match=r"missing columns \['solidarity_weight'\]"):
        auctions.split_by_member_state(vol, members.drop(columns="solidarity_weight"), early)
    zero = members.assign(solidarity_weight=0.0)
    with pytest.raises(InputError, match="all solidarity_weight are zero but solidarity has 10.0 %"):
        auctions.split_by_member_state(vol, zero, early)
    dup = pd.concat([members, members.iloc[[0]]])
    with pytest.raises(InputError, match="member state 'AT' appears twice"):
        auctions.split_by_member_state(vol, dup, early)


def test_error_calendar_rules():
    t5 = datasets.load("auctions_platforms_t5")
    with pytest.raises(InputError, match="frequency: unknown value 'daily' for EEX DE"):
        auctions.auction_calendar(t5.assign(frequency=["weekly", "daily", "monthly", "fortnightly"]), 2015)
    with pytest.raises(InputError, match="weekdays: unknown weekday 'friday' for EEX DE"):
        auctions.auction_calendar(t5.assign(weekdays=["mon", "friday", "wed", "wed"]), 2015)
    with pytest.raises(InputError, match="nth_weekday: 5 outside 1-4"):
        auctions.auction_calendar(t5, 2015, nth_weekday=5)


def test_error_total_row_missing(t4):
    with pytest.raises(InputError, match="t4: needs exactly one row with item 'total'"):
        auctions.check_total(t4[t4["item"] != "total"])

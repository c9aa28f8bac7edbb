"""Tests for carbonlib.auctions: 表4 volumes and total, the 表3 split among member states, 表5
platforms and calendars, aviation's 15 %, the manufacturing free share, the 5 % reserve, errors."""

import re

import numpy as np
import pandas as pd
import pytest
from numpy.testing import assert_allclose

from carbonlib import auctions, cap, datasets
from carbonlib.errors import InputError

YEARS = list(range(2013, 2021))
T4 = [1066444135, 1055457778, 1043568216, 1030777152, 1017062324, 1002630749, 987734136, 972518667]
T4_TOTAL = 8176193157
T5 = [
    ("EEX", "common_25_ee_efta", "25 個會員國與 EE、EFTA 成員", "每周一、二、四", "weekly", "mon;tue;thu"),
    ("EEX", "DE", "德國", "每周五", "weekly", "fri"),
    ("EEX", "PL", "波蘭", "每月的周三", "monthly", "wed"),
    ("ICE", "UK", "英國", "每半月的周三", "fortnightly", "wed"),
]
EARLY_ACTION = [("BG", "保加利亞"), ("CZ", "捷克"), ("EE", "愛沙尼亞"), ("HU", "匈牙利"), ("LV", "拉脫維亞"),
                ("LT", "立陶宛"), ("PL", "波蘭"), ("RO", "羅馬尼亞"), ("SK", "斯洛伐克")]
FREE_SHARE = [80.0, 72.857142857, 65.714285714, 58.571428571, 51.428571429, 44.285714286, 37.142857143, 30.0]
QUOTED = [
    ("auction_share_min_pct", 40), ("free_allocation_end_year", 2027), ("aviation_auction_share_pct", 15),
    ("auction_total_2013_2020_t", 8176193157), ("split_emissions_share_pct", 88),
    ("split_emissions_base_year", 2005), ("split_solidarity_pct", 10), ("split_early_action_pct", 2),
    ("early_action_reduction_2005_vs_1990_pct", 20), ("phase1_auction_max_pct", 5),
    ("phase2_auction_max_pct", 10), ("phase2_auction_actual_pct", 4),
    ("manufacturing_free_share_2013_pct", 80), ("manufacturing_free_share_2020_pct", 30),
    ("new_entrant_reserve_pct", 5), ("industry_free_share_start_pct", 80),
    ("industry_free_share_end_pct", 30), ("revenue_earmarked_min_pct", 50),
    ("common_platform_member_states_count", 25),
]


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

@pytest.mark.parametrize(("year", "printed"), list(zip(YEARS, T4, strict=True)))
def test_table4_printed(t4, year, printed):
    assert_allclose(auctions.volumes(t4)[year], printed, rtol=0, atol=0)
    row = t4.set_index("item").loc[str(year)]
    assert row["label_zh"] == str(year) and row["year"] == year


def test_table4_total_printed_and_checked(t4):
    row = t4.set_index("item").loc["total"]
    assert row["label_zh"] == "總計" and pd.isna(row["year"])
    assert_allclose(row["auction_volume_t"], T4_TOTAL, rtol=0, atol=0)
    rep = auctions.check_total(t4)
    assert rep.loc["total", "status"] == "agrees"
    assert_allclose(rep.loc["total", "difference"], 0, atol=0)
    assert sum(T4) == T4_TOTAL


def test_table4_total_equals_text_total(t4):
    q = datasets.load("auctions_quoted_figures").set_index("key")["value"]
    assert_allclose(q["auction_total_2013_2020_t"], auctions.volumes(t4).sum(), rtol=0, atol=0)


def test_table4_volumes_decline_every_year(t4):
    assert (np.diff(auctions.volumes(t4).to_numpy()) < 0).all()


def test_check_total_detects_a_wrong_total(t4):
    bad = t4.copy()
    bad.loc[bad["item"] == "total", "auction_volume_t"] = T4_TOTAL + 1
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
    s = datasets.load("auctions_split_t3").set_index("component")["share_pct"]
    assert s.to_dict() == {"emissions_2005": 88, "solidarity": 10, "early_action": 2}
    assert_allclose(s.sum(), 100, atol=0)
    assert s.to_dict() == auctions.SPLIT_PCT


@pytest.mark.parametrize(("order", "state"), list(enumerate(EARLY_ACTION, start=1)))
def test_early_action_states_printed(order, state):
    t = datasets.load("auctions_early_action_states").set_index("member_state")
    code, label = state
    assert t.loc[code, "label_zh"] == label
    assert t.loc[code, "order_printed"] == order


def test_early_action_states_in_printed_cell():
    text = datasets.load("allocation_methods_by_phase_t3").set_index(["aspect", "phase"])["text_zh"]
    cell = text[("auction", "phase3")]
    for _, label in EARLY_ACTION:
        assert label in cell
    assert len(datasets.load("auctions_early_action_states")) == 9


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
    de = 0.88 * 1066444135 * e.loc["DE", "verified_emissions_2005_mtco2"] / e["verified_emissions_2005_mtco2"].sum()
    assert_allclose(out.loc[("DE", 2013), "total_t"], de, rtol=1e-12)
    # Poland: emissions share + 1/13 of 10 % + 1/9 of 2 %
    pl = (0.88 * 200 / e["verified_emissions_2005_mtco2"].sum() + 0.10 / 13 + 0.02 / 9) * 972518667
    assert_allclose(out.loc[("PL", 2020), "total_t"], pl, rtol=1e-12)
    assert_allclose(out.loc[("DE", 2020), "early_action_t"], 0, atol=0)


def test_split_replacing_the_table(tmp_path, t4, early):
    f = tmp_path / "states.csv"
    f.write_text("member_state,name_en,verified_emissions_2005_mtco2,solidarity_weight,early_action_weight\n"
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

@pytest.mark.parametrize("row", T5)
def test_table5_printed(row):
    t5 = datasets.load("auctions_platforms_t5").set_index(["platform", "member_states_key"])
    platform, key, states, schedule, freq, days = row
    got = t5.loc[(platform, key)]
    assert (got["member_states_zh"], got["schedule_zh"], got["frequency"], got["weekdays"]) == (
        states, schedule, freq, days)


def test_table5_four_rows():
    assert len(datasets.load("auctions_platforms_t5")) == 4


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

@pytest.mark.parametrize(("key", "value"), QUOTED)
def test_quoted_figures(key, value):
    q = datasets.load("auctions_quoted_figures").set_index("key")
    row = q.loc[key]
    assert_allclose(row["value"], value, atol=1e-12)
    assert str(value) in re.sub(r"[ ,]", "", row["quote_zh"])


def test_quoted_covers_all_keys():
    assert sorted(datasets.load("auctions_quoted_figures")["key"]) == sorted(k for k, _ in QUOTED)


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
    with pytest.raises(InputError, match=f"t4.year: year {year} outside Phase 3"):
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
    with pytest.raises(InputError, match="auction_volume_t: negative volume -3.0 in 2014"):
        auctions.volumes(bad)


def test_error_split_inputs(members, early):
    vol = pd.Series({2013: 100.0})
    bad = members.copy()
    bad.loc[bad["member_state"] == "FR", "verified_emissions_2005_mtco2"] = -1.0
    with pytest.raises(InputError, match="verified_emissions_2005_mtco2: negative or missing value -1.0 for member state 'FR'"):
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

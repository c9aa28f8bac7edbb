"""Tests for carbonlib.market: printed 表1, its identities and growth rates, what the text
derives from it (shares, CDM share, prices), the shares quoted for 圖1-圖3, and errors."""

import numpy as np
import pandas as pd
import pytest
from numpy.testing import assert_allclose

from carbonlib import checks, datasets
from carbonlib import market as mk
from carbonlib.errors import InputError, ParameterError
from carbonlib.workbench import params

#: the segments (rows) of 表1 in printed order, as transcribed (the file's content is pinned by
#: its hash in data/datapackage.json, see tests/test_datasets.py)
SEGMENTS = list(dict.fromkeys(datasets.load("market_t1_levels")["segment"]))
CELLS = [(seg, cell) for seg in SEGMENTS for cell in mk.CELLS]
#: the only cells of 表1 that disagree with their recomputation, and why
NOT_AGREEING = {
    ("allowance_subtotal", "value_musd_2006"): mk.VERDICT_ERROR,
    ("allowance_subtotal", "value_musd_2007"): mk.VERDICT_ROUNDING,
    ("total", "value_musd_2007"): mk.VERDICT_ROUNDING,
    ("nsw", "volume_growth_pct"): mk.VERDICT_ROUNDING,
    ("nsw", "value_growth_pct"): mk.VERDICT_ROUNDING,
    ("ccx", "volume_growth_pct"): mk.VERDICT_ROUNDING,
    ("ccx", "value_growth_pct"): mk.VERDICT_ROUNDING,
}
SUM_ROWS = ("allowance_subtotal", "project_subtotal", "total")


@pytest.fixture(scope="module")
def levels():
    return datasets.load("market_t1_levels")


@pytest.fixture(scope="module")
def growth():
    return datasets.load("market_t1_growth")


@pytest.fixture(scope="module")
def report(levels, growth):
    return mk.table1_report(levels, growth)


# --- 表1 as printed -----------------------------------------------------------------------

def test_table1_shape_and_order(levels, growth):
    """The printed table is the long tables reshaped: one row per segment in printed order,
    every level and growth rate in its cell (missing where the report prints na or --)."""
    t = mk.table1_printed(levels, growth)
    assert list(t.index) == SEGMENTS and list(t.columns) == list(mk.CELLS)
    assert len(levels) == len(SEGMENTS) * len(mk.YEARS)
    for _, row in levels.iterrows():
        for measure in mk.MEASURES:
            assert_allclose(t.loc[row["segment"], f"{measure}_{row['year']}"], row[measure],
                            rtol=0, atol=0, equal_nan=True)
    g = growth.set_index("segment")
    for column in mk.GROWTH_COLUMNS.values():
        assert_allclose(t[column].to_numpy(float), g.loc[t.index, column].to_numpy(float),
                        rtol=0, atol=0, equal_nan=True)


# --- identities: subtotals and totals ------------------------------------------------------

@pytest.mark.parametrize(("segment", "year", "volume", "value"), [
    ("allowance_subtotal", 2006, 1134, 24699), ("allowance_subtotal", 2007, 2109, 50393),
    ("project_subtotal", 2006, 611, 6536), ("project_subtotal", 2007, 874, 13641),
    ("total", 2006, 1745, 31235), ("total", 2007, 2983, 64034),
])
def test_sums_of_rows(levels, segment, year, volume, value):
    sums = mk.recompute_sums(levels).set_index(["segment", "year"])
    assert_allclose(sums.loc[(segment, year), ["volume_mtco2e", "value_musd"]].to_numpy(float),
                    [volume, value], rtol=0, atol=1e-9)


def test_uk_is_counted_out_of_the_allowance_subtotal(levels):
    sums = mk.recompute_sums(levels).set_index(["segment", "year"])
    assert sums.loc[("allowance_subtotal", 2006), "n_value_musd"] == 3
    assert sums.loc[("total", 2007), "n_volume_mtco2e"] == 7
    assert sums.loc[("project_subtotal", 2007), "n_value_musd"] == 4


@pytest.mark.parametrize(("identity", "year", "measure", "difference", "verdict"), [
    ("total = subtotals", 2006, "value_musd", 30, mk.VERDICT_ERROR),
    ("allowance subtotal = its rows", 2006, "value_musd", -30, mk.VERDICT_ERROR),
    ("total = all rows", 2006, "value_musd", 0, mk.VERDICT_AGREES),
    ("project subtotal = its rows", 2006, "value_musd", 0, mk.VERDICT_AGREES),
    ("allowance subtotal = its rows", 2007, "value_musd", 1, mk.VERDICT_ROUNDING),
    ("total = all rows", 2007, "value_musd", 1, mk.VERDICT_ROUNDING),
    ("total = subtotals", 2007, "value_musd", 0, mk.VERDICT_AGREES),
    ("total = subtotals", 2006, "volume_mtco2e", 0, mk.VERDICT_AGREES),
    ("total = subtotals", 2007, "volume_mtco2e", 0, mk.VERDICT_AGREES),
])
def test_identity_checks(levels, identity, year, measure, difference, verdict):
    row = mk.identity_checks(levels).loc[(identity, year, measure)]
    assert_allclose(row["difference"], difference, rtol=0, atol=1e-9)
    assert row["verdict"] == verdict


def test_error_is_the_2006_allowance_subtotal(levels):
    """The total agrees with every row but not with the printed subtotal: 24,669 is wrong."""
    checks_ = mk.identity_checks(levels)
    errors = checks_[checks_["verdict"] == mk.VERDICT_ERROR]
    assert set(errors.index) == {("total = subtotals", 2006, "value_musd"),
                                 ("allowance subtotal = its rows", 2006, "value_musd")}
    fixed = mk.correct_sums(levels)
    assert fixed["corrected"].sum() == 1
    row = fixed.set_index(["segment", "year"]).loc[("allowance_subtotal", 2006)]
    assert bool(row["corrected"]) and row["value_musd"] == 24699
    after = mk.identity_checks(fixed)
    assert (after["verdict"] != mk.VERDICT_ERROR).all()
    assert_allclose(after.loc[("total = subtotals", 2006, "value_musd"), "difference"], 0, atol=1e-9)


def test_correct_sums_keeps_rounding_differences(levels):
    """Sums that differ from their parts only by rounding keep their printed value."""
    fixed = mk.correct_sums(levels).set_index(["segment", "year"])
    printed = levels.set_index(["segment", "year"])["value_musd"]
    for cell in [("allowance_subtotal", 2007), ("total", 2007)]:
        assert fixed.loc[cell, "value_musd"] == printed[cell] and not bool(fixed.loc[cell, "corrected"])


# --- growth rates ---------------------------------------------------------------------------

@pytest.mark.parametrize(("segment", "volume", "value"), [
    ("eu_ets", 2061 / 1104, 50097 / 24436), ("nsw", 25 / 20, 224 / 225), ("ccx", 23 / 10, 72 / 38),
    ("allowance_subtotal", 2109 / 1134, 50394 / 24669), ("cdm_primary", 551 / 537, 7426 / 5804),
    ("cdm_secondary", 240 / 25, 5451 / 445), ("ji", 41 / 16, 499 / 141),
    ("other_project", 42 / 33, 265 / 146), ("project_subtotal", 874 / 611, 13641 / 6536),
    ("total", 2983 / 1745, 64035 / 31235),
])
def test_growth_recomputed_from_rounded_levels(levels, segment, volume, value):
    g = mk.recompute_growth(levels).loc[segment]
    assert_allclose(g.to_numpy(float), [(volume - 1) * 100, (value - 1) * 100], rtol=1e-12)


def test_growth_of_uk_is_missing(levels):
    assert mk.recompute_growth(levels).loc["uk_ets"].isna().all()


@pytest.mark.parametrize(("segment", "cell", "low", "high"), [
    ("nsw", "volume_growth_pct", (24.5 / 20.5 - 1) * 100, (25.5 / 19.5 - 1) * 100),
    ("nsw", "value_growth_pct", (223.5 / 225.5 - 1) * 100, 0.0),
    ("ccx", "volume_growth_pct", (22.5 / 10.5 - 1) * 100, (23.5 / 9.5 - 1) * 100),
    ("ccx", "value_growth_pct", (71.5 / 38.5 - 1) * 100, (72.5 / 37.5 - 1) * 100),
])
def test_unrecoverable_growth_lies_inside_rounding_range(report, segment, cell, low, high):
    row = report.loc[(segment, cell)]
    assert_allclose([row["range_low"], row["range_high"]], [low, high], rtol=1e-12, atol=1e-12)
    assert row["status"] == checks.STATUS_DISCREPANCY
    assert low - 0.5 <= row["printed"] <= high + 0.5
    assert row["verdict"] == mk.VERDICT_ROUNDING


def test_growth_range_function():
    lo, hi = mk.growth_range(9.5, 10.5, 22.5, 23.5)
    assert_allclose([lo, hi], [(22.5 / 10.5 - 1) * 100, (23.5 / 9.5 - 1) * 100], rtol=1e-12)
    lo, hi = mk.growth_range(10, 10, 23, 23)  # a degenerate range gives the point growth
    assert_allclose([lo, hi], [130.0, 130.0], rtol=1e-12)


def test_printed_decimals():
    assert mk.printed_decimals([87, 2.6, -1, 1125, 0.25, np.nan]).tolist() == [0, 1, 0, 0, 2, 0]


# --- the published-versus-recomputed report, every cell ----------------------------------

def test_report_covers_every_cell(report):
    assert len(report) == len(CELLS)
    assert set(report.index) == set(CELLS)
    assert report["explanation"].str.len().gt(20).all()


@pytest.mark.parametrize(("segment", "cell"), CELLS)
def test_report_cell(levels, growth, report, segment, cell):
    row = report.loc[(segment, cell)]
    printed = mk.table1_printed(levels, growth).loc[segment, cell]
    if segment == "uk_ets":
        assert row["verdict"] == mk.VERDICT_NOT_PRINTED and np.isnan(row["printed"])
    elif cell.endswith("_growth_pct") or segment in SUM_ROWS:
        assert_allclose(row["printed"], printed, rtol=0, atol=0)
        assert row["verdict"] == NOT_AGREEING.get((segment, cell), mk.VERDICT_AGREES)
        if row["verdict"] == mk.VERDICT_AGREES:
            assert abs(row["printed"] - row["recomputed"]) <= row["tolerance"] + 1e-9
    else:
        assert row["verdict"] == mk.VERDICT_INPUT and np.isnan(row["recomputed"])


def test_report_tolerance_follows_printed_decimals(report):
    assert_allclose(report.loc[("cdm_primary", "volume_growth_pct"), "tolerance"], 0.05, atol=1e-12)
    assert_allclose(report.loc[("total", "value_musd_2006"), "tolerance"], 0.5, atol=1e-12)


def test_report_status_counts(report):
    counts = checks.summary(report)
    assert counts.to_dict() == {"agrees": 25, "discrepancy": 7, "not printed": 0,
                                "not recomputable": 28, "neither": 6}


def test_report_names_the_printing_error(report):
    text = report.loc[("allowance_subtotal", "value_musd_2006"), "explanation"]
    assert "24699" in text and "wrong" in text
    assert_allclose(report.loc[("allowance_subtotal", "value_musd_2006"), "difference"], -30, atol=1e-9)


def test_zero_half_width_turns_rounding_into_errors(levels, growth):
    strict = mk.table1_report(levels, growth, half_width=0.0)
    assert (strict["verdict"] == mk.VERDICT_ERROR).sum() == 7


# --- what the text derives from the table --------------------------------------------------
# (that each quoted value is the number its quote prints: tests/test_datasets.py)

def test_every_recomputable_quoted_figure_agrees_with_the_table(levels, growth):
    t = mk.text_checks(levels, growth, datasets.load("market_quoted_figures"))
    assert (t["status"] == checks.STATUS_OK).sum() == 16
    assert set(t.index[t["status"] == checks.STATUS_NOT_RECOMPUTED]) == {
        "cdm_pipeline_as_of_year", "cdm_pipeline_as_of_month", "cdm_pipeline_host_countries",
        "cdm_pipeline_projects_min", "cdm_pipeline_volume_mtco2e", "china_largest_cer_supplier_years"}
    assert_allclose(t.loc["total_value_increase_multiple_min", "recomputed"], 64035 / 31235 - 1,
                    rtol=1e-12)


def test_text_check_fails_when_a_quote_is_off(levels, growth):
    q = datasets.load("market_quoted_figures").copy()
    q.loc[q["key"] == "cdm_share_of_value_2007_pct", "value"] = 96.0
    q.loc[q["key"] == "total_value_increase_multiple_min", "value"] = 2.0
    t = mk.text_checks(levels, growth, q)
    assert t.loc["cdm_share_of_value_2007_pct", "status"] == checks.STATUS_DISCREPANCY
    assert t.loc["total_value_increase_multiple_min", "status"] == checks.STATUS_DISCREPANCY


@pytest.mark.parametrize(("base", "volume", "value"), [
    ("primary_project_based", 551 / 634, 7426 / 8190),
    ("cdm_plus_ji", 791 / 832, 12877 / 13376),
    ("primary_cdm_plus_ji", 551 / 592, 7426 / 7925),
    ("project_based", 791 / 874, 12877 / 13641),
])
def test_cdm_share_bases(levels, base, volume, value):
    got = mk.cdm_share(levels, 2007, base)
    assert_allclose(got.to_numpy(float), [volume * 100, value * 100], rtol=1e-12)


def test_only_the_primary_project_base_gives_87_and_91(levels):
    t = mk.cdm_share_bases(levels, 2007).round(0)
    hits = t[(t["volume_share_pct"] == 87) & (t["value_share_pct"] == 91)]
    assert list(hits.index) == ["primary_project_based"]


@pytest.mark.parametrize(("segment", "year", "price"), [
    ("eu_ets", 2006, 24436 / 1104), ("eu_ets", 2007, 50097 / 2061),
    ("nsw", 2006, 225 / 20), ("nsw", 2007, 224 / 25), ("ccx", 2006, 38 / 10), ("ccx", 2007, 72 / 23),
    ("allowance_subtotal", 2006, 24669 / 1134), ("allowance_subtotal", 2007, 50394 / 2109),
    ("cdm_primary", 2006, 5804 / 537), ("cdm_primary", 2007, 7426 / 551),
    ("cdm_secondary", 2006, 445 / 25), ("cdm_secondary", 2007, 5451 / 240),
    ("ji", 2006, 141 / 16), ("ji", 2007, 499 / 41),
    ("other_project", 2006, 146 / 33), ("other_project", 2007, 265 / 42),
    ("project_subtotal", 2006, 6536 / 611), ("project_subtotal", 2007, 13641 / 874),
    ("total", 2006, 31235 / 1745), ("total", 2007, 64035 / 2983),
])
def test_implied_prices(levels, segment, year, price):
    assert_allclose(mk.implied_prices(levels).loc[segment, year], price, rtol=1e-12)


def test_implied_price_missing_for_uk_and_zero_volume(levels):
    assert mk.implied_prices(levels).loc["uk_ets"].isna().all()
    z = levels.copy()
    z.loc[(z["segment"] == "ccx") & (z["year"] == 2006), "volume_mtco2e"] = 0.0
    assert np.isnan(mk.implied_prices(z).loc["ccx", 2006])


@pytest.mark.parametrize(("segment", "year", "share"), [
    ("eu_ets", 2006, 24436 / 31235), ("eu_ets", 2007, 50097 / 64035),
    ("allowance_subtotal", 2007, 50394 / 64035), ("project_subtotal", 2007, 13641 / 64035),
    ("allowance_subtotal", 2006, 24669 / 31235), ("total", 2007, 1.0),
])
def test_shares_of_value(levels, segment, year, share):
    assert_allclose(mk.shares_of_total(levels).loc[segment, year], share * 100, rtol=1e-12)


def test_shares_of_volume_and_segment_sum(levels):
    s = mk.shares_of_total(levels, "volume_mtco2e")
    assert_allclose(s.loc["cdm_primary", 2007], 551 / 2983 * 100, rtol=1e-12)
    seg = levels.drop_duplicates("segment").set_index("segment")["row_type"] == "segment"
    assert_allclose(s.loc[seg[seg].index].sum().to_numpy(float), [100, 100], atol=1e-9)


def test_market_split(levels):
    m = mk.market_split(levels).set_index(["market", "year"])
    assert_allclose(m.loc[("allowance", 2007), ["value_musd", "value_share_pct", "value_growth_pct"]]
                    .to_numpy(float), [50394, 50394 / 64035 * 100, (50394 / 24669 - 1) * 100], rtol=1e-12)
    assert_allclose(m.loc[("project_based", 2007), "value_growth_pct"], (13641 / 6536 - 1) * 100,
                    rtol=1e-12)
    assert_allclose(m.loc[("all", 2006), "price_usd_per_t"], 31235 / 1745, rtol=1e-12)
    assert np.isnan(m.loc[("all", 2006), "value_growth_pct"])
    assert_allclose(m.xs(2007, level="year").loc[["allowance", "project_based"], "value_share_pct"]
                    .sum(), 100.0, atol=1e-9)


# --- 圖1-圖3: quoted shares and the unreported remainder -----------------------------------

@pytest.fixture(scope="module")
def shares():
    return datasets.load("market_figure_shares")


@pytest.mark.parametrize(("figure", "dimension", "year", "rest"), [
    ("圖1", "buyer_country", 2006, 46), ("圖1", "buyer_country", 2007, 41),
    ("圖1", "buyer_type", 2007, 21), ("圖2", "seller_country_or_region", 2006, 46),
    ("圖2", "seller_country_or_region", 2007, 9), ("圖3", "project_type", 2007, 19),
])
def test_unreported_remainder(shares, figure, dimension, year, rest):
    out = mk.with_unreported(shares)
    assert len(out) == len(shares) + 6 and (~out["reported"]).sum() == 6
    row = out[(out["figure"] == figure) & (out["dimension"] == dimension) & (out["year"] == year)]
    assert_allclose(row["share_pct"].sum(), 100.0, atol=1e-9)
    un = row[~row["reported"]]
    assert un["category"].tolist() == ["unreported"]
    assert_allclose(un["share_pct"].iloc[0], rest, atol=1e-9)


def test_unreported_rounding_overshoot_is_clipped():
    df = pd.DataFrame({"figure": ["圖3"] * 2, "dimension": ["project_type"] * 2, "year": [2007] * 2,
                       "category": ["a", "b"], "label_zh": ["A", "B"], "share_pct": [60.0, 40.4]})
    out = mk.with_unreported(df)
    assert out["share_pct"].tolist()[-1] == 0.0


# --- bad input ------------------------------------------------------------------------------

def test_error_negative_volume(levels):
    bad = levels.copy()
    bad.loc[(bad["segment"] == "ji") & (bad["year"] == 2007), "volume_mtco2e"] = -41.0
    with pytest.raises(InputError, match="levels.volume_mtco2e: value -41.0 for segment 'ji', year 2007 is below the minimum 0"):
        mk.recompute_sums(bad)
    with pytest.raises(InputError, match="levels.volume_mtco2e: value -41.0 .* is below the minimum 0"):
        mk.implied_prices(bad)
    with pytest.raises(InputError, match="start: negative level -1.0"):
        mk.growth_pct(-1.0, 2.0)


def test_error_negative_value_and_unknown_year(levels):
    bad = levels.copy()
    bad.loc[0, "value_musd"] = -5.0
    with pytest.raises(InputError, match="levels.value_musd: value -5.0 for segment 'eu_ets', year 2006 is below the minimum 0"):
        mk.table1_report(bad, datasets.load("market_t1_growth"))
    bad = levels.copy()
    bad.loc[0, "year"] = 2008
    with pytest.raises(InputError, match="levels.year: value 2008 in row 1 is above the maximum 2007"):
        mk.validate_levels(bad)


def test_error_missing_column(levels):
    with pytest.raises(InputError, match=r"levels: missing columns \['value_musd'\]"):
        mk.recompute_growth(levels.drop(columns="value_musd"))


@pytest.mark.parametrize(("args", "message"), [
    ((10.5, 9.5, 22.5, 23.5), r"start: range low end 10.5 is above its high end 9.5"),
    ((9.5, 10.5, 23.5, 22.5), r"end: range low end 23.5 is above its high end 22.5"),
    (([1.0, 3.0], [2.0, 2.5], 1.0, 1.0), r"start: range low end 3.0 is above its high end 2.5"),
])
def test_error_range_low_above_high(args, message):
    with pytest.raises(InputError, match=message):
        mk.growth_range(*args)


def test_error_negative_half_width(levels, growth):
    with pytest.raises(InputError, match="half_width: must be zero or positive, got -0.5"):
        mk.table1_report(levels, growth, half_width=-0.5)


def test_error_unknown_base_measure_and_year(levels):
    with pytest.raises(InputError, match="base: unknown base 'cdm_only'; expected one of"):
        mk.cdm_share(levels, 2007, "cdm_only")
    with pytest.raises(InputError, match=r"year: 2005 is not one of \[2006, 2007\]"):
        mk.cdm_share(levels, 2005)
    with pytest.raises(InputError, match="measure: unknown measure 'price'"):
        mk.shares_of_total(levels, "price")


@pytest.mark.parametrize(("share", "message"), [
    (-5.0, "shares.share_pct: value -5.0 for figure '圖3', dimension 'project_type', year 2007, "
           "category 'b' is below the minimum 0"),
    (101.0, "shares.share_pct: value 101.0 for figure '圖3', dimension 'project_type', year 2007, "
            "category 'b' is above the maximum 100"),
    (40.0, r"share_pct: shares of 圖3 project_type 2007 add up to 104.0 % \(more than 100 %\)"),
])
def test_error_bad_shares(share, message):
    df = pd.DataFrame({"figure": ["圖3"] * 2, "dimension": ["project_type"] * 2, "year": [2007] * 2,
                       "category": ["a", "b"], "label_zh": ["A", "B"], "share_pct": [64.0, share]})
    with pytest.raises(InputError, match=message):
        mk.with_unreported(df)


def test_error_unknown_scenario_name():
    with pytest.raises(ParameterError, match="01_global_carbon_market: unknown scenario 'nope'; named scenarios:"):
        params.load_scenario("01_global_carbon_market", "nope")


def test_named_scenarios_validate():
    named = params.scenarios("01_global_carbon_market")
    assert len(named) >= 2
    decl = params.declared("01_global_carbon_market")
    for name in named:
        values = params.load_scenario("01_global_carbon_market", name)
        assert values and any(values[k] != decl[k].default for k in values), name

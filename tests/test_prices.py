"""carbonlib.prices: the readers on small fixtures, on the committed synthetic history and on
the two real histories, the checks, the phase handling, the statistics and the report's quoted
facts.

The synthetic history (``tests/fixtures/prices/synthetic_eua_daily_*.csv``, written by
``tools/make_synthetic_prices.py``; illustrative, not observed) covers every code path without
vendor data. The real histories are vendor data that the project never commits; they are read by
path from ``../shared/data/eua/`` (``carbonlib.workbench.paths.shared_data_dir()``), and their tests carry the
``shared`` marker (skipped, naming the file, when it is absent).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from numpy.testing import assert_allclose

from carbonlib import calendar, datasets, pricefiles, prices
from carbonlib.errors import DataError, InputError
from carbonlib.workbench import paths

FIX = paths.ROOT / "tests" / "fixtures" / "prices"
INVESTING = paths.shared_data_dir() / "eua" / "eua_futures_investing_daily_2005-2024.csv"
PLAIN = paths.shared_data_dir() / "eua" / "eua_daily_chen_2005-2024.csv"
SYNTHETIC = {"investing": FIX / "synthetic_eua_daily_investing.csv", "plain": FIX / "synthetic_eua_daily_plain.csv"}


# ---- readers on fixtures -------------------------------------------------------------------

def test_investing_export_is_read_with_bom_quotes_suffixes_and_newest_first():
    p = pricefiles.read_prices(FIX / "investing_ok.csv")
    assert p.attrs["format"] == "investing" and p.attrs["order"] == "newest first"
    assert list(p.index.strftime("%Y-%m-%d")) == ["2008-01-02", "2008-01-03", "2008-01-04"]
    assert_allclose(p["price_eur_per_t"], [22.10, 22.50, 22.80], rtol=0, atol=1e-12)
    assert_allclose(p["volume"], [980_000.0, np.nan, 1_250.0], rtol=1e-12)
    assert_allclose(p["high_eur_per_t"], [22.50, 22.60, 23.00], rtol=0, atol=1e-12)


def test_plain_csv_accepts_iso_and_slashed_dates_and_optional_volume():
    p = pricefiles.read_prices(FIX / "plain_ok.csv")
    assert p.attrs["format"] == "plain"
    assert_allclose(p["price_eur_per_t"], [22.10, 22.5, 22.8], rtol=0, atol=1e-12)
    assert np.isnan(p["volume"].iloc[1])


@pytest.mark.parametrize("name, fmt", [("investing_ok.csv", "investing"), ("plain_ok.csv", "plain")])
def test_format_is_detected(name, fmt):
    assert pricefiles.detect_format(FIX / name) == fmt


@pytest.mark.parametrize("name, message", [
    ("bad_date.csv", r"bad_date\.csv, line 3, column 'Date': date '13/03/2008' is not MM/DD/YYYY"),
    ("truncated.csv", r"truncated\.csv, line 3: 2 fields where the header has 7"),
    ("bad_price.csv", r"bad_price\.csv, line 3, column 'price': 'n/a' is not a number"),
    ("bad_volume.csv", r"bad_volume\.csv, line 2, column 'Vol\.': volume 'lots' is not a number"),
    ("unknown_header.csv", r"unknown_header\.csv, line 1: cannot tell the format"),
    ("empty.csv", r"empty\.csv: the file is empty"),
    ("header_only.csv", r"header_only\.csv: the header is there but there are no data rows"),
    ("german_date.csv", r"german_date\.csv, column 'date': cannot tell whether the dates are day-first or "
                        r"month-first; every one fits both orders \(line 2: '02\.01\.2008,22\.10'\)"),
    ("no_such_file.csv", r"no_such_file\.csv: no such price file"),
])
def test_malformed_files_name_file_line_and_problem(name, message):
    with pytest.raises(DataError, match=message):
        pricefiles.read_prices(FIX / name)


def test_named_format_that_does_not_fit_is_an_error_not_a_guess():
    with pytest.raises(DataError, match=r"line 1: missing column\(s\) \['Date', 'Price'\]"):
        pricefiles.read_prices(FIX / "plain_ok.csv", fmt="investing")
    with pytest.raises(InputError, match="price format 'excel'"):
        pricefiles.read_prices(FIX / "plain_ok.csv", fmt="excel")


def test_price_file_resolution(monkeypatch):
    default = "$" + paths.EUA_PRICES_ENV  # workbook 06's default
    monkeypatch.delenv(paths.EUA_PRICES_ENV, raising=False)
    assert paths.resolve_price_file(default) is None
    monkeypatch.setenv(paths.EUA_PRICES_ENV, str(FIX / "plain_ok.csv"))
    assert paths.resolve_price_file(default) == FIX / "plain_ok.csv"
    assert paths.resolve_price_file(None) is None
    assert paths.resolve_price_file("tests/fixtures/prices/plain_ok.csv") == FIX / "plain_ok.csv"
    with pytest.raises(DataError, match="price_file: no such price file 'missing.csv'"):
        paths.resolve_price_file("missing.csv")
    monkeypatch.setenv(paths.EUA_PRICES_ENV, "/nowhere/eua.csv")
    with pytest.raises(DataError, match="CARBONLIB_EUA_PRICES: no such price file '/nowhere/eua.csv' \\(looked for /nowhere/eua.csv\\)"):
        paths.resolve_price_file(default)


def test_quirks_are_reported_not_fixed():
    p = prices.mark_phases(pricefiles.read_prices(FIX / "quirks.csv"), roll=None)
    assert len(p) == 5, "rows are kept"
    f = prices.check_series(p, jump_threshold=0.5)
    kinds = f.groupby("kind").size().to_dict()
    assert kinds == {"duplicate date": 1, "non-positive price": 2, "gap": 1}
    gap = f.query("kind == 'gap'").iloc[0]
    assert gap["detail"].startswith("5 weekday(s) missing, 2008-01-07 to 2008-01-11")
    assert gap["explained"] == ""
    r = prices.log_returns(p)
    assert r.notna().sum() == 0, "no return is computed from a non-positive price"


@pytest.mark.parametrize("bad", [{"jump_threshold": 0}, {"min_gap_weekdays": 0}])
def test_check_series_rejects_bad_settings(bad):
    p = prices.mark_phases(pricefiles.read_prices(FIX / "plain_ok.csv"), roll=None)
    with pytest.raises(InputError, match=next(iter(bad))):
        prices.check_series(p, **bad)


def test_phases_and_roll():
    dates = pd.DatetimeIndex(["2007-12-17", "2007-12-19", "2008-06-02", "2013-01-02", "2021-01-04"])
    assert prices.phase_of(dates, pd.Timestamp("2007-12-19")).tolist() == [1, 2, 2, 3, 4]
    assert prices.phase_of(dates, None).tolist() == [1, 1, 2, 3, 4]
    with pytest.raises(InputError, match="roll_date 'soon'"):
        prices.mark_phases(pricefiles.read_prices(FIX / "plain_ok.csv"), roll="soon")


def test_returns_never_cross_the_roll():
    idx = pd.DatetimeIndex(["2007-12-14", "2007-12-17", "2007-12-19", "2007-12-20"])
    p = prices.mark_phases(pd.DataFrame({"price_eur_per_t": [0.02, 0.01, 22.45, 22.0]}, index=idx), roll="auto")
    assert p.attrs["roll"] == "2007-12-19"
    r = prices.log_returns(p)
    assert np.isnan(r.loc["2007-12-19"])
    assert_allclose(r.loc["2007-12-17"], np.log(0.5), rtol=1e-12)
    assert_allclose(r.loc["2007-12-20"], np.log(22.0 / 22.45), rtol=1e-12)


def test_chow_test_finds_a_planted_break_and_not_a_missing_one():
    rng = np.random.default_rng(1)
    idx = pd.bdate_range("2010-01-04", periods=240)
    steady = 20 * np.exp(np.cumsum(rng.normal(0, 0.01, 240)))
    broken = steady.copy()
    broken[120:] = 20 * np.exp(0.5 * np.cumsum(rng.normal(0, 0.01, 120)) * 0 + rng.normal(0, 0.3, 120))
    for series, significant in ((steady, False), (broken, True)):
        p = pd.DataFrame({"price_eur_per_t": series, "phase": 2}, index=idx)
        res = prices.chow_test(p, idx[120], window=100)
        assert res["n_before"] == 100 and res["n_after"] == 100
        assert (res["p_value"] < 0.01) is significant
    with pytest.raises(InputError, match="break date 2010-01-05"):
        prices.chow_test(p, idx[1], window=100)


def test_arima_forecast_is_deterministic_and_bracketed():
    rng = np.random.default_rng(7)
    idx = pd.bdate_range("2021-01-04", periods=300)
    p = pd.DataFrame({"price_eur_per_t": 50 * np.exp(np.cumsum(rng.normal(0, 0.02, 300))), "phase": 4}, index=idx)
    a = prices.fit_arima(p, "2021-01-04", (1, 1, 0), horizon_days=5)
    b = prices.fit_arima(p, "2021-01-04", (1, 1, 0), horizon_days=5)
    pd.testing.assert_frame_equal(a.forecast, b.forecast)
    f = a.forecast
    assert len(f) == 5 and (f["lower_eur_per_t"] < f["price_eur_per_t"]).all()
    assert (f["price_eur_per_t"] < f["upper_eur_per_t"]).all()
    assert (np.diff(f["upper_eur_per_t"] - f["lower_eur_per_t"]) > 0).all(), "intervals widen"
    with pytest.raises(InputError, match="forecast horizon"):
        prices.fit_arima(p, "2021-01-04", (1, 1, 0), horizon_days=0)
    with pytest.raises(InputError, match="only 0 observations"):
        prices.fit_arima(p, "2030-01-01")


def test_quoted_facts_without_a_price_file_are_listed_as_printed():
    facts = datasets.load("prices_quoted_figures")
    table = prices.check_facts(None, facts)
    assert set(table["status"]) == {"no price file"}
    assert_allclose(table.set_index("key")["quoted"].loc[
        ["phase1_peak_eur_per_t", "phase1_low_below_eur_per_t", "phase2_around_eur_per_t",
         "dec13_first_trade_eur_per_t", "phase1_initial_over_eur_per_t"]], [31.50, 0.1, 25, 27.70, 30], rtol=0)


# ---- the committed synthetic history (illustrative; both formats) --------------------------

@pytest.fixture(scope="module", params=sorted(SYNTHETIC))
def synthetic(request):
    return prices.mark_phases(pricefiles.read_prices(SYNTHETIC[request.param]))


def test_synthetic_history_is_what_its_generator_writes():
    import importlib.util

    spec = importlib.util.spec_from_file_location("make_synthetic_prices", paths.ROOT / "tools" / "make_synthetic_prices.py")
    gen = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(gen)
    for path, text in gen.texts().items():
        assert path.read_text(encoding="utf-8") == text, f"{path.name} differs from tools/make_synthetic_prices.py"


def test_synthetic_history_reads_the_same_in_both_formats():
    a = pricefiles.read_prices(SYNTHETIC["investing"])
    b = pricefiles.read_prices(SYNTHETIC["plain"])
    assert (a.attrs["format"], a.attrs["order"]) == ("investing", "newest first")
    assert (b.attrs["format"], b.attrs["order"]) == ("plain", "oldest first")
    assert a.index.equals(b.index)
    unique = ~a.index.duplicated(keep=False)
    assert_allclose(a.loc[unique, "price_eur_per_t"], b.loc[unique, "price_eur_per_t"], rtol=0, atol=1e-12)
    assert_allclose(a["volume"], b["volume"], rtol=0, atol=1e-9)
    assert a["volume"].first_valid_index() == pd.Timestamp("2007-12-19"), "no volume before the roll"
    assert (a["high_eur_per_t"] >= a[["open_eur_per_t", "price_eur_per_t"]].max(axis=1) - 1e-9).all()
    assert (a["low_eur_per_t"] <= a[["open_eur_per_t", "price_eur_per_t"]].min(axis=1) + 1e-9).all()


def test_synthetic_history_roll_gaps_and_duplicates_are_found(synthetic):
    assert synthetic.attrs["roll"] == "2007-12-19"
    assert synthetic.loc["2007-12-17", "phase"].item() == 1 and synthetic.loc["2007-12-19", "phase"].item() == 2
    f = prices.unexplained(prices.check_series(synthetic))
    gaps = f.query("kind == 'gap'")
    assert list(gaps["date"].dt.strftime("%Y-%m-%d")) == ["2007-12-18", "2010-08-09", "2016-11-15"]
    assert gaps["detail"].str.startswith(("1 weekday", "5 weekday", "3 weekday")).all()
    assert list(f.query("kind == 'duplicate date'")["date"]) == [pd.Timestamp("2015-06-15")]
    roll = f[(f["kind"] == "jump") & (f["date"] == pd.Timestamp("2007-12-19"))]
    assert "0.01 → 22.45" in roll["detail"].item()
    r = prices.log_returns(synthetic)
    assert np.isnan(r.loc["2007-12-19"]), "no return across the roll"
    d = prices.describe_by_phase(synthetic, r)
    assert d["observations"].sum() == len(synthetic) - 1, "every date once, the duplicate counted once"
    assert len(d) == 4


def test_synthetic_history_quoted_facts(synthetic):
    table = prices.check_facts(synthetic, datasets.load("prices_quoted_figures")).set_index("key")
    assert table.loc["phase1_peak_eur_per_t", ["status", "observed_on"]].tolist() == ["agrees", "2006-04-18"]
    assert_allclose(table.loc["phase1_peak_eur_per_t", "observed"], 31.50, rtol=0, atol=1e-9)
    assert table.loc["phase1_low_below_eur_per_t", ["status", "observed_on"]].tolist() == ["agrees", "2007-08-02"]
    assert table.loc["phase1_initial_over_eur_per_t", "status"] == "agrees"
    assert table.loc["dec13_first_trade_eur_per_t", "status"] == "not checkable"


def test_synthetic_history_statistics_run(synthetic):
    r = prices.log_returns(synthetic)
    u = prices.unit_root_tests(synthetic, r)
    assert set(u["phase"]) == set(calendar.PHASE_LABELS.values()) and len(u) == 8
    b = prices.break_tests(synthetic, {"release": "2006-04-25", "roll": synthetic.attrs["roll"]}, 60)
    assert len(b) == 2
    arima = prices.fit_arima(synthetic, "2021-01-01", (1, 1, 1), horizon_days=5)
    assert arima.observations > 800 and len(arima.forecast) == 5


def test_a_synthetic_file_is_labelled_illustrative(synthetic):
    assert "synthetic: illustrative, not observed prices" in prices.describe_source(synthetic)


# ---- the two real histories (read by path, never committed) --------------------------------

@pytest.fixture(scope="module")
def investing():
    return prices.mark_phases(pricefiles.read_prices(INVESTING))


@pytest.fixture(scope="module")
def plain():
    return prices.mark_phases(pricefiles.read_prices(PLAIN))


@pytest.mark.shared(INVESTING)
def test_real_web_export_shape_and_hash(investing):
    # 4,957 data rows (the file has no final newline; PROVENANCE.txt says 4,956)
    assert len(investing) == 4957
    assert investing.attrs["sha256"] == "a133129c4b26344870a7c982e75489fedada5d41e9ddc456a54db27b721f469d"
    assert investing.index.min() == pd.Timestamp("2005-04-25") and investing.index.max() == pd.Timestamp("2024-06-05")
    assert investing["volume"].first_valid_index() >= pd.Timestamp("2007-12-18"), "no volume before Dec 2007"


@pytest.mark.shared(PLAIN)
def test_real_plain_copy_shape(plain):
    assert len(plain) == 4861 and plain.attrs["ignored_columns"] == ["type", "log_price"]


@pytest.mark.shared(INVESTING)
def test_phase1_peak_is_31_50_in_april_2006(investing):
    ph1 = investing.loc[investing["phase"] == 1, "price_eur_per_t"]
    assert_allclose(ph1.max(), 31.50, rtol=0, atol=1e-9)
    assert ph1.idxmax() == pd.Timestamp("2006-04-18")


@pytest.mark.shared(INVESTING)
def test_first_close_below_0_10_is_in_2007(investing):
    below = investing.loc[investing["price_eur_per_t"] < 0.10]
    assert below.index[0] == pd.Timestamp("2007-08-02")
    assert_allclose(below["price_eur_per_t"].iloc[0], 0.09, rtol=0, atol=1e-9)


@pytest.mark.shared(INVESTING, PLAIN)
@pytest.mark.parametrize("fixture, roll", [("investing", "2007-12-19"), ("plain", "2007-12-18")])
def test_roll_is_detected(request, fixture, roll):
    assert request.getfixturevalue(fixture).attrs["roll"] == roll


@pytest.mark.shared(INVESTING)
def test_the_missing_roll_day_and_the_roll_jump_are_reported(investing):
    f = prices.check_series(investing)
    unexplained = f.query("explained == ''")
    gaps = unexplained.query("kind == 'gap'")
    assert list(gaps["date"]) == [pd.Timestamp("2007-12-18")]
    roll = unexplained[(unexplained["kind"] == "jump") & (unexplained["date"] == pd.Timestamp("2007-12-19"))]
    assert "0.01 → 22.45" in roll["detail"].item()
    assert f.query("kind in ['duplicate date', 'non-positive price']").empty


@pytest.mark.shared(INVESTING)
def test_quoted_facts_on_the_real_history(investing):
    table = prices.check_facts(investing, datasets.load("prices_quoted_figures")).set_index("key")
    assert table.loc["phase1_peak_eur_per_t", "status"] == "agrees"
    assert table.loc["phase1_peak_eur_per_t", "observed_on"] == "2006-04-18"
    assert table.loc["phase1_low_below_eur_per_t", "observed_on"] == "2007-08-02"
    assert table.loc["phase1_initial_over_eur_per_t", "status"] == "agrees"
    assert table.loc["dec13_first_trade_eur_per_t", "status"] == "not checkable"
    assert table.loc["phase2_around_eur_per_t", "status"] in {"agrees", "disagrees"}


@pytest.mark.shared(INVESTING)
def test_describe_by_phase_on_the_real_history(investing):
    d = prices.describe_by_phase(investing, prices.log_returns(investing))
    assert list(d["observations"]) == [681, 1328, 2066, 882]
    assert d["observations"].sum() == len(investing)
    assert_allclose(d["max_eur_per_t"], [31.50, 29.33, 33.66, 98.01], rtol=0, atol=1e-9)


@pytest.mark.shared(INVESTING)
def test_unit_root_verdicts_on_the_real_history(investing):
    u = prices.unit_root_tests(investing, prices.log_returns(investing)).set_index(["phase", "series"])
    assert u.xs("log price", level="series")["adf_p"].iloc[1:3].gt(0.05).all(), "Phase 2-3 log prices: unit root"
    assert u.xs("log return", level="series")["adf_p"].lt(0.01).all(), "returns reject a unit root"


@pytest.mark.shared(INVESTING, PLAIN)
def test_two_histories_compared(investing, plain):
    c = prices.compare_series(investing, plain)
    assert c.loc[2015, "identical_share"] == 1.0
    assert_allclose(c.loc[2006, "median_ratio_b_to_a"], 0.967, atol=0.002)

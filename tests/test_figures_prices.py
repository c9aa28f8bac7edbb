"""carbonlib.figures.prices (workbook 06), drawn from the committed synthetic history
(illustrative, not observed prices) and the report's quoted facts: what is drawn is what the
tables hold."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import matplotlib.dates as mdates  # noqa: E402
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
import pytest  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402
from numpy.testing import assert_allclose  # noqa: E402

from carbonlib import calendar, datasets, figures, pricefiles, prices  # noqa: E402

from .conftest import FIXTURES  # noqa: E402

SYNTHETIC = FIXTURES / "prices" / "synthetic_eua_daily_investing.csv"
SYNTHETIC_PLAIN = FIXTURES / "prices" / "synthetic_eua_daily_plain.csv"
RTOL = 1e-12


@pytest.fixture(scope="module")
def history():
    return pricefiles.load_history(SYNTHETIC)


@pytest.fixture(autouse=True)
def _close():
    yield
    plt.close("all")


def _dates(line) -> pd.DatetimeIndex:
    x = np.asarray(line.get_xdata())
    if np.issubdtype(x.dtype, np.number):  # matplotlib's day numbers
        return pd.DatetimeIndex(mdates.num2date(x)).tz_localize(None)
    return pd.DatetimeIndex(x)


def test_quoted_facts_one_bar_per_fact_at_its_value():
    facts = datasets.load("prices_quoted_figures")
    fig = figures.prices.quoted_facts(facts)
    assert isinstance(fig, Figure) and len(fig.axes) == 1
    ax = fig.axes[0]
    assert_allclose([p.get_width() for p in ax.patches], facts["value"], rtol=RTOL)
    assert [t.get_text() for t in ax.texts] == [f"{v:g}" for v in facts["value"]]
    assert ax.get_xlabel() == "EUR per tCO2 (as quoted)"
    assert "Phase 1 peak" in [t.get_text() for t in ax.get_yticklabels()]


def test_price_volume_draws_the_window_and_says_where_volume_starts(history):
    fig = figures.prices.price_volume(history, "2007-06-01", "2008-03-31")
    ax, ax2 = fig.axes
    window = history.loc[~history.index.duplicated()].loc["2007-06-01":"2008-03-31"]
    (line,) = ax.get_lines()
    assert_allclose(line.get_ydata(), window["price_eur_per_t"], rtol=RTOL)
    assert _dates(line).equals(window.index)
    assert_allclose([p.get_height() for p in ax2.patches], window["volume"].fillna(0) / 1e3, rtol=RTOL)
    first = window["volume"].first_valid_index()
    assert [t.get_text() for t in ax2.texts] == [f"no volume in the file before {first:%Y-%m-%d}"]


def test_price_volume_says_so_when_the_window_is_empty(history):
    fig = figures.prices.price_volume(history, "1999-01-01", "1999-12-31")
    assert [t.get_text() for t in fig.axes[0].texts] == ["no observations between 1999-01-01 and 1999-12-31"]
    assert not fig.axes[0].get_lines()


def test_history_shades_each_phase_and_marks_the_roll(history):
    fig = figures.prices.history(history)
    ax = fig.axes[0]
    assert ax.get_yscale() == "log"
    unique = history.loc[~history.index.duplicated()]
    assert_allclose(ax.get_lines()[0].get_ydata(), unique["price_eur_per_t"], rtol=RTOL)
    phases = sorted(unique["phase"].unique())
    assert [t.get_text() for t in ax.get_legend().get_texts()] == [calendar.PHASE_LABELS[n] for n in phases]
    roll = history.attrs["roll"]
    assert roll and [t.get_text() for t in ax.texts] == [f"contract roll {roll}"]


def test_volatility_in_percent_per_year(history):
    vol = prices.rolling_volatility(prices.log_returns(history), 20)
    (line,) = figures.prices.volatility(vol).axes[0].get_lines()
    assert_allclose(line.get_ydata(), vol * 100, rtol=RTOL, equal_nan=True)


def test_forecast_joins_the_closes_to_the_forecast_at_day_zero(history):
    arima = prices.fit_arima(history, "2021-01-01", (1, 1, 1), 10)
    ax = figures.prices.forecast(arima).axes[0]
    closes, forecast = ax.get_lines()
    assert closes.get_xdata()[-1] == 0 and len(closes.get_xdata()) == len(arima.fitted_tail)
    assert_allclose(closes.get_ydata(), arima.fitted_tail, rtol=RTOL)
    assert_allclose(forecast.get_xdata(), np.arange(1, 11), rtol=0)
    assert_allclose(forecast.get_ydata(), arima.forecast["price_eur_per_t"], rtol=RTOL)
    assert ax.get_xlabel() == f"trading days from {arima.end:%Y-%m-%d}"


def test_comparison_is_the_ratio_on_common_dates(history):
    other = pricefiles.load_history(SYNTHETIC_PLAIN)
    ax = figures.prices.comparison(history, other, "first", "second").axes[0]
    ratio, one = ax.get_lines()
    a = history.loc[~history.index.duplicated(), "price_eur_per_t"]
    b = other.loc[~other.index.duplicated(), "price_eur_per_t"]
    assert_allclose(ratio.get_ydata(), (b / a).dropna(), rtol=RTOL)
    assert list(one.get_ydata()) == [1, 1] and ax.get_ylabel() == "second / first (ratio)"

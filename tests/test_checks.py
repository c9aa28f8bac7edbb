"""carbonlib.checks: published-versus-recomputed reports."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from numpy.testing import assert_allclose

from carbonlib import checks
from carbonlib.errors import InputError


@pytest.mark.parametrize(("decimals", "tol"), [(0, 0.5), (1, 0.05), (2, 0.005), (-1, 5.0)])
def test_rounding_tolerance_is_half_a_unit_in_the_last_digit(decimals, tol):
    assert_allclose(checks.rounding_tolerance(decimals), tol, rtol=1e-12)


def test_series_report_columns_and_statuses():
    printed = pd.Series({"a": 10.0, "b": np.nan, "c": 3.0, "total": 14.0, "d": np.nan})
    recomputed = pd.Series({"a": 10.4, "b": 5.0, "c": np.nan, "total": 15.4, "d": np.nan})
    report = checks.compare(printed, recomputed, decimals=0)
    assert list(report.columns) == checks.REPORT_COLUMNS
    assert report.loc["a", "status"] == "agrees"
    assert report.loc["b", "status"] == "not printed"
    assert report.loc["c", "status"] == "not recomputable"
    assert report.loc["total", "status"] == "discrepancy"
    assert report.loc["d", "status"] == "neither"
    assert_allclose(report.loc["total", "difference"], -1.4, rtol=1e-12)
    assert bool(report.loc["a", "within_rounding"]) is True
    assert bool(report.loc["b", "within_rounding"]) is False


def test_boundary_of_rounding_is_inclusive():
    # 2.6 printed with one decimal covers [2.55, 2.65]
    report = checks.compare(pd.Series({"x": 2.6, "y": 2.6}), pd.Series({"x": 2.55, "y": 2.6501}), decimals=1)
    assert report["status"].tolist() == ["agrees", "discrepancy"]


def test_dataframe_is_compared_cell_by_cell_with_decimals_per_column():
    printed = pd.DataFrame({"volume": [1104.0, 20.0], "growth": [87.0, 26.0]}, index=["eu", "nsw"])
    recomputed = pd.DataFrame({"volume": [1104.2, 20.0], "growth": [86.7, 25.0]}, index=["eu", "nsw"])
    report = checks.compare(printed, recomputed, decimals={"volume": 0, "growth": 0})
    assert report.shape[0] == 4
    assert report.loc[("nsw", "growth"), "status"] == "discrepancy"
    assert report.loc[("eu", "growth"), "status"] == "agrees"


def test_summary_counts_every_status():
    report = checks.compare(pd.Series({"a": 1.0, "b": 2.0}), pd.Series({"a": 1.0, "b": 3.0}))
    summary = checks.summary(report)
    assert summary["agrees"] == 1 and summary["discrepancy"] == 1 and summary.sum() == 2
    assert checks.discrepancies(report).index.tolist() == ["b"]


def test_atol_overrides_rounding():
    report = checks.compare(pd.Series({"a": 1.0}), pd.Series({"a": 1.3}), atol=0.25)
    assert report.loc["a", "status"] == "discrepancy"


@pytest.mark.parametrize(
    ("printed", "recomputed", "kwargs", "message"),
    [
        ([1, 2], pd.Series([1, 2]), {}, "expected a pandas Series or DataFrame"),
        (pd.DataFrame({"a": [1]}), pd.Series([1]), {}, "both be DataFrames or both be Series"),
        (pd.Series(["x"]), pd.Series([1]), {}, "values must be numeric"),
        (pd.DataFrame({"a": [1]}), pd.DataFrame({"a": [1]}), {"decimals": {"b": 0}}, "decimals missing for column"),
    ],
)
def test_bad_input_is_named(printed, recomputed, kwargs, message):
    with pytest.raises(InputError, match=message):
        checks.compare(printed, recomputed, **kwargs)


def test_count_is_the_summary_of_its_status_and_names_a_missing_column():
    report = checks.compare(pd.Series({"a": 1.0, "b": 2.0, "c": 3.0}), pd.Series({"a": 1.0, "b": 2.6, "c": 3.0}),
                            decimals=0)
    summary = checks.summary(report)
    for status in summary.index:
        assert checks.count(report, status) == summary[status]
    assert checks.count(report, list(summary.index)) == len(report)  # every row has one status
    with pytest.raises(InputError, match="report has no column 'verdict'; its columns: "):
        checks.count(report, "printing error", "verdict")

"""carbonlib.validate.table: one check of a user's table against a Frictionless table schema.

Each problem gives one InputError naming the input, the column, the row (key value or 1-based
row number) and the value; valid tables (extra columns, ints for numbers, numeric text) are
accepted and come back typed; every table of the data package passes its own schema unchanged.
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from carbonlib import datasets, validate
from carbonlib.errors import InputError

SCHEMA = {
    "fields": [
        {"name": "member_state", "type": "string", "constraints": {"required": True}},
        {"name": "emissions_mtco2e", "type": "number", "constraints": {"required": True, "minimum": 0}},
        {"name": "target_pct", "type": "number", "constraints": {"minimum": -20, "maximum": 20}},
        {"name": "year", "type": "integer", "constraints": {"minimum": 2013, "maximum": 2020}},
        {"name": "kind", "type": "string", "constraints": {"enum": ["a", "b"]}},
        {"name": "exposed", "type": "boolean"},
    ],
    "missingValues": ["", "na"],
    "primaryKey": ["member_state"],
}


def _table(**changes):
    df = pd.DataFrame({"member_state": ["AT", "BE", "CY"], "emissions_mtco2e": [80.0, 140.0, 10.0],
                       "target_pct": [-16.0, -15.0, -5.0], "year": [2013, 2014, 2015],
                       "kind": ["a", "b", "a"], "exposed": [True, False, True]})
    for col, (i, value) in changes.items():
        df[col] = df[col].astype(object)
        df.at[i, col] = value
    return df


def _check(df, **kwargs):
    return validate.table(df, SCHEMA, "member_states", **kwargs)


def _raises(message, df, **kwargs):
    with pytest.raises(InputError, match=f"^{re.escape(message)}$"):
        _check(df, **kwargs)


# --------------------------------------------------------------------------- one error each


def test_missing_column_is_named():
    _raises("member_states: missing columns ['target_pct']", _table().drop(columns="target_pct"))


def test_not_a_dataframe_is_named():
    _raises("member_states: expected a pandas DataFrame, got dict", {"member_state": ["AT"]})


def test_non_number_names_column_key_and_value():
    _raises("member_states.emissions_mtco2e: 'n/a' for member state 'BE' is not a number",
            _table(emissions_mtco2e=(1, "n/a")))
    _raises("member_states.emissions_mtco2e: '1,000' for member state 'CY' is not a number",
            _table(emissions_mtco2e=(2, "1,000")))


def test_non_number_without_key_names_the_row_number():
    _raises("member_states.target_pct: 'lots' in row 3 is not a number",
            _table(target_pct=(2, "lots")), key=())


def test_key_column_problem_names_the_row_number():
    _raises("member_states.member_state: missing value in row 2", _table(member_state=(1, None)))


def test_non_integer_and_non_boolean_are_named():
    _raises("member_states.year: 2014.5 for member state 'BE' is not an integer", _table(year=(1, 2014.5)))
    _raises("member_states.exposed: 'maybe' for member state 'AT' is not a boolean",
            _table(exposed=(0, "maybe")))


def test_value_below_the_minimum_or_above_the_maximum():
    _raises("member_states.emissions_mtco2e: value -5.0 for member state 'BE' is below the minimum 0",
            _table(emissions_mtco2e=(1, -5)))
    _raises("member_states.target_pct: value 25.0 for member state 'CY' is above the maximum 20",
            _table(target_pct=(2, "25")))
    _raises("member_states.year: value 2021 for member state 'AT' is above the maximum 2020",
            _table(year=(0, 2021)))


def test_value_not_in_the_enum():
    _raises("member_states.kind: 'c' for member state 'BE' is not one of ['a', 'b']", _table(kind=(1, "c")))


def test_duplicate_primary_key():
    df = _table(member_state=(2, "AT"))
    _raises("member_states: member state 'AT' appears twice (rows 1 and 3)", df)
    assert validate.table(df, SCHEMA, "member_states", primary_key=False)["member_state"].tolist() == [
        "AT", "BE", "AT"]


def test_duplicate_compound_key_and_unique_field():
    schema = {"fields": [{"name": "plan", "type": "string"}, {"name": "year", "type": "integer"},
                         {"name": "code", "type": "string", "constraints": {"unique": True}}],
              "primaryKey": ["plan", "year"]}
    df = pd.DataFrame({"plan": ["p", "p", "q"], "year": [2013, "2013", 2013], "code": ["x", "y", "z"]})
    with pytest.raises(InputError, match=r"^plans: plan 'p', year 2013 appears twice \(rows 1 and 2\)$"):
        validate.table(df, schema, "plans")
    df = pd.DataFrame({"plan": ["p", "q", "r"], "year": [2013] * 3, "code": ["x", None, "x"]})
    with pytest.raises(InputError, match=r"^plans: code 'x' appears twice \(rows 1 and 3\)$"):
        validate.table(df, schema, "plans")


@pytest.mark.parametrize("cell", [None, np.nan, "", "na", pd.NA])
def test_required_value_missing(cell):
    _raises("member_states.emissions_mtco2e: missing value for member state 'BE'",
            _table(emissions_mtco2e=(1, cell)))


def test_unexpected_columns_only_when_the_caller_says_so():
    df = _table().assign(notes="x")
    assert "notes" in _check(df).columns
    _raises("member_states: unexpected columns ['notes']", df, extra=False)


@pytest.mark.parametrize("cell", [[1.0], {"a": 1}, 1 + 2j, pd.Timestamp("2014-01-01"), object()])
def test_odd_cells_give_an_input_error_not_a_traceback(cell):
    with pytest.raises(InputError, match=r"^member_states\.emissions_mtco2e: .* for member state 'BE' is not a number$"):
        _check(_table(emissions_mtco2e=(1, cell)))


def test_a_column_given_twice_is_named():
    df = pd.concat([_table(), _table()[["year"]]], axis=1)
    _raises("member_states: column(s) ['year'] appear more than once", df)


# --------------------------------------------------------------------------- valid tables


def test_valid_table_with_extra_columns_ints_and_numeric_text_is_typed():
    df = pd.DataFrame({"notes": ["n1", "n2", "n3"], "member_state": ["AT", "BE", "CY"],
                       "emissions_mtco2e": [80, "140.5", np.int64(10)], "target_pct": ["-16", "", None],
                       "year": ["2013", 2014.0, None], "kind": ["a", "na", "b"],
                       "exposed": ["true", "No", None]}, index=[10, 20, 30])
    out = _check(df)
    assert list(out.columns) == list(df.columns) and list(out.index) == [10, 20, 30]
    assert out["notes"].tolist() == ["n1", "n2", "n3"]
    assert out["emissions_mtco2e"].dtype == np.float64
    assert out["emissions_mtco2e"].tolist() == [80.0, 140.5, 10.0]
    assert out["target_pct"].iloc[0] == -16.0 and out["target_pct"].iloc[1:].isna().all()
    assert str(out["year"].dtype) == "Int64" and out["year"].tolist()[:2] == [2013, 2014]
    assert str(out["exposed"].dtype) == "boolean" and out["exposed"].tolist()[:2] == [True, False]
    assert out["kind"].tolist() == ["a", "na", "b"]  # strings are not converted
    assert df["emissions_mtco2e"].tolist() == [80, "140.5", 10]  # the input is not changed


def test_complete_integer_and_boolean_columns_are_plain_dtypes():
    out = _check(_table(year=(0, 2013.0), exposed=(1, 0)))
    assert out["year"].dtype == np.int64 and out["exposed"].dtype == np.bool_
    assert out["exposed"].tolist() == [True, False, True]


def test_columns_optional_and_constraints():
    df = _table().drop(columns=["kind", "exposed"])
    out = validate.table(df, SCHEMA, "member_states", columns=["member_state", "target_pct", "kind"],
                         optional=["kind"], constraints={"target_pct": {"maximum": 0}})
    assert out.equals(df)
    with pytest.raises(InputError, match="target_pct: value -5.0 for member state 'CY' is above the maximum -10"):
        validate.table(df, SCHEMA, "member_states", columns=["target_pct"], key="member_state",
                       constraints={"target_pct": {"maximum": -10}})
    with pytest.raises(ValueError, match="the schema has no field"):
        validate.table(df, SCHEMA, "member_states", columns=["nope"])


@pytest.mark.parametrize("name", datasets.names())
def test_every_data_package_table_passes_its_own_schema_unchanged(name):
    df = datasets.load(name)
    out = validate.table(df, name, name)
    pd.testing.assert_frame_equal(out, df)


def test_resource_schema_by_name_is_the_package_schema():
    ms = datasets.load("effort_member_states")
    bad = ms.assign(emissions_2005_mtco2e=ms["emissions_2005_mtco2e"].astype(object))
    bad.loc[3, "emissions_2005_mtco2e"] = "lots"
    name = bad.loc[3, "member_state"]
    for schema in ("effort_member_states", datasets.resource("effort_member_states")["schema"]):
        with pytest.raises(InputError, match=f"^member_states.emissions_2005_mtco2e: 'lots' for member state "
                                             f"'{name}' is not a number$"):
            validate.table(bad, schema, "member_states")


# --------------------------------------------------------------------------- property


def _cells(values, as_text):
    """The same values as floats, ints where whole, or text, as a user's table may hold them."""
    return [str(v) if text else (int(v) if float(v).is_integer() and text is None else v)
            for v, text in zip(values, as_text, strict=True)]


@st.composite
def valid_tables(draw):
    n = draw(st.integers(0, 12))
    keys = draw(st.lists(st.text("ABCDEFGHIJ", min_size=1, max_size=3), min_size=n, max_size=n, unique=True))
    emissions = draw(st.lists(st.floats(0, 1e6, allow_nan=False), min_size=n, max_size=n))
    target = draw(st.lists(st.one_of(st.none(), st.floats(-20, 20, allow_nan=False)), min_size=n, max_size=n))
    year = draw(st.lists(st.integers(2013, 2020), min_size=n, max_size=n))
    kind = draw(st.lists(st.sampled_from(["a", "b", None]), min_size=n, max_size=n))
    exposed = draw(st.lists(st.booleans(), min_size=n, max_size=n))
    as_text = draw(st.lists(st.sampled_from([True, False, None]), min_size=n, max_size=n))
    df = pd.DataFrame({
        "member_state": keys,
        "emissions_mtco2e": _cells(emissions, as_text),
        "target_pct": [None if t is None else c for t, c in zip(target, _cells([t or 0.0 for t in target], as_text),
                                                                strict=True)],
        "year": _cells(year, as_text),
        "kind": kind,
        "exposed": [str(e).lower() if t else e for e, t in zip(exposed, as_text, strict=True)],
        "extra": range(n),
    }, dtype=object)
    expected = {"emissions_mtco2e": emissions, "target_pct": target, "year": year, "exposed": exposed}
    return df, expected


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(valid_tables())
def test_any_table_of_valid_values_is_accepted_and_round_trips(case):
    df, expected = case
    out = _check(df)
    assert list(out.columns) == list(df.columns) and out.index.equals(df.index)
    np.testing.assert_allclose(out["emissions_mtco2e"].to_numpy(dtype=float), expected["emissions_mtco2e"],
                               rtol=1e-15, atol=0)
    target = np.array([np.nan if t is None else t for t in expected["target_pct"]], dtype=float)
    np.testing.assert_allclose(out["target_pct"].to_numpy(dtype=float), target, rtol=1e-15, atol=0)
    assert out["year"].tolist() == expected["year"]
    assert out["exposed"].tolist() == expected["exposed"]
    assert out["member_state"].tolist() == df["member_state"].tolist()
    assert out["kind"].tolist() == df["kind"].tolist() and out["extra"].tolist() == df["extra"].tolist()

"""carbonlib.workbench.params: parameters cells are read without running anything; bad values are named."""

from __future__ import annotations

import re

import pytest

from carbonlib.errors import ParameterError
from carbonlib.workbench import params

from .conftest import FIXTURES

DEMO = FIXTURES / "notebooks" / "demo.ipynb"


def test_declared_reads_type_default_and_comment():
    decl = params.declared(DEMO)
    assert list(decl) == ["scale", "label", "n_points", "lang"]
    assert decl["scale"].type == "float" and decl["scale"].default == 2.0
    assert decl["scale"].comment == "multiplier, dimensionless"
    assert decl["n_points"].type == "int" and decl["label"].type == "str"


def test_validate_accepts_int_for_float_and_converts():
    assert params.validate(DEMO, {"scale": 3}) == {"scale": 3.0}
    assert isinstance(params.validate(DEMO, {"scale": 3})["scale"], float)


@pytest.mark.parametrize(
    ("values", "message"),
    [
        ({"scael": 1.0}, r"unknown parameter 'scael'\. It accepts: scale \(float, default 2\.0\): multiplier"),
        ({"scale": "big"}, r"parameter 'scale' must be float, got str 'big'"),
        ({"n_points": 2.5}, r"parameter 'n_points' must be int, got float 2\.5"),
        ({"n_points": True}, r"parameter 'n_points' must be int, got bool True"),
        ({"label": 3}, r"parameter 'label' must be str, got int 3"),
    ],
)
def test_bad_parameters_fail_with_a_message_naming_them(values, message):
    with pytest.raises(ParameterError, match=message):
        params.validate(DEMO, values)


def test_command_line_text_is_coerced_to_the_declared_type():
    decl = params.declared(DEMO)
    assert params.coerce_text(decl["scale"], "0.5") == 0.5
    assert params.coerce_text(decl["n_points"], "7") == 7
    assert params.coerce_text(decl["label"], "2020") == "2020"


def test_unknown_notebook_and_scenario():
    with pytest.raises(ParameterError, match="matches no workbook"):
        params.resolve_notebook("99_nothing")
    with pytest.raises(ParameterError, match="unknown scenario 'nosuch'"):
        params.load_scenario(DEMO, "nosuch")


def test_scenario_file_is_validated(tmp_path):
    good = tmp_path / "good.yaml"
    good.write_text("scale: 4\nlabel: four\n", encoding="utf-8")
    assert params.load_scenario(DEMO, good) == {"scale": 4.0, "label": "four"}
    bad = tmp_path / "bad.yaml"
    bad.write_text("- just\n- a list\n", encoding="utf-8")
    with pytest.raises(ParameterError, match="must be a mapping"):
        params.load_scenario(DEMO, bad)


def test_notebook_without_parameters_cell(tmp_path):
    nb = tmp_path / "x.ipynb"
    nb.write_text('{"cells": [], "metadata": {}, "nbformat": 4, "nbformat_minor": 5}', encoding="utf-8")
    with pytest.raises(ParameterError, match="no cell tagged 'parameters'"):
        params.declared(nb)


def test_every_workbook_takes_lang_and_rejects_an_unknown_language():
    from carbonlib.workbench.build import notebooks

    for nb in notebooks():
        assert params.validate(nb, {"lang": "zh-TW"}) == {"lang": "zh-TW"}
        with pytest.raises(ParameterError, match=r"parameter 'lang' must be one of en, zh-TW, got 'fr'"):
            params.validate(nb, {"lang": "fr"})


def _workbooks():
    from carbonlib.workbench.build import notebooks

    return notebooks()


@pytest.mark.parametrize("nb", _workbooks(), ids=lambda p: p.stem)
def test_absent_is_none_in_every_workbook(nb):
    """One convention for an optional input (docs/CONVENTIONS.md): its type admits None, its
    comment says what None means, and no other value ("", "none", 0) stands for "absent"."""
    for p in params.declared(nb).values():
        assert p.default != "", f"{nb.stem}: {p.name} defaults to an empty string; use None for absent"
        assert not re.search(r"\b(empty|none|0)\s*:", p.comment), (
            f"{nb.stem}: {p.name}'s comment marks absence another way ({p.comment!r}); use None")
        if p.optional:
            assert "None:" in p.comment, f"{nb.stem}: {p.name} admits None; its comment must say `None: …`"
    for scenario in params.scenarios(nb).values():
        for name, value in params.load_scenario(nb, scenario).items():
            assert not (isinstance(value, str) and value.strip().lower() in {"", "none"}), (
                f"{scenario}: {name} is {value!r}; write null for absent")


def test_none_on_the_command_line_is_absent():
    p = params.Parameter("member_states_file", "str|None", None, "CSV of member states; None: illustrative")
    assert params.coerce_text(p, "None") is None and params.coerce_text(p, "null") is None
    q = params.Parameter("annual_reduction_t", "float|None", None, "t CO2e a year; None: use the factor")
    assert params.coerce_text(q, "none") is None and params.coerce_text(q, "38264246") == 38264246
    r = params.Parameter("label", "str", "x", "free text")
    assert params.coerce_text(r, "None") == "None"

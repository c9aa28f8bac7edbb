"""The placeholder mechanism (carbonlib.workbench.prose), the parameter box and the prose check."""

from __future__ import annotations

import json

import pytest
from hypothesis import given
from hypothesis import strategies as st

from carbonlib.errors import InputError
from carbonlib.workbench import params, paths, prose
from carbonlib.workbench.run import Run

from . import prose as check

CAP = "03_eu_ets_cap_and_auctions"


@pytest.mark.parametrize(("value", "spec", "lang", "shown"), [
    (7, None, "en", "7"),
    (24669, None, "en", "24,669"),
    (2084.301856, ",.0f", "en", "2,084"),
    (0.0184, ".2%", "en", "1.84%"),
    (-2.4, ".1f", "en", "−2.4"),
    (30.0, None, "en", "30"),
    (None, None, "en", "—"),
    (float("nan"), None, "en", "—"),
    (True, None, "zh-TW", "是"),
    ([2013, 2020], None, "en", "2,013, 2,020"),
])
def test_values_are_formatted_as_the_tables_format_them(value, spec, lang, shown):
    assert prose.format_value(value, spec, lang) == shown


def test_a_filled_value_is_marked_and_a_choice_is_plain_text():
    text = prose.mark(prose.fill("{{ n }} {{ n|cell is|cells are }} a printing error; {{ share:.0f }} % free.",
                                 {"n": 1, "share": 30.0}))
    assert text == ('<span class="cl-value" data-value="n">1</span> cell is a printing error; '
                    '<span class="cl-value" data-value="share">30</span> % free.')
    assert "cells are" in prose.fill("{{ n|cell is|cells are }}", {"n": 7})
    assert prose.fill("{{ ok|holds|fails }}", {"ok": False}) == "fails"


def test_a_value_is_never_read_as_markdown():
    assert "**" not in prose.fill("{{ label }}", {"label": "**bold** _x_"})


@pytest.mark.parametrize(("text", "message"), [
    ("{{ missing }}", "{{ missing }}: the run recorded no value of that name and has no such parameter (known: n)"),
    ("{{ n:.q }}", "format '.q' does not apply to the value 3"),
    ("{{ 3 + n }}", "'{{ 3 + n }}' is not a placeholder"),
])
def test_a_bad_placeholder_is_refused_naming_it(text, message):
    with pytest.raises(InputError, match="01, cell 4: ") as err:
        prose.fill(text, {"n": 3}, where="01, cell 4")
    assert message in str(err.value)


@given(st.integers(min_value=-10**12, max_value=10**12))
def test_any_integer_round_trips_through_its_text(n):
    text = prose.format_value(n)
    assert int(text.replace(",", "").replace("−", "-")) == n


def test_the_box_lists_what_differs_and_names_the_scenario():
    decl = params.declared(CAP)
    values = params.load_scenario(CAP, "phase3_rule_continued")
    full = {name: values.get(name, p.default) for name, p in decl.items()}
    assert params.match_scenario(CAP, full) == "phase3_rule_continued"
    box = prose.parameter_box(decl, full, "en", "phase3_rule_continued")
    assert "<code>phase3_rule_continued</code>" in box and str(values["scenario_label"]) in box
    changed = {p.name for p, _ in prose.differing(decl, full)}
    assert changed == set(values) - {"scenario_label", "lang"}
    for name in changed:
        assert f"<code>{name}</code>" in box


def test_defaults_have_no_box_and_the_edition_is_not_an_assumption():
    decl = params.declared(CAP)
    defaults = {name: p.default for name, p in decl.items()}
    assert prose.parameter_box(decl, defaults) == ""
    assert prose.parameter_box(decl, {**defaults, "lang": "zh-TW"}, "zh-TW") == ""
    assert params.match_scenario(CAP, defaults) is None
    box = prose.parameter_box(decl, {**defaults, "end_year": 2036}, "zh-TW")
    assert "非預設參數" in box and "<code>2036</code>" in box and "<code>2030</code>" in box


def test_a_run_records_values_afresh_and_refuses_a_parameter_name(build_dir):
    run = Run(notebook=CAP, parameters={"end_year": 2030})
    run.record("n_rows", 3)
    run.reset_values()
    run.record("share_pct", 12.5)
    recorded = json.loads((paths.edition_dir("en") / "values" / f"{CAP}.json").read_text(encoding="utf-8"))
    assert recorded == {"share_pct": 12.5}
    with pytest.raises(InputError, match="'end_year' is a parameter"):
        run.record("end_year", 2040)


@pytest.mark.parametrize(("prose_html", "flagged"), [
    ('<div class="jp-RenderedMarkdown"><p>The total is 2,084 Mt.</p></div>', ["2,084"]),
    ('<div class="jp-RenderedMarkdown"><p>The total is <span class="cl-value" data-value="t">2,084</span> Mt.</p></div>', []),
    ('<div class="jp-RenderedMarkdown"><p>Table 5 and 表1 under Directive 2003/87/EC, in CO2.</p></div>', []),
    ('<div class="jp-RenderedMarkdown"><p>The printed subtotal 24,669 MUS$.</p></div>', []),
    ('<table><tr><td>2,084.5</td></tr></table><div class="jp-RenderedMarkdown"><p>none</p></div>', []),
])
def test_the_prose_check_flags_only_typed_numbers(prose_html, flagged):
    found = check.unaccounted(prose_html)
    assert [f.split("'")[1] for f in found] == flagged

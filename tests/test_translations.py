"""The two languages of every workbook: each English paragraph has a current zh-TW twin with the
same placeholders, each edition shows only its own language, and a stale or missing twin is
reported (docs/CONVENTIONS.md, "Two languages, one paragraph")."""

from __future__ import annotations

import json

import pytest

from carbonlib.errors import InputError
from carbonlib.workbench import paths, prose, translations
from carbonlib.workbench.cli import main

NOTEBOOKS = sorted(paths.notebooks_dir().glob("*.ipynb"))


def _nb(path):
    return json.loads(path.read_text(encoding="utf-8"))


def _src(cell) -> str:
    return "".join(cell["source"])


@pytest.mark.parametrize("nb", NOTEBOOKS, ids=[p.stem for p in NOTEBOOKS])
def test_every_paragraph_and_parameter_has_a_current_twin(nb):
    assert translations.problems(_nb(nb), nb.stem) == []


@pytest.mark.parametrize("nb", NOTEBOOKS, ids=[p.stem for p in NOTEBOOKS])
def test_twins_fill_the_same_values_and_keep_the_headings(nb):
    cells = _nb(nb)["cells"]
    by_id = {c.get("id"): c for c in cells}
    for twin in (c for c in cells if translations.is_twin(c)):
        english = by_id[twin["metadata"]["translation_of"]]
        en, zh = _src(english), _src(twin)
        assert set(prose.placeholders(zh)) == set(prose.placeholders(en)), (
            f"{nb.stem}, twin {twin['id']}: placeholders {sorted(set(prose.placeholders(zh)))} "
            f"differ from the English {sorted(set(prose.placeholders(en)))}")
        levels = lambda s: [line.split(" ")[0] for line in s.splitlines() if line.startswith("#")]  # noqa: E731
        assert levels(zh) == levels(en), f"{nb.stem}, twin {twin['id']}: headings at other levels than the English"


def _toy(tmp_path):
    """A copy of the demo workbook (tests/fixtures) without its twins, to write twins into."""
    nb = _nb(paths.ROOT / "tests" / "fixtures" / "notebooks" / "demo.ipynb")
    nb["cells"] = [c for c in nb["cells"] if not translations.is_twin(c)]
    for c in nb["cells"]:
        c.get("metadata", {}).pop("translations", None)
    target = tmp_path / "demo.ipynb"
    target.write_text(json.dumps(nb, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    return target


def test_the_demo_workbook_has_its_twins():
    demo = _nb(paths.ROOT / "tests" / "fixtures" / "notebooks" / "demo.ipynb")
    assert translations.problems(demo, "demo") == []


def test_write_stamp_and_drift(tmp_path):
    path = _toy(tmp_path)
    nb = _nb(path)
    english = [c for c in nb["cells"] if c["cell_type"] == "markdown"]
    assert english, "the demo workbook has Markdown"
    missing = translations.problems(nb, "demo")
    assert any("has no zh-TW twin" in m for m in missing)
    texts = {c["id"]: "# 示範\n\n中文段落" if _src(c).startswith("# ") else "中文段落" for c in english}
    translations.write(path, texts)
    nb = _nb(path)
    assert [m for m in translations.problems(nb, "demo") if "twin" in m] == []
    # the English edition shows no twin, the zh-TW edition each twin in its English cell's place
    en_cells = translations.edition_cells(nb["cells"], "en")
    zh_cells = translations.edition_cells(nb["cells"], "zh-TW")
    assert len(en_cells) == len(zh_cells) == len(nb["cells"]) - len(english)
    assert [c["id"] for c in en_cells if c["cell_type"] == "markdown"] == [c["id"] for c in english]
    assert all(translations.is_twin(c) for c in zh_cells if c["cell_type"] == "markdown")
    # an English edit makes its twin stale; stamping after revising clears it
    first = english[0]["id"]
    cell = next(c for c in nb["cells"] if c.get("id") == first)
    cell["source"] = _src(cell) + "\n\nA new English sentence."
    path.write_text(json.dumps(nb, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    stale = translations.problems(_nb(path), "demo")
    assert any(f"cell {first}: the English changed after its zh-TW twin" in m and "--stamp demo" in m for m in stale)
    translations.stamp(path, [first])
    assert not [m for m in translations.problems(_nb(path), "demo") if "changed" in m]


def test_a_twin_out_of_place_or_orphaned_is_reported(tmp_path):
    path = _toy(tmp_path)
    nb = _nb(path)
    english = next(c for c in nb["cells"] if c["cell_type"] == "markdown")
    translations.write(path, {english["id"]: "中文"})
    nb = _nb(path)
    i = next(i for i, c in enumerate(nb["cells"]) if translations.is_twin(c))
    twin = nb["cells"].pop(i)
    nb["cells"].append(twin)
    assert any("does not follow the English cell" in m for m in translations.problems(nb, "demo"))
    twin["metadata"]["translation_of"] = "no-such-cell"
    assert any("translates 'no-such-cell', which is not an English Markdown cell" in m
               for m in translations.problems(nb, "demo"))


def test_write_refuses_an_unknown_key(tmp_path):
    path = _toy(tmp_path)
    before = path.read_bytes()
    with pytest.raises(InputError, match=r"demo.ipynb: 'nope' is neither an English Markdown cell nor a documented parameter"):
        translations.write(path, {"nope": "中文"})
    assert path.read_bytes() == before


def test_cli_check_reports_and_fails_on_a_missing_twin(tmp_path, monkeypatch, capsys):
    nbdir = tmp_path / "notebooks"
    nbdir.mkdir()
    _toy(nbdir)
    monkeypatch.setattr(paths, "ROOT", tmp_path)
    assert main(["translations"]) == 1
    assert "demo: cell" in capsys.readouterr().out


def test_source_hash_ignores_trailing_spaces_only():
    assert translations.source_hash("a \nb\n\n") == translations.source_hash("a\nb")
    assert translations.source_hash("a\nb") != translations.source_hash("a\nc")

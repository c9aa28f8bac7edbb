"""tools/compare_builds.py, the before/after proof for changes that must not change any output."""

from __future__ import annotations

import importlib.util
import shutil

from .conftest import ROOT

_spec = importlib.util.spec_from_file_location("compare_builds", ROOT / "tools" / "compare_builds.py")
compare_builds = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(compare_builds)

PAPER = ('<html><body><p>Built 2026-12-01 10:00:00 UTC with carbonlib sha256 {h}</p>'
         '<table><tr><th>price_file</th><td>{p}</td></tr></table></body></html>')


def _tree(root, csv="year,cap_t\n2013,1\n", price_file="", digest="a" * 64):
    (root / "tables" / "03").mkdir(parents=True)
    (root / "tables" / "03" / "cap.csv").write_text(csv, encoding="utf-8")
    (root / "html").mkdir()
    (root / "html" / "03.html").write_text(PAPER.format(h=digest, p=price_file), encoding="utf-8")
    return root


def test_identical_builds_and_a_new_build_date_or_hash_pass(tmp_path, capsys):
    before = _tree(tmp_path / "before")
    after = _tree(tmp_path / "after", digest="b" * 64)
    assert compare_builds.main([str(before), str(after)]) == 0
    assert "1 byte-identical, 1 identical after normalising" in capsys.readouterr().out


def test_a_changed_table_byte_fails_and_is_named(tmp_path, capsys):
    before = _tree(tmp_path / "before")
    after = _tree(tmp_path / "after", csv="year,cap_t\n2013,2\n")
    assert compare_builds.main([str(before), str(after)]) == 1
    assert "bytes differ: tables/03/cap.csv" in capsys.readouterr().out


def test_a_rename_on_purpose_is_declared_with_same(tmp_path):
    before = _tree(tmp_path / "before")
    after = _tree(tmp_path / "after", price_file="$CARBONLIB_EUA_PRICES")
    assert compare_builds.main([str(before), str(after)]) == 1
    assert compare_builds.main([str(before), str(after), "--same", "<th>price_file</th><td></td>",
                                "<th>price_file</th><td>$CARBONLIB_EUA_PRICES</td>"]) == 0


def test_a_missing_file_fails(tmp_path, capsys):
    before = _tree(tmp_path / "before")
    after = tmp_path / "after"
    shutil.copytree(before, after)
    (after / "tables" / "03" / "cap.csv").unlink()
    assert compare_builds.main([str(before), str(after)]) == 1
    assert "only in BEFORE: tables/03/cap.csv" in capsys.readouterr().out

"""Every HTML paper, opened in headless Chromium: images decode, the tables it lists are there,
internal links resolve, no console errors, no request to another host; a full-page screenshot
of each goes to ``build/screenshots/``.

Uses the default build folder and builds the papers first if ``build/html/index.html`` is
missing. The browser is Debian's ``chromium`` (see ``tests/browser.py``).
"""

from __future__ import annotations

import pytest

from carbonlib.workbench import paths

from . import browser

BUILD = paths.build_dir()


def pytest_generate_tests(metafunc):
    if "paper" in metafunc.fixturenames:
        browser.ensure_built(BUILD)
        found = browser.papers(BUILD)
        metafunc.parametrize("paper", found, ids=[str(p.relative_to(BUILD)) for p in found])


@pytest.fixture(scope="module")
def chromium():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        instance = pw.chromium.launch(executable_path=browser.chromium_path(), args=browser.CHROMIUM_ARGS)
        try:
            yield instance
        finally:
            instance.close()


def test_every_workbook_has_its_papers_and_the_index_links_them():
    found = {str(p.relative_to(BUILD)) for p in browser.papers(BUILD)}
    stems = [nb.stem for nb in sorted(paths.notebooks_dir().glob("*.ipynb"))]
    assert "html/index.html" in found
    missing = [f"html/{s}.html" for s in stems if f"html/{s}.html" not in found]
    missing += [f"html/code/{s}.html" for s in stems if f"html/code/{s}.html" not in found]
    assert not missing, f"papers not built: {missing}"


def test_paper_in_chromium(chromium, paper):
    shot = browser.screenshot_path(paper, BUILD)
    report = browser.inspect(chromium, paper, screenshot=shot)
    assert report.height > 0 and shot.stat().st_size > 0, "nothing rendered"
    found = browser.problems(report, BUILD)
    assert not found, f"{paper.relative_to(BUILD)}:\n  " + "\n  ".join(found)


def test_the_check_catches_a_broken_paper(chromium, tmp_path):
    """A paper with every fault the check looks for: each one is reported."""
    html_dir = tmp_path / "html"
    (tmp_path / "outputs").mkdir(parents=True)
    html_dir.mkdir()
    (tmp_path / "outputs" / "bad.json").write_text(
        '{"outputs": [{"kind": "table", "name": "a"}, {"kind": "table", "name": "b"},'
        ' {"kind": "figure", "name": "c"}]}', encoding="utf-8")
    (html_dir / "other.html").write_text('<p id="here">x</p>', encoding="utf-8")
    bad = html_dir / "bad.html"
    bad.write_text(
        "<!DOCTYPE html><html><head><meta charset='utf-8'>"
        "<link rel='stylesheet' href='https://example.invalid/style.css'></head><body>"
        "<h2 id='ok'>fine</h2><a href='#ok'>fine</a><a href='#nowhere'>bad</a>"
        "<a href='other.html#here'>fine</a><a href='other.html#gone'>bad</a><a href='missing.html'>bad</a>"
        "<a href='https://example.org/'>external link, not a request</a>"
        "<img alt='fine' src='data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAA"
        "DUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg=='>"
        "<img alt='broken' src='data:image/png;base64,AAAA'>"
        "<table><tr><th>volume_mtco2e</th><th>Volume (MtCO2e)</th></tr><tr><td>eu_ets</td><td>1</td></tr>"
        "<tr><td>EU ETS</td><td>2</td></tr></table><p>café, and one character no font has: \U000F0000</p>"
        "<p>the subtotal (**24,669**) and <code>a ** b</code></p>"
        "<div data-mime-type='application/vnd.jupyter.stderr'><pre>run.py:117: UserWarning: Glyph 34920"
        " (\\N{CJK UNIFIED IDEOGRAPH-8868}) missing from font(s) DejaVu Sans.\n  fig.savefig()</pre></div>"
        "<section class='run-record'><table><tr><td>not a result table</td></tr></table></section>"
        "<script>console.error('boom'); null.x;</script></body></html>", encoding="utf-8")
    report = browser.inspect(chromium, bad, screenshot=tmp_path / "shot.png")
    found = "\n".join(browser.problems(report, tmp_path))
    assert (tmp_path / "shot.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert report.tables == 1 and report.appendix_tables == 1
    assert "alt='broken'" in found and "alt='fine'" not in found
    assert "shows 1 tables outside the run-record appendix, but its output index lists 2" in found
    assert "broken link #nowhere: no element with this id" in found
    assert "broken link other.html#gone: other.html has no element with id 'gone'" in found
    assert "broken link missing.html: no file" in found
    assert "#ok" not in found and "other.html#here" not in found and "example.org" not in found
    assert f"tofu: no font draws 1 characters {chr(0xF0000)!r} (in p;" in found
    assert ("tofu in a figure: run.py:117: UserWarning: Glyph 34920 (\\N{CJK UNIFIED IDEOGRAPH-8868})"
            " missing from font(s) DejaVu Sans.\n") in found
    assert "console error: boom" in found
    assert "page error:" in found and "null" in found
    assert "request leaves the page: https://example.invalid/style.css" in found
    assert "identifier in a table header: 'volume_mtco2e'" in found and "'Volume (MtCO2e)'" not in found
    assert "identifier in the first column of a table: 'eu_ets'" in found and "'EU ETS'" not in found
    assert "Markdown not rendered, '**' shown: 'the subtotal (**24,669**) and'" in found
    assert "a ** b" not in found

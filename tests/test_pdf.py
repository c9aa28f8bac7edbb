"""The PDF edition (``python -m carbonlib pdf``, what ``make pdf`` runs).

Prints the already-built papers of both editions (built first if missing, as
``tests/test_browser.py`` does) into a temporary folder through Debian's Chromium, then renders
the first pages of every PDF with poppler's ``pdftoppm`` and checks they are not blank, that the
combined paper has more than one page, and that the zh-TW PDF holds its Chinese text
(``pdftotext``). ``make test`` installs chromium and poppler-utils when they are missing
(``tools/ensure_chromium.sh``); without them these tests fail, naming the package.
"""

from __future__ import annotations

import fcntl
import html
import re
import shutil
import subprocess
import sys

import pytest

from carbonlib.workbench import i18n, paths, pdf

from . import browser

BUILD = paths.build_dir()
#: share of the pixels of a rendered first page that must be ink (not near-white)
MIN_INK = 0.005
#: a PNG of 1x1 pixel, and one that does not decode
GOOD_PNG = ("data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9Q"
            "DwADhgGAWjR9awAAAABJRU5ErkJggg==")
BAD_PNG = "data:image/png;base64,AAAA"


def _tool(name: str) -> str:
    found = shutil.which(name)
    if not found:
        pytest.fail(f"{name} not found: the PDF checks need Debian's poppler-utils "
                    "(apt-get install -y --no-install-recommends poppler-utils; "
                    "make test installs it through tools/ensure_chromium.sh as root or with sudo)")
    return found


def _ensure_editions() -> None:
    """Both editions' papers, built (into the default build folder) if missing."""
    browser.ensure_built(BUILD)
    index = BUILD / "zh-TW" / "html" / "index.html"
    if index.is_file():
        return
    with open(BUILD / ".ensure-built.lock", "w") as lock:  # one pytest worker builds, the others wait
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not index.is_file():
            result = subprocess.run([sys.executable, "-m", "carbonlib", "build", "--lang", "zh-TW"],
                                    cwd=paths.ROOT, capture_output=True, text=True,
                                    timeout=browser.BUILD_TIMEOUT_S)
            assert index.is_file(), (f"{index}: missing after `python -m carbonlib build --lang zh-TW` "
                                     f"(exit {result.returncode}):\n{result.stderr[-3000:]}")


def _pages(file) -> int:
    out = subprocess.run([_tool("pdfinfo"), str(file)], capture_output=True, text=True, check=True).stdout
    return int(re.search(r"^Pages:\s+(\d+)", out, re.M).group(1))


def _ink(file, tmp_path, pages: int = 2) -> list[float]:
    """Share of non-white pixels on each of the first ``pages`` pages (rendered in grey)."""
    from PIL import Image

    prefix = tmp_path / file.stem
    subprocess.run([_tool("pdftoppm"), "-gray", "-r", "40", "-f", "1", "-l", str(pages), str(file), str(prefix)],
                   check=True, capture_output=True, timeout=120)
    shares = []
    for png in sorted(tmp_path.glob(f"{file.stem}-*.pgm")):
        with Image.open(png) as im:
            histogram = im.convert("L").histogram()
        shares.append(sum(histogram[:240]) / sum(histogram))
    return shares


def _text(file) -> str:
    out = subprocess.run([_tool("pdftotext"), "-layout", str(file), "-"], capture_output=True, text=True,
                         check=True, timeout=120).stdout
    return re.sub(r"\s+", "", out)


@pytest.fixture(scope="module")
def printed(tmp_path_factory):
    """Every paper of both editions printed into a temporary folder: {lang: folder}."""
    _tool("pdftoppm")
    _ensure_editions()
    out = {lang: tmp_path_factory.mktemp(f"pdf-{lang}") for lang in i18n.LANGS}
    pdf.print_pdfs(list(i18n.LANGS), out_dirs=out, force=True)
    return out


def test_every_paper_prints_to_a_pdf_that_is_not_blank_and_zh_tw_holds_its_text(printed, tmp_path):
    stems = ["index"] + [nb.stem for nb in sorted(paths.notebooks_dir().glob("*.ipynb"))]
    for lang, folder in printed.items():
        missing = [s for s in stems if not (folder / f"{s}.pdf").is_file()]
        assert not missing, f"{lang}: no PDF for {missing}"
        assert not list(folder.glob(".*.tmp")), "a temporary file of atomic_write was left behind"
        work = tmp_path / lang
        work.mkdir()
        for stem in stems:
            file = folder / f"{stem}.pdf"
            assert file.read_bytes()[:5] == b"%PDF-", file
            shares = _ink(file, work)
            assert shares and all(s > MIN_INK for s in shares), \
                f"{lang}/{stem}.pdf: a first page is blank (ink share per page {shares})"
        assert _pages(folder / "index.pdf") > 1, f"{lang}/index.pdf has one page"
        assert _pages(folder / "index.pdf") > _pages(folder / f"{stems[1]}.pdf")
        info = subprocess.run([_tool("pdfinfo"), str(folder / "index.pdf")], capture_output=True, text=True).stdout
        assert "(A4)" in info, info
    # the zh-TW edition holds its Chinese text (in the same test: the papers are printed once)
    text = _text(printed["zh-TW"] / "index.pdf")
    for heading in ("Carbon markets and the EU ETS: the workbooks", "Abstract", "Contents"):
        zh = i18n.translate(heading, "zh-TW")
        assert re.search(r"[\u4e00-\u9fff]", zh), f"no Traditional Chinese for {heading!r}"
        assert re.sub(r"\s+", "", zh) in text, f"zh-TW/index.pdf: heading {zh!r} not found in its text"
    english = _text(printed["en"] / "index.pdf")
    assert "Carbonmarketsandthe" in english and "Abstract" in english


def _fake_edition(root, body: str = "<p>A paper.</p>") -> list:
    """A build folder with an English index and one tiny paper per workbook."""
    html_dir = root / "html"
    html_dir.mkdir(parents=True)
    stems = ["index"] + [nb.stem for nb in sorted(paths.notebooks_dir().glob("*.ipynb"))]
    for stem in stems:
        (html_dir / f"{stem}.html").write_text(
            f"<!DOCTYPE html><html><head><meta charset='utf-8'><title>{stem}</title></head>"
            f"<body><h1>{stem}</h1>{body}</body></html>", encoding="utf-8")
    return stems


def test_no_papers_built_says_which_folder_and_to_run_make(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("CARBONLIB_BUILD_DIR", str(tmp_path / "empty"))
    with pytest.raises(pdf.PdfError, match=r"no papers built yet: .*empty/html is missing; run `make`"):
        pdf.print_pdfs(["en"])
    from carbonlib.workbench.cli import main

    assert main(["pdf", "--lang", "zh-TW"]) == 1
    err = capsys.readouterr().err.strip()
    assert err.count("\n") == 0 and "zh-TW/html is missing" in err and "make" in err, err


def test_missing_chromium_is_one_clear_line(tmp_path, monkeypatch):
    monkeypatch.setenv("CARBONLIB_BUILD_DIR", str(tmp_path))
    _fake_edition(tmp_path)
    monkeypatch.setattr(pdf.shutil, "which", lambda name: None)
    monkeypatch.setattr(pdf.os, "access", lambda *a, **k: False)
    with pytest.raises(pdf.PdfError) as info:
        pdf.print_pdfs(["en"])
    message = str(info.value)
    assert "\n" not in message and message.startswith("chromium: no executable"), message
    assert "apt-get install -y --no-install-recommends chromium" in message
    assert not (tmp_path / "pdf").exists()


def test_a_failed_print_leaves_no_half_written_file(tmp_path, monkeypatch):
    monkeypatch.setenv("CARBONLIB_BUILD_DIR", str(tmp_path))
    stems = _fake_edition(tmp_path, f"<img alt='fine' src='{GOOD_PNG}'>")
    first = pdf.print_pdfs(["en"])
    assert [p.pdf.stem for p in first] == stems and not any(p.skipped for p in first)
    assert all(p.pdf.parent == tmp_path / "pdf" for p in first)
    again = pdf.print_pdfs(["en"])
    assert all(p.skipped for p in again), "an up-to-date PDF was printed again"
    # one paper gains an image that does not decode: its print fails, its old PDF stays
    target = tmp_path / "pdf" / f"{stems[1]}.pdf"
    before = target.read_bytes()
    (tmp_path / "html" / f"{stems[1]}.html").write_text(
        f"<!DOCTYPE html><html><body><img alt='broken one' src='{BAD_PNG}'></body></html>", encoding="utf-8")
    with pytest.raises(pdf.PdfError, match="image not decoded: 'broken one'"):
        pdf.print_pdfs(["en"], force=True)
    assert target.read_bytes() == before
    assert not [f.name for f in (tmp_path / "pdf").iterdir() if f.suffix != ".pdf"], "a temporary file is left"


_FIGURE = re.compile(r'<figure class="cl-figure"[^>]*>(.*?)</figure>', re.S)
_ALT = re.compile(r'<img\b[^>]*\balt="([^"]*)"')
_CAPTION = re.compile(r'<figcaption><span class="cl-num"[^>]*>([^<]*)</span>\s*(.*?)</figcaption>', re.S)


def _figures():
    _ensure_editions()
    found = []
    for lang in i18n.LANGS:
        for paper in sorted((paths.edition_dir(lang) / "html").glob("*.html")):
            for block in _FIGURE.findall(paper.read_text(encoding="utf-8")):
                alt, caption = _ALT.search(block), _CAPTION.search(block)
                assert alt and caption, f"{paper}: a figure without alt text or numbered caption"
                found.append((paper, html.unescape(alt.group(1)), html.unescape(caption.group(1)),
                              html.unescape(re.sub(r"<[^>]+>", "", caption.group(2))).strip()))
    assert found, "no figures in the papers"
    return found


def test_every_figure_has_alt_text_from_its_translated_caption():
    wrong = [f"{p.relative_to(BUILD)}: {number} alt={alt!r}, caption={caption!r}"
             for p, alt, number, caption in _figures() if not alt.strip() or caption not in alt]
    assert not wrong, "figures whose alt text is not their caption:\n  " + "\n  ".join(wrong[:10])
    zh = [alt for p, alt, _, _ in _figures() if "zh-TW" in p.parts]
    assert zh and all(re.search(r"[\u4e00-\u9fff]", alt) for alt in zh), "a zh-TW alt text is not translated"


def test_every_figure_alt_text_carries_its_number():
    wrong = [f"{p.relative_to(BUILD)}: alt={alt!r} does not start with {number!r}"
             for p, alt, number, _ in _figures() if not alt.startswith(number)]
    assert not wrong, "\n  ".join(wrong[:10])

"""The Traditional Chinese edition reads as Chinese: in every zh-TW paper of the build (each
workbook's and the combined paper), the prose is at least 95 % CJK characters among its
letters, and no caption, source line, table or figure keeps an English word beyond the names,
units and formulas the reports leave in English (tests/zh.py says what is counted)."""

from __future__ import annotations

import fcntl
import json
import re
import subprocess
import sys

import pytest

from carbonlib.workbench import paths

from . import zh

STEMS = [p.stem for p in sorted(paths.notebooks_dir().glob("*.ipynb"))]
MIN_CJK_SHARE = 0.95


@pytest.fixture(scope="module")
def zh_root():
    """``build/zh-TW/``, built with ``python -m carbonlib build --lang zh-TW`` if it has no combined paper."""
    root = paths.edition_dir("zh-TW")
    index = root / "html" / "index.html"
    if not index.is_file():
        root.mkdir(parents=True, exist_ok=True)
        with open(root / ".ensure-built.lock", "w") as lock:  # one pytest worker builds, the others wait
            fcntl.flock(lock, fcntl.LOCK_EX)
            if not index.is_file():
                result = subprocess.run([sys.executable, "-m", "carbonlib", "build", "--lang", "zh-TW"],
                                        cwd=paths.ROOT, capture_output=True, text=True, timeout=1800)
                assert index.is_file(), (f"{index}: missing after `python -m carbonlib build --lang zh-TW`:\n"
                                         + (result.stdout + result.stderr)[-3000:])
    return root


def _paper(root, stem: str) -> str:
    path = root / "html" / f"{stem}.html"
    assert path.is_file(), f"{path}: not built"
    return path.read_text(encoding="utf-8")


@pytest.mark.parametrize("stem", STEMS + ["index"])
def test_prose_is_chinese(zh_root, stem):
    prose = zh.visible_prose(_paper(zh_root, stem))
    share = zh.cjk_share(prose)
    latin = [r.strip() for r in re.findall(r"[A-Za-z][A-Za-z0-9 '’\-]{12,}", prose)]
    assert share >= MIN_CJK_SHARE, (f"{stem}.html: CJK share of the prose {share:.3f} < {MIN_CJK_SHARE}; "
                                    f"longest Latin runs: {sorted(latin, key=len)[-8:]}")


@pytest.mark.parametrize("stem", STEMS + ["index"])
def test_captions_and_sources_have_no_english_word(zh_root, stem):
    found = {c: zh.english_words(c) for c in zh.captions(_paper(zh_root, stem))}
    found = {c: w for c, w in found.items() if w}
    assert not found, f"{stem}.html: English left in captions or source lines: {found}"


@pytest.mark.parametrize("stem", STEMS)
def test_figures_have_no_english_word(zh_root, stem):
    outputs = json.loads((zh_root / "outputs" / f"{stem}.json").read_text(encoding="utf-8"))["outputs"]
    figures = [o for o in outputs if o["kind"] == "figure"]
    assert figures and all("texts" in o for o in figures), f"{stem}: the zh-TW run recorded no figure texts"
    found = {f"{o['name']}: {t!r}": zh.english_words(t) for o in figures for t in o["texts"]}
    found = {k: w for k, w in found.items() if w}
    assert not found, f"{stem}: English words in zh-TW figures: {found}"


@pytest.mark.parametrize("stem", STEMS)
def test_tables_have_no_english_sentence(zh_root, stem):
    """Headers and cells: no text with two or more English words, except data quoted as printed
    (a cell of data/raw) or as published (a cell of data/published: the title of a document in its
    own language)."""
    printed = "\n".join(f.read_text(encoding="utf-8") for folder in ("raw", "published")
                        for f in (paths.ROOT / "data" / folder).rglob("*.csv"))
    found = [c for c in zh.english_sentences(zh.table_cells(_paper(zh_root, stem))) if c not in printed]
    assert not found, f"{stem}.html: English in zh-TW table headers or cells: {sorted(set(found))[:20]}"


def test_kept_words_are_names_units_and_formulas():
    assert zh.english_words("歐盟排放配額 EUA 價格 (EUR/tCO2e)，CO2 與 N2O，BlueNext 交易所") == []
    assert zh.english_words("the price of EUAs rose") == ["the", "price", "of", "rose"]
    assert zh.english_words("檔案 001_b0950b57165db085.txt 與參數 `use_printed_factors`") == []


def test_readme_has_a_traditional_chinese_section():
    readme = (paths.ROOT / "README.md").read_text(encoding="utf-8")
    m = re.search(r"^## 繁體中文說明\n(.*?)(?=^## |\Z)", readme, re.S | re.M)
    assert m, "README.md: no section headed '## 繁體中文說明'"
    section = m.group(1)
    assert "`make test`" in section and "`make`" in section and "build/zh-TW/html/" in section
    words = re.sub(r"`[^`]*`", " ", section)  # commands and paths are code
    assert zh.cjk_share(words) >= MIN_CJK_SHARE, f"README.md, 繁體中文說明: CJK share {zh.cjk_share(words):.3f}"

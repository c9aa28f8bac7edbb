"""Valid price histories always give workbook 06 a paper (issue 16).

A researcher's history may cover the last few years only, one phase, or a few weeks, and may
come from a European spreadsheet (``;`` and decimal commas), with day-first dates or with extra
columns. Each such file must build the whole paper: every section the history supports is
filled, and each one it cannot support says why in one sentence, in both editions, and is
listed in the run record (``outputs/06_eua_prices.json``, ``notes``) and in the paper's last
section.

The histories are windows of the committed synthetic history
(``tests/fixtures/prices/synthetic_eua_daily_plain.csv``, illustrative, not observed prices),
written in the formats people export.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from carbonlib.workbench import i18n

from .conftest import FIXTURES
from .generative import BUILD_SETTINGS

NB = "06_eua_prices"
SYNTHETIC = FIXTURES / "prices" / "synthetic_eua_daily_plain.csv"
FORMATS = ("plain", "semicolon_decimal_comma", "day_first", "investing", "extra_columns")

#: What each section of 06 writes when the history supports it (tables, figures).
SECTION_OUTPUTS = {
    "fig4_window": ((), ("fig4_price_volume",)),
    "rolling_volatility": ((), ("volatility",)),
    "unit_root_tests": (("unit_root_tests",), ()),
    "break_tests": (("break_tests",), ()),
    "arima_model": (("arima_coefficients", "arima_diagnostics", "arima_forecast"), ("arima_forecast",)),
}


def _synthetic() -> pd.DataFrame:
    frame = pd.read_csv(SYNTHETIC, parse_dates=["date"]).set_index("date")
    return frame.rename(columns={"price": "price_eur_per_t"})


HISTORY = _synthetic()


def write_history(window: pd.DataFrame, path: Path, fmt: str, volume: bool = True) -> Path:
    """Write a window of the synthetic history as a user's export of kind ``fmt``."""
    has_volume = volume and "volume" in window
    vol = window["volume"] if has_volume else None

    def volume_text(v):
        return "" if pd.isna(v) else f"{int(v)}"

    lines = []
    if fmt in ("plain", "extra_columns"):
        head = ["date", "price"] + (["volume"] if has_volume else []) + (["open", "note"] if fmt == "extra_columns" else [])
        lines.append(",".join(head))
        for d, row in window.iterrows():
            cells = [f"{d:%Y-%m-%d}", f"{row['price_eur_per_t']:.2f}"]
            cells += [volume_text(vol[d])] if has_volume else []
            cells += [f"{row['price_eur_per_t']:.2f}", "synthetic"] if fmt == "extra_columns" else []
            lines.append(",".join(cells))
    elif fmt == "semicolon_decimal_comma":
        lines.append(";".join(["date", "price"] + (["volume"] if has_volume else [])))
        for d, row in window.iterrows():
            cells = [f"{d:%Y-%m-%d}", f"{row['price_eur_per_t']:.2f}".replace(".", ",")]
            cells += [volume_text(vol[d])] if has_volume else []
            lines.append(";".join(cells))
    elif fmt == "day_first":
        lines.append(",".join(["date (dd/mm/yyyy)", "price"] + (["volume"] if has_volume else [])))
        for d, row in window.iterrows():
            cells = [f"{d:%d/%m/%Y}", f"{row['price_eur_per_t']:.2f}"]
            cells += [volume_text(vol[d])] if has_volume else []
            lines.append(",".join(cells))
    elif fmt == "investing":
        lines.append('"Date","Price","Open","High","Low","Vol.","Change %"')
        for d, row in window.iloc[::-1].iterrows():  # newest first, as the web export
            p = f"{row['price_eur_per_t']:.2f}"
            v = "" if vol is None or pd.isna(vol[d]) else f"{vol[d] / 1000:g}K"
            lines.append(f'"{d:%m/%d/%Y}","{p}","{p}","{p}","{p}","{v}","0.00%"')
    else:  # pragma: no cover - a test's typo
        raise ValueError(fmt)
    prefix = "\ufeff" if fmt == "investing" else ""
    path.write_text(prefix + "\n".join(lines) + "\n", encoding="utf-8")
    return path


def _build(price_file: Path, *lang: str) -> subprocess.CompletedProcess:
    args = [sys.executable, "-m", "carbonlib", "build", NB, "-p", "price_file", str(price_file)]
    if lang:
        args += ["--lang", lang[0]]
    return subprocess.run(args, capture_output=True, text=True, timeout=600)


def _check_paper(build_dir: Path, window: pd.DataFrame, langs=("en", "zh-TW")) -> dict:
    """Assert what every build of a valid history must satisfy; return the run record's notes by section."""
    record = json.loads((build_dir / "outputs" / f"{NB}.json").read_text(encoding="utf-8"))
    notes = {n["section"]: n for n in record.get("notes", [])}
    tables = {p.stem for p in (build_dir / "tables" / NB).glob("*.csv")}
    figures = {p.stem for p in (build_dir / "figures" / NB).glob("*.png")}
    for section, (section_tables, section_figures) in SECTION_OUTPUTS.items():
        built = section not in notes or notes[section]["supported"]
        for name in section_tables:
            assert (name in tables) == built, (section, name, notes.get(section))
        for name in section_figures:
            assert (name in figures) == built, (section, name, notes.get(section))
    # the paper: each note where its section stands, in each edition; the last section lists them
    values = json.loads((build_dir / "values" / f"{NB}.json").read_text(encoding="utf-8"))
    assert values["sections_skipped"] == [s for s, n in notes.items() if not n["supported"]]
    for lang in langs:
        root = build_dir if lang == "en" else build_dir / lang
        paper = (root / "html" / f"{NB}.html").read_text(encoding="utf-8")
        for note in notes.values():
            for sentence in note["note"].splitlines():
                shown = i18n.translate(sentence, lang)
                assert shown != sentence or lang == "en", f"note not translated: {sentence}"
                assert _escaped(shown) in paper, shown
    # the run record: the manifest keeps the notes, and the paper's appendix lists the skipped sections
    for lang in langs:
        root = build_dir if lang == "en" else build_dir / lang
        entry = json.loads((root / "manifest.json").read_text(encoding="utf-8"))["notebooks"][NB]
        assert entry["notes"] == record["notes"] if lang == "en" else [n["section"] for n in entry["notes"]] == list(notes)
        appendix = (root / "html" / f"{NB}.html").read_text(encoding="utf-8").split('id="run-record"')[1]
        heading = i18n.translate("Sections the input could not support", lang)
        assert (heading in appendix) == any(not n["supported"] for n in notes.values()), lang
    # identities of the tables
    dates = window.index.unique()
    stats = pd.read_csv(build_dir / "tables" / NB / "describe_by_phase.csv")
    assert stats["observations"].sum() == len(dates)
    assert pd.to_datetime(stats["first_date"]).min() == dates.min()
    assert pd.to_datetime(stats["last_date"]).max() == dates.max()
    assert (stats["min_eur_per_t"] <= stats["mean_eur_per_t"] + 1e-9).all()
    assert (stats["mean_eur_per_t"] <= stats["max_eur_per_t"] + 1e-9).all()
    summary = pd.read_csv(build_dir / "tables" / NB / "findings_summary.csv")
    unexplained = pd.read_csv(build_dir / "tables" / NB / "findings.csv")
    assert summary.loc[summary["explained"] == "unexplained", "count"].sum() == len(unexplained)
    facts = pd.read_csv(build_dir / "tables" / NB / "quoted_facts.csv")
    assert set(facts["status"]) <= {"agrees", "disagrees", "not checkable"}
    if "arima_forecast" in tables:
        fc = pd.read_csv(build_dir / "tables" / NB / "arima_forecast.csv")
        assert ((fc["lower_eur_per_t"] <= fc["price_eur_per_t"]) & (fc["price_eur_per_t"] <= fc["upper_eur_per_t"])).all()
    return notes


def _escaped(text: str) -> str:
    import html

    return html.escape(text, quote=False)


NAMED = {
    # the cases: the last years only, one whole phase, a few weeks, a European export
    "phase4_only": (("2021-01-04", "2024-04-08"), "plain"),
    "phase2_only": (("2008-01-02", "2012-12-31"), "plain"),
    "three_weeks": (("2024-03-18", "2024-04-05"), "plain"),
    "semicolon_decimal_comma": (("2021-01-04", "2024-04-08"), "semicolon_decimal_comma"),
}


@pytest.mark.parametrize("case", sorted(NAMED))
def test_named_history_builds_a_complete_paper_in_both_editions(case, build_dir, tmp_path):
    (start, end), fmt = NAMED[case]
    window = HISTORY.loc[start:end]
    start, end = f"{window.index.min():%Y-%m-%d}", f"{window.index.max():%Y-%m-%d}"  # its first and last trading days
    result = _build(write_history(window, tmp_path / f"{case}.csv", fmt))
    assert result.returncode == 0, result.stdout + result.stderr
    notes = _check_paper(build_dir, window)
    skipped = {s for s, n in notes.items() if not n["supported"]}
    release = "the break at the verified-emissions release (2006-04-25) cannot be tested."
    if case in ("phase4_only", "semicolon_decimal_comma"):
        assert skipped == {"fig4_window", "break_tests"}
        assert notes["break_tests"]["note"] == f"This history starts on {start}, so {release}"
        assert notes["fig4_window"]["note"].startswith(f"This history covers {start} to {end}, none of the window of 圖4")
    elif case == "phase2_only":
        assert skipped == {"break_tests", "arima_model"}
        assert notes["arima_model"]["note"] == (f"This history ends on {end}, before the ARIMA sample's first date "
                                                "(2021-01-01), so no ARIMA model is fitted.")
    else:
        n = len(window)
        assert skipped == {"fig4_window", "rolling_volatility", "unit_root_tests", "break_tests", "arima_model"}
        assert notes["rolling_volatility"]["note"].startswith(f"This history has at most {n - 1} daily returns")
        assert notes["arima_model"]["note"] == (f"This history has {n} closes from 2021-01-01, fewer than the 50 "
                                                "an ARIMA model needs, so none is fitted.")
    if case == "semicolon_decimal_comma":  # read to the same numbers as the plain file
        plain = pd.read_csv(build_dir / "tables" / NB / "describe_by_phase.csv")
        assert_window_stats(plain, window)


def assert_window_stats(stats: pd.DataFrame, window: pd.DataFrame) -> None:
    """The per-phase minimum and maximum closes are the window's own (no decimal misread)."""
    np.testing.assert_allclose(stats["min_eur_per_t"].min(), window["price_eur_per_t"].min(), rtol=0, atol=1e-9)
    np.testing.assert_allclose(stats["max_eur_per_t"].max(), window["price_eur_per_t"].max(), rtol=0, atol=1e-9)


@st.composite
def history_windows(draw):
    """A sub-window of the synthetic multi-phase history: 1 day to the whole, in any export format."""
    n = len(HISTORY)
    length = draw(st.one_of(st.integers(1, 40), st.integers(41, n)))
    start = draw(st.integers(0, n - length))
    return start, length, draw(st.sampled_from(FORMATS)), draw(st.booleans())


@BUILD_SETTINGS
@given(history_windows())
def test_any_window_in_any_format_builds_a_paper(build_dir, tmp_path_factory, drawn):
    start, length, fmt, volume = drawn
    window = HISTORY.iloc[start:start + length]
    folder = tmp_path_factory.mktemp("history")
    result = _build(write_history(window, folder / "history.csv", fmt, volume), "en")
    assert result.returncode == 0, f"{window.index.min():%Y-%m-%d}–{window.index.max():%Y-%m-%d} {fmt}: " + result.stdout + result.stderr
    _check_paper(build_dir, window, langs=("en",))
    assert_window_stats(pd.read_csv(build_dir / "tables" / NB / "describe_by_phase.csv"), window)

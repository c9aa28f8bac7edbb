"""The build runner, on two small fixture workbooks (one fails on purpose).

Runs ``python -m carbonlib build`` as a user would, with the notebooks folder and the build
folder pointed at temporary copies.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import time

import pytest

from .conftest import FIXTURES, ROOT


@pytest.fixture
def project(tmp_path):
    nbdir = tmp_path / "notebooks"
    nbdir.mkdir()
    for f in (FIXTURES / "notebooks").glob("*.ipynb"):
        shutil.copy(f, nbdir / f.name)
    env = {**os.environ, "CARBONLIB_NOTEBOOKS_DIR": str(nbdir), "CARBONLIB_BUILD_DIR": str(tmp_path / "build")}
    env.pop("CARBONLIB_STAGE_DIR", None)
    env.pop("CARBONLIB_EUA_PRICES", None)

    def build(*args):
        return subprocess.run([sys.executable, "-m", "carbonlib", "build", "-j", "2", *args], cwd=ROOT,
                              env=env, capture_output=True, text=True, timeout=600)

    build.out = tmp_path / "build"
    build.nbdir = nbdir
    return build


def test_build_publishes_papers_tables_figures_and_manifest_and_names_the_failure(project):
    result = project()
    assert result.returncode == 1, result.stderr
    assert 'failing: failed in cell 4, line 2 `raise RuntimeError("deliberate failure")`: RuntimeError: deliberate failure' in result.stderr
    assert "without encryption" not in result.stderr, "kernels run over IPC: no TCP warning on the build's lines"
    out = project.out
    for rel in ["html/demo.html", "html/code/demo.html", "notebooks/demo.ipynb", "tables/demo/points.csv",
                "figures/demo/points.png", "figures/demo/points.svg", "values/demo.json", "failed/failing.ipynb"]:
        assert (out / rel).is_file(), rel
    assert not (out / "html" / "failing.html").exists()
    assert not (out / ".stage").exists()
    table = (out / "tables/demo/points.csv").read_text()
    assert table.splitlines()[0] == "x,y_mtco2e" and table.splitlines()[-1] == "4,8000.0"
    entry = json.loads((out / "manifest.json").read_text())["notebooks"]["demo"]
    assert entry["status"] == "ok" and entry["parameters"] == {"scale": 2.0, "label": "demo", "n_points": 5,
                                                          "lang": "en"}
    assert len(entry["notebook_sha256"]) == 64 and len(entry["carbonlib_sha256"]) == 64
    assert entry["packages"]["pandas"] and entry["duration_s"] > 0
    assert "failing" not in json.loads((out / "manifest.json").read_text())["notebooks"]
    index = (out / "html/index.html").read_text()
    assert 'id="chapter-1"' in index and '<a href="demo.html">demo.html</a>' in index
    assert 'data-number="1">Table 1.1.</span> Points' in index, "tables are numbered by chapter"
    assert "Abstract" in index and 'href="#c1-A-table"' in index
    assert "failing.html" not in index


def test_paper_is_standalone_with_contents_hidden_code_and_run_record(project):
    project("demo")
    page = (project.out / "html/demo.html").read_text()
    assert '<nav class="toc"' in page and 'href="#A-table"' in page
    assert "<script" not in page.lower()
    assert not re.search(r'(src|href)="(https?:)?//', page)
    assert "data:image/png;base64," in page
    assert "Appendix: run record" in page and "n_points" in page
    # numbered, captioned, sourced; numbers formatted; units in headers
    assert '<figcaption><span class="cl-num" data-kind="table" data-number="1">Table 1.</span> Points' in page
    assert "Source: 000_318ba4d3771c8f90.txt, 表1 (test)" in page
    assert '<th scope="col">Y (MtCO2e)</th>' in page and '<td class="num">8,000</td>' in page
    assert 'data-kind="figure" data-number="1">Figure 1.</span> Points' in page
    assert page.count("<img ") == 1, "the figure is shown once"
    assert "@font-face" in page, "the CJK glyphs of the page are embedded"
    assert "hl-ipython3" not in page
    code_page = (project.out / "html/code/demo.html").read_text()
    assert "hl-ipython3" in code_page and "deliberate" not in code_page


def test_unchanged_notebook_is_skipped_and_parameters_change_rebuilds(project):
    assert project("demo").returncode == 0
    again = project("demo")
    assert again.returncode == 0 and "unchanged, skipped: demo" in again.stderr
    changed = project("demo", "-p", "scale", "3")
    assert changed.returncode == 0 and "ok      demo" in changed.stderr
    assert (project.out / "tables/demo/points.csv").read_text().splitlines()[-1] == "4,12000.0"


def test_a_failure_leaves_the_previous_good_outputs_in_place(project):
    assert project("failing", "-p", "fail", "false").returncode == 0
    good = (project.out / "html/failing.html").read_bytes()
    manifest = json.loads((project.out / "manifest.json").read_text())
    failed = project("failing")
    assert failed.returncode == 1
    assert (project.out / "html/failing.html").read_bytes() == good
    assert json.loads((project.out / "manifest.json").read_text()) == manifest
    assert (project.out / "failed/failing.ipynb").is_file()


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["demo", "-p", "scale", "abc"], "parameter 'scale' must be float, got str 'abc'"),
        (["demo", "-p", "colour", "red"], "unknown parameter 'colour'. It accepts: scale (float"),
        (["demo", "-f", "nosuch"], "unknown scenario 'nosuch'"),
        (["nothing_here"], "notebook 'nothing_here' matches no workbook"),
        (["-p", "scale", "2"], "-p/-f apply to one notebook"),
    ],
)
def test_bad_parameters_fail_before_any_cell_runs(project, args, message):
    result = project(*args)
    assert result.returncode == 2
    assert message in result.stderr
    assert not (project.out / "notebooks").exists()


def test_unwritable_build_folder_is_named(project, tmp_path):
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    env = {**os.environ, "CARBONLIB_NOTEBOOKS_DIR": str(project.nbdir), "CARBONLIB_BUILD_DIR": str(blocker / "build")}
    result = subprocess.run([sys.executable, "-m", "carbonlib", "build", "demo"], cwd=ROOT, env=env,
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 2
    assert f"cannot write to the build folder {blocker / 'build'}" in result.stderr


def test_a_killed_build_leaves_earlier_outputs_intact_and_the_next_build_completes(project):
    import signal
    import time

    assert project("slow", "-p", "value", "1").returncode == 0
    table = project.out / "tables/slow/value.csv"
    assert table.read_text().splitlines() == ["value", "1"]
    env = {**os.environ, "CARBONLIB_NOTEBOOKS_DIR": str(project.nbdir), "CARBONLIB_BUILD_DIR": str(project.out)}
    proc = subprocess.Popen([sys.executable, "-m", "carbonlib", "build", "slow", "-p", "seconds", "60",
                             "-p", "value", "2"], cwd=ROOT, env=env, stderr=subprocess.DEVNULL,
                            start_new_session=True)
    deadline = time.monotonic() + 120
    while not list((project.out / ".stage").glob("slow-*/inputs.jsonl")) and time.monotonic() < deadline:
        if list((project.out / ".stage").glob("slow-*")):
            time.sleep(3)  # the kernel is running the notebook's cells
            break
        time.sleep(0.2)
    os.killpg(proc.pid, signal.SIGKILL)
    proc.wait(timeout=30)
    assert table.read_text().splitlines() == ["value", "1"]
    assert json.loads((project.out / "manifest.json").read_text())["notebooks"]["slow"]["parameters"]["value"] == 1
    again = project("slow", "-p", "value", "3")
    assert again.returncode == 0, again.stderr
    assert table.read_text().splitlines() == ["value", "3"]
    assert not (project.out / ".stage").exists()


def test_two_clean_builds_give_identical_tables_and_figures(project, tmp_path):
    stamp = re.compile(rb"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+00:00")

    def outputs():
        data = {p.relative_to(project.out): p.read_bytes() for p in project.out.rglob("*")
                if p.is_file() and (p.parts[-3] in {"tables", "figures"} or p.parts[-2] in {"values", "outputs"})}
        html = {p.relative_to(project.out): p.read_bytes() for p in (project.out / "html").rglob("*.html")}
        return data, html

    assert project("demo").returncode == 0
    first, first_html = outputs()
    shutil.rmtree(project.out)
    time.sleep(1.1)  # a later second, so the build dates differ
    assert project("demo").returncode == 0
    second, second_html = outputs()
    # both editions: CSV tables, PNG + SVG, values and outputs index, each
    assert len(first) == 10 and first == second
    # the HTML papers and the index: identical but for the build date
    assert sorted(map(str, first_html)) == ["html/code/demo.html", "html/demo.html", "html/index.html"]
    for name, page in first_html.items():
        assert stamp.findall(page) and stamp.findall(page) != stamp.findall(second_html[name]), name
        assert stamp.sub(b"<date>", page) == stamp.sub(b"<date>", second_html[name]), name


_STAMP = re.compile(rb"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+00:00")


def _edition_files(root):
    """An edition's tables, figures, values and outputs index, and its papers, as bytes."""
    data = {p.relative_to(root): p.read_bytes() for p in root.rglob("*")
            if p.is_file() and "zh-TW" not in p.relative_to(root).parts[:1]
            and (p.parts[-3] in {"tables", "figures"} or p.parts[-2] in {"values", "outputs"})}
    papers = {p.relative_to(root): _STAMP.sub(b"<date>", p.read_bytes()) for p in (root / "html").rglob("*.html")
              if p.name != "index.html"}
    return data, papers


@pytest.mark.parametrize("workbook", ["demo", "02_kyoto_supply_demand"])
def test_one_execution_gives_each_edition_as_a_build_of_that_edition_alone(workbook, tmp_path):
    if workbook == "demo":
        nbdir = tmp_path / "notebooks"
        nbdir.mkdir()
        shutil.copy(FIXTURES / "notebooks" / "demo.ipynb", nbdir / "demo.ipynb")
    else:
        nbdir = ROOT / "notebooks"
    env = {**os.environ, "CARBONLIB_NOTEBOOKS_DIR": str(nbdir)}
    env.pop("CARBONLIB_STAGE_DIR", None)

    def build(folder, *args):
        result = subprocess.run([sys.executable, "-m", "carbonlib", "build", workbook, *args], cwd=ROOT,
                                env={**env, "CARBONLIB_BUILD_DIR": str(tmp_path / folder)},
                                capture_output=True, text=True, timeout=600)
        assert result.returncode == 0, result.stderr
        return result.stderr

    said = build("both")
    assert "(en, zh-TW)" in said and said.count(" ok ") == 1, said  # executed once, for both editions
    build("zh", "--lang", "zh-TW")
    build("en", "--lang", "en")
    assert not (tmp_path / "zh" / "html").exists() and not (tmp_path / "en" / "zh-TW").exists()
    for alone, root, both in (("zh", tmp_path / "zh" / "zh-TW", tmp_path / "both" / "zh-TW"),
                              ("en", tmp_path / "en", tmp_path / "both")):
        data_alone, papers_alone = _edition_files(root)
        data_both, papers_both = _edition_files(both)
        assert data_alone and any(p.suffix == ".png" for p in data_alone), alone
        assert data_alone == data_both, alone  # byte-identical tables, figures, values
        assert papers_alone.keys() == papers_both.keys() and len(papers_alone) == 2, alone
        for name in papers_alone:
            assert papers_alone[name] == papers_both[name], (alone, name)  # identical but for the build time
    zh_paper = (tmp_path / "both" / "zh-TW" / "html" / f"{workbook}.html").read_text(encoding="utf-8")
    en_paper = (tmp_path / "both" / "html" / f"{workbook}.html").read_text(encoding="utf-8")
    assert 'lang="zh-TW"' in zh_paper and 'lang="en"' in en_paper and "圖 1．" in zh_paper and "Figure 1." in en_paper


def test_traditional_chinese_edition(project):
    assert project("demo").returncode == 0
    result = project("demo", "--lang", "zh-TW")
    assert result.returncode == 0, result.stderr
    zh = project.out / "zh-TW"
    page = (zh / "html/demo.html").read_text()
    assert '<html lang="zh-TW">' in page and "表 1．" in page and "附錄：執行紀錄" in page
    assert '<th scope="col">Y (MtCO2e)</th>' in page
    # each edition shows its own paragraphs: the zh-TW twins here, the English cells in English
    assert "<h1" in page and "示範工作簿" in page and "Demo workbook" not in page and "A minimal workbook" not in page
    assert re.search(r'最大的一點為 <span class="cl-value" data-value="y_max">8,000</span> 百萬公噸', page)
    english = (project.out / "html/demo.html").read_text()
    assert "Demo workbook" in english and "示範" not in english and "最大的一點" not in english
    assert (zh / "figures/demo/points.png").is_file()
    en_index = (project.out / "html/index.html").read_text()
    zh_index = (zh / "html/index.html").read_text()
    assert 'href="../zh-TW/html/index.html"' in en_index and 'href="../../html/index.html"' in zh_index
    assert "摘要" in zh_index and "第 1 章" in zh_index
    assert json.loads((zh / "manifest.json").read_text())["notebooks"]["demo"]["parameters"]["lang"] == "zh-TW"
    bad = project("demo", "-p", "lang", "fr")
    assert bad.returncode == 2 and "parameter 'lang' must be one of en, zh-TW, got 'fr'" in bad.stderr
    # the "not the default" box describes each parameter in the edition's language
    assert project("demo", "--lang", "zh-TW", "-p", "scale", "3").returncode == 0
    box = re.search(r'<aside class="cl-params".*?</aside>', (zh / "html/demo.html").read_text(), re.S).group(0)
    assert "非預設參數" in box and "<td>乘數，無因次</td><td><code>scale</code></td>" in box and "multiplier" not in box


def test_prose_is_filled_from_the_run_and_a_changed_parameter_is_boxed(project):
    assert project("demo").returncode == 0
    paper = (project.out / "html" / "demo.html").read_text(encoding="utf-8")
    assert '<span class="cl-value" data-value="y_max">8,000</span>' in paper
    assert 'class="cl-params"' not in paper, "a paper at the defaults has no parameter box"
    assert project("demo", "-p", "scale", "3").returncode == 0
    paper = (project.out / "html" / "demo.html").read_text(encoding="utf-8")
    assert '<span class="cl-value" data-value="y_max">12,000</span>' in paper
    assert '<span class="cl-value" data-value="scale">3</span>' in paper
    box = re.search(r'<aside class="cl-params".*?</aside>', paper, re.S).group(0)
    assert "<code>scale</code></td><td><code>3.0</code></td><td><code>2.0</code>" in box
    combined = (project.out / "html" / "index.html").read_text(encoding="utf-8")
    assert combined.count('<aside class="cl-params"') == 1, "the combined paper boxes the chapter"


def test_a_placeholder_the_run_did_not_record_fails_the_build_naming_it(project):
    nb = json.loads((project.nbdir / "demo.ipynb").read_text(encoding="utf-8"))
    nb["cells"].append({"cell_type": "markdown", "id": "typed", "metadata": {}, "source": ["Typed: {{ y_min }}."]})
    text = json.dumps(nb).replace('cl.start(\\"demo\\"', 'cl.start(\\"unrecorded\\"')
    assert "unrecorded" in text
    (project.nbdir / "unrecorded.ipynb").write_text(text, encoding="utf-8")
    result = project("unrecorded")
    assert result.returncode == 1
    assert "unrecorded: failed in rendering the paper: unrecorded, cell 9: placeholder {{ y_min }}: the run recorded no value of that name" in result.stderr, result.stderr
    assert not (project.out / "html" / "unrecorded.html").exists(), "no paper with a hole in it"


def _popen_build(project, log, *args):
    env = {**os.environ, "CARBONLIB_NOTEBOOKS_DIR": str(project.nbdir), "CARBONLIB_BUILD_DIR": str(project.out)}
    env.pop("CARBONLIB_STAGE_DIR", None)
    env.pop("CARBONLIB_EUA_PRICES", None)
    return subprocess.Popen([sys.executable, "-m", "carbonlib", "build", *args], cwd=ROOT, env=env,
                            stdout=subprocess.DEVNULL, stderr=log.open("w"))


def test_a_build_started_while_another_runs_waits_for_it_and_nothing_is_lost(project, tmp_path):
    import fcntl

    # a build holds the folder (the test holds its lock); a second one says so and waits
    project.out.mkdir()
    held = (project.out / ".lock").open("w")
    fcntl.flock(held, fcntl.LOCK_EX)
    log = tmp_path / "second.log"
    proc = _popen_build(project, log, "demo", "--lang", "en")
    deadline = time.monotonic() + 120
    while "waiting for it to finish" not in log.read_text() and time.monotonic() < deadline:
        assert proc.poll() is None, log.read_text()
        time.sleep(0.2)
    assert f"another build is running in {project.out}; waiting for it to finish" in log.read_text()
    time.sleep(1)
    assert proc.poll() is None and not (project.out / "manifest.json").exists()  # nothing runs meanwhile
    held.close()
    assert proc.wait(timeout=300) == 0, log.read_text()
    assert (project.out / "html/demo.html").is_file()

    # two builds started together, of different workbooks: both complete, the manifest keeps both
    logs = [tmp_path / "slow.log", tmp_path / "demo.log"]
    procs = [_popen_build(project, logs[0], "slow", "-p", "seconds", "2", "-p", "value", "7"),
             _popen_build(project, logs[1], "demo", "-p", "scale", "3")]
    assert [p.wait(timeout=600) for p in procs] == [0, 0], [f.read_text() for f in logs]
    for root in (project.out, project.out / "zh-TW"):
        entries = json.loads((root / "manifest.json").read_text())["notebooks"]
        assert entries["slow"]["parameters"]["value"] == 7 and entries["demo"]["parameters"]["scale"] == 3.0, root
    assert (project.out / "tables/slow/value.csv").read_text().splitlines() == ["value", "7"]
    assert (project.out / "tables/demo/points.csv").read_text().splitlines()[-1] == "4,12000.0"
    assert not (project.out / ".stage").exists()


def test_another_locale_and_time_zone_give_byte_identical_tables(tmp_path):
    """LANG=C and TZ=Asia/Taipei against the C.UTF-8 locale in UTC: workbook 06 on the synthetic
    history (dates, returns, a fitted model) and 03 (numbers formatted to CSV)."""
    def build(folder, **locale):
        env = {**os.environ, "CARBONLIB_BUILD_DIR": str(folder)}
        for name in ("CARBONLIB_STAGE_DIR", "LC_ALL", "LC_NUMERIC", "LC_TIME"):
            env.pop(name, None)
        env.update(locale)
        for args in (["06_eua_prices", "-f", "synthetic_history"], ["03_eu_ets_cap_and_auctions"]):
            result = subprocess.run([sys.executable, "-m", "carbonlib", "build", *args, "--lang", "en"], cwd=ROOT,
                                    env=env, capture_output=True, text=True, timeout=600)
            assert result.returncode == 0, result.stdout + result.stderr
        return {p.relative_to(folder): p.read_bytes() for p in (folder / "tables").rglob("*.csv")}

    here = build(tmp_path / "utc", LANG="C.UTF-8", TZ="UTC")
    there = build(tmp_path / "taipei", LANG="C", LC_ALL="C", TZ="Asia/Taipei")
    assert len(here) > 10 and here.keys() == there.keys()
    assert [name for name in here if here[name] != there[name]] == []

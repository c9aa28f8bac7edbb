"""JupyterLab, tested the way a researcher uses it, in headless Chromium.

The server is started as ``make lab`` starts it (``python -m carbonlib lab``: 127.0.0.1, the
project's kernel), here on a free port with a token, its settings and workspaces in a
temporary folder (no autosave, so the committed notebook is never written) and its build
folder in a temporary folder. Playwright opens ``notebooks/03_eu_ets_cap_and_auctions.ipynb``,
edits one value of the ``parameters`` cell, runs all cells and reads what the notebook shows;
the test then reads what the run wrote under the build folder. The server is stopped at the
end, whatever happens.
"""

from __future__ import annotations

import csv
import hashlib
import json
import os
import re
import secrets
import signal
import socket
import subprocess
import sys
import time
import urllib.request

import pytest

from carbonlib.workbench import build, lab, paths

from . import browser

NOTEBOOK = "03_eu_ets_cap_and_auctions"
#: The parameter line edited in the browser, and what it becomes (a value no scenario uses).
LINE_BEFORE = "end_year: int = 2030"
END_YEAR = 2036
LINE_AFTER = f"end_year: int = {END_YEAR}  # last year of the path"
START_TIMEOUT_S = 60
RUN_TIMEOUT_S = 300
#: Seconds after clicking Run All by which some cell must have started; otherwise the click was
#: lost (a busy machine can swallow a menu click) and it is given once more.
START_RUN_S = 30

#: Runs in the page: what the notebook shows now (prompts, kernel status, open dialogs, errors).
_STATE = r"""
() => {
  const panel = document.querySelector('.jp-NotebookPanel');
  const prompts = [...panel.querySelectorAll('.jp-CodeCell .jp-InputPrompt')].map(e => e.textContent.trim());
  const indicator = document.querySelector('.jp-Notebook-ExecutionIndicator');
  const errors = [...panel.querySelectorAll(
      ".jp-OutputArea-output[data-mime-type='application/vnd.jupyter.stderr']")]
    .map(e => e.textContent).filter(t => /Traceback|Error/.test(t));
  const dialogs = [...document.querySelectorAll('.jp-Dialog')].map(e => e.textContent.trim());
  return {prompts, status: indicator ? indicator.getAttribute('data-status') : null, errors, dialogs};
}
"""


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def lab_server(tmp_path_factory):
    """A running JupyterLab (``python -m carbonlib lab``) and the folders it writes to."""
    tmp = tmp_path_factory.mktemp("lab")
    settings = tmp / "settings" / "@jupyterlab" / "docmanager-extension"
    settings.mkdir(parents=True)
    (settings / "plugin.jupyterlab-settings").write_text('{"autosave": false}', encoding="utf-8")
    port, token = _free_port(), secrets.token_hex(16)
    env = {**os.environ, "CARBONLIB_BUILD_DIR": str(tmp / "build"), "JUPYTERLAB_SETTINGS_DIR": str(tmp / "settings"),
           "JUPYTERLAB_WORKSPACES_DIR": str(tmp / "workspaces"), "JUPYTER_RUNTIME_DIR": str(tmp / "runtime")}
    env.pop("CARBONLIB_STAGE_DIR", None)
    env["PATH"] = os.path.dirname(sys.executable) + os.pathsep + env.get("PATH", "")
    log = (tmp / "server.log").open("wb")
    proc = subprocess.Popen([sys.executable, "-m", "carbonlib", "lab", "--port", str(port), "--token", token,
                             "--no-browser"], cwd=paths.ROOT, env=env, stdout=log, stderr=subprocess.STDOUT,
                            start_new_session=True)
    try:
        url = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + START_TIMEOUT_S
        while True:
            try:
                with urllib.request.urlopen(f"{url}/api/status?token={token}", timeout=2) as r:
                    if r.status == 200:
                        break
            except OSError:
                pass
            if proc.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError("JupyterLab did not start:\n" + (tmp / "server.log").read_text(errors="replace")[-3000:])
            time.sleep(0.5)
        yield {"url": url, "token": token, "build": tmp / "build", "log": tmp / "server.log"}
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGTERM)
            try:
                proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
                proc.wait(timeout=15)
        log.close()


def _click_run_all(page) -> None:
    page.locator(".lm-MenuBar-itemLabel", has_text="Run").first.click()
    page.locator(".lm-Menu-itemLabel", has_text="Run All Cells").first.click()


def _run_all(page, n_code: int, log) -> dict:
    """Click Run > Run All Cells and wait until all ``n_code`` cells ran; fail saying why not.

    Fails at once when a cell shows an error or a dialog opens, and after
    :data:`RUN_TIMEOUT_S` with what the notebook and the server's log show.
    """
    numbered = re.compile(r"^\[\d+\]:?$")
    _click_run_all(page)
    clicked = time.monotonic()
    retried = False
    state: dict = {}
    while time.monotonic() - clicked < RUN_TIMEOUT_S:
        state = page.evaluate(_STATE)
        prompts = state["prompts"]
        if len(prompts) == n_code and all(numbered.match(p) for p in prompts):
            return state
        assert not state["errors"], "a cell shows an error:\n" + "\n".join(state["errors"])
        assert not state["dialogs"], "JupyterLab opened a dialog:\n" + "\n".join(state["dialogs"])
        started = any(p != "[ ]:" and p != "[ ]" for p in prompts)
        if not started and not retried and time.monotonic() - clicked > START_RUN_S:
            _click_run_all(page)
            retried = True
        time.sleep(0.5)
    server_log = log.read_text(encoding="utf-8", errors="replace")[-4000:] if log.exists() else "(no log)"
    pytest.fail(f"Run All did not finish in {RUN_TIMEOUT_S} s (Run All clicked {1 + retried} time(s)); "
                f"prompts {state.get('prompts')}, kernel status {state.get('status')!r}\n"
                f"server log (end):\n{server_log}")


def test_lab_command_is_what_make_lab_runs():
    argv = lab.command(port=9999, token="t", open_browser=False)
    assert argv[:3] == [sys.executable, "-m", "jupyterlab"]
    assert "--ServerApp.ip=127.0.0.1" in argv and f"--ServerApp.root_dir={paths.notebooks_dir()}" in argv
    assert "--ServerApp.port=9999" in argv and "--IdentityProvider.token=t" in argv
    assert ("--allow-root" in argv) == (os.geteuid() == 0)
    makefile = (paths.ROOT / "Makefile").read_text(encoding="utf-8")
    assert "$(PY) -m carbonlib lab" in makefile


def test_edit_a_parameter_and_run_all_in_jupyterlab(lab_server):
    from playwright.sync_api import expect, sync_playwright

    nb_file = paths.notebooks_dir() / f"{NOTEBOOK}.ipynb"
    committed = hashlib.sha256(nb_file.read_bytes()).hexdigest()
    n_code = sum(c["cell_type"] == "code" for c in json.loads(nb_file.read_text(encoding="utf-8"))["cells"])
    with sync_playwright() as pw:
        chromium = pw.chromium.launch(executable_path=browser.chromium_path(), args=browser.CHROMIUM_ARGS)
        try:
            page = chromium.new_page(viewport=browser.VIEWPORT)
            page.goto(f"{lab_server['url']}/lab/tree/{NOTEBOOK}.ipynb?token={lab_server['token']}")
            panel = page.locator(".jp-NotebookPanel")
            expect(panel).to_be_visible(timeout=60_000)
            expect(page.locator(".jp-Notebook-ExecutionIndicator[data-status='idle']")).to_have_count(1, timeout=60_000)
            # edit one value of the parameters cell, as a researcher would: select the line, type over it
            line = panel.locator(".jp-CodeCell").first.locator(".cm-line", has_text=LINE_BEFORE)
            expect(line).to_have_count(1)
            line.click()
            page.keyboard.press("Home")
            page.keyboard.press("Shift+End")
            page.keyboard.type(LINE_AFTER)
            expect(panel.locator(".jp-CodeCell").first).to_contain_text(LINE_AFTER)
            # Run > Run All Cells, then follow the run until every code cell has its number
            _run_all(page, n_code, lab_server["log"])
            prompts = panel.locator(".jp-CodeCell .jp-InputPrompt")
            assert prompts.count() == n_code
            errors = panel.locator(".jp-OutputArea-output[data-mime-type='application/vnd.jupyter.stderr']")
            texts = [errors.nth(i).text_content() for i in range(errors.count())]
            assert not [t for t in texts if "Traceback" in t or "Error" in t], "a cell shows an error:\n" + "\n".join(texts)
            tables = panel.locator(".jp-OutputArea-output table")
            images = panel.locator(".jp-OutputArea-output img")
            assert tables.count() >= 10 and images.count() >= 3, (tables.count(), images.count())
            for i in range(images.count()):
                assert images.nth(i).evaluate("img => img.complete && img.naturalWidth > 0"), f"image {i} not drawn"
            shown = "\n".join(tables.nth(i).text_content() for i in range(tables.count()))
            assert str(END_YEAR) in shown, "the edited end year does not reach the tables"
            (lab_server["build"] / "screenshots").mkdir(parents=True, exist_ok=True)
            page.screenshot(path=str(lab_server["build"] / "screenshots" / "lab.png"))
        finally:
            chromium.close()
    # nothing was saved into the committed notebook
    assert hashlib.sha256(nb_file.read_bytes()).hexdigest() == committed
    # the run wrote its outputs where the README says, with the edited value
    out = lab_server["build"]
    with (out / "tables" / NOTEBOOK / "cap_paths.csv").open(encoding="utf-8") as fh:
        years = [row[0] for row in csv.reader(fh)][1:]
    assert years[-1] == str(END_YEAR)
    assert (out / "figures" / NOTEBOOK / "cap_paths.png").stat().st_size > 0
    listed = json.loads((out / "outputs" / f"{NOTEBOOK}.json").read_text(encoding="utf-8"))
    assert listed["parameters"]["end_year"] == END_YEAR
    # the manifest tells the truth: run outside the build, with its parameters, to be rebuilt
    entry = build.read_manifest(out)["notebooks"][NOTEBOOK]
    assert entry["status"] == "interactive" and entry["parameters"]["end_year"] == END_YEAR
    assert not build.is_fresh(nb_file, {}, out)

"""The warm worker (:mod:`carbonlib.workbench.engine`): one process, many runs, nothing shared.

Each test executes small notebooks, written here, in this process's warm shell, one after
another, as a build or sweep worker does.
"""

from __future__ import annotations

import os

import nbformat
import pytest

from carbonlib.workbench import engine


def _notebook(path, *sources, parameters=None):
    cells = []
    if parameters is not None:
        cells.append(nbformat.v4.new_code_cell(parameters, metadata={"tags": ["parameters"]}))
    cells += [nbformat.v4.new_code_cell(src) for src in sources]
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_markdown_cell("# A test"), *cells])
    nb.metadata["kernelspec"] = {"name": "python3", "language": "python", "display_name": "Python 3"}
    nbformat.write(nb, str(path))
    return path


def _outputs(run, kind):
    return [o for c in run.notebook.cells if c.cell_type == "code" for o in c.outputs if o["output_type"] == kind]


def test_a_run_sees_nothing_of_the_run_before_it(tmp_path):
    first = _notebook(tmp_path / "a.ipynb", "leak = 1\nimport matplotlib\nmatplotlib.rcParams['lines.linewidth'] = 9.0")
    second = _notebook(tmp_path / "b.ipynb", "import matplotlib\nwidth = matplotlib.rcParams['lines.linewidth']\nwidth",
                       "print(leak)")
    assert engine.execute_notebook(first, {}, cwd=tmp_path).ok
    run = engine.execute_notebook(second, {}, cwd=tmp_path)
    assert not run.ok and run.error == "NameError: name 'leak' is not defined"
    assert run.cell_index == 3  # the markdown title is cell 1
    assert _outputs(run, "execute_result")[0]["data"]["text/plain"] == "1.5"  # matplotlib's default again


def test_a_warning_is_shown_in_every_run_as_a_new_kernel_shows_it(tmp_path):
    nb = _notebook(tmp_path / "w.ipynb", "import warnings\nwarnings.warn('a deliberate warning', UserWarning)")
    for _ in range(2):
        run = engine.execute_notebook(nb, {}, cwd=tmp_path)
        assert run.ok
        assert any("a deliberate warning" in o["text"] for o in _outputs(run, "stream") if o["name"] == "stderr")


def test_parameters_are_injected_as_papermill_injects_them(tmp_path):
    nb = _notebook(tmp_path / "p.ipynb", "print(scale * 2)", parameters="scale: float = 1.0  # a factor")
    run = engine.execute_notebook(nb, {"scale": 3.5}, cwd=tmp_path)
    assert run.ok
    injected = [c for c in run.notebook.cells if "injected-parameters" in c.metadata.get("tags", [])]
    assert len(injected) == 1 and "scale = 3.5" in injected[0].source
    assert _outputs(run, "stream")[0]["text"] == "7.0\n"


def test_working_folder_and_environment_are_restored(tmp_path, monkeypatch):
    monkeypatch.delenv("CARBONLIB_TEST_VALUE", raising=False)
    nb = _notebook(tmp_path / "e.ipynb", "import os\nprint(os.getcwd(), os.environ['CARBONLIB_TEST_VALUE'])")
    here = os.getcwd()
    run = engine.execute_notebook(nb, {}, cwd=tmp_path, env={"CARBONLIB_TEST_VALUE": "set"})
    assert _outputs(run, "stream")[0]["text"] == f"{tmp_path} set\n"
    assert os.getcwd() == here and "CARBONLIB_TEST_VALUE" not in os.environ


def test_a_failing_cell_keeps_its_traceback_and_stops_the_run(tmp_path):
    nb = _notebook(tmp_path / "f.ipynb", "x = 1", "y = 2\nraise ValueError('deliberate')", "z = 3")
    run = engine.execute_notebook(nb, {}, cwd=tmp_path)
    assert (run.ok, run.error, run.cell_index) == (False, "ValueError: deliberate", 3)
    error = _outputs(run, "error")[0]
    assert error["ename"] == "ValueError" and any("line 2" in line for line in error["traceback"])
    assert run.notebook.cells[-1].get("execution_count") is None  # the cell after it never ran


@pytest.mark.parametrize("bad", ["missing.ipynb"])
def test_an_unreadable_notebook_raises_before_anything_runs(tmp_path, bad):
    with pytest.raises(FileNotFoundError):
        engine.execute_notebook(tmp_path / bad, {}, cwd=tmp_path)


def test_running_a_notebook_keeps_the_process_main_module_so_it_can_still_spawn(tmp_path):
    import concurrent.futures as cf
    import multiprocessing as mp
    import sys

    main = sys.modules["__main__"]
    assert engine.execute_notebook(_notebook(tmp_path / "a.ipynb", "x = 1"), {}, cwd=tmp_path).ok
    assert sys.modules["__main__"] is main
    with cf.ProcessPoolExecutor(1, mp_context=mp.get_context("spawn")) as pool:  # as the sweeps start workers
        assert pool.submit(abs, -3).result(timeout=120) == 3

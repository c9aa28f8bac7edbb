"""carbonlib.workbench.run outside a kernel: what a table and a figure write, and their numbering."""

from __future__ import annotations

import json

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import pandas as pd  # noqa: E402
import pytest  # noqa: E402

from carbonlib.errors import InputError  # noqa: E402
from carbonlib.workbench.run import Run  # noqa: E402


def test_tables_and_figures_are_written_numbered_and_indexed(build_dir):
    run = Run(notebook="demo", parameters={})
    years = pd.DataFrame({"cap_t": [10.0, 9.0]}, index=pd.RangeIndex(2013, 2015, name="year"))
    run.table(years, "cap", caption="Table 7. Cap", source="001 表1")
    run.table(pd.DataFrame({"a": [1]}), "plain", caption="Plain")
    fig, ax = plt.subplots()
    ax.plot([1, 2])
    run.figure(fig, "line", caption="Line")
    assert (build_dir / "tables/demo/cap.csv").read_text().splitlines() == ["year,cap_t", "2013,10.0", "2014,9.0"]
    assert (build_dir / "tables/demo/plain.csv").read_text().splitlines() == ["a", "1"]
    assert (build_dir / "figures/demo/line.png").stat().st_size > 0
    index = json.loads((build_dir / "outputs/demo.json").read_text())["outputs"]
    assert [(o["kind"], o["number"], o["caption"]) for o in index] == [
        ("table", 1, "Cap"), ("table", 2, "Plain"), ("figure", 1, "Line")]
    assert index[0]["source"] == "001 表1" and "computed in workbook demo" in index[1]["source"]
    with pytest.raises(InputError, match="table name 'cap' is used twice in demo"):
        run.table(years, "cap")
    with pytest.raises(InputError, match="table name 'Bad Name'"):
        run.table(years, "Bad Name")

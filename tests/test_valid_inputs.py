"""Valid user tables always give their workbook a paper, and the paper's tables hold (issue 16).

For each table a user may replace (member-state weights of 03, installations and activity
levels of 04, sector figures of 05, member-state plans of 07), a Hypothesis strategy draws a
table that is **valid** under the resource's schema in ``data/resources/*.json`` (types,
``required``, ``minimum``/``maximum``, ``enum``, primary key, foreign keys and the loader's
``x_constraints``), in random row order, with edge cases (zero weights and activity levels, a
single row, values on the carbon-leakage thresholds). It is written to a CSV, the workbook is
built with it through the build command (``-p <name>_file <csv> --lang en``), and then:

* the build succeeds and writes the same tables and figures as a build with the project's
  table, and every table that does not read the user's table is byte for byte the one the
  default build writes;
* every published-versus-recomputed table satisfies ``difference = printed - recomputed``,
  ``within_rounding = |difference| <= tolerance`` and the status that follows;
* the tables that read the user's table satisfy the workbook's identities, each computed from
  the table's own columns (and the drawn input): the member-state split adds up to the auction
  volume, each component by its share and each state in proportion to its weight (03); each
  HAL is the median of its window and each allocation is benchmark x HAL x CLEF x correction
  factor, summed per installation (04); cost share, trade intensity and the three criteria
  follow from the sector's figures (05); each allocation path runs in a straight line from
  the 2005 emissions to the 2020 limit and the weighted target is the emission-weighted mean
  (07);
* the captions and source lines of those tables say nothing of illustrative data, and their
  source line names the user's file.

``make test`` draws a few tables each (:data:`tests.generative.BUILD_SETTINGS`); ``make
test-deep`` draws 40.
"""

from __future__ import annotations

import csv
import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st
from numpy.testing import assert_allclose

from carbonlib import datasets
from carbonlib.calendar import PHASE3_YEARS

from .generative import BUILD_SETTINGS

AUCTIONS = "03_eu_ets_cap_and_auctions"
ALLOCATION = "04_free_allocation"
LEAKAGE = "05_carbon_leakage"
EFFORT = "07_effort_sharing"

#: The parameter naming the user's table, and the tables and figures of each workbook that read it.
USER_TABLE = {
    AUCTIONS: ("member_states_file", {"split_by_member_state"}, {"split_by_member_state"}),
    ALLOCATION: ("installations_file", {"hal", "allocation"}, {"allocation_paths"}),
    LEAKAGE: ("sectors_file", {"leakage_test"}, {"leakage_criteria"}),
    EFFORT: ("member_states_file", {"member_states", "aea_paths"}, {"aea_paths"}),
}
#: How a user's file may write a boolean (the loader's tokens).
BOOLEAN_CELLS = {True: ["true", "True", "TRUE", "1", "yes", "Yes"], False: ["false", "False", "FALSE", "0", "no", "No"]}

#: Relative tolerance of a recomputed identity (floating point, CSV round trip at full precision).
RTOL = 1e-9
#: Columns of a published-versus-recomputed table (carbonlib.checks.compare).
COMPARE = ["printed", "recomputed", "difference", "tolerance", "within_rounding", "status"]

# Identifiers: letters of several scripts, digits, spaces and the punctuation a CSV must quote.
_ID_CHARS = st.sampled_from(list("ABCXYZabcxyz0189_-. ,'\"()&/<>éü中文"))
IDS = st.text(_ID_CHARS, min_size=1, max_size=10)
TEXT = st.text(_ID_CHARS, max_size=20)


def number(low: float = 0.0, high: float = 1e4, zero: bool = True) -> st.SearchStrategy[float]:
    """A non-negative number of plausible size: whole numbers, decimals, and 0 when allowed."""
    parts = [st.integers(int(max(low, 1)), int(high)).map(float),
             st.floats(max(low, 1e-3), high, allow_nan=False, allow_infinity=False)]
    return st.one_of(([st.just(0.0)] if zero else []) + parts)


@st.composite
def cell(draw, value: float) -> str:
    """A number as a user's file may write it: ``30``, ``30.0`` or Python's shortest repr."""
    if float(value).is_integer() and draw(st.booleans()):
        return str(int(value))
    return repr(float(value))


def _not_all_zero(draw, values: list[float], positive: st.SearchStrategy[float]) -> list[float]:
    """``values`` with one of them made positive if every one is zero (``x_constraints.notAllZero``)."""
    if not any(values):
        values[draw(st.integers(0, len(values) - 1))] = draw(positive)
    return values


def write_csv(path: Path, header: list[str], rows: list[list[str]]) -> Path:
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh, lineterminator="\n")
        writer.writerow(header)
        writer.writerows(rows)
    return path


# --------------------------------------------------------------------------- strategies

EARLY_ACTION = datasets.load("auctions_early_action_states")["member_state"].tolist()
EU28 = [tuple(r) for r in datasets.load("auctions_member_states")[["member_state", "name_en"]].values.tolist()]


@st.composite
def auction_member_states(draw) -> pd.DataFrame:
    """``auctions_member_states``: 1-28 member states, at least one of the nine early-action
    states (only they may have an early-action weight), no weight column all zero."""
    early = [s for s in EU28 if s[0] in EARLY_ACTION]
    others = [s for s in EU28 if s[0] not in EARLY_ACTION]
    chosen = draw(st.lists(st.sampled_from(early), min_size=1, max_size=len(early), unique=True))
    chosen += draw(st.lists(st.sampled_from(others), max_size=len(others), unique=True))
    chosen = draw(st.permutations(chosen))
    n = len(chosen)
    emissions = _not_all_zero(draw, draw(st.lists(number(high=1000), min_size=n, max_size=n)), number(1, 1000, False))
    solidarity = _not_all_zero(draw, draw(st.lists(number(high=10), min_size=n, max_size=n)), number(1, 10, False))
    is_early = [s in EARLY_ACTION for s, _ in chosen]
    early_w = [draw(number(high=10)) if e else 0.0 for e in is_early]
    if not any(early_w):
        early_w[draw(st.sampled_from([i for i, e in enumerate(is_early) if e]))] = draw(number(1, 10, False))
    names = [draw(st.one_of(st.just(name), TEXT.filter(bool))) for _, name in chosen]
    return pd.DataFrame({"member_state": [s for s, _ in chosen], "name_en": names,
                         "emissions_2005_weight": emissions, "solidarity_weight": solidarity,
                         "early_action_weight": early_w})


PRODUCTS = datasets.load("allocation_product_benchmarks")["product"].tolist()
METHODS = ["product", "heat", "fuel", "process"]
HAL_WINDOWS = {"2005_2008": range(2005, 2009), "2009_2010": range(2009, 2011)}


@st.composite
def installations(draw) -> pd.DataFrame:
    """``allocation_installations``: 1-20 installations of 1-3 sub-installations each, every
    sub-installation with a year in each HAL window (``x_constraints.coverWithin``) and the same
    attributes on each of its rows (``sameWithin``), a 附件二 product for the product method and
    an exposure flag for the fallbacks (``requiredIf``); activity levels from 0 up."""
    n_inst = draw(st.integers(1, 20))
    inst_ids = draw(st.lists(IDS, min_size=n_inst, max_size=n_inst, unique=True))
    n_subs = [draw(st.integers(1, 3)) for _ in inst_ids]
    sub_ids = draw(st.lists(IDS, min_size=sum(n_subs), max_size=sum(n_subs), unique=True))
    owners = [i for i, k in zip(inst_ids, n_subs, strict=True) for _ in range(k)]
    rows = []
    for inst, sub in zip(owners, sub_ids, strict=True):
        method = draw(st.sampled_from(METHODS))
        product = draw(st.sampled_from(PRODUCTS)) if method == "product" else draw(
            st.one_of(st.just(None), st.sampled_from(PRODUCTS)))
        exposed = draw(st.booleans()) if method != "product" else draw(st.sampled_from([None, True, False]))
        attrs = {"installation": inst, "sub_installation": sub, "sector": draw(st.one_of(st.just(None), TEXT)),
                 "method": method, "product": product, "leakage_exposed": exposed,
                 "correction": draw(st.sampled_from(["cscf", "lrf"])),
                 "activity_unit": draw(st.sampled_from([None, "t", "TJ", "tCO2"]))}
        years = sorted(draw(st.lists(st.sampled_from(range(2005, 2009)), min_size=1, unique=True))
                       + draw(st.lists(st.sampled_from(range(2009, 2011)), min_size=1, unique=True)))
        rows += [{**attrs, "year": y, "activity_level": draw(number(high=2e6))} for y in years]
    return pd.DataFrame(draw(st.permutations(rows)))


@st.composite
def leakage_sectors(draw) -> pd.DataFrame:
    """``leakage_sectors``: 1-30 sectors, GVA and market size above 0 (``exclusiveMinimum``),
    cost and trade from 0 up, some sectors exactly on the report's thresholds."""
    n = draw(st.integers(1, 30))
    ids = draw(st.lists(IDS, min_size=n, max_size=n, unique=True))
    rows = []
    for sector in ids:
        gva = draw(number(high=1e5, zero=False))
        market = draw(number(high=1e5, zero=False))
        if draw(st.booleans()):  # on a boundary: cost 5 % or 30 % of GVA, trade 10 % or 30 % of the market
            cost = gva * draw(st.sampled_from([0.05, 0.30]))
            trade = market * draw(st.sampled_from([0.10, 0.30]))
            exports = trade * draw(st.sampled_from([0.0, 0.5, 1.0]))
            imports = trade - exports
        else:
            cost, exports, imports = (draw(number(high=1e5)) for _ in range(3))
        rows.append({"sector": sector, "label": draw(st.one_of(st.just(None), TEXT)),
                     "additional_cost_meur": cost, "gva_meur": gva, "exports_third_meur": exports,
                     "imports_third_meur": imports, "eu_market_meur": market})
    return pd.DataFrame(rows)


FIGURE5 = datasets.load("effort_figure5_member_states")["member_state"].tolist()
TARGETS = st.one_of(st.sampled_from([-20.0, 0.0, 20.0]), st.integers(-20, 20).map(float),
                    st.floats(-20, 20, allow_nan=False))


@st.composite
def effort_member_states(draw) -> pd.DataFrame:
    """``effort_member_states``: 1-28 member states of 圖5 (foreign key) in any order, 2020
    limits from -20 % to +20 % or left empty (at least one given), and 2005 emissions from 0 up
    (not all zero) for every state or for none (as in the project's table)."""
    states = draw(st.lists(st.sampled_from(FIGURE5), min_size=1, max_size=len(FIGURE5), unique=True))
    n = len(states)
    codes = draw(st.lists(st.text(st.sampled_from(list("ABCDEFGHIJKLMNOPQRSTUVWXYZ")), min_size=2, max_size=2),
                          min_size=n, max_size=n))
    targets = draw(st.lists(st.one_of(TARGETS, st.none()), min_size=n, max_size=n))
    if all(t is None for t in targets):
        targets[draw(st.integers(0, n - 1))] = draw(TARGETS)
    if draw(st.booleans()):
        emissions = _not_all_zero(draw, draw(st.lists(number(high=500), min_size=n, max_size=n)), number(1, 500, False))
    else:
        emissions = [None] * n
    return pd.DataFrame({"member_state": states, "code": codes, "emissions_2005_mtco2e": emissions,
                         "target_2020_pct": targets}, dtype=object)


def to_csv(draw, table: pd.DataFrame, path: Path) -> Path:
    """Write a drawn table as a user's CSV: booleans and numbers in one of the ways people write them."""
    rows = []
    for record in table.to_dict("records"):
        row = []
        for value in record.values():
            if value is None or (isinstance(value, float) and np.isnan(value)):
                row.append("")
            elif isinstance(value, bool | np.bool_):
                row.append(draw(st.sampled_from(BOOLEAN_CELLS[bool(value)])))
            elif isinstance(value, int | np.integer):
                row.append(str(value))
            elif isinstance(value, float | np.floating):
                row.append(draw(cell(float(value))))
            else:
                row.append(str(value))
        rows.append(row)
    return write_csv(path, list(table.columns), rows)


# --------------------------------------------------------------------------- building


def build(nb: str, build_root: Path, parameter: str | None = None, value: Path | None = None) -> None:
    """Build one edition of ``nb`` through the build command into ``build_root``; assert it succeeds."""
    import os

    args = [sys.executable, "-m", "carbonlib", "build", nb, "--lang", "en", "--force"]
    if parameter:
        args += ["-p", parameter, str(value)]
    env = {**os.environ, "CARBONLIB_BUILD_DIR": str(build_root)}
    result = subprocess.run(args, capture_output=True, text=True, timeout=600, env=env)
    assert result.returncode == 0, f"{nb} with {parameter}={value}:\n{result.stdout}{result.stderr}"
    entry = json.loads((build_root / "manifest.json").read_text(encoding="utf-8"))["notebooks"][nb]
    assert entry["status"] == "ok", entry["status"]
    if parameter:  # the run read the user's file, and the manifest records its hash
        assert entry["parameters"][parameter] == str(value)
        assert entry["inputs"].get(datasets.display_path(value)) == datasets.sha256_file(value), entry["inputs"]


@pytest.fixture(scope="session")
def default_build(tmp_path_factory):
    """The build folder of each workbook under its defaults (the project's tables), built once."""
    root = tmp_path_factory.mktemp("default-build")
    built: set[str] = set()

    def get(nb: str) -> Path:
        if nb not in built:
            build(nb, root)
            built.add(nb)
        return root
    return get


def read(build_root: Path, nb: str, name: str, **kw) -> pd.DataFrame:
    return pd.read_csv(build_root / "tables" / nb / f"{name}.csv", keep_default_na=False, na_values=[""], **kw)


def check_build(nb: str, build_root: Path, default_root: Path, user_csv: Path) -> dict:
    """What holds for every valid user table: same outputs as the default build, every table
    that does not read the user's table unchanged, every comparison table consistent, and the
    captions and sources of the tables that do read it true. Returns the recorded values."""
    parameter, reads, drawn_from = USER_TABLE[nb]
    tables = {p.stem for p in (build_root / "tables" / nb).glob("*.csv")}
    assert tables == {p.stem for p in (default_root / "tables" / nb).glob("*.csv")}
    figures = {p.name for p in (build_root / "figures" / nb).glob("*.png")}
    assert figures == {p.name for p in (default_root / "figures" / nb).glob("*.png")} and figures
    assert (build_root / "html" / f"{nb}.html").is_file()
    for name in sorted(tables - reads):
        mine = (build_root / "tables" / nb / f"{name}.csv").read_bytes()
        assert mine == (default_root / "tables" / nb / f"{name}.csv").read_bytes(), (
            f"{nb}: table {name} does not read {parameter} but differs from the default build's")
    for name in sorted(tables):
        table = read(build_root, nb, name)
        if set(COMPARE) <= set(table.columns):
            check_comparison(table, f"{nb}/{name}")
    record = json.loads((build_root / "outputs" / f"{nb}.json").read_text(encoding="utf-8"))
    assert record["parameters"][parameter] == str(user_csv)
    for output in record["outputs"]:
        if output["name"] in (reads if output["kind"] == "table" else drawn_from):
            text = output["caption"] + " " + (output.get("source") or "")
            assert "illustrative" not in text, f"{nb}: {output['name']} claims illustrative data: {text}"
    sources = {o["name"]: o.get("source") for o in record["outputs"] if o["kind"] == "table"}
    assert any(sources[name] == datasets.display_path(user_csv) for name in reads), (
        f"{nb}: no table that reads {parameter} names {user_csv} as its source: {sources}")
    return json.loads((build_root / "values" / f"{nb}.json").read_text(encoding="utf-8"))


def check_comparison(table: pd.DataFrame, name: str) -> None:
    """A published-versus-recomputed table (carbonlib.checks.compare) is consistent in itself."""
    both = table["printed"].notna() & table["recomputed"].notna()
    diff = table["printed"] - table["recomputed"]
    assert_allclose(table.loc[both, "difference"], diff[both], rtol=RTOL, atol=1e-9, err_msg=name)
    within = table["within_rounding"].astype(str).str.lower() == "true"
    expected = both & (table["difference"].abs() <= table["tolerance"] * (1 + 1e-9) + 1e-12)
    assert (within == expected).all(), name
    status = np.select([~table["printed"].notna() & ~table["recomputed"].notna(), table["printed"].isna(),
                        table["recomputed"].isna(), within],
                       ["neither", "not printed", "not recomputable", "agrees"], "discrepancy")
    assert (table["status"] == status).all(), name


# --------------------------------------------------------------------------- 03: member-state split


def check_split(build_root: Path, members: pd.DataFrame, values: dict) -> None:
    split = read(build_root, AUCTIONS, "split_by_member_state", dtype={"member_state": str}).set_index("member_state")
    volume = read(build_root, AUCTIONS, "auction_share_of_cap")["auction_volume_t"].sum()
    parts = ["emissions_2005_t", "solidarity_t", "early_action_t"]
    assert sorted(split.index) == sorted(members["member_state"])
    assert_allclose(split[parts].sum(axis=1), split["total_t"], rtol=RTOL)  # each state: its parts
    assert_allclose(split["total_t"].sum(), volume, rtol=RTOL)  # the states: the auction volume
    assert_allclose((split["total_t"] / volume * 100).sum(), 100, rtol=RTOL)  # shares sum to 100 %
    weights = members.set_index("member_state")
    for part, column, pct in (("emissions_2005_t", "emissions_2005_weight", 88.0),
                              ("solidarity_t", "solidarity_weight", 10.0),
                              ("early_action_t", "early_action_weight", 2.0)):
        assert_allclose(split[part].sum(), volume * pct / 100, rtol=RTOL)  # 表3: 88 / 10 / 2 %
        w = weights.loc[split.index, column]
        assert_allclose(split[part], volume * pct / 100 * w / w.sum(), rtol=RTOL, atol=1e-6)  # pro rata
    assert values["n_member_states"] == len(members)
    assert values["split_adds_up_to_t4"] is True
    assert abs(values["split_sum_minus_t4_total_t"]) <= 1e-6 * volume


# --------------------------------------------------------------------------- 04: free allocation


def check_allocation(build_root: Path, activity: pd.DataFrame, values: dict) -> None:
    ids = {"installation": str, "sub_installation": str}
    hal = read(build_root, ALLOCATION, "hal", dtype={**ids, "product": str}).set_index("sub_installation")
    window = activity[activity["year"].isin(HAL_WINDOWS["2005_2008"])]  # hal_rule's default
    assert sorted(hal.index) == sorted(activity["sub_installation"].unique())
    assert_allclose(hal["hal"], window.groupby("sub_installation")["activity_level"].median()[hal.index], rtol=RTOL)
    assert (hal["installation"] == activity.groupby("sub_installation")["installation"].first()[hal.index]).all()

    products = read(build_root, ALLOCATION, "product_benchmarks").set_index("product")
    fallback = read(build_root, ALLOCATION, "fallback_benchmarks").set_index("method")["benchmark_value"]
    fallback = pd.to_numeric(fallback, errors="coerce")
    fallback["process"] /= 100  # 表7: process emissions, 97 % of historical emissions
    is_product = hal["method"] == "product"
    benchmark = np.where(is_product, products["benchmark_tco2_per_t"].reindex(hal["product"]).to_numpy(),
                         fallback.reindex(hal["method"]).to_numpy())
    exposed = np.where(is_product, products["leakage_exposed"].reindex(hal["product"]).astype(str).str.lower() == "true",
                       hal["leakage_exposed"].astype(str).str.lower() == "true")
    clef = datasets.load("allocation_clef").pivot(index="status", columns="year", values="factor")
    clef.loc["not_exposed"] = read(build_root, ALLOCATION, "clef_check").set_index("year")["printed"]  # the run's 表8
    correction = pd.DataFrame({"cscf": datasets.load("allocation_cscf").set_index("year")["factor"],
                               "lrf": read(build_root, ALLOCATION, "lrf_check").set_index("year")["printed"]}).T
    years = list(PHASE3_YEARS)
    per_sub = (benchmark * hal["hal"].to_numpy())[:, None] \
        * clef.loc[np.where(exposed, "exposed", "not_exposed"), years].to_numpy() \
        * correction.loc[hal["correction"], years].to_numpy()  # 圖4: benchmark x HAL x CLEF x correction
    expected = pd.DataFrame(per_sub, index=hal["installation"], columns=years).groupby(level=0).sum()
    allocation = read(build_root, ALLOCATION, "allocation", dtype={"installation": str}).set_index("installation")
    allocation.columns = allocation.columns.astype(int)
    assert sorted(allocation.index) == sorted(activity["installation"].unique())
    # the table is printed to whole tonnes: within half a tonne of the sum of its sub-installations
    diff = (allocation[years] - expected.loc[allocation.index, years]).abs()
    assert (diff <= 0.5 + RTOL * expected.loc[allocation.index, years].abs()).all().all(), diff
    for year in (2013, 2020):
        assert_allclose(values[f"total_allocation_{year}_t"], expected[year].sum(), rtol=RTOL, atol=1e-6)
        assert abs(values[f"total_allocation_{year}_t"] - allocation[year].sum()) <= 0.5 * len(allocation) + 1e-6


# --------------------------------------------------------------------------- 05: carbon-leakage test


def check_leakage(build_root: Path, sectors: pd.DataFrame, values: dict) -> None:
    tested = read(build_root, LEAKAGE, "leakage_test", dtype={"sector": str, "label": str, "criteria": str})
    tested["criteria"] = tested["criteria"].fillna("")
    assert tested["sector"].tolist() == sectors["sector"].tolist()  # every sector, in the user's order
    for column in ("additional_cost_meur", "gva_meur", "exports_third_meur", "imports_third_meur", "eu_market_meur"):
        assert_allclose(tested[column], sectors[column], rtol=RTOL, atol=1e-12)
    cost = 100 * tested["additional_cost_meur"] / tested["gva_meur"]
    trade = 100 * (tested["exports_third_meur"] + tested["imports_third_meur"]) / tested["eu_market_meur"]
    assert_allclose(tested["cost_share_gva_pct"], cost, rtol=RTOL)
    assert_allclose(tested["trade_intensity_pct"], trade, rtol=RTOL)
    flags = {c: tested[f"criterion_{c}"].astype(str).str.lower() == "true" for c in "abc"}
    cost, trade = cost.round(10), trade.round(10)  # a share computed as 50/1000*100 is exactly 5
    assert (flags["a"] == ((cost >= 5) & (trade > 10))).all()  # the report's thresholds (the defaults)
    assert (flags["b"] == (cost >= 30)).all()
    assert (flags["c"] == (trade > 30)).all()
    letters = flags["a"].map({True: "A", False: ""}) + flags["b"].map({True: "B", False: ""}) \
        + flags["c"].map({True: "C", False: ""})
    assert (tested["criteria"] == letters).all()
    exposed = tested["exposed"].astype(str).str.lower() == "true"
    assert (exposed == (flags["a"] | flags["b"] | flags["c"])).all()
    assert values["n_sectors"] == len(sectors)
    assert values["n_exposed_sectors"] == int(exposed.sum())


# --------------------------------------------------------------------------- 07: annual emission allocations


def check_aea(build_root: Path, members: pd.DataFrame, values: dict) -> None:
    table3 = read(build_root, EFFORT, "member_states", dtype={"member_state": str, "code": str})
    assert table3["member_state"].tolist() == FIGURE5  # the order of 圖5, every state of it
    given_ = table3.set_index("member_state").loc[members["member_state"]]
    assert_allclose(given_["emissions_2005_mtco2e"], members["emissions_2005_mtco2e"].astype(float), rtol=RTOL)
    assert_allclose(given_["target_2020_pct"], members["target_2020_pct"].astype(float), rtol=RTOL, atol=1e-12)
    absent = ~table3["member_state"].isin(members["member_state"])
    assert table3.loc[absent, ["emissions_2005_mtco2e", "target_2020_pct"]].isna().all().all()

    paths = read(build_root, EFFORT, "aea_paths", dtype={"member_state": str}).set_index("member_state")
    paths.columns = paths.columns.astype(int)
    limited = members[members["target_2020_pct"].notna()]
    assert paths.index.tolist() == limited["member_state"].tolist()  # the user's order, states with a limit
    target = limited["target_2020_pct"].to_numpy(dtype=float)
    years = np.array(PHASE3_YEARS)
    line = 100 * (1 + target[:, None] / 100 * (years - 2005) / 15)  # percent of 2005, to the 2020 limit
    assert (np.abs(paths[list(years)].to_numpy() - line) <= 0.005 + RTOL * np.abs(line)).all()  # printed to 0.01
    steps = np.diff(paths[list(years)].to_numpy(), axis=1)  # a straight line: equal steps, up to rounding
    assert (np.abs(steps - steps.mean(axis=1, keepdims=True)) <= 0.01 + 1e-9).all()
    assert values["n_member_states_with_limit"] == len(limited)
    e05 = limited["emissions_2005_mtco2e"].to_numpy(dtype=float)
    if np.isnan(e05).any():
        assert values["weighted_target_2020_pct"] is None  # the limits cannot be weighted
    else:
        assert_allclose(values["weighted_target_2020_pct"], (e05 * target).sum() / e05.sum(), rtol=RTOL, atol=1e-9)


# --------------------------------------------------------------------------- one test per workbook

#: For each workbook: the strategy drawing its user table, the check of its identities, and the
#: recorded value saying the run read the user's table rather than the illustrative one.
CASES = {
    AUCTIONS: (auction_member_states, check_split, ("member_states_illustrative", False)),
    ALLOCATION: (installations, check_allocation, ("installations_illustrative", False)),
    LEAKAGE: (leakage_sectors, check_leakage, ("sectors_illustrative", False)),
    EFFORT: (effort_member_states, check_aea, ("has_member_states_file", True)),
}


@pytest.mark.parametrize("nb", sorted(CASES))
@BUILD_SETTINGS
@given(data=st.data())
def test_any_valid_user_table_builds_its_workbook_and_keeps_its_identities(nb, data, build_dir, default_build,
                                                                          tmp_path_factory):
    strategy, check, (flag, expected) = CASES[nb]
    table = data.draw(strategy(), label=USER_TABLE[nb][0])
    path = to_csv(data.draw, table, tmp_path_factory.mktemp(nb) / "table.csv")
    build(nb, build_dir, USER_TABLE[nb][0], path)
    values = check_build(nb, build_dir, default_build(nb), path)
    assert values[flag] is expected
    check(build_dir, table, values)

"""Every Examples section in carbonlib's docstrings runs and gives what it shows."""

from __future__ import annotations

import doctest
import importlib
import pkgutil

import pytest

import carbonlib

MODULES = sorted(m.name.removeprefix("carbonlib.") for m in pkgutil.walk_packages(carbonlib.__path__, "carbonlib.")
                 if not m.name.rsplit(".", 1)[-1].startswith("_"))


@pytest.mark.parametrize("name", MODULES)
def test_examples_run(name):
    module = importlib.import_module(f"carbonlib.{name}")
    result = doctest.testmod(module, optionflags=doctest.NORMALIZE_WHITESPACE | doctest.ELLIPSIS, verbose=False)
    assert result.failed == 0, f"{result.failed} of {result.attempted} examples in carbonlib.{name} fail"


def test_the_calculation_modules_have_examples():
    for name in ("market", "kyoto", "cap", "auctions", "allocation", "leakage", "prices", "effort_sharing",
                 "workbench.i18n", "workbench.render", "checks", "calendar", "pricefiles"):
        module = importlib.import_module(f"carbonlib.{name}")
        assert doctest.DocTestFinder().find(module) and any(
            t.examples for t in doctest.DocTestFinder().find(module)), f"carbonlib.{name} has no Examples"

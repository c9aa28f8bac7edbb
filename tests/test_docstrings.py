"""Every Examples section in carbonlib's docstrings runs and gives what it shows."""

from __future__ import annotations

import doctest
import importlib
import pkgutil

import pytest

import carbonlib

MODULES = sorted(m.name for m in pkgutil.iter_modules(carbonlib.__path__) if not m.name.startswith("_"))


@pytest.mark.parametrize("name", MODULES)
def test_examples_run(name):
    module = importlib.import_module(f"carbonlib.{name}")
    result = doctest.testmod(module, optionflags=doctest.NORMALIZE_WHITESPACE | doctest.ELLIPSIS, verbose=False)
    assert result.failed == 0, f"{result.failed} of {result.attempted} examples in carbonlib.{name} fail"


def test_the_calculation_modules_have_examples():
    for name in ("market", "kyoto", "cap", "auctions", "allocation", "leakage", "prices", "effort_sharing",
                 "i18n", "render", "checks"):
        module = importlib.import_module(f"carbonlib.{name}")
        assert doctest.DocTestFinder().find(module) and any(
            t.examples for t in doctest.DocTestFinder().find(module)), f"carbonlib.{name} has no Examples"

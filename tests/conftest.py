"""Shared fixtures: a private build folder for every test that builds or runs notebooks; the
``shared`` marker for tests that read files from ``../shared`` (outside the repository).

``@pytest.mark.shared(path, ...)`` skips a test, naming the file, when one of the paths is
absent, as in a clone with no ``../shared`` beside it. With ``CARBONLIB_REQUIRE_SHARED=1`` (set
by ``.ci/run`` for the clone beside ``../shared``) an absent file fails the test instead, so that
nothing is skipped there.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "tests" / "fixtures"


REQUIRE_SHARED_ENV = "CARBONLIB_REQUIRE_SHARED"


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_setup(item):
    for mark in item.iter_markers("shared"):
        for path in map(Path, mark.args):
            if not path.is_file():
                message = f"needs {path}, a file of ../shared outside the repository, which is absent"
                if os.environ.get(REQUIRE_SHARED_ENV):
                    pytest.fail(f"{message} ({REQUIRE_SHARED_ENV} is set)")
                pytest.skip(message)


@pytest.fixture
def build_dir(tmp_path, monkeypatch):
    """Point CARBONLIB_BUILD_DIR at a temporary folder and make 'python' this interpreter."""
    out = tmp_path / "build"
    monkeypatch.setenv("CARBONLIB_BUILD_DIR", str(out))
    monkeypatch.delenv("CARBONLIB_STAGE_DIR", raising=False)
    monkeypatch.setenv("PATH", os.path.dirname(sys.executable) + os.pathsep + os.environ.get("PATH", ""))
    return out

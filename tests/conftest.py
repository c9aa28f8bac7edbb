"""Shared fixtures: a private build folder for every test that builds or runs notebooks."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "tests" / "fixtures"


@pytest.fixture
def build_dir(tmp_path, monkeypatch):
    """Point CARBONLIB_BUILD_DIR at a temporary folder and make 'python' this interpreter."""
    out = tmp_path / "build"
    monkeypatch.setenv("CARBONLIB_BUILD_DIR", str(out))
    monkeypatch.delenv("CARBONLIB_STAGE_DIR", raising=False)
    monkeypatch.setenv("PATH", os.path.dirname(sys.executable) + os.pathsep + os.environ.get("PATH", ""))
    return out

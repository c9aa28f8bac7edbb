"""Every path the project uses, in one place.

Notebooks and library code never build paths themselves; they import them from here.
``CARBONLIB_BUILD_DIR`` moves the build directory (the tests use it to build in a temporary
folder); ``CARBONLIB_NOTEBOOKS_DIR`` points the build at another folder of notebooks (the build's own
tests use it); ``CARBONLIB_SHARED_DATA`` moves the folder of provided, non-redistributable data.
"""

from __future__ import annotations

import os
from pathlib import Path

#: Repository root (the folder holding ``pyproject.toml``).
ROOT: Path = Path(__file__).resolve().parent.parent
#: Library source folder.
PACKAGE_DIR: Path = ROOT / "carbonlib"
#: Read-only inputs.
DATA_DIR: Path = ROOT / "data"
RAW_DIR: Path = DATA_DIR / "raw"
ILLUSTRATIVE_DIR: Path = DATA_DIR / "illustrative"
RESOURCES_DIR: Path = DATA_DIR / "resources"
DATAPACKAGE: Path = DATA_DIR / "datapackage.json"
#: Workbooks and their named scenarios.
NOTEBOOKS_DIR: Path = Path(os.environ.get("CARBONLIB_NOTEBOOKS_DIR", ROOT / "notebooks"))
PARAMS_DIR: Path = NOTEBOOKS_DIR / "params"
#: The two source reports (outside the repository, never written).
SEEDS_DIR: Path = Path(os.environ.get("CARBONLIB_SEEDS", ROOT.parent / "shared" / "seeds"))
#: Provided data that must not be committed (vendor price histories), read by path.
SHARED_DATA_DIR: Path = Path(os.environ.get("CARBONLIB_SHARED_DATA", ROOT.parent / "shared" / "data"))
#: Environment variable naming a EUA price history file.
EUA_PRICES_ENV = "CARBONLIB_EUA_PRICES"


def build_dir() -> Path:
    """Root of all outputs (``build/`` unless ``CARBONLIB_BUILD_DIR`` says otherwise)."""
    return Path(os.environ.get("CARBONLIB_BUILD_DIR", ROOT / "build")).resolve()


def stage_dir() -> Path | None:
    """Folder a notebook run writes its tables and figures to before the build publishes them.

    Set by the build runner through ``CARBONLIB_STAGE_DIR``; ``None`` when a notebook runs on
    its own (plain papermill or JupyterLab), in which case outputs go straight under
    :func:`build_dir`, each file written atomically.
    """
    value = os.environ.get("CARBONLIB_STAGE_DIR")
    return Path(value) if value else None


def edition_dir(lang: str = "en") -> Path:
    """Build folder of an edition: ``build/`` for English, ``build/<lang>/`` for the others."""
    return build_dir() if lang == "en" else build_dir() / lang


def output_root(lang: str = "en") -> Path:
    """Where the current notebook run writes ``tables/`` and ``figures/``.

    The build runner's stage folder, else (a run from JupyterLab or plain papermill) the
    edition's folder under :func:`build_dir`.
    """
    return stage_dir() or edition_dir(lang)

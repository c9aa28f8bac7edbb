"""Every path the workbench uses, in one place.

Notebooks and library code never build paths themselves. The calculation library knows only
its data package (:mod:`carbonlib.datasets`); everything else (notebooks, scenarios, the build
folder, the reports and the provided vendor data beside the clone) is found here, and every
environment variable is read at call time:

``CARBONLIB_ROOT``
    the project folder (the one holding ``pyproject.toml``, ``data/`` and ``notebooks/``), for an
    installation that is not the editable one made by ``make``;
``CARBONLIB_BUILD_DIR``
    the build folder (the tests build in a temporary one);
``CARBONLIB_NOTEBOOKS_DIR``
    another folder of notebooks (the build's own tests use it);
``CARBONLIB_SEEDS``, ``CARBONLIB_SHARED_DATA``
    the two reports, and the provided, non-redistributable data;
``CARBONLIB_EUA_PRICES``
    the EUA price history workbook 06 reads by default;
``CARBONLIB_STAGE_DIR``, ``CARBONLIB_EDITIONS``, ``CARBONLIB_OUTPUTS``
    set by the build and the sweeps for a run they execute: the stage folder, the editions to
    write, and what to write (a sweep: values and tables only).
"""

from __future__ import annotations

import os
from pathlib import Path

from carbonlib.errors import DataError

#: Environment variable naming a EUA price history file.
EUA_PRICES_ENV = "CARBONLIB_EUA_PRICES"
#: The environment variable naming the EEA verified-emissions file workbook 08 reads (provided data).
EEA_EMISSIONS_ENV = "CARBONLIB_EEA_EMISSIONS"

#: Folder of the installed ``carbonlib`` package.
PACKAGE_DIR: Path = Path(__file__).resolve().parent.parent


def _is_project(folder: Path) -> bool:
    return (folder / "pyproject.toml").is_file() and (folder / "data" / "datapackage.json").is_file()


def find_root() -> Path:
    """The project folder: ``$CARBONLIB_ROOT``, else the checkout holding the package (an
    editable install), else the first folder from the working directory upwards that holds
    ``pyproject.toml`` and ``data/datapackage.json``; the package's parent if none does."""
    env = os.environ.get("CARBONLIB_ROOT")
    if env:
        return Path(env).resolve()
    here = PACKAGE_DIR.parent
    if _is_project(here):
        return here
    cwd = Path.cwd().resolve()
    for folder in (cwd, *cwd.parents):
        if _is_project(folder):
            return folder
    return here


#: Repository root (the folder holding ``pyproject.toml``), see :func:`find_root`.
ROOT: Path = find_root()
#: Read-only inputs.
DATA_DIR: Path = ROOT / "data"
RAW_DIR: Path = DATA_DIR / "raw"
ILLUSTRATIVE_DIR: Path = DATA_DIR / "illustrative"
RESOURCES_DIR: Path = DATA_DIR / "resources"
DATAPACKAGE: Path = DATA_DIR / "datapackage.json"


def notebooks_dir() -> Path:
    """The workbooks (``notebooks/`` unless ``CARBONLIB_NOTEBOOKS_DIR`` says otherwise)."""
    return Path(os.environ.get("CARBONLIB_NOTEBOOKS_DIR") or ROOT / "notebooks")


def params_dir() -> Path:
    """The named scenarios: ``<notebooks>/params/<notebook>/<scenario>.yaml``."""
    return notebooks_dir() / "params"


def seeds_dir() -> Path:
    """The two source reports (outside the repository, never written)."""
    return Path(os.environ.get("CARBONLIB_SEEDS") or ROOT.parent / "shared" / "seeds")


def shared_data_dir() -> Path:
    """Provided data that must not be committed (vendor price histories), read by path."""
    return Path(os.environ.get("CARBONLIB_SHARED_DATA") or ROOT.parent / "shared" / "data")


def build_dir() -> Path:
    """Root of all outputs (``build/`` unless ``CARBONLIB_BUILD_DIR`` says otherwise)."""
    return Path(os.environ.get("CARBONLIB_BUILD_DIR") or ROOT / "build").resolve()


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
    return edition_folder(build_dir(), lang)


def edition_folder(base: Path, lang: str = "en") -> Path:
    """An edition's part of a folder laid out as ``build/`` is: ``base`` for English, else ``base/<lang>``."""
    return base if lang == "en" else base / lang


def output_root(lang: str = "en") -> Path:
    """Where the current notebook run writes an edition's ``tables/`` and ``figures/``.

    The build runner's stage folder, laid out as ``build/`` is (English at its root, another
    edition under ``<lang>/``), else (a run from JupyterLab or plain papermill) the edition's
    folder under :func:`build_dir`.
    """
    return edition_folder(stage_dir() or build_dir(), lang)


#: What a run writes unless ``CARBONLIB_OUTPUTS`` names fewer.
OUTPUT_KINDS = ("values", "tables", "figures", "papers")


def run_outputs() -> set[str]:
    """What the current run writes: :data:`OUTPUT_KINDS`, or those ``CARBONLIB_OUTPUTS`` names
    (comma-separated); a sweep asks for ``values,tables`` only, so no figure is drawn."""
    return set(_env_list("CARBONLIB_OUTPUTS") or OUTPUT_KINDS)


def run_editions() -> list[str] | None:
    """The editions the build asks a run to write (``CARBONLIB_EDITIONS``, comma-separated), or
    ``None`` outside the build (a run then writes the edition of its ``lang`` parameter)."""
    return _env_list("CARBONLIB_EDITIONS") or None


def _env_list(name: str) -> list[str]:
    """The comma-separated items of an environment variable (none if unset or empty)."""
    return [v.strip() for v in os.environ.get(name, "").split(",") if v.strip()]


def eua_prices_default() -> str | None:
    """The price history named by ``$CARBONLIB_EUA_PRICES`` (``None`` when unset or empty)."""
    return os.environ.get(EUA_PRICES_ENV, "").strip() or None


def resolve_price_file(price_file: str | None) -> Path | None:
    """The price file a workbook reads, or ``None`` for none.

    Parameters
    ----------
    price_file : str or None
        A path (a relative path is looked up from the project folder, then from the provided
        data folder :func:`shared_data_dir`); ``"$NAME"`` for the file named by the
        environment variable ``NAME`` (workbook 06's default is ``"$CARBONLIB_EUA_PRICES"``),
        none if that variable is unset or empty; ``None`` for no file.

    Returns
    -------
    Path or None
        ``None`` when no file is named (the workbook then shows only the quoted facts).

    Raises
    ------
    DataError
        If a file is named but does not exist (the message says which setting named it).

    Examples
    --------
    >>> resolve_price_file(None) is None
    True
    """
    return resolve_input_file(price_file, "price_file", "price file")


def resolve_input_file(value: str | None, parameter: str, what: str) -> Path | None:
    """A provided input file a workbook reads by path (never committed), or ``None`` for none.

    The rule of :func:`resolve_price_file` for any such file (workbook 08's verified emissions,
    ``"$CARBONLIB_EEA_EMISSIONS"``): a path, looked up from the project folder and then from
    :func:`shared_data_dir`; ``"$NAME"`` for the file the environment variable ``NAME`` names
    (none if it is unset or empty); ``None`` for none.

    Raises
    ------
    DataError
        If a file is named but does not exist: ``"<setting>: no such <what> ..."``.

    Examples
    --------
    >>> resolve_input_file(None, "emissions_file", "verified-emissions file") is None
    True
    """
    if value is None:
        return None
    setting, value = parameter, value.strip()
    if value.startswith("$"):
        setting = value[1:]
        value = os.environ.get(setting, "").strip()
    if not value:
        return None
    p = Path(value).expanduser()
    candidates = [p] if p.is_absolute() else [ROOT / p, shared_data_dir() / p]
    for candidate in candidates:
        if candidate.is_file():
            return candidate
    looked = " and ".join(str(c) for c in candidates)
    raise DataError(f"{setting}: no such {what} {value!r} (looked for {looked})")

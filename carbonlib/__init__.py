"""carbonlib: the calculations behind the carbon-market workbooks.

Two wings (see ``docs/DESIGN.md``):

* **the calculation library**, the modules at this level: the topics (:mod:`~carbonlib.market`,
  :mod:`~carbonlib.kyoto`, :mod:`~carbonlib.cap`, :mod:`~carbonlib.auctions`,
  :mod:`~carbonlib.allocation`, :mod:`~carbonlib.leakage`, :mod:`~carbonlib.effort_sharing`,
  :mod:`~carbonlib.prices`, :mod:`~carbonlib.msr`, :mod:`~carbonlib.outcomes`), the shared :mod:`~carbonlib.checks`, :mod:`~carbonlib.validate`,
  :mod:`~carbonlib.calendar` and :mod:`~carbonlib.errors`, and the loaders
  :mod:`~carbonlib.datasets` and :mod:`~carbonlib.pricefiles`. Pure: pandas in, pandas out, no
  plotting, no environment variables, no Jupyter;
* **figures** (:mod:`carbonlib.figures`): tables in, a matplotlib figure out;
* **the workbench** (:mod:`carbonlib.workbench`): build, sweeps, parameters, runs, rendering,
  papers, translation, provenance, paths, style and the command line.

Submodules are imported on first use (``cl.checks``, ``cl.datasets`` …) so that the command
line starts quickly. In a notebook::

    import carbonlib as cl
    run = cl.start("01_global_carbon_market", globals())
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

#: The calculation library's modules.
LIBRARY = (
    "allocation", "auctions", "calendar", "cap", "checks", "datasets", "effort_sharing", "errors",
    "kyoto", "leakage", "market", "msr", "outcomes", "pricefiles", "prices", "validate",
)
_SUBPACKAGES = ("figures", "workbench")

if TYPE_CHECKING:  # pragma: no cover
    from .workbench.run import Run


def start(notebook: str, namespace: dict[str, Any]) -> Run:
    """Begin a workbook run: check its parameters, apply the house style, return the run.

    See :func:`carbonlib.workbench.run.start`.
    """
    from .workbench.run import start as _start

    return _start(notebook, namespace)


def __getattr__(name: str) -> Any:
    if name in LIBRARY or name in _SUBPACKAGES:
        return importlib.import_module(f".{name}", __name__)
    raise AttributeError(f"module 'carbonlib' has no attribute {name!r}")

"""carbonlib: the calculations behind the carbon-market workbooks.

Submodules are imported on first use (``cl.checks``, ``cl.datasets`` …) so that the command
line starts quickly. In a notebook::

    import carbonlib as cl
    run = cl.start("01_global_carbon_market", globals())
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

_SUBMODULES = {
    "allocation", "auctions", "build", "cap", "checks", "datasets", "effort_sharing", "errors",
    "i18n", "kyoto", "lab", "leakage", "market", "params", "paths", "prices", "provenance", "render", "run",
    "style", "sweep", "validate",
}

if TYPE_CHECKING:  # pragma: no cover
    from .run import Run


def start(notebook: str, namespace: dict[str, Any]) -> Run:
    """Begin a workbook run: check its parameters, apply the house style, return the run.

    See :func:`carbonlib.run.start`.
    """
    from .run import start as _start

    return _start(notebook, namespace)


def __getattr__(name: str) -> Any:
    if name in _SUBMODULES:
        return importlib.import_module(f".{name}", __name__)
    raise AttributeError(f"module 'carbonlib' has no attribute {name!r}")

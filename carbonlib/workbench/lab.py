"""``python -m carbonlib lab``: JupyterLab on the workbooks, with the project's kernel.

What ``make lab`` runs, and what ``tests/test_lab.py`` starts in a real browser. The server
listens on 127.0.0.1 only, opens ``notebooks/``, and starts kernels from this environment
(``.venv``) over IPC. As root, as in a container, it adds ``--allow-root`` and says so in one
line instead of refusing to start.
"""

from __future__ import annotations

import os
import subprocess
import sys
from typing import Any

from . import paths


def command(port: int | None = None, token: str | None = None, open_browser: bool = True,
            extra: list[str] | None = None) -> list[str]:
    """The ``jupyter lab`` command line for this project.

    Parameters
    ----------
    port : int, optional
        Port to listen on (default: JupyterLab's, 8888 or the next free one).
    token : str, optional
        Access token (default: a random one, printed in the server's log with the URL).
    open_browser : bool
        Whether JupyterLab opens a browser window.
    extra : list of str, optional
        Further ``jupyter lab`` options, appended as given.
    """
    argv = [sys.executable, "-m", "jupyterlab", f"--ServerApp.root_dir={paths.notebooks_dir()}",
            "--ServerApp.ip=127.0.0.1", "--KernelManager.transport=ipc"]
    if port is not None:
        argv.append(f"--ServerApp.port={int(port)}")
    if token is not None:
        argv.append(f"--IdentityProvider.token={token}")
    if not open_browser:
        argv.append("--ServerApp.open_browser=False")
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        argv.append("--allow-root")
    return argv + list(extra or [])


def run_cli(args: Any) -> int:
    """Entry point of ``python -m carbonlib lab``: run JupyterLab until it is stopped."""
    argv = command(args.port, args.token, open_browser=not args.no_browser, extra=args.extra)
    if "--allow-root" in argv:
        print("note: running as root (as in a container), so JupyterLab starts with --allow-root",
              file=sys.stderr, flush=True)
    try:
        return subprocess.call(argv)
    except KeyboardInterrupt:
        return 0

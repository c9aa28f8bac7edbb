"""``python -m carbonlib build|params|sweep|lab``: see :mod:`carbonlib.workbench.cli`."""

import sys

from carbonlib.workbench.cli import main

if __name__ == "__main__":
    sys.exit(main())

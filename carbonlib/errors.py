"""Exceptions raised by carbonlib.

Every error that a user can cause (a malformed data file, a bad parameter, an impossible
input to a calculation) is one of these, with a message that names the input and the problem.
"""

from __future__ import annotations


class CarbonlibError(Exception):
    """Base class of all errors raised on purpose by carbonlib."""


class InputError(CarbonlibError, ValueError):
    """An argument to a calculation is invalid (negative volume, low > high, unknown name...)."""


class DataError(CarbonlibError, ValueError):
    """A data file is missing, malformed or fails its schema.

    The message names the file and, where it applies, the row (1-based line number in the
    file, header = line 1) and the column.
    """


class ParameterError(CarbonlibError, ValueError):
    """A notebook parameter is unknown or has the wrong type."""


class BuildError(CarbonlibError, RuntimeError):
    """A notebook failed to build."""

"""Settings shared by the generative (Hypothesis) tests that build a workbook from a drawn valid input.

Each example builds a workbook, so ``make test`` draws only a few
(:data:`VALID_INPUT_EXAMPLES`); the deep run (``make test-deep``) sets
``CARBONLIB_HYPOTHESIS_EXAMPLES`` to draw many more.
"""

from __future__ import annotations

import os

from hypothesis import HealthCheck, Phase, settings

#: Examples per generative valid-input test (``CARBONLIB_HYPOTHESIS_EXAMPLES``, default 3).
VALID_INPUT_EXAMPLES = int(os.environ.get("CARBONLIB_HYPOTHESIS_EXAMPLES", "3"))

#: Hypothesis settings for a test whose every example builds a workbook: no deadline (a build takes
#: seconds), no database (the examples do not depend on earlier runs), derandomised so that
#: ``make test`` draws the same examples every time, and no shrinking (each step of it would be a
#: build: a failure is reported with the input as drawn).
BUILD_SETTINGS = settings(max_examples=VALID_INPUT_EXAMPLES, deadline=None, database=None, derandomize=True,
                          phases=[Phase.explicit, Phase.reuse, Phase.generate],
                          suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture,
                                                 HealthCheck.data_too_large])

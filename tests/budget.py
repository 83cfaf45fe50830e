"""How many examples a property test that asks for many draws under each hypothesis profile.

A test that needs more examples than the profile's default says so with
``@settings(max_examples=examples(N))``: under ``ci`` (``.ci/run``) and ``explore`` it draws
``N``; under ``quick`` (the README's test command, which must stay under ten minutes on a
2-core machine) a quarter of ``N``, never fewer than the profile's 30.  ``quick`` and ``ci``
draw the same examples in the same order (``derandomize``), so ``quick`` runs the first
examples ``ci`` runs.
"""

from __future__ import annotations

import os

QUICK_SHARE = 4
"""``quick`` draws ``N // QUICK_SHARE`` of a test's ``N`` examples."""
QUICK_FLOOR = 30
"""…and never fewer than this (the ``quick`` profile's own default)."""


def examples(n: int) -> int:
    """The number of examples for a test that asks for ``n`` under the profile in use."""
    if os.environ.get("HYPOTHESIS_PROFILE", "quick") != "quick":
        return n
    return max(QUICK_FLOOR, n // QUICK_SHARE)

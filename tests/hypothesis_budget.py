"""How many examples a property test tries: all in `make test`, a fifth in `make test-fast`.

`make test-fast` sets ``FOUI_FAST_TESTS=1`` for a quick loop while working; CI and `make test`
run every property test with its full number of examples. A test that names its number passes it
through :func:`examples`; every other property test takes hypothesis' default (100), which
tests/conftest.py lowers the same way in a fast run (hypothesis profile ``fast``).
"""

from __future__ import annotations

import os

FAST = os.environ.get("FOUI_FAST_TESTS", "").strip() == "1"
DEFAULT = 100  # hypothesis' own max_examples


def examples(full: int) -> int:
    """``full`` examples, or in a fast run a fifth of them (at least 10)."""
    return min(full, max(10, full // 5)) if FAST else full

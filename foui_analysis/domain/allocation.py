"""Exact allocation of a whole-krona total by weights (largest remainder).

Method
------
Each party's exact share ``total * weight / sum(weights)`` is computed as a fraction; every party
first gets the whole kronor below its share, and the kronor left over (fewer than the number of
parties) go one each to the parties with the largest remainders. Ties go to the larger weight,
then to the earlier key in sorted order, so the result does not depend on the order of the input.
The parts always sum exactly to the total and each part differs from its exact share by less than
one krona (Hamilton's method).

Known limits: the method is not "population monotone" (the Alabama paradox): in rare cases a
larger total can give one party a krona less. For fees this is immaterial (one krona) and the
reconciliation stays exact.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction
from typing import TypeVar

Key = TypeVar("Key", int, str)
"""What the parties are named by: municipality codes (``str``), months or bookings (``int``)."""


def allocate(total: int, weights: Mapping[Key, int | Decimal | Fraction]) -> dict[Key, int]:
    """Split ``total`` kronor over ``weights`` so that the parts sum exactly to ``total``."""
    if not isinstance(total, int):
        raise TypeError("total must be whole kronor (int)")
    if total < 0:
        raise ValueError("total must not be negative")
    if any(Fraction(w) < 0 for w in weights.values()):
        raise ValueError("weights must not be negative")
    weight_sum = sum(Fraction(w) for w in weights.values())
    if not weights or weight_sum == 0:
        if total == 0:
            return {key: 0 for key in weights}
        raise ValueError("cannot allocate a total over zero weights")
    exact = {key: Fraction(total) * Fraction(w) / weight_sum for key, w in weights.items()}
    parts = {key: int(share) for key, share in exact.items()}
    left = total - sum(parts.values())
    order = sorted(exact, key=lambda k: (-(exact[k] - parts[k]), -Fraction(weights[k]), k))
    for key in order[:left]:
        parts[key] += 1
    return parts


def round_sek(amount: Decimal | Fraction | int) -> int:
    """Round an amount to whole kronor, half away from zero (the usual öre rounding rule)."""
    if isinstance(amount, Fraction):
        amount = Decimal(amount.numerator) / Decimal(amount.denominator)
    return int(Decimal(amount).quantize(Decimal(1), rounding=ROUND_HALF_UP))

"""How close is close enough: the same-precision-reference rule, and assertions in domain words.

An implementation's output may differ from the float64 oracle by rounding alone. How much
depends on the dtype and on the inputs, so the tolerance is measured, not fixed: run the
bundled reference at the same dtype, see how far *it* lands from the oracle, and allow
FUDGE times that (the rule PyTorch's and FlashAttention's own test suites use). A floor of
FLOOR_ULPS units in the last place, scaled by how much the inputs amplify rounding (the
`condition` of the case), keeps the bound meaningful when the reference happens to be exact.

Example:
    >>> q = np.ones((2, 4), np.float32); v = np.arange(8.0, dtype=np.float32).reshape(2, 4)
    >>> budget = rounding_budget(q, q, v)
    >>> 0 < budget < 1e-4
    True
"""

from contextvars import ContextVar
from dataclasses import dataclass

import numpy as np

import impl
from attnproof.oracle import condition, oracle_attention

FUDGE = 5.0
FLOOR_ULPS = 16.0


@dataclass
class Evidence:
    """The largest error seen against its tolerance over a claim's examples."""

    error: float = 0.0
    tolerance: float = 0.0

    def record(self, error: float, tolerance: float) -> None:
        if tolerance > 0 and (self.tolerance == 0 or error / tolerance > self.error / self.tolerance):
            self.error, self.tolerance = error, tolerance


evidence: ContextVar[Evidence | None] = ContextVar("evidence", default=None)


def rounding_budget(q, k, v, **options) -> float:
    """The most an output of attention(q, k, v, **options) may differ from the exact one.

    max(FUDGE * |reference at q's dtype - oracle|, FLOOR_ULPS * eps(dtype) * condition).
    """
    exact = oracle_attention(q, k, v, **options)  # (..., L, Ev) float64
    same_precision = impl.attention(q, k, v, **options)  # (..., L, Ev) in q's dtype
    spread = condition(q, k, v, options.get("scale"), options.get("enable_gqa"))
    return reference_budget(same_precision, exact, q.dtype, spread)


def joint_budget(*cases) -> float:
    """The budget for comparing outputs of several attention cases: the sum of their rounding budgets."""
    return sum(case.call(rounding_budget) for case in cases)


def reference_budget(same_precision, exact, dtype, spread: float) -> float:
    """max(FUDGE * the same-precision reference's error, FLOOR_ULPS * eps(dtype) * spread).

    `spread` is how far rounding of one unit in the last place can move the result; the
    smallest normal number stands in for it where values are so small that they go subnormal.
    """
    reference_error = max_abs_difference(same_precision, exact)
    finfo = np.finfo(dtype)
    return float(max(FUDGE * reference_error, FLOOR_ULPS * (finfo.eps * spread + finfo.smallest_normal)))


def max_abs_difference(a, b) -> float:
    difference = np.abs(np.asarray(a, np.float64) - np.asarray(b, np.float64))
    return float(difference.max(initial=0.0))


def assert_close(actual, expected, tolerance: float, what: str) -> None:
    """Fail with the place and size of the largest error when |actual - expected| > tolerance."""
    __tracebackhide__ = True
    actual, expected = (
        np.asarray(actual, np.float64),
        np.broadcast_to(np.asarray(expected, np.float64), np.shape(actual)),
    )
    difference = np.abs(actual - expected)
    error = float(difference.max(initial=0.0))
    collector = evidence.get()
    if collector is not None:
        collector.record(error, tolerance)
    if not error <= tolerance:
        where = tuple(int(i) for i in np.unravel_index(np.argmax(difference), difference.shape))
        raise AssertionError(
            f"{what}: at index {where} got {actual[where]:.9g}, expected {expected[where]:.9g} "
            f"(max error {error:.3g} > tolerance {tolerance:.3g})"
        )

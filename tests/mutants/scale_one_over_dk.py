"""Scores divided by d_k instead of sqrt(d_k): the default scale is 1/d_k.

Seen in: tutorials that write `scores / d_k` (or `/ self.d_k`) for the paper's `/ sqrt(d_k)`;
the interview follow-up "why sqrt(d_k), not d_k" exists because this is a common slip.
Why it is wrong: with zero-mean, unit-variance entries q . k has variance d_k; only
1/sqrt(d_k) brings the score back to variance 1. With 1/d_k the variance is 1/d_k, so the
softmax is pushed towards uniform as heads get wider.
"""

from ._compose import mutant

KILLED_BY = "scaling.variance"


def _scale(scale, head_dim):
    return 1.0 / head_dim if scale is None else scale  # the bug: d_k, not sqrt(d_k)


__getattr__ = mutant(resolve_scale=_scale)

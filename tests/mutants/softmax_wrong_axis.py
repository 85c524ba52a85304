"""Softmax taken over the query axis (dim -2) instead of over the keys (dim -1).

Seen in: tutorials calling `F.softmax(scores, dim=1)` on a (batch, L, S) score tensor, or
`dim=-2` copied from code that kept scores transposed.
Why it is wrong: each query's weights must form a probability distribution over the keys; here
each key's column sums to 1 instead, so a query's weights need not sum to 1.
"""

import numpy as np

from impl.attention import softmax

from ._compose import mutant

KILLED_BY = "softmax.distribution"


def _softmax(scores):
    return np.swapaxes(softmax(np.swapaxes(scores, -1, -2)), -1, -2)  # (..., L, S) normalised over L


__getattr__ = mutant(softmax=_softmax)

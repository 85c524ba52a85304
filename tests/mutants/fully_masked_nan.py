"""A query with every key masked gets NaN (0/0) instead of a zero output row.

Seen in: pytorch #103749 and #103963 (SDPA returning NaN for fully masked rows).
Why it is wrong: the textbook softmax exp(s - max s) / sum computes -inf - (-inf) = NaN when
the whole row is -inf; left-padded batches and causal masks with L > S produce such rows, and
the NaN then poisons every later layer. The modern convention is an all-zero row.
"""

import numpy as np

from ._compose import mutant

KILLED_BY = "mask.padding"


def _softmax(scores):
    with np.errstate(invalid="ignore"):  # NaN as a value, as on a GPU, not a warning
        exps = np.exp(scores - scores.max(axis=-1, keepdims=True))  # (..., L, S) NaN on all -inf rows
        return exps / exps.sum(axis=-1, keepdims=True)  # (..., L, S) the bug: 0/0 not guarded


__getattr__ = mutant(softmax=_softmax)

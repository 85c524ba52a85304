"""Softmax without subtracting the row maximum: exp overflows on large scores (inf / inf = NaN).

Seen in: from-scratch tutorials writing `exp(x) / exp(x).sum()`; it is the reason every library
softmax (and FlashAttention's online softmax) carries a running max.
Why it is wrong: softmax is shift invariant, so exp(s - max) gives the same weights without
overflow; plain exp overflows for scores above ~88 in float32 (~709 in float64), which large
activations or a missing scale reach easily.
"""

import numpy as np

from ._compose import mutant

KILLED_BY = "attention.definition"


def _softmax(scores):
    with np.errstate(over="ignore", invalid="ignore"):  # overflow as a value, as on a GPU
        exps = np.exp(scores)  # (..., L, S) the bug: no max subtracted, inf for large scores
        total = exps.sum(axis=-1, keepdims=True)  # (..., L, 1)
        return np.divide(exps, total, out=np.zeros_like(exps), where=total > 0)  # (..., L, S)


__getattr__ = mutant(softmax=_softmax)

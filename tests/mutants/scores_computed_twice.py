"""Q K^T computed twice: once for the row maximum, again for the exponentials.

Seen in: the "safe" softmax written as separate passes over the keys (Milakov & Gimelshein,
"Online normalizer calculation for softmax", 2018, count the passes) with the scores recomputed
in each pass instead of kept, as memory-frugal kernels do on purpose (FlashAttention recomputes
them in the backward pass); here the first pass's scores are materialised anyway.
Why it is wrong: attention costs 2 L S E (the scores) + 2 L S Ev (the weighted values) FLOPs;
recomputing the scores makes it 4 L S E + 2 L S Ev, and the largest array is still the L x S
score matrix, so the second product buys nothing. The output is unchanged (a per-row shift).
"""

import numpy as np

from ._compose import mutant

KILLED_BY = "cost.attention"


def _scores(q, k, v):
    k_t = np.swapaxes(k, -1, -2)  # (..., E, S)
    row_max = (q @ k_t).max(axis=-1, keepdims=True)  # (..., L, 1) pass 1: Q K^T for its row max
    return q @ k_t - row_max  # (..., L, S) the bug: pass 2 computes Q K^T again


__getattr__ = mutant(scores=_scores)

"""Similarity scores computed against the values: softmax(Q V^T) V instead of softmax(Q K^T) V.

Seen in: fused-projection code that slices q, v, k in the wrong order, and typos in
from-scratch tutorials.
Why it is wrong: the keys decide where a query looks and the values what it reads; scoring
against V makes the weights depend on the payload and ignore K (and fails outright when
E != Ev, as the shapes no longer multiply).
"""

import numpy as np

from ._compose import mutant

KILLED_BY = "qkv.value_payload"


def _scores(q, k, v):
    return q @ np.swapaxes(v, -1, -2)  # (..., L, S) the bug: Q V^T


__getattr__ = mutant(scores=_scores)

"""Softmax with 1 added to the denominator: an implicit zero-value "sink" soaks up weight.

Seen in: `torch.nn.MultiheadAttention(add_zero_attn=True)` (a zero key and zero value appended,
which is exactly exp(s) / (1 + sum exp(s))) and the "quiet softmax" of Evan Miller's "Attention
Is Off By One" (2023), pasted into code that claims to be standard attention.
Why it is wrong: the weights no longer sum to 1, so an output row is a shrunken combination of
the value rows: pulled towards 0, it leaves the range of the values when they share a sign.
"""

import numpy as np

from ._compose import mutant

KILLED_BY = "attention.convex_combination"


def _softmax(scores):
    top = np.maximum(scores.max(axis=-1, keepdims=True), 0.0)  # (..., L, 1) the sink's logit 0 counts
    exps = np.exp(scores - top)  # (..., L, S)
    return exps / (np.exp(-top) + exps.sum(axis=-1, keepdims=True))  # (..., L, S) the bug: 1 + sum


__getattr__ = mutant(softmax=_softmax)

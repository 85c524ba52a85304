"""Heads averaged instead of concatenated: the mean head is fed to every slice of W_O.

Seen in: GAT-style "average the heads" output layers copied into Transformer code, and layers
that reduce heads with `.mean(dim=1)` before the output projection.
Why it is wrong: MultiHead = Concat(head_1, ..., head_h) W_O = sum_i head_i W_O^(i); each head's
output must meet its own block of W_O. Averaging feeds mean(head) to every block, which agrees
only when all heads are equal.
"""

import numpy as np

from ._compose import mutant

KILLED_BY = "multihead.concat_projection"


def _combine_heads(heads, w_o, merge_heads):
    mean = np.broadcast_to(heads.mean(axis=-3, keepdims=True), heads.shape)  # (..., h, n, d_v) the bug
    return merge_heads(mean) @ w_o  # (..., n, d_model)


__getattr__ = mutant(combine_heads=_combine_heads)

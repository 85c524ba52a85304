"""A learned position table clamps positions past max_len - 1 to its last row instead of raising.

Seen in: JAX, whose array indexing clamps out-of-bounds indices instead of raising (a Flax
`pos_table[positions]` silently returns the last row), and `position_ids.clamp(max=max_len - 1)`
written to silence PyTorch's "index out of range in self" (huggingface/transformers #8042 is about
that error for too-long inputs).
Why it is wrong: a learned table has a row only for the positions it was trained on; every token
past max_len gets the encoding of position max_len - 1, so they can no longer be told apart, with
no error. Unlike sinusoidal or rotary encodings it cannot extrapolate, and must say so.
"""

import numpy as np

from ._compose import mutant

KILLED_BY = "positions.extrapolation"


def _learned_index(positions, max_len):
    return np.minimum(positions, max_len - 1)  # (n,) the bug: past the table, the last row again


__getattr__ = mutant(learned_index=_learned_index)

"""Causal mask built with triu instead of tril: each query attends itself and the future.

Seen in: rasbt/LLMs-from-scratch #1061 (`triu` where `tril` was needed, or the kept/blocked
roles swapped).
Why it is wrong: in a decoder query i must see only keys j <= i (+ S - L); the upper triangle
is exactly the tokens not generated yet, so training leaks the answer and decoding breaks.
"""

import numpy as np

from ._compose import mutant

KILLED_BY = "mask.causal"


def _causal_mask(n_queries, n_keys):
    return np.triu(np.ones((n_queries, n_keys), dtype=bool))  # (L, S) the bug: j >= i allowed


__getattr__ = mutant(causal_mask=_causal_mask)

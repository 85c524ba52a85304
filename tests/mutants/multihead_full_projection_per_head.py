"""Each head runs the full projection X W and keeps only its own columns: h projections instead of one.

Seen in: per-head loops that compute `q = x @ w_q` inside `for i in range(n_heads)` and slice
`q[:, i * d:(i + 1) * d]`, the loop-invariant product left in the loop (the values are right,
so nothing but the cost gives it away).
Why it is wrong: projecting once costs 2 n d_model^2 per square weight, whatever the number of
heads, so the layer costs 8 n d_model^2 + 4 n^2 d_model; projecting per head repeats the three
input projections h times, (6 h + 2) n d_model^2 + 4 n^2 d_model, growing with h.
"""

import numpy as np

from ._compose import mutant

KILLED_BY = "cost.multihead"


def _project_heads(x, w, n_heads, split_heads):
    d = w.shape[-1] // n_heads
    heads = [(x @ w)[..., i * d : (i + 1) * d] for i in range(n_heads)]  # h x (..., n, d) the bug: X W per head
    return np.stack(heads, axis=-3)  # (..., h, n, d)


__getattr__ = mutant(project_heads=_project_heads)

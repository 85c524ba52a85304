"""Causal mask aligned top-left (j <= i) instead of bottom-right (j <= i + S - L) when L != S.

Seen in: pytorch #103082 and #108108 (`is_causal` aligns top-left), flash-attention #517
(alignment changed between versions).
Why it is wrong: when L new queries attend a cache of S >= L keys the queries are the LAST L
positions; top-left alignment lets a single decode query (L = 1) see only key 0.
"""

import numpy as np

from ._compose import mutant

KILLED_BY = "kv_cache.equivalence"


def _causal_mask(n_queries, n_keys):
    return np.tril(np.ones((n_queries, n_keys), dtype=bool))  # (L, S) the bug: j <= i, no S - L shift


__getattr__ = mutant(causal_mask=_causal_mask)

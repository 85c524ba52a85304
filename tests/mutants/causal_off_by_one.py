"""Causal mask off by one: the diagonal is blocked, so a query never attends its own key.

Seen in: executorch PR #2689 (off by one on the cache length: the current token not attended);
tutorials blocking `triu(ones, diagonal=0)` where `diagonal=1` was meant.
Why it is wrong: query i may attend keys j <= i + (S - L), itself included; here the first
query of a square mask sees no key at all (its output is zero) and every other row loses one key.
"""

import numpy as np

from ._compose import mutant

KILLED_BY = "attention.definition"


def _causal_mask(n_queries, n_keys):
    blocked = np.triu(np.ones((n_queries, n_keys), dtype=bool), k=n_keys - n_queries)  # (L, S) diagonal included
    return ~blocked  # (L, S) the bug: j < i + (S - L)


__getattr__ = mutant(causal_mask=_causal_mask)

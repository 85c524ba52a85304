"""The causal flag is ignored: every query attends every key.

Seen in: wrappers that drop `is_causal` on one code path (e.g. when a mask is also passed, or
on a fused fast path) and encoder code reused as a decoder.
Why it is wrong: with causal=True query i may attend only keys j <= i + (S - L); ignoring it
lets earlier outputs depend on later tokens, which decoding never sees.
"""

import numpy as np

from ._compose import mutant

KILLED_BY = "mask.causal"


def _causal_mask(n_queries, n_keys):
    return np.ones((n_queries, n_keys), dtype=bool)  # (L, S) the bug: nothing blocked


__getattr__ = mutant(causal_mask=_causal_mask)

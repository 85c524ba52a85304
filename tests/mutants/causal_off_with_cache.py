"""The causal mask is switched off whenever L != S: "with a cache, the mask is not needed".

Seen in: mlx-node/mlx-node PR #24 (review: the "causal" mask mode set only when seq_len == kv_len,
so a cached multi-token chunk ran unmasked); Mikyx-1/TinyLLM #17 (the mask applied only `if cache
is None`, so a prefill with a cache attached saw the future).
Why it is wrong: one new query over a cache may see every key, which is why the shortcut passes
token-by-token decoding; but L > 1 new queries (chunked prefill, speculative decoding's check)
must still be masked among themselves: query i sees keys j <= i + (S - L), not the tokens after it.
"""

import numpy as np

from impl.attention import causal_mask

from ._compose import mutant

KILLED_BY = "mask.decode_alignment"


def _causal_mask(n_queries, n_keys):
    if n_queries != n_keys:
        return np.ones((n_queries, n_keys), dtype=bool)  # (L, S) the bug: no mask over a cache
    return causal_mask(n_queries, n_keys)  # (L, S)


__getattr__ = mutant(causal_mask=_causal_mask)

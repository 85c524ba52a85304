"""KV cache stores keys and values in float64 whatever dtype they came in.

Seen in: caches preallocated with a default dtype (`np.zeros(shape)` is float64,
`torch.zeros(shape)` float32) while the model runs in fp16/bf16/fp32.
Why it is wrong: the cache's memory is 2 * layers * Hkv * seq_len * head_dim * bytes per element
of the model's dtype; upcasting multiplies it (x2 from float32, x4 from float16), and the cache
no longer returns what was appended (dtype changes).
"""

import numpy as np

from ._compose import mutant

KILLED_BY = "kv_cache.memory"


def _store(a):
    return np.asarray(a, dtype=np.float64)  # the bug: upcast on the way in


__getattr__ = mutant(store=_store)

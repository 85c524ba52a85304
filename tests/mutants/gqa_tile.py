"""Grouped-query attention expands the key/value heads with tile (h0 h1 h0 h1) instead of repeat (h0 h0 h1 h1).

Seen in: onnx PR #7274 (GroupQueryAttention reference expanding KV heads with tile);
`expand` + `reshape` on the wrong axis does the same.
Why it is wrong: query head h must read KV head h // (Hq / Hkv), so consecutive query heads
share one KV head; tile pairs query head h with KV head h % Hkv instead.
"""

import numpy as np

from impl.attention import kv_group_size

from ._compose import mutant

KILLED_BY = "gqa.repeat_kv"


def _expand_kv(x, n_query_heads):
    n_rep = kv_group_size(n_query_heads, x.shape[-3])
    return np.concatenate([x] * n_rep, axis=-3)  # (..., Hq, S, E) the bug: h0 h1 h0 h1


__getattr__ = mutant(expand_kv=_expand_kv)

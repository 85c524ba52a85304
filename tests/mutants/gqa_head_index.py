"""Grouped-query attention maps query head h to KV head h // Hkv instead of h // (Hq / Hkv).

Seen in: GQA kernels computing `kv_head = head / num_kv_heads` for `head / (num_heads /
num_kv_heads)`.
Why it is wrong: the right divisor is the group size Hq / Hkv. With Hq = Hkv every query head
reads KV head 0; with Hq = 6, Hkv = 3 heads map 0 0 0 1 1 1 (should be 0 0 1 1 2 2); when
h // Hkv passes the last KV head, numpy raises IndexError (a GPU kernel reads other memory).
"""

import numpy as np

from impl.attention import kv_group_size

from ._compose import mutant

KILLED_BY = "gqa.repeat_kv"


def _expand_kv(x, n_query_heads):
    kv_group_size(n_query_heads, x.shape[-3])  # still rejects head counts that do not divide
    kv_head = np.arange(n_query_heads) // x.shape[-3]  # (Hq,) the bug: divides by Hkv
    return x[..., kv_head, :, :]  # (..., Hq, S, E)


__getattr__ = mutant(expand_kv=_expand_kv)

"""Decoding pads the L new queries to all S positions, computes the S x S attention and keeps the last L rows.

Seen in: static-shape decode graphs (exports and compilers that fix the sequence length; cf.
tenstorrent/tt-forge-onnx #422 on padding a KV cache to a static length) that run every decode
step through the full-length prefill graph and slice the new rows out of its output.
Why it is wrong: the outputs are right, but a step with L new queries over S cached keys needs
only their L x S scores, 4 L S d FLOPs; the padded step costs 4 S^2 d, so decoding n tokens
costs sum_t 4 t^2 d, as much as recomputing without a cache: the KV cache saves nothing.
"""

import numpy as np

from ._compose import mutant

KILLED_BY = "cost.kv_cache"


def _query_rows(attend, q, k, v, mask):
    n_queries, n_keys = q.shape[-2], k.shape[-2]
    if n_queries >= n_keys:
        return attend(q, k, v, mask)  # (..., L, Ev)
    missing = n_keys - n_queries
    padding = np.zeros(q.shape[:-2] + (missing, q.shape[-1]), dtype=q.dtype)  # (..., S - L, E)
    q_full = np.concatenate([padding, q], axis=-2)  # (..., S, E) the bug: every position queried again
    if mask is not None:
        rows = np.broadcast_to(mask, np.broadcast_shapes(np.shape(mask), (n_queries, n_keys)))  # (..., L, S)
        mask = np.concatenate([np.ones(rows.shape[:-2] + (missing, n_keys), dtype=bool), rows], axis=-2)  # (..., S, S)
    return attend(q_full, k, v, mask)[..., missing:, :]  # (..., L, Ev) the last L rows of S x S attention


__getattr__ = mutant(query_rows=_query_rows)

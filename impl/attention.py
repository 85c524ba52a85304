"""Scaled dot-product attention, written as plainly as the formula.

    Attention(Q, K, V) = softmax(Q K^T * scale + M) V,   scale = 1/sqrt(d_k) by default

Shapes: q (..., L, E), k (..., S, E), v (..., S, Ev) -> output (..., L, Ev). The mask M is
0 where a query may attend a key and -inf where it may not; a query with no admissible key
gets an all-zero row of weights, so its output is zero rather than NaN.

Example:
    >>> import numpy as np
    >>> q, k, v = np.ones((2, 4)), np.ones((3, 4)), np.arange(6.0).reshape(3, 2)
    >>> attention(q, k, v)          # equal scores: every key weighs 1/3
    array([[2., 3.],
           [2., 3.]])
    >>> attention(q, k, v, causal=True)[0]   # bottom-right aligned: query 0 sees keys 0, 1
    array([1., 2.])
"""

import numpy as np


def causal_mask(n_queries: int, n_keys: int) -> np.ndarray:
    """True where query i may attend key j: j <= i + (S - L), aligned bottom-right.

    Bottom-right alignment makes the last query see every key, which is what a decoder
    needs when L new queries attend a cache of S >= L keys.

    >>> causal_mask(2, 3).astype(int)
    array([[1, 1, 0],
           [1, 1, 1]])
    """
    i = np.arange(n_queries)[:, None]  # (L, 1)
    j = np.arange(n_keys)[None, :]  # (1, S)
    return j <= i + (n_keys - n_queries)  # (L, S)


def softmax(scores: np.ndarray) -> np.ndarray:
    """Row-wise softmax over the last axis; a row that is all -inf becomes all zeros.

    >>> softmax(np.array([[0.0, np.log(3.0)], [-np.inf, -np.inf]]))
    array([[0.25, 0.75],
           [0.  , 0.  ]])
    """
    row_max = scores.max(axis=-1, keepdims=True)  # (..., L, 1)
    row_max = np.where(np.isfinite(row_max), row_max, 0)  # (..., L, 1) fully masked rows
    exps = np.exp(scores - row_max)  # (..., L, S), exp(-inf) = 0
    total = exps.sum(axis=-1, keepdims=True)  # (..., L, 1)
    return np.divide(exps, total, out=np.zeros_like(exps), where=total > 0)  # (..., L, S)


def kv_group_size(n_query_heads: int, n_kv_heads: int) -> int:
    """How many query heads share one key/value head under GQA (Hq / Hkv, which must divide).

    >>> kv_group_size(8, 2)
    4
    """
    if n_kv_heads < 1 or n_query_heads % n_kv_heads:
        raise ValueError(
            f"grouped-query attention needs the key/value heads ({n_kv_heads}) to divide "
            f"the query heads ({n_query_heads})"
        )
    return n_query_heads // n_kv_heads


def repeat_kv(x: np.ndarray, n_rep: int) -> np.ndarray:
    """Repeat each key/value head n_rep times along the head axis (-3): h0 h0 h1 h1, not h0 h1 h0 h1.

    >>> repeat_kv(np.arange(2.0).reshape(2, 1, 1), 2).ravel()
    array([0., 0., 1., 1.])
    """
    return np.repeat(x, n_rep, axis=-3)  # (..., Hkv * n_rep, S, E)


def attention_weights(q, k, mask=None, causal=False, scale=None, enable_gqa=False):
    """The weights softmax(Q K^T * scale + M): one probability distribution over keys per query."""
    if enable_gqa:
        k = repeat_kv(k, kv_group_size(q.shape[-3], k.shape[-3]))  # (..., Hq, S, E)
    if scale is None:
        scale = 1.0 / np.sqrt(q.shape[-1])
    scores = (q @ np.swapaxes(k, -1, -2)) * scale  # (..., L, S)
    allowed = np.ones(scores.shape, dtype=bool)  # (..., L, S)
    if mask is not None:
        allowed = allowed & mask  # (..., L, S)
    if causal:
        allowed = allowed & causal_mask(q.shape[-2], k.shape[-2])  # (..., L, S)
    scores = np.where(allowed, scores, -np.inf)  # (..., L, S)
    return softmax(scores)  # (..., L, S)


def attention(q, k, v, mask=None, causal=False, scale=None, enable_gqa=False):
    """softmax(Q K^T * scale + M) V for q (..., L, E), k (..., S, E), v (..., S, Ev) -> (..., L, Ev).

    Args:
        mask: boolean, broadcastable to (..., L, S); True means the query may attend the key.
        causal: query i may attend key j iff j <= i + (S - L) (bottom-right aligned).
        scale: multiplies the scores; 1/sqrt(E) when None.
        enable_gqa: dim -3 holds heads; query head h reads key/value head h // (Hq // Hkv).
    """
    weights = attention_weights(q, k, mask, causal, scale, enable_gqa)  # (..., L, S)
    if enable_gqa:
        v = repeat_kv(v, kv_group_size(q.shape[-3], v.shape[-3]))  # (..., Hq, S, Ev)
    return (weights @ v).astype(q.dtype, copy=False)  # (..., L, Ev)

"""Projections and multi-head attention: Q = X W_Q, K = X W_K, V = X W_V, then Concat(heads) W_O.

Shapes for one sequence: X (n, d_model); W_Q, W_K (d_model, h * d_k); W_V (d_model, h * d_v);
W_O (h * d_v, d_model). Each head works in its own d_k-wide slice of the projections; with
grouped-query attention the keys and values have fewer heads (Hkv), shared by groups of queries.

Example:
    >>> import numpy as np
    >>> rng = np.random.default_rng(0)
    >>> x = rng.standard_normal((5, 8))                                   # (n, d_model)
    >>> w_q, w_k, w_v, w_o = (rng.standard_normal((8, 8)) for _ in range(4))
    >>> multi_head_attention(x, w_q, w_k, w_v, w_o, n_heads=2).shape   # (n, d_model)
    (5, 8)
"""

import numpy as np

from impl.attention import attention
from impl.positions import rope


def split_heads(x: np.ndarray, n_heads: int) -> np.ndarray:
    """(..., n, h * d) -> (..., h, n, d): head i owns channels i*d .. (i+1)*d - 1.

    >>> split_heads(np.arange(4.0).reshape(1, 4), 2)[:, 0]
    array([[0., 1.],
           [2., 3.]])
    """
    *batch, n, width = x.shape
    heads = x.reshape(*batch, n, n_heads, width // n_heads)  # (..., n, h, d)
    return np.swapaxes(heads, -2, -3)  # (..., h, n, d)


def merge_heads(x: np.ndarray) -> np.ndarray:
    """(..., h, n, d) -> (..., n, h * d): Concat(head_1, ..., head_h) along channels."""
    *batch, h, n, d = x.shape
    return np.swapaxes(x, -2, -3).reshape(*batch, n, h * d)  # (..., n, h * d)


def multi_head_attention(
    x,
    w_q,
    w_k,
    w_v,
    w_o,
    n_heads,
    n_kv_heads=None,
    causal=False,
    mask=None,
    source=None,
    positions=None,
    rope_base=10000.0,
):
    """MultiHead(X) = Concat(head_1, ..., head_h) W_O with head_i = Attention(X W_Q^i, X W_K^i, X W_V^i).

    Args:
        x: (..., n, d_model), the sequence the queries come from.
        w_q: (d_model, h * d_k); w_k: (d_model, Hkv * d_k); w_v: (d_model, Hkv * d_v);
            w_o: (h * d_v, d_model).
        n_heads: h, the number of query heads.
        n_kv_heads: Hkv for grouped-query (1 for multi-query) attention; h when None.
        causal, mask: as in `attention`.
        source: (..., m, d_model) for cross-attention (keys and values from another
            sequence); x itself when None (self-attention).
        positions: int array (n,); when given, queries and keys are rotated by RoPE.
    """
    source = x if source is None else source
    n_kv_heads = n_heads if n_kv_heads is None else n_kv_heads
    q = split_heads(x @ w_q, n_heads)  # (..., h, n, d_k)
    k = split_heads(source @ w_k, n_kv_heads)  # (..., Hkv, m, d_k)
    v = split_heads(source @ w_v, n_kv_heads)  # (..., Hkv, m, d_v)
    if positions is not None:
        q = rope(q, positions, rope_base)  # (..., h, n, d_k)
        k = rope(k, positions, rope_base)  # (..., Hkv, m, d_k)
    heads = attention(q, k, v, mask=mask, causal=causal, enable_gqa=True)  # (..., h, n, d_v)
    return merge_heads(heads) @ w_o  # (..., n, d_model)

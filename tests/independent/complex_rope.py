"""Attention by einsum and log-sum-exp, RoPE by complex multiplication (LLaMA's original layout).

A second independent implementation of the whole protocol, written without impl/: weights are
exp(s - logsumexp(s)) over the admissible keys, GQA is index arithmetic (query head h takes
key/value head h // g), rotary embeddings treat adjacent channel pairs (2i, 2i+1) as complex
numbers x_2i + j x_2i+1 turned by e^(j * position * theta_i), the sinusoidal table is an outer
product interleaved into sin/cos channels, and multi-head attention sums each head's output
through its own block of W_O. Arithmetic stays in the input's dtype, as a kernel's would.

Example:
    >>> import numpy as np
    >>> q, k, v = np.ones((2, 4)), np.ones((3, 4)), np.arange(6.0).reshape(3, 2)
    >>> attention(q, k, v, causal=True)
    array([[1., 2.],
           [2., 3.]])
    >>> rope(np.array([[1.0, 0.0]]), np.array([1])).round(4)   # (1, 0) turned by 1 radian
    array([[0.5403, 0.8415]])
"""

import numpy as np


def _allowed(n_queries: int, n_keys: int, mask, causal: bool):
    """Booleans broadcastable to (..., L, S): the caller's mask, and j - i <= S - L if causal."""
    allowed = np.ones((n_queries, n_keys), dtype=bool) if mask is None else np.asarray(mask, dtype=bool)
    if causal:
        offset = np.subtract.outer(np.arange(n_keys), np.arange(n_queries)).T  # (L, S): j - i
        allowed = allowed & (offset <= n_keys - n_queries)  # (..., L, S)
    return allowed


def _shared_heads(x, n_query_heads: int):
    """(..., Hkv, S, E) -> (..., Hq, S, E): query head h takes key/value head h // (Hq / Hkv)."""
    n_kv_heads = x.shape[-3]
    if n_kv_heads < 1 or n_query_heads % n_kv_heads:
        raise ValueError(f"enable_gqa: {n_kv_heads} key/value heads do not divide {n_query_heads} query heads")
    group = n_query_heads // n_kv_heads
    return np.take(x, np.arange(n_query_heads) // group, axis=-3)  # (..., Hq, S, E)


def attention_weights(q, k, mask=None, causal=False, scale=None, enable_gqa=False):
    """exp(s - logsumexp(s)) over admissible keys, s = scale * q . k; all-zero rows where none is."""
    if enable_gqa:
        k = _shared_heads(k, q.shape[-3])  # (..., Hq, S, E)
    factor = q.dtype.type(1.0 / np.sqrt(q.shape[-1]) if scale is None else scale)  # in q's precision
    s = np.einsum("...le,...se->...ls", q, k) * factor  # (..., L, S)
    s, allowed = np.broadcast_arrays(s, _allowed(q.shape[-2], k.shape[-2], mask, causal))  # (..., L, S) each
    s = np.where(allowed, s, -np.inf)  # (..., L, S)
    anchor = np.max(s, axis=-1, keepdims=True, initial=-np.inf)  # (..., L, 1)
    anchor = np.where(np.isneginf(anchor), 0, anchor)  # (..., L, 1) rows with no key
    shifted = s - anchor  # (..., L, S), <= 0 where admissible
    with np.errstate(divide="ignore", invalid="ignore"):  # log 0 and -inf - (-inf) on rows with no key
        log_total = np.log(np.sum(np.exp(shifted), axis=-1, keepdims=True))  # (..., L, 1) logsumexp - anchor
        weights = np.exp(shifted - log_total)  # (..., L, S), NaN on rows with no key, replaced below
    return np.where(allowed & np.isfinite(log_total), weights, 0)  # (..., L, S)


def attention(q, k, v, mask=None, causal=False, scale=None, enable_gqa=False):
    """softmax(Q K^T * scale + M) V: q (..., L, E), k (..., S, E), v (..., S, Ev) -> (..., L, Ev)."""
    weights = attention_weights(q, k, mask, causal, scale, enable_gqa)  # (..., L, S)
    if enable_gqa:
        v = _shared_heads(v, q.shape[-3])  # (..., Hq, S, Ev)
    return np.einsum("...ls,...se->...le", weights, v).astype(q.dtype)  # (..., L, Ev)


def rope(x, positions, base=10000.0):
    """Turn each adjacent pair (x_2i, x_2i+1), read as x_2i + j x_2i+1, by e^(j * position * base^(-2i/d))."""
    d = x.shape[-1]
    if d % 2:
        raise ValueError(f"rope needs an even number of channels, got {d}")
    theta = np.power(float(base), -np.arange(0, d, 2) / d)  # (d/2,)
    turn = np.exp(1j * np.outer(np.asarray(positions, dtype=np.float64), theta))  # (n, d/2) unit complex
    z = x[..., 0::2] + 1j * x[..., 1::2]  # (..., n, d/2), complex64 for float32 x
    z = z * turn.astype(z.dtype)  # (..., n, d/2)
    return np.stack([z.real, z.imag], axis=-1).reshape(x.shape).astype(x.dtype)  # (..., n, d)


def sinusoidal_pe(n, d, base=10000.0):
    """PE[p, 2i] = sin(p * w_i), PE[p, 2i+1] = cos(p * w_i), w_i = base^(-2i/d): an interleaved outer product."""
    w = np.power(float(base), -np.arange(0, d, 2) / d)  # (ceil(d/2),)
    angles = np.outer(np.arange(n), w)  # (n, ceil(d/2))
    return np.stack([np.sin(angles), np.cos(angles)], axis=-1).reshape(n, 2 * w.size)[:, :d]  # (n, d)


def multi_head_attention(
    x, w_q, w_k, w_v, w_o, n_heads, n_kv_heads=None, causal=False, mask=None, source=None, positions=None,
    rope_base=10000.0,
):  # fmt: skip
    """sum_h head_h W_O^(h), head_h = Attention(x W_Q^(h), source W_K^(g(h)), source W_V^(g(h))).

    x (..., n, d_model); w_q (d_model, h * d_k); w_k (d_model, Hkv * d_k); w_v (d_model, Hkv * d_v);
    w_o (h * d_v, d_model); source (..., m, d_model) for cross-attention (x when None); positions
    (n,) rotate queries and keys by RoPE. Returns (..., n, d_model).
    """
    n_kv_heads = n_heads if n_kv_heads is None else n_kv_heads
    source = x if source is None else source
    d_k, d_v = w_q.shape[-1] // n_heads, w_v.shape[-1] // n_kv_heads
    q = np.einsum("...nc,chk->...hnk", x, w_q.reshape(-1, n_heads, d_k))  # (..., h, n, d_k)
    k = np.einsum("...mc,chk->...hmk", source, w_k.reshape(-1, n_kv_heads, d_k))  # (..., Hkv, m, d_k)
    v = np.einsum("...mc,chv->...hmv", source, w_v.reshape(-1, n_kv_heads, d_v))  # (..., Hkv, m, d_v)
    if positions is not None:
        q, k = rope(q, positions, rope_base), rope(k, positions, rope_base)  # (..., h, n, d_k), (..., Hkv, m, d_k)
    heads = attention(q, k, v, mask=mask, causal=causal, enable_gqa=True)  # (..., h, n, d_v)
    return np.einsum("...hnv,hvc->...nc", heads, w_o.reshape(n_heads, d_v, -1))  # (..., n, d_model)


class KVCache:
    """Per layer, a list of appended chunks; reads concatenate them along the sequence axis."""

    def __init__(self, n_layers: int):
        self._chunks = {layer: ([], []) for layer in range(n_layers)}

    def append(self, layer: int, k, v):
        """Keep copies of k (..., Hkv, t, d_k) and v (..., Hkv, t, d_v); return every key and value so far."""
        keys, values = self._chunks[layer]
        keys.append(np.array(k, copy=True))
        values.append(np.array(v, copy=True))
        return np.concatenate(keys, axis=-2), np.concatenate(values, axis=-2)

    def length(self, layer: int) -> int:
        """Tokens cached for the layer."""
        return sum(chunk.shape[-2] for chunk in self._chunks[layer][0])

    @property
    def nbytes(self) -> int:
        """Bytes stored: every chunk of every layer, keys and values."""
        return sum(chunk.nbytes for keys, values in self._chunks.values() for chunk in keys + values)

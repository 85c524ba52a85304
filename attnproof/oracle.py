"""The float64 oracle: attention computed exactly as the protocol states it, written apart from impl/.

Every numerical claim compares an implementation against this. It favours obviousness over
speed: the admissible set is built from the protocol's own words, GQA by explicit head
indices, and the softmax as exp(s - max) / sum, all in float64.

Example:
    >>> q, k, v = np.zeros((1, 2)), np.zeros((3, 2)), np.arange(3.0)[:, None]
    >>> oracle_attention(q, k, v).tolist()
    [[1.0]]
    >>> oracle_attention(q, k, v, mask=np.array([True, False, False])).tolist()
    [[0.0]]
"""

import numpy as np


def admissible(n_queries: int, n_keys: int, batch_shape: tuple, mask=None, causal=False) -> np.ndarray:
    """(..., L, S) booleans: query i may attend key j (the mask allows it, and j <= i + S - L if causal)."""
    allowed = np.ones(batch_shape + (n_queries, n_keys), dtype=bool)  # (..., L, S)
    if mask is not None:
        allowed &= np.broadcast_to(mask, allowed.shape)  # (..., L, S)
    if causal:
        rows = np.arange(n_queries)[:, None]  # (L, 1)
        cols = np.arange(n_keys)[None, :]  # (1, S)
        allowed &= cols <= rows + (n_keys - n_queries)  # (..., L, S)
    return allowed


def oracle_weights(q, k, mask=None, causal=False, scale=None, enable_gqa=False) -> np.ndarray:
    """softmax(Q K^T * scale + M) in float64, (..., L, S); rows with no admissible key are zero."""
    q, k = np.asarray(q, np.float64), np.asarray(k, np.float64)
    if enable_gqa:
        k = k[..., kv_head_of(q.shape[-3], k.shape[-3]), :, :]  # (..., Hq, S, E)
    scale = 1.0 / np.sqrt(q.shape[-1]) if scale is None else float(scale)
    scores = np.einsum("...le,...se->...ls", q, k) * scale  # (..., L, S)
    allowed = admissible(q.shape[-2], k.shape[-2], scores.shape[:-2], mask, causal)  # (..., L, S)
    scores = np.where(allowed, scores, -np.inf)  # (..., L, S)
    top = np.max(scores, axis=-1, keepdims=True, initial=-np.inf)  # (..., L, 1)
    top = np.where(np.isfinite(top), top, 0.0)  # (..., L, 1)
    exps = np.where(allowed, np.exp(scores - top), 0.0)  # (..., L, S)
    total = exps.sum(axis=-1, keepdims=True)  # (..., L, 1)
    return np.where(total > 0, exps / np.where(total > 0, total, 1.0), 0.0)  # (..., L, S)


def oracle_attention(q, k, v, mask=None, causal=False, scale=None, enable_gqa=False) -> np.ndarray:
    """softmax(Q K^T * scale + M) V in float64, (..., L, Ev)."""
    weights = oracle_weights(q, k, mask, causal, scale, enable_gqa)  # (..., L, S)
    v = np.asarray(v, np.float64)
    if enable_gqa:
        v = v[..., kv_head_of(weights.shape[-3], v.shape[-3]), :, :]  # (..., Hq, S, Ev)
    return np.einsum("...ls,...se->...le", weights, v)  # (..., L, Ev)


def kv_head_of(n_query_heads: int, n_kv_heads: int) -> np.ndarray:
    """Query head h reads key/value head h // (Hq // Hkv): consecutive query heads share one.

    >>> kv_head_of(4, 2).tolist()
    [0, 0, 1, 1]
    """
    return np.arange(n_query_heads) // (n_query_heads // n_kv_heads)


def condition(q, k, v, scale=None, enable_gqa=False) -> float:
    """How much rounding an exact computation can amplify: max|v| * (1 + max_ij sum_t |q_it k_jt| * scale).

    An error of one unit in the last place in each product q_it k_jt moves a score by about
    eps * sum_t |q_it k_jt| * scale, and the output by that much times max|v|.
    """
    q, k = np.abs(np.asarray(q, np.float64)), np.abs(np.asarray(k, np.float64))
    if enable_gqa:
        k = k[..., kv_head_of(q.shape[-3], k.shape[-3]), :, :]  # (..., Hq, S, E)
    scale = 1.0 / np.sqrt(q.shape[-1]) if scale is None else abs(float(scale))
    spread = np.einsum("...le,...se->...ls", q, k).max(initial=0.0) * scale
    return float(np.abs(v).max(initial=0.0) * (1.0 + spread))


PAIRINGS = ("adjacent", "half")  # channels (2i, 2i+1), as in RoFormer; or (i, i + d/2), as in GPT-NeoX


def rope_frequencies(d: int, base: float) -> np.ndarray:
    """w_i = base^(-2i/d), i = 0 .. d/2 - 1, in float64."""
    return float(base) ** (-2.0 * np.arange(d // 2) / d)  # (d/2,)


def oracle_rope(x, positions, base: float, pairing: str) -> np.ndarray:
    """Rotate channel pair i of each row by position * w_i, pairs chosen by `pairing`, in float64.

    >>> (oracle_rope(np.array([[1.0, 0.0, 0.0, 0.0]]), np.array([2]), 1.0, "half").round(4) + 0.0).tolist()
    [[-0.4161, 0.0, 0.9093, 0.0]]
    """
    x = np.asarray(x, np.float64)  # (..., n, d)
    d = x.shape[-1]
    angles = np.asarray(positions, np.float64)[:, None] * rope_frequencies(d, base)  # (n, d/2)
    first, second = (
        (np.arange(0, d, 2), np.arange(1, d, 2)) if pairing == "adjacent" else (np.arange(d // 2), np.arange(d // 2, d))
    )
    out = np.empty_like(x)  # (..., n, d)
    out[..., first] = x[..., first] * np.cos(angles) - x[..., second] * np.sin(angles)  # (..., n, d/2)
    out[..., second] = x[..., first] * np.sin(angles) + x[..., second] * np.cos(angles)  # (..., n, d/2)
    return out


def oracle_sinusoidal(n: int, d: int, base: float) -> np.ndarray:
    """PE[p, 2i] = sin(p w_i), PE[p, 2i+1] = cos(p w_i), (n, d) in float64, d even.

    >>> oracle_sinusoidal(2, 2, 10000.0).round(4).tolist()
    [[0.0, 1.0], [0.8415, 0.5403]]
    """
    angles = np.arange(n)[:, None] * rope_frequencies(d, base)[None, :]  # (n, d/2)
    return np.stack([np.sin(angles), np.cos(angles)], axis=-1).reshape(n, d)  # (n, d), interleaved


def oracle_linear_attention(q, k, v) -> np.ndarray:
    """(phi(Q) phi(K)^T V) / (phi(Q) phi(K)^T 1), phi = elu + 1, in float64: the form linear attention reorders."""
    q, k = (np.asarray(x, np.float64) for x in (q, k))
    phi_q, phi_k = (np.where(x > 0, x + 1.0, np.exp(np.minimum(x, 0.0))) for x in (q, k))  # (..., L, E), (..., S, E)
    kernel = phi_q @ np.swapaxes(phi_k, -1, -2)  # (..., L, S)
    return (kernel @ v) / kernel.sum(axis=-1, keepdims=True)  # (..., L, Ev)

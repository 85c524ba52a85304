"""Cheaper attentions: a sliding window, linear attention, and the online (tiled) softmax.

- sliding_window_attention: each query sees only the last `window` tokens (itself included),
  so it costs O(n w d) instead of O(n^2 d); it is exact causal attention when window >= n.
- linear_attention: replaces exp(q . k) by phi(q) . phi(k), so the sums can be taken in
  the other order, phi(Q) (phi(K)^T V), for O(n d^2); it is a different model, not an
  approximation that converges to softmax attention.
- online_attention: exact softmax attention computed one block of keys at a time with a
  running maximum and sum (the FlashAttention recurrence), never holding the L x S scores.

Example:
    >>> import numpy as np
    >>> from impl.attention import attention
    >>> rng = np.random.default_rng(0)
    >>> q, k, v = rng.standard_normal((3, 6, 4))                               # (n, d) each
    >>> bool(np.allclose(online_attention(q, k, v, block_size=4), attention(q, k, v)))
    True
    >>> bool(np.allclose(sliding_window_attention(q, k, v, window=6), attention(q, k, v, causal=True)))
    True
"""

import numpy as np

from impl.attention import causal_mask, softmax


def sliding_window_attention(q, k, v, window: int, scale=None):
    """Causal self-attention over a window: query i attends keys j with i - window < j <= i.

    The window counts the current token, so each query sees at most `window` keys. Keys are
    gathered into one (window)-wide slot array per query, so the work is n * window, not n^2.

    Args:
        q, k: (..., n, E); v: (..., n, Ev); window >= 1; scale as in `attention`.
    """
    n, e = q.shape[-2], q.shape[-1]
    scale = 1.0 / np.sqrt(e) if scale is None else scale
    pad = window - 1
    k_padded = np.concatenate([np.zeros_like(k[..., :1, :]).repeat(pad, axis=-2), k], axis=-2)  # (..., n + w - 1, E)
    v_padded = np.concatenate([np.zeros_like(v[..., :1, :]).repeat(pad, axis=-2), v], axis=-2)  # (..., n + w - 1, Ev)
    k_slots = np.lib.stride_tricks.sliding_window_view(k_padded, window, axis=-2, subok=True)  # (..., n, E, w)
    v_slots = np.lib.stride_tricks.sliding_window_view(v_padded, window, axis=-2, subok=True)  # (..., n, Ev, w)
    scores = np.einsum("...ne,...new->...nw", q, k_slots) * scale  # (..., n, w)
    key_index = (
        np.arange(n)[:, None] - pad + np.arange(window)[None, :]
    )  # (n, w): slot s of query i is key i - w + 1 + s
    scores = np.where(key_index >= 0, scores, -np.inf)  # (..., n, w) padding slots are not keys
    weights = softmax(scores)  # (..., n, w)
    return np.einsum("...nw,...new->...ne", weights, v_slots).astype(q.dtype, copy=False)  # (..., n, Ev)


def elu_plus_one(x):
    """phi(x) = elu(x) + 1 > 0, the feature map of Katharopoulos et al. (2020)."""
    return np.where(x > 0, x + 1.0, np.exp(np.minimum(x, 0.0)))


def linear_attention(q, k, v, feature_map=elu_plus_one):
    """phi(Q) (phi(K)^T V) / (phi(Q) (phi(K)^T 1)): O(n d_k d_v) by summing over keys first.

    Args:
        q: (..., L, E); k: (..., S, E); v: (..., S, Ev); feature_map: positive, row-wise.
    """
    numerator, denominator = linear_attention_terms(q, k, v, feature_map)  # (..., L, Ev), (..., L, 1)
    return (numerator / denominator).astype(q.dtype, copy=False)  # (..., L, Ev)


def linear_attention_terms(q, k, v, feature_map=elu_plus_one):
    """The numerator phi(Q) (phi(K)^T V), (..., L, Ev), and the normaliser phi(Q) (phi(K)^T 1), (..., L, 1)."""
    phi_q, phi_k = feature_map(q), feature_map(k)  # (..., L, E), (..., S, E)
    phi_k_t = np.swapaxes(phi_k, -1, -2)  # (..., E, S)
    kv = phi_k_t @ v  # (..., E, Ev): sum_j phi(k_j) v_j^T, independent of the query
    z = phi_k_t @ np.ones(k.shape[-2], dtype=k.dtype)  # (..., E): sum_j phi(k_j)
    return phi_q @ kv, phi_q @ z[..., None]  # (..., L, Ev), (..., L, 1)


def online_attention(q, k, v, block_size: int, mask=None, causal=False, scale=None):
    """softmax(Q K^T * scale + M) V, one block of keys at a time, with a running max and sum.

    After each block the state is (m, total, acc): the row maximum of the scores seen so far,
    the sum of exp(s - m) over them, and the sum of exp(s - m) v. A new block with a larger
    maximum m' rescales total and acc by exp(m - m') (`fold_block`); at the end the output is
    acc / total.
    """
    return tiled_attention(q, k, v, block_size, mask, causal, scale, fold=fold_block)  # (..., L, Ev)


def fold_block(total, acc, rescale, p, v_block):
    """The recurrence's step: bring the running sums to the new maximum (rescale), then add the block's."""
    total = rescale * total + p.sum(axis=-1, keepdims=True)  # (..., L, 1)
    acc = rescale * acc + p @ v_block  # (..., L, Ev)
    return total, acc


def tiled_attention(q, k, v, block_size, mask=None, causal=False, scale=None, fold=fold_block):
    """The tiling loop of online attention, each key block folded into the running state by `fold`."""
    n_queries, n_keys = q.shape[-2], k.shape[-2]
    scale = 1.0 / np.sqrt(q.shape[-1]) if scale is None else scale
    allowed = np.ones(q.shape[:-1] + (n_keys,), dtype=bool)  # (..., L, S)
    if mask is not None:
        allowed = allowed & mask  # (..., L, S)
    if causal:
        allowed = allowed & causal_mask(n_queries, n_keys)  # (..., L, S)
    m = np.full(q.shape[:-1] + (1,), -np.inf)  # (..., L, 1) running max
    total = np.zeros(q.shape[:-1] + (1,))  # (..., L, 1) running sum
    acc = np.zeros(q.shape[:-1] + (v.shape[-1],))  # (..., L, Ev) running weighted sum
    for start in range(0, n_keys, block_size):
        block = slice(start, start + block_size)
        s = (q @ np.swapaxes(k[..., block, :], -1, -2)) * scale  # (..., L, B)
        s = np.where(allowed[..., block], s, -np.inf)  # (..., L, B)
        m_new = np.maximum(m, s.max(axis=-1, keepdims=True))  # (..., L, 1)
        m_safe = np.where(np.isfinite(m_new), m_new, 0.0)  # (..., L, 1) rows with no key yet
        rescale = np.exp(np.where(np.isfinite(m), m - m_safe, -np.inf))  # (..., L, 1)
        p = np.exp(s - m_safe)  # (..., L, B)
        total, acc = fold(total, acc, rescale, p, v[..., block, :])  # (..., L, 1), (..., L, Ev)
        m = m_new
    out = np.divide(acc, total, out=np.zeros_like(acc), where=total > 0)  # (..., L, Ev)
    return out.astype(q.dtype, copy=False)

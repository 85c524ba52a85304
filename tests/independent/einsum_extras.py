"""The optional protocol pieces, written a second time without impl/: RNN, learned table, cheaper attentions.

Together with complex_rope (whose attention, RoPE, multi-head and cache it re-exports) this is
a whole second implementation. It is written differently on purpose: the RNN contracts with
einsum, the sliding window loops over queries and slices only the keys in each window, linear
attention contracts phi(K) with V by einsum, and the online softmax keeps an unnormalised
accumulator in the log domain of the running maximum.

Example:
    >>> import numpy as np
    >>> x = np.ones((6, 2))
    >>> bool(np.allclose(sliding_window_attention(x, x, x, window=2), attention(x, x, x, causal=True)))
    True
"""

import numpy as np

from tests.independent.complex_rope import KVCache, attention, multi_head_attention, rope, sinusoidal_pe

__all__ = ["KVCache", "attention", "multi_head_attention", "rope", "sinusoidal_pe"]


def elman_rnn(x, w_xh, w_hh, b, h0=None):
    """Every h_t = tanh(x_t W_xh + h_{t-1} W_hh + b), (..., n, d_h)."""
    h = np.zeros(x.shape[:-2] + (w_hh.shape[0],)) if h0 is None else np.asarray(h0, dtype=float)  # (..., d_h)
    states = np.empty(x.shape[:-1] + (w_hh.shape[0],))  # (..., n, d_h)
    for t in range(x.shape[-2]):
        h = np.tanh(
            np.einsum("...i,ih->...h", x[..., t, :], w_xh) + np.einsum("...g,gh->...h", h, w_hh) + b
        )  # (..., d_h)
        states[..., t, :] = h
    return states.astype(x.dtype)


class LearnedPositions:
    """Rows of a trained table; a position outside 0 .. max_len - 1 is refused."""

    def __init__(self, table):
        self.table = np.asarray(table)  # (max_len, d)

    def __call__(self, positions):
        positions = np.asarray(positions)  # (n,)
        if positions.size and (positions.min() < 0 or positions.max() >= len(self.table)):
            raise ValueError(f"positions must lie in 0..{len(self.table) - 1}, got {positions.tolist()}")
        return self.table[positions]  # (n, d)


def sliding_window_attention(q, k, v, window, scale=None):
    """Query i attends keys max(0, i - window + 1) .. i only; each window sliced out, never the full n x n."""
    scale = 1.0 / np.sqrt(q.shape[-1]) if scale is None else scale
    out = np.empty(q.shape[:-1] + v.shape[-1:], dtype=q.dtype)  # (..., n, Ev)
    for i in range(q.shape[-2]):
        first = max(0, i - window + 1)
        s = np.einsum("...e,...je->...j", q[..., i, :], k[..., first : i + 1, :]) * scale  # (..., w_i)
        p = np.exp(s - s.max(axis=-1, keepdims=True))  # (..., w_i)
        out[..., i, :] = np.einsum("...j,...je->...e", p / p.sum(axis=-1, keepdims=True), v[..., first : i + 1, :])
    return out


def linear_attention(q, k, v):
    """With phi = elu + 1: out_i = phi(q_i) . (sum_j phi(k_j) v_j^T) / phi(q_i) . (sum_j phi(k_j))."""
    phi_q, phi_k = (np.where(x > 0, x + 1.0, np.exp(np.minimum(x, 0.0))) for x in (q, k))  # (..., L, E), (..., S, E)
    memory = np.einsum("...se,...sf->...ef", phi_k, v)  # (..., E, Ev)
    normaliser = np.einsum("...le,...e->...l", phi_q, phi_k.sum(axis=-2))  # (..., L)
    return (np.einsum("...le,...ef->...lf", phi_q, memory) / normaliser[..., None]).astype(q.dtype)  # (..., L, Ev)


def online_attention(q, k, v, block_size, mask=None, causal=False, scale=None):
    """Exact attention over key blocks: an unnormalised output and sum, both kept relative to the running max."""
    n_queries, n_keys = q.shape[-2], k.shape[-2]
    scale = 1.0 / np.sqrt(q.shape[-1]) if scale is None else scale
    allowed = np.broadcast_to(np.ones((n_queries, n_keys), bool) if mask is None else mask, q.shape[:-1] + (n_keys,))
    if causal:
        allowed = allowed & (np.arange(n_keys)[None, :] <= np.arange(n_queries)[:, None] + n_keys - n_queries)
    top = np.full(q.shape[:-1], -np.inf)  # (..., L) running max
    mass = np.zeros(q.shape[:-1])  # (..., L) sum of exp(s - top)
    numerator = np.zeros(q.shape[:-1] + v.shape[-1:])  # (..., L, Ev) sum of exp(s - top) v
    for start in range(0, n_keys, block_size):
        keys = slice(start, start + block_size)
        s = np.where(allowed[..., keys], np.einsum("...le,...se->...ls", q, k[..., keys, :]) * scale, -np.inf)
        new_top = np.maximum(top, s.max(axis=-1))  # (..., L)
        finite = np.isfinite(new_top)  # (..., L): rows that have met an admissible key
        shift = np.where(finite, new_top, 0.0)  # (..., L)
        decay = np.where(np.isfinite(top), np.exp(top - shift), 0.0)  # (..., L)
        p = np.exp(s - shift[..., None])  # (..., L, B)
        mass = decay * mass + p.sum(axis=-1)
        numerator = decay[..., None] * numerator + np.einsum("...ls,...se->...le", p, v[..., keys, :])
        top = new_top
    safe = np.where(mass > 0, mass, 1.0)  # (..., L)
    return np.where(mass[..., None] > 0, numerator / safe[..., None], 0.0).astype(q.dtype)  # (..., L, Ev)

"""Attention by explicit loops: one query row and one key at a time, in exact float64 sums.

An independent implementation of the protocol, written without impl/: the evidence that
attnproof's properties accept correct code that is not the reference. Every score is a
`math.fsum` of products of Python floats, the softmax subtracts the row's largest admissible
score before `math.exp` (so large magnitudes cannot overflow), and the result is cast to q's
dtype only at the end. RoPE uses the split-half pairing (channel i with i + d/2, GPT-NeoX and
Hugging Face LLaMA style), the other layout the protocol allows.

Example:
    >>> import numpy as np
    >>> q, k, v = np.ones((2, 4)), np.ones((3, 4)), np.arange(6.0).reshape(3, 2)
    >>> attention(q, k, v, causal=True)        # query 0 sees keys 0, 1; query 1 sees all three
    array([[1., 2.],
           [2., 3.]])
    >>> attention(q, k, v, mask=np.zeros(3, dtype=bool))   # no admissible key: zeros, not NaN
    array([[0., 0.],
           [0., 0.]])
"""

import math

import numpy as np


def _admissible_keys(row: int, mask_row, n_queries: int, n_keys: int, causal: bool) -> list[int]:
    """The keys query `row` may attend: allowed by the mask row and, if causal, j <= row + S - L."""
    last = row + n_keys - n_queries if causal else n_keys - 1
    return [j for j in range(n_keys) if j <= last and (mask_row is None or mask_row[j])]


def _attend_row(q_row, keys, values, admissible: list[int], scale: float, width: int) -> list[float]:
    """softmax over the admissible keys of scale * (q . k_j), then the weighted sum of their values."""
    if not admissible:
        return [0.0] * width
    scores = [scale * math.fsum(a * b for a, b in zip(q_row, keys[j], strict=True)) for j in admissible]
    top = max(scores)
    exps = [math.exp(s - top) for s in scores]  # each in (0, 1], one of them exactly 1
    total = math.fsum(exps)
    return [math.fsum(e * values[j][c] for e, j in zip(exps, admissible, strict=True)) / total for c in range(width)]


def attention(q, k, v, mask=None, causal=False, scale=None, enable_gqa=False):
    """softmax(Q K^T * scale + M) V for q (..., L, E), k (..., S, E), v (..., S, Ev) -> (..., L, Ev).

    Args:
        mask: boolean, broadcastable to (..., L, S); True where the query may attend the key.
        causal: query i may attend key j only if j <= i + (S - L) (bottom-right aligned).
        scale: multiplies q . k; 1/sqrt(E) when None.
        enable_gqa: axis -3 holds heads; query head h reads key/value head h // (Hq // Hkv).
    """
    n_queries, dim = q.shape[-2:]
    n_keys, width = k.shape[-2], v.shape[-1]
    scale = 1.0 / math.sqrt(dim) if scale is None else float(scale)
    group = 1
    if enable_gqa:
        n_q_heads, n_kv_heads = q.shape[-3], k.shape[-3]
        if n_kv_heads < 1 or n_q_heads % n_kv_heads or v.shape[-3] != n_kv_heads:
            raise ValueError(f"{n_q_heads} query heads cannot share {n_kv_heads} key/value heads evenly")
        group = n_q_heads // n_kv_heads

    def kv_batch(a) -> tuple:
        """The batch shape k or v broadcasts against: with GQA its Hkv heads stand for Hq."""
        return a.shape[:-3] + (q.shape[-3],) if enable_gqa else a.shape[:-2]

    mask = None if mask is None else np.asarray(mask, dtype=bool)
    mask_batch = () if mask is None else mask.shape[:-2]
    batch = np.broadcast_shapes(q.shape[:-2], kv_batch(k), kv_batch(v), mask_batch)
    if mask is not None:
        mask = np.broadcast_to(mask, batch + (n_queries, n_keys))  # (..., L, S)

    def element(a, index: tuple, gqa: bool) -> np.ndarray:
        """a's (rows, channels) matrix for batch element `index`: broadcast dims read index 0."""
        if gqa:
            index = index[:-1] + (index[-1] // group,)  # query head h reads kv head h // (Hq / Hkv)
        shape = a.shape[:-2]
        index = index[len(index) - len(shape) :]
        return a[tuple(0 if size == 1 else i for i, size in zip(index, shape, strict=True))]

    out = np.zeros(batch + (n_queries, width), dtype=np.float64)  # (..., L, Ev)
    for index in np.ndindex(*batch):
        queries = element(q, index, False).astype(np.float64).tolist()  # L rows of E
        keys = element(k, index, enable_gqa).astype(np.float64).tolist()  # S rows of E
        values = element(v, index, enable_gqa).astype(np.float64).tolist()  # S rows of Ev
        for row in range(n_queries):
            mask_row = None if mask is None else mask[index + (row,)].tolist()
            admissible = _admissible_keys(row, mask_row, n_queries, n_keys, causal)
            out[index + (row,)] = _attend_row(queries[row], keys, values, admissible, scale, width)
    return out.astype(q.dtype)


def rotate_half(x):
    """(x1, x2) -> (-x2, x1) on the two halves of the last axis: channel i meets channel i + d/2."""
    half = x.shape[-1] // 2
    return np.concatenate([-x[..., half:], x[..., :half]], axis=-1)  # (..., n, d)


def rope(x, positions, base=10000.0):
    """Rotate channel i with channel i + d/2 by position * base^(-2i/d), for x (..., n, d), d even.

    The angle table is built one position and one frequency at a time; both halves of a row
    share it, so each pair (i, i + d/2) turns as one 2-D rotation.
    """
    d = x.shape[-1]
    if d % 2:
        raise ValueError(f"rotary embeddings need an even head dimension, got {d}")
    half = d // 2
    angles = np.array(
        [[float(p) * float(base) ** (-2.0 * i / d) for i in range(half)] * 2 for p in np.asarray(positions).tolist()]
    ).reshape(len(positions), d)  # (n, d): theta_0 .. theta_{d/2-1}, twice
    x64 = np.asarray(x, dtype=np.float64)  # (..., n, d)
    out = x64 * np.cos(angles) + rotate_half(x64) * np.sin(angles)  # (..., n, d)
    return out.astype(x.dtype)


def sinusoidal_pe(n, d, base=10000.0):
    """PE[p, 2i] = sin(p / base^(2i/d)), PE[p, 2i+1] = cos(p / base^(2i/d)), filled entry by entry."""
    pe = np.zeros((n, d))  # (n, d)
    for p in range(n):
        for channel in range(d):
            pair = channel // 2
            angle = p / float(base) ** (2.0 * pair / d)
            pe[p, channel] = math.sin(angle) if channel % 2 == 0 else math.cos(angle)
    return pe

"""Reading attention's internals through its public protocol.

The protocol returns outputs only, but two probes recover what the claims are about:
- the weights: with V = I (one value row per key, the identity), the output *is* the
  weight matrix, since softmax(...) I = softmax(...);
- a single score: with two keys, k and 0, the weights are softmax(s, 0), so s = log(w0 / w1).

Example:
    >>> import impl
    >>> from attnproof.implementation import from_object
    >>> reference = from_object("impl", impl)
    >>> q = np.array([[1.0, 2.0]]); k = np.array([[3.0, 4.0]])
    >>> float(scaled_scores(reference, q, k, scale=1.0)[0])   # q . k = 11
    11.0
"""

import numpy as np


def identity_values(k: np.ndarray) -> np.ndarray:
    """V = I for keys k (..., S, E): one value row per key, (..., S, S), so the output is the weights."""
    n_keys = k.shape[-2]
    return np.broadcast_to(np.eye(n_keys, dtype=k.dtype), k.shape[:-2] + (n_keys, n_keys)).copy()  # (..., S, S)


def weights(impl, q, k, **options) -> np.ndarray:
    """softmax(Q K^T * scale + M), (..., L, S), read as attention(q, k, I)."""
    __tracebackhide__ = True
    return impl.attention(q, k, identity_values(k).astype(q.dtype), **options)  # (..., L, S)


def scaled_scores(impl, q, k, **options) -> np.ndarray:
    """The score q_r . k_r * scale for each row r of q (N, E) and k (N, E), shape (N,).

    Each row attends two keys, k_r and the zero vector, whose scores are s_r and 0.
    """
    __tracebackhide__ = True
    keys = np.stack([k, np.zeros_like(k)], axis=-2)  # (N, 2, E)
    w = weights(impl, q[:, None, :], keys, **options)[:, 0, :]  # (N, 2)
    return np.log(w[:, 0]) - np.log(w[:, 1])  # (N,)

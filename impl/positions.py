"""Positional information: rotary embeddings (RoPE), sinusoidal encodings and a learned table.

Attention without positions cannot tell token order apart (it is permutation equivariant), so
a Transformer adds position either to the input (sinusoidal, learned) or inside the query/key
computation (RoPE, which rotates q and k so that their dot product depends only on n - m).

Example:
    >>> import numpy as np
    >>> q, k = np.array([[1.0, 0.0]]), np.array([[1.0, 0.0]])
    >>> a = rope(q, np.array([3])) @ rope(k, np.array([5])).T
    >>> b = rope(q, np.array([10])) @ rope(k, np.array([12])).T
    >>> bool(np.allclose(a, b))    # same offset n - m = 2, same score
    True
"""

import numpy as np


def rotation_frequencies(d: int, base: float = 10000.0) -> np.ndarray:
    """theta_i = base^(-2i/d) for i = 0 .. d/2 - 1: one angular speed per pair of channels.

    >>> rotation_frequencies(4, base=100.0)
    array([1. , 0.1])
    """
    i = np.arange(d // 2)  # (d/2,)
    return base ** (-2.0 * i / d)  # (d/2,)


def rope(x: np.ndarray, positions: np.ndarray, base: float = 10000.0) -> np.ndarray:
    """Rotate each adjacent pair of channels (2i, 2i+1) of x by the angle position * theta_i.

    Args:
        x: (..., n, d) with d even; queries or keys, one row per position.
        positions: int array (n,), the absolute position of each row.
        base: the frequency base (10000 in RoFormer and most models).

    >>> rope(np.array([[1.0, 0.0]]), np.array([1]), base=10000.0).round(4)   # angle 1 rad
    array([[0.5403, 0.8415]])
    """
    d = x.shape[-1]
    if d % 2:
        raise ValueError(f"RoPE rotates pairs of channels, so the head dimension must be even, got {d}")
    angles = np.asarray(positions)[:, None] * rotation_frequencies(d, base)[None, :]  # (n, d/2)
    return rotate_adjacent_pairs(x, angles)  # (..., n, d)


def rotate_adjacent_pairs(x: np.ndarray, angles: np.ndarray) -> np.ndarray:
    """Turn channels (2i, 2i+1) of each row of x (..., n, d) by angles[row, i], (n, d/2), in x's dtype."""
    cos, sin = np.cos(angles).astype(x.dtype), np.sin(angles).astype(x.dtype)  # (n, d/2)
    x_even, x_odd = x[..., 0::2], x[..., 1::2]  # (..., n, d/2)
    out = np.empty_like(x)  # (..., n, d)
    out[..., 0::2] = x_even * cos - x_odd * sin  # (..., n, d/2)
    out[..., 1::2] = x_even * sin + x_odd * cos  # (..., n, d/2)
    return out


def sinusoidal_pe(n: int, d: int, base: float = 10000.0) -> np.ndarray:
    """The encodings of "Attention Is All You Need": PE[p, 2i] = sin(p / base^(2i/d)), PE[p, 2i+1] = cos(...).

    Channels are interleaved (sin, cos, sin, cos, ...), not concatenated.

    >>> sinusoidal_pe(2, 4).round(4)
    array([[0.    , 1.    , 0.    , 1.    ],
           [0.8415, 0.5403, 0.01  , 1.    ]])
    """
    p = np.arange(n)[:, None]  # (n, 1)
    i = np.arange((d + 1) // 2)[None, :]  # (1, ceil(d/2))
    angles = p / base ** (2.0 * i / d)  # (n, ceil(d/2))
    pe = np.empty((n, d))  # (n, d)
    pe[:, 0::2] = np.sin(angles)  # (n, ceil(d/2))
    pe[:, 1::2] = np.cos(angles[:, : d // 2])  # (n, floor(d/2))
    return pe


class LearnedPositions:
    """A learned absolute position table: one trained row per position, none past max_len.

    >>> table = LearnedPositions(np.zeros((4, 8)))
    >>> table(np.array([0, 3])).shape
    (2, 8)
    >>> table(np.array([4]))
    Traceback (most recent call last):
    ...
    IndexError: position 4 is past the learned table, which has rows for positions 0..3 only
    """

    def __init__(self, table: np.ndarray):
        self.table = table  # (max_len, d)

    @property
    def max_len(self) -> int:
        return self.table.shape[0]

    def __call__(self, positions: np.ndarray) -> np.ndarray:
        positions = np.asarray(positions)  # (n,)
        beyond = positions[(positions < 0) | (positions >= self.max_len)]
        if beyond.size:
            raise IndexError(
                f"position {int(beyond[0])} is past the learned table, which has rows for "
                f"positions 0..{self.max_len - 1} only"
            )
        return self.table[positions]  # (n, d)

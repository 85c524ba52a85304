r"""Attention written out entry by entry on explicit SymPy matrices, for the derivations at fixed sizes.

It follows impl/attention.py: scores Q K^T / sqrt(d_k) plus an additive mask M (0 where a query may
attend a key, -oo where it may not), a softmax along each row, then the weights times V. A masked
entry gets exp(-oo) = 0, so it leaves both the numerator and the denominator. A row with every key
masked is 0/0 here (SymPy's nan): the derivations state the zero-row convention where they need it.

Example:
    >>> s = sp.Matrix([[0, sp.log(3)]])
    >>> softmax_rows(s)
    Matrix([[1/4, 3/4]])
    >>> causal_mask(2, 3)
    Matrix([
    [0, 0, -oo],
    [0, 0,   0]])
"""

import sympy as sp


def entries(name: str, rows: int, cols: int) -> sp.Matrix:
    """A rows x cols matrix whose entry (i, j) is name[i, j], a real entry of sp.IndexedBase(name)."""
    base = sp.IndexedBase(name, real=True)
    return sp.Matrix(rows, cols, lambda i, j: base[i, j])


def softmax_rows(scores: sp.Matrix) -> sp.Matrix:
    """exp(s_ij) / sum_l exp(s_il) for each entry; an entry -oo contributes exp(-oo) = 0."""
    exps = scores.applyfunc(sp.exp)
    return sp.Matrix(exps.rows, exps.cols, lambda i, j: exps[i, j] / sum(exps.row(i)))


def causal_mask(n_queries: int, n_keys: int) -> sp.Matrix:
    """M_ij = 0 if j <= i + (S - L) else -oo: aligned bottom-right, as in impl.attention.causal_mask."""
    offset = n_keys - n_queries
    return sp.Matrix(n_queries, n_keys, lambda i, j: 0 if j <= i + offset else -sp.oo)


def attention(q: sp.Matrix, k: sp.Matrix, v: sp.Matrix, mask: sp.Matrix | None = None) -> sp.Matrix:
    """softmax(Q K^T / sqrt(d_k) + M) V for explicit q (L, d_k), k (S, d_k), v (S, d_v)."""
    scores = q * k.T / sp.sqrt(q.cols)
    if mask is not None:
        scores += mask
    return softmax_rows(scores) * v

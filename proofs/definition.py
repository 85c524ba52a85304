r"""Claim attention.definition: Attention(Q, K, V) = softmax(Q K^T / sqrt(d_k) + M) V, entry by entry.

Strength: fixed sizes (the matrix form is compared with the element-wise form at L = 2, S = 3, d_k = 2,
d_v = 1, and masked keys drop out of one row of S = 3 keys, because a row's softmax exists as a matrix
only once its length is a number; the score entry, the scale and entry (i, c) of the weights times V
are symbolic in L, S, d_k, d_v and the indices).

Element-wise: out_ic = sum_j p_ij V_jc, p_ij = exp(s_ij + M_ij) / sum_l exp(s_il + M_il) and
s_ij = sum_t Q_it K_jt / sqrt(d_k). A mask entry M_ij = -oo makes exp(s_ij + M_ij) = 0, so key j leaves
both the numerator and the denominator.

Example:
    >>> derive().steps[3].latex()
    'e^{{s}_{1} - \\infty} = 0'
"""

import sympy as sp

from proofs.derivation import Derivation
from proofs.explicit import softmax_rows

L, S, d_k, d_v = sp.symbols("L S d_k d_v", positive=True, integer=True)
i, j, ell, t, c = sp.symbols("i j l t c", integer=True)
Q, K = sp.MatrixSymbol("Q", L, d_k), sp.MatrixSymbol("K", S, d_k)
V = sp.MatrixSymbol("V", S, d_v)


def output_entry(q: sp.MatrixSymbol, k: sp.MatrixSymbol, v: sp.MatrixSymbol, m: sp.MatrixSymbol) -> sp.Expr:
    """Entry (i, c) of the output: sum_j p_ij v_jc, p_ij = exp(s_ij + m_ij) / sum_l exp(s_il + m_il).

    The score s_ij = sum_t q_it k_jt / sqrt(d_k); the sizes are read from the shapes, symbols or numbers.
    """
    width, n_keys = q.shape[1], k.shape[0]

    def score(key: sp.Expr) -> sp.Expr:
        return sp.Sum(q[i, t] * k[key, t], (t, 0, width - 1)) / sp.sqrt(width)

    def weight(key: sp.Expr) -> sp.Expr:
        return sp.exp(score(key) + m[i, key]) / sp.Sum(sp.exp(score(ell) + m[i, ell]), (ell, 0, n_keys - 1))

    return sp.Sum(weight(j) * v[j, c], (j, 0, n_keys - 1))


def derive() -> Derivation:
    proof = Derivation("softmax(Q K^T / sqrt(d_k) + M) V, written entry by entry")
    proof.assume("M_ij is 0 where query i may attend key j and -oo where it may not")
    dot = sp.Sum(Q[i, t] * K[j, t], (t, 0, d_k - 1))
    proof.equal((Q * K.T / sp.sqrt(d_k))[i, j], dot / sp.sqrt(d_k), "entry (i, j) of Q K^T: query i dotted with key j")
    proof.equal(
        dot / sp.sqrt(d_k),
        sp.Pow(d_k, sp.UnevaluatedExpr(-sp.Rational(1, 2))) * dot,
        "dividing by sqrt(d_k) is multiplying by the scale d_k^(-1/2)",
    )
    P = sp.MatrixSymbol("P", L, S)
    proof.equal((P * V)[i, c], sp.Sum(P[i, j] * V[j, c], (j, 0, S - 1)), "entry (i, c) of the weights times V")
    proof.assume("p_ij = exp(s_ij + M_ij) / sum_l exp(s_il + M_il): the softmax of row i of the scores plus M")

    s = sp.IndexedBase("s", real=True)
    masked = sp.exp(sp.Add(s[1], -sp.oo, evaluate=False), evaluate=False)
    proof.equal(masked, 0, "a masked entry: exp(s_ij - oo) = exp(-oo) = 0")
    total = proof.equal(
        sp.Add(sp.exp(s[0]), masked, sp.exp(s[2]), evaluate=False),
        sp.exp(s[0]) + sp.exp(s[2]),
        "a row of three keys with key 1 masked: it leaves the denominator",
    )
    proof.equal(
        sp.Mul(masked, sp.Pow(total, -1), evaluate=False),
        0,
        "and it leaves the numerator: its weight is exactly 0",
    )
    proof.equal(
        sp.exp(s[0]) / sp.Add(sp.exp(s[0]), masked, sp.exp(s[2]), evaluate=False),
        sp.exp(s[0]) / (sp.exp(s[0]) + sp.exp(s[2])),
        "a kept key's weight is the softmax over the kept keys only",
    )

    q, k = sp.MatrixSymbol("Q", 2, 2), sp.MatrixSymbol("K", 3, 2)
    v, m = sp.MatrixSymbol("V", 3, 1), sp.MatrixSymbol("M", 2, 3)
    matrix_form = softmax_rows(sp.Matrix(q) * sp.Matrix(k).T / sp.sqrt(2) + sp.Matrix(m)) * sp.Matrix(v)
    entry = output_entry(q, k, v, m)
    element_wise = sp.Matrix(2, 1, lambda row, col: entry.subs({i: row, c: col}).doit())
    proof.equal(matrix_form, element_wise, "at L = 2, S = 3, d_k = 2, d_v = 1 the matrix form is the element-wise one")
    return proof

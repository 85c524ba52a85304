r"""Claim qkv.value_payload: the weights come from Q and K alone; V is the payload they mix, linearly.

Strength: symbolic (n queries and keys, d_k, d_v and every index are symbols).

The weight a_ij = exp(s_ij) / sum_l exp(s_il), s_ij = q_i . k_j / sqrt(d_k), contains no entry of V, so
A = softmax(Q K^T / sqrt(d_k)) is a fixed matrix as far as V is concerned, and A V is linear in V:
output row i is sum_j a_ij v_j, and d out_ic / d V_jc = a_ij.

Example:
    >>> derive().steps[-1].latex()
    '\\sum_{l=0}^{n - 1} \\delta_{j l} {A}_{i,l} = {A}_{i,j}'
"""

import sympy as sp

from proofs.derivation import Derivation

n, d_k, d_v = sp.symbols("n d_k d_v", positive=True, integer=True)
i, j, ell, t, c = sp.symbols("i j l t c", integer=True)


def derive() -> Derivation:
    proof = Derivation("the attention weights do not involve V, and the output is linear in V")
    q, k, v = sp.IndexedBase("Q"), sp.IndexedBase("K"), sp.IndexedBase("V")

    def score(row: sp.Expr, col: sp.Expr) -> sp.Expr:
        return sp.Sum(q[row, t] * k[col, t], (t, 0, d_k - 1)) / sp.sqrt(d_k)

    weight = sp.exp(score(i, j)) / sp.Sum(sp.exp(score(i, ell)), (ell, 0, n - 1))
    proof.equal(sp.Derivative(weight, v[j, c]), 0, "a weight is built from entries of Q and K only: no V_jc in it")

    A = sp.MatrixSymbol("A", n, n)
    V, V_1, V_2 = (sp.MatrixSymbol(name, n, d_v) for name in ("V", "V_1", "V_2"))
    a, b = sp.symbols("a b", real=True)
    proof.assume("so A = softmax(Q K^T / sqrt(d_k)) is the same matrix whatever V is")
    mixed = proof.equal(A * (a * V_1 + b * V_2), a * A * V_1 + b * A * V_2, "matrix products distribute")
    proof.shape(mixed, (n, d_v), "both sides are one d_v-wide output row per query")

    row = proof.equal((A * V)[i, c], sp.Sum(A[i, ell] * V[ell, c], (ell, 0, n - 1)), "entry (i, c) of A V")
    delta = sp.Sum(A[i, ell] * sp.KroneckerDelta(ell, j, (0, n - 1)), (ell, 0, n - 1))
    proof.equal(sp.Derivative(row, V[j, c]), delta, "only the term l = j contains V_jc")
    proof.equal(delta, A[i, j], "the delta picks the term l = j: the output moves with V_jc at rate a_ij")
    return proof

r"""Claim attention.convex_combination: each output coordinate lies between the min and max admissible value.

Strength: symbolic (n admissible keys, the weights and the values are symbols).

Row i of the output is sum_j p_ij v_j with p_ij >= 0 and sum_j p_ij = 1 over the admissible keys j (a
masked key has weight exactly 0 and adds nothing). Write each value against the extremes,
v_j = v_min + u_j = v_max - w_j with gaps u_j, w_j >= 0: the output is v_min plus a non-negative
average gap, and v_max minus one.

Example:
    >>> derive().steps[-1].latex()
    'v_{max} - \\sum_{j=0}^{n - 1} \\frac{{e}_{j} {w}_{j}}{\\sum_{l=0}^{n - 1} {e}_{l}} \\le v_{max}'
"""

import sympy as sp

from proofs.derivation import Derivation

n = sp.Symbol("n", positive=True, integer=True)
j, ell = sp.symbols("j l", integer=True)


def derive() -> Derivation:
    proof = Derivation("a convex combination stays between the smallest and the largest value")
    e = sp.IndexedBase("e", positive=True)
    u, w = sp.IndexedBase("u", nonnegative=True), sp.IndexedBase("w", nonnegative=True)
    v_min, v_max = sp.symbols("v_min v_max", real=True)
    proof.assume("j runs over the n admissible keys of row i; e_j = exp(s_ij) > 0 is its unnormalised weight")
    proof.assume("u_j = v_j - v_min >= 0 and w_j = v_max - v_j >= 0, by the definition of min and max")
    keys = (j, 0, n - 1)
    p = e[j] / sp.Sum(e[ell], (ell, 0, n - 1))

    proof.holds(sp.Ge(p, 0, evaluate=False), "each weight is a positive number over a positive sum")
    proof.equal(sp.Sum(p, keys), 1, "the weights add to 1")

    above = sp.Sum(p * u[j], keys)
    split = proof.equal(
        sp.Sum(p * (v_min + u[j]), keys),
        v_min * sp.Sum(p, keys) + above,
        "write v_j = v_min + u_j and split the sum",
    )
    output = proof.equal(split, v_min + above, "the weights add to 1")
    proof.holds(sp.Ge(above, 0, evaluate=False), "non-negative weights times non-negative gaps")
    proof.holds(sp.Ge(output, v_min, evaluate=False), "so the output is at least the smallest value")

    below = sp.Sum(p * w[j], keys)
    output = proof.equal(
        sp.Sum(p * (v_max - w[j]), keys), v_max - below, "write v_j = v_max - w_j; the weights add to 1"
    )
    proof.holds(sp.Le(output, v_max, evaluate=False), "a non-negative average gap below v_max: at most the max")
    return proof

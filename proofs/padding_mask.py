r"""Claim mask.padding: a masked (padding) key gets weight exactly 0, so attention sees only the kept keys.

Strength: fixed sizes (L = 2 queries, S = 3 keys with key 1 masked, d_k = d_v = 1, and one row of 3
keys all masked: comparing with attention over a shorter key list needs explicit matrices).

A key-padding mask sets M_ij = -oo for a padding key j in every row. Its exp(s_ij - oo) = 0 leaves
numerator and denominator, so the output equals attention over the kept keys alone. When every key of
a row is masked, numerator and denominator are both 0 (an empty sum): the convention, as in
impl.attention, is an all-zero row of weights, so that output row is 0 rather than NaN.

Example:
    >>> derive().steps[-1].latex()
    'e^{{s}_{0} - \\infty} + e^{{s}_{1} - \\infty} + e^{{s}_{2} - \\infty} = 0'
"""

import sympy as sp

from proofs.derivation import Derivation
from proofs.explicit import attention, entries


def masked_exp(score: sp.Expr) -> sp.Expr:
    """exp(score + M) for a masked entry M = -oo, left unevaluated so the step shows it."""
    return sp.exp(sp.Add(score, -sp.oo, evaluate=False), evaluate=False)


def derive() -> Derivation:
    proof = Derivation("padding keys get weight 0: attention with a key mask is attention over the kept keys")
    proof.assume("the key mask keeps keys 0 and 2 and masks key 1 in every row: M_i1 = -oo, M_i0 = M_i2 = 0")
    q, k, v = entries("q", 2, 1), entries("k", 3, 1), entries("v", 3, 1)
    mask = sp.Matrix(2, 3, lambda row, key: -sp.oo if key == 1 else 0)
    kept = [0, 2]

    proof.equal(
        sp.Matrix([masked_exp(q[row] * k[1]) for row in range(2)]),
        sp.zeros(2, 1),
        "each query's exp(s_i1 + M_i1) = exp(-oo) = 0: the padding key's weight is exactly 0",
    )
    masked_out = attention(q, k, v, mask)
    proof.equal(
        masked_out,
        attention(q, k.extract(kept, [0]), v.extract(kept, [0])),
        "so the masked attention is attention over keys 0 and 2 alone",
    )
    unseen = [k[1], v[1]]
    proof.equal(
        sp.Matrix(2, 2, lambda row, col: sp.Derivative(masked_out[row], unseen[col])),
        sp.zeros(2, 2),
        "the output does not move with the padding key or its value",
    )

    s, value = sp.IndexedBase("s", real=True), sp.IndexedBase("v", real=True)
    keys = range(3)
    proof.equal(
        sp.Add(*[sp.Mul(masked_exp(s[key]), value[key], evaluate=False) for key in keys], evaluate=False),
        0,
        "a row with all 3 keys masked: every term of the numerator is exp(-oo) v_j = 0",
    )
    proof.assume("0/0 has no value; by convention the weights of such a row are all 0, so its output is 0")
    proof.equal(
        sp.Add(*[masked_exp(s[key]) for key in keys], evaluate=False),
        0,
        "and the denominator is an empty sum: 0",
    )
    return proof

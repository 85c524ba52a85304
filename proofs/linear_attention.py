r"""Claim efficient.linear_attention: (phi(Q) phi(K)^T) V = phi(Q) (phi(K)^T V), O(n d^2), but not softmax.

Strength: symbolic (n, d_k, d_v and the split of the keys are symbols; the comparison with softmax attention
is one fixed instance: n = 2, d = 1, phi(x) = elu(x) + 1).

With a feature map phi >= 0 applied row by row, linear attention outputs
out_i = phi(q_i)^T (sum_j phi(k_j) v_j^T) / (phi(q_i)^T sum_j phi(k_j)). Matrix products associate, so
the n x n matrix phi(Q) phi(K)^T need never be formed: phi(K)^T V (d_k x d_v) and z = phi(K)^T 1 (d_k)
are summed over the keys once, for 4 n d_k d_v + 4 n d_k FLOPs instead of 2 n^2 (d_k + d_v). But
phi(q) . phi(k) is not exp(q . k): it is a different model, and its outputs differ from softmax attention's.

Example:
    >>> LINEAR_ATTENTION_FLOPS.subs({n: 4096, d_k: 64, d_v: 64}) / QUADRATIC_FLOPS.subs({n: 4096, d_k: 64, d_v: 64})
    65/4096
"""

import sympy as sp

from proofs.derivation import Derivation, over
from proofs.explicit import attention

n, d_k, d_v = sp.symbols("n d_k d_v", positive=True, integer=True)
LINEAR_ATTENTION_FLOPS = 4 * n * d_k * d_v + 4 * n * d_k
QUADRATIC_FLOPS = 2 * n**2 * d_k + 2 * n**2 * d_v

d, a, n_1, n_2 = sp.symbols("d a n_1 n_2", positive=True, integer=True)
x = sp.Symbol("x", real=True)


def product_flops(left: sp.MatrixExpr, right: sp.MatrixExpr) -> sp.Mul:
    """2abc for an (a x b) by (b x c) product, read off the two factors' shapes."""
    rows, inner = left.shape
    assert inner == right.shape[0], "the factors do not chain"
    return sp.Mul(2, rows, inner, right.shape[1], evaluate=False)


def derive() -> Derivation:
    proof = Derivation("linear attention reorders the products for O(n d^2), but it is not softmax attention")
    proof.assume("phi >= 0 is applied to each row: P_Q = phi(Q), P_K = phi(K); J is the all-ones column")
    proof.assume("an (a x b) by (b x c) matrix product costs 2abc FLOPs; the final division is not counted")
    P_Q, P_K = sp.MatrixSymbol("P_Q", n, d_k), sp.MatrixSymbol("P_K", n, d_k)
    V, J = sp.MatrixSymbol("V", n, d_v), sp.MatrixSymbol("J", n, 1)

    proof.shape(sp.MatMul(P_Q, P_K.T), (n, n), "the quadratic order builds an n x n kernel matrix")
    proof.shape(sp.MatMul(P_K.T, V), (d_k, d_v), "phi(K)^T V = sum_j phi(k_j) v_j^T is d_k x d_v, whatever n is")
    proof.equal(
        sp.MatMul(sp.MatMul(P_Q, P_K.T), V),
        sp.MatMul(P_Q, sp.MatMul(P_K.T, V)),
        "the numerator: matrix products associate",
    )
    proof.equal(
        sp.MatMul(sp.MatMul(P_Q, P_K.T), J),
        sp.MatMul(P_Q, sp.MatMul(P_K.T, J)),
        "the normaliser phi(q_i)^T sum_j phi(k_j), for every row at once: the same reordering",
    )
    A, B = sp.MatrixSymbol("A", n_1, d_k), sp.MatrixSymbol("B", n_2, d_k)
    C, D = sp.MatrixSymbol("C", n_1, d_v), sp.MatrixSymbol("D", n_2, d_v)
    proof.equal(
        sp.MatMul(sp.Transpose(sp.BlockMatrix([[A], [B]])), sp.BlockMatrix([[C], [D]])),
        sp.MatAdd(sp.MatMul(A.T, C), sp.MatMul(B.T, D)),
        "keys split into groups of n_1 + n_2 = n: phi(K)^T V is a sum over keys, added up group by group",
    )

    kv, z = sp.MatMul(P_K.T, V), sp.MatMul(P_K.T, J)
    proof.equal(
        sp.Add(
            product_flops(P_K.T, V),
            product_flops(P_Q, kv),
            product_flops(P_K.T, J),
            product_flops(P_Q, z),
            evaluate=False,
        ),
        LINEAR_ATTENTION_FLOPS,
        "phi(K)^T V, phi(Q) times it, z = phi(K)^T 1, phi(Q) z",
    )
    kernel = sp.MatMul(P_Q, P_K.T)
    proof.equal(
        sp.Add(product_flops(P_Q, P_K.T), product_flops(kernel, V), evaluate=False),
        QUADRATIC_FLOPS,
        "softmax attention's n x n scores and the weights times V",
    )
    widths = {d_k: d, d_v: d}
    same_width = tuple(widths), tuple(widths.values())
    linear = proof.equal(sp.Subs(LINEAR_ATTENTION_FLOPS, *same_width), 4 * n * d**2 + 4 * n * d, "d_k = d_v = d")
    quadratic = proof.equal(sp.Subs(QUADRATIC_FLOPS, *same_width), 4 * n**2 * d, "the same widths")
    proof.equal(over(linear, quadratic), (d + 1) / n, "linear over quadratic: (d + 1)/n")
    saved = proof.equal(quadratic - linear, 4 * n * d * (n - d - 1), "factor out 4 n d")
    proof.holds(
        sp.Gt(saved.subs(n, d + 1 + a), 0, evaluate=False),
        "n = d + 1 + a, a >= 1: linear attention is cheaper once n > d + 1",
    )

    elu_plus_one = sp.Piecewise((x + 1, x > 0), (sp.exp(x), True))
    proof.equal(elu_plus_one.subs(x, sp.UnevaluatedExpr(1)), 2, "phi(x) = elu(x) + 1: phi(1) = 2")
    proof.equal(elu_plus_one.subs(x, sp.UnevaluatedExpr(-1)), sp.exp(-1), "phi(-1) = e^{-1}")
    q, k, v = sp.ImmutableMatrix([[1]]), sp.ImmutableMatrix([[1], [-1]]), sp.ImmutableMatrix([[1], [0]])
    phi_q, phi_k = (m.applyfunc(lambda entry: elu_plus_one.subs(x, entry)) for m in (q, k))
    numerator = proof.equal(
        sp.MatMul(phi_q, sp.MatMul(phi_k.T, v)),
        sp.ImmutableMatrix([[4]]),
        "n = 2, d = 1: q = 1, k = (1, -1), v = (1, 0), so phi(q) = 2, phi(k) = (2, 1/e)",
    )
    normaliser = proof.equal(
        sp.MatMul(phi_q, sp.MatMul(phi_k.T, sp.ones(2, 1))),
        sp.ImmutableMatrix([[4 + 2 * sp.exp(-1)]]),
        "the normaliser phi(q) (phi(k_1) + phi(k_2))",
    )
    linear_out = proof.equal(
        over(numerator[0], normaliser[0]), 2 * sp.E / (2 * sp.E + 1), "linear attention's output: weights 4 and 2/e"
    )
    softmax_out = proof.equal(
        attention(q, k, v)[0], sp.E**2 / (sp.E**2 + 1), "softmax attention's output: weights e and 1/e"
    )
    gap = proof.equal(
        sp.Add(linear_out, -softmax_out, evaluate=False),
        sp.E * (2 - sp.E) / ((2 * sp.E + 1) * (sp.E**2 + 1)),
        "over a common denominator",
    )
    proof.holds(sp.Lt(gap, 0, evaluate=False), "e > 2: the outputs differ, linear attention is not softmax attention")
    return proof

r"""Claim cost.multihead: h heads of width d_model/h cost the same FLOPs as one full-width head.

Strength: symbolic (n, d_model and h are positive integer symbols, with h dividing d_model).

The four projections X W_Q, X W_K, X W_V and Concat(heads) W_O are d_model x d_model whatever h
is. Each head's attention costs 2 n^2 d_k + 2 n^2 d_v with d_k = d_v = d_model/h, so the h heads
together cost 4 n^2 d_model: splitting the width into heads buys h attention patterns for free.

Example:
    >>> MULTIHEAD_FLOPS.subs({n: 1024, d_model: 512})
    4294967296
"""

import sympy as sp

from proofs.derivation import Derivation

n, d_model, h = sp.symbols("n d_model h", positive=True, integer=True)
MULTIHEAD_FLOPS = 8 * n * d_model**2 + 4 * n**2 * d_model


def derive() -> Derivation:
    proof = Derivation("h heads of width d_model/h cost what one head of width d_model costs")
    proof.assume("d_k = d_v = d_model / h, with h dividing d_model")
    head_width = d_model / h
    projections = proof.equal(
        sp.Mul(4, sp.Mul(2, n, d_model, d_model, evaluate=False), evaluate=False),
        8 * n * d_model**2,
        "W_Q, W_K, W_V and W_O: four products of X (n x d_model) by W (d_model x d_model), whatever h is",
    )
    one_head = proof.equal(
        sp.Add(2 * n**2 * sp.UnevaluatedExpr(head_width), 2 * n**2 * sp.UnevaluatedExpr(head_width), evaluate=False),
        4 * n**2 * d_model / h,
        "one head: scores (2 n^2 d_k) and weighted values (2 n^2 d_v), d_k = d_v = d_model / h",
    )
    heads = proof.equal(sp.Mul(h, one_head, evaluate=False), 4 * n**2 * d_model, "h heads: the h cancels")
    total = proof.equal(sp.Add(projections, heads, evaluate=False), MULTIHEAD_FLOPS, "projections plus attention")
    proof.equal(sp.Derivative(total, h), 0, "the cost does not depend on the number of heads")
    proof.equal(
        sp.Subs(8 * n * d_model**2 + h * (4 * n**2 * d_model / h), h, 1),
        MULTIHEAD_FLOPS,
        "so h heads cost what one full-width head (h = 1) costs",
    )
    return proof

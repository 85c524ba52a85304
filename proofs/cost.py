r"""Claim cost.attention: attention costs O(n^2 d) time and O(n^2) memory per head; an RNN O(n d^2).

Strength: symbolic (every size is a positive integer symbol).

Counting a matrix product of (a x b) by (b x c) as 2abc FLOPs: the scores Q K^T cost 2 L S d_k,
the weights times V 2 L S d_v, and the L x S score matrix is held whole. An Elman RNN spends
2 d_in d_h + 2 d_h^2 per step on x_t W_xh and h_{t-1} W_hh. With L = S = n and every width d,
attention costs n/d times the RNN: more once the sequence is longer than the width. The RNN
needs n steps one after another; attention's n^2 products are independent and run in
parallel, though generation still emits one token per step either way.

Example:
    >>> ATTENTION_FLOPS.subs({L: 1024, S: 1024, d_k: 64, d_v: 64})   # one head, 1024 tokens
    268435456
"""

import sympy as sp

from proofs.derivation import Derivation, over

L, S, d_k, d_v, n, d_in, d_h, d = sp.symbols("L S d_k d_v n d_in d_h d", positive=True, integer=True)


def product_flops(rows, inner, columns):
    """FLOPs of a (rows x inner) by (inner x columns) product: a multiply and an add per term."""
    return 2 * rows * inner * columns


ATTENTION_FLOPS = product_flops(L, d_k, S) + product_flops(L, S, d_v)
SCORE_ELEMENTS = L * S
RNN_FLOPS = 2 * n * (d_in * d_h + d_h**2)


def derive() -> Derivation:
    proof = Derivation("attention's cost grows with n^2, an RNN's with n")
    proof.assume("an (a x b) by (b x c) matrix product costs 2abc FLOPs; elementwise work is not counted")
    proof.equal(
        sp.Add(sp.Mul(2, L, d_k, S, evaluate=False), sp.Mul(2, L, S, d_v, evaluate=False), evaluate=False),
        ATTENTION_FLOPS,
        "Q (L x d_k) times K^T (d_k x S), then the weights (L x S) times V (S x d_v)",
    )
    self_attention = {L: n, S: n, d_k: d, d_v: d}
    quadratic = proof.equal(
        sp.Subs(ATTENTION_FLOPS, tuple(self_attention), tuple(self_attention.values())),
        4 * n**2 * d,
        "self-attention: L = S = n, d_k = d_v = d",
    )
    proof.equal(
        sp.Subs(SCORE_ELEMENTS, (L, S), (n, n)), n**2, "the score matrix alone holds n^2 numbers, whatever d is"
    )
    proof.equal(
        sp.Mul(n, sp.Add(2 * d_in * d_h, 2 * d_h**2, evaluate=False), evaluate=False),
        RNN_FLOPS,
        "n steps, one after another, each x_t W_xh (2 d_in d_h) and h_{t-1} W_hh (2 d_h^2)",
    )
    recurrent = proof.equal(sp.Subs(RNN_FLOPS, (d_in, d_h), (d, d)), 4 * n * d**2, "with d_in = d_h = d")
    proof.equal(
        over(quadratic, recurrent),
        n / d,
        "attention costs n/d times the RNN: more once n > d",
    )
    proof.equal(
        sp.Limit(over(quadratic, n**2), n, sp.oo), 4 * d, "attention's cost over n^2 tends to a constant: O(n^2 d)"
    )
    proof.equal(sp.Limit(over(recurrent, n), n, sp.oo), 4 * d**2, "the RNN's cost over n tends to a constant: O(n d^2)")
    return proof

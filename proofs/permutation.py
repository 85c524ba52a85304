r"""Claim attention.permutation_equivariance: with no positions and no mask, Attn(P X) = P Attn(X) for each P.

Strength: fixed sizes (n = 3 tokens, all 6 permutations, d_k = d_v = 1; the projection and score steps are
symbolic in n, but the softmax of a row, whose permutation is the crux, exists as a formula only at a fixed
length).

Permuting the tokens permutes the rows of Q, K and V, so the scores become P S P^T: rows and columns
shuffled alike. A row's softmax does not care in which order its entries come, so the weights become
P A P^T, and P^T P = I leaves P A V. Permuting keys and values together changes nothing at all
(cross-attention). A causal mask is tied to positions, and it breaks the symmetry.

Example:
    >>> causal_break = derive().steps[-1]
    >>> causal_break.lhs[0], causal_break.rhs[0]  # row 0: one token seen after the swap, two before
    (1, E/(1 + E))
"""

from itertools import permutations

import sympy as sp

from proofs.derivation import Derivation
from proofs.explicit import attention, causal_mask, entries, softmax_rows

n, d_model, d_k = sp.symbols("n d_model d_k", positive=True, integer=True)


def permutation_matrix(order: tuple[int, ...]) -> sp.Matrix:
    """P with (P X)_i = X_order[i]: row i of P X is row order[i] of X."""
    size = len(order)
    return sp.Matrix(size, size, lambda row, col: int(col == order[row]))


def derive() -> Derivation:
    proof = Derivation("self-attention without positions commutes with permuting the tokens")
    P, X = sp.MatrixSymbol("P", n, n), sp.MatrixSymbol("X", n, d_model)
    W_Q, W_K = sp.MatrixSymbol("W_Q", d_model, d_k), sp.MatrixSymbol("W_K", d_model, d_k)
    proof.equal(
        (P * X) * W_Q,
        P * (X * W_Q),
        "a projection acts row by row: (P X) W = P (X W), so Q, K, V -> P Q, P K, P V",
    )
    Q, K = X * W_Q, X * W_K
    proof.equal((P * Q) * (P * K).T, P * (Q * K.T) * P.T, "the scores are permuted in rows and columns alike")

    orders = list(permutations(range(3)))
    S = entries("s", 3, 3)
    for order in orders:
        p = permutation_matrix(order)
        proof.equal(
            softmax_rows(p * S * p.T),
            p * softmax_rows(S) * p.T,
            f"tokens reordered as {order}: a row's softmax does not depend on the order of its entries",
        )
    ps = [permutation_matrix(order) for order in orders]
    proof.equal(sp.Matrix.vstack(*[p.T * p for p in ps]), sp.Matrix.vstack(*[sp.eye(3)] * 6), "P^T P = I for all six")

    q, k, v = entries("q", 3, 1), entries("k", 3, 1), entries("v", 3, 1)
    proof.equal(
        sp.Matrix.vstack(*[attention(p * q, p * k, p * v) for p in ps]),
        sp.Matrix.vstack(*[p * attention(q, k, v) for p in ps]),
        "so, for all six: Attn(P Q, P K, P V) = P A P^T P V = P Attn(Q, K, V)",
    )
    queries = entries("y", 2, 1)
    proof.equal(
        sp.Matrix.vstack(*[attention(queries, p * k, p * v) for p in ps]),
        sp.Matrix.vstack(*[attention(queries, k, v)] * 6),
        "cross-attention: permuting keys and values together changes no output",
    )

    x = sp.Matrix([0, 1, 2])
    swap = permutation_matrix((1, 0, 2))
    mask = causal_mask(3, 3)
    proof.holds(
        sp.Ne(attention(swap * x, swap * x, swap * x, mask), swap * attention(x, x, x, mask), evaluate=False),
        "causal, Q = K = V = x = (0, 1, 2), P swaps tokens 0 and 1: Attn(P x) != P Attn(x)",
    )
    return proof

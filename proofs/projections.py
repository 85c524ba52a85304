r"""Claim qkv.shapes: Q = X W_Q and K = X W_K are n x d_k, V = X W_V is n x d_v, Q K^T is n x n, A V n x d_v.

Strength: symbolic (n, m, d_model, d_k, d_v are symbols; only the ill-typed Q K counterexample uses the
fixed sizes n=5, d_k=7, because SymPy rejects a product only when it can tell the sizes differ).

Cross-attention takes its queries from another sequence Y (m x d_model): the scores are m x n and the
output m x d_v. Self-attention is the case Y = X.

Example:
    >>> derive().steps[4].latex()
    'X W_{Q} W_{K}^{T} X^{T} \\in \\mathbb{R}^{n \\times n}'
"""

import sympy as sp

from proofs.derivation import Derivation

n, m, d_model, d_k, d_v = sp.symbols("n m d_model d_k d_v", positive=True, integer=True)
X = sp.MatrixSymbol("X", n, d_model)
Y = sp.MatrixSymbol("Y", m, d_model)
W_Q = sp.MatrixSymbol("W_Q", d_model, d_k)
W_K = sp.MatrixSymbol("W_K", d_model, d_k)
W_V = sp.MatrixSymbol("W_V", d_model, d_v)


def derive() -> Derivation:
    proof = Derivation("Q, K, V, the scores and the output have the shapes of the formula")
    proof.assume("softmax acts on each row of the scores, so the weights A have the shape of Q K^T")
    proof.shape(X, (n, d_model), "X holds one d_model-wide row per token")
    Q = proof.shape(X * W_Q, (n, d_k), "an (n x d_model) times a (d_model x d_k) matrix is n x d_k")
    K = proof.shape(X * W_K, (n, d_k), "the keys use the same input with their own d_model x d_k weights")
    V = proof.shape(X * W_V, (n, d_v), "the values have their own width d_v")
    scores = proof.shape(Q * K.T, (n, n), "K^T is d_k x n, so Q K^T has one score per query and key")
    A = sp.MatrixSymbol("A", *scores.shape)
    proof.shape(A * V, (n, d_v), "the weights (n x n) mix the n value rows: one d_v-wide output per query")

    Q_cross = proof.shape(Y * W_Q, (m, d_k), "cross-attention: the m queries come from Y")
    cross_scores = proof.shape(Q_cross * K.T, (m, n), "each of the m queries scores each of the n keys")
    A_cross = sp.MatrixSymbol("A", *cross_scores.shape)
    proof.shape(A_cross * V, (m, d_v), "one d_v-wide output per query, none per key")
    proof.equal(cross_scores.subs({Y: X, m: n}), scores, "put Y = X (so m = n): self-attention is cross-attention")

    Q_fixed, K_fixed = sp.MatrixSymbol("Q", 5, 7), sp.MatrixSymbol("K", 5, 7)
    proof.rejects(
        lambda: Q_fixed * K_fixed,
        r"Q K \text{ with } Q, K \in \mathbb{R}^{5 \times 7}",
        "without the transpose the inner sizes (7 and 5) differ",
    )
    return proof

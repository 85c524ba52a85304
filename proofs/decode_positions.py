r"""Claim positions.decode: a decoded token is rotated at its absolute position t, as in the full pass.

Strength: symbolic (positions m, n, t, the shift c and the angle theta are symbols; the d x d rotation is
shown block by block at d = 4 with symbolic frequencies, and the restart mistake with one numeric instance).

With RoPE the score of a query at position m and a key at position n is <R_m q, R_n k> = <q, R_{n-m} k>:
R_p is block-diagonal with 2 x 2 blocks R(p theta_i), so it is enough to check one block. The cache holds
each key rotated at its own position n; a new token decoded at its absolute position t gets
<q, R_{n-t} k>, exactly row t of the full pass. Restarting the new token at position 0 gives
<q, R_n k> instead, which is wrong unless t = 0. Moving every position by the same c changes no score.

Example:
    >>> derive().steps[-1].latex()  # t = 2, n = 0, theta = 1, q = k = e_1: restarting at 0 changes the score
    '\\cos{\\left(2 \\right)} \\ne 1'
"""

import sympy as sp

from proofs.derivation import Derivation

m, n, t, c = sp.symbols("m n t c", integer=True)
theta = sp.Symbol("theta", real=True)
q = sp.ImmutableMatrix(sp.symbols("q_0 q_1", real=True))
k = sp.ImmutableMatrix(sp.symbols("k_0 k_1", real=True))


def rotation(angle: sp.Expr) -> sp.ImmutableMatrix:
    """R(angle) = [[cos, -sin], [sin, cos]], one 2 x 2 block of R_p."""
    return sp.ImmutableMatrix([[sp.cos(angle), -sp.sin(angle)], [sp.sin(angle), sp.cos(angle)]])


def score(angle_q: sp.Expr, angle_k: sp.Expr, query=q, key=k) -> sp.MatMul:
    """<R(angle_q) q, R(angle_k) k> = (R(angle_q) q)^T (R(angle_k) k), unevaluated."""
    return sp.MatMul(sp.Transpose(sp.MatMul(rotation(angle_q), query)), sp.MatMul(rotation(angle_k), key))


def relative(angle: sp.Expr, query=q, key=k) -> sp.MatMul:
    """<q, R(angle) k> = q^T R(angle) k, unevaluated."""
    return sp.MatMul(query.T, rotation(angle), key)


def derive() -> Derivation:
    proof = Derivation("decoding rotates each new token at its absolute position; a common shift changes nothing")
    proof.assume("every cached key was rotated at its own absolute position n when it was written")

    theta_0, theta_1 = sp.symbols("theta_0 theta_1", real=True)
    blocks = [sp.diag(rotation(p * theta_0), rotation(p * theta_1)) for p in (m, n)]
    proof.equal(
        sp.MatMul(sp.Transpose(blocks[0]), blocks[1]),
        sp.diag(rotation((n - m) * theta_0), rotation((n - m) * theta_1)),
        "d = 4: R_m^T R_n is block by block R(m theta_i)^T R(n theta_i) = R((n - m) theta_i)",
    )
    turned = proof.equal(
        score(m * theta, n * theta),
        sp.MatMul(q.T, sp.Transpose(rotation(m * theta)), rotation(n * theta), k),
        "one block: (A x)^T = x^T A^T",
    )
    proof.equal(turned, relative((n - m) * theta), "R(m theta)^T R(n theta) = R((n - m) theta): angles add")

    proof.equal(
        score(t * theta, n * theta),
        relative((n - t) * theta),
        "decoding at the absolute position t computes <R_t q, R_n k>: row m = t of the full pass, <q, R_{n-t} k>",
    )
    proof.equal(
        score(0, n * theta),
        relative(n * theta),
        "restarting the new token at position 0: R_0 = I leaves q, so <q, R_n k>, right only if t = 0",
    )

    shifted = proof.equal(
        score((m + c) * theta, (n + c) * theta),
        relative(sp.Mul(sp.Add(n + c, -(m + c), evaluate=False), theta, evaluate=False)),
        "every position moved by c: the score sees (n + c) - (m + c)",
    )
    shifted = proof.equal(shifted, relative((n - m) * theta), "c cancels")
    proof.equal(shifted, score(m * theta, n * theta), "so <R_{m+c} q, R_{n+c} k> = <R_m q, R_n k> for every c")

    one = sp.ImmutableMatrix([1, 0])
    right = proof.equal(
        relative(-2, one, one), sp.ImmutableMatrix([[sp.cos(2)]]), "t = 2, n = 0, theta = 1, q = k = e_1: <q, R_{-2} k>"
    )
    wrong = proof.equal(relative(0, one, one), sp.ImmutableMatrix([[1]]), "restarted at 0: <q, R_0 k> = <q, k>")
    proof.holds(sp.Ne(right[0], wrong[0], evaluate=False), "cos 2 is not 1: the restarted score is wrong")
    return proof

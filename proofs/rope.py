r"""Claim positions.rope: <R(m theta) q, R(n theta) k> = <q, R((n - m) theta) k>: the score sees only n - m.

Strength: symbolic (the angle, m, n and theta are symbols; the sum over the d/2 pairs has a symbolic
number of terms; the block-diagonal split is shown at d = 4 and the mistake with a numeric instance).

R(a) = [[cos a, -sin a], [sin a, cos a]] turns a pair of channels by the angle a. It keeps lengths
(R^T R = I), R(0) = I, and angles add (R(a) R(b) = R(a + b)), so R(m theta)^T R(n theta) = R((n - m) theta).
RoPE turns pair i by m theta_i, theta_i = base^(-2i/d), which is a block-diagonal rotation: the score
is the sum over pairs, each depending on n - m alone. The teaching mistake R_{m+n} is not it.

Example:
    >>> derive().steps[-1].latex()
    '\\cos{\\left(1 \\right)} \\ne \\cos{\\left(3 \\right)}'
"""

import sympy as sp

from proofs.derivation import Derivation

m, n = sp.symbols("m n", integer=True)
theta, a, b = sp.symbols("theta a b", real=True)
d = sp.Symbol("d", integer=True, positive=True)
base = sp.Symbol("base", positive=True)
i = sp.Symbol("i", integer=True, nonnegative=True)


def rotation(angle: sp.Expr, evaluate: bool = True) -> sp.ImmutableMatrix:
    """R(angle) = [[cos, -sin], [sin, cos]]; evaluate=False keeps e.g. cos(0) visible."""
    cos, sin = sp.cos(angle, evaluate=evaluate), sp.sin(angle, evaluate=evaluate)
    return sp.ImmutableMatrix([[cos, -sin], [sin, cos]])


def frequency(pair: sp.Expr) -> sp.Expr:
    """theta_i = base^(-2i/d), the angular speed of channel pair i."""
    return base ** (-2 * pair / d)


def score(angle_q: sp.Expr, angle_k: sp.Expr, q: sp.ImmutableMatrix, k: sp.ImmutableMatrix) -> sp.MatMul:
    """(R(angle_q) q)^T (R(angle_k) k), unevaluated."""
    return sp.MatMul(sp.Transpose(sp.MatMul(rotation(angle_q), q)), sp.MatMul(rotation(angle_k), k))


def derive() -> Derivation:
    proof = Derivation("rotating q by m theta and k by n theta leaves a score that depends on n - m only")
    proof.equal(sp.MatMul(sp.Transpose(rotation(a)), rotation(a)), sp.eye(2), "a rotation keeps lengths: R^T R = I")
    proof.equal(rotation(0, evaluate=False), sp.eye(2), "R(0) = I: position 0 is not turned")
    proof.equal(sp.MatMul(rotation(a), rotation(b)), rotation(a + b), "turning by b then by a turns by a + b")
    proof.equal(sp.Transpose(rotation(a)), rotation(-a), "the transpose turns back: R(a)^T = R(-a)")

    q = sp.ImmutableMatrix(sp.symbols("q_0 q_1", real=True))
    k = sp.ImmutableMatrix(sp.symbols("k_0 k_1", real=True))
    turned = proof.equal(
        score(m * theta, n * theta, q, k),
        sp.MatMul(q.T, sp.Transpose(rotation(m * theta)), rotation(n * theta), k),
        "(A x)^T = x^T A^T",
    )
    turned = proof.equal(
        turned, sp.MatMul(q.T, rotation(-m * theta), rotation(n * theta), k), "R(m theta)^T = R(-m theta)"
    )
    proof.equal(turned, sp.MatMul(q.T, rotation((n - m) * theta), k), "angles add: -m theta + n theta = (n - m) theta")

    thetas = sp.symbols("theta_0 theta_1", real=True)
    q4 = sp.ImmutableMatrix(sp.symbols("q_0:4", real=True))
    k4 = sp.ImmutableMatrix(sp.symbols("k_0:4", real=True))
    pairs = [(q4[2 * p : 2 * p + 2, :], k4[2 * p : 2 * p + 2, :]) for p in range(2)]
    block = [sp.diag(*[rotation(position * t) for t in thetas]) for position in (m, n)]
    proof.equal(
        sp.MatMul(sp.Transpose(sp.MatMul(block[0], q4)), sp.MatMul(block[1], k4)),
        sp.MatAdd(*[score(m * t, n * t, qp, kp) for t, (qp, kp) in zip(thetas, pairs, strict=True)]),
        "d = 4: the block-diagonal R_m turns each pair on its own, so the score is a sum over pairs",
    )

    q_pair = sp.ImmutableMatrix([sp.Indexed("q", 2 * i), sp.Indexed("q", 2 * i + 1)])
    k_pair = sp.ImmutableMatrix([sp.Indexed("k", 2 * i), sp.Indexed("k", 2 * i + 1)])
    pairs_range = (i, 0, d / 2 - 1)
    angle = frequency(i)
    proof.equal(
        sp.Sum(score(m * angle, n * angle, q_pair, k_pair).doit()[0], pairs_range),
        sp.Sum((q_pair.T * rotation((n - m) * angle) * k_pair)[0], pairs_range),
        "any even d, theta_i = base^(-2i/d): every one of the d/2 pair terms depends on n - m only",
    )
    proof.equal(
        frequency(i + 1) / frequency(i),
        base ** (-2 / d),
        "each pair turns base^(2/d) times slower than the one before",
    )

    one = sp.ImmutableMatrix([1, 0])
    right = proof.equal(
        score(1, 2, one, one), sp.ImmutableMatrix([[sp.cos(1)]]), "m = 1, n = 2, theta = 1, q = k = e_1"
    )
    wrong = proof.equal(
        sp.MatMul(one.T, rotation(3), one), sp.ImmutableMatrix([[sp.cos(3)]]), "the mistake <q, R_{m+n} k>"
    )
    proof.holds(sp.Ne(right[0], wrong[0], evaluate=False), "so the score is not <q, R_{m+n} k>")
    return proof

r"""Claim softmax.saturation: dp_i/dx_j = p_i (delta_ij - p_j), every entry of size at most 1/4, all -> 0 as one wins.

Strength: symbolic (the derivative of a weight with respect to its own and another score holds for any n:
the other n - 1 or n - 2 exponentials are one symbol R_i or R that does not move; the bounds are
symbolic in the weights; the whole 3 x 3 Jacobian and its limit as one score runs away are at n = 3,
because a row's softmax is a formula only at a fixed length).

J = diag(p) - p p^T. What is proved: a diagonal entry is p_i (1 - p_i), in (0, 1/4]; an off-diagonal entry
is -p_i p_j, with |J_ij| = p_i p_j <= p_i (1 - p_i), since p_j <= 1 - p_i (the weights add to 1); so every
entry lies in [-1/4, 1/4]. When one score exceeds the others by c -> oo its weight tends to 1, the others
to 0, and every entry of J to 0: a saturated softmax passes (almost) no gradient back to its scores.

Example:
    >>> derive().steps[7].latex()  # so p_i (1 - p_i) <= 1/4
    '- p_{i} \\left(1 - p_{i}\\right) + \\frac{1}{4} = \\left(p_{i} - \\frac{1}{2}\\right)^{2}'
"""

import sympy as sp

from proofs.derivation import Derivation
from proofs.explicit import softmax_rows

x_i, x_j = sp.symbols("x_i x_j", real=True)
R_i = sp.Symbol("R_i", positive=True)
R = sp.Symbol("R", nonnegative=True)
p_i = sp.Symbol("p_i", real=True)
e_i, e_j = sp.symbols("e_i e_j", positive=True)
e_r = sp.Symbol("e_r", nonnegative=True)

N = 3


def derive() -> Derivation:
    proof = Derivation("the softmax Jacobian is diag(p) - p p^T, bounded by 1/4 and vanishing when one score wins")
    proof.assume("p_i = exp(x_i) / sum_l exp(x_l) over n >= 2 scores")
    proof.assume(
        "for dp_i/dx_i write the sum as exp(x_i) + R_i, R_i > 0 the other n - 1 exponentials; for dp_i/dx_j, "
        "j != i, as exp(x_i) + exp(x_j) + R, R >= 0 the other n - 2: neither R involves x_i or x_j"
    )
    own = sp.exp(x_i) / (sp.exp(x_i) + R_i)
    proof.equal(sp.Derivative(own, x_i), own * (1 - own), "the quotient rule on exp(x_i) / (exp(x_i) + R_i)")
    pair = sp.exp(x_i) / (sp.exp(x_i) + sp.exp(x_j) + R)
    other = sp.exp(x_j) / (sp.exp(x_i) + sp.exp(x_j) + R)
    proof.equal(
        sp.Derivative(pair, x_j),
        sp.Mul(-1, pair, other, evaluate=False),
        "x_j is only in the denominator: dp_i/dx_j = -p_i p_j",
    )

    x = sp.symbols(f"x_0:{N}", real=True)
    p = softmax_rows(sp.Matrix([x]))
    jacobian = sp.Matrix(N, N, lambda row, col: sp.Derivative(p[row], x[col]))
    proof.equal(jacobian, sp.diag(*p) - p.T * p, f"n = {N}: together, J = diag(p) - p p^T")
    proof.equal(
        sp.Matrix([sum(jacobian.row(row)) for row in range(N)]),
        sp.zeros(N, 1),
        "each row of J adds to 0: moving every score together changes no weight",
    )

    proof.assume("e_i, e_j > 0 are exp(x_i), exp(x_j) and e_r >= 0 the sum of the row's other exponentials")
    total = e_i + e_j + e_r
    weight_i, weight_j, rest = e_i / total, e_j / total, e_r / total
    proof.equal(1 - weight_i, weight_j + rest, "the weights add to 1: 1 - p_i = p_j + r, r the other weights")
    diagonal = proof.equal(
        sp.Mul(weight_i, 1 - weight_i, evaluate=False), weight_i * (weight_j + rest), "so J_ii = p_i (p_j + r)"
    )
    proof.holds(sp.Gt(diagonal, 0, evaluate=False), "a diagonal entry p_i (1 - p_i) is positive")
    proof.equal(
        sp.Rational(1, 4) - p_i * (1 - p_i),
        (p_i - sp.Rational(1, 2)) ** 2,
        "complete the square, for any number p: 1/4 - p (1 - p) = (p - 1/2)^2",
    )
    proof.holds(
        sp.Ge((p_i - sp.Rational(1, 2)) ** 2, 0, evaluate=False),
        "a square is non-negative, so p_i (1 - p_i) <= 1/4, with equality at p_i = 1/2",
    )
    proof.equal(
        sp.Abs(-weight_i * weight_j, evaluate=False), weight_i * weight_j, "an off-diagonal entry has size p_i p_j"
    )
    gap = proof.equal(diagonal - weight_i * weight_j, weight_i * rest, "p_i (1 - p_i) - p_i p_j = p_i r")
    proof.holds(
        sp.Ge(gap, 0, evaluate=False),
        "so |J_ij| = p_i p_j <= p_i (1 - p_i) <= 1/4: every entry of J lies in [-1/4, 1/4]",
    )

    b = sp.symbols(f"b_0:{N}", real=True)
    c = sp.Symbol("c", positive=True)
    winning = {x[0]: b[0] + c, **{x[col]: b[col] for col in range(1, N)}}
    proof.equal(
        p.subs(winning).applyfunc(lambda weight: sp.Limit(weight, c, sp.oo)),
        sp.Matrix([[1] + [0] * (N - 1)]),
        f"n = {N}, score 0 ahead by c -> oo: its weight tends to 1, the others' to 0",
    )
    proof.equal(
        (sp.diag(*p) - p.T * p).subs(winning).applyfunc(lambda entry: sp.Limit(entry, c, sp.oo)),
        sp.zeros(N, N),
        "and every entry of J tends to 0: a saturated softmax passes no gradient to its scores",
    )
    return proof

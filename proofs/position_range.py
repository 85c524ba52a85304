r"""Claim positions.extrapolation: a learned table stops at max_len; sinusoidal PE and RoPE exist at every p.

Strength: symbolic (max_len, d, the position p, the frequencies and the number d/2 of pairs are symbols; the
block-diagonal RoPE rotation is checked at d = 4 with symbolic frequencies).

A learned absolute table is a matrix E in R^{max_len x d}: position p reads row p, and the rows are
0, ..., max_len - 1. A position p >= max_len has no row to read: nothing was learned for it, and an
implementation can only fail or clamp. Sinusoidal PE(p) = (sin(p w_i), cos(p w_i)) is a formula defined
for every real p, with squared norm d/2 at every position; RoPE's R_p is a rotation for every real p.

Example:
    >>> E = sp.MatrixSymbol("E", max_len, d)
    >>> E[max_len - 1, 0]  # the last learned position
    E[max_len - 1, 0]
    >>> E[max_len, 0]
    Traceback (most recent call last):
    ...
    IndexError: Invalid indices (max_len, 0)
"""

import sympy as sp

from proofs.derivation import Derivation

max_len, d = sp.symbols("max_len d", positive=True, integer=True)
r = sp.Symbol("r", integer=True, nonnegative=True)
i = sp.Symbol("i", integer=True, nonnegative=True)
p, theta = sp.symbols("p theta", real=True)
base = sp.Symbol("base", positive=True)


def rotation(angle: sp.Expr) -> sp.ImmutableMatrix:
    """R(angle) = [[cos, -sin], [sin, cos]], one 2 x 2 block of RoPE's R_p."""
    return sp.ImmutableMatrix([[sp.cos(angle), -sp.sin(angle)], [sp.sin(angle), sp.cos(angle)]])


def derive() -> Derivation:
    proof = Derivation("a learned table has max_len rows; sinusoidal PE and RoPE are formulas defined at every p")
    proof.assume("position p reads row p of the learned table E; d is even, so PE and RoPE have d/2 pairs")

    E = sp.MatrixSymbol("E", max_len, d)
    proof.shape(E, (max_len, d), "a learned table: one row of d numbers per trained position")
    proof.holds(
        sp.Gt(E.shape[0], max_len - 1, evaluate=False),
        "the last position p = max_len - 1 has a row: 0 <= p < max_len",
    )
    proof.holds(
        sp.Ge(max_len + r, E.shape[0], evaluate=False),
        "a position p = max_len + r, r >= 0, fails p < max_len: E has no row for it",
    )

    frequency = base ** (-2 * i / d)
    pairs = (i, 0, d / 2 - 1)
    norm = proof.equal(
        sp.Sum(sp.sin(p * frequency) ** 2 + sp.cos(p * frequency) ** 2, pairs),
        sp.Sum(1, pairs),
        "||PE(p)||^2 = sum over pairs of sin^2(p w_i) + cos^2(p w_i), each 1 for any real p",
    )
    proof.equal(norm, d / 2, "d/2 pairs, each contributing 1: the same norm at every position, trained or not")

    R = rotation(p * theta)
    proof.equal(sp.MatMul(sp.Transpose(R), R), sp.eye(2), "R_p^T R_p = I for every real p: R_p keeps lengths")
    proof.equal(sp.Determinant(R), 1, "det R_p = cos^2 + sin^2 = 1: a rotation, not a reflection")
    theta_0, theta_1 = sp.symbols("theta_0 theta_1", real=True)
    block = sp.diag(rotation(p * theta_0), rotation(p * theta_1))
    proof.equal(sp.MatMul(sp.Transpose(block), block), sp.eye(4), "d = 4: block by block, R_p^T R_p = I")
    proof.equal(sp.Determinant(block), 1, "d = 4: det R_p is the product of the blocks' determinants, 1")
    return proof

r"""Claim positions.sinusoidal: a shift is a fixed rotation of each (sin, cos) pair; PE(p).PE(q) needs p - q.

Strength: symbolic (positions, offset, frequencies and the number d/2 of pairs are symbols).

PE[p, 2i] = sin(p w_i) and PE[p, 2i+1] = cos(p w_i), w_i = base^(-2i/d). For every pair,
(sin w(p+k), cos w(p+k)) = T_k (sin wp, cos wp) with T_k = [[cos wk, sin wk], [-sin wk, cos wk]]: a
rotation (T_k^T T_k = I) that does not depend on p, so a fixed linear map reaches position p + k from p.
Summed over the pairs, PE(p) . PE(q) = sum_i cos(w_i (p - q)) depends on p - q alone.

Example:
    >>> derive().steps[-2].rhs
    Sum(cos((p - q)/base**(2*i/d)), (i, 0, d/2 - 1))
"""

import sympy as sp

from proofs.derivation import Derivation

p, q, k = sp.symbols("p q k", integer=True)
w = sp.Symbol("w", positive=True)
d = sp.Symbol("d", integer=True, positive=True)
base = sp.Symbol("base", positive=True)
i = sp.Symbol("i", integer=True, nonnegative=True)


def pair(position: sp.Expr, frequency: sp.Expr) -> sp.ImmutableMatrix:
    """(PE[position, 2i], PE[position, 2i+1]) for the pair of frequency w_i."""
    return sp.ImmutableMatrix([sp.sin(position * frequency), sp.cos(position * frequency)])


def derive() -> Derivation:
    proof = Derivation("sinusoidal encodings: a shift is a fixed rotation; dot products depend on p - q only")
    proof.assume("d is even: the d channels form d/2 pairs (2i, 2i+1), pair i with frequency w_i = base^(-2i/d)")
    T = sp.ImmutableMatrix([[sp.cos(w * k), sp.sin(w * k)], [-sp.sin(w * k), sp.cos(w * k)]])
    proof.equal(pair(p + k, w), sp.MatMul(T, pair(p, w)), "angle-sum formulas for sin and cos")
    proof.equal(sp.MatMul(sp.Transpose(T), T), sp.eye(2), "T_k is a rotation: T_k^T T_k = I")
    proof.equal(
        T.applyfunc(lambda entry: sp.Derivative(entry, p)),
        sp.zeros(2, 2),
        "T_k does not depend on p: one map for every position",
    )

    frequency = base ** (-2 * i / d)
    pairs = (i, 0, d / 2 - 1)
    dot = proof.equal(
        sp.Sum((pair(p, frequency).T * pair(q, frequency))[0], pairs),
        sp.Sum(sp.cos(frequency * (p - q)), pairs),
        "PE(p) . PE(q), pair by pair: sin a sin b + cos a cos b = cos(a - b)",
    )
    proof.equal(
        sp.Derivative(dot, p) + sp.Derivative(dot, q),
        0,
        "moving p and q together changes nothing: only p - q counts",
    )
    return proof

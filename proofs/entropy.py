r"""Claim scaling.entropy: divide by sqrt(d_k), not d_k: 1/d_k flattens every row to entropy log n as d_k grows.

Strength: symbolic (d_k, n, the common score c and the Chebyshev margin are symbols; the one limit of
the weights themselves is taken at n = 2 keys, with the two standardised scores as symbols).

With q, k entries independent of mean 0 and variance 1, Var(q . k) = d_k (claim scaling.variance). Scaled
by 1/d_k the score has variance 1/d_k -> 0, so by Chebyshev it collapses to 0 in probability: every
row becomes a constant row, whose softmax is uniform, 1/n per key, with the largest possible entropy
log n -- attention then averages and cannot pick a key. Unscaled, the variance d_k grows without bound
(the softmax saturates, claim softmax.saturation); scaled by 1/sqrt(d_k) it is 1 for every d_k.

Example:
    >>> derive().steps[-1].latex()
    '- \\sum_{j=0}^{n - 1} \\frac{\\log{\\left(\\frac{1}{n} \\right)}}{n} = \\log{\\left(n \\right)}'
"""

import sympy as sp

from proofs.derivation import Derivation

d_k, n = sp.symbols("d_k n", positive=True, integer=True)
j, ell = sp.symbols("j l", integer=True)


def scaled_variance(factor: sp.Expr) -> sp.Mul:
    """Var(factor * q . k) = factor^2 Var(q . k) = factor^2 d_k, left unevaluated so the step shows it."""
    return sp.Mul(sp.Pow(factor, 2, evaluate=False), d_k, evaluate=False)


def derive() -> Derivation:
    proof = Derivation("scaling by 1/d_k makes the weights uniform as d_k grows; 1/sqrt(d_k) keeps variance 1")
    proof.assume("the entries of q and k are independent, each with mean 0 and variance 1: Var(q . k) = d_k")
    proof.assume("Var(a X) = a^2 Var(X) for a number a")

    shrunk = proof.equal(scaled_variance(1 / d_k), 1 / d_k, "scaled by 1/d_k: Var(q . k / d_k) = d_k / d_k^2")
    proof.equal(sp.Limit(shrunk, d_k, sp.oo), 0, "the variance of q . k / d_k vanishes as d_k grows")
    epsilon = sp.Symbol("epsilon", positive=True)
    proof.assume("Chebyshev: P(|X - E X| >= epsilon) <= Var(X) / epsilon^2, and E[q . k / d_k] = 0")
    proof.equal(
        sp.Limit(shrunk / epsilon**2, d_k, sp.oo),
        0,
        "so for every epsilon > 0, P(|q . k / d_k| >= epsilon) -> 0: the scaled scores collapse to 0",
    )

    z_0, z_1 = sp.symbols("z_0 z_1", real=True)

    def weight(z: sp.Expr) -> sp.Expr:
        return sp.exp(z / sp.sqrt(d_k)) / (sp.exp(z_0 / sp.sqrt(d_k)) + sp.exp(z_1 / sp.sqrt(d_k)))

    proof.equal(
        sp.Matrix([sp.Limit(weight(z), d_k, sp.oo) for z in (z_0, z_1)]),
        sp.Matrix([sp.Rational(1, 2)] * 2),
        "n = 2, the standardised scores z_j = q . k_j / sqrt(d_k) held fixed: q . k_j / d_k = z_j / sqrt(d_k), "
        "and the two weights tend to 1/2 each",
    )

    proof.equal(sp.Limit(d_k, d_k, sp.oo), sp.oo, "unscaled, Var(q . k) = d_k grows without bound")
    proof.equal(scaled_variance(1 / sp.sqrt(d_k)), 1, "scaled by 1/sqrt(d_k): variance d_k / d_k = 1")
    proof.equal(
        sp.Derivative(scaled_variance(1 / sp.sqrt(d_k)), d_k),
        0,
        "the same for every d_k: the scaled scores neither collapse nor spread as d_k grows",
    )

    c = sp.Symbol("c", real=True)
    proof.assume("a constant row: all n scores equal the same number c (the limit of the 1/d_k-scaled scores is 0)")
    uniform = proof.equal(
        sp.exp(c) / sp.Sum(sp.exp(c), (ell, 0, n - 1)),
        1 / n,
        "softmax of a constant row: n equal terms in the denominator, so each weight is 1/n",
    )
    proof.equal(
        -sp.Sum(uniform * sp.log(uniform), (j, 0, n - 1)),
        sp.log(n),
        "its entropy H = -sum_j p_j log p_j = -n (1/n) log(1/n) = log n, that of the uniform distribution",
    )
    return proof

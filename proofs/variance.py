r"""Claim scaling.variance: Var(q . k) = d_k for unit-variance entries, so q . k / sqrt(d_k) has variance 1.

Strength: symbolic (d_k is a symbol; SymPy evaluates each one-term expectation with q_i, k_i standard
normal, and two fixed-size cross-checks at d_k = 2 use four normal variables).

The entries are independent with mean 0 and variance 1. The mean and variance steps use only those two
moments, so they hold for any such distribution; SymPy, which needs a distribution to evaluate an
expectation, checks them with standard normal entries. The fourth moment of the scaled score,
E[s^4] = 3 + 6 / d_k (the Monte Carlo bound needs it), does use normality: E[(q_i k_i)^4] = 3 * 3.

Example:
    >>> SCALED_SCORE_FOURTH_MOMENT
    3 + 6/d_k
    >>> derive().steps[4].latex()
    '\\sum_{i=1}^{d_{k}} 1 = d_{k}'
"""

import sympy as sp
from sympy.stats import Expectation as E
from sympy.stats import Normal

from proofs.derivation import Derivation

d_k = sp.Symbol("d_k", positive=True, integer=True)
SCALED_SCORE_FOURTH_MOMENT = 3 + 6 / d_k

i, j = sp.symbols("i j", integer=True)


def derive() -> Derivation:
    proof = Derivation("q . k has mean 0 and variance d_k; scaled by 1/sqrt(d_k) its variance is 1")
    proof.assume("the 2 d_k entries q_i, k_i are independent, each with mean 0 and variance 1")
    proof.assume("SymPy evaluates the expectations with q_i, k_i standard normal")
    q, k = Normal("q_i", 0, 1), Normal("k_i", 0, 1)
    terms = (i, 1, d_k)

    proof.equal(
        sp.Sum(E(q * k), terms),
        sp.Sum(E(q) * E(k), terms),
        "E[q . k] = sum_i E[q_i k_i] by linearity; independent factors: E[q_i k_i] = E[q_i] E[k_i]",
    )
    proof.equal(sp.Sum(E(q) * E(k), terms), 0, "every entry has mean 0, so E[q . k] = 0")

    proof.assume("the d_k terms q_i k_i are independent, so their variances add: Var(q . k) = sum_i Var(q_i k_i)")
    factored = proof.equal(
        sp.Sum(E((q * k) ** 2) - E(q * k) ** 2, terms),
        sp.Sum(E(q**2) * E(k**2) - (E(q) * E(k)) ** 2, terms),
        "Var(q_i k_i) = E[(q_i k_i)^2] - E[q_i k_i]^2, and independence factors each expectation",
    )
    ones = proof.equal(factored, sp.Sum(1, terms), "E[q_i^2] = Var(q_i) + E[q_i]^2 = 1, and E[q_i] = 0")
    proof.equal(ones, d_k, "d_k terms of 1: Var(q . k) = d_k")

    pairs = [(Normal(f"q_{t}", 0, 1), Normal(f"k_{t}", 0, 1)) for t in (1, 2)]
    score = sum(a * b for a, b in pairs)
    proof.equal(
        E(score**2) - E(score) ** 2,
        sum(E((a * b) ** 2) - E(a * b) ** 2 for a, b in pairs),
        "check at d_k = 2: the variance of the sum is the sum of the variances",
    )

    proof.equal(
        sp.Mul(sp.Pow(1 / sp.sqrt(d_k), 2, evaluate=False), d_k, evaluate=False),
        1,
        "Var(a X) = a^2 Var(X): scaling by 1/sqrt(d_k) gives variance 1 whatever d_k is",
    )
    proof.equal(
        sp.Mul(sp.Pow(1 / d_k, 2, evaluate=False), d_k, evaluate=False),
        1 / d_k,
        "scaling by 1/d_k instead shrinks the variance to 1/d_k: the softmax flattens as d_k grows",
    )

    one_term = proof.equal(E((q * k) ** 4), E(q**4) * E(k**4), "independence factors the fourth moment")
    proof.equal(one_term, sp.Mul(3, 3, evaluate=False), "a standard normal has fourth moment 3")
    fourth = proof.equal(
        sp.Sum(9, terms) + 3 * sp.Sum(sp.Sum(1, (j, 1, d_k)) - 1, terms),
        3 * d_k**2 + 6 * d_k,
        "E[(sum_i X_i)^4], X_i = q_i k_i: a lone X_i has mean 0, so only X_i^4 (E = 9) and X_i^2 X_j^2, "
        "j != i (E = 1, 3 ways to pair the 4 factors) are left",
    )
    proof.equal(
        sp.Mul(fourth, sp.Pow(d_k, -2, evaluate=False), evaluate=False),
        SCALED_SCORE_FOURTH_MOMENT,
        "s = q . k / sqrt(d_k), so E[s^4] = E[(q . k)^4] / d_k^2",
    )
    proof.equal(
        E((score / sp.sqrt(2)) ** 4),
        SCALED_SCORE_FOURTH_MOMENT.subs(d_k, 2),
        "check at d_k = 2 directly from four normal variables",
    )
    return proof

r"""Claim softmax.distribution: softmax(x)_j = exp(x_j) / sum_l exp(x_l) is a distribution, blind to shifts.

Strength: symbolic (n entries, d_k, the shift and every entry are symbols).

Each weight is positive and the n weights add to 1; adding one number b to every entry changes
nothing. In attention that is why adding one vector c to every key is invisible: it adds the same
q . c / sqrt(d_k) to every score of the row.

Example:
    >>> derive().steps[4].latex()
    '\\frac{\\sum_{j=0}^{n - 1} e^{{x}_{j}}}{\\sum_{l=0}^{n - 1} e^{{x}_{l}}} = 1'
"""

import sympy as sp

from proofs.derivation import Derivation

n, d_k = sp.symbols("n d_k", positive=True, integer=True)
j, ell, t = sp.symbols("j l t", integer=True)


def derive() -> Derivation:
    proof = Derivation("softmax gives positive weights that add to 1 and ignore a common shift")
    x = sp.IndexedBase("x", real=True)
    b = sp.Symbol("b", real=True)
    total = sp.Sum(sp.exp(x[ell]), (ell, 0, n - 1))
    weight = sp.exp(x[j]) / total

    proof.holds(sp.Gt(sp.exp(x[j]), 0, evaluate=False), "exp of a real number is positive")
    proof.holds(sp.Gt(total, 0, evaluate=False), "a sum of n >= 1 positive terms is positive")
    proof.holds(sp.Gt(weight, 0, evaluate=False), "a positive number over a positive number")
    pulled = proof.equal(
        sp.Sum(weight, (j, 0, n - 1)),
        sp.Sum(sp.exp(x[j]), (j, 0, n - 1)) / total,
        "the denominator does not depend on j: take it out of the sum",
    )
    proof.equal(pulled, 1, "numerator and denominator are the same sum")

    split = sp.Mul(sp.exp(b), sp.exp(x[j]), evaluate=False)
    proof.equal(sp.exp(x[j] + b), split, "exp turns a sum into a product")
    shifted_total = proof.equal(
        sp.Sum(sp.exp(x[ell] + b), (ell, 0, n - 1)),
        sp.Mul(sp.exp(b), total, evaluate=False),
        "the same factor exp(b) comes out of every term of the sum",
    )
    shifted = proof.equal(
        sp.exp(x[j] + b) / sp.Sum(sp.exp(x[ell] + b), (ell, 0, n - 1)),
        sp.Mul(split, sp.Pow(shifted_total, -1, evaluate=False), evaluate=False),
        "rewrite numerator and denominator",
    )
    proof.equal(shifted, weight, "exp(b) cancels: softmax(x + b) = softmax(x)")

    q, k, shift = (sp.IndexedBase(name, real=True) for name in ("q", "k", "c"))

    def score(key: sp.Expr) -> sp.Expr:
        return sp.Sum(q[t] * k[key, t], (t, 0, d_k - 1)) / sp.sqrt(d_k)

    def shifted_score(key: sp.Expr) -> sp.Expr:
        return sp.Sum(q[t] * (k[key, t] + shift[t]), (t, 0, d_k - 1)) / sp.sqrt(d_k)

    offset = sp.Sum(q[t] * shift[t], (t, 0, d_k - 1)) / sp.sqrt(d_k)
    proof.equal(shifted_score(j), score(j) + offset, "q . (k_j + c) = q . k_j + q . c, the same for every key j")
    moved = proof.equal(
        sp.exp(shifted_score(j)) / sp.Sum(sp.exp(shifted_score(ell)), (ell, 0, n - 1)),
        sp.exp(score(j) + offset) / sp.Sum(sp.exp(score(ell) + offset), (ell, 0, n - 1)),
        "every score of the row moves by the same q . c / sqrt(d_k)",
    )
    proof.equal(
        moved,
        sp.exp(score(j)) / sp.Sum(sp.exp(score(ell)), (ell, 0, n - 1)),
        "softmax(x + b) = softmax(x) with b = q . c / sqrt(d_k): the weights do not change",
    )
    return proof

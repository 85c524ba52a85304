r"""Claim mask.causal: M_ij = 0 if j <= i + (S - L) else -oo, so query i never sees a later key.

Strength: fixed sizes (the mask rule, the zero weights and the L = S case are symbolic in i, L, S; that
output row i ignores q_r (r != i) and every later k_j, v_j is checked by differentiating at L = 2, S = 3
and L = S = 3 with d_k = d_v = 1, because the softmax of a row exists as a formula only at a fixed length).

The mask is aligned bottom-right, as in impl.attention: the last of L queries sees all S keys, which is
what L new tokens attending a cache of S keys need. With L = S the rule is the familiar j <= i.

Example:
    >>> mask_entry(i, j)
    Piecewise((0, j <= -L + S + i), (-oo, True))
    >>> derive().steps[2].reason
    'with L = S the offset S - L is 0: the rule is j <= i'
"""

import sympy as sp

from proofs.derivation import Derivation
from proofs.explicit import attention, causal_mask, entries

L, S = sp.symbols("L S", positive=True, integer=True)
i, j = sp.symbols("i j", integer=True, nonnegative=True)
r = sp.Symbol("r", positive=True, integer=True)


def mask_entry(row: sp.Expr, col: sp.Expr, evaluate: bool = True) -> sp.Piecewise:
    """M_ij: 0 where key j <= i + (S - L) may be attended, -oo where it may not."""
    allowed = sp.Le(col, row + S - L, evaluate=evaluate)
    return sp.Piecewise((0, allowed), (-sp.oo, True), evaluate=evaluate)


def _ignores(proof: Derivation, n_queries: int, n_keys: int) -> None:
    """Record, row by row, that output row i has zero derivative in every entry it must not see."""
    q, k, v = entries("q", n_queries, 1), entries("k", n_keys, 1), entries("v", n_keys, 1)
    out = attention(q, k, v, causal_mask(n_queries, n_keys))
    for row in range(n_queries):
        last = row + n_keys - n_queries
        unseen = [q[other] for other in range(n_queries) if other != row]
        unseen += [x[key] for key in range(last + 1, n_keys) for x in (k, v)]
        proof.equal(
            sp.Matrix([sp.Derivative(out[row], x) for x in unseen]),
            sp.zeros(len(unseen), 1),
            f"L = {n_queries}, S = {n_keys}: row {row} sees keys 0..{last} and no other query",
        )


def derive() -> Derivation:
    proof = Derivation("the causal mask gives weight 0 to every later key, so the output ignores the future")
    proof.assume("M_ij = 0 if j <= i + (S - L) else -oo, added to the scores before the softmax")
    later = i + (S - L) + r
    proof.equal(mask_entry(i, later, evaluate=False), -sp.oo, "a key r >= 1 places past i + (S - L) is masked")
    s = sp.Symbol("s_ij", real=True)
    proof.equal(
        sp.exp(sp.Add(s, mask_entry(i, later, evaluate=False), evaluate=False), evaluate=False),
        0,
        "exp(s_ij - oo) = 0: its weight is exactly 0, whatever its score",
    )
    proof.equal(
        sp.Subs(mask_entry(i, j), S, L),
        sp.Piecewise((0, j <= i), (-sp.oo, True)),
        "with L = S the offset S - L is 0: the rule is j <= i",
    )
    _ignores(proof, 2, 3)
    _ignores(proof, 3, 3)
    return proof

r"""Claim mask.decode_alignment: L new queries over S cached keys are the last L rows of full causal attention.

Strength: symbolic (S, L, the query index i, the key index j and the offsets are symbols).

Full causal attention over S tokens lets row r see keys j <= r. At decode the L new tokens are tokens
S - L, ..., S - 1, so new query i is row r = S - L + i: it sees j <= i + S - L, the bottom-right aligned
mask. A single new token (L = 1) sees all S keys, so its mask is all zeros. The top-left rule j <= i
would let that token see key 0 alone. With a chunk of L > 1 new tokens the mask must stay on: without it
the chunk's first query would see the L - 1 tokens that come after it.

Example:
    >>> decode_entry(i, j)
    Piecewise((0, j <= -L + S + i), (-oo, True))
    >>> decode_entry(0, j).subs(L, 1)  # one decode token: every cached key
    Piecewise((0, j <= S - 1), (-oo, True))
"""

import sympy as sp

from proofs.derivation import Derivation

L, S = sp.symbols("L S", positive=True, integer=True)
i, j, r, u = sp.symbols("i j r u", integer=True, nonnegative=True)
a = sp.Symbol("a", integer=True, positive=True)


def causal_entry(row: sp.Expr, col: sp.Expr, evaluate: bool = True) -> sp.Piecewise:
    """Full causal attention over S tokens: row r may attend key j iff j <= r."""
    return sp.Piecewise((0, sp.Le(col, row, evaluate=evaluate)), (-sp.oo, True), evaluate=evaluate)


def decode_entry(row: sp.Expr, col: sp.Expr, evaluate: bool = True) -> sp.Piecewise:
    """Bottom-right alignment: new query i of L may attend cached key j iff j <= i + S - L."""
    return sp.Piecewise((0, sp.Le(col, row + S - L, evaluate=evaluate)), (-sp.oo, True), evaluate=evaluate)


def top_left_entry(row: sp.Expr, col: sp.Expr, evaluate: bool = True) -> sp.Piecewise:
    """The top-left mistake: query i may attend key j iff j <= i, whatever S and L are."""
    return sp.Piecewise((0, sp.Le(col, row, evaluate=evaluate)), (-sp.oo, True), evaluate=evaluate)


def derive() -> Derivation:
    proof = Derivation("at decode the causal mask is aligned bottom-right and stays on for a chunk of new tokens")
    proof.assume("S keys are cached, the last L of them belonging to the L new tokens; 0 <= i < L, 0 <= j < S")

    proof.equal(
        sp.Subs(causal_entry(r, j), r, S - L + i),
        decode_entry(i, j),
        "row r of full causal attention sees j <= r; new query i is token r = S - L + i",
    )
    proof.equal(sp.Subs(S - L + i, i, 0), S - L, "the first new query is row S - L of the full pass")
    proof.equal(sp.Subs(S - L + i, i, L - 1), S - 1, "the last new query is row S - 1: the last L rows")

    proof.equal(
        sp.Subs(decode_entry(i, j), (L, i), (1, 0)),
        sp.Piecewise((0, j <= S - 1), (-sp.oo, True)),
        "one decode token (L = 1, i = 0) sees j <= S - 1",
    )
    proof.equal(
        sp.Subs(decode_entry(0, j), (j, L), (S - 1 - u, 1)),
        0,
        "every cached key j = S - 1 - u, u >= 0, gets 0: the L = 1 mask is all zeros",
    )

    proof.equal(
        sp.Subs(top_left_entry(0, j), j, u + 1),
        -sp.oo,
        "top-left, S = 2 + u >= 2: the decode query is row 0, so the newest key S - 1 = u + 1 >= 1 is masked",
    )
    proof.equal(
        sp.Subs(decode_entry(0, j), (j, L, S), (u + 1, 1, u + 2)),
        0,
        "bottom-right, the same key is visible: for S >= 2 top-left hides keys 1..S-1 from the new token",
    )
    proof.equal(
        sp.Subs(decode_entry(0, j), (L, S), (1, 1)),
        top_left_entry(0, j),
        "only with S = 1 (nothing cached yet) do the two rules agree",
    )

    proof.equal(
        decode_entry(0, S - L + a, evaluate=False),
        -sp.oo,
        "chunk of L new tokens: query 0 is token S - L, and key S - L + a, a >= 1, comes after it",
    )
    proof.holds(
        sp.Le(sp.Add(S - L, L - 1, evaluate=False), S - 1, evaluate=False),
        "the later tokens a = 1 .. L - 1 are all in the cache: without the mask query 0 sees them",
    )
    later = proof.equal(sp.Sum(1, (a, 1, L - 1)), L - 1, "without the mask query 0 sees L - 1 future tokens")
    proof.equal(sp.Subs(later, L, 1), 0, "none when L = 1: a single decode token is the only case the mask is a no-op")
    return proof

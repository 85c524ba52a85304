r"""Claim efficient.sliding_window: a window of w tokens (the current one included) is a band mask, O(n w d).

Strength: symbolic (n, w, d_k, d_v, the query and key indices and the offsets are symbols).

Query i attends keys j with i - w < j <= i, i.e. max(0, i - w + 1) <= j <= i: at most w keys, itself
included. That is attention with the band mask M_ij = 0 if 0 <= i - j < w else -oo. Once w >= n every
offset i - j of a causal pair is below w, so the band is the full causal mask. Each query scores exactly
w key slots (the first queries' padding slots included) and mixes w value rows, hence
2 n w d_k + 2 n w d_v FLOPs against 2 n^2 (d_k + d_v) for full attention: a fraction w/n.

Example:
    >>> SLIDING_WINDOW_FLOPS.subs({n: 4096, w: 512, d_k: 64, d_v: 64})  # 1/8 of full attention's 4294967296
    536870912
"""

import sympy as sp

from proofs.derivation import Derivation, over

n, w, d_k, d_v = sp.symbols("n w d_k d_v", positive=True, integer=True)
SLIDING_WINDOW_FLOPS = 2 * n * w * d_k + 2 * n * w * d_v

i, j, s, u, v = sp.symbols("i j s u v", integer=True, nonnegative=True)
a = sp.Symbol("a", integer=True, positive=True)
d = sp.Symbol("d", integer=True, positive=True)


def band_entry(row: sp.Expr, col: sp.Expr) -> sp.Piecewise:
    """M_ij = 0 if 0 <= i - j < w (key j is one of the last w tokens up to i), else -oo."""
    return sp.Piecewise((0, (row - col >= 0) & (row - col < w)), (-sp.oo, True))


def causal_entry(row: sp.Expr, col: sp.Expr) -> sp.Piecewise:
    """M_ij = 0 if j <= i, else -oo: full causal attention."""
    return sp.Piecewise((0, col <= row), (-sp.oo, True))


def derive() -> Derivation:
    proof = Derivation("a sliding window is attention with a band mask; it costs w/n of full attention")
    proof.assume("query i attends keys j with i - w < j <= i: the window of w tokens counts the current one")
    proof.assume("an (a x b) by (b x c) matrix product costs 2abc FLOPs; elementwise work is not counted")

    proof.equal(
        sp.Subs(band_entry(i, j), (j, w), (i - s, s + 1 + u)),
        0,
        "a key s places back, s < w (w = s + 1 + u): inside the band; s = 0 is the current token",
    )
    proof.equal(
        sp.Subs(band_entry(i, j), j, i - w - s),
        -sp.oo,
        "a key w + s places back, s >= 0: outside the band",
    )
    proof.equal(sp.Subs(band_entry(i, j), j, i + a), -sp.oo, "a later key j = i + a, a >= 1: the band is causal")

    proof.equal(
        sp.Subs(sp.Max(0, i - w + 1), i, w - 1 + u), u, "query i = w - 1 + u: the window starts at i - w + 1 = u"
    )
    proof.equal(sp.Sum(1, (j, u, w - 1 + u)), w, "so it holds keys u .. u + w - 1: exactly w of them")
    proof.equal(
        sp.Subs(sp.Max(0, i - w + 1), i, w - 1 - a), 0, "an early query i = w - 1 - a, a >= 1: the window starts at 0"
    )
    early = proof.equal(sp.Sum(1, (j, 0, w - 1 - a)), w - a, "it holds keys 0 .. i, i + 1 = w - a of them")
    proof.holds(sp.Lt(early, w, evaluate=False), "fewer than w: max(0, i - w + 1) <= j <= i is at most w keys")

    proof.holds(
        sp.Lt(s, j + s + 1 + v + u, evaluate=False),
        "w >= n, and a causal pair j <= i < n has i - j = s <= i < n (n = j + s + 1 + v, w = n + u)",
    )
    proof.equal(
        sp.Subs(band_entry(i, j), (i, w), (j + s, j + s + 1 + v + u)),
        sp.Subs(causal_entry(i, j), i, j + s),
        "so for w >= n the band lets through every key j <= i, like the causal mask",
    )
    proof.equal(
        sp.Subs(band_entry(i, j), j, i + a),
        sp.Subs(causal_entry(i, j), j, i + a),
        "and both block every later key: with w >= n the window is full causal attention",
    )

    proof.equal(
        sp.Mul(n, sp.Add(sp.Mul(2, 1, d_k, w, evaluate=False), sp.Mul(2, 1, w, d_v, evaluate=False)), evaluate=False),
        SLIDING_WINDOW_FLOPS,
        "each of n queries: q_i (1 x d_k) times its w key slots (d_k x w), its weights (1 x w) times w value rows",
    )
    full = 2 * n**2 * d_k + 2 * n**2 * d_v
    proof.equal(sp.Subs(SLIDING_WINDOW_FLOPS, w, n), full, "w = n slots cost full attention's 2 n^2 (d_k + d_v)")
    proof.equal(over(SLIDING_WINDOW_FLOPS, full), w / n, "the window costs the fraction w/n of full attention")
    proof.equal(
        sp.Subs(SLIDING_WINDOW_FLOPS, (d_k, d_v), (d, d)),
        4 * n * w * d,
        "with d_k = d_v = d: 4 n w d, linear in n for a fixed window: O(n w d)",
    )
    return proof

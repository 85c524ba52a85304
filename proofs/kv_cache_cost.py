r"""Claim cost.kv_cache: generating n tokens costs O(n^2 d) with a KV cache and O(n^3 d) recomputing.

Strength: symbolic (n and d are positive integer symbols; the sums are done by SymPy).

At step t the new token's query scores the t cached keys (2 t d FLOPs) and mixes the t cached
values (2 t d): 4 t d. Without a cache every step reruns causal attention over all t tokens,
whose t x t scores cost 4 t^2 d. Summed over the n steps: 2 n (n + 1) d against
(2/3) n (n + 1) (2n + 1) d. The cache itself holds a key and a value row per token: 2 n d numbers
a head, growing by 2d each step.

Example:
    >>> CACHED_DECODE_FLOPS.subs({n: 1024, d: 64}).doit(), RECOMPUTE_FLOPS.subs({n: 1024, d: 64}).doit()
    (134348800, 91760230400)
"""

import sympy as sp

from proofs.derivation import Derivation, over

n, t, d = sp.symbols("n t d", positive=True, integer=True)
CACHED_DECODE_FLOPS = sp.Sum(4 * t * d, (t, 1, n))
RECOMPUTE_FLOPS = sp.Sum(4 * t**2 * d, (t, 1, n))
CACHE_ELEMENTS = 2 * n * d


def derive() -> Derivation:
    proof = Derivation("the KV cache turns O(n^3 d) generation into O(n^2 d), for memory linear in n")
    proof.assume("step t attends the t tokens so far; per head, queries, keys and values have width d")
    proof.equal(
        sp.Add(2 * t * d, 2 * t * d, evaluate=False),
        4 * t * d,
        "with a cache: q_t K^T (2 t d), then the weights times V",
    )
    proof.equal(
        sp.Add(2 * t**2 * d, 2 * t**2 * d, evaluate=False),
        4 * t**2 * d,
        "without: the full t x t causal attention again",
    )
    cached = proof.equal(CACHED_DECODE_FLOPS, 2 * n * (n + 1) * d, "n steps with the cache; sum_t t = n (n + 1) / 2")
    recomputed = proof.equal(
        RECOMPUTE_FLOPS,
        sp.Rational(2, 3) * n * (n + 1) * (2 * n + 1) * d,
        "n steps recomputing; sum_t t^2 = n (n + 1) (2n + 1) / 6",
    )
    proof.equal(sp.Limit(over(cached, n**2), n, sp.oo), 2 * d, "with the cache: O(n^2 d)")
    proof.equal(sp.Limit(over(recomputed, n**3), n, sp.oo), sp.Rational(4, 3) * d, "recomputing: O(n^3 d)")
    proof.equal(
        sp.Limit(over(recomputed, cached), n, sp.oo), sp.oo, "the saving grows without bound (about 2n/3 times)"
    )
    proof.equal(
        sp.Add(sp.Subs(CACHE_ELEMENTS, n, n + 1), -CACHE_ELEMENTS, evaluate=False),
        2 * d,
        "each token adds a key and a value row: the cache grows linearly",
    )
    return proof

r"""Claim kv_cache.equivalence: row t of causal attention is q_t attending the cache K[:t+1], V[:t+1].

Strength: fixed sizes (n = 4 tokens, d_k = 2, d_v = 1, every t = 0..3: the causal softmax of a row is a
formula only at a fixed length; SymPy splits a symbolic sum at t but cannot see that the mask is -oo on
the whole tail of a symbolic range).

Decoding token t needs the keys and values of tokens 0..t, which the cache holds, and the query of token
t alone: no other query enters row t, which is why K and V are cached and Q is not. The single new query
is the last of L = 1 queries, so the bottom-right causal mask lets it see the whole cache.

Example:
    >>> step = derive().steps[1]
    >>> step.lhs, step.rhs  # token 0 sees only itself: its output is v_0 either way
    (Matrix([[v[0, 0]]]), Matrix([[v[0, 0]]]))
"""

import sympy as sp

from proofs.derivation import Derivation
from proofs.explicit import attention, causal_mask, entries

N, D_K, D_V = 4, 2, 1


def derive() -> Derivation:
    proof = Derivation("causal attention row by row is one query over the cached keys and values")
    proof.assume(f"n = {N} tokens, d_k = {D_K}, d_v = {D_V}; after token t the cache holds K[:t+1], V[:t+1]")
    q, k, v = entries("q", N, D_K), entries("k", N, D_K), entries("v", N, D_V)
    full = attention(q, k, v, causal_mask(N, N))
    proof.equal(causal_mask(1, N), sp.zeros(1, N), "bottom-right: one new query sees every cached key")
    for t in range(N):
        cache = list(range(t + 1))
        step = attention(q[t, :], k.extract(cache, list(range(D_K))), v.extract(cache, list(range(D_V))))
        proof.equal(full[t, :], step, f"row {t} of causal attention is q_{t} attending the {t + 1} cached tokens")
    for t in range(N):
        others = [q[r, c] for r in range(N) if r != t for c in range(D_K)]
        proof.equal(
            sp.Matrix([sp.Derivative(full[t, 0], x) for x in others]),
            sp.zeros(len(others), 1),
            f"row {t} does not involve any other token's query: nothing to cache for Q",
        )
    return proof

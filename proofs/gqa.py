r"""Claim gqa.repeat_kv: GQA (Hq query, Hkv key/value heads) is MHA with each KV head repeated Hq/Hkv times.

Strength: fixed sizes (Hq = 4 with Hkv = 2 and Hkv = 1, one query and two keys of width 1 per head; that
the integer j comes out of floor((g j + r) / g) is symbolic, while floor(r / g) = 0 for 0 <= r < g is
checked for g = 1..4, since SymPy cannot use the assumption r < g inside a floor).

Query head h reads key/value head floor(h / g): repeating each KV head g times consecutively
(h0 h0 h1 h1, numpy's repeat) lines them up with the query heads; tiling (h0 h1 h0 h1, head h mod Hkv)
does not. Multi-query attention is Hkv = 1: every query head reads head 0.

Example:
    >>> steps = derive().steps
    >>> steps[2].lhs.T, steps[3].lhs.doit().T  # repeat (the right order) and tile (the wrong one)
    (Matrix([[0, 0, 1, 1]]), Matrix([[0, 1, 0, 1]]))
"""

import sympy as sp

from proofs.derivation import Derivation
from proofs.explicit import attention

HQ, KEYS = 4, 2
j, r = sp.symbols("j r", integer=True, nonnegative=True)
g = sp.Symbol("g", integer=True, positive=True)


def read_head(h: int, group: int) -> sp.Expr:
    """floor(h / g), left unevaluated so the step shows it."""
    return sp.floor(sp.Rational(h, group), evaluate=False)


def head_entries(name: str, head: int, rows: int) -> sp.Matrix:
    """Head `head` of a (heads, rows, 1) tensor: the column of name[head, s]."""
    base = sp.IndexedBase(name, real=True)
    return sp.Matrix(rows, 1, lambda s, _: base[head, s])


def _grouped(proof: Derivation, kv_heads: int) -> None:
    """Record that GQA with kv_heads equals MHA over the repeated keys and values."""
    group = HQ // kv_heads
    q = [head_entries("q", h, 1) for h in range(HQ)]
    k = [head_entries("k", kv, KEYS) for kv in range(kv_heads)]
    v = [head_entries("v", kv, KEYS) for kv in range(kv_heads)]
    repeated = [kv for kv in range(kv_heads) for _ in range(group)]
    proof.equal(
        sp.Matrix([attention(q[h], k[h // group], v[h // group]) for h in range(HQ)]),
        sp.Matrix([attention(q[h], k[repeated[h]], v[repeated[h]]) for h in range(HQ)]),
        f"Hq = {HQ}, Hkv = {kv_heads}: head h reading KV head floor(h/{group}) is MHA over the repeated K, V",
    )


def derive() -> Derivation:
    proof = Derivation("grouped-query attention is multi-head attention with each KV head repeated g times")
    proof.assume("query head h = g j + r with 0 <= r < g belongs to group j")
    proof.equal(sp.floor((g * j + r) / g), j + sp.floor(r / g), "j is an integer: it comes out of the floor")
    proof.equal(
        sp.Matrix([read_head(rest, group) for group in range(1, 5) for rest in range(group)]),
        sp.zeros(10, 1),
        "0 <= r < g gives floor(r/g) = 0, so query head g j + r reads KV head j (checked for g = 1..4)",
    )

    group = 2
    repeated = sp.Matrix([kv for kv in range(HQ // group) for _ in range(group)])
    heads = sp.Matrix([read_head(h, group) for h in range(HQ)])
    proof.equal(repeated, heads, "Hq = 4, Hkv = 2: repeating each KV head twice puts head floor(h/2) at h")
    tiled = sp.Matrix([sp.Mod(h, HQ // group, evaluate=False) for h in range(HQ)])
    proof.holds(sp.Ne(tiled, heads, evaluate=False), "tiling (h mod Hkv) would give query head 1 the wrong head")
    _grouped(proof, 2)

    proof.equal(sp.Matrix([read_head(h, HQ) for h in range(HQ)]), sp.zeros(HQ, 1), "MQA, Hkv = 1: all read head 0")
    _grouped(proof, 1)
    return proof

"""What attention costs, counted on the implementation itself and held to the derived formulas.

The counter (impl.counting) runs the implementation on arrays that count every matrix
product (2 m k n FLOPs for an (m x k) by (k x n) product) and the largest array made. The
formulas are the derivations' own SymPy expressions, so the counts check the algebra and the
algebra explains the counts. An implementation whose arithmetic does not go through numpy
matrix products (Python loops, another library) cannot be counted, and these claims are
skipped for it.
"""

import hypothesis.extra.numpy as hnp
import numpy as np
from hypothesis import strategies as st

from attnproof.property import checks
from impl.counting import count
from proofs import cost as attention_cost
from proofs import kv_cache_cost, multihead_cost


def countable(impl) -> str | None:
    """None if the counter sees the implementation's matrix products, else why the claim is skipped."""
    q = np.ones((2, 2))  # (L, E)
    if count(lambda a: impl.attention(a, a, a), q).flops == 0:
        return "cannot count its cost: its arithmetic does not go through numpy matrix products"
    return None


def counted_flops(fn, *arrays, **options) -> int:
    return count(fn, *arrays, **options).flops


def mismatch(what: str, counted: int, formula, sizes: dict) -> AssertionError:
    shown = ", ".join(f"{symbol}={value}" for symbol, value in sizes.items())
    return AssertionError(
        f"{what} ({shown}): counted {counted} FLOPs, the derivation gives {formula} = {int(formula.subs(sizes))}"
    )


@st.composite
def cost_cases(draw):
    """Batch dims, L and S at least as large as E and Ev (so the scores are the largest array), causal or not."""
    e, ev = draw(st.integers(1, 6)), draw(st.integers(1, 6))
    return {
        "batch": draw(hnp.array_shapes(min_dims=0, max_dims=2, max_side=3)),
        "L": draw(st.integers(max(e, ev), 12)),
        "S": draw(st.integers(max(e, ev), 12)),
        "E": e,
        "Ev": ev,
        "causal": draw(st.booleans()),
        "rnn": (draw(st.integers(1, 8)), draw(st.integers(1, 6)), draw(st.integers(1, 6))),
    }


@checks(cost_cases(), applies=countable)
def attention_costs_quadratic(impl, case):
    """Counted: 2 L S E + 2 L S Ev FLOPs a head and an L x S score matrix; an RNN's n steps, 2 n (d_in d_h + d_h^2)."""
    __tracebackhide__ = True
    batch, n_queries, n_keys = case["batch"], case["L"], case["S"]
    q = np.ones(batch + (n_queries, case["E"]))  # (..., L, E)
    k = np.ones(batch + (n_keys, case["E"]))  # (..., S, E)
    v = np.ones(batch + (n_keys, case["Ev"]))  # (..., S, Ev)
    cost = count(lambda *a: impl.attention(*a, causal=case["causal"]), q, k, v)
    heads = int(np.prod(batch, dtype=np.int64))
    sizes = {
        attention_cost.L: n_queries,
        attention_cost.S: n_keys,
        attention_cost.d_k: case["E"],
        attention_cost.d_v: case["Ev"],
    }
    formula = heads * attention_cost.ATTENTION_FLOPS
    if cost.flops != int(formula.subs(sizes)):
        raise mismatch(f"attention over {heads} head(s)", cost.flops, formula, sizes)
    scores = heads * int(attention_cost.SCORE_ELEMENTS.subs(sizes))
    if cost.largest != scores:
        raise AssertionError(
            f"attention over {heads} head(s), L={n_queries}, S={n_keys}: the largest array held has "
            f"{cost.largest} elements; the score matrices have {scores}"
        )
    if impl.provides("elman_rnn"):
        n, d_in, d_h = case["rnn"]
        arrays = (np.ones((n, d_in)), np.ones((d_in, d_h)), np.ones((d_h, d_h)), np.zeros(d_h))
        rnn_sizes = {attention_cost.n: n, attention_cost.d_in: d_in, attention_cost.d_h: d_h}
        counted = counted_flops(impl.elman_rnn, *arrays)
        if counted != int(attention_cost.RNN_FLOPS.subs(rnn_sizes)):
            raise mismatch("elman_rnn", counted, attention_cost.RNN_FLOPS, rnn_sizes)


@st.composite
def multi_head_cost_cases(draw):
    """n tokens, d_model and the head counts that divide it."""
    d_model = draw(st.sampled_from([4, 6, 8, 12]))
    return {"n": draw(st.integers(1, 8)), "d_model": d_model}


@checks(multi_head_cost_cases(), needs=("multi_head_attention",), applies=countable)
def heads_cost_one_full_head(impl, case):
    """With d_k = d_model / h, h heads cost 8 n d_model^2 + 4 n^2 d_model FLOPs, for every h that divides d_model."""
    __tracebackhide__ = True
    n, d_model = case["n"], case["d_model"]
    x, w = np.ones((n, d_model)), np.ones((d_model, d_model))  # (n, d_model), (d_model, d_model)
    sizes = {multihead_cost.n: n, multihead_cost.d_model: d_model}
    for h in (h for h in range(1, d_model + 1) if d_model % h == 0):
        counted = counted_flops(lambda *a, h=h: impl.multi_head_attention(*a, n_heads=h), x, w, w, w, w)
        if counted != int(multihead_cost.MULTIHEAD_FLOPS.subs(sizes)):
            raise mismatch(
                f"multi_head_attention with {h} heads of width {d_model // h}",
                counted,
                multihead_cost.MULTIHEAD_FLOPS,
                sizes,
            )


@checks(st.tuples(st.integers(1, 10), st.integers(1, 6)), applies=countable)
def cache_makes_decoding_quadratic(impl, drawn):
    """Decoding n tokens over a cache costs sum_t 4 t d FLOPs, recomputing sum_t 4 t^2 d; the cache grows 2d a token."""
    __tracebackhide__ = True
    n, d = drawn
    q = k = v = np.ones((n, d))  # (n, d)
    cached = sum(
        counted_flops(lambda *a: impl.attention(*a, causal=True), q[t : t + 1], k[: t + 1], v[: t + 1])
        for t in range(n)
    )
    recomputed = sum(
        counted_flops(lambda *a: impl.attention(*a, causal=True), q[: t + 1], k[: t + 1], v[: t + 1]) for t in range(n)
    )
    sizes = {kv_cache_cost.n: n, kv_cache_cost.d: d}
    for what, counted, formula in (
        ("decoding with a KV cache", cached, kv_cache_cost.CACHED_DECODE_FLOPS),
        ("recomputing every step", recomputed, kv_cache_cost.RECOMPUTE_FLOPS),
    ):
        if counted != int(formula.subs(sizes).doit()):
            raise mismatch(what, counted, formula, sizes)
    if impl.provides("KVCache"):
        cache = impl.kv_cache(1)
        for t in range(1, n + 1):
            cache.append(0, k[None, None, t - 1 : t], v[None, None, t - 1 : t])  # (1, 1, 1, d) each
            held = int(kv_cache_cost.CACHE_ELEMENTS.subs({kv_cache_cost.n: t, kv_cache_cost.d: d})) * k.itemsize
            if cache.nbytes != held:
                raise AssertionError(
                    f"KVCache after {t} tokens of width {d} holds {cache.nbytes} bytes, not "
                    f"2 t d elements = {held} bytes: the cache should grow linearly"
                )

"""Multi-head and grouped-query attention.

Multi-head attention runs h attentions side by side, each in its own d_k-wide slice of the
projections, and mixes them with W_O: Concat(head_1, ..., head_h) W_O, which is the same as
the sum of head_i W_O^(i) over the row blocks W_O^(i) of W_O. Grouped-query attention lets
g = Hq / Hkv consecutive query heads share one key/value head: it is multi-head attention
with each key/value head repeated g times (h0 h0 h1 h1, not h0 h1 h0 h1).
"""

import numpy as np
from hypothesis import strategies as st

import impl as reference
from attnproof.numerics import assert_close, joint_budget, reference_budget
from attnproof.oracle import condition, oracle_attention
from attnproof.property import checks
from attnproof.strategies import MAX_DIM, MAX_LEN, attention_cases, floats_array


@st.composite
def multi_head_cases(draw):
    """X (n, d_model), h heads of widths d_k and d_v, and W_Q, W_K, W_V, W_O to match."""
    n, h = draw(st.integers(1, MAX_LEN)), draw(st.integers(1, 4))
    d_model, d_k, d_v = (draw(st.integers(1, MAX_DIM)) for _ in range(3))
    dtype = np.float64
    return {
        "x": draw(floats_array(dtype, (n, d_model))),  # (n, d_model)
        "w_q": draw(floats_array(dtype, (d_model, h * d_k))),  # (d_model, h * d_k)
        "w_k": draw(floats_array(dtype, (d_model, h * d_k))),  # (d_model, h * d_k)
        "w_v": draw(floats_array(dtype, (d_model, h * d_v))),  # (d_model, h * d_v)
        "w_o": draw(floats_array(dtype, (h * d_v, d_model))),  # (h * d_v, d_model)
        "n_heads": h,
        "causal": draw(st.booleans()),
    }


def head_slices(width: int, n_heads: int) -> list[slice]:
    """Head i owns channels i*w .. (i+1)*w - 1 of a projection h*w wide."""
    w = width // n_heads
    return [slice(i * w, (i + 1) * w) for i in range(n_heads)]


@checks(multi_head_cases(), needs=("multi_head_attention",))
def heads_concat_then_project(impl, case):
    """MultiHead(X) = Concat(head_1..head_h) W_O = sum_i Attention(X W_Q^i, X W_K^i, X W_V^i) W_O^(i)."""
    __tracebackhide__ = True
    x, h, causal = case["x"], case["n_heads"], case["causal"]
    w_q, w_k, w_v, w_o = case["w_q"], case["w_k"], case["w_v"], case["w_o"]
    expected = np.zeros(x.shape[:-1] + (w_o.shape[-1],))  # (n, d_model)
    spread = 0.0
    for qs, vs in zip(head_slices(w_q.shape[1], h), head_slices(w_v.shape[1], h), strict=True):
        q, k, v = x @ w_q[:, qs], x @ w_k[:, qs], x @ w_v[:, vs]  # (n, d_k), (n, d_k), (n, d_v)
        expected += oracle_attention(q, k, v, causal=causal) @ w_o[vs]  # (n, d_model)
        spread += condition(q, k, v) * np.abs(w_o[vs]).sum(axis=0).max(initial=0.0)
    options = {"n_heads": h, "causal": causal}
    same_precision = reference.multi_head_attention(x, w_q, w_k, w_v, w_o, **options)  # (n, d_model)
    tolerance = reference_budget(same_precision, expected, x.dtype, spread)
    out = impl.multi_head_attention(x, w_q, w_k, w_v, w_o, **options)  # (n, d_model)
    assert_close(
        out,
        expected,
        tolerance,
        f"multi_head_attention(x {x.shape}, {h} heads, d_k={w_q.shape[1] // h}, d_v={w_v.shape[1] // h}, "
        f"causal={causal}) is not Concat(head_1..head_{h}) W_O",
    )


@checks(attention_cases(gqa=True))
def grouped_query_is_repeated_kv(impl, case):
    """attention(q, k, v, enable_gqa=True) = attention(q, repeat(k), repeat(v)): head h reads kv head h // (Hq/Hkv)."""
    __tracebackhide__ = True
    group = case.q.shape[-3] // case.k.shape[-3]
    repeated = case.with_arrays(
        k=np.repeat(case.k, group, axis=-3),  # (..., Hq, S, E)
        v=np.repeat(case.v, group, axis=-3),  # (..., Hq, S, Ev)
    ).with_options(enable_gqa=None)
    tolerance = joint_budget(case, repeated)
    assert_close(
        case.call(impl.attention),
        repeated.call(impl.attention),
        tolerance,
        f"{case}: grouped-query attention with {case.q.shape[-3]} query heads over {case.k.shape[-3]} "
        f"key/value heads is not multi-head attention with each key/value head repeated {group} times",
    )

"""Properties of Q, K and V: their shapes, and the split of roles between them.

Q and K decide where each query looks (the weights); V is what is taken from there (the
payload). Through the protocol this shows as: the output is the weights times V, with the
weights the same whatever V is, so the output is linear in V.
"""

import hypothesis.extra.numpy as hnp
import numpy as np
from hypothesis import strategies as st

from attnproof import probes
from attnproof.numerics import assert_close, rounding_budget
from attnproof.property import checks
from attnproof.strategies import MAX_DIM, MAX_LEN, attention_cases, floats_array


@st.composite
def projection_cases(draw):
    """X (..., n, d_model), Y (..., m, d_model) and W_Q, W_K (d_model, d_k), W_V (d_model, d_v)."""
    dtype = draw(st.sampled_from([np.float64, np.float32]))
    batch = draw(hnp.array_shapes(min_dims=0, max_dims=2, max_side=3))
    n, m = draw(st.integers(1, MAX_LEN)), draw(st.integers(1, MAX_LEN))
    d_model, d_k, d_v = (draw(st.integers(1, MAX_DIM)) for _ in range(3))
    return {
        "x": draw(floats_array(dtype, batch + (n, d_model))),  # (..., n, d_model)
        "y": draw(floats_array(dtype, batch + (m, d_model))),  # (..., m, d_model)
        "w_q": draw(floats_array(dtype, (d_model, d_k))),  # (d_model, d_k)
        "w_k": draw(floats_array(dtype, (d_model, d_k))),  # (d_model, d_k)
        "w_v": draw(floats_array(dtype, (d_model, d_v))),  # (d_model, d_v)
    }


@checks(projection_cases())
def projection_shapes(impl, case):
    """Self-attention gives [n, d_v] with [n, n] weights; cross-attention from m queries gives [m, d_v], [m, n].

    The guard around every call checks the output shape (..., L, Ev) and q's dtype; reading
    the weights as attention(q, k, I) checks the score shape (..., L, S).
    """
    __tracebackhide__ = True
    x, y = case["x"], case["y"]
    q, k, v = x @ case["w_q"], x @ case["w_k"], x @ case["w_v"]  # (..., n, d_k), (..., n, d_k), (..., n, d_v)
    impl.attention(q, k, v)  # (..., n, d_v)
    probes.weights(impl, q, k)  # (..., n, n)
    q_cross = y @ case["w_q"]  # (..., m, d_k)
    impl.attention(q_cross, k, v)  # (..., m, d_v)
    probes.weights(impl, q_cross, k)  # (..., m, n)


@st.composite
def two_values(draw):
    """An attention case, a second V of the same shape, and coefficients a, b."""
    case = draw(attention_cases())
    v2 = draw(floats_array(case.v.dtype, case.v.shape))  # (..., S, Ev)
    coefficients = st.floats(-2, 2, allow_subnormal=False)
    return case, v2, draw(coefficients), draw(coefficients)


@checks(two_values())
def value_is_payload(impl, drawn):
    """out(V) = A V with A = weights(Q, K) whatever V is, so out(a V1 + b V2) = a out(V1) + b out(V2)."""
    __tracebackhide__ = True
    case, v2, a, b = drawn
    second = case.with_arrays(v=v2)
    combined = case.with_arrays(v=a * case.v + b * v2)  # (..., S, Ev)
    w = probes.weights(impl, case.q, case.k, **case.options)  # (..., L, S)
    v1 = case.v
    if case.options.get("enable_gqa"):
        v1, v2 = (np.repeat(x, w.shape[-3] // x.shape[-3], axis=-3) for x in (v1, v2))  # (..., Hq, S, Ev)
    budget_1, budget_2, budget_ab = (c.call(rounding_budget) for c in (case, second, combined))
    out_1, out_2 = case.call(impl.attention), second.call(impl.attention)  # (..., L, Ev) each
    assert_close(out_1, w @ v1, 2 * budget_1, f"{case}: the output is not weights @ V")
    assert_close(out_2, w @ v2, 2 * budget_2, f"{second}: with another V the weights changed")
    linear = a * out_1 + b * out_2  # (..., L, Ev)
    tolerance = budget_ab + abs(a) * budget_1 + abs(b) * budget_2
    assert_close(
        combined.call(impl.attention), linear, tolerance, f"{case}: the output is not linear in V (a={a}, b={b})"
    )

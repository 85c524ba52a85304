"""Attention against recurrence: dependency chains and how gradients travel with distance.

An Elman RNN reaches x_s from h_t only through the t - s updates between them, so the n steps
run one after another and the gradient dh_t/dh_0 is a product of t Jacobians, each of norm at
most ||W_hh||: it shrinks like ||W_hh||^t. Attention reaches every admissible token in one
step: h_i moves with every v_j directly (dh_i/dv_j = p_ij), whatever the distance i - j.
"""

import numpy as np
from hypothesis import strategies as st

from attnproof.numerics import assert_close
from attnproof.property import checks

FINITE_STEP = 1e-6


@st.composite
def recurrent_cases(draw):
    """A sequence length, sizes and a seed for an RNN's weights and inputs (Gaussian, so nothing cancels)."""
    return {
        "n": draw(st.integers(2, 7)),
        "d_in": draw(st.integers(1, 4)),
        "d_h": draw(st.integers(1, 4)),
        "seed": draw(st.integers(0, 2**32 - 1)),
        "s": draw(st.integers(0, 6)),
    }


def rnn_inputs(case):
    rng = np.random.default_rng(case["seed"])
    n, d_in, d_h = case["n"], case["d_in"], case["d_h"]
    return {
        "x": rng.standard_normal((n, d_in)),  # (n, d_in)
        "w_xh": rng.standard_normal((d_in, d_h)) / np.sqrt(d_in),  # (d_in, d_h)
        "w_hh": rng.standard_normal((d_h, d_h)) / np.sqrt(d_h),  # (d_h, d_h)
        "b": 0.1 * rng.standard_normal(d_h),  # (d_h,)
    }, rng


@checks(recurrent_cases(), needs=("elman_rnn", "attention"))
def rnn_is_a_chain_attention_is_one_step(impl, case):
    """h_t ignores x_{t+1..n} and moves with every x_{s<=t}; attention's h_i moves with every admissible v_j at once."""
    __tracebackhide__ = True
    inputs, rng = rnn_inputs(case)
    x, n = inputs["x"], case["n"]
    s = min(case["s"], n - 1)
    h = impl.elman_rnn(**inputs)  # (n, d_h)
    changed = x.copy()  # (n, d_in)
    changed[s] += 0.5 + rng.standard_normal(x.shape[-1])
    h_changed = impl.elman_rnn(**{**inputs, "x": changed})  # (n, d_h)
    assert_close(h_changed[:s], h[:s], 0.0, f"elman_rnn (n={n}): changing x_{s} changed an earlier state h_t, t < {s}")
    moved = np.abs(h_changed[s:] - h[s:]).max(axis=-1)  # (n - s,)
    if not (moved > 0).all():
        t = s + int(np.argmin(moved))
        raise AssertionError(f"elman_rnn (n={n}): changing x_{s} left h_{t} unchanged, but h_{t} depends on x_{s}")
    q, k, v = (rng.standard_normal((n, 3)) for _ in range(3))  # (n, 3) each
    out = impl.attention(q, k, v, causal=True)  # (n, 3)
    nudged = v.copy()  # (n, 3)
    nudged[s] += 1.0
    shift = np.abs(impl.attention(q, k, nudged, causal=True) - out).max(axis=-1)  # (n,)
    if not (shift[s:] > 0).all():
        i = s + int(np.argmin(shift[s:]))
        raise AssertionError(f"causal attention (n={n}): output {i} did not move with v_{s}, an admissible value")


@st.composite
def contraction_cases(draw):
    """An RNN case and a spectral norm rho < 1 for W_hh."""
    case = draw(recurrent_cases())
    return {**case, "rho": draw(st.floats(0.2, 0.9))}


def jacobian_to_h0(impl, inputs, h0) -> np.ndarray:
    """dh_t/dh_0 for every t by central differences on h0, (n, d_h, d_h)."""
    columns = []
    for e in np.eye(h0.size):
        plus = impl.elman_rnn(**inputs, h0=h0 + FINITE_STEP * e)  # (n, d_h)
        minus = impl.elman_rnn(**inputs, h0=h0 - FINITE_STEP * e)  # (n, d_h)
        columns.append((plus - minus) / (2 * FINITE_STEP))
    return np.stack(columns, axis=-1)  # (n, d_h, d_h)


@checks(contraction_cases(), needs=("elman_rnn", "attention"))
def rnn_gradients_vanish_attention_gradients_do_not(impl, case):
    """||dh_t/dh_0|| <= ||W_hh||^t (tanh' <= 1); attention's gradient to each of n equal keys is 1/n at any distance."""
    __tracebackhide__ = True
    inputs, rng = rnn_inputs(case)
    w_hh = inputs["w_hh"]
    inputs["w_hh"] = w_hh * case["rho"] / max(np.linalg.norm(w_hh, 2), 1e-12)  # (d_h, d_h), ||W_hh||_2 = rho
    h0 = rng.standard_normal(case["d_h"])  # (d_h,)
    jacobians = jacobian_to_h0(impl, inputs, h0)  # (n, d_h, d_h)
    for t, jacobian in enumerate(jacobians, start=1):
        norm, bound = np.linalg.norm(jacobian, 2), case["rho"] ** t
        if not norm <= bound * (1 + 1e-6) + 1e-9:
            raise AssertionError(
                f"elman_rnn with ||W_hh|| = {case['rho']:.3g}: ||dh_{t}/dh_0|| = {norm:.4g} exceeds "
                f"||W_hh||^{t} = {bound:.4g}; tanh' <= 1 forbids it"
            )
    n = case["n"]
    q = rng.standard_normal((1, 4))  # (1, 4): the last token's query
    k = np.repeat(rng.standard_normal((1, 4)), n, axis=0)  # (n, 4): every key the same, so only distance differs
    v = rng.standard_normal((n, 2))  # (n, 2)
    out = impl.attention(q, k, v)  # (1, 2)
    gradients = []
    for j in range(n):
        nudged = v.copy()  # (n, 2)
        nudged[j] += FINITE_STEP
        gradients.append(float((impl.attention(q, k, nudged) - out)[0, 0] / FINITE_STEP))
    assert_close(
        gradients,
        1.0 / n,
        1e-8,
        f"attention over {n} equal keys: the gradient to v_j should be 1/n for "
        f"every distance, got {np.round(gradients, 6).tolist()}",
    )

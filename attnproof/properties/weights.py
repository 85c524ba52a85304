"""Properties of the weights softmax(Q K^T / sqrt(d_k) + M) and the outputs they make.

The definition is checked against the float64 oracle; the rest are what the definition
implies and what teaching material says of it: each row of weights is a probability
distribution over the admissible keys, unchanged by adding a constant to the row's scores;
each output is a convex combination of admissible values; and 1/sqrt(d_k) gives the scores
unit variance.
"""

from statistics import NormalDist

import numpy as np
from hypothesis import strategies as st

from attnproof import probes
from attnproof.numerics import assert_close, joint_budget, rounding_budget
from attnproof.oracle import kv_head_of, oracle_attention
from attnproof.property import checks
from attnproof.strategies import attention_cases, floats_array
from proofs import variance


@checks(attention_cases(dtypes=(np.float64, np.float32), large=True))
def matches_oracle(impl, case):
    """attention(q, k, v, **options) equals softmax(Q K^T * scale + M) V within the rounding budget."""
    __tracebackhide__ = True
    expected = case.call(oracle_attention)  # (..., L, Ev) float64
    assert_close(case.call(impl.attention), expected, case.call(rounding_budget), f"{case} differs from the oracle")


def weight_budget(case) -> float:
    """The rounding budget of one weight: attention with V = I has the weights as output."""
    return case.with_arrays(v=probes.identity_values(case.k)).call(rounding_budget)


@st.composite
def shifted_keys(draw):
    """A case and a vector c to add to every key."""
    case = draw(attention_cases())
    return case, draw(floats_array(case.k.dtype, case.k.shape[-1:]))  # (E,)


@checks(shifted_keys())
def rows_are_distributions(impl, drawn):
    """Each row of weights is >= 0 and sums to 1 (over admissible keys); k_j + c for all j changes nothing."""
    __tracebackhide__ = True
    case, shift = drawn
    w = probes.weights(impl, case.q, case.k, **case.options)  # (..., L, S)
    budget = weight_budget(case)
    has_keys = case.admissible().any(axis=-1)  # (..., L)
    assert_close(np.minimum(w, 0), 0.0, budget, f"{case}: a weight is negative")
    row_sums = np.where(has_keys, w.sum(axis=-1), 1.0)  # (..., L)
    assert_close(row_sums, 1.0, w.shape[-1] * budget, f"{case}: a row of weights does not sum to 1")
    moved = case.with_arrays(k=case.k + shift)  # (..., S, E)
    tolerance = joint_budget(case, moved)
    assert_close(
        moved.call(impl.attention),
        case.call(impl.attention),
        tolerance,
        f"{case}: adding c={shift} to every key (q.c to each row's scores) changed the output",
    )


@checks(attention_cases())
def outputs_are_convex_combinations(impl, case):
    """Every output coordinate lies between the least and the greatest admissible value in that column."""
    __tracebackhide__ = True
    out = case.call(impl.attention)  # (..., L, Ev)
    allowed = case.admissible()[..., None]  # (..., L, S, 1)
    v = case.v
    if case.options.get("enable_gqa"):
        v = v[..., kv_head_of(case.q.shape[-3], v.shape[-3]), :, :]  # (..., Hq, S, Ev)
    values = v[..., None, :, :]  # (..., 1, S, Ev)
    lowest = np.where(allowed, values, np.inf).min(axis=-2)  # (..., L, Ev)
    highest = np.where(allowed, values, -np.inf).max(axis=-2)  # (..., L, Ev)
    has_keys = np.isfinite(lowest)  # (..., L, Ev)
    budget = case.call(rounding_budget)
    below = np.where(has_keys, np.maximum(lowest - out, 0), 0)  # (..., L, Ev)
    above = np.where(has_keys, np.maximum(out - highest, 0), 0)  # (..., L, Ev)
    assert_close(below, 0.0, budget, f"{case}: an output is below every admissible value")
    assert_close(above, 0.0, budget, f"{case}: an output is above every admissible value")


VARIANCE_SAMPLES = 4000
VARIANCE_FALSE_ALARM = 1e-6  # per (d_k, scale) pair, under the central-limit approximation
VARIANCE_D_K = (4, 16, 64)
VARIANCE_SEED = 20240611


@checks(st.tuples(st.sampled_from(VARIANCE_D_K), st.sampled_from([None, 1.0])))
def score_variance(impl, drawn):
    """Monte Carlo: with q, k ~ N(0, I), Var(q.k * scale) is 1 for the default scale and d_k for scale = 1.

    The estimate is mean(s^2) over VARIANCE_SAMPLES scores (the mean of s is known to be 0),
    whose standard error is sigma^2 sqrt((E[s^4]/sigma^4 - 1) / N), with the fourth moment
    from the derivation (3 + 6/d_k for the standardised score). The check fails when the
    estimate is more than z standard errors off, z set for a false-alarm probability of
    VARIANCE_FALSE_ALARM per (d_k, scale) pair; the generator is seeded by d_k, so a run is
    reproducible and at most six distinct tests are made (<= 6e-6 per run).
    """
    __tracebackhide__ = True
    d_k, scale = drawn
    rng = np.random.default_rng([VARIANCE_SEED, d_k])
    q = rng.standard_normal((VARIANCE_SAMPLES, d_k))  # (N, d_k)
    k = rng.standard_normal((VARIANCE_SAMPLES, d_k))  # (N, d_k)
    s = probes.scaled_scores(impl, q, k, scale=scale)  # (N,)
    expected = 1.0 if scale is None else float(d_k)
    kurtosis = float(variance.SCALED_SCORE_FOURTH_MOMENT.subs(variance.d_k, d_k))
    standard_error = expected * np.sqrt((kurtosis - 1) / VARIANCE_SAMPLES)
    z = NormalDist().inv_cdf(1 - VARIANCE_FALSE_ALARM / 2)
    estimate = float(np.mean(s**2))
    if not abs(estimate - expected) <= z * standard_error:
        raise AssertionError(
            f"Var(q.k * scale) for d_k={d_k}, scale={'1/sqrt(d_k)' if scale is None else scale} is "
            f"{estimate:.4g} over {VARIANCE_SAMPLES} samples, expected {expected:g} "
            f"(+- {z * standard_error:.3g}, false-alarm probability {VARIANCE_FALSE_ALARM:g})"
        )

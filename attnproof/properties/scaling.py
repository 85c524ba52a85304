"""Why 1/sqrt(d_k), and what happens without it: the entropy of the weights and saturation.

Scaled by 1/sqrt(d_k) the scores keep unit variance, so the weights look the same whatever
d_k is. Scaled by 1/d_k their variance is 1/d_k: as d_k grows the scores collapse to 0 and
the weights to uniform (entropy log S). Unscaled, the variance is d_k: one score dominates,
the weights go one-hot (entropy 0) and the softmax saturates: its Jacobian diag(p) - p p^T
vanishes, and so do the gradients through it.
"""

import numpy as np
from hypothesis import strategies as st

from attnproof import probes
from attnproof.numerics import assert_close
from attnproof.property import checks
from attnproof.strategies import floats_array

ENTROPY_D_K = (4, 16, 64)
ENTROPY_KEYS = 16
ENTROPY_SAMPLES = 2000
ENTROPY_SEED = 20240612
FLAT_ENTROPY = 0.1  # nats: how much the scaled entropy may move between d_k = 4 and 64
LIMIT_GAP = 0.2  # nats: how far the scaled entropy must stay from each limit


def mean_entropy(impl, d_k: int, scale) -> float:
    """Mean entropy (nats) of one query's weights over ENTROPY_KEYS keys, q and k ~ N(0, I), seeded by d_k."""
    rng = np.random.default_rng([ENTROPY_SEED, d_k])
    q = rng.standard_normal((ENTROPY_SAMPLES, 1, d_k))  # (N, 1, d_k)
    k = rng.standard_normal((ENTROPY_SAMPLES, ENTROPY_KEYS, d_k))  # (N, S, d_k)
    w = probes.weights(impl, q, k, scale=scale)[:, 0, :]  # (N, S)
    return float(-(w * np.log(np.where(w > 0, w, 1.0))).sum(axis=-1).mean())


@checks(st.just(ENTROPY_D_K))
def entropy_is_steady_only_with_sqrt_scaling(impl, d_ks):
    """With 1/sqrt(d_k) the weights' entropy stays put as d_k grows; with 1/d_k it rises to log S, unscaled it falls.

    Statistics: ENTROPY_SAMPLES rows per d_k, seeded, so a run is reproducible. The standard
    error of each mean is about 0.01 nats; every margin below is at least 6 standard errors,
    a false-alarm probability under 1e-9 by the central limit theorem.
    """
    __tracebackhide__ = True
    scaled = {d: mean_entropy(impl, d, None) for d in d_ks}
    over_d_k = {d: mean_entropy(impl, d, 1.0 / d) for d in d_ks}
    unscaled = {d: mean_entropy(impl, d, 1.0) for d in d_ks}
    low, high, uniform = d_ks[0], d_ks[-1], np.log(ENTROPY_KEYS)
    table = ", ".join(f"d_k={d}: {scaled[d]:.3f} (1/d_k {over_d_k[d]:.3f}, unscaled {unscaled[d]:.3f})" for d in d_ks)
    if not abs(scaled[high] - scaled[low]) <= FLAT_ENTROPY:
        raise AssertionError(f"with the default scale the weights' entropy moves with d_k: {table}")
    if not unscaled[high] + LIMIT_GAP < scaled[high] < uniform - LIMIT_GAP:
        raise AssertionError(
            f"with the default scale the weights' entropy at d_k={high} is not between the unscaled one and "
            f"log S = {uniform:.3f}: {table}"
        )
    if not (uniform - over_d_k[high]) < (uniform - over_d_k[low]) / 4:
        raise AssertionError(f"scaled by 1/d_k the weights do not flatten toward uniform as d_k grows: {table}")
    if not unscaled[high] < unscaled[low] / 2:
        raise AssertionError(f"unscaled, the weights do not sharpen as d_k grows: {table}")


def softmax_of(impl, x: np.ndarray) -> np.ndarray:
    """softmax(x) for x (S,), read through attention: one query x against the unit keys, scale 1."""
    identity = np.eye(x.shape[-1])  # (S, S)
    return impl.attention(x[None, :], identity, identity, scale=1.0)[0]  # (S,)


def finite_difference_jacobian(impl, x: np.ndarray, step: float = 1e-5) -> np.ndarray:
    """J[i, j] = d softmax(x)_i / d x_j by central differences, (S, S)."""
    columns = [(softmax_of(impl, x + step * e) - softmax_of(impl, x - step * e)) / (2 * step) for e in np.eye(x.size)]
    return np.stack(columns, axis=-1)  # (S, S)


SATURATION_D_K = 256
JACOBIAN_TOLERANCE = 1e-8  # central differences with step 1e-5: truncation ~1e-10, rounding ~1e-11
SATURATING_GAP = 30.0  # the leading logit ahead of the next by 30: every p_i (1 - p_i) < 8 e^-30 < 1e-12
SATURATED_ENTRY = 1e-9  # what is left of a Jacobian entry there, with the finite differences' error


def unscaled_scores_saturate(impl) -> None:
    """Seeded, once per run: at d_k = SATURATION_D_K unscaled weights are near one-hot, scaled ones are not."""
    __tracebackhide__ = True
    rng = np.random.default_rng([ENTROPY_SEED, SATURATION_D_K])
    q = rng.standard_normal((64, 1, SATURATION_D_K))  # (N, 1, d_k)
    k = rng.standard_normal((64, ENTROPY_KEYS, SATURATION_D_K))  # (N, S, d_k)
    top = {scale: probes.weights(impl, q, k, scale=scale).max(axis=-1).mean() for scale in (None, 1.0)}
    if not (top[1.0] > 0.9 and top[None] < 0.5):
        raise AssertionError(
            f"at d_k={SATURATION_D_K} the mean largest weight is {top[1.0]:.3f} unscaled (should be near one-hot, "
            f"> 0.9) and {top[None]:.3f} with the default scale (should be < 0.5)"
        )


@checks(st.integers(2, 8).flatmap(lambda n: floats_array(np.float64, (n,), 3.0)), once=unscaled_scores_saturate)
def softmax_jacobian_saturates(impl, x):
    """d softmax/dx = diag(p) - p p^T, and it vanishes once one logit dominates."""
    __tracebackhide__ = True
    p = softmax_of(impl, x)  # (S,)
    formula = np.diag(p) - np.outer(p, p)  # (S, S)
    assert_close(
        finite_difference_jacobian(impl, x),
        formula,
        JACOBIAN_TOLERANCE,
        f"softmax at x={x.tolist()}: the Jacobian is not diag(p) - p p^T",
    )
    top_two = np.sort(x)[-2:]  # (2,)
    if top_two[1] - top_two[0] > 0.1:  # one logit leads: scale the logits until it dominates
        c = SATURATING_GAP / (top_two[1] - top_two[0])
        saturated = finite_difference_jacobian(impl, c * x)  # (S, S)
        if not np.abs(saturated).max() <= SATURATED_ENTRY < np.linalg.norm(formula):
            raise AssertionError(
                f"softmax at {c:.3g} * x, x={x.tolist()}: one logit leads by {SATURATING_GAP}, yet the largest "
                f"Jacobian entry is {np.abs(saturated).max():.3g} (at x: norm {np.linalg.norm(formula):.3g}); "
                f"p_i (1 - p_i) <= {SATURATED_ENTRY:g} there, so it should have vanished"
            )

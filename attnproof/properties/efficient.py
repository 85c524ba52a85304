"""Cheaper attentions, held to what they promise: the same answer, or a different model stated plainly.

- A sliding window of w tokens (the current one included) is attention with a band mask, and
  full causal attention once w >= n, for O(n w d) work.
- Linear attention computes phi(Q) (phi(K)^T V) instead of (phi(Q) phi(K)^T) V: associativity
  makes these equal and the first costs O(n d^2); but phi(q) . phi(k) is not exp(q . k), so it
  is not softmax attention.
- Online (tiled) softmax is exact attention, computed block by block with a running max and sum.
"""

import numpy as np
from hypothesis import strategies as st

from attnproof import probes
from attnproof.numerics import assert_close, max_abs_difference, reference_budget, rounding_budget
from attnproof.oracle import condition, oracle_attention, oracle_linear_attention
from attnproof.properties.cost import countable, counted_flops, mismatch
from attnproof.property import checks, must_find
from attnproof.strategies import attention_cases
from impl import efficient as reference
from proofs import linear_attention as linear_cost
from proofs import sliding_window as window_cost

COST_SLACK = 2  # an implementation may spend up to twice the derived count (blocking, padding) and keep its order


def within_cost(what: str, counted: int, formula, sizes: dict) -> None:
    """The counted FLOPs are at most COST_SLACK times the derived formula: the promised order of cost."""
    __tracebackhide__ = True
    if not counted <= COST_SLACK * int(formula.subs(sizes)):
        raise mismatch(f"{what}, over {COST_SLACK} x the derived count", counted, formula, sizes)


def band(n: int, window: int) -> np.ndarray:
    """(n, n): query i may attend key j iff i - window < j <= i."""
    offset = np.arange(n)[:, None] - np.arange(n)[None, :]  # (n, n): i - j
    return (offset >= 0) & (offset < window)


@st.composite
def window_cases(draw):
    """Self-attention inputs (no mask, no GQA) and a window from 1 to past the sequence length."""
    case = draw(attention_cases(masks=False, causal=False, gqa=False, same_length=True))
    return case, draw(st.integers(1, case.q.shape[-2] + 2))


@checks(window_cases(), needs=("sliding_window_attention",))
def window_is_a_band_mask(impl, drawn):
    """Query i sees keys i - w < j <= i (w keys, itself included): the band mask; with w >= n, full causal attention."""
    __tracebackhide__ = True
    case, window = drawn
    n, scale = case.q.shape[-2], case.options.get("scale")
    banded = case.with_options(mask=band(n, window), causal=True)
    out = impl.sliding_window_attention(case.q, case.k, case.v, window, scale=scale)  # (..., n, Ev)
    assert_close(
        out,
        banded.call(oracle_attention),
        banded.call(rounding_budget),
        f"sliding_window_attention(window={window}) on {case} is not attention with the band i - w < j <= i",
    )
    identity = probes.identity_values(case.k)  # (..., n, n)
    w = impl.sliding_window_attention(case.q, case.k, identity, window, scale=scale)  # (..., n, n): the weights
    if n > window:
        oldest, beyond = w[..., window - 1, 0], w[..., window, 0]  # key 0 from query w - 1 (inside) and w (outside)
        if not ((oldest > 0).all() and (beyond == 0).all()):
            raise AssertionError(
                f"sliding_window_attention(window={window}) on {case}: key 0 should get weight from "
                f"query {window - 1} (the window counts the current token) and none from query {window}"
            )
    if window >= n:
        full = case.with_options(causal=True)
        assert_close(
            out,
            full.call(impl.attention),
            2 * full.call(rounding_budget),
            f"sliding_window_attention(window={window} >= n={n}) is not full causal attention on {case}",
        )
    if countable(impl) is None:
        sizes = {
            window_cost.n: n,
            window_cost.w: window,
            window_cost.d_k: case.q.shape[-1],
            window_cost.d_v: case.v.shape[-1],
        }
        heads = int(np.prod(case.q.shape[:-2], dtype=np.int64))
        counted = counted_flops(impl.sliding_window_attention, case.q, case.k, case.v, window=window, scale=scale)
        within_cost(
            f"sliding_window_attention over {heads} head(s)", counted, heads * window_cost.SLIDING_WINDOW_FLOPS, sizes
        )


def not_softmax_attention(impl) -> None:
    """Once per run: some input on which linear attention and softmax attention disagree (the trade-off)."""
    __tracebackhide__ = True

    def differs(case):
        return max_abs_difference(impl.linear_attention(case.q, case.k, case.v), case.call(oracle_attention)) > 1e-3

    must_find(
        attention_cases(masks=False, causal=False, gqa=False, scales=False),
        differs,
        "linear attention agrees with softmax attention everywhere",
    )


@checks(
    attention_cases(masks=False, causal=False, gqa=False, scales=False),
    needs=("linear_attention",),
    once=not_softmax_attention,
)
def linear_attention_reassociates(impl, case):
    """phi(Q) (phi(K)^T V) / (phi(Q) phi(K)^T 1) equals the quadratic form, at 4 n d_k d_v + 4 n d_k FLOPs."""
    __tracebackhide__ = True
    out = impl.linear_attention(case.q, case.k, case.v)  # (..., L, Ev)
    exact = oracle_linear_attention(case.q, case.k, case.v)  # (..., L, Ev)
    same_precision = reference.linear_attention(case.q, case.k, case.v)  # (..., L, Ev)
    spread = condition(case.q, case.k, case.v) * case.q.shape[-1]
    assert_close(
        out,
        exact,
        reference_budget(same_precision, exact, case.q.dtype, spread),
        f"linear_attention on {case} is not (phi(Q) phi(K)^T V) / (phi(Q) phi(K)^T 1), phi = elu + 1",
    )
    if countable(impl) is None and case.q.shape[-2] == case.k.shape[-2]:
        sizes = {linear_cost.n: case.q.shape[-2], linear_cost.d_k: case.q.shape[-1], linear_cost.d_v: case.v.shape[-1]}
        heads = int(np.prod(case.q.shape[:-2], dtype=np.int64))
        counted = counted_flops(impl.linear_attention, case.q, case.k, case.v)
        within_cost(
            f"linear_attention over {heads} head(s)", counted, heads * linear_cost.LINEAR_ATTENTION_FLOPS, sizes
        )


@st.composite
def tiled_cases(draw):
    case = draw(attention_cases(dtypes=(np.float64, np.float32), gqa=False, large=True))
    return case, draw(st.integers(1, case.k.shape[-2] + 1))


@checks(tiled_cases(), needs=("online_attention",))
def online_softmax_is_exact(impl, drawn):
    """Attention block by block with a running max and sum equals exact attention, for every block size."""
    __tracebackhide__ = True
    case, block_size = drawn
    out = impl.online_attention(case.q, case.k, case.v, block_size, **case.options)  # (..., L, Ev)
    exact = case.call(oracle_attention)  # (..., L, Ev)
    same_precision = reference.online_attention(case.q, case.k, case.v, block_size, **case.options)  # (..., L, Ev)
    tolerance = max(
        case.call(rounding_budget),
        reference_budget(
            same_precision, exact, case.q.dtype, condition(case.q, case.k, case.v, case.options.get("scale"))
        ),
    )
    assert_close(out, exact, tolerance, f"online_attention(block_size={block_size}) on {case} is not exact attention")

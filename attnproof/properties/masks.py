"""Properties of masking: causal masks, padding masks, and decoding with a KV cache.

A mask sets the scores of forbidden keys to -inf, so their weight is exactly zero and they
drop out of the output. The causal mask is aligned bottom-right: query i of L may attend key
j of S iff j <= i + (S - L), so the last query sees every key. That alignment is what makes
decoding one token at a time over a cache of keys and values give the same outputs as
running the whole sequence at once.
"""

import numpy as np
from hypothesis import strategies as st

from attnproof import probes
from attnproof.numerics import assert_close, joint_budget, rounding_budget
from attnproof.properties.weights import weight_budget
from attnproof.property import checks
from attnproof.strategies import attention_cases, floats_array, key_padding


@st.composite
def future_changes(draw):
    """A causal case, a last query row `cut` to watch, and new values for everything after it."""
    case = draw(attention_cases(causal=True))
    n_queries, n_keys = case.q.shape[-2], case.k.shape[-2]
    cut = draw(st.integers(0, n_queries - 1))
    first_future_key = max(cut + 1 + n_keys - n_queries, 0)
    changed = case.with_arrays(
        q=np.concatenate(
            [case.q[..., : cut + 1, :], draw(floats_array(case.q.dtype, case.q[..., cut + 1 :, :].shape))], axis=-2
        ),
        k=np.concatenate(
            [
                case.k[..., :first_future_key, :],
                draw(floats_array(case.k.dtype, case.k[..., first_future_key:, :].shape)),
            ],
            axis=-2,
        ),
        v=np.concatenate(
            [
                case.v[..., :first_future_key, :],
                draw(floats_array(case.v.dtype, case.v[..., first_future_key:, :].shape)),
            ],
            axis=-2,
        ),
    )
    return case, cut, changed


@checks(future_changes())
def causal_hides_the_future(impl, drawn):
    """Weights are 0 on keys j > i + (S - L) and > 0 on the others; what comes after row i never changes rows <= i."""
    __tracebackhide__ = True
    case, cut, changed = drawn
    w = probes.weights(impl, case.q, case.k, **case.options)  # (..., L, S)
    allowed = case.admissible()  # (..., L, S), causal
    assert_close(
        np.where(allowed, 0, w),
        0.0,
        weight_budget(case),
        f"{case}: a query gives weight to a key after it (j > i + S - L)",
    )
    if not (w[allowed] > 0).all():
        index = tuple(int(i) for i in np.argwhere(allowed & (w <= 0))[0])
        raise AssertionError(
            f"{case}: the admissible key {index[-1]} of query {index[-2]} gets weight {w[index]:.3g}, not > 0"
        )
    before, after = case.call(impl.attention), changed.call(impl.attention)  # (..., L, Ev) each
    tolerance = joint_budget(case, changed)
    assert_close(
        after[..., : cut + 1, :],
        before[..., : cut + 1, :],
        tolerance,
        f"{case}: changing queries after row {cut} and keys/values after key "
        f"{cut + case.k.shape[-2] - case.q.shape[-2]} "
        f"changed the outputs of rows 0..{cut}",
    )


@st.composite
def padded_cases(draw):
    """A case without other masks, which keys are real (S,), and which query rows lose every key (L,)."""
    case = draw(attention_cases(masks=False, causal=False))
    return case, draw(key_padding(case.k.shape[-2])), draw(key_padding(case.q.shape[-2]))


@checks(padded_cases())
def padding_removes_keys(impl, drawn):
    """Masked keys get weight 0; a key mask equals dropping those keys; a row with no key left outputs zeros."""
    __tracebackhide__ = True
    case, keep, empty_rows = drawn
    padded = case.with_options(mask=keep[None, :])  # mask (1, S)
    w = probes.weights(impl, padded.q, padded.k, **padded.options)  # (..., L, S)
    assert_close(np.where(keep, 0, w), 0.0, weight_budget(padded), f"{padded}: a padded key gets weight")
    out = padded.call(impl.attention)  # (..., L, Ev)
    if keep.any():
        kept = case.with_arrays(k=case.k[..., keep, :], v=case.v[..., keep, :])  # (..., S', E), (..., S', Ev)
        tolerance = joint_budget(padded, kept)
        assert_close(
            out, kept.call(impl.attention), tolerance, f"{padded}: masking keys is not the same as dropping them"
        )
    else:
        assert_close(out, 0.0, 0.0, f"{padded}: every key is masked, so every row should be zeros")
    no_keys = case.with_options(mask=keep[None, :] & ~empty_rows[:, None])  # mask (L, S)
    out = no_keys.call(impl.attention)  # (..., L, Ev)
    fully_masked = ~(keep[None, :] & ~empty_rows[:, None]).any(axis=-1)  # (L,)
    assert_close(
        out[..., fully_masked, :], 0.0, 0.0, f"{no_keys}: a query row with no admissible key should output zeros"
    )


@st.composite
def decoding_cases(draw):
    """A causal self-attention case (L = S = n), the sizes of the chunks it is decoded in, and other queries."""
    case = draw(attention_cases(causal=True, masks=False, same_length=True))
    n = case.q.shape[-2]
    cuts = sorted(draw(st.sets(st.integers(1, n - 1), max_size=n - 1))) if n > 1 else []
    return case, [0, *cuts, n], draw(floats_array(case.q.dtype, case.q.shape))


@checks(decoding_cases())
def cache_matches_recompute(impl, drawn):
    """Decoding token by token (or by chunks) over cached K, V equals full causal attention; no past query is used."""
    __tracebackhide__ = True
    case, bounds, other_queries = drawn
    full = case.call(impl.attention)  # (..., n, Ev)
    tolerance = 2 * case.call(rounding_budget)
    chunks = list(zip(bounds[:-1], bounds[1:], strict=True))
    for start, end in [(t, t + 1) for t in range(case.q.shape[-2])] + chunks:
        step = case.with_arrays(q=case.q[..., start:end, :], k=case.k[..., :end, :], v=case.v[..., :end, :])
        assert_close(
            step.call(impl.attention),
            full[..., start:end, :],
            tolerance,
            f"{step}: decoding queries {start}..{end - 1} over a cache of {end} keys "
            f"differs from rows {start}..{end - 1} of full causal attention ({case})",
        )
    for t in range(case.q.shape[-2]):
        q = other_queries.copy()  # (..., n, E)
        q[..., t, :] = case.q[..., t, :]
        others = case.with_arrays(q=q)
        tolerance = joint_budget(case, others)
        assert_close(
            others.call(impl.attention)[..., t, :],
            full[..., t, :],
            tolerance,
            f"{case}: row {t} changed when the other queries changed, so past queries would need caching",
        )

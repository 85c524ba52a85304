"""Permutation equivariance: attention alone does not know the order of its tokens.

Without positions or a mask, permuting the tokens permutes the outputs the same way:
Attn(PX) = P Attn(X). Permuting keys together with their values changes nothing at all,
since the weighted sum does not care in which order it adds. That is why a Transformer
needs positional information, and why a causal mask (which does depend on order) or a
positional encoding breaks the symmetry.
"""

from hypothesis import strategies as st

from attnproof.numerics import assert_close, joint_budget, max_abs_difference
from attnproof.property import checks, must_find
from attnproof.strategies import AttentionCase, attention_cases, permutations

BREAK_MARGIN = 100.0  # a counterexample must beat the rounding budget by this factor


@st.composite
def permuted_cases(draw, causal: bool = False, min_len: int = 1):
    """A self-attention case (L = S), a permutation of its tokens and one of its keys."""
    case = draw(attention_cases(masks=False, causal=causal, same_length=True, min_len=min_len))
    n = case.q.shape[-2]
    return case, draw(permutations(n)), draw(permutations(n))


def permute_tokens(case, order):
    return case.with_arrays(q=case.q[..., order, :], k=case.k[..., order, :], v=case.v[..., order, :])


def equivariance_gap(impl, case, order) -> tuple[float, float]:
    """How far Attn(PX) is from P Attn(X), and the rounding budget of that comparison."""
    permuted = permute_tokens(case, order)
    gap = max_abs_difference(permuted.call(impl.attention), case.call(impl.attention)[..., order, :])
    return gap, joint_budget(case, permuted)


def order_matters(impl) -> None:
    """Witness: with a causal mask, or with sinusoidal positions added, some permutation is not equivariant."""
    __tracebackhide__ = True

    def causal_breaks(drawn):
        case, order, _ = drawn
        gap, budget = equivariance_gap(impl, case, order)
        return gap > BREAK_MARGIN * budget

    must_find(permuted_cases(causal=True, min_len=2), causal_breaks, "causal attention stays permutation equivariant")
    if impl.provides("sinusoidal_pe"):

        def positions_break(drawn):
            case, order, _ = drawn
            x = case.q  # (..., n, E), the tokens
            pe = impl.sinusoidal_pe(x.shape[-2], x.shape[-1]).astype(x.dtype)  # (n, E)
            encoded = AttentionCase(x + pe, x + pe, x + pe)  # X + PE
            moved = AttentionCase(*[x[..., order, :] + pe] * 3)  # PX + PE
            gap = max_abs_difference(moved.call(impl.attention), encoded.call(impl.attention)[..., order, :])
            return gap > BREAK_MARGIN * joint_budget(encoded, moved)

        must_find(permuted_cases(min_len=2), positions_break, "attention over X + PE stays permutation equivariant")


@checks(permuted_cases(), once=order_matters)
def permutation_equivariant(impl, drawn):
    """Attn(PX) = P Attn(X) without positions or mask; permuting keys with their values changes nothing."""
    __tracebackhide__ = True
    case, order, key_order = drawn
    gap, budget = equivariance_gap(impl, case, order)
    if not gap <= budget:
        raise AssertionError(
            f"{case}: permuting the tokens by {order.tolist()} moved the outputs by {gap:.3g}, "
            f"not just permuted them (tolerance {budget:.3g})"
        )
    shuffled = case.with_arrays(k=case.k[..., key_order, :], v=case.v[..., key_order, :])
    tolerance = joint_budget(case, shuffled)
    assert_close(
        shuffled.call(impl.attention),
        case.call(impl.attention),
        tolerance,
        f"{case}: permuting keys and values together by {key_order.tolist()} changed the output",
    )

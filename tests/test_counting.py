"""The cost counter counts what ran: matrix products by 2 m k n, and the largest array made."""

import numpy as np
import pytest

from impl.counting import count


@pytest.mark.parametrize(
    ("fn", "shapes", "flops"),
    [
        (lambda a, b: a @ b, [(2, 3), (3, 4)], 2 * 2 * 3 * 4),
        (lambda a, b: a @ b, [(5, 2, 3), (3, 4)], 5 * 2 * 2 * 3 * 4),
        (lambda a, b: a @ b, [(5, 2, 3), (3,)], 5 * 2 * 2 * 3),
        (lambda a, b: np.dot(a, b), [(2, 3), (3, 4)], 2 * 2 * 3 * 4),
        (lambda a, b: np.einsum("...ld,...sd->...ls", a, b), [(7, 2, 3), (7, 4, 3)], 2 * 7 * 2 * 4 * 3),
        (lambda a, b: np.einsum("ij,ij->ij", a, b), [(2, 3), (2, 3)], 6),  # elementwise: one multiply each
        (lambda a, b: np.exp(a) + b, [(2, 3), (2, 3)], 0),
    ],
)
def test_flops_of_products(fn, shapes, flops):
    assert count(fn, *(np.ones(s) for s in shapes)).flops == flops


def test_largest_array_is_the_biggest_result_not_an_input():
    cost = count(lambda a, b: (a @ b).sum(axis=-1), np.ones((3, 2)), np.ones((2, 5)))
    assert cost.largest == 15


def test_counting_stops_with_the_call():
    a = np.ones((2, 2))
    count(lambda x: x @ x, a)
    assert type(a @ a) is np.ndarray


def test_unsupported_einsum_is_refused_not_undercounted():
    with pytest.raises(NotImplementedError):
        count(lambda a: np.einsum("ij,jk,kl->il", a, a, a), np.ones((2, 2)))


def test_the_reference_costs_exactly_what_the_derivations_say():
    """The reference's cheaper attentions spend exactly the derived FLOPs (users' may spend up to 2x)."""
    import impl
    from proofs import linear_attention as linear_cost
    from proofs import sliding_window as window_cost

    n, w, d_k, d_v = 9, 3, 4, 2
    q, k, v = np.ones((n, d_k)), np.ones((n, d_k)), np.ones((n, d_v))
    window = count(impl.sliding_window_attention, q, k, v, window=w).flops
    assert window == window_cost.SLIDING_WINDOW_FLOPS.subs(
        {window_cost.n: n, window_cost.w: w, window_cost.d_k: d_k, window_cost.d_v: d_v}
    )
    linear = count(impl.linear_attention, q, k, v).flops
    assert linear == linear_cost.LINEAR_ATTENTION_FLOPS.subs(
        {linear_cost.n: n, linear_cost.d_k: d_k, linear_cost.d_v: d_v}
    )

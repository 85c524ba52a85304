"""Tests of the reference's own pieces that the protocol does not reach."""

import numpy as np
import pytest

from impl import LearnedPositions, multi_head_attention
from impl.kv_cache import KVCache, decode_step


@pytest.mark.parametrize(("n_heads", "n_kv_heads"), [(4, 4), (4, 2), (4, 1)])
@pytest.mark.parametrize("rope_base", [None, 10000.0])
def test_decoding_with_the_cache_matches_the_full_forward_pass(n_heads, n_kv_heads, rope_base):
    rng = np.random.default_rng(0)
    n, d_model, d_head = 7, 16, 4
    x = rng.standard_normal((2, n, d_model))  # (batch, n, d_model)
    w_q = rng.standard_normal((d_model, n_heads * d_head))  # (d_model, h * d_head)
    w_k = rng.standard_normal((d_model, n_kv_heads * d_head))  # (d_model, Hkv * d_head)
    w_v = rng.standard_normal((d_model, n_kv_heads * d_head))  # (d_model, Hkv * d_head)
    w_o = rng.standard_normal((n_heads * d_head, d_model))  # (h * d_head, d_model)
    weights = (w_q, w_k, w_v, w_o)
    positions = None if rope_base is None else np.arange(n)
    full = multi_head_attention(
        x, *weights, n_heads, n_kv_heads, causal=True, positions=positions, rope_base=rope_base or 10000.0
    )  # (batch, n, d_model)
    cache = KVCache(n_layers=1)
    prefill = decode_step(x[:, :3], cache, 0, *weights, n_heads, n_kv_heads, rope_base)  # (batch, 3, d_model)
    steps = [decode_step(x[:, t : t + 1], cache, 0, *weights, n_heads, n_kv_heads, rope_base) for t in range(3, n)]
    np.testing.assert_allclose(np.concatenate([prefill, *steps], axis=1), full, rtol=1e-12, atol=1e-12)
    assert cache.length(0) == n
    assert cache.nbytes == 2 * 2 * n_kv_heads * n * d_head * 8  # K and V, batch 2, float64


def test_learned_positions_have_no_row_past_their_length():
    table = LearnedPositions(np.zeros((4, 2)))
    with pytest.raises(IndexError, match="position 4 is past the learned table"):
        table(np.array([0, 4]))


def test_grouped_query_heads_must_divide():
    from impl import attention

    q, kv = np.zeros((3, 2, 4)), np.zeros((2, 2, 4))  # 3 query heads over 2 key/value heads
    with pytest.raises(ValueError, match="to divide the query heads"):
        attention(q, kv, kv, enable_gqa=True)


def test_lstm_step_matches_the_gate_equations_and_ignores_the_future():
    from impl.recurrent import lstm

    rng = np.random.default_rng(1)
    x = rng.standard_normal((4, 3))  # (n, d_in)
    w_x, w_h, b = rng.standard_normal((3, 8)), rng.standard_normal((2, 8)), rng.standard_normal(8)
    h = lstm(x, w_x, w_h, b)  # (n, d_h)
    i, f, g, o = np.split(x[0] @ w_x + b, 4)  # (d_h,) each, from h_0 = c_0 = 0
    c_1 = sigmoid(i) * np.tanh(g)
    np.testing.assert_allclose(h[0], sigmoid(o) * np.tanh(c_1), rtol=1e-12)
    later = x.copy()
    later[2:] += 1.0
    np.testing.assert_array_equal(lstm(later, w_x, w_h, b)[:2], h[:2])


def sigmoid(z):
    return 1 / (1 + np.exp(-z))

"""Build a full protocol implementation from the reference with one piece swapped for a buggy one.

A mutant is the reference implementation (impl/) with ONE realistic bug. Rather than copy the
reference into every mutant, `compose` assembles the whole protocol (`attention`, `rope`,
`sinusoidal_pe`, `multi_head_attention`, `KVCache`, `LearnedPositions`, `elman_rnn`,
`sliding_window_attention`, `linear_attention`, `online_attention`) from small pieces, each
defaulting to the reference's own code, and a mutant module overrides only the piece it breaks:

    __getattr__ = mutant(causal_mask=_triu)   # the module's protocol names: compose(causal_mask=_triu)

A function whose pieces are all left at their defaults is the reference's own object (so a
mutant that breaks `rope` hands out `impl.attention` itself), and the composed
`multi_head_attention` calls the composed `attention` and `rope`, as real code would: a bug in
the attention kernel shows up in the layer built on it. The cheaper attentions (sliding window,
linear, online) are kernels of their own, as in impl/efficient.py: they share no piece with
`attention`, so a mutant of `attention` leaves them the reference's.

Example:
    >>> import numpy as np, impl
    >>> same = compose()
    >>> same.attention is impl.attention and same.KVCache is impl.KVCache
    True
    >>> all(getattr(same, name) is getattr(impl, name) for name in Protocol._fields)
    True
    >>> future = compose(causal_mask=lambda n_queries, n_keys: np.ones((n_queries, n_keys), bool))
    >>> q = k = np.eye(2); v = np.array([[1.0], [3.0]])
    >>> future.attention(q, k, v, causal=True)[0] > impl.attention(q, k, v, causal=True)[0]
    array([ True])
"""

from collections.abc import Callable
from functools import partial
from typing import NamedTuple

import numpy as np

import impl
from impl.attention import causal_mask, kv_group_size, repeat_kv, softmax
from impl.efficient import elu_plus_one, fold_block, linear_attention_terms, tiled_attention
from impl.multihead import merge_heads, split_heads
from impl.positions import rotate_adjacent_pairs, rotation_frequencies


class Protocol(NamedTuple):
    """The ten protocol names, in attnproof.implementation.PROTOCOL's order."""

    attention: Callable
    rope: Callable
    sinusoidal_pe: Callable
    multi_head_attention: Callable
    KVCache: type
    LearnedPositions: type
    elman_rnn: Callable
    sliding_window_attention: Callable
    linear_attention: Callable
    online_attention: Callable


# ---- the reference's pieces, one function per decision a bug can get wrong -------------------


def resolve_scale(scale, head_dim: int) -> float:
    """The factor on Q K^T: the caller's, else 1/sqrt(d_k)."""
    return 1.0 / np.sqrt(head_dim) if scale is None else scale


def scores(q, k, v):
    """Raw similarities Q K^T (unscaled), (..., L, S)."""
    return q @ np.swapaxes(k, -1, -2)  # (..., L, S)


def no_bias(n_queries: int, n_keys: int):
    """An additive score bias; none in plain attention."""
    return 0.0


def user_mask(mask, n_queries: int, n_keys: int):
    """The caller's boolean mask as 'may attend' (True = keep), broadcastable to (..., L, S)."""
    return mask


def masked_softmax(scores, allowed, softmax):
    """Weights: disallowed scores set to -inf, then softmax over keys."""
    return softmax(np.where(allowed, scores, -np.inf))  # (..., L, S)


def expand_kv(x, n_query_heads: int):
    """GQA: give every query head its key/value head, (..., Hkv, S, E) -> (..., Hq, S, E)."""
    return repeat_kv(x, kv_group_size(n_query_heads, x.shape[-3]))  # (..., Hq, S, E)


def mix(weights, k, v):
    """Output rows: the weighted sum of the value rows, (..., L, Ev)."""
    return weights @ v  # (..., L, Ev)


def cast_output(out, q):
    """The output in q's dtype (the promise of the protocol), whatever the arithmetic promoted to."""
    return out.astype(q.dtype, copy=False)  # (..., L, Ev)


def query_rows(attend, q, k, v, mask):
    """Which query rows the kernel runs on: the L rows asked for, attend(q, k, v, mask) -> (..., L, Ev)."""
    return attend(q, k, v, mask)  # (..., L, Ev)


def rope_positions(positions, n: int):
    """The positions RoPE rotates the n rows at: the ones it is given, (n,)."""
    return positions


def pe_angles(n: int, d: int, base: float):
    """Sinusoidal PE angles p / base^(2i/d), (n, ceil(d/2))."""
    p = np.arange(n)[:, None]  # (n, 1)
    i = np.arange((d + 1) // 2)[None, :]  # (1, ceil(d/2))
    return p / base ** (2.0 * i / d)  # (n, ceil(d/2))


def pe_layout(angles, d: int):
    """Sinusoidal PE channels interleaved: sin at even channels, cos at odd ones, (n, d)."""
    pe = np.empty((angles.shape[0], d))  # (n, d)
    pe[:, 0::2] = np.sin(angles)  # (n, ceil(d/2))
    pe[:, 1::2] = np.cos(angles[:, : d // 2])  # (n, floor(d/2))
    return pe


def project_heads(x, w, n_heads: int, split_heads):
    """One projection for all heads, then split: X W (..., n, h * d) -> (..., h, n, d)."""
    return split_heads(x @ w, n_heads)  # (..., h, n, d)


def default_head_scale(d_model: int, d_head: int):
    """The scale multi-head attention passes to each head: None, i.e. attention's 1/sqrt(d_head)."""


def combine_heads(heads, w_o, merge_heads):
    """Concat(head_1, ..., head_h) W_O, (..., n, d_model), merging with the given merge_heads."""
    return merge_heads(heads) @ w_o  # (..., n, d_model)


def table_rows(positions, max_len: int):
    """The learned-table rows that serve the positions: row p for position p (the table raises past max_len - 1)."""
    return positions


def rnn_input_index(t: int, n: int) -> int:
    """The input an RNN reads at step t of n: x_t, its own step."""
    return t


def elman_update(h, x_t, w_hh):
    """One Elman step from the projected input x_t W_xh + b: h_t = tanh(x_t W_xh + b + h_{t-1} W_hh), (..., d_h)."""
    return np.tanh(x_t + h @ w_hh)  # (..., d_h)


def window_span(window: int) -> int:
    """How many keys a sliding-window query sees: `window`, itself included."""
    return window


def linear_normaliser(numerator, denominator):
    """Linear attention's output: phi(Q)(phi(K)^T V) divided by phi(Q)(phi(K)^T 1), (..., L, Ev)."""
    return numerator / denominator  # (..., L, Ev)


# ---- assembly ---------------------------------------------------------------------------------

ATTENTION_PIECES = {
    "resolve_scale": resolve_scale,
    "scores": scores,
    "bias": no_bias,
    "user_mask": user_mask,
    "causal_mask": causal_mask,
    "softmax": softmax,
    "masked_softmax": masked_softmax,
    "expand_kv": expand_kv,
    "mix": mix,
    "cast_output": cast_output,
    "query_rows": query_rows,
}
ROPE_PIECES = {
    "rope_frequencies": rotation_frequencies,
    "rotate": rotate_adjacent_pairs,
    "rope_positions": rope_positions,
}
PE_PIECES = {"pe_angles": pe_angles, "pe_layout": pe_layout}
MULTIHEAD_PIECES = {
    "split_heads": split_heads,
    "merge_heads": merge_heads,
    "project_heads": project_heads,
    "combine_heads": combine_heads,
    "head_scale": default_head_scale,
}
CACHE_PIECES = {"store": None}
LEARNED_PIECES = {"learned_index": table_rows}
RNN_PIECES = {"rnn_input_index": rnn_input_index, "rnn_update": elman_update}
WINDOW_PIECES = {"window_span": window_span}
LINEAR_PIECES = {"linear_normaliser": linear_normaliser}
ONLINE_PIECES = {"online_update": fold_block}
PIECES = {
    **ATTENTION_PIECES,
    **ROPE_PIECES,
    **PE_PIECES,
    **MULTIHEAD_PIECES,
    **CACHE_PIECES,
    **LEARNED_PIECES,
    **RNN_PIECES,
    **WINDOW_PIECES,
    **LINEAR_PIECES,
    **ONLINE_PIECES,
}


def mutant(**overrides):
    """A mutant module's `__getattr__`: its protocol names resolve to compose(**overrides)'s functions.

    A mutant module writes `__getattr__ = mutant(piece=_buggy_piece)` once, instead of
    unpacking the ten protocol names, and still loads like any implementation module.
    """
    protocol = compose(**overrides)

    def __getattr__(name: str):
        if name in Protocol._fields:
            return getattr(protocol, name)
        raise AttributeError(name)

    return __getattr__


def compose(**overrides) -> Protocol:
    """The reference implementation with the named pieces replaced (see PIECES for the names).

    Pieces:
        resolve_scale(scale, head_dim), scores(q, k, v), bias(L, S), user_mask(mask, L, S),
        causal_mask(L, S), softmax(scores), masked_softmax(scores, allowed, softmax),
        expand_kv(x, Hq), mix(weights, k, v), cast_output(out, q): the steps of `attention`;
        query_rows(attend, q, k, v, mask): how it runs them, attend(q, k, v, mask) being those
        steps for the call's causal, scale and enable_gqa.
        rope_frequencies(d, base), rotate(x, angles), rope_positions(positions, n): `rope`.
        pe_angles(n, d, base), pe_layout(angles, d): `sinusoidal_pe`.
        split_heads(x, h), merge_heads(heads), project_heads(x, w, h, split_heads),
        combine_heads(heads, w_o, merge_heads), head_scale(d_model, d_head):
        `multi_head_attention` (which also uses the composed attention and rope).
        store(array): what `KVCache.append` keeps of each new key/value array.
        learned_index(positions, max_len): the table rows `LearnedPositions` looks up.
        rnn_input_index(t, n), rnn_update(h, x_t, w_hh): the steps of `elman_rnn`.
        window_span(window): the keys `sliding_window_attention` shows each query.
        linear_normaliser(numerator, denominator): the last step of `linear_attention`.
        online_update(total, acc, rescale, p, v_block): one key block of `online_attention`.
    """
    unknown = set(overrides) - set(PIECES)
    if unknown:
        raise TypeError(f"compose() got unknown pieces {sorted(unknown)}; known: {sorted(PIECES)}")
    p = {**PIECES, **overrides}

    def touched(group: dict) -> bool:
        return any(name in overrides for name in group)

    attention = _attention(p) if touched(ATTENTION_PIECES) else impl.attention
    rope = _rope(p) if touched(ROPE_PIECES) else impl.rope
    sinusoidal_pe = _sinusoidal_pe(p) if touched(PE_PIECES) else impl.sinusoidal_pe
    if touched(ATTENTION_PIECES) or touched(ROPE_PIECES) or touched(MULTIHEAD_PIECES):
        multi_head_attention = _multi_head_attention(p, attention, rope)
    else:
        multi_head_attention = impl.multi_head_attention
    kv_cache = _kv_cache(p["store"]) if touched(CACHE_PIECES) else impl.KVCache
    return Protocol(
        attention,
        rope,
        sinusoidal_pe,
        multi_head_attention,
        kv_cache,
        _learned_positions(p["learned_index"]) if touched(LEARNED_PIECES) else impl.LearnedPositions,
        _elman_rnn(p) if touched(RNN_PIECES) else impl.elman_rnn,
        _sliding_window_attention(p["window_span"]) if touched(WINDOW_PIECES) else impl.sliding_window_attention,
        _linear_attention(p["linear_normaliser"]) if touched(LINEAR_PIECES) else impl.linear_attention,
        _online_attention(p["online_update"]) if touched(ONLINE_PIECES) else impl.online_attention,
    )


def _attention(p: dict) -> Callable:
    def kernel(q, k, v, mask, causal, scale, enable_gqa):
        """softmax(Q K^T * scale + M) V for the given query rows, from the pieces."""
        if enable_gqa:
            k = p["expand_kv"](k, q.shape[-3])  # (..., Hq, S, E)
            v = p["expand_kv"](v, q.shape[-3])  # (..., Hq, S, Ev)
        n_queries, n_keys = q.shape[-2], k.shape[-2]
        s = p["scores"](q, k, v) * p["resolve_scale"](scale, q.shape[-1])  # (..., L, S)
        s = s + p["bias"](n_queries, n_keys)  # (..., L, S)
        allowed = np.ones(s.shape, dtype=bool)  # (..., L, S)
        if mask is not None:
            allowed = allowed & p["user_mask"](mask, n_queries, n_keys)  # (..., L, S)
        if causal:
            allowed = allowed & p["causal_mask"](n_queries, n_keys)  # (..., L, S)
        weights = p["masked_softmax"](s, allowed, p["softmax"])  # (..., L, S)
        return p["cast_output"](p["mix"](weights, k, v), q)  # (..., L, Ev)

    def attention(q, k, v, mask=None, causal=False, scale=None, enable_gqa=False):
        """softmax(Q K^T * scale + M) V, assembled from the (possibly buggy) pieces."""
        attend = partial(kernel, causal=causal, scale=scale, enable_gqa=enable_gqa)
        return p["query_rows"](attend, q, k, v, mask)  # (..., L, Ev)

    return attention


def _rope(p: dict) -> Callable:
    def rope(x, positions, base=10000.0):
        """Rotate channel pairs of x (..., n, d) by position * theta_i, from the pieces."""
        d = x.shape[-1]
        if d % 2:
            raise ValueError(f"RoPE rotates pairs of channels, so the head dimension must be even, got {d}")
        positions = np.asarray(p["rope_positions"](positions, x.shape[-2]))  # (n,)
        angles = positions[:, None] * p["rope_frequencies"](d, base)[None, :]  # (n, d/2)
        return p["rotate"](x, angles)  # (..., n, d)

    return rope


def _sinusoidal_pe(p: dict) -> Callable:
    def sinusoidal_pe(n, d, base=10000.0):
        """Sinusoidal encodings (n, d), from the pieces."""
        return p["pe_layout"](p["pe_angles"](n, d, base), d)  # (n, d)

    return sinusoidal_pe


def _multi_head_attention(p: dict, attention: Callable, rope: Callable) -> Callable:
    def multi_head_attention(
        x, w_q, w_k, w_v, w_o, n_heads, n_kv_heads=None, causal=False, mask=None, source=None,
        positions=None, rope_base=10000.0,
    ):  # fmt: skip
        """Concat(head_1, ..., head_h) W_O over the composed attention, as impl.multihead does."""
        source = x if source is None else source
        n_kv_heads = n_heads if n_kv_heads is None else n_kv_heads
        q = p["project_heads"](x, w_q, n_heads, p["split_heads"])  # (..., h, n, d_k)
        k = p["project_heads"](source, w_k, n_kv_heads, p["split_heads"])  # (..., Hkv, m, d_k)
        v = p["project_heads"](source, w_v, n_kv_heads, p["split_heads"])  # (..., Hkv, m, d_v)
        if positions is not None:
            q = rope(q, positions, rope_base)  # (..., h, n, d_k)
            k = rope(k, positions, rope_base)  # (..., Hkv, m, d_k)
        scale = p["head_scale"](x.shape[-1], q.shape[-1])
        heads = attention(q, k, v, mask=mask, causal=causal, scale=scale, enable_gqa=True)  # (..., h, n, d_v)
        return p["combine_heads"](heads, w_o, p["merge_heads"])  # (..., n, d_model)

    return multi_head_attention


def _kv_cache(store: Callable) -> type:
    class KVCache(impl.KVCache):
        """The reference cache, keeping `store(k)`, `store(v)` instead of what was appended."""

        def append(self, layer, k, v):
            return super().append(layer, store(k), store(v))

    return KVCache


def _learned_positions(learned_index: Callable) -> type:
    class LearnedPositions(impl.LearnedPositions):
        """The reference table, looking up the rows `learned_index(positions, max_len)`."""

        def __call__(self, positions):
            return super().__call__(learned_index(positions, self.max_len))  # (n, d)

    return LearnedPositions


def _elman_rnn(p: dict) -> Callable:
    def elman_rnn(x, w_xh, w_hh, b, h0=None):
        """h_t = tanh(x_t W_xh + h_{t-1} W_hh + b) for t = 1 .. n, from the pieces, (..., n, d_h)."""
        inputs = x @ w_xh + b  # (..., n, d_h)
        h = np.zeros(x.shape[:-2] + (w_hh.shape[0],), dtype=x.dtype) if h0 is None else h0  # (..., d_h)
        n = x.shape[-2]
        states = []
        for t in range(n):
            h = p["rnn_update"](h, inputs[..., p["rnn_input_index"](t, n), :], w_hh)  # (..., d_h)
            states.append(h)
        return np.stack(states, axis=-2)  # (..., n, d_h)

    return elman_rnn


def _sliding_window_attention(window_span: Callable) -> Callable:
    def sliding_window_attention(q, k, v, window, scale=None):
        """The reference's sliding window, shown window_span(window) keys instead of `window`."""
        return impl.sliding_window_attention(q, k, v, window_span(window), scale=scale)  # (..., n, Ev)

    return sliding_window_attention


def _linear_attention(linear_normaliser: Callable) -> Callable:
    def linear_attention(q, k, v, feature_map=elu_plus_one):
        """The reference's two terms of linear attention, put together by linear_normaliser."""
        numerator, denominator = linear_attention_terms(q, k, v, feature_map)  # (..., L, Ev), (..., L, 1)
        return linear_normaliser(numerator, denominator).astype(q.dtype, copy=False)  # (..., L, Ev)

    return linear_attention


def _online_attention(online_update: Callable) -> Callable:
    def online_attention(q, k, v, block_size, mask=None, causal=False, scale=None):
        """The reference's tiling loop, each key block folded in by online_update."""
        return tiled_attention(q, k, v, block_size, mask, causal, scale, fold=online_update)  # (..., L, Ev)

    return online_attention

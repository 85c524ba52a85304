"""Build a full protocol implementation from the reference with one piece swapped for a buggy one.

A mutant is the reference implementation (impl/) with ONE realistic bug. Rather than copy the
reference into every mutant, `compose` assembles `attention`, `rope`, `sinusoidal_pe`,
`multi_head_attention` and `KVCache` from small pieces, each defaulting to the reference's own
code, and a mutant module overrides only the piece it breaks:

    attention, rope, sinusoidal_pe, multi_head_attention, KVCache = compose(causal_mask=_triu)

A function whose pieces are all left at their defaults is the reference's own object (so a
mutant that breaks `rope` hands out `impl.attention` itself), and the composed
`multi_head_attention` calls the composed `attention` and `rope`, as real code would: a bug in
the attention kernel shows up in the layer built on it.

Example:
    >>> import numpy as np, impl
    >>> same = compose()
    >>> same.attention is impl.attention and same.KVCache is impl.KVCache
    True
    >>> future = compose(causal_mask=lambda n_queries, n_keys: np.ones((n_queries, n_keys), bool))
    >>> q = k = np.eye(2); v = np.array([[1.0], [3.0]])
    >>> future.attention(q, k, v, causal=True)[0] > impl.attention(q, k, v, causal=True)[0]
    array([ True])
"""

from collections.abc import Callable
from typing import NamedTuple

import numpy as np

import impl
from impl.attention import causal_mask, kv_group_size, repeat_kv, softmax
from impl.multihead import merge_heads, split_heads
from impl.positions import rotate_adjacent_pairs, rotation_frequencies


class Protocol(NamedTuple):
    """The five protocol names, in the order a mutant unpacks them."""

    attention: Callable
    rope: Callable
    sinusoidal_pe: Callable
    multi_head_attention: Callable
    KVCache: type


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


def default_head_scale(d_model: int, d_head: int):
    """The scale multi-head attention passes to each head: None, i.e. attention's 1/sqrt(d_head)."""


def combine_heads(heads, w_o, merge_heads):
    """Concat(head_1, ..., head_h) W_O, (..., n, d_model), merging with the given merge_heads."""
    return merge_heads(heads) @ w_o  # (..., n, d_model)


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
}
ROPE_PIECES = {"rope_frequencies": rotation_frequencies, "rotate": rotate_adjacent_pairs}
PE_PIECES = {"pe_angles": pe_angles, "pe_layout": pe_layout}
MULTIHEAD_PIECES = {
    "split_heads": split_heads,
    "merge_heads": merge_heads,
    "combine_heads": combine_heads,
    "head_scale": default_head_scale,
}
CACHE_PIECES = {"store": None}
PIECES = {**ATTENTION_PIECES, **ROPE_PIECES, **PE_PIECES, **MULTIHEAD_PIECES, **CACHE_PIECES}


def compose(**overrides) -> Protocol:
    """The reference implementation with the named pieces replaced (see PIECES for the names).

    Pieces:
        resolve_scale(scale, head_dim), scores(q, k, v), bias(L, S), user_mask(mask, L, S),
        causal_mask(L, S), softmax(scores), masked_softmax(scores, allowed, softmax),
        expand_kv(x, Hq), mix(weights, k, v), cast_output(out, q): the steps of `attention`.
        rope_frequencies(d, base), rotate(x, angles): `rope`.
        pe_angles(n, d, base), pe_layout(angles, d): `sinusoidal_pe`.
        split_heads(x, h), merge_heads(heads), combine_heads(heads, w_o, merge_heads),
        head_scale(d_model, d_head): `multi_head_attention` (which also uses the composed
        attention and rope).
        store(array): what `KVCache.append` keeps of each new key/value array.
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
    return Protocol(attention, rope, sinusoidal_pe, multi_head_attention, kv_cache)


def _attention(p: dict) -> Callable:
    def attention(q, k, v, mask=None, causal=False, scale=None, enable_gqa=False):
        """softmax(Q K^T * scale + M) V, assembled from the (possibly buggy) pieces."""
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

    return attention


def _rope(p: dict) -> Callable:
    def rope(x, positions, base=10000.0):
        """Rotate channel pairs of x (..., n, d) by position * theta_i, from the pieces."""
        d = x.shape[-1]
        if d % 2:
            raise ValueError(f"RoPE rotates pairs of channels, so the head dimension must be even, got {d}")
        angles = np.asarray(positions)[:, None] * p["rope_frequencies"](d, base)[None, :]  # (n, d/2)
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
        q = p["split_heads"](x @ w_q, n_heads)  # (..., h, n, d_k)
        k = p["split_heads"](source @ w_k, n_kv_heads)  # (..., Hkv, m, d_k)
        v = p["split_heads"](source @ w_v, n_kv_heads)  # (..., Hkv, m, d_v)
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

"""Hypothesis strategies for attention's inputs: small shapes, finite floats, every option.

Shapes stay small (the claims are about structure, not size) but cover what breaks real
kernels: L != S in both directions, one-token sequences, batch and head dimensions, GQA
groups, key-padding and full masks (including fully masked rows), causal masks, explicit
scales, float32 as well as float64, and large-magnitude inputs whose scores overflow a
softmax that forgets to subtract the row maximum.

Example:
    >>> from hypothesis import find
    >>> case = find(attention_cases(), lambda c: c.q.shape[-2] != c.k.shape[-2])
    >>> case.q.shape[-1] == case.k.shape[-1], case.k.shape[-2] == case.v.shape[-2]
    (True, True)
"""

from dataclasses import dataclass, field

import hypothesis.extra.numpy as hnp
import numpy as np
from hypothesis import strategies as st

from attnproof.implementation import describe_call
from attnproof.oracle import admissible

MAX_LEN = 6
MAX_DIM = 8
LARGE_MAGNITUDE = 40.0  # scores reach thousands: exp overflows without the max-subtraction
BASES = st.one_of(st.sampled_from([10000.0, 500000.0]), st.floats(2.0, 1e6))


@dataclass(frozen=True)
class AttentionCase:
    """One call attention(q, k, v, **options), with options left out when they are defaults."""

    q: np.ndarray
    k: np.ndarray
    v: np.ndarray
    options: dict = field(default_factory=dict)

    def call(self, function):
        """function(q, k, v, **options): the implementation, the oracle or the rounding budget."""
        __tracebackhide__ = True
        return function(self.q, self.k, self.v, **self.options)

    def admissible(self) -> np.ndarray:
        """(..., L, S): which keys each query may attend, by the mask and the causal rule."""
        mask, causal = self.options.get("mask"), self.options.get("causal", False)
        return admissible(self.q.shape[-2], self.k.shape[-2], self.q.shape[:-2], mask, causal)

    def with_arrays(self, **arrays) -> "AttentionCase":
        return AttentionCase(**{"q": self.q, "k": self.k, "v": self.v, **arrays}, options=self.options)

    def with_options(self, **options) -> "AttentionCase":
        """The same arrays with options changed; an option set to None is dropped."""
        merged = {**self.options, **options}
        return AttentionCase(self.q, self.k, self.v, {k: v for k, v in merged.items() if v is not None})

    def __str__(self) -> str:
        return "attention" + describe_call((self.q, self.k, self.v), self.options)


def floats_array(dtype, shape, magnitude: float = 1.0) -> st.SearchStrategy:
    """Arrays of finite floats in [-magnitude, magnitude], exactly representable in dtype."""
    dtype = np.dtype(dtype)
    elements = st.floats(-1.0, 1.0, width=dtype.itemsize * 8, allow_subnormal=False)
    return hnp.arrays(dtype, shape, elements=elements).map(lambda a: a * dtype.type(magnitude))


@st.composite
def attention_cases(
    draw,
    dtypes=(np.float64,),
    masks: bool = True,
    causal: bool | None = None,
    gqa: bool | None = None,
    scales: bool = True,
    large: bool = False,
    same_length: bool = False,
    min_len: int = 1,
) -> AttentionCase:
    """Inputs for one attention call.

    Args:
        dtypes: the float dtypes to draw q, k, v from.
        masks: draw boolean masks (key padding (1, S), full (L, S), or per batch and head).
        causal: always (True), never (False) or either (None).
        gqa: grouped-query heads (enable_gqa=True, Hq = g * Hkv) always, never or either.
        scales: sometimes pass an explicit scale.
        large: sometimes scale q and k up to LARGE_MAGNITUDE.
        same_length: L == S, as in self-attention.
        min_len: the least L and S.
    """
    dtype = draw(st.sampled_from(dtypes))
    batch = draw(hnp.array_shapes(min_dims=0, max_dims=2, max_side=3))
    enable_gqa = gqa or (gqa is None and draw(st.booleans()))
    q_batch = kv_batch = batch
    if enable_gqa:
        n_kv_heads, group = draw(st.integers(1, 2)), draw(st.integers(1, 3))
        q_batch, kv_batch = batch + (n_kv_heads * group,), batch + (n_kv_heads,)
    n_queries = draw(st.integers(min_len, MAX_LEN))
    n_keys = n_queries if same_length else draw(st.integers(min_len, MAX_LEN))
    e, ev = draw(st.integers(1, MAX_DIM)), draw(st.integers(1, MAX_DIM))
    magnitude = draw(st.sampled_from([1.0, LARGE_MAGNITUDE])) if large else 1.0
    q = draw(floats_array(dtype, q_batch + (n_queries, e), magnitude))  # (..., L, E)
    k = draw(floats_array(dtype, kv_batch + (n_keys, e), magnitude))  # (..., S, E)
    v = draw(floats_array(dtype, kv_batch + (n_keys, ev)))  # (..., S, Ev)
    options = {}
    if masks and draw(st.booleans()):
        options["mask"] = draw(hnp.arrays(bool, draw(mask_shapes(q_batch, n_queries, n_keys))))
    if causal or (causal is None and draw(st.booleans())):
        options["causal"] = True
    if scales and draw(st.booleans()):
        options["scale"] = draw(st.floats(0.05, 2.0))
    if enable_gqa:
        options["enable_gqa"] = True
    return AttentionCase(q, k, v, options)


def mask_shapes(batch: tuple, n_queries: int, n_keys: int) -> st.SearchStrategy:
    """Shapes a mask broadcasts from: key padding (1, S), per query (L, S), or the full score shape."""
    return st.sampled_from([(1, n_keys), (n_queries, n_keys), batch + (n_queries, n_keys)])


def key_padding(n_keys: int) -> st.SearchStrategy:
    """A (S,) key mask: True for a real token, False for padding."""
    return hnp.arrays(bool, (n_keys,))


def permutations(n: int) -> st.SearchStrategy:
    """A permutation of range(n) as an index array."""
    return st.permutations(range(n)).map(np.array)


def positions(max_position: int = 4096) -> st.SearchStrategy:
    return st.integers(0, max_position)

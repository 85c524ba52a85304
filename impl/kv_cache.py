"""The key/value cache of autoregressive decoding.

At step t a decoder needs the keys and values of every earlier token, but only the query of
the newest one: past queries never enter a later output. So K and V are kept, per layer, and
each step appends one row. The cache holds 2 (K and V) * layers * Hkv * seq_len * head_dim
numbers per sequence; with grouped-query attention Hkv < Hq, which is the memory it saves.

Example:
    >>> import numpy as np
    >>> cache = KVCache(n_layers=2)
    >>> step = np.zeros((1, 4, 1, 16), dtype=np.float16)   # (batch, Hkv, 1 new token, head_dim)
    >>> for layer in range(2):
    ...     keys, values = cache.append(layer, step, step)
    >>> keys.shape, cache.nbytes                              # 2 * 2 * 4 * 1 * 16 * 2 bytes
    ((1, 4, 1, 16), 512)
"""

import numpy as np

from impl.attention import attention
from impl.multihead import merge_heads, split_heads
from impl.positions import rope


class KVCache:
    """Per layer, the keys and values seen so far, each (batch, Hkv, seq_len, head_dim)."""

    def __init__(self, n_layers: int):
        self.keys: list[np.ndarray | None] = [None] * n_layers
        self.values: list[np.ndarray | None] = [None] * n_layers

    def append(self, layer: int, k: np.ndarray, v: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Store the new tokens' k (..., Hkv, t, d_k) and v (..., Hkv, t, d_v); return all so far."""
        if self.keys[layer] is not None:
            k = np.concatenate([self.keys[layer], k], axis=-2)  # (..., Hkv, seq_len, d_k)
            v = np.concatenate([self.values[layer], v], axis=-2)  # (..., Hkv, seq_len, d_v)
        self.keys[layer], self.values[layer] = k, v
        return k, v

    def length(self, layer: int) -> int:
        """How many tokens the layer has cached."""
        return 0 if self.keys[layer] is None else self.keys[layer].shape[-2]

    @property
    def nbytes(self) -> int:
        """Bytes held: the sum of every stored key and value array."""
        stored = [a for a in self.keys + self.values if a is not None]
        return sum(a.nbytes for a in stored)


def decode_step(x_new, cache, layer, w_q, w_k, w_v, w_o, n_heads, n_kv_heads=None, rope_base=None):
    """Attend from the newest tokens x_new (..., t, d_model) over the cache, after appending them.

    Positions continue from the cache length, so a token decoded at step p is rotated (when
    rope_base is given) exactly as it would be in a full forward pass. The causal mask stays on,
    aligned bottom-right: the new tokens see the whole cache and each other up to themselves.
    """
    n_kv_heads = n_heads if n_kv_heads is None else n_kv_heads
    positions = cache.length(layer) + np.arange(x_new.shape[-2])  # (t,)
    q = split_heads(x_new @ w_q, n_heads)  # (..., h, t, d_k)
    k = split_heads(x_new @ w_k, n_kv_heads)  # (..., Hkv, t, d_k)
    v = split_heads(x_new @ w_v, n_kv_heads)  # (..., Hkv, t, d_v)
    if rope_base is not None:
        q = rope(q, positions, rope_base)  # (..., h, t, d_k)
        k = rope(k, positions, rope_base)  # (..., Hkv, t, d_k)
    keys, values = cache.append(layer, k, v)  # (..., Hkv, seq_len, d_k), (..., Hkv, seq_len, d_v)
    heads = attention(q, keys, values, causal=True, enable_gqa=True)  # (..., h, t, d_v)
    return merge_heads(heads) @ w_o  # (..., t, d_model)

"""attnproof's numpy reference implementation of self-attention, the default target of `verify`.

It implements the whole implementation protocol (`attention`, `rope`, `sinusoidal_pe`) and the
optional pieces some claims need (`multi_head_attention`, `KVCache`), plainly, in float
arithmetic of the input's dtype.
"""

from impl.attention import attention
from impl.kv_cache import KVCache
from impl.multihead import multi_head_attention
from impl.positions import LearnedPositions, rope, sinusoidal_pe

__all__ = ["KVCache", "LearnedPositions", "attention", "multi_head_attention", "rope", "sinusoidal_pe"]

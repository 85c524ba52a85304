"""attnproof's numpy reference implementation of self-attention, the default target of `verify`.

It implements the whole implementation protocol (`attention`, `rope`, `sinusoidal_pe`) and the
optional pieces some claims need: multi-head attention and the KV cache, a learned position
table, the recurrent baselines, and the cheaper attentions (sliding window, linear, online
softmax), plainly, in float arithmetic of the input's dtype. `impl.counting` counts what any
numpy computation costs.
"""

from impl.attention import attention
from impl.efficient import linear_attention, online_attention, sliding_window_attention
from impl.kv_cache import KVCache
from impl.multihead import multi_head_attention
from impl.positions import LearnedPositions, rope, sinusoidal_pe
from impl.recurrent import elman_rnn, lstm

__all__ = [
    "KVCache",
    "LearnedPositions",
    "attention",
    "elman_rnn",
    "linear_attention",
    "lstm",
    "multi_head_attention",
    "online_attention",
    "rope",
    "sinusoidal_pe",
    "sliding_window_attention",
]

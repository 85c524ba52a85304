"""The sliding window is one key too wide: query i sees i - w <= j <= i, w + 1 keys.

Seen in: huggingface/transformers #39408 (flash-attention called with window_size =
(sliding_window, ...): flash-attn's left window counts the keys before the query, excluding it,
so each query saw sliding_window + 1 keys); vllm-project/vllm PR #9679 passes sliding_window - 1.
Why it is wrong: the window counts the current token, so query i attends i - w < j <= i; here the
key at j = i - w, just outside, gets weight too. With w >= n both are full causal attention,
which is why long windows hide it.
"""

from ._compose import mutant

KILLED_BY = "efficient.sliding_window"


def _window_span(window):
    return window + 1  # the bug: window keys before the query, plus the query itself


__getattr__ = mutant(window_span=_window_span)

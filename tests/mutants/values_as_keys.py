"""The weights multiply the keys instead of the values: output = softmax(Q K^T) K.

Seen in: hand-written attention with a one-letter typo (`attn @ k` for `attn @ v`), or q, k, v
unpacked from a fused projection in the wrong order.
Why it is wrong: V is the payload that attention aggregates; with K in its place the output
ignores V entirely (it is no longer linear in V) and has K's width E instead of Ev.
"""

from ._compose import mutant

KILLED_BY = "qkv.value_payload"


def _mix(weights, k, v):
    return weights @ k  # (..., L, E) the bug: keys, not values


__getattr__ = mutant(mix=_mix)

"""Mask applied after the softmax: masked weights zeroed, the rest not renormalised.

Seen in: lucidrains/memory-compressed-attention #2 (masking after the softmax, so rows stop
summing to 1).
Why it is wrong: the masked keys still take part in the normaliser, so the kept weights sum to
less than 1 and depend on the very keys that were masked out (future tokens, padding).
"""

from ._compose import mutant

KILLED_BY = "mask.padding"


def _masked_softmax(scores, allowed, softmax):
    return softmax(scores) * allowed  # (..., L, S) the bug: masked after normalising


__getattr__ = mutant(masked_softmax=_masked_softmax)

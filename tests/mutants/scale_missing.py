"""No scaling at all: scores are the raw dot products Q K^T, whatever `scale` says.

Seen in: attention fallbacks that leave the scale at 1 (mlc-ai/mlc-llm PR #3426) and
"dot-product attention" tutorials that drop the 1/sqrt(d_k).
Why it is wrong: the score variance grows like d_k, the softmax saturates towards one-hot and
its gradients vanish; a caller's explicit `scale` is silently lost as well.
"""

from ._compose import mutant

KILLED_BY = "scaling.variance"


def _scale(scale, head_dim):
    return 1.0  # the bug: neither 1/sqrt(d_k) nor the caller's scale


__getattr__ = mutant(resolve_scale=_scale)

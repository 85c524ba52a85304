"""An explicit `scale` is ignored: the scores are always multiplied by 1/sqrt(d_k).

Seen in: wrappers whose fast path calls the kernel without forwarding `scale` (the same class
of bug as the fallback path that lost the scale in mlc-ai/mlc-llm PR #3426); models that need
another scale (e.g. muP's 1/d_k, or a folded-in temperature) then silently get the default.
Why it is wrong: the protocol multiplies the scores by the caller's scale when one is given.
"""

import numpy as np

from ._compose import mutant

KILLED_BY = "attention.definition"


def _scale(scale, head_dim):
    return 1.0 / np.sqrt(head_dim)  # the bug: the caller's scale is dropped


__getattr__ = mutant(resolve_scale=_scale)

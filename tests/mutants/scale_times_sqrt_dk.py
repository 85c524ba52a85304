"""Scores multiplied by sqrt(d_k) instead of divided: the default scale is sqrt(d_k), not 1/sqrt(d_k).

Seen in: esceptico/perceiver-io #9 (`self.scale = qk_head_dim ** -0.5`, then the scores divided by
it, i.e. multiplied by sqrt(d_k)); the same slip is a `*` for a `/`, or `** 0.5` for `** -0.5`.
Why it is wrong: with unit-variance q and k the scores get variance d_k^2 instead of 1, so the
weights sharpen as heads widen: their entropy falls towards 0 with d_k, below even the unscaled
scores', instead of staying put between the uniform log S and the saturated 0.
"""

import numpy as np

from ._compose import mutant

KILLED_BY = "scaling.entropy"


def _scale(scale, head_dim):
    return np.sqrt(head_dim) if scale is None else scale  # the bug: times sqrt(d_k), not divided


__getattr__ = mutant(resolve_scale=_scale)

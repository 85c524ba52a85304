"""Multi-head attention scales every head by 1/sqrt(d_model) instead of 1/sqrt(d_head).

Seen in: lucidrains/vit-pytorch #65 and several tutorials (`dim ** -0.5` where `dim_head ** -0.5`
was meant). `attention` itself is correct; only the layer passes the wrong scale.
Why it is wrong: each head's dot product runs over d_head = d_model / h channels, so its
variance is d_head; dividing by sqrt(d_model) under-scales by sqrt(h) and flattens every head.
"""

import numpy as np

from ._compose import mutant

KILLED_BY = "multihead.concat_projection"


def _head_scale(d_model, d_head):
    return 1.0 / np.sqrt(d_model)  # the bug: the model width, not the head width


__getattr__ = mutant(head_scale=_head_scale)

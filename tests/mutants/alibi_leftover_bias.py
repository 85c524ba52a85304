"""An always-on position bias (a leftover ALiBi term) added to every score.

Seen in: shared kernels where ALiBi slopes default to a value instead of None, or a bias path
left on for a model trained without it (ALiBi: Press et al., bias -m * (i - j)).
Why it is wrong: plain attention has no notion of position; with a bias depending on i - j,
permuting the tokens no longer permutes the output, and permuting keys with their values
changes it. Causal masking and decoding stay self-consistent, so those checks miss it.
"""

import numpy as np

from ._compose import mutant

KILLED_BY = "attention.permutation_equivariance"


SLOPE = 0.5  # ALiBi's first head slope for 8 heads: 2^(-8/8)


def _bias(n_queries, n_keys):
    i = np.arange(n_queries)[:, None] + (n_keys - n_queries)  # (L, 1) query positions, bottom-right
    j = np.arange(n_keys)[None, :]  # (1, S)
    return SLOPE * (j - i)  # (L, S) the bug: -m * (i - j) always on


__getattr__ = mutant(bias=_bias)

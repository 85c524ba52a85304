"""RoPE frequencies base^(-i/d) instead of base^(-2i/d): the exponent's divisor is wrong by 2.

Seen in: the same class as mlx-lm PR #1698 and google/maxtext #4616 (head_dim used where
rotary_dim belongs in the frequency exponent), and loops over pairs i written with the paper's
2i as i.
Why it is wrong: it is still a rotation, so norms and relativity survive, but the frequencies
span only base^0 .. base^(-1/2): every pair past the first turns at the wrong speed.
"""

import numpy as np

from ._compose import mutant

KILLED_BY = "positions.rope"


def _frequencies(d, base):
    i = np.arange(d // 2)  # (d/2,)
    return base ** (-1.0 * i / d)  # (d/2,) the bug: i/d, not 2i/d


__getattr__ = mutant(rope_frequencies=_frequencies)

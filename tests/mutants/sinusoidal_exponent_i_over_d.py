"""Sinusoidal encoding frequencies 1 / base^(i/d) instead of 1 / base^(2i/d) (pair index used as 2i).

Seen in: tutorials looping over pairs i and writing `10000 ** (i / d_model)` for the paper's
`10000 ** (2i / d_model)`.
Why it is wrong: the wavelengths should form a geometric progression from 2 pi to base * 2 pi;
here they stop at sqrt(base) * 2 pi. Shift-linearity and relativity survive, so only the formula
catches it.
"""

import numpy as np

from ._compose import mutant

KILLED_BY = "positions.sinusoidal"


def _angles(n, d, base):
    p = np.arange(n)[:, None]  # (n, 1)
    i = np.arange((d + 1) // 2)[None, :]  # (1, ceil(d/2))
    return p / base ** (1.0 * i / d)  # (n, ceil(d/2)) the bug: i/d, not 2i/d


__getattr__ = mutant(pe_angles=_angles)

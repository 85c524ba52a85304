"""Sinusoidal encodings with sin and cos swapped: cos at even channels, sin at odd ones.

Seen in: from-scratch tutorials filling `pe[:, 0::2]` with cos and `pe[:, 1::2]` with sin.
Why it is wrong: the paper fixes PE[p, 2i] = sin and PE[p, 2i+1] = cos; the swap is still
shift-linear, so only the formula (e.g. PE[0] = (0, 1, 0, 1, ...)) catches it.
"""

import numpy as np

from ._compose import mutant

KILLED_BY = "positions.sinusoidal"


def _layout(angles, d):
    pe = np.empty((angles.shape[0], d))  # (n, d)
    pe[:, 0::2] = np.cos(angles)  # (n, ceil(d/2)) the bug: cos at even channels
    pe[:, 1::2] = np.sin(angles[:, : d // 2])  # (n, floor(d/2))
    return pe


__getattr__ = mutant(pe_layout=_layout)

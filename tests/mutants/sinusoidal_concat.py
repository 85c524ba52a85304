"""Sinusoidal encodings concatenated [sin | cos] instead of interleaved (sin, cos, sin, cos, ...).

Seen in: allenai/allennlp #2993 and tensorflow/tensorflow #37191 (tensor2tensor's concatenated
layout presented as the paper's formula).
Why it is wrong: it is a fixed permutation of the channels, harmless to a model trained with it
but not the paper's PE[p, 2i] = sin, PE[p, 2i+1] = cos; weights trained on one layout break on
the other.
"""

import numpy as np

from ._compose import mutant

KILLED_BY = "positions.sinusoidal"


def _layout(angles, d):
    return np.concatenate([np.sin(angles), np.cos(angles[:, : d // 2])], axis=1)  # (n, d) the bug: [sin | cos]


__getattr__ = mutant(pe_layout=_layout)

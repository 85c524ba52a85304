"""RoPE ignores the positions it is given and rotates the n rows at 0 .. n-1.

Seen in: pytorch/executorch PR #2010 (on the KV-cache branch the rotary table must be sliced at
start_pos:start_pos + seqlen; new tokens were rotated as if the sequence started over);
lucidrains/rotary-embedding-torch #11 (the frequencies cached by length alone, so a later call
with another offset reuses the first call's positions).
Why it is wrong: a decoded token at position t is rotated as position 0, so its score with the
cached key at j sees the offset -j instead of t - j. A full pass has positions 0 .. n-1 anyway,
which is why prefill tests, and the shift invariance of the scores, do not notice.
"""

import numpy as np

from ._compose import mutant

KILLED_BY = "positions.decode"


def _positions(positions, n):
    return np.arange(n)  # (n,) the bug: rows at 0 .. n-1, whatever positions says


__getattr__ = mutant(rope_positions=_positions)

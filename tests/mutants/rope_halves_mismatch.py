"""RoPE frequencies laid out for adjacent pairs but rotated as halves: channels turn by mismatched angles.

Seen in: huggingface/transformers #25199 and EleutherAI/gpt-neox #834 (cos/sin built with
`repeat_interleave` for the interleaved layout, then applied with `rotate_half`).
Why it is wrong: rotate_half pairs channel i with i + d/2, but the angle table gives those two
channels the frequencies of pairs i // 2 and (i + d/2) // 2; a pair turned by two different
angles is not a rotation, so norms change and q . k stops depending only on n - m.
"""

import numpy as np

from ._compose import mutant

KILLED_BY = "positions.rope"


def _rotate(x, angles):
    d = x.shape[-1]
    emb = np.repeat(angles, 2, axis=-1)  # (n, d) t0 t0 t1 t1 ...: the adjacent-pairs layout
    cos, sin = np.cos(emb).astype(x.dtype), np.sin(emb).astype(x.dtype)  # (n, d)
    rotated = np.concatenate([-x[..., d // 2 :], x[..., : d // 2]], axis=-1)  # (..., n, d) rotate_half
    return x * cos + rotated * sin  # (..., n, d) the bug: halves paired, angles for adjacent pairs


__getattr__ = mutant(rotate=_rotate)

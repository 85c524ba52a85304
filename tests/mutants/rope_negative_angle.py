"""RoPE rotates by -angle: each pair turns clockwise, position * theta_i the wrong way.

Seen in: `rotate_half` written as cat(x2, -x1) instead of cat(-x2, x1), or sin tables negated
when porting between the complex (LLaMA) and real (HF) formulations.
Why it is wrong: a rotation by -angle is still a rotation, so norms and the relative property
hold, but the scores see offsets m - n where a model trained with the right sign saw n - m;
only the formula itself tells them apart.
"""

from impl.positions import rotate_adjacent_pairs

from ._compose import mutant

KILLED_BY = "positions.rope"


def _rotate(x, angles):
    return rotate_adjacent_pairs(x, -angles)  # (..., n, d) the bug: clockwise


__getattr__ = mutant(rotate=_rotate)

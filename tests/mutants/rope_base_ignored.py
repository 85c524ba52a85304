"""RoPE base hard-coded to 10000: the `base` argument is ignored.

Seen in: huggingface/candle PR #3746 (rope_theta from the config not passed through); models
with base 500000 (Llama 3) or 1e6 (Qwen) then get Llama 2's frequencies.
Why it is wrong: theta_i = base^(-2i/d) must use the configured base; with the wrong one every
position's angles differ from what the model was trained with.
"""

from impl.positions import rotation_frequencies

from ._compose import mutant

KILLED_BY = "positions.rope"


def _frequencies(d, base):
    return rotation_frequencies(d, 10000.0)  # (d/2,) the bug: base dropped


__getattr__ = mutant(rope_frequencies=_frequencies)

"""The online softmax rescales its running sum but not its accumulator when the running max grows.

Seen in: hand-written FlashAttention kernels and tutorials; the exp(m - m_new) correction is the
step of the recurrence most often got wrong (deepseek-ai/FlashMLA PR #177 fixes its sign in the
docs, Dao-AILab/flash-attention #2342 reports a slip in the same update in the FlashAttention-2
paper), and `acc = acc * alpha` is the line that goes missing.
Why it is wrong: after a block with a larger maximum m_new, the sum is in the scale exp(s - m_new)
but the accumulated exp(s - m) v of earlier blocks is not, so they are over-weighted by
exp(m_new - m). It is exact only when one block holds every key or the first block holds the max.
"""

from ._compose import mutant

KILLED_BY = "efficient.online_softmax"


def _online_update(total, acc, rescale, p, v_block):
    total = rescale * total + p.sum(axis=-1, keepdims=True)  # (..., L, 1)
    acc = acc + p @ v_block  # (..., L, Ev) the bug: not rescaled by exp(m - m_new)
    return total, acc


__getattr__ = mutant(online_update=_online_update)

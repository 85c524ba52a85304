"""A sampling temperature left inside the attention softmax: softmax(s / 0.5) instead of softmax(s).

Seen in: attention modules that carry a `temperature` (Yu-Hsiang Huang's attention-is-all-you-need-
pytorch names its 1/sqrt(d_k) scale `temperature` and computes `q / self.temperature`) meeting the
generation code's `logits / temperature`: a default of 0.5 or 0.7 ends up in the kernel.
Why it is wrong: the weights become softmax(2 s), so the Jacobian with respect to the scores is
2 (diag(p) - p p^T) with p = softmax(2 s), not diag(p) - p p^T with p = softmax(s): every
gradient is doubled and the rows are sharper than the scores say.
"""

from impl.attention import softmax

from ._compose import mutant

KILLED_BY = "softmax.saturation"

TEMPERATURE = 0.5  # a typical sampling temperature


def _softmax(scores):
    return softmax(scores / TEMPERATURE)  # (..., L, S) the bug: a leftover temperature


__getattr__ = mutant(softmax=_softmax)

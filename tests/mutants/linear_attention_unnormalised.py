"""Linear attention without its normaliser: phi(Q)(phi(K)^T V), never divided by phi(Q)(phi(K)^T 1).

Seen in: lucidrains/performer-pytorch #9 (linear attention run without the D^-1 renormalisation,
"norms explode inside the network", until it was turned on by default); "The Devil in Linear
Transformer" (TransNormer, Qin et al., 2022) drops the denominator on purpose and adds a norm
layer, a kernel easily copied without its norm.
Why it is wrong: the weights phi(q_i) . phi(k_j) are positive but do not add to 1; without the
denominator the output is their weighted sum of the values, not an average: it scales with the
feature sizes and the number of keys and leaves the range of the values.
"""

from ._compose import mutant

KILLED_BY = "efficient.linear_attention"


def _normaliser(numerator, denominator):
    return numerator  # (..., L, Ev) the bug: the denominator dropped


__getattr__ = mutant(linear_normaliser=_normaliser)

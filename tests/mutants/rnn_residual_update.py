"""A residual update h_t = h_{t-1} + tanh(...) presented as an Elman RNN.

Seen in: recurrent cells given a skip connection against vanishing gradients (residual RNNs; the
AntisymmetricRNN of Chang et al., 2019, steps h_t = h_{t-1} + eps tanh(...)) and then still
called, and compared as, the plain Elman RNN.
Why it is wrong: the Elman step is h_t = tanh(x_t W_xh + h_{t-1} W_hh + b), whose Jacobian
diag(1 - h_t^2) W_hh^T has norm at most ||W_hh||_2 = rho, so dh_t/dh_0 shrinks like rho^t;
with the skip it is I + diag(1 - tanh^2) W_hh^T, of norm near 1, and the gradient does not
decay: the baseline no longer shows the long-range weakness it stands for.
"""

import numpy as np

from ._compose import mutant

KILLED_BY = "rnn.long_range_gradients"


def _update(h, x_t, w_hh):
    return h + np.tanh(x_t + h @ w_hh)  # (..., d_h) the bug: a skip connection around the step


__getattr__ = mutant(rnn_update=_update)

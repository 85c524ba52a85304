"""Recurrent baselines for the comparison with attention: an Elman RNN and an LSTM.

Both carry one state from step to step, so h_t depends on x_1 .. x_t only through a chain of
t updates, and the n steps of a sequence must run one after another. Attention reaches every
earlier token in one step (a path of length 1) and runs all positions in parallel.

Example:
    >>> import numpy as np
    >>> rng = np.random.default_rng(0)
    >>> x = rng.standard_normal((5, 3))                              # (n, d_in)
    >>> w_xh, w_hh = rng.standard_normal((3, 4)), rng.standard_normal((4, 4))
    >>> elman_rnn(x, w_xh, w_hh, np.zeros(4)).shape                  # (n, d_h)
    (5, 4)
"""

import numpy as np


def elman_rnn(x, w_xh, w_hh, b, h0=None):
    """h_t = tanh(x_t W_xh + h_{t-1} W_hh + b) for t = 1 .. n; returns every h_t, (..., n, d_h).

    Args:
        x: (..., n, d_in) inputs; w_xh: (d_in, d_h); w_hh: (d_h, d_h); b: (d_h,).
        h0: (..., d_h) initial state, zeros when None.
    """
    inputs = x @ w_xh + b  # (..., n, d_h): the input part of every step, computed at once
    h = np.zeros(x.shape[:-2] + (w_hh.shape[0],), dtype=x.dtype) if h0 is None else h0  # (..., d_h)
    states = []
    for t in range(x.shape[-2]):  # the recurrence: step t needs step t - 1
        h = np.tanh(inputs[..., t, :] + h @ w_hh)  # (..., d_h)
        states.append(h)
    return np.stack(states, axis=-2)  # (..., n, d_h)


def lstm(x, w_x, w_h, b, h0=None, c0=None):
    """A standard LSTM: gates i, f, g, o from x_t W_x + h_{t-1} W_h + b; c_t = f c_{t-1} + i g; h_t = o tanh(c_t).

    Args:
        x: (..., n, d_in); w_x: (d_in, 4 d_h); w_h: (d_h, 4 d_h); b: (4 d_h,), gates in the order i, f, g, o.
    Returns:
        every h_t, (..., n, d_h).
    """
    d_h = w_h.shape[0]
    inputs = x @ w_x + b  # (..., n, 4 d_h)
    h = np.zeros(x.shape[:-2] + (d_h,), dtype=x.dtype) if h0 is None else h0  # (..., d_h)
    c = np.zeros_like(h) if c0 is None else c0  # (..., d_h)
    states = []
    for t in range(x.shape[-2]):
        gates = inputs[..., t, :] + h @ w_h  # (..., 4 d_h)
        i, f, g, o = np.split(gates, 4, axis=-1)  # (..., d_h) each
        c = _sigmoid(f) * c + _sigmoid(i) * np.tanh(g)  # (..., d_h)
        h = _sigmoid(o) * np.tanh(c)  # (..., d_h)
        states.append(h)
    return np.stack(states, axis=-2)  # (..., n, d_h)


def _sigmoid(x):
    return 1.0 / (1.0 + np.exp(-x))

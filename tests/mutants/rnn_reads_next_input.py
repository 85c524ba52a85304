"""The RNN reads x_{t+1} at step t: its inputs rolled one step ahead (the last step wraps to x_1).

Seen in: the next-token shift of language-model training (`np.roll(x, -1)`, `x[:, 1:]`) applied
to the inputs instead of the targets, and loops that mix the 1-based h_t = f(x_t, h_{t-1}) with
0-based arrays; the loss only looks better, since the model is handed the token it should predict.
Why it is wrong: h_t must depend on x_1 .. x_t alone; here h_t reads x_{t+1}, a token from the
future, and a change to x_1 reaches only the last state instead of every one.
"""

from ._compose import mutant

KILLED_BY = "rnn.serial_dependency"


def _input_index(t, n):
    return (t + 1) % n  # the bug: x_{t+1}, the sequence rolled by one


__getattr__ = mutant(rnn_input_index=_input_index)

r"""Claim rnn.serial_dependency: an RNN's h_t reaches x_s through a chain of t - s + 1 factors; attention in one.

Strength: fixed sizes (n = 4 steps with a scalar state, and n = 3 steps with a 2-dimensional state and
input: the recurrence unrolled to nested tanh needs a definite number of steps; the weights, the bias, the
inputs and h_0 are symbols. The attention side is at n = 4 too, with the causal weights written out).

The Elman RNN h_t = tanh(W_xh x_t + W_hh h_{t-1} + b) reads the tokens one after another. By the chain rule
dh_t/dx_s = (dh_t/dh_{t-1}) ... (dh_{s+1}/dh_s) (dh_s/dx_s): t - s step Jacobians D_r W_hh, D_r =
diag(1 - h_r^2), then D_s W_xh -- t - s + 1 factors, and 0 for s > t (no future). Attention's output
h_i = sum_j p_ij v_j holds v_j directly: dh_i/dv_j = p_ij, a path of length 1 whatever i - j is.

Example:
    >>> derive().steps[3].rhs[1]  # dh_2/dx_1: back one step through h_1, then into x_1
    w_h*w_x*(1 - tanh(b + h_0*w_h + w_x*x_1)**2)*(1 - tanh(b + w_h*tanh(b + h_0*w_h + w_x*x_1) + w_x*x_2)**2)
"""

import sympy as sp

from proofs.derivation import Derivation
from proofs.explicit import causal_mask, entries, softmax_rows

STEPS = 4


def scalar_states(steps: int) -> tuple[list[sp.Symbol], list[sp.Expr]]:
    """The inputs x_1..x_steps and h_0..h_steps of the scalar RNN h_t = tanh(w_x x_t + w_h h_{t-1} + b)."""
    w_x, w_h, b, h_0 = sp.symbols("w_x w_h b h_0", real=True)
    xs = list(sp.symbols(f"x_1:{steps + 1}", real=True))
    states = [h_0]
    for x in xs:
        states.append(sp.tanh(w_x * x + w_h * states[-1] + b))
    return xs, states


def derive() -> Derivation:
    proof = Derivation("an RNN reaches an earlier input through a chain of steps; attention reaches it in one")
    proof.assume(f"scalar Elman RNN, {STEPS} steps: h_t = tanh(w_x x_t + w_h h_(t-1) + b), h_0 given")
    xs, states = scalar_states(STEPS)
    w_x, w_h = sp.symbols("w_x w_h", real=True)
    h = sp.symbols(f"h_0:{STEPS + 1}", real=True)  # names for the states, h_t standing for its nested tanh

    future = [(t, s) for t in range(1, STEPS + 1) for s in range(t + 1, STEPS + 1)]
    proof.equal(
        sp.Matrix([sp.Derivative(states[t], xs[s - 1]) for t, s in future]),
        sp.zeros(len(future), 1),
        f"dh_t/dx_s = 0 for every s > t ({len(future)} pairs): h_t is computed before x_s is read",
    )

    def chain(t: int, s: int, named: bool) -> sp.Expr:
        """(prod over r = s+1..t of w_h (1 - h_r^2)) * w_x (1 - h_s^2): t - s + 1 factors."""
        state = h if named else states
        factors = [w_h * (1 - state[r] ** 2) for r in range(s + 1, t + 1)] + [w_x * (1 - state[s] ** 2)]
        return sp.Mul(*factors)

    h_prev, x_t, b = sp.symbols("h_prev x_t b", real=True)
    step = sp.tanh(w_x * x_t + w_h * h_prev + b)
    proof.equal(
        sp.Derivative(step, h_prev),
        w_h * (1 - step**2),
        "one step back: dh_t/dh_(t-1) = w_h (1 - h_t^2), since tanh' = 1 - tanh^2",
    )
    proof.equal(sp.Derivative(step, x_t), w_x * (1 - step**2), "the step's own input: dh_t/dx_t = w_x (1 - h_t^2)")
    past = [(t, s) for t in range(1, STEPS + 1) for s in range(1, t + 1)]
    proof.equal(
        sp.Matrix([sp.Derivative(states[t], xs[s - 1]) for t, s in past]),
        sp.Matrix([chain(t, s, named=False) for t, s in past]),
        f"every s <= t ({len(past)} pairs): t - s factors w_h (1 - h_r^2), r = t..s+1, then w_x (1 - h_s^2)",
    )
    z = sp.Symbol("z", real=True)
    proof.equal(1 - sp.tanh(z) ** 2, 1 / sp.cosh(z) ** 2, "1 - tanh^2 = 1 / cosh^2")
    proof.holds(
        sp.Gt(1 / sp.cosh(z) ** 2, 0, evaluate=False),
        "never 0: so dh_t/dx_s != 0 for s <= t whenever w_x != 0 and w_h != 0",
    )
    proof.equal(
        sp.Subs(step, (x_t, h_prev, b), (0, 0, 0)),
        0,
        "an instance: with b = 0, h_0 = 0 and all inputs 0, each step gives tanh(0) = 0, so every h_t = 0",
    )
    at_zero = (w_x, w_h, *h[1:])
    proof.equal(
        sp.Subs(chain(STEPS, 1, named=True), at_zero, (1,) * 2 + (0,) * STEPS),
        1,
        f"there, with w_x = w_h = 1, dh_{STEPS}/dx_1 = 1 != 0: the first input does reach the last state",
    )

    _vector_chain(proof)

    proof.assume(f"causal attention over the same {STEPS} tokens: h_i = sum_j p_ij v_j, p from the queries and keys")
    q, k, v = entries("q", STEPS, 1), entries("k", STEPS, 1), entries("v", STEPS, 1)
    weights = softmax_rows(q * k.T + causal_mask(STEPS, STEPS))
    out = weights * v
    proof.equal(
        sp.Matrix(STEPS, STEPS, lambda i, j: sp.Derivative(out[i], v[j])),
        weights,
        "dh_i/dv_j = p_ij for every i, j: one factor, v_j enters h_i directly (and 0 for a masked j > i)",
    )
    return proof


def _vector_chain(proof: Derivation) -> None:
    """With a 2-dimensional state and input, 3 steps: dh_3/dx_1 = D_3 W_hh D_2 W_hh D_1 W_xh."""
    proof.assume(
        "2-dimensional state and input, 3 steps: h_t = sigma(W_xh x_t + W_hh h_(t-1) + b) entry by entry, for any "
        "differentiable sigma (tanh has sigma' = 1 - tanh^2), h_0 given"
    )
    sigma, u = sp.Function("sigma"), sp.Symbol("u", real=True)
    W_xh, W_hh = entries("A", 2, 2), entries("W", 2, 2)
    b, h_0 = entries("b", 2, 1), entries("g", 2, 1)
    xs = [entries(f"x_{t}", 2, 1) for t in (1, 2, 3)]
    states, inputs = [h_0], [None]
    for x in xs:
        inputs.append(W_xh * x + W_hh * states[-1] + b)
        states.append(inputs[-1].applyfunc(sigma))

    def step_jacobian(t: int) -> sp.Matrix:
        """D_t = diag(sigma'(z_t)) at step t's pre-activation z_t: for tanh, diag(1 - h_t^2)."""
        return sp.diag(*[sp.Derivative(sigma(u), u).subs(u, entry) for entry in inputs[t]])

    proof.equal(
        sp.Matrix(2, 2, lambda row, col: sp.Derivative(states[3][row], xs[0][col])),
        step_jacobian(3) * W_hh * step_jacobian(2) * W_hh * step_jacobian(1) * W_xh,
        "dh_3/dx_1 = (D_3 W_hh)(D_2 W_hh)(D_1 W_xh): two step Jacobians and the input's, 3 = t - s + 1 factors",
    )
    proof.equal(
        sp.Matrix(2, 2, lambda row, col: sp.Derivative(states[2][row], xs[2][col])),
        sp.zeros(2, 2),
        "dh_2/dx_3 = 0: the state never depends on a later input",
    )

r"""Claim rnn.long_range_gradients: an RNN's t-step gradient is at most (gamma ||W_hh||)^t; attention's has no distance.

Strength: symbolic (t, ||W_hh|| and the inputs are symbols; one chain-rule check is at three scalar steps).

For h_t = tanh(a_t + W_hh h_{t-1}), one step's Jacobian is diag(1 - h_t^2) W_hh, and
1 - tanh^2 lies in (0, 1], so its norm is at most gamma ||W_hh|| with gamma = 1. The Jacobian
over t steps is a product of t of them, so its norm is at most (gamma ||W_hh||)^t, which
vanishes geometrically when gamma ||W_hh|| < 1. Attention's output h_n = sum_j p_nj v_j moves
with each v_j at the rate p_nj: nothing in it depends on how far j is from n.

Example:
    >>> print(derive().steps[4].reason)
    one step's Jacobian: (1 - h_t^2) times W_hh, of norm at most gamma w
"""

import sympy as sp

from proofs.derivation import Derivation

t = sp.Symbol("t", integer=True, nonnegative=True)
w, u, gamma = sp.symbols("w u gamma", positive=True)
s = sp.Symbol("s", nonnegative=True)
a, x, h_0 = sp.symbols("a x h_0", real=True)


def derive() -> Derivation:
    proof = Derivation("an RNN's gradients shrink geometrically with distance; attention's do not depend on it")
    proof.assume("h_t = tanh(a_t + W_hh h_{t-1}), with a_t = x_t W_xh + b; w = ||W_hh|| (spectral norm)")
    proof.assume("norms are submultiplicative: ||A B|| <= ||A|| ||B||")
    proof.equal(1 - sp.tanh(x) ** 2, 1 / sp.cosh(x) ** 2, "tanh' = 1 - tanh^2 = 1 / cosh^2")
    proof.assume("cosh(x) = 1 + s with s >= 0 for real x (cosh is at least 1)")
    proof.equal(1 - 1 / (1 + s) ** 2, (s**2 + 2 * s) / (1 + s) ** 2, "how far 1 / cosh^2 falls short of 1")
    proof.holds(sp.Ge((s**2 + 2 * s) / (1 + s) ** 2, 0, evaluate=False), "so tanh' <= 1: gamma = 1 for tanh")
    proof.holds(sp.Gt(1 / (1 + s) ** 2, 0, evaluate=False), "and tanh' > 0: a step never cuts the gradient off")
    proof.equal(
        sp.Derivative(sp.tanh(a + w * h_0), h_0),
        w * (1 - sp.tanh(a + w * h_0) ** 2),
        "one step's Jacobian: (1 - h_t^2) times W_hh, of norm at most gamma w",
    )
    states = [h_0]
    for step in range(1, 4):
        states.append(sp.tanh(sp.Symbol(f"a_{step}", real=True) + w * states[-1]))
    proof.equal(
        sp.Derivative(states[3], h_0),
        sp.Mul(*[w * (1 - s**2) for s in states[1:]]),
        "three steps: the chain rule multiplies the three step Jacobians",
    )
    r = gamma * w
    proof.equal(sp.Pow(r, 1, evaluate=False), r, "the bound holds after one step (the base case)")
    proof.equal(sp.Mul(r**t, r, evaluate=False), r ** (t + 1), "one more step multiplies the bound by gamma w")
    shrink = 1 / (1 + u)  # any gamma w < 1 is 1 / (1 + u) for some u > 0
    proof.equal(sp.Limit(shrink**t, t, sp.oo), 0, "with gamma w = 1/(1 + u) < 1 the bound vanishes as t grows")
    p = sp.IndexedBase("p", nonnegative=True)
    v = sp.IndexedBase("v", real=True)
    output = sum(p[j] * v[j] for j in range(4))
    proof.equal(
        sp.Matrix([sp.Derivative(output, v[j]) for j in range(4)]),
        sp.Matrix([p[j] for j in range(4)]),
        "attention, n = 4: h_4 moves with v_j at the rate p_4j, whatever the distance 4 - j",
    )
    return proof

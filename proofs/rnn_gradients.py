r"""Claim rnn.long_range_gradients: an RNN's gradient to a state t steps back is bounded by (gamma ||W_hh||)^t.

Strength: symbolic (the induction and the limit hold for every t, with w = ||W_hh|| and gamma symbols, and
the attention derivative for any number of keys); the step Jacobian D_t W_hh is checked at a 2-dimensional
state and the product formula on a 3-step scalar RNN, since an unrolled recurrence needs definite sizes.

For h_t = tanh(W_hh h_{t-1} + W_xh x_t + b) one step back is dh_t/dh_{t-1} = D_t W_hh, D_t = diag(1 - h_t^2),
whose entries lie in (0, 1]: ||D_t|| <= gamma = 1 in the spectral norm. With a submultiplicative norm,
||dh_t/dh_0|| <= (gamma w)^t by induction, which tends to 0 when gamma w < 1: the gradient to a distant
state vanishes geometrically. (It is a bound: with gamma w > 1 it allows, but does not force, explosion.)
Attention's output h_n = sum_j p_nj v_j gives dh_n/dv_j = p_nj: one weight, not a product over n - j steps.

Example:
    >>> derive().steps[8].latex()  # the induction step of the bound
    '\\gamma w \\left(\\gamma w\\right)^{t} = \\left(\\gamma w\\right)^{t + 1}'
"""

import sympy as sp

from proofs.derivation import Derivation
from proofs.explicit import entries

w, gamma = sp.symbols("w gamma", positive=True)
t = sp.Symbol("t", integer=True, nonnegative=True)


def derive() -> Derivation:
    proof = Derivation("an RNN's gradient through t steps shrinks like (gamma ||W_hh||)^t; attention's does not")
    proof.assume("h_t = sigma(W_hh h_(t-1) + W_xh x_t + b) entry by entry; for the Elman RNN sigma = tanh")
    sigma, u = sp.Function("sigma"), sp.Symbol("u", real=True)
    W_hh, W_xh = entries("W", 2, 2), entries("A", 2, 2)
    h_prev, x, b = entries("g", 2, 1), entries("x", 2, 1), entries("b", 2, 1)
    pre_activation = W_hh * h_prev + W_xh * x + b
    h_t = pre_activation.applyfunc(sigma)
    D_t = sp.diag(*[sp.Derivative(sigma(u), u).subs(u, entry) for entry in pre_activation])
    proof.equal(
        sp.Matrix(2, 2, lambda row, col: sp.Derivative(h_t[row], h_prev[col])),
        D_t * W_hh,
        "2-dimensional state: dh_t/dh_(t-1) = D_t W_hh, D_t = diag(sigma'(z_t)) at the pre-activation z_t",
    )
    proof.equal(sp.Derivative(sp.tanh(u), u), 1 - sp.tanh(u) ** 2, "for tanh, sigma'(z) = 1 - tanh^2 z = 1 - h^2")
    z = sp.Symbol("z", real=True)
    positive = proof.equal(1 - sp.tanh(z) ** 2, 1 / sp.cosh(z) ** 2, "each entry of D_t is 1 - tanh^2 = 1/cosh^2")
    proof.holds(sp.Gt(positive, 0, evaluate=False), "which is positive")
    proof.holds(sp.Ge(sp.tanh(z) ** 2, 0, evaluate=False), "tanh z is real, so 1 - tanh^2 z is at most 1")
    proof.assume(
        "so D_t is diagonal with entries in (0, 1]: ||D_t|| = max_i |D_t,ii| <= gamma = 1 (spectral norm); "
        "w = ||W_hh||, and ||A B|| <= ||A|| ||B||"
    )

    growth = gamma * w
    proof.equal(sp.Pow(growth, 0, evaluate=False), 1, "t = 0: dh_0/dh_0 = I, of norm 1 = (gamma w)^0")
    proof.assume("induction hypothesis: ||dh_t/dh_0|| <= (gamma w)^t")
    proof.assume("chain rule: dh_(t+1)/dh_0 = D_(t+1) W_hh dh_t/dh_0, so its norm is at most gamma w ||dh_t/dh_0||")
    e = sp.Symbol("e", nonnegative=True)
    slack = proof.equal(
        growth * (growth**t - e),
        growth ** (t + 1) - growth * e,
        "write ||dh_t/dh_0|| = (gamma w)^t - e, e >= 0, and multiply by gamma w",
    )
    proof.holds(sp.Le(slack, growth ** (t + 1), evaluate=False), "gamma w e >= 0: at most (gamma w)^(t+1)")
    proof.equal(
        sp.Mul(growth**t, growth, evaluate=False),
        growth ** (t + 1),
        "the bound's induction step: (gamma w)^t gamma w = (gamma w)^(t+1), so ||dh_t/dh_0|| <= (gamma w)^t for all t",
    )
    epsilon = sp.Symbol("epsilon", positive=True)
    proof.assume("gamma w < 1: write gamma w = 1 / (1 + epsilon) with epsilon > 0")
    proof.equal(
        sp.Limit((1 / (1 + epsilon)) ** t, t, sp.oo),
        0,
        "the bound (gamma w)^t tends to 0 as t grows: the gradient to a distant state vanishes",
    )

    proof.assume("scalar check: h_t = tanh(w h_(t-1) + a x_t + b) for 3 steps from h_0")
    h_0, a, c = sp.symbols("h_0 a c", real=True)
    xs = sp.symbols("x_1:4", real=True)
    states = [h_0]
    for x_s in xs:
        states.append(sp.tanh(w * states[-1] + a * x_s + c))
    h = sp.symbols("h_1:4", real=True)
    product = sp.Mul(*[w * (1 - h_s**2) for h_s in h])
    proof.equal(
        sp.Derivative(states[3], h_0),
        product.subs(dict(zip(h, states[1:], strict=True))),
        "dh_3/dh_0 is the product of the three factors w (1 - h_s^2), s = 1, 2, 3, h_s the state of step s",
    )

    n = sp.Symbol("n", integer=True, nonnegative=True)
    j, ell = sp.symbols("j l", integer=True, nonnegative=True)
    p, v = sp.IndexedBase("p", real=True), sp.IndexedBase("v", real=True)
    proof.assume("attention, causal: h_n = sum_(j <= n) p_nj v_j, the weights p_nj computed from queries and keys")
    picked = proof.equal(
        sp.Derivative(sp.Sum(p[n, ell] * v[ell], (ell, 0, n)), v[j]),
        sp.Sum(p[n, ell] * sp.KroneckerDelta(j, ell), (ell, 0, n)),
        "differentiate term by term: only the term l = j holds v_j",
    )
    proof.equal(
        picked,
        sp.Piecewise((p[n, j], j <= n), (0, True)),
        "dh_n/dv_j = p_nj for every j <= n: one weight, with no factor that multiplies up over n - j steps",
    )
    return proof

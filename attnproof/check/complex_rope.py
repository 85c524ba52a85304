r"""RoPE in complex form, as RoFormer (§3.2) and Su's blog write it: a pair of channels is one complex number,
and position m multiplies it by e^{i m theta}.

    f_q(x_m, m) = (W_q x_m) e^{i m theta},   <f_q(x_m, m), f_k(x_n, n)> = Re[(W_q x_m) conj(W_k x_n) e^{i(m - n) theta}]

The inner product of two complex numbers is that of their pairs, Re(a conj(b)); a real pair (W_q x_m, or a
2 x 2 rotation applied to (q_0, q_1)) and a complex number are the same point of the plane, and compare so.

Example:
    >>> setting = one_pair(0)
    >>> q, k, theta = setting.symbols["q"].whole, setting.symbols["k"].whole, setting.symbols["theta"]
    >>> bool(np.isclose(setting.functions["inner"](q * np.exp(3j * theta), k * np.exp(5j * theta)),
    ...                 np.real(q * np.conj(k) * np.exp(-2j * theta))))
    True
"""

from functools import cache

import numpy as np

from attnproof.check.evaluate import Family, Setting, in_plane
from attnproof.check.settings import ROPE_EMBEDDING, token
from impl.positions import rotation_frequencies

PAIRS = 4  # a query of width 8 as four complex numbers
POSITIONS = {"m": (3, 0, 17), "n": (11, 5, 2), "t": (3, 0, 17), "s": (11, 5, 2)}


def inner(a, b) -> float:
    """<a, b> of complex numbers (or vectors of them): the dot product of their real pairs, Re(sum a conj(b))."""
    return float(np.real(np.sum(np.asarray(in_plane(a)) * np.conj(in_plane(b)))))


@cache
def one_pair(seed: int) -> Setting:
    """RoFormer's two-dimensional case: q, k complex numbers, theta one angle, x_m an embedding (width 6) whose
    query W_q x_m is a pair; q_bar, k_bar (or conj, k^*) the conjugates; tilde q_m = q e^{i m theta}."""
    rng = np.random.default_rng(seed)
    theta = float(rng.uniform(0.1, 1.0))
    q, k = rng.standard_normal(2) + 1j * rng.standard_normal(2)  # complex numbers
    table = rng.standard_normal((64, ROPE_EMBEDDING))  # (positions, d_model): x_m
    w_q, w_k = rng.standard_normal((2, 2, ROPE_EMBEDDING))  # (2, d_model) each: a pair from an embedding

    def turned(value, m):
        """value e^{i m theta}: a complex number, or a pair read as one, rotated to position m."""
        return in_plane(value) * np.exp(1j * m * theta)

    def projected(weight, x):
        """W x_m as a complex number for an embedding x_m; a query or key given itself as it is."""
        return in_plane(weight @ x if np.shape(x) == (ROPE_EMBEDDING,) else x)

    def relative(a, b, offset):
        """g(x_m, x_n, m - n): the score as a function of the offset alone."""
        return float(np.real(projected(w_q, a) * np.conj(projected(w_k, b)) * np.exp(1j * offset * theta)))

    def query(x, m):
        return turned(projected(w_q, x), m)

    parts = {name: Family(lambda i, z=z: (z.real, z.imag)[token(i, 0, 2)], z) for name, z in (("q", q), ("k", k))}
    symbols = {**parts, "q_bar": np.conj(q), "k_bar": np.conj(k), "theta": theta, "d": 2,
               "i": 1j, "imaginary_unit": 1j,
               "q_tilde": Family(lambda m: turned(q, m), None), "k_tilde": Family(lambda n: turned(k, n), None),
               "x": Family(lambda m: table[m], None), "W_q": w_q, "W_k": w_k}
    functions = {"f_q": query, "f_k": lambda x, n: turned(projected(w_k, x), n), "f": query, "g": relative,
                 "inner": inner}
    return Setting(symbols=symbols, functions=functions, ranges=dict(POSITIONS), plane=True,
                   about=f"d = 2 as one complex number, theta = {theta:.4f}, random q, k, x_m, W_q, W_k (seed {seed})")


@cache
def pairs(seed: int, base: int = 0) -> Setting:
    """A query and key of width 8 as four complex numbers q_{(i)}, k_{(i)} (numbered from `base`), each turned by
    its own angle theta_i = 10000^{-2i/d}; i is an index here, the imaginary unit is written upright."""
    rng = np.random.default_rng(seed)
    q, k = rng.standard_normal((2, PAIRS)) + 1j * rng.standard_normal((2, PAIRS))  # (d/2,) each
    angles = rotation_frequencies(2 * PAIRS)  # (d/2,)
    symbols = {"q": Family(lambda i: q[token(i, base, PAIRS)], q), "k": Family(lambda i: k[token(i, base, PAIRS)], k),
               "theta": Family(lambda i: angles[token(i, base, PAIRS)], None), "d": 2 * PAIRS,
               "imaginary_unit": 1j}

    def turned(x, m):
        return np.asarray(x) * np.exp(1j * m * angles)  # (d/2,): each pair turned by its own angle

    def relative(a, b, offset):
        return float(np.real(np.sum(np.asarray(a) * np.conj(b) * np.exp(1j * offset * angles))))

    functions = {"inner": inner, "f": turned, "f_q": turned, "f_k": turned, "g": relative}
    return Setting(symbols=symbols, functions=functions,
                   ranges={**POSITIONS, "i": tuple(range(base, base + PAIRS)), "j": tuple(range(base, base + PAIRS))},
                   plane=True, base=base,
                   about=f"d = {2 * PAIRS} as {PAIRS} complex numbers q_(i), k_(i), theta_i = 10000^(-2i/d), "
                   f"pairs from {base} (seed {seed})")

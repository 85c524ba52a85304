"""Positional encodings: RoPE's relative scores, and the sinusoidal encodings' shift structure.

RoPE rotates each pair of channels of q and k by an angle proportional to the position, so
<R_m q, R_n k> = <q, R_{n-m} k>: the score depends on the offset n - m only. The sinusoidal
encoding of position p + k is a rotation T_k of the encoding of p, with T_k the same for
every p, so PE(p) . PE(q) depends on p - q only.
"""

import numpy as np
from hypothesis import strategies as st

from attnproof.numerics import FLOOR_ULPS, assert_close, max_abs_difference
from attnproof.oracle import PAIRINGS, oracle_rope, oracle_sinusoidal, rope_frequencies
from attnproof.property import checks
from attnproof.strategies import BASES, floats_array, positions

MAX_POSITION = 4096
EPS = np.finfo(np.float64).eps


@st.composite
def rope_cases(draw):
    """Rows x (n, d), a query q and key k (d,), positions m <= n, shifts a and b, and a base."""
    d = 2 * draw(st.integers(1, 6))
    rows = draw(st.integers(1, 5))
    m, n = sorted((draw(positions(MAX_POSITION)), draw(positions(MAX_POSITION))))
    return {
        "x": draw(floats_array(np.float64, (rows, d))),  # (rows, d)
        "at": np.array(draw(st.lists(positions(MAX_POSITION), min_size=rows, max_size=rows))),  # (rows,)
        "q": draw(floats_array(np.float64, (d,))),  # (d,)
        "k": draw(floats_array(np.float64, (d,))),  # (d,)
        "m": m,
        "n": n,
        "a": draw(positions(MAX_POSITION // 2)),
        "b": draw(positions(MAX_POSITION // 2)),
        "base": draw(BASES),
    }


def rope_budget(magnitude: float, largest_angle: float) -> float:
    """Rounding of an angle up to `largest_angle` moves a rotated entry of size `magnitude` by about eps * angle."""
    return FLOOR_ULPS * EPS * (1.0 + largest_angle) * magnitude


@checks(rope_cases(), needs=("rope",))
def rope_scores_are_relative(impl, case):
    """<R_m q, R_n k> = <q, R_{n-m} k>; |R_p x| = |x|; R_0 = I; R_b R_a = R_{a+b}; the angles are p * base^(-2i/d)."""
    __tracebackhide__ = True
    x, at, q, k, m, n, base = (case[key] for key in ("x", "at", "q", "k", "m", "n", "base"))
    d = x.shape[-1]
    where = f"d={d}, base={base:.6g}"

    def rotate(rows, rows_at):
        return impl.rope(rows, np.asarray(rows_at), base=base)  # (rows, d)

    score = float(rotate(q[None], [m])[0] @ rotate(k[None], [n])[0])
    relative = float(q @ rotate(k[None], [n - m])[0])
    assert_close(
        score,
        relative,
        d * rope_budget(1.0, 2 * MAX_POSITION),
        f"rope ({where}): <R_{m} q, R_{n} k> is not <q, R_{n - m} k>, so the score is not a function of n - m",
    )
    rotated = rotate(x, at)  # (rows, d)
    assert_close(
        np.linalg.norm(rotated, axis=-1),
        np.linalg.norm(x, axis=-1),
        d * rope_budget(1.0, MAX_POSITION),
        f"rope ({where}) at positions {at.tolist()} changed the norm of a row: not a rotation",
    )
    assert_close(
        rotate(x, np.zeros_like(at)), x, rope_budget(1.0, 0), f"rope ({where}) at position 0 is not the identity"
    )
    twice = rotate(rotate(x, np.full_like(at, case["a"])), np.full_like(at, case["b"]))  # (rows, d)
    assert_close(
        twice,
        rotate(x, np.full_like(at, case["a"] + case["b"])),
        rope_budget(2.0, MAX_POSITION),
        f"rope ({where}): rotating by {case['a']} then {case['b']} is not rotating by {case['a'] + case['b']}",
    )
    tolerance = rope_budget(2.0, MAX_POSITION)
    errors = {pairing: max_abs_difference(rotated, oracle_rope(x, at, base, pairing)) for pairing in PAIRINGS}
    if not min(errors.values()) <= tolerance:
        raise AssertionError(
            f"rope ({where}) at positions {at.tolist()} does not rotate channel pairs by p * base^(-2i/d): "
            + ", ".join(f"max error {error:.3g} against the {pairing} pairing" for pairing, error in errors.items())
            + f" (tolerance {tolerance:.3g})"
        )


@st.composite
def sinusoidal_cases(draw):
    """A table size n x d (d even), positions p, p + shift within it, and a base."""
    n, d = draw(st.integers(2, 64)), 2 * draw(st.integers(1, 16))
    p = draw(st.integers(0, n - 1))
    return {
        "n": n,
        "d": d,
        "p": p,
        "shift": draw(st.integers(0, n - 1 - p)),
        "q": draw(st.integers(0, n - 1)),
        "base": draw(BASES),
    }


@checks(sinusoidal_cases(), needs=("sinusoidal_pe",))
def sinusoidal_shifts_are_rotations(impl, case):
    """PE[p, 2i] = sin(p w_i), PE[p, 2i+1] = cos(p w_i); PE(p + k) = T_k PE(p); PE(p) . PE(q) depends on p - q."""
    __tracebackhide__ = True
    n, d, p, shift, q, base = (case[key] for key in ("n", "d", "p", "shift", "q", "base"))
    pe = impl.sinusoidal_pe(n, d, base=base)  # (n, d)
    where = f"sinusoidal_pe(n={n}, d={d}, base={base:.6g})"
    tolerance = rope_budget(1.0, n)
    assert_close(
        pe,
        oracle_sinusoidal(n, d, base),
        tolerance,
        f"{where} is not PE[p, 2i] = sin(p / base^(2i/d)), PE[p, 2i+1] = cos(p / base^(2i/d))",
    )
    angle = shift * rope_frequencies(d, base)  # (d/2,)
    sin_p, cos_p = pe[p, 0::2], pe[p, 1::2]  # (d/2,), (d/2,)
    shifted = np.empty(d)  # (d,): T_k applied to each (sin, cos) pair
    shifted[0::2] = np.cos(angle) * sin_p + np.sin(angle) * cos_p
    shifted[1::2] = -np.sin(angle) * sin_p + np.cos(angle) * cos_p
    assert_close(
        pe[p + shift], shifted, 2 * tolerance, f"{where}: PE({p + shift}) is not the rotation T_{shift} of PE({p})"
    )
    back = min(p, q)
    assert_close(
        pe[p] @ pe[q],
        pe[p - back] @ pe[q - back],
        d * tolerance,
        f"{where}: PE({p}) . PE({q}) differs from PE({p - back}) . PE({q - back}) at the same offset",
    )

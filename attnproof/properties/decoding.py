"""What changes at inference: positions and the causal mask when decoding over a cache.

A decoder generates one token at a time. Its new token must be rotated (RoPE) at its
absolute position, as it would be in a full pass; restarting positions at 0 for new tokens
silently changes every score. The causal mask stays on: a chunk of new tokens over the cache
is the last rows of full causal attention, which the bottom-right alignment gives. And only
some schemes reach past the training length: a learned table has no row there, while
sinusoidal encodings and RoPE are defined at every position.
"""

import numpy as np
from hypothesis import strategies as st

from attnproof import probes
from attnproof.numerics import assert_close, joint_budget, max_abs_difference
from attnproof.properties.positions import rope_budget
from attnproof.property import checks, must_find
from attnproof.strategies import BASES, MAX_DIM, attention_cases, floats_array

FAR = 10**6  # a position far past any training length


@st.composite
def rope_decoding_cases(draw):
    """q, k, v for n tokens (d even), a prefill length, a base and a shift c of every position."""
    n, d = draw(st.integers(2, 8)), 2 * draw(st.integers(1, MAX_DIM // 2))
    q, k, v = (draw(floats_array(np.float64, (n, d))) for _ in range(3))  # (n, d) each
    return {
        "q": q,
        "k": k,
        "v": v,
        "prefill": draw(st.integers(1, n)),
        "base": draw(BASES),
        "shift": draw(st.integers(0, 4096)),
    }


def decode_with_rope(impl, case, restart: bool = False) -> np.ndarray:
    """Prefill, then decode each later token rotated at its absolute position (or at 0 if restart), (n, d)."""
    q, k, v, p, base = case["q"], case["k"], case["v"], case["prefill"], case["base"]
    positions = np.arange(q.shape[0])  # (n,)
    keys = impl.rope(k[:p], positions[:p], base=base)  # (p, d) the prefilled cache
    rows = [impl.attention(impl.rope(q[:p], positions[:p], base=base), keys, v[:p], causal=True)]  # (p, d)
    for t in range(p, q.shape[0]):
        at = np.array([0 if restart else t])  # (1,)
        keys = np.concatenate([keys, impl.rope(k[t : t + 1], at, base=base)])  # (t + 1, d)
        rows.append(impl.attention(impl.rope(q[t : t + 1], at, base=base), keys, v[: t + 1], causal=True))  # (1, d)
    return np.concatenate(rows)  # (n, d)


def full_pass_with_rope(impl, case, offset: int = 0) -> np.ndarray:
    q, k, v, base = case["q"], case["k"], case["v"], case["base"]
    positions = offset + np.arange(q.shape[0])  # (n,)
    return impl.attention(impl.rope(q, positions, base=base), impl.rope(k, positions, base=base), v, causal=True)


def restarting_positions_breaks(impl) -> None:
    """Once per run: some input makes decoding with positions restarted at 0 differ from the full pass."""
    __tracebackhide__ = True

    def differs(case):
        if case["prefill"] == case["q"].shape[0]:
            return False
        gap = max_abs_difference(decode_with_rope(impl, case, restart=True), full_pass_with_rope(impl, case))
        return gap > 1e-6

    must_find(rope_decoding_cases(), differs, "decoding with RoPE positions restarted at 0 matches the full pass")


@checks(rope_decoding_cases(), needs=("rope", "attention"), once=restarting_positions_breaks)
def decoding_keeps_absolute_positions(impl, case):
    """Decoding each token rotated at its absolute position is the full pass; shifting all positions changes nothing."""
    __tracebackhide__ = True
    n, d = case["q"].shape
    where = f"n={n}, d={d}, prefill={case['prefill']}, base={case['base']:.6g}"
    tolerance = d * rope_budget(1.0, n + case["shift"])
    assert_close(
        decode_with_rope(impl, case),
        full_pass_with_rope(impl, case),
        tolerance,
        f"RoPE decoding ({where}): token t rotated at position t over the cache differs from the full pass",
    )
    assert_close(
        full_pass_with_rope(impl, case, case["shift"]),
        full_pass_with_rope(impl, case),
        tolerance,
        f"RoPE ({where}): shifting every position by {case['shift']} changed the outputs",
    )


@st.composite
def extrapolation_cases(draw):
    """A learned table (max_len, d), a position at or past its end, and far positions for the formulas."""
    max_len, half = draw(st.integers(1, 16)), draw(st.integers(1, 4))
    return {
        "table": draw(floats_array(np.float64, (max_len, 2 * half))),
        "past": draw(st.integers(max_len, max_len + 100)),
        "far": np.array(draw(st.lists(st.integers(0, FAR), min_size=1, max_size=4))),
    }


@checks(extrapolation_cases(), needs=("LearnedPositions", "sinusoidal_pe", "rope"))
def only_formulas_extrapolate(impl, case):
    """A learned table has no row at max_len or past it; sinusoidal PE and RoPE are well-formed at any position."""
    __tracebackhide__ = True
    table, past, far = case["table"], case["past"], case["far"]
    learned = impl.learned_positions(table)
    inside = learned(np.arange(table.shape[0]))  # (max_len, d)
    assert_close(inside, table, 0.0, "LearnedPositions does not return its table's rows for positions 0..max_len-1")
    try:
        row = learned(np.array([past]))
    except Exception:
        row = None
    if row is not None:
        raise AssertionError(
            f"LearnedPositions with {table.shape[0]} rows returned {np.asarray(row).round(4).tolist()} "
            f"for position {past}, past the table; it should refuse"
        )
    d = table.shape[1]
    pe = impl.sinusoidal_pe(int(far.max()) + 1, d)[far]  # (m, d)
    assert_close(
        np.sum(pe**2, axis=-1),
        d / 2,
        d * rope_budget(1.0, FAR),
        f"sinusoidal_pe(d={d}) at positions {far.tolist()}: |PE(p)|^2 should be d/2 at every position",
    )
    x = np.ones((far.size, d))  # (m, d)
    assert_close(
        np.linalg.norm(impl.rope(x, far), axis=-1),
        np.sqrt(d),
        d * rope_budget(1.0, FAR),
        f"rope(d={d}) at positions {far.tolist()} is not a rotation there",
    )


@st.composite
def chunk_cases(draw):
    """Causal self-attention over n tokens, and how many of them arrive as the newest chunk."""
    case = draw(attention_cases(causal=True, masks=False, same_length=True, min_len=1))
    return case, draw(st.integers(1, case.q.shape[-2]))


def dropping_the_mask_breaks(impl) -> None:
    """Once per run: some chunk of new tokens sees the tokens after it if the mask is dropped."""
    __tracebackhide__ = True

    def differs(drawn):
        case, chunk = drawn
        n = case.q.shape[-2]
        if chunk < 2:
            return False
        unmasked = case.with_arrays(q=case.q[..., n - chunk :, :]).with_options(causal=None).call(impl.attention)
        return max_abs_difference(unmasked, case.call(impl.attention)[..., n - chunk :, :]) > 1e-6

    must_find(chunk_cases(), differs, "a chunk of new tokens decoded without the causal mask matches full attention")


@checks(chunk_cases(), once=dropping_the_mask_breaks)
def decode_keeps_the_mask_bottom_right(impl, drawn):
    """The newest L queries over all S keys, causal, are the last L rows of full causal attention (L = 1: the last)."""
    __tracebackhide__ = True
    case, chunk = drawn
    n = case.q.shape[-2]
    newest = case.with_arrays(q=case.q[..., n - chunk :, :])
    full = case.call(impl.attention)  # (..., n, Ev)
    tolerance = joint_budget(case, newest)
    assert_close(
        newest.call(impl.attention),
        full[..., n - chunk :, :],
        tolerance,
        f"{newest}: the newest {chunk} queries over the cache of {n} keys are not the last {chunk} rows of "
        f"full causal attention ({case})",
    )
    last = case.with_arrays(q=case.q[..., n - 1 :, :])
    w = probes.weights(impl, last.q, last.k, **last.options)  # (..., 1, n)
    assert_close(
        np.where(w > 0, 0.0, 1.0), 0.0, 0.0, f"{last}: a single decode query with causal=True must see every cached key"
    )

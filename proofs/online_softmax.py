r"""Claim efficient.online_softmax: the running max, sum and accumulator of FlashAttention give exact attention.

Strength: fixed sizes (the two-block identity uses blocks of 2 + 2 scores with scalar values, any reference
points m_A and M) + symbolic invariant (the induction step has N earlier keys and a block of b keys, both
symbols, and any reference points; values are scalars, a vector value is the same per component).

The state after some blocks is (m, l, a): a reference point m (the running max), l = sum_j exp(s_j - m)
and a = sum_j exp(s_j - m) v_j over the keys seen. A block B moves the reference to m' = max(m, m_B) and
rescales: l' = exp(m - m') l + sum_{j in B} exp(s_j - m'), a' = exp(m - m') a + sum_{j in B} exp(s_j - m') v_j,
using exp(s - m) exp(m - m') = exp(s - m'). At the end a / l = sum_j exp(s_j) v_j / sum_j exp(s_j): the
reference cancels, whatever it is, so the max only keeps every exponent <= 0.

Example:
    >>> derive().steps[-1].rhs  # a / l after the last block: softmax attention, the reference m gone
    Sum(exp(s[j])*v[j], (j, 1, N))/Sum(exp(s[j]), (j, 1, N))
"""

import sympy as sp

from proofs.derivation import Derivation, over

s_1, s_2, s_3, s_4 = sp.symbols("s_1:5", real=True)
v_1, v_2, v_3, v_4 = sp.symbols("v_1:5", real=True)
m_A, M = sp.symbols("m_A M", real=True)
N, b = sp.symbols("N b", positive=True, integer=True)
j = sp.Symbol("j", integer=True, positive=True)
m, m_new = sp.symbols("m m'", real=True)
s, v = sp.IndexedBase("s", real=True), sp.IndexedBase("v", real=True)


def rescaled(old: sp.Expr, reference: sp.Expr, new_reference: sp.Expr) -> sp.Mul:
    """exp(m - m') times a quantity kept at the reference m, unevaluated."""
    return sp.Mul(sp.exp(reference - new_reference), old, evaluate=False)


def derive() -> Derivation:
    proof = Derivation("online softmax: block by block, the running max, sum and accumulator give exact attention")
    proof.assume("one query; scores s_j and scalar values v_j (a vector value is the same, component by component)")

    proof.equal(
        sp.Max(sp.Max(s_1, s_2), sp.Max(s_3, s_4), evaluate=False),
        sp.Max(s_1, s_2, s_3, s_4),
        "m' = max(m_A, m_B): the running max of the blocks' maxima is the max of all scores",
    )
    proof.equal(
        sp.Mul(sp.exp(s_1 - m_A), sp.exp(m_A - M), evaluate=False),
        sp.exp(s_1 - M),
        "exp(s - m) exp(m - m') = exp(s - m'): a term kept at one reference moves to another",
    )
    l_A = sp.exp(s_1 - m_A) + sp.exp(s_2 - m_A)
    a_A = sp.exp(s_1 - m_A) * v_1 + sp.exp(s_2 - m_A) * v_2
    proof.equal(
        sp.Add(
            sp.Mul(sp.exp(sp.Add(-sp.oo, -m_A, evaluate=False), evaluate=False), 0, evaluate=False), l_A, evaluate=False
        ),
        l_A,
        "block A = {1, 2} from the empty state (m, l, a) = (-oo, 0, 0): exp(-oo - m_A) 0 = 0",
    )
    terms = [sp.exp(score - M) for score in (s_1, s_2, s_3, s_4)]
    l_AB = proof.equal(
        sp.Add(rescaled(l_A, m_A, M), sp.exp(s_3 - M), sp.exp(s_4 - M), evaluate=False),
        sp.Add(*terms),
        "block B = {3, 4}: l' = exp(m_A - M) l_A + exp(s_3 - M) + exp(s_4 - M), all four at the reference M",
    )
    a_AB = proof.equal(
        sp.Add(rescaled(a_A, m_A, M), sp.exp(s_3 - M) * v_3, sp.exp(s_4 - M) * v_4, evaluate=False),
        sp.Add(*[term * value for term, value in zip(terms, (v_1, v_2, v_3, v_4), strict=True)]),
        "a' = exp(m_A - M) a_A + exp(s_3 - M) v_3 + exp(s_4 - M) v_4",
    )
    exps = [sp.exp(score) for score in (s_1, s_2, s_3, s_4)]
    total = sp.Add(*exps)
    weighted = sp.Add(*[e * value for e, value in zip(exps, (v_1, v_2, v_3, v_4), strict=True)])
    ratio = proof.equal(
        over(a_AB, l_AB),
        over(sp.Mul(sp.exp(-M), weighted, evaluate=False), sp.Mul(sp.exp(-M), total, evaluate=False)),
        "exp(s_j - M) = exp(-M) exp(s_j): take exp(-M) out of both sums",
    )
    ratio = proof.equal(ratio, over(weighted, total), "exp(-M) cancels: any reference point M gives the same a / l")
    proof.equal(
        ratio,
        sp.Add(*[over(e, total) * value for e, value in zip(exps, (v_1, v_2, v_3, v_4), strict=True)]),
        "which is sum_j softmax(s)_j v_j over A u B: exact attention",
    )

    l_k = sp.Sum(sp.exp(s[j] - m), (j, 1, N))
    a_k = sp.Sum(sp.exp(s[j] - m) * v[j], (j, 1, N))
    proof.equal(
        sp.Sum(sp.exp(s[j] - m), (j, 1, 0)), 0, "induction base: before any block the sums are empty, l = a = 0"
    )
    moved = proof.equal(
        rescaled(l_k, m, m_new),
        sp.Sum(sp.Mul(sp.exp(m - m_new), sp.exp(s[j] - m), evaluate=False), (j, 1, N)),
        "invariant l = sum_{j <= N} exp(s_j - m): the constant exp(m - m') goes into the sum",
    )
    moved = proof.equal(moved, sp.Sum(sp.exp(s[j] - m_new), (j, 1, N)), "exp(s_j - m) exp(m - m') = exp(s_j - m')")
    proof.equal(
        sp.Add(moved, sp.Sum(sp.exp(s[j] - m_new), (j, N + 1, N + b)), evaluate=False),
        sp.Sum(sp.exp(s[j] - m_new), (j, 1, N + b)),
        "add the block N + 1 .. N + b: l' is the invariant for N + b keys at the reference m'",
    )
    moved = proof.equal(
        rescaled(a_k, m, m_new),
        sp.Sum(sp.Mul(sp.exp(m - m_new), sp.exp(s[j] - m), v[j], evaluate=False), (j, 1, N)),
        "invariant a = sum_{j <= N} exp(s_j - m) v_j: the same constant goes into the sum",
    )
    moved = proof.equal(moved, sp.Sum(sp.exp(s[j] - m_new) * v[j], (j, 1, N)), "the same rescaling, term by term")
    proof.equal(
        sp.Add(moved, sp.Sum(sp.exp(s[j] - m_new) * v[j], (j, N + 1, N + b)), evaluate=False),
        sp.Sum(sp.exp(s[j] - m_new) * v[j], (j, 1, N + b)),
        "a' is the invariant for N + b keys at the reference m'",
    )
    final = proof.equal(
        over(a_k, l_k),
        over(sp.Sum(sp.exp(-m) * sp.exp(s[j]) * v[j], (j, 1, N)), sp.Sum(sp.exp(-m) * sp.exp(s[j]), (j, 1, N))),
        "at the end, with all N keys: exp(s_j - m) = exp(-m) exp(s_j)",
    )
    proof.equal(
        final,
        over(sp.Sum(sp.exp(s[j]) * v[j], (j, 1, N)), sp.Sum(sp.exp(s[j]), (j, 1, N))),
        "exp(-m) leaves both sums and cancels: a / l is softmax attention, whatever the reference m",
    )
    return proof

r"""The claim registry: every claim attnproof checks, written once.

A claim's entry names its proof (a module in proofs/ with a `derive()`), its property (a
check against any implementation), and how strong the proof is. Everything else is derived
from here: the test ids (`pytest -k rope`), the `attnproof claims` and `verify` lines, and
the report's sections.

Example:
    >>> claim = by_id("positions.rope")
    >>> claim.strength.value, claim.property.needs
    ('symbolic', ('rope',))
    >>> [c.id for c in CLAIMS][:3]
    ['qkv.shapes', 'qkv.value_payload', 'attention.definition']
"""

import importlib
from dataclasses import dataclass
from enum import Enum

from attnproof.properties import cache, heads, masks, positions, qkv, symmetry, weights
from attnproof.property import Property


class Strength(Enum):
    """How much the SymPy derivation establishes."""

    SYMBOLIC = "symbolic"  # for symbolic dimensions: every size at once
    FIXED_SIZES = "fixed sizes"  # for small concrete sizes only; the property covers the rest
    NUMERIC = "numeric"  # no derivation beyond the numerical evidence


@dataclass(frozen=True)
class Claim:
    """One claim of the explanation of self-attention, with everything that checks it."""

    id: str
    title: str
    statement: str  # LaTeX
    proof: str  # module in proofs/ whose derive() returns the checked Derivation
    strength: Strength
    property: Property

    def derive(self):
        """Run the SymPy derivation; raises ProofError at the first step SymPy cannot confirm."""
        return importlib.import_module(self.proof).derive()


S, F = Strength.SYMBOLIC, Strength.FIXED_SIZES

CLAIMS: tuple[Claim, ...] = (
    Claim(
        "qkv.shapes",
        "Q, K and V are projections of X; scores are [n, n], outputs [n, d_v]",
        r"Q = XW_Q \in \mathbb{R}^{n \times d_k},\ K = XW_K \in \mathbb{R}^{n \times d_k},\ "
        r"V = XW_V \in \mathbb{R}^{n \times d_v},\ QK^\top \in \mathbb{R}^{n \times n}",
        "proofs.projections",
        S,
        qkv.projection_shapes,
    ),
    Claim(
        "qkv.value_payload",
        "Q and K decide where to look, V what is taken: the output is linear in V",
        r"\mathrm{Attn}(Q, K, aV_1 + bV_2) = a\,\mathrm{Attn}(Q, K, V_1) + b\,\mathrm{Attn}(Q, K, V_2)",
        "proofs.values",
        S,
        qkv.value_is_payload,
    ),
    Claim(
        "attention.definition",
        "Attention is softmax(QK^T / sqrt(d_k) + M) V",
        r"\mathrm{Attention}(Q, K, V) = \mathrm{softmax}\left(\frac{QK^\top}{\sqrt{d_k}} + M\right) V",
        "proofs.definition",
        F,
        weights.matches_oracle,
    ),
    Claim(
        "softmax.distribution",
        "Each row of weights is a probability distribution, unchanged by shifting its scores",
        r"p_j = \frac{e^{x_j}}{\sum_l e^{x_l}} > 0,\ \sum_j p_j = 1,\ \mathrm{softmax}(x + c) = \mathrm{softmax}(x)",
        "proofs.softmax",
        S,
        weights.rows_are_distributions,
    ),
    Claim(
        "scaling.variance",
        "Var(q . k) = d_k, so dividing by sqrt(d_k) gives unit variance",
        r"\mathrm{Var}(q \cdot k) = d_k,\ \mathrm{Var}\left(\frac{q \cdot k}{\sqrt{d_k}}\right) = 1,\ "
        r"\mathrm{Var}\left(\frac{q \cdot k}{d_k}\right) = \frac{1}{d_k}",
        "proofs.variance",
        S,
        weights.score_variance,
    ),
    Claim(
        "attention.convex_combination",
        "Each output row is a convex combination of the admissible value rows",
        r"h_i = \sum_{j \in \mathcal{A}(i)} p_{ij} v_j,\ p_{ij} \ge 0,\ \sum_j p_{ij} = 1",
        "proofs.convexity",
        S,
        weights.outputs_are_convex_combinations,
    ),
    Claim(
        "mask.causal",
        "A causal mask gives the future zero weight, aligned bottom-right when L != S",
        r"M_{ij} = \begin{cases} 0 & j \le i + (S - L) \\ -\infty & \text{otherwise} \end{cases}",
        "proofs.causal_mask",
        F,
        masks.causal_hides_the_future,
    ),
    Claim(
        "mask.padding",
        "A padding mask removes keys; a row with no key left outputs zeros",
        r"\mathrm{Attn}(Q, K, V; m) = \mathrm{Attn}(Q, K_{m}, V_{m})",
        "proofs.padding_mask",
        F,
        masks.padding_removes_keys,
    ),
    Claim(
        "kv_cache.equivalence",
        "Decoding with cached K and V equals full causal attention; Q is never needed again",
        r"h_t = \mathrm{softmax}\left(\frac{q_t K_{\le t}^\top}{\sqrt{d_k}}\right) V_{\le t}",
        "proofs.kv_cache",
        F,
        masks.cache_matches_recompute,
    ),
    Claim(
        "attention.permutation_equivariance",
        "Without positions or a mask, attention is permutation equivariant",
        r"\mathrm{Attn}(PX) = P\,\mathrm{Attn}(X)",
        "proofs.permutation",
        F,
        symmetry.permutation_equivariant,
    ),
    Claim(
        "multihead.concat_projection",
        "Multi-head attention is Concat(heads) W_O, the sum of head_i W_O^(i)",
        r"\mathrm{Concat}(\mathrm{head}_1, \ldots, \mathrm{head}_h) W_O = \sum_{i=1}^{h} \mathrm{head}_i W_O^{(i)}",
        "proofs.multihead",
        F,
        heads.heads_concat_then_project,
    ),
    Claim(
        "gqa.repeat_kv",
        "Grouped-query attention is multi-head attention with repeated KV heads",
        r"\mathrm{GQA}(Q, K, V) = \mathrm{MHA}(Q, \mathrm{repeat}_g(K), \mathrm{repeat}_g(V)),\ g = H_q / H_{kv}",
        "proofs.gqa",
        F,
        heads.grouped_query_is_repeated_kv,
    ),
    Claim(
        "positions.rope",
        "RoPE makes scores depend only on the offset n - m",
        r"\langle R_m q, R_n k \rangle = \langle q, R_{n-m} k \rangle",
        "proofs.rope",
        S,
        positions.rope_scores_are_relative,
    ),
    Claim(
        "positions.sinusoidal",
        "Sinusoidal encodings: a shift is a rotation, dot products depend on p - q",
        r"PE(p + k) = T_k\, PE(p),\ PE(p) \cdot PE(q) = \sum_i \cos(\omega_i (p - q))",
        "proofs.sinusoidal",
        S,
        positions.sinusoidal_shifts_are_rotations,
    ),
    Claim(
        "kv_cache.memory",
        "KV-cache bytes = 2 x layers x kv_heads x seq_len x head_dim x bytes x batch",
        r"\mathrm{bytes} = 2 \cdot L \cdot H_{kv} \cdot n \cdot d_{head} \cdot b \cdot B",
        "proofs.kv_cache_memory",
        S,
        cache.cache_bytes_match_formula,
    ),
)


def by_id(claim_id: str) -> Claim:
    """The claim with this id; KeyError naming the known ids otherwise."""
    for claim in CLAIMS:
        if claim.id == claim_id:
            return claim
    raise KeyError(f"unknown claim '{claim_id}'; known claims: {', '.join(c.id for c in CLAIMS)}")

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

from attnproof.properties import (
    cache,
    cost,
    decoding,
    efficient,
    heads,
    masks,
    positions,
    qkv,
    recurrence,
    scaling,
    symmetry,
    weights,
)
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
    section: str  # key into SECTIONS: where the report puts it
    intuition: str  # one paragraph in plain words
    figure: str | None = None  # file name in attnproof.figures.FIGURES, shown in its report section

    def derive(self):
        """Run the SymPy derivation; raises ProofError at the first step SymPy cannot confirm."""
        return importlib.import_module(self.proof).derive()


S, F = Strength.SYMBOLIC, Strength.FIXED_SIZES

SECTIONS: tuple[tuple[str, str], ...] = (
    ("qkv", "Q, K and V: where they come from and their shapes"),
    ("values", "What V carries and how it is used"),
    ("weights", "From scores to weights to outputs"),
    ("recurrence", "Transformers against RNNs and LSTMs"),
    ("inference", "Multi-head attention and positions, at inference"),
    ("followups", "Follow-ups: why sqrt(d_k), the cost of decoding, beyond O(n^2), extrapolation"),
)

CLAIMS: tuple[Claim, ...] = (
    Claim(
        "qkv.shapes",
        "Q, K and V are projections of X; scores are [n, n], outputs [n, d_v]",
        r"Q = XW_Q \in \mathbb{R}^{n \times d_k},\ K = XW_K \in \mathbb{R}^{n \times d_k},\ "
        r"V = XW_V \in \mathbb{R}^{n \times d_v},\ QK^\top \in \mathbb{R}^{n \times n}",
        "proofs.projections",
        S,
        qkv.projection_shapes,
        section="qkv",
        intuition=(
            "Each token's embedding, a row of X [n, d_model], is multiplied by three learned matrices: the query "
            "(what the token is looking for) and the key (what it advertises) are d_k wide so they can be "
            "compared, and the value (the content it can hand over) is d_v wide. Comparing every query with every "
            "key gives an n x n score matrix, and mixing value rows gives an [n, d_v] output per head. In self-"
            "attention all three come from the same X; in cross-attention the queries come from another sequence."
        ),
    ),
    Claim(
        "qkv.value_payload",
        "Q and K decide where to look, V what is taken: the output is linear in V",
        r"\mathrm{Attn}(Q, K, aV_1 + bV_2) = a\,\mathrm{Attn}(Q, K, V_1) + b\,\mathrm{Attn}(Q, K, V_2)",
        "proofs.values",
        S,
        qkv.value_is_payload,
        section="values",
        intuition=(
            "The attention weights are computed from Q and K alone; no entry of V enters them. So Q and K decide "
            "where each token looks, and V is the payload that gets carried: once the weights are fixed, the "
            "output is the weight matrix times V, a linear function of V. Doubling the values doubles the output, "
            "and output row i moves with value row j in proportion to the weight that query i gives key j."
        ),
    ),
    Claim(
        "attention.definition",
        "Attention is softmax(QK^T / sqrt(d_k) + M) V",
        r"\mathrm{Attention}(Q, K, V) = \mathrm{softmax}\left(\frac{QK^\top}{\sqrt{d_k}} + M\right) V",
        "proofs.definition",
        F,
        weights.matches_oracle,
        section="weights",
        intuition=(
            "The mechanism is one line: score every query against every key with a dot product, divide by "
            "sqrt(d_k), add the mask (0 where looking is allowed, minus infinity where it is not), turn each row "
            "into weights with a softmax, and use those weights to average the value rows. A minus-infinity mask "
            "entry becomes a weight of exactly zero, so that key drops out of both the numerator and the "
            "normaliser of its row."
        ),
    ),
    Claim(
        "softmax.distribution",
        "Each row of weights is a probability distribution, unchanged by shifting its scores",
        r"p_j = \frac{e^{x_j}}{\sum_l e^{x_l}} > 0,\ \sum_j p_j = 1,\ \mathrm{softmax}(x + c) = \mathrm{softmax}(x)",
        "proofs.softmax",
        S,
        weights.rows_are_distributions,
        section="weights",
        intuition=(
            "Softmax turns a row of scores into weights that are all positive and add up to 1, so each query "
            "spreads one unit of attention over the keys it may see. Only the differences between a row's scores "
            "matter: adding the same number to every score leaves the weights unchanged. That is why adding one "
            "fixed vector to every key changes nothing, since it raises all of a query's scores by the same "
            "amount."
        ),
    ),
    Claim(
        "scaling.variance",
        "Var(q . k) = d_k, so dividing by sqrt(d_k) gives unit variance",
        r"\mathrm{Var}(q \cdot k) = d_k,\ \mathrm{Var}\left(\frac{q \cdot k}{\sqrt{d_k}}\right) = 1,\ "
        r"\mathrm{Var}\left(\frac{q \cdot k}{d_k}\right) = \frac{1}{d_k}",
        "proofs.variance",
        S,
        weights.score_variance,
        section="weights",
        figure="variance.png",
        intuition=(
            "If the entries of a query and a key are independent with mean 0 and variance 1, their dot product is "
            "a sum of d_k independent terms of variance 1, so its variance is d_k and its typical size grows like "
            "sqrt(d_k). Dividing by sqrt(d_k) brings the variance back to 1 whatever the head width, so scores "
            "fall in the same range for a 64-wide head as for a 256-wide one. Dividing by d_k would overshoot, "
            "leaving a variance of 1/d_k."
        ),
    ),
    Claim(
        "scaling.entropy",
        "Why sqrt(d_k) and not d_k: only 1/sqrt(d_k) keeps the weights' entropy steady as d_k grows",
        r"\mathrm{Var}\left(\frac{q \cdot k}{d_k}\right) = \frac{1}{d_k} \to 0,\ "
        r"H\left(\mathrm{softmax}(0, \ldots, 0)\right) = \log n",
        "proofs.entropy",
        S,
        scaling.entropy_is_steady_only_with_sqrt_scaling,
        section="followups",
        figure="entropy.png",
        intuition=(
            "The scale sets how peaked the attention is. Without it, scores spread further as d_k grows and the "
            "weights drift toward one-hot; with 1/d_k the scores shrink toward zero, every row approaches the "
            "uniform distribution with the largest possible entropy, log n, and attention can only average. Only "
            "1/sqrt(d_k) keeps the spread of the scores, and so the sharpness of the weights, the same at every "
            "head width."
        ),
    ),
    Claim(
        "softmax.saturation",
        "Softmax saturates: its Jacobian diag(p) - pp^T vanishes as one score dominates",
        r"\frac{\partial p_i}{\partial x_j} = p_i(\delta_{ij} - p_j),\ |J_{ij}| \le p_i (1 - p_i)",
        "proofs.saturation",
        S,
        scaling.softmax_jacobian_saturates,
        section="weights",
        intuition=(
            "How much the weights move when the scores move is given by the softmax Jacobian, diag(p) - pp^T, "
            "whose entries never exceed 1/4 in size. When one score runs far ahead of the others, its weight goes "
            "to 1, the rest go to 0, and every entry of the Jacobian goes to 0: a saturated softmax passes almost "
            "no gradient back to Q and K. Unscaled scores at large d_k push softmax into that regime, which is "
            "the training-side reason for the 1/sqrt(d_k) factor."
        ),
    ),
    Claim(
        "attention.convex_combination",
        "Each output row is a convex combination of the admissible value rows",
        r"h_i = \sum_{j \in \mathcal{A}(i)} p_{ij} v_j,\ p_{ij} \ge 0,\ \sum_j p_{ij} = 1",
        "proofs.convexity",
        S,
        weights.outputs_are_convex_combinations,
        section="values",
        intuition=(
            "Each output row is a weighted average of the value rows its query is allowed to see, with non-"
            "negative weights that add up to 1. So every output coordinate lies between the smallest and the "
            "largest admissible value in that column: attention selects and blends existing content rather than "
            "inventing new values, and masked keys, at weight zero, contribute nothing. New features come from "
            "the projections and the feed-forward layer around it."
        ),
    ),
    Claim(
        "mask.causal",
        "A causal mask gives the future zero weight, aligned bottom-right when L != S",
        r"M_{ij} = \begin{cases} 0 & j \le i + (S - L) \\ -\infty & \text{otherwise} \end{cases}",
        "proofs.causal_mask",
        F,
        masks.causal_hides_the_future,
        section="weights",
        figure="masks.png",
        intuition=(
            "In a decoder each token may attend only to itself and earlier tokens, so the mask puts minus "
            "infinity on every later key, giving it weight exactly zero; changing anything after token i never "
            "changes output row i. When there are fewer queries (L) than keys (S), as when new tokens attend a "
            "longer cache, the mask is aligned bottom-right: query i sees keys up to i + S - L, so the last query "
            "sees every key. With L = S this is the familiar rule j <= i."
        ),
    ),
    Claim(
        "mask.padding",
        "A padding mask removes keys; a row with no key left outputs zeros",
        r"\mathrm{Attn}(Q, K, V; m) = \mathrm{Attn}(Q, K_{m}, V_{m})",
        "proofs.padding_mask",
        F,
        masks.padding_removes_keys,
        section="weights",
        intuition=(
            "Batches pad short sequences to a common length, and the padding positions must not be attended. A "
            "padding mask gives those keys weight exactly zero, which is the same as deleting them: the result "
            "equals attention over the real keys only, so padding never dilutes the weights. If a query has no "
            "key left at all, its softmax would be 0/0; the convention used here returns an all-zero output row "
            "instead of NaN."
        ),
    ),
    Claim(
        "kv_cache.equivalence",
        "Decoding with cached K and V equals full causal attention; Q is never needed again",
        r"h_t = \mathrm{softmax}\left(\frac{q_t K_{\le t}^\top}{\sqrt{d_k}}\right) V_{\le t}",
        "proofs.kv_cache",
        F,
        masks.cache_matches_recompute,
        section="values",
        intuition=(
            "When generating, the output for token t needs only its own query and the keys and values of tokens 0 "
            "to t. Earlier queries never enter row t, so they can be discarded, while every later token will need "
            "the old keys and values again. Caching K and V and computing one new query per step therefore gives "
            "exactly the same outputs as rerunning full causal attention, without recomputing the past."
        ),
    ),
    Claim(
        "mask.decode_alignment",
        "At decode the causal mask stays on: new queries are the last rows of full causal attention",
        r"\mathrm{Attn}(Q_{S-L:S}, K, V; \mathrm{causal}) = \mathrm{Attn}(Q, K, V; \mathrm{causal})_{S-L:S}",
        "proofs.decode_mask",
        S,
        decoding.decode_keeps_the_mask_bottom_right,
        section="inference",
        intuition=(
            "During decoding the causal mask stays on; the bottom-right alignment only makes it look absent. A "
            "single new query is the last row of causal attention and may see the whole cache, so its mask row "
            "happens to be all zeros. When several new tokens are processed together, as in a prompt prefill or a "
            "chunk, they must not see each other's future, and the bottom-right mask gives exactly the last rows "
            "of full causal attention."
        ),
    ),
    Claim(
        "attention.permutation_equivariance",
        "Without positions or a mask, attention is permutation equivariant",
        r"\mathrm{Attn}(PX) = P\,\mathrm{Attn}(X)",
        "proofs.permutation",
        F,
        symmetry.permutation_equivariant,
        section="inference",
        intuition=(
            "Attention with no positional information and no mask has no notion of order: shuffling the input "
            "tokens shuffles the output rows the same way and changes nothing else, because each query's weights "
            "depend on which keys are present, not where they sit. Shuffling keys together with their values "
            "changes nothing at all. This is why positional encodings are needed; a causal mask also breaks the "
            "symmetry, because it is defined by position."
        ),
    ),
    Claim(
        "rnn.serial_dependency",
        "An RNN is a chain of n sequential steps; attention reaches every token in one",
        r"h_t = \tanh(x_t W_{xh} + h_{t-1} W_{hh} + b),\ \frac{\partial h_i^{\mathrm{attn}}}{\partial v_j} = p_{ij}",
        "proofs.rnn_serial",
        F,
        recurrence.rnn_is_a_chain_attention_is_one_step,
        section="recurrence",
        intuition=(
            "An RNN builds its state one token at a time: h_t needs h_(t-1), so n tokens take n steps that cannot "
            "run in parallel, and the influence of token s on h_t must pass through every step in between. "
            "Attention lets each output read every admissible value row directly, a path of one step whatever the "
            "distance, and computes all n outputs at once during training. At generation time both still produce "
            "one token per step."
        ),
    ),
    Claim(
        "rnn.long_range_gradients",
        "RNN gradients shrink like ||W||^t with distance; attention's do not depend on distance",
        r"\left\|\frac{\partial h_t}{\partial h_0}\right\| \le (\gamma \|W_{hh}\|)^t",
        "proofs.rnn_gradients",
        S,
        recurrence.rnn_gradients_vanish_attention_gradients_do_not,
        section="recurrence",
        figure="gradients.png",
        intuition=(
            "In an RNN the gradient from step t back to the start is a product of t step Jacobians, each bounded "
            "by the norm of the recurrent matrix because tanh never amplifies; when that matrix shrinks vectors, "
            "the signal decays geometrically with distance and far-away tokens are hard to learn from. In "
            "attention the gradient of an output with respect to a value row is its weight, which depends on "
            "content, not on distance. LSTM gates slow the decay but keep the sequential chain."
        ),
    ),
    Claim(
        "multihead.concat_projection",
        "Multi-head attention is Concat(heads) W_O, the sum of head_i W_O^(i)",
        r"\mathrm{Concat}(\mathrm{head}_1, \ldots, \mathrm{head}_h) W_O = \sum_{i=1}^{h} \mathrm{head}_i W_O^{(i)}",
        "proofs.multihead",
        F,
        heads.heads_concat_then_project,
        section="inference",
        intuition=(
            "Several heads run attention side by side, each with its own narrower projections, so each can learn "
            "its own pattern of where to look, such as the previous word or a related token far back. Their "
            "outputs are placed side by side and multiplied by W_O. Cutting W_O into one block of rows per head "
            "shows that this equals adding up each head's output times its own block: every head writes its "
            "contribution into the shared model dimension."
        ),
    ),
    Claim(
        "gqa.repeat_kv",
        "Grouped-query attention is multi-head attention with repeated KV heads",
        r"\mathrm{GQA}(Q, K, V) = \mathrm{MHA}(Q, \mathrm{repeat}_g(K), \mathrm{repeat}_g(V)),\ g = H_q / H_{kv}",
        "proofs.gqa",
        F,
        heads.grouped_query_is_repeated_kv,
        section="inference",
        intuition=(
            "Grouped-query attention keeps many query heads but fewer key/value heads, so the KV cache shrinks by "
            "the ratio of the two. It is ordinary multi-head attention in which each KV head is shared by a group "
            "of consecutive query heads: with 4 query heads and 2 KV heads, heads 0 and 1 read KV head 0 and "
            "heads 2 and 3 read KV head 1. Repeating each KV head in place gives this; tiling them in turn does "
            "not. Multi-query attention is the case of one KV head."
        ),
    ),
    Claim(
        "positions.rope",
        "RoPE makes scores depend only on the offset n - m",
        r"\langle R_m q, R_n k \rangle = \langle q, R_{n-m} k \rangle",
        "proofs.rope",
        S,
        positions.rope_scores_are_relative,
        section="inference",
        figure="rope.png",
        intuition=(
            "RoPE rotates each pair of query and key channels by an angle proportional to the token's position, "
            "at a different speed for each pair. Because rotations preserve lengths and their angles add, a query "
            "rotated for position m scored against a key rotated for position n equals the unrotated query "
            "against the key rotated by n - m. The score therefore depends on the relative offset, not the "
            "absolute positions, and the position signal sits inside the Q/K comparison rather than in X."
        ),
    ),
    Claim(
        "positions.sinusoidal",
        "Sinusoidal encodings: a shift is a rotation, dot products depend on p - q",
        r"PE(p + k) = T_k\, PE(p),\ PE(p) \cdot PE(q) = \sum_i \cos(\omega_i (p - q))",
        "proofs.sinusoidal",
        S,
        positions.sinusoidal_shifts_are_rotations,
        section="inference",
        intuition=(
            "The original Transformer adds to each embedding a vector of sines and cosines of the position at "
            "geometrically spaced frequencies. Moving k positions rotates each sine-cosine pair by a fixed angle "
            "that does not depend on the starting position, so a fixed linear map can express k tokens later. The "
            "dot product of two such encodings is a sum of cosines of the position difference, so it depends only "
            "on how far apart the tokens are."
        ),
    ),
    Claim(
        "positions.decode",
        "At decode each new token is rotated at its absolute position; shifting all positions changes nothing",
        r"\langle R_{m+c} q, R_{n+c} k \rangle = \langle R_m q, R_n k \rangle",
        "proofs.decode_positions",
        S,
        decoding.decoding_keeps_absolute_positions,
        section="inference",
        intuition=(
            "With RoPE the cache stores each key already rotated at its own position, so each new token must be "
            "rotated at its true absolute position t; restarting the count at 0 at every step would score it at "
            "the wrong offsets. Done correctly, decoding reproduces the full pass exactly. Shifting every "
            "position by the same amount changes no score, since only offsets matter, but positions must still "
            "advance consistently with how the model was trained."
        ),
    ),
    Claim(
        "positions.extrapolation",
        "A learned position table stops at its length; sinusoidal and RoPE are defined at every position",
        r"E \in \mathbb{R}^{L_{max} \times d},\ \|PE(p)\|^2 = \frac{d}{2},\ R_p^\top R_p = I \ \forall p",
        "proofs.position_range",
        S,
        decoding.only_formulas_extrapolate,
        section="followups",
        intuition=(
            "A learned position table has one trained row per position up to its maximum length and nothing "
            "beyond: a longer input has no embedding to read. Sinusoidal encodings and RoPE are formulas, defined "
            "at every position and with the same norm everywhere. Being defined is not the same as working well, "
            "and a model trained on short sequences may still degrade on longer ones, but only the formula-based "
            "schemes give it something to compute with."
        ),
    ),
    Claim(
        "kv_cache.memory",
        "KV-cache bytes = 2 x layers x kv_heads x seq_len x head_dim x bytes x batch",
        r"\mathrm{bytes} = 2 \cdot L \cdot H_{kv} \cdot n \cdot d_{head} \cdot b \cdot B",
        "proofs.kv_cache_memory",
        S,
        cache.cache_bytes_match_formula,
        section="inference",
        figure="kv_cache.png",
        intuition=(
            "For every layer, every key/value head and every token of every sequence in the batch, the cache "
            "keeps one key row and one value row of head_dim numbers; the factor 2 is K and V. Memory therefore "
            "grows linearly with sequence length and batch size: a 7B-class model in 16-bit precision holds about "
            "2 GiB per 4096-token sequence, so long contexts and large batches can rival the weights. Fewer KV "
            "heads, as in GQA, shrink the cache by the same factor."
        ),
    ),
    Claim(
        "cost.attention",
        "Attention costs O(n^2 d) time and O(n^2) memory per head; an RNN O(n d^2)",
        r"\mathrm{FLOPs} = 2 L S d_k + 2 L S d_v,\ \mathrm{memory} = L S",
        "proofs.cost",
        S,
        cost.attention_costs_quadratic,
        section="recurrence",
        intuition=(
            "Every query is compared with every key, so one head spends about 2 n^2 d_k operations on the scores "
            "and as many again mixing the values, and holds an n x n score matrix: time and memory grow with the "
            "square of the sequence length. An RNN spends about d^2 per token, O(n d^2) in total, but in n "
            "sequential steps. Attention does more work once n exceeds d, and buys parallel computation and a "
            "one-step path between any two tokens."
        ),
    ),
    Claim(
        "cost.multihead",
        "h heads of width d_model/h cost the same as one full-width head",
        r"h \left(2 n^2 \frac{d_{model}}{h} \cdot 2\right) + 8 n d_{model}^2 = 4 n^2 d_{model} + 8 n d_{model}^2",
        "proofs.multihead_cost",
        S,
        cost.heads_cost_one_full_head,
        section="inference",
        intuition=(
            "Splitting d_model into h heads of width d_model/h does not multiply the cost. The projections are "
            "d_model x d_model in total whatever h is, and each head's attention work is proportional to its "
            "width, so h narrow heads together cost what one full-width head does. The model gets h separate "
            "attention patterns at the same cost; what it gives up is width per head, since each pattern is "
            "computed in a smaller subspace."
        ),
    ),
    Claim(
        "cost.kv_cache",
        "With a KV cache, generating n tokens costs O(n^2 d); recomputing costs O(n^3 d)",
        r"\sum_{t=1}^{n} 4 t d = 2 n (n + 1) d,\ \sum_{t=1}^{n} 4 t^2 d = \frac{2}{3} n (n+1)(2n+1) d",
        "proofs.kv_cache_cost",
        S,
        cost.cache_makes_decoding_quadratic,
        section="followups",
        intuition=(
            "Without a cache, generating token t reruns attention over all t tokens, about t^2 d work, which sums "
            "to O(n^3 d) over n tokens. With a cache, step t scores one query against t stored keys and mixes t "
            "stored values, about t d work, for O(n^2 d) in total. The cache is what makes generation fast, but "
            "it does not make it parallel: tokens still come out one per step, and the cache grows by a key and a "
            "value row per token."
        ),
    ),
    Claim(
        "efficient.sliding_window",
        "Sliding-window attention is a band mask (w keys, the current one included): O(n w d)",
        r"M_{ij} = 0 \iff i - w < j \le i",
        "proofs.sliding_window",
        S,
        efficient.window_is_a_band_mask,
        section="followups",
        intuition=(
            "Sliding-window attention lets each query see only the last w tokens, itself included, so it is "
            "causal attention with a band-shaped mask: query i may attend key j when i - w < j <= i. Cost falls "
            "from O(n^2 d) to O(n w d), and the cache can be capped at w tokens. The trade-off is reach: "
            "information from further back arrives only indirectly, relayed through layers. With w at least n it "
            "is full causal attention again."
        ),
    ),
    Claim(
        "efficient.linear_attention",
        "Linear attention reorders the products for O(n d^2), but it is not softmax attention",
        r"\left(\phi(Q)\phi(K)^\top\right) V = \phi(Q)\left(\phi(K)^\top V\right)",
        "proofs.linear_attention",
        S,
        efficient.linear_attention_reassociates,
        section="followups",
        intuition=(
            "Linear attention replaces the softmax by a feature map phi on queries and keys, so each weight is "
            "phi(q) . phi(k) divided by the row's total. The products can then be regrouped: first form phi(K) "
            "transposed times V, a small d_k x d_v summary, and the n x n matrix is never built, so the cost is "
            "O(n d_k d_v). The regrouping is exact, but the model is a different one: its weights are not softmax "
            "weights and do not converge to them."
        ),
    ),
    Claim(
        "efficient.online_softmax",
        "Online (tiled) softmax with a running max and sum is exact attention",
        r"m' = \max(m, m_B),\ \ell' = e^{m - m'} \ell + \sum_{j \in B} e^{s_j - m'}",
        "proofs.online_softmax",
        F,
        efficient.online_softmax_is_exact,
        section="followups",
        intuition=(
            "Attention can be computed over blocks of keys without ever holding a full row of scores. Each query "
            "keeps a running maximum, a running sum of exponentials and a running weighted sum of values; when a "
            "block raises the maximum, the old sum and output are rescaled by exp(old max - new max). The final "
            "division gives exactly the same result as the full softmax for any block size; this idea underlies "
            "FlashAttention, which saves memory and memory traffic, not arithmetic."
        ),
    ),
)


def by_id(claim_id: str) -> Claim:
    """The claim with this id; KeyError naming the known ids otherwise."""
    for claim in CLAIMS:
        if claim.id == claim_id:
            return claim
    raise KeyError(f"unknown claim '{claim_id}'; known claims: {', '.join(c.id for c in CLAIMS)}")

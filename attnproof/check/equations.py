r"""Equations between matrices, vectors and entries, decided by evaluation (the shape and numeric rungs).

Which claim an equation states follows from what it mentions (heads, RoPE rotations, PE, a mask,
a permutation, ...). It is then evaluated in every setting that claim allows (row or column vectors,
heads and positions numbered from 1 or 0, either RoPE pairing) at two seeds. It is right if it holds
in one of them and, for row/column conventions, the one the document already uses.

Example:
    >>> from attnproof.check.parse import parse
    >>> decide(parse(r"\text{head}_i = \mathrm{Attention}(QW_i^Q, KW_i^K, VW_i^V)"), Document()).verdict.value
    'ok'
    >>> decide(parse(r"\langle R_m q, R_n k\rangle = \langle q, R_{m+n} k\rangle"), Document()).message
    'the RoPE score depends on the offset n - m only: R_m^\\top R_n = R_{n-m}'
"""

import functools
import itertools
import math
from collections.abc import Callable
from dataclasses import dataclass, replace
from fractions import Fraction
from functools import partial

from attnproof.check import complex_rope, settings, tree
from attnproof.check.decision import Decision, Document
from attnproof.check.evaluate import Setting
from attnproof.check.features import (
    ATTENDING,
    ENTRIES,
    MASKED_NAMES,
    WEIGHTS_ENTRIES,
    bare_vectors,
    causal_sum,
    complex_form,
    encoding_products,
    entries,
    exponential,
    gradients,
    is_masked,
    iverson,
    keyed_first,
    kinds,
    labelled_causal,
    matrices,
    names_and_sizes,
    prefix,
    previous_step,
    scale_free,
    scaled_mask,
    shift_constant,
)
from attnproof.check.finding import Verdict
from attnproof.check.glossary import size_name
from attnproof.check.heads import MULTIHEAD_OUTPUT, named_heads, per_token, summed_heads
from attnproof.check.model_sizes import ModelSizes
from attnproof.check.naming import names
from attnproof.check.notation import (
    PERMUTATIONS,
    angle_subscripts,
    any_base,
    biases_dropped,
    block_scores,
    block_statistics,
    bracket_entries,
    capital_outputs,
    causal_calls,
    encodings_applied,
    head_superscripts,
    inputs_named_otherwise,
    jacobian_at_scores,
    masks_by_use,
    merged_blocks,
    numbered_blocks,
    one_query,
    one_query_row,
    permuted_calls,
    positional_calls,
    positions_added,
    primed_steps,
    query_call,
    rotated_components,
    rotated_tildes,
    score_entries,
    self_attention_input,
    softmax_letters,
    starred_indices,
    starred_sums,
    weights_named_w,
    weights_of_input,
)
from attnproof.check.numeric import SIDES, Judgement, judge
from attnproof.check.show import show
from attnproof.check.tree import walk
from attnproof.check.worked import literal

SEEDS = (0, 1)


@dataclass(frozen=True)
class Variant:
    """One way to read the symbols: a setting builder and the convention it stands for."""

    build: Callable[[int], Setting]
    convention: str | None  # "row vectors" / "column vectors" when it decides one, else None
    tentative: bool = False  # a reading whose sides may differ in shape only because a name means something else
    order: str | None = None  # "key first" where its entries A_ij index key i, query j; else query first
    window: str | None = None  # for a sliding window: WINDOW_COUNTS of the reading


@dataclass(frozen=True)
class Topic:
    """A kind of equation: the claim it states, how to read it, and the statement to suggest."""

    claim: str
    variants: Callable[[tree.Relation], list[Variant]]
    hint: str
    message: str  # what the correct statement says, for a wrong one


SCORES = {"S", "s", "e", "E", "omega", "Omega"}  # names of the scores, before the scaling where sqrt(d_k) follows


def attention_variants(relation: tree.Relation) -> list[Variant]:
    """Every reading of one head of attention the formula's notation allows: row or column vectors, indices
    from 1 or 0, and the readings particular notations need (see settings.attention)."""
    found = names(relation)
    masked = is_masked(relation)
    options = {
        "masked": (masked, True) if not masked and any(isinstance(n, tree.Cases) or prefix(n) or causal_sum(n)
                                                       for n in walk(relation))
        else (masked,),  # a_ij = 0 whenever j > i, q_t K_{1:t}^T or \sum_{j=1}^{t}: weights of masked attention
        "one_token": (False, True) if bare_vectors(relation) else (False,),  # q . k: one token's vectors
        "raw_scores": (False, True) if "score" in found else (False,),  # score(x_i, x_j): scaled or not
        "linear_kernel": (False, True) if "sim" in found else (False,),  # sim(q, k): softmax or feature map
        "unscaled": (False, True) if scale_free(relation) else (False,),  # softmax(QK^T)V, before scaling
        "shift": (None, shift) if (shift := shift_constant(relation)) else (None,),  # e^{s_i - m}: any constant m
        "masked_scores": (False, True) if masked else (False,),  # e_ij = q_i . k_j if j <= i, -inf otherwise
        "d_is_width": (False, True) if "D" in names_and_sizes(relation) else (False,),  # D: key or model width
        "primed_weights": (False, True) if found & {"alpha'", "a'"} else (False,),  # alpha' = softmax(alpha)
        "linear_outputs": (False, True) if "phi" in found else (False,),  # y_i = phi(q_i)^T ... / ...
        "linear_states": (False, True) if "phi" in found and found & {"S", "z", "Z", "V'", "v'", "out"}
        else (False,),  # S_i = sum_{j <= i} phi(K_j) V_j^T, V'_i = phi(Q_i)^T S_i / phi(Q_i)^T z_i
        "raw_s": (False, True) if found & SCORES and any(isinstance(n, tree.Sqrt) for n in walk(relation))
        else (False,),  # S_ij / sqrt(d_k): S before the scaling
        "binary_mask": (False, True) if masked and any(isinstance(n, tree.Sub) and n.left == tree.Num("1") or iverson(n)
                                                       for n in walk(relation)) else
        (True, "masked") if masked and any(scaled_mask(n) for n in walk(relation)) else (False,),  # (1 - m_ts)(-10^9),
        # mask * (-10^9): ones where a query may attend, or where it may not
        "row_form": (False, True) if isinstance(relation.items[0], tree.Transpose) else (False,),  # Y^T = ...: rows
        "infinite_mask": (any(isinstance(n, tree.Infinity) for n in walk(relation)),),  # Mask(i, j) = -inf if j > i
        "causal_weights": (False, True) if any(isinstance(n, tree.Div) and any(causal_sum(s) for s in walk(n.den))
                                               for n in walk(relation.items[-1])) else (False,),  # / \sum_{j'=0}^{i}
    }
    bare = len(options["one_token"]) > 1  # q, k without subscripts: one token's vectors, or nanoGPT's matrices
    variants = [Variant(partial(settings.attention, columns=columns, base=base, **chosen),
                        "column vectors" if columns else "row vectors", tentative=bare and not chosen["one_token"])
                for columns in (False, True) for base in (1, 0) for chosen in choices(options)]
    if found & {"Q", "K", "V"} and found & {"x", "X"}:  # q_i = Q x_i, XQ^T: CS224n's Q, K, V are projections
        variants += [Variant(partial(settings.attention, columns=columns, masked=masked, base=base,
                                     weights_named_qkv=True, unscaled=unscaled, query_rows=query_rows), None)
                     for columns, query_rows in ((True, False), (True, True), (False, False)) for base in (1, 0)
                     for unscaled in options["unscaled"]]
    if found & {"x", "X"} and not found & {"q", "k", "v", "Q", "K", "V", "W_q", "W_k", "W_v", "d_k"}:
        variants += [Variant(partial(settings.plain, base=base, columns=columns),
                             "column vectors" if columns else "row vectors")
                     for columns in (False, True) for base in (1, 0)]  # a_nm from x_n . x_m
    if masked:
        variants += [Variant(lambda seed, r=r, c=c: settings.causal_mask_only(r, c), None)
                     for r, c in matrices(relation)]  # M written out as a matrix
    if found & {"Sa", "Omega", "beta"} or any(isinstance(n, tree.Call) and n.name in {"Q", "K", "V", "a"}
                                               for n in walk(relation)):
        variants += [Variant(partial(settings.prince, base=base), None) for base in (1, 0)]  # Q[X], Sa[X]
    scored = sorted(found & set(settings.SCORE_VECTORS)) or ["x"]  # p = softmax(s): the probabilities of those scores
    return variants + [Variant(partial(settings.softmax_vectors, columns=columns, of=of), None)
                       for columns in (False, True) for of in scored] + [Variant(settings.vectors, None)]


def keys_first_variants(relation: tree.Relation) -> list[Variant]:
    """In a text that puts tokens in columns, its entries may index the n_k x n_q matrices key first too."""
    masked = is_masked(relation)
    readings = (masked, True) if not masked and any(isinstance(n, tree.Cases) for n in walk(relation)) else (masked,)
    return attention_variants(relation) + [
        Variant(partial(settings.attention, columns=True, base=base, masked=reading, keys_first=True),
                "column vectors", order="key first") for base in (1, 0) for reading in readings]  # a_ij = 0 if i > j


def choices(options: dict[str, tuple]) -> list[dict]:
    """Every combination of the options' values: {"a": (F, T), "b": (F,)} -> [{a: F, b: F}, {a: T, b: F}]."""
    return [dict(zip(options, values, strict=True)) for values in itertools.product(*options.values())]


def multihead_variants(relation: tree.Relation) -> list[Variant]:
    masked = labelled_causal(relation)  # MHA_causal(X); M may count heads here
    return [Variant(partial(settings.multihead, columns=columns, base=base, masked=masked),
                    "column vectors" if columns else "row vectors")
            for columns in (False, True) for base in (1, 0)]


def rope_variants(relation: tree.Relation) -> list[Variant]:
    readings = (False, True) if names(relation) & {"x", "W_q", "W_k"} else (False,)
    block = [Variant(settings.rope_block, None)] if matrices(relation) else []
    plane = [Variant(complex_rope.one_pair, None)] + [Variant(partial(complex_rope.pairs, base=base), None)
                                                      for base in (0, 1)] if complex_form(relation) else []
    return [Variant(lambda seed, h=half, b=base, e=embedded: settings.rope(seed, h, b, e), None)
            for embedded in readings for half in (False, True) for base in (1, 0)] + block + plane


def sinusoidal_variants(relation: tree.Relation) -> list[Variant]:
    r"""The paper's table; and where every letter is in the angle of a sine or cosine (`\sin(\omega(p + k))`: no
    table, no base 10000 written), every letter a number, as the identity is meant for any (omega_i: one for each
    i, which stays an index)."""
    indices = {id(n) for s in walk(relation) if isinstance(s, tree.Script) for item in s.sub for n in walk(item)}
    letters = frozenset(n.name for n in walk(relation) if isinstance(n, tree.Name) and id(n) not in indices)
    angles = {n.name for call in walk(relation) if isinstance(call, tree.Call) and call.name in {"sin", "cos"}
              for n in walk(call) if isinstance(n, tree.Name)}
    symbolic = bool(angles) and letters <= angles and \
        not any(isinstance(n, tree.Num) and float(n.text.replace(",", "")) >= 100 for n in walk(relation))
    return [Variant(settings.sinusoidal, None)] + \
        ([Variant(partial(settings.trigonometric, letters=letters), None)] if symbolic else [])


def concatenated_variants(relation: tree.Relation) -> list[Variant]:
    """In a text that lays the sines and cosines out in halves (as the TensorFlow tutorial does), that too."""
    return sinusoidal_variants(relation) + [Variant(partial(settings.sinusoidal, halves=True), None)]


PROJECTION = Topic("qkv.shapes", attention_variants, r"Q = XW^Q,\quad K = XW^K,\quad V = XW^V",
                   "queries, keys and values are X projected by their own matrices: Q = XW^Q, K = XW^K, V = XW^V")
DEFINITION = Topic("attention.definition", attention_variants,
                   r"\mathrm{Attention}(Q, K, V) = \mathrm{softmax}\left(\frac{QK^\top}{\sqrt{d_k}}\right)V",
                   "attention is softmax(QK^T / sqrt(d_k)) V: scores scaled by 1/sqrt(d_k), softmax over the keys, "
                   "then the weights times V")
WEIGHTS = Topic("attention.definition", attention_variants,
                r"\alpha_{ij} = \frac{\exp(q_i \cdot k_j / \sqrt{d_k})}{\sum_{l} \exp(q_i \cdot k_l / \sqrt{d_k})}",
                "query i's weight on key j is exp(q_i . k_j / sqrt(d_k)), normalised over the keys j")
DISTRIBUTION = Topic("softmax.distribution", attention_variants,
                     r"\sum_j \alpha_{ij} = 1,\quad \mathrm{softmax}(x)_i = \frac{e^{x_i}}{\sum_j e^{x_j}}",
                     "each query's weights are a softmax over the keys: non-negative, summing to 1 over j")
SATURATION = Topic("softmax.saturation", attention_variants,
                   r"J = \mathrm{diag}(p) - pp^\top,\quad J_{ij} = p_i(\delta_{ij} - p_j)",
                   "the softmax's Jacobian is diag(p) - p p^T: p_i (delta_ij - p_j)")
LIMITS = Topic("softmax.saturation", lambda relation: [Variant(settings.temperature, None)],
               r"\lim_{T \to 0^+} \mathrm{softmax}(z / T) = e_{i^\ast},\quad "
               r"\lim_{T \to \infty} \mathrm{softmax}(z / T) = \tfrac{1}{n}\mathbf{1}",
               "as the temperature T goes to 0 the softmax of z/T tends to the one-hot vector of the largest score "
               "(and its Jacobian to 0); as T grows, to the uniform 1/n")
MASK = Topic("mask.causal", attention_variants,
             r"M_{ij} = \begin{cases} 0 & j \le i \\ -\infty & j > i \end{cases},\quad "
             r"\mathrm{softmax}\left(\frac{QK^\top}{\sqrt{d_k}} + M\right)V",
             "the causal mask is added to the scores before the softmax: 0 where key j <= query i, -inf where j > i")
PERMUTATION = Topic("attention.permutation_equivariance", attention_variants,
                    r"\mathrm{Attention}(PQ, PK, PV) = P\,\mathrm{Attention}(Q, K, V)",
                    "without positions, permuting the tokens permutes the outputs the same way")
MASKED_PERMUTATION = replace(PERMUTATION, message="a causal mask lets token i see only the tokens before it, so "
                             "permuting the tokens does not permute the outputs: attention is permutation equivariant "
                             "only without a mask and positions")
MULTIHEAD = Topic("multihead.concat_projection", multihead_variants,
                  r"\mathrm{MultiHead}(Q, K, V) = \mathrm{Concat}(\mathrm{head}_1, \dots, \mathrm{head}_h)W^O,\quad "
                  r"\mathrm{head}_i = \mathrm{Attention}(QW_i^Q, KW_i^K, VW_i^V)",
                  "multi-head attention concatenates the h heads, each attention on its own projections, "
                  "then applies W^O")
ROPE = Topic("positions.rope", rope_variants,
             r"\langle R_m q, R_n k \rangle = \langle q, R_{n-m} k \rangle,\quad \theta_i = 10000^{-2(i-1)/d}",
             r"the RoPE score depends on the offset n - m only: R_m^\top R_n = R_{n-m}")
LINEAR = Topic("efficient.linear_attention", attention_variants,
                r"\phi(Q)\left(\phi(K)^\top V\right) = \left(\phi(Q)\phi(K)^\top\right)V,\quad "
                r"\phi(x) = \mathrm{elu}(x) + 1",
                "linear attention regroups phi(Q) phi(K)^T V as phi(Q)(phi(K)^T V); with a feature map phi it is not "
                "softmax attention")
WINDOW_COUNTS = {False: "with the query's own key among them", True: "all before the query's own"}
WINDOW = Topic("efficient.sliding_window",
               lambda relation: [Variant(partial(settings.window_mask, base=base, previous=previous), None,
                                         window=WINDOW_COUNTS[previous])
                                 for base in (1, 0) for previous in (False, True)],
               r"M_{ij} = \begin{cases} 0 & i - w < j \le i \\ -\infty & \text{otherwise} \end{cases}",
               "a sliding window lets query i see only the w most recent keys, itself included: i - w < j <= i")
OUTPUTS = ("normalised", "unnormalised", "divided at the end")  # the online softmax's o, per block and whole
ONLINE = Topic("efficient.online_softmax",
               lambda relation: [Variant(partial(settings.online_softmax, base=base, outputs=outputs), None)
                                 for base in (1, 0) for outputs in OUTPUTS],
               r"m_j = \max(m_{j-1}, x_j),\quad \ell_j = \ell_{j-1} e^{m_{j-1} - m_j} + e^{x_j - m_j}",
               "the online softmax keeps the running maximum m_j and rescales the running sum (and output) by "
               "e^{m_{j-1} - m_j} whenever the maximum grows")
SINUSOIDAL = Topic("positions.sinusoidal", sinusoidal_variants,
                   r"PE_{(pos, 2i)} = \sin\left(pos / 10000^{2i/d_{model}}\right),\quad "
                   r"PE_{(pos, 2i+1)} = \cos\left(pos / 10000^{2i/d_{model}}\right)",
                   "even channels 2i are sin(pos / 10000^(2i/d_model)), odd channels 2i+1 the cos of the same angle")


def topic(relation: tree.Relation) -> Topic | None:
    """The claim an equation states, from the symbols and functions it uses."""
    found = names(relation)
    weights = found & {"alpha", "a", "A", "softmax", "alpha'", "a'"}
    if "layernorm" in found:
        return None  # Z = LN(X + MHA(X)): a block's wiring, not a claim of attention's
    if any(isinstance(n, tree.Limit) for n in walk(relation)):
        return LIMITS  # lim_{T -> 0+} softmax(z / T) = e_{i*}
    if complex_form(relation):
        return ROPE
    if any(isinstance(n, tree.Call) and n.name in {"phi", "elu"} for n in walk(relation)):
        return LINEAR  # phi(K): a feature map (a bare phi may be an offset, PE_{t + phi})
    running = found & {"l", "ell", "acc", "max", "o", "l'", "o'"} | ({"d"} if previous_step(relation, "d") else set())
    merged = block_statistics(numbered_blocks(relation))
    if (found & {"m", "m'"} and running or merged) and not found & {"M", "W_q", "Q", "K"}:
        return ONLINE  # m_j = max(m_{j-1}, x_j), l_j = l_{j-1} e^{m_{j-1} - m_j} + e^{x_j - m_j}
    if weights and any(isinstance(item, tree.Num) for item in relation.items) and "M" not in found:
        return DISTRIBUTION  # \sum_j \alpha_{ij} = 1
    if found & {"alpha", "a", "A", "alpha'", "A'"} and found & {"v", "V", "x"} and \
            not found & {"multihead", "concat", "W_o", "softmax"} and "head-weights" not in kinds(relation):
        return DEFINITION  # head_i = \sum_j alpha_{ij} v_j (SLP3 calls one position's output a head); not z_h =
        # A_h x W_h^V, head h's output from its own value projection
    if found & {"multihead", "concat", "head", "W_o"} or \
            (found & {"attention", "softmax"} and "per-head" in kinds(relation)) \
            or "head-weights" in kinds(relation):
        return MULTIHEAD
    if found & {"R", "theta"} and ("rope-like" in kinds(relation) or matrices(relation)) or \
            found & {"rope", "rotate_half"}:
        return ROPE
    if found & {"PE", "div_term"} or "omega" in found and not entries(relation, {"omega"}) or \
            "pe-like" in kinds(relation) or encoding_products(relation, found):
        return SINUSOIDAL
    if found & PERMUTATIONS and (found & {"attention", "f", "Sa", "linear_attention", "Z", "Y", "weights"} or any(
            isinstance(n, tree.Call) and n.name in {"Q", "K", "V"} for n in walk(relation))):
        return PERMUTATION  # Sa[XP] = Sa[X]P, and Prince's projections, Q[XP] = Q[X]P
    if found & {"M", "mask"} and names_and_sizes(relation) & {"w", "W"} and not found & {"Q", "K", "V", "softmax"}:
        return WINDOW  # M_ij = 0 if i - w < j <= i
    if is_masked(relation) or any(n.endswith(("_tilde", "_masked")) for n in found & MASKED_NAMES) and \
            any(isinstance(n, tree.Relation | tree.Cases | tree.Infinity) for n in walk(relation.items[-1])):
        return MASK  # M, mask, B (PyTorch's attn_bias), an entry m_ts; S_tilde where some keys are cut (not
        # Gemma 2's soft cap, s_tilde = c tanh(s / c))
    if found & {"Q", "K", "V", "q", "k", "v"} and found & {"X", "x", "H"} and (found & {"W_q", "W_k", "W_v"} or not
                                                                                found & ATTENDING):
        return PROJECTION
    if found & {"J", "J_beta"} and found & {"p", "p_beta", "diag", "delta"}:
        return SATURATION
    if "softmax-vector" in kinds(relation):
        return DISTRIBUTION
    if found & {"alpha", "a", "A"} and not found & {"V", "v"} and "attention" not in found:
        return WEIGHTS if found & {"q", "k", "Q", "K", "e", "s", "S", "x", "X"} else DISTRIBUTION
    if found & {"softmax", "attention", "alpha", "S", "Sa"} or {"q", "k"} <= found or {"Q", "K"} <= found or \
            "sigma" in found and found & {"W_q", "Q", "q"}:
        return DEFINITION
    return None


def unequal(relation: tree.Relation, document: Document) -> Decision | None:
    r"""`\mathrm{softmax}(cx) \ne \mathrm{softmax}(x)`: not equal in general, which a point where the two sides
    differ shows; wrong if they agree at every point checked. Sides of different shapes show nothing."""
    equal = decide(tree.Relation(relation.items, ("=",)), document)
    if equal is None or equal.verdict not in {Verdict.OK, Verdict.WRONG}:
        return equal
    if equal.verdict is Verdict.OK:
        return Decision(Verdict.WRONG, equal.claim, f"the two sides are equal: {equal.message}",
                        hint=f"{show(relation.items[0])} = {show(relation.items[1])}",
                        counterexample=equal.message, rung=equal.rung)
    if equal.rung == "shapes":
        return Decision(Verdict.UNRECOGNISED, equal.claim, "the two sides have different shapes, so they differ "
                        "trivially: the formula says nothing about attention")
    return Decision(Verdict.OK, equal.claim, f"the two sides differ: {equal.counterexample}", rung=equal.rung)


# names that make a formula more than a projection


# a text's own notations, read as the settings' in this order before the topic is chosen
NOTATIONS = (head_superscripts, capital_outputs, biases_dropped, inputs_named_otherwise, masks_by_use,
             jacobian_at_scores, softmax_letters, starred_sums, weights_of_input, permuted_calls, bracket_entries,
             score_entries, positional_calls, causal_calls, weights_named_w, query_call, one_query)


def decide(relation: tree.Relation, document: Document) -> Decision | None:
    """Evaluate `left = right` in each setting its topic allows; None when no topic fits."""
    if relation.ops == ("ne",) and len(relation.items) == 2:
        return unequal(relation, document)
    if relation.ops[0] not in {"=", "approx", "le", "lt", "ge", "gt"}:
        return None
    relation = summed_heads(relation) or functools.reduce(lambda read, notation: notation(read), NOTATIONS, relation)
    subject = topic(relation)
    if subject is None or worked_example(relation):
        return None
    if gradients(relation):
        return Decision(Verdict.UNRECOGNISED, subject.claim, "gradients of the backward pass (dS, dP), which the "
                        "checker does not evaluate")
    relation = sized(relation, document)
    if any(literal_scale(n) for n in walk(relation)):
        return Decision(Verdict.UNRECOGNISED, subject.claim, "a scale written as a number that is none of the head "
                        "widths the document states, so random sizes cannot check it")
    if subject is not ONLINE and recurrence(relation) and not (subject is LINEAR and running_state(relation)):
        return Decision(Verdict.UNRECOGNISED, subject.claim, "a running quantity defined by its previous value (as "
                        "linear attention's state S_i = S_{i-1} + ...): not one the checker knows by this name")
    left = relation.items[0]
    bracketed = isinstance(left, tree.Call) and len(left.args) == 2 and left.name in ENTRIES | {"mask"}  # S[t_z, t_x]
    if relation.ops == ("=",) and (entries(relation) and isinstance(left, tree.Script) or bracketed) and \
            relation.items[1] in {tree.Num("0"), tree.Neg(tree.Infinity())}:
        return Decision(Verdict.UNRECOGNISED, subject.claim, "an entry's value under a condition the text states in "
                        "words (a padded key, a future position): the formula alone does not say where it holds")
    relation = positions_added(self_attention_input(relation))
    if subject is LINEAR and left in OUTPUT_LETTERS and relation.ops == ("=",) and len(relation.items) == 2 and \
            not names(relation.items[1]) & {"softmax", "exp", "attention"}:
        return Decision(Verdict.UNRECOGNISED, subject.claim, "a name the text gives linear attention's product "
                        "(Z = phi(Q)(phi(K)^T V)): a definition, with nothing to check it against")
    if subject is MULTIHEAD:
        relation = named_heads(per_token(relation))
        if names(relation) & PERMUTATIONS:  # MHA(\Pi X) = \Pi MHA(X): equivariance, read with the heads
            subject = replace(MULTIHEAD, claim=PERMUTATION.claim, hint=PERMUTATION.hint,
                              message=(MASKED_PERMUTATION if labelled_causal(relation) else PERMUTATION).message)
    if subject is PERMUTATION and is_masked(relation):
        subject = MASKED_PERMUTATION
    if subject is LIMITS:
        relation = starred_indices(relation)
    if subject is ONLINE:
        relation = numbered_blocks(block_scores(one_query_row(relation)))
        relation = merged_blocks(relation) if block_statistics(relation) else primed_steps(relation)
    if subject is ROPE:
        relation = angle_subscripts(relation if complex_form(relation) else rotated_tildes(relation))  # q e^{i m
        # theta} is the complex form's own tilde q
        relation = any_base(rotated_components(relation))
    if subject is SINUSOIDAL:
        relation = encodings_applied(relation)
    if subject is SINUSOIDAL and document.sines_then_cosines:
        subject = replace(SINUSOIDAL, variants=concatenated_variants)
    if subject.variants is attention_variants and (document.convention == "column vectors" or keyed_first(relation)
                                                   or document.index_order == "key first" and
                                                   entries(relation, WEIGHTS_ENTRIES)):
        subject = replace(subject, variants=keys_first_variants)
    outcomes = [(v, [unread(j) if v.tentative and j.rung == SIDES else j for j in js])
                for v, js in evaluate_all(relation, subject)]
    judged = [j for _, js in outcomes for j in js]
    left = relation.items[0]
    lone = tree.named(left)
    unknown_left = all(j.holds is None for j in judged)
    if not any(j.holds for j in judged) and (unknown_left or lone and any(j.rung == SIDES for j in judged)):
        outcomes = stand_ins(relation, subject) or [(v, [j if j.rung != SIDES else unread(j) for j in js])
                                                    for v, js in outcomes]
    holding = [v for v, judged in outcomes if all(j.holds for j in judged)]
    failing = [(v, next(j for j in judged if j.holds is False)) for v, judged in outcomes
               if any(j.holds is False for j in judged)]
    if holding:
        return accept(subject, holding, failing, document, relation)
    if failing:
        variant, judgement = preferred(failing, document)
        return reject(subject, variant, judgement)
    reasons = sorted({j.reason for _, judged in outcomes for j in judged if j.reason})
    return Decision(Verdict.UNRECOGNISED, subject.claim, "could not evaluate: " + (reasons[0] if reasons else "?"))


HEAD_WIDTHS = ("d_k", "d_head")  # the names a document's bindings hold a head's width under (scalars.binding)


def sized(relation: tree.Relation, document: Document) -> tree.Relation:
    r"""`q_i^\top k_j / \sqrt{256}`, `/ 16` where the document's head width is 256: the number is d_k (or its square
    root), as the text means it, and `/ \sqrt{768}` where its model width is 768 is d_model's root; random sizes then
    check the formula. A text that states the model's width and its heads, not the head width, has heads of the
    width over the heads (GPT-2 small: 768 over 12 heads, 64)."""
    model = document.model or ModelSizes()
    model_width = document.bindings.get("d_model") or (Fraction(model.width) if model.width else None)
    heads = document.bindings.get("h") or (Fraction(model.heads) if model.heads else None)
    width = next((document.bindings[name] for name in HEAD_WIDTHS if name in document.bindings), None)
    if width is None and model.head_dim:
        width = Fraction(model.head_dim)  # "heads of size 256" in the text's model description
    if width is None and model_width and heads:
        width = model_width / heads
    table = {}
    if model_width and model_width.denominator == 1 and model_width != width:
        table[tree.Sqrt(tree.Num(str(model_width.numerator)), None)] = tree.Sqrt(D_MODEL_NAME, None)  # sqrt(768)
    if width and width.denominator == 1:
        table |= {tree.Sqrt(tree.Num(str(width.numerator)), None): tree.Sqrt(D_K_NAME, None),
                  tree.Num(str(width.numerator)): D_K_NAME}  # q . k / 256: divided by d_k itself
        root = math.isqrt(width.numerator)
        if root * root == width.numerator:
            table[tree.Num(str(root))] = tree.Sqrt(D_K_NAME, None)
    return replace_scales(relation, table) if table else relation


D_K_NAME, D_MODEL_NAME = size_name("d_k"), size_name("d_model")


def replace_scales(node, table: dict):
    """Denominators and square roots found in `table`, replaced."""
    if isinstance(node, tree.Div) and node.den in table:
        return tree.Div(replace_scales(node.num, table), table[node.den])
    if isinstance(node, tree.Sqrt) and node in table:
        return table[node]
    return tree.rebuilt(node, lambda child: replace_scales(child, table))


def literal_scale(node: tree.Node) -> bool:
    """sqrt(64), or a division by 8: a head width (or its root) written as a number."""
    if isinstance(node, tree.Sqrt) and isinstance(node.arg, tree.Num) and node.arg.text not in {"1", "2"}:
        return True
    return isinstance(node, tree.Div) and isinstance(node.den, tree.Num) and node.den.text not in {"1", "2"} and \
        not isinstance(node.num, tree.Num)


def recurrence(relation: tree.Relation) -> bool:
    r"""`S_i = S_{i-1} + \phi(K_i) V_i^\top`, `z_i = z_{i-1} + \phi(K_i)`: the left side's name at the step
    before on the right: a running state, whatever the settings call that letter."""
    left = relation.items[0]
    if not (isinstance(left, tree.Script) and isinstance(left.base, tree.Name) and len(left.sub) == 1 and
            isinstance(step := left.sub[0], tree.Name)):
        return False
    return any(isinstance(n, tree.Script) and n.base == left.base and n.sup == left.sup and len(n.sub) == 1 and
               isinstance(n.sub[0], tree.Sub) and n.sub[0].left == step and isinstance(n.sub[0].right, tree.Num)
               for item in relation.items[1:] for n in walk(item))


LINEAR_STATES = {tree.Name(name) for name in ("S", "s", "z", "Z")}
OUTPUT_LETTERS = {tree.Name(name) for name in ("Z", "Y", "O")}  # softmax attention's output, in the settings


def running_state(relation: tree.Relation) -> bool:
    """`S_i = S_{i-1} + ...`, `z_i = z_{i-1} + ...`: causal linear attention's state or normaliser, which the
    settings know as their running sums (S_0 = 0)."""
    return isinstance(relation.items[0], tree.Script) and relation.items[0].base in LINEAR_STATES


def worked_example(relation: tree.Relation) -> bool:
    r"""`\frac{q_1 \cdot k_1}{\sqrt{64}} = 14`, `A \approx \begin{bmatrix} 0.20 & 0.80 \\ \dots \end{bmatrix}`: the
    document's own numbers, which random values cannot check (0 and 1, as in \sum_j \alpha_{ij} = 1, and a mask
    written out in 0, 1 and -inf or -10^9, are structure, not data)."""
    numbers = [item for item in relation.items if not any(isinstance(n, tree.Name | tree.Infinity) for n in walk(item))]
    return any(not (isinstance(item, tree.Num) and item.text in {"0", "1"}) and
               (not isinstance(item, tree.Matrix) or any(not structural(entry) for row in item.rows for entry in row))
               for item in numbers)


def structural(entry: tree.Node) -> bool:
    """A mask's or a pattern's entry: 0, 1 or a masking constant such as -10^9 (a dotted entry is no number)."""
    value = literal(entry)
    return value is None or value in {0.0, 1.0} or value <= -1e4


def unread(judgement: Judgement) -> Judgement:
    """Sides of different shapes, and no reading of the left name fits: it names something else here."""
    return Judgement(None, None, f"the left side names something else here ({judgement.reason})")


def evaluate_all(relation: tree.Relation, subject: Topic) -> list[tuple[Variant, list[Judgement]]]:
    return [(variant, [judge(relation, variant.build(seed)) for seed in SEEDS]) for variant in
            subject.variants(relation)]


NAMED_RESULTS = {"softmax": (tree.Name("A"), tree.Name("Z")), "attention": (tree.Name("Z"),),
                 "W_o": (MULTIHEAD_OUTPUT,), "concat": (MULTIHEAD_OUTPUT,), "multihead": (MULTIHEAD_OUTPUT,),
                 "head": (MULTIHEAD_OUTPUT,)}  # Z = \sum_i head_i: the layer's output, if anything


def stand_ins(relation: tree.Relation, subject: Topic) -> list[tuple[Variant, list[Judgement]]] | None:
    r"""`\text{out} = \mathrm{softmax}(...)V`: a name the settings do not know, defined by a softmax,
    attention or a concatenation of heads, stands for the weights or the output (whichever fits)."""
    left, right = relation.items
    if not tree.named(left):
        return None
    used = names(right)
    candidates = [c for name, results in NAMED_RESULTS.items() if name in used for c in results]
    if used & {"alpha", "a", "A", "alpha'", "A'"} and used & {"v", "V"}:
        candidates.append(tree.Name("Z"))  # O = V A': the weights applied to the values
    if not candidates and (used & {"Q", "K"} or whole(relation) & {"q", "k"}) and not used & {"V", "v", "softmax"}:
        candidates = [tree.Name("S"), tree.Mul(tree.Name("Q"), tree.Transpose(tree.Name("K")), "")]  # scores
    values = [value for value, _ in right.branches] if isinstance(right, tree.Cases) else [right]
    if not candidates and subject is MASK and isinstance(left, tree.Script) and len(left.base.name) > 1 and \
            values == [tree.Neg(tree.Infinity())]:
        candidates = [tree.Name("S")]  # wei[t, t'] = -inf for t' > t: a code array's masked entry of the scores
    if isinstance(left, tree.Script) and left.sub:
        entry = {"Z": "z", "S": "S"}  # an entry of the output, or of the scores (G_ij = K_i . Q_j / sqrt(d_k))
        candidates = [tree.Script(tree.Name(entry.get(c.name, "alpha")), sub, None)
                      for c in candidates if isinstance(c, tree.Name)
                      for sub in (left.sub, *([reversed_indices(left.sub)] if c.name == "S" and
                                              reversed_indices(left.sub) else []))]
        if exponential(right):  # y_i = e^{x_i} / \sum_j e^{x_j}: the softmax of x (or of the scores it names)
            candidates += [tree.Script(tree.Call("softmax", (tree.Name(letter),)), left.sub, None)
                           for letter in sorted(used & set(settings.SCORE_VECTORS)) or ["x"]]
        if exponential(right) and used & {"q", "k", "Q", "K"} and (swapped := reversed_indices(left.sub)):
            candidates += [tree.Script(tree.Name("alpha"), left.sub, None),  # w_{ji} = e^{q_i . k_j} / ...: a new
                           tree.Script(tree.Name("alpha"), swapped, None)]  # name's two indices, in either order
        if used & {"phi", "sim"}:  # V'_i = phi(Q_i)^T \sum_j phi(K_j) V_j^T / ...: linear attention's output
            candidates.append(tree.Script(tree.Name("z_linear"), left.sub, None))
        if "sim" in used:  # V'_i = \sum_j sim(Q_i, K_j) V_j / \sum_j sim(Q_i, K_j): with exp, attention's output
            candidates.append(tree.Script(tree.Name("z"), left.sub, None))
        if used & {"alpha", "a"} and used & {"v", "V"}:  # head_i = \sum_j alpha_{ij} v_j: the output
            candidates.append(tree.Script(tree.Name("z"), left.sub, None))
        if subject is MULTIHEAD:  # out_h = softmax(Q_h K_h^T / sqrt(d_k)) V_h: head h's output
            candidates.append(tree.Script(tree.Name("head"), left.sub, None))
    tried = []
    for candidate in candidates:
        outcomes = evaluate_all(tree.Relation((candidate, right), relation.ops), subject)
        judged = [j for _, js in outcomes for j in js]
        if any(j.holds for j in judged):
            return outcomes
        if any(j.holds is False and (j.rung == "numeric" or candidate == MULTIHEAD_OUTPUT and j.rung == SIDES)
               for j in judged) or unmultipliable(outcomes):
            tried.append(outcomes)  # Y = head_0 + head_1: the heads' sum, d_v wide, is not the layer's d_model
    return tried[0] if tried else None


def unmultipliable(outcomes: list[tuple[Variant, list[Judgement]]]) -> bool:
    """H = softmax(Q^T K / sqrt(d)) V: a matrix product on the right that neither rows nor columns as tokens can form;
    the formula is wrong whatever the new name on the left stands for. A product only one convention was read in, or
    a list or a bias vector that does not fit, says less: the checker may have misread it."""
    decided = [(variant.convention, j) for variant, js in outcomes for j in js if j.holds is not None]
    return bool(decided) and all(j.at_product for _, j in decided) and \
        {"row vectors", "column vectors"} <= {convention for convention, _ in decided}


def reversed_indices(sub: tuple[tree.Node, ...]) -> tuple[tree.Node, ...] | None:
    """(j, i) -> (i, j), and the one-item ji -> ij; None unless there are two indices."""
    if len(sub) == 2:
        return sub[::-1]
    if len(sub) == 1 and isinstance(sub[0], tree.Mul) and sub[0].op == "" and \
            all(isinstance(n, tree.Name) for n in (sub[0].left, sub[0].right)):
        return (tree.Mul(sub[0].right, sub[0].left, ""),)
    return None


SEQUENCES = {"X", "Q", "K", "V", "H"}  # matrices with one row (or column) per token


def whole(relation: tree.Relation) -> set[str]:
    """The names used whole, without an index: Q in QK^T, not K_i in K_i . Q_j (one token's key, either way), nor
    the K of a label (W^K) or of a size (d_K)."""
    scripts = [n for n in walk(relation) if isinstance(n, tree.Script)]
    inside = {id(part) for n in scripts for item in (*n.sub, n.sup) if item is not None for part in walk(item)}
    indexed = {id(n.base) for n in scripts if n.sub}
    return {n.name for n in walk(relation) if isinstance(n, tree.Name) and id(n) not in inside | indexed} | \
        {n.name for n in walk(relation) if isinstance(n, tree.Call)}


def accept(subject: Topic, holding: list[Variant], failing, document: Document, relation: tree.Relation) -> Decision:
    """Right in some reading; but a formula on whole sequences, or a weight's shape, must use the document's
    vector convention (per-token formulas such as q_i = W^Q x_i may be written either way)."""
    conventions = {v.convention for v in holding}
    bound = (whole(relation) & (SEQUENCES | {"mask"}) or relation.ops == ("in",)) and subject.claim != LINEAR.claim
    # (phi(Q) phi(K)^T) V = phi(Q) (phi(K)^T V) regroups a product: it holds in whichever convention it is written
    if None not in conventions and len(conventions) == 1 and bound:
        if (kept := one_way(subject, failing, document, "convention", conventions.pop(), "uses {}")) is not None:
            return kept
    orders = {v.order or "query first" for v in holding}
    if len(orders) == 1 and entries(relation, ENTRIES if document.convention == "column vectors" else WEIGHTS_ENTRIES):
        if (kept := one_way(subject, failing, document, "index_order", orders.pop(), "indexes the weights {}")):
            return kept
    windows = {v.window for v in holding}
    if len(windows) == 1 and None not in windows:
        if (kept := one_way(subject, failing, document, "window_count", windows.pop(), "counts a window of w keys {}")):
            return kept
    return Decision(Verdict.OK, subject.claim, f"holds at every point checked ({describe(holding[0])})",
                    rung="numeric")


def one_way(subject: Topic, failing, document: Document, choice: str, chosen: str, says: str) -> Decision | None:
    """The first formula that holds in only one reading (row or column vectors; weights indexed query or key
    first; a window of w keys with or without the query's own) fixes that choice for the document; a later one
    that holds only in the other is wrong."""
    fixed = getattr(document, choice)
    if fixed is None:
        setattr(document, choice, chosen)
        setattr(document, f"{choice}_line", document.line)
        return None
    if fixed == chosen or not failing:
        return None
    judgement = failing[0][1]
    line = getattr(document, f"{choice}_line")
    return Decision(
        Verdict.WRONG, subject.claim,
        f"this formula {says.format(chosen)}, but {f'the formula on line {line}' if line else 'the text'} "
        f"{says.format(fixed)}: one document should keep one {choice.replace('_', ' ')}",
        hint=judgement.hint or subject.hint, counterexample=f"with {fixed}: {judgement.reason}",
        rung="shapes" if judgement.rung == "shapes" else "numeric",
    )


def preferred(failing, document: Document):
    """The failure to report: in the document's convention, else the row-vector, 1-based reading; a reading
    where the sides merely differ in shape comes after one that evaluates both, and one where a product does not
    type-check after one where it does (a column-vector formula read with row vectors fails for that alone)."""
    failing = sorted(failing, key=lambda pair: (pair[1].rung == SIDES, pair[1].rung == "shapes"))
    for variant, judgement in failing:
        if document.convention is None or variant.convention in {None, document.convention}:
            return variant, judgement
    return failing[0]


def reject(subject: Topic, variant: Variant, judgement: Judgement) -> Decision:
    about = "" if judgement.reason.startswith("with the sizes the document") else \
        f"with {variant.build(SEEDS[0]).about}: "
    return Decision(Verdict.WRONG, subject.claim, subject.message, hint=judgement.hint or subject.hint,
                    counterexample=f"{about}{judgement.reason}",
                    rung="shapes" if judgement.rung == SIDES else judgement.rung)


def describe(variant: Variant) -> str:
    return variant.build(SEEDS[0]).about

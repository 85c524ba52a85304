r"""What the symbols of attention notation mean, at random values drawn from a seed.

Each setting binds the usual names to float64 values computed by the reference implementation
(impl/), with every size distinct so a misplaced product cannot type-check: n = 5 tokens,
d_model = 13, d_k = 7, d_v = 11 for one head; h = 3 heads of d_k = 4, d_v = 5 over n = 6 tokens in a
d_model = 12 model.
Row vectors are the default (Q = XW^Q, Q is [n, d_k]); `columns=True` gives the column-vector
convention of the same values (Q = W^Q X, Q is [d_k, n], softmax over each column).

Settings are built once per argument list (`functools.cache`): they are read, never changed.

Example:
    >>> from attnproof.check.evaluate import evaluate
    >>> from attnproof.check.parse import parse
    >>> s = attention(seed=0)
    >>> evaluate(parse("XW^Q"), s).shape, float(evaluate(parse(r"\sqrt{d_k}"), s))
    ((5, 7), 2.6457513110645907)
"""

from functools import cache, partial

import numpy as np

from attnproof.check.evaluate import Family, Members, OutOfRange, Setting, Unknown, softmax
from attnproof.check.symbolic import SIZES
from impl.attention import attention as reference_attention
from impl.attention import attention_weights, causal_mask
from impl.efficient import elu_plus_one, linear_attention
from impl.positions import rotation_frequencies, sinusoidal_pe

N, D_MODEL, D_K, D_V = 5, 13, 7, 11
HEADS, HEAD_MODEL, HEAD_WIDTH, HEAD_VALUE, HEAD_N = 3, 12, 4, 5, 6
ROPE_WIDTH, ROPE_EMBEDDING, PE_WIDTH, SOFTMAX_WIDTH = 8, 6, 16, 6
WINDOW_N, WINDOW = 8, 3  # the sliding-window mask's tokens and window
ONLINE_LENGTH, ONLINE_WIDTH = 6, 3  # the online softmax's scores and values
CAUSAL = np.where(causal_mask(N, N), 0.0, -np.inf)  # (n, n): 0 where j <= i, -inf above


MASK_NAMES = ("M", "m", "M_causal", "M_mask")  # the mask, and M_\text{causal}


@cache
def attention(seed: int, columns: bool = False, masked: bool = False, base: int = 1,
              one_token: bool = False, weights_named_qkv: bool = False, raw_scores: bool = False,
              linear_kernel: bool = False, unscaled: bool = False, masked_scores: bool = False,
              d_is_width: bool = False, primed_weights: bool = False, linear_outputs: bool = False,
              keys_first: bool = False, raw_s: bool = False, binary_mask: bool | str = False,
              linear_states: bool = False, query_rows: bool = False, shift: str | None = None,
              row_form: bool = False, infinite_mask: bool = False, causal_weights: bool = False) -> Setting:
    """One head of self-attention on X [n, d_model]: the projections, scores, weights and outputs.

    Bare q, k, v, x are the whole matrices (as nanoGPT names them), or with `one_token` the first token's
    vectors (as in q . k or ||q - k_i||). With `weights_named_qkv`, Q, K, V are the projection matrices
    themselves, as CS224n's notes write q_i = Q x_i. score(x_i, x_j) is q_i . k_j / sqrt(d_k) (SLP3), or the
    raw q_i . k_j with `raw_scores` (the Illustrated Transformer divides later). sim(q, k), Katharopoulos et
    al.'s similarity, is softmax attention's exp(q . k / sqrt(d_k)), or with `linear_kernel` phi(q) . phi(k).
    With `unscaled`, attention is the unscaled softmax(QK^T)V that many notes present before the scaled form;
    with `masked_scores`, the scores e_ij already carry the mask (-inf above the diagonal). A capital D is the
    key width (Katharopoulos et al.), or with `d_is_width` the model width (Prince, Bishop). With
    `primed_weights`, alpha are the raw scores and alpha' the weights (alpha' = softmax(alpha)); with
    `linear_outputs`, y, z, o name linear attention's outputs (in a text about linear attention). With
    `binary_mask`, M and m hold 1 where a query may attend and 0 elsewhere (Keras), not 0 and -inf; with
    `binary_mask="masked"`, 1 where it may not (TensorFlow's tutorial, which adds mask * -1e9 to the logits).
    With `raw_s`, S, s, e are QK^T before the scaling (a formula that divides them by sqrt(d_k) says so). With
    `keys_first` (column vectors only), entries A_ij, M_ij, s_ij index the n_k x n_q matrices as the text
    lays them out, key i and query j, as a text that puts tokens in columns throughout does (Flux/NNlib).
    With `linear_states`, S_i and z_i (or Z_i) are causal linear attention's running sums, sum_{j <= i}
    phi(k_j) v_j^T and sum_{j <= i} phi(k_j) (S and z alone the sums over every key), and V'_i, v'_i, out_i its
    outputs (Katharopoulos et al.'s recurrent form). With `query_rows` (column vectors, Q, K, V the projection
    matrices), Q, K, V act on the token columns, q_i = Q x_i, and the weights and scores keep one row per query, as
    mathematical papers write A(X) = softmax_row(X^T Q^T K X) and SA(X) = V X A(X)^T (Geshkovski et al.). With
    `shift`, that letter is a random constant, as in e^{s_i - m} where m is any number the scores are shifted by.
    With `row_form` (column vectors), softmax normalises rows, as a column-vector text's transposed output, Y^T =
    softmax(Q^T K / sqrt(d_k)) V^T, is the row form (Liquet, Moka and Nazarathy). With `infinite_mask`, the entries
    Mask(i, j) are the additive mask's, 0 or -inf, as a formula that writes -inf out gives them. With
    `causal_weights`, a weight alpha_ij exists only where the mask lets query i see key j, as a formula whose
    softmax normalises over the keys up to the query (a sum over j' from 0 to i) defines it."""
    rng = np.random.default_rng(seed)
    x = rng.standard_normal((N, D_MODEL))  # (n, d_model)
    w_q, w_k = rng.standard_normal((2, D_MODEL, D_K)) / np.sqrt(D_MODEL)  # (d_model, d_k) each
    w_v = rng.standard_normal((D_MODEL, D_V)) / np.sqrt(D_MODEL)  # (d_model, d_v)
    q, k, v = x @ w_q, x @ w_k, x @ w_v  # (n, d_k), (n, d_k), (n, d_v)
    mask = CAUSAL if masked else np.zeros((N, N))  # (n, n)
    scale = 1.0 if unscaled else 1 / np.sqrt(D_K)
    scores = q @ k.T * scale  # (n, n)
    weights = attention_weights(q, k, mask=np.isfinite(mask), scale=scale)  # (n, n)
    out = reference_attention(q, k, v, mask=np.isfinite(mask), scale=scale)  # (n, d_v)
    linear = linear_attention(q, k, v)  # (n, d_v): phi(Q)(phi(K)^T V), normalised, phi = elu + 1
    permutation = np.eye(N)[rng.permutation(N)]  # (n, n)

    def attend(*args):
        if len(args) == 1:  # self-attention of one sequence: SA(X)
            source = orient(args[0], columns)
            return orient(reference_attention(source @ w_q, source @ w_k, source @ w_v,
                                              mask=np.isfinite(mask), scale=scale), columns)
        if len(args) not in (3, 4):
            raise Unknown("Attention takes Q, K, V (and a mask)")
        extra = orient(args[3], columns) if len(args) == 4 else mask
        q_, k_, v_ = (orient(a, columns) for a in args[:3])
        if q_.ndim != 2 or k_.shape[-1] != q_.shape[-1] or v_.shape[0] != k_.shape[0]:
            raise Unknown("Attention of arguments that are not query, key and value matrices")
        allowed = np.isfinite(extra) if np.shape(extra) == (q_.shape[0], k_.shape[0]) else None
        return orient(reference_attention(q_, k_, v_, mask=allowed, scale=None if q_.shape[-1] != D_K else scale),
                      columns)

    def attend_linearly(*args):  # LA(X) of the input's projections, or LA(Q, K, V) of given ones
        if len(args) == 1:
            args = tuple(orient(args[0], columns) @ weight for weight in (w_q, w_k, w_v))  # Q, K, V
        elif len(args) == 3:
            args = tuple(orient(a, columns) for a in args)
        else:
            raise Unknown("linear attention takes the input, or Q, K and V")
        return orient(linear_attention(*args), columns)  # (n, d_v), or its transpose

    def weigh(inputs):  # A(X Pi): the weights of another input, laid out as A is
        source = orient(inputs, columns)  # (n, d_model)
        return orient(attention_weights(source @ w_q, source @ w_k, mask=np.isfinite(mask), scale=scale),
                      columns and not query_rows)  # (n, n)

    matrices = {
        "X": x, "W_q": w_q, "W_k": w_k, "W_v": w_v, "Q": q, "K": k, "V": v, "M": mask,
        "A": weights, "P": permutation, "S": scores, "Z": out, "Y": out,
    }
    symbols = {name: orient(value, columns) for name, value in matrices.items()}
    symbols |= {f"W_{word}": symbols[f"W_{word[0]}"] for word in ("query", "key", "value")}  # CS324's W_{\text{key}}
    symbols["P"] = symbols["pi"] = symbols["Pi"] = permutation
    symbols["E_positions"] = orient(sinusoidal_pe(N, D_MODEL), columns)  # (n, d_model): X + E, the positions added
    if weights_named_qkv:
        acting = not columns or query_rows  # q_i = Q x_i: the transposed projection acts on a token's column
        symbols |= {"Q": orient(w_q, acting), "K": orient(w_k, acting), "V": orient(w_v, acting)}
    shown_out = linear if linear_outputs else out  # (n, d_v)
    symbols |= {name: rows(matrix, columns, base, one_token) for name, matrix in
                [("x", x), ("q", q), ("k", k), ("v", v), ("z", shown_out), ("o", shown_out), ("y", shown_out),
                 ("c", shown_out), ("V'", shown_out), ("v'", shown_out), ("out", shown_out), ("z_linear", linear)]}
    laid_out = partial(entries, base=base, columns=columns and not query_rows, keys_first=keys_first and columns,
                       one_token=one_token, allowed=np.isfinite(mask) if causal_weights else None)
    symbols |= {name: laid_out(weights) for name in ("alpha", "a", "A", "alpha'", "a'", "A'")}
    if primed_weights:
        symbols |= {name: laid_out(scores) for name in ("alpha", "a", "A")}
    shown_scores = scores + mask if masked_scores else scores  # (n, n)
    shown_scores = q @ k.T if raw_s else shown_scores  # (n, n): S = QK^T before scaling, as S_ij / sqrt(d_k) reads
    symbols |= {name: laid_out(shown_scores) for name in ("e", "s", "S", "E", "scores", "logits", "omega", "Omega")}
    # omega_ij, Omega: Raschka's unnormalised scores (omega as a frequency belongs to the positional settings)
    shown_mask = {False: mask, True: np.isfinite(mask).astype(float),  # (n, n): 1 = may attend (Keras)
                  "masked": (~np.isfinite(mask)).astype(float)}[binary_mask]  # (n, n): 1 = masked (TensorFlow)
    symbols |= {name: laid_out(shown_mask) for name in MASK_NAMES}
    symbols["B"] = laid_out(mask)  # PyTorch's attn_bias: the additive mask, 0 where a query may attend
    causal_scores = scores + CAUSAL  # (n, n): the scores a causal mask leaves (-inf above the diagonal)
    causal_weights = attention_weights(q, k, mask=causal_mask(N, N), scale=scale)  # (n, n)
    symbols |= {f"{name}_{mark}": laid_out(causal_scores) for name in ("S", "s", "e", "E", "omega")
                for mark in ("tilde", "masked")}  # \tilde{S}_{ij}, \omega^{masked}_{ij}: the masked scores
    symbols |= {f"{name}_{mark}": laid_out(causal_weights) for name in ("alpha", "a", "A")
                for mark in ("tilde", "masked")}  # \tilde{\alpha}_{ij}: the masked weights
    if linear_states:
        symbols |= linear_state_symbols(q, k, v, base)  # S, s, z name linear attention's sums, not scores
    symbols |= dimensions(n=N, d_model=D_MODEL, d_k=D_K, d_v=D_V)
    symbols |= {"d": D_K, "ones": Family(lambda size: np.ones(size), np.ones(N))}  # 1, or 1_n
    symbols |= {shift: float(rng.standard_normal())} if shift else {}  # drawn last: the rest keep their values
    symbols |= {"D": D_MODEL} if d_is_width else {}
    index_values = tuple(range(base, base + N))
    def score(u, w):
        """score(q_i, k_j) or score(x_i, x_j): the (scaled) dot product of query i with key j."""
        i, j = token_of(u, (x, q)), token_of(w, (x, k))
        return float(q[i] @ k[j] * (1.0 if raw_scores else 1 / np.sqrt(D_K)))

    return Setting(
        symbols=symbols,
        functions={"attention": attend, "f": attend, "score": score, "weights": weigh,
                   "sim": (lambda u, w: float(elu_plus_one(u) @ elu_plus_one(w))) if linear_kernel else
                   (lambda u, w: float(np.exp(u @ w / np.sqrt(D_K)))),
                   "mask": lambda *args: (masked_entry(args, mask, columns, base, keys_first and columns,
                                                       infinite_mask) if args else symbols["M"].whole),
                   "phi": elu_plus_one,
                   "sigma": lambda scores: softmax(scores, 0 if columns else -1),  # sigma(XW_QW_K^TX^T): softmax
                   "sigma_col": lambda scores: softmax(scores, 0), "sigma_row": lambda scores: softmax(scores, -1),
                   "Z": attend, "Y": attend,  # Z(X), Y(X): the layer's output for the input X
                   "linear_attention": attend_linearly,
                   "elu": lambda a: np.where(a > 0, a, np.expm1(np.minimum(a, 0.0))),
                   "tril": lambda a: orient(np.tril(square(a)), columns),  # tril(1): ones on and below the diagonal
                   "triu": lambda a: orient(np.triu(square(a)), columns),
                   "tri": lambda size: orient(np.tri(int(size)), columns)},  # tri(n): numpy's np.tri(n)
        ranges={"*": index_values},
        softmax_axis=0 if columns and not row_form else -1,
        columns=columns,
        concat_axis=0 if columns else -1,
        size_names={N: "n", D_MODEL: "d_{model}", D_K: "d_k", D_V: "d_v"},
        about=f"n = {N}, d_model = {D_MODEL}, d_k = {D_K}, d_v = {D_V}, random X, W^Q, W^K, W^V (seed {seed})"
        + (", a causal mask M" if masked else "") + (f", a random constant {shift}" if shift else "")
        + (", column vectors" if columns else ""),
        base=base,
    )


@cache
def prince(seed: int, base: int = 1) -> Setting:
    """Self-attention as Prince's Understanding Deep Learning writes it: tokens are the columns of X [D, N];
    Q[X] = beta_q 1^T + Omega_q X (biases included); a[x_m, x_n] is key m's weight for query n, normalised
    over m; Sa[X] = V[X] Softmax[K[X]^T Q[X] / sqrt(D_q)] with the softmax over each column."""
    rng = np.random.default_rng(seed)
    x = rng.standard_normal((D_MODEL, N))  # (D, N): one column per token
    omegas = {name: rng.standard_normal((D_K, D_MODEL)) / np.sqrt(D_MODEL) for name in "qkv"}  # (D_q, D) each
    betas = {name: rng.standard_normal(D_K) for name in "qkv"}  # (D_q,) each
    permutation = np.eye(N)[rng.permutation(N)]  # (N, N)

    def project(name):
        return lambda inputs: betas[name][:, None] + omegas[name] @ inputs  # (D_q, N)

    def self_attention(inputs):
        q, k, v = (project(name)(inputs) for name in "qkv")  # (D_q, N) each
        return v @ softmax_columns(k.T @ q / np.sqrt(D_K))  # (D_v, N)

    q, k, v = (project(name)(x) for name in "qkv")  # (D_q, N) each
    weights = softmax_columns(k.T @ q / np.sqrt(D_K))  # (N keys, N queries)

    def weight(key, query):
        return float(weights[column_of(key, x), column_of(query, x)])

    symbols = {"X": x, "P": permutation, "ones": np.ones(N), "N": N, "D": D_MODEL, "D_q": D_K, "D_k": D_K,
               "Q": q, "K": k, "V": v}
    symbols |= {f"Omega_{n}": omegas[n] for n in "qkv"} | {f"beta_{n}": betas[n] for n in "qkv"}
    symbols |= {name: Family(lambda i, m=matrix: m[:, token(i, base, N)], None)
                for name, matrix in (("x", x), ("q", q), ("k", k), ("v", v))}
    functions = {"Q": project("q"), "K": project("k"), "V": project("v"), "Sa": self_attention,
                 "attention": self_attention, "a": weight}
    return Setting(symbols=symbols, functions=functions, ranges={"*": tuple(range(base, base + N))},
                   softmax_axis=0, columns=True, base=base, size_names={N: "N", D_MODEL: "D", D_K: "D_q"},
                   about=f"N = {N} tokens as columns of X, D = {D_MODEL}, D_q = {D_K}, random Omega and beta "
                   f"(seed {seed})")


def softmax_columns(scores: np.ndarray) -> np.ndarray:
    shifted = np.exp(scores - scores.max(axis=0, keepdims=True))  # (N, N)
    return shifted / shifted.sum(axis=0, keepdims=True)  # (N, N): each column sums to 1


def column_of(vector, matrix: np.ndarray) -> int:
    hits = [j for j in range(matrix.shape[1]) if np.shape(vector) == matrix[:, j].shape and
            np.allclose(vector, matrix[:, j])]
    if not hits:
        raise Unknown("a function of something that is not one of the tokens")
    return hits[0]


@cache
def plain(seed: int, base: int = 1, columns: bool = False) -> Setting:
    """Self-attention with no learned projections or scale, a_nm = exp(x_n . x_m) / sum_m' exp(x_n . x_m'),
    y_n = sum_m a_nm x_m: the first form Bishop's and other textbooks' chapters give; with `columns`, the tokens
    are X's columns (the NYU course's A = softargmax(X^T X), H = X A)."""
    rng = np.random.default_rng(seed)
    x = rng.standard_normal((N, D_K)) / 2  # (n, d)
    weights = reference_attention(x, x, np.eye(N), scale=1.0)  # (n, n): softmax(X X^T)
    out = weights @ x  # (n, d)
    symbols = {"X": orient(x, columns), "Y": orient(out, columns), "H": orient(out, columns), "ones": np.ones(N),
               "beta": 1.0}  # H = XA: the NYU course's hidden representations
    symbols |= {name: rows(x, columns, base) for name in ("x",)}
    symbols |= {name: rows(out, columns, base) for name in ("y", "z", "o", "h")}
    symbols |= {name: entries(weights, base, columns=columns) for name in ("a", "alpha", "A")}
    symbols |= {"N": N, "d": D_K, "D": D_K}  # n, m index the tokens here
    return Setting(symbols=symbols, ranges={"*": tuple(range(base, base + N))}, base=base, columns=columns,
                   softmax_axis=0 if columns else -1,
                   about=f"n = {N} random tokens x_n of width {D_K}, no projections, no scale (seed {seed})"
                   + (", column vectors" if columns else ""))


@cache
def multihead(seed: int, columns: bool = False, base: int = 1, masked: bool = False) -> Setting:
    """h = 3 heads (d_k = 4, d_v = 5) in a d_model = 12 model: per-head projections, heads, W^O and its blocks;
    with `masked`, MultiHead is causal (as MHA_causal(X) is written)."""
    rng = np.random.default_rng(seed)
    x = rng.standard_normal((HEAD_N, HEAD_MODEL))  # (n, d_model): self-attention, so Q = K = V = X
    q_in, k_in, v_in = x, x, x  # (n, d_model) each
    w_q, w_k = rng.standard_normal((2, HEADS, HEAD_MODEL, HEAD_WIDTH)) / np.sqrt(HEAD_MODEL)  # (h, d_model, d_k) x2
    w_v = rng.standard_normal((HEADS, HEAD_MODEL, HEAD_VALUE)) / np.sqrt(HEAD_MODEL)  # (h, d_model, d_v)
    w_o = rng.standard_normal((HEADS * HEAD_VALUE, HEAD_MODEL)) / np.sqrt(HEAD_MODEL)  # (h d_v, d_model)
    heads = [reference_attention(q_in @ w_q[i], k_in @ w_k[i], v_in @ w_v[i]) for i in range(HEADS)]  # (n, d_v) each
    weights = [attention_weights(q_in @ w_q[i], k_in @ w_k[i]) for i in range(HEADS)]  # (n, n) each

    def per_head(stack):  # W_i^Q: head i's; W^Q alone: every head's side by side, (d_model, h d_k)
        return Family(lambda i: orient(stack[head(i, base)], columns), orient(np.concatenate(stack, axis=-1), columns))

    def multi(*args):
        args = args * 3 if len(args) == 1 else args  # MultiHead(X): self-attention
        if len(args) != 3:
            raise Unknown("MultiHead takes Q, K, V")
        q_, k_, v_ = (orient(a, columns) for a in args)
        if any(np.shape(a) != (HEAD_N, HEAD_MODEL) for a in (q_, k_, v_)):
            raise Unknown("MultiHead of arguments that are not [n, d_model] inputs")
        allowed = causal_mask(HEAD_N, HEAD_N) if masked else None  # (n, n) or no mask
        parts = [reference_attention(q_ @ w_q[i], k_ @ w_k[i], v_ @ w_v[i], mask=allowed) for i in range(HEADS)]
        return orient(np.concatenate(parts, axis=-1) @ w_o, columns)

    def attend(*args):
        if len(args) != 3:
            raise Unknown("Attention takes Q, K, V")
        q_, k_, v_ = (orient(a, columns) for a in args)
        if q_.ndim != 2 or k_.shape[-1] != q_.shape[-1] or v_.shape[0] != k_.shape[0]:
            raise Unknown("Attention of arguments that are not query, key and value matrices")
        return orient(reference_attention(q_, k_, v_), columns)

    blocks = w_o.reshape(HEADS, HEAD_VALUE, HEAD_MODEL)  # (h, d_v, d_model)

    def projected(inputs, stack):
        """Q_h = X W_h^Q: head h's queries (Bishop's notation); Q alone is the input."""
        return Family(lambda i: orient(inputs @ stack[head(i, base)], columns), orient(inputs, columns))

    symbols = {
        "Q": projected(q_in, w_q), "K": projected(k_in, w_k), "V": projected(v_in, w_v), "X": orient(q_in, columns),
        "X_q": orient(q_in, columns), "X_k": orient(k_in, columns), "X_v": orient(v_in, columns),  # Weng's inputs
        "W_q": per_head(w_q), "W_k": per_head(w_k), "W_v": per_head(w_v),
        "W_o": Family(lambda i: orient(blocks[head(i, base)], columns), orient(w_o, columns)),
        "head": Family(lambda i: orient(heads[head(i, base)], columns), None),
        "A": Family(lambda i: orient(weights[head(i, base)], columns), None),  # A^h, head h's weights
        "x": orient(q_in, columns),  # the residual stream, TransformerLens's x
        "h": HEADS, "H": Family(lambda i: orient(heads[head(i, base)], columns), HEADS),  # H heads; H_h is head h
    }
    symbols["z"] = symbols["head"]  # TransformerLens: z^h, head h's output
    symbols["P"] = symbols["pi"] = symbols["Pi"] = np.eye(HEAD_N)[rng.permutation(HEAD_N)]  # (n, n): P, \pi, \Pi
    symbols |= {"b_o": np.zeros(HEAD_MODEL), "ones": np.ones(HEAD_N)}  # W_o[...] + b_o 1^T: the claim has no bias
    symbols |= dimensions(n=HEAD_N, d_model=HEAD_MODEL, d_k=HEAD_WIDTH, d_v=HEAD_VALUE)
    symbols |= {"d": HEAD_MODEL, "D": HEAD_MODEL}
    symbols |= {name: HEADS for name in SIZES["h"] if name not in symbols}  # n_h (DeepSeek-V2), num_heads (code)
    return Setting(
        symbols=symbols,
        functions={"multihead": multi, "attention": attend, "Y": multi, "Z": multi},  # Y(X): the layer's output
        ranges={"*": tuple(range(base, base + HEADS)), "i": tuple(range(base, base + HEADS))},
        softmax_axis=0 if columns else -1,
        columns=columns,
        concat_axis=0 if columns else -1,
        size_names={HEAD_N: "n", HEAD_MODEL: "d_{model}", HEAD_WIDTH: "d_k", HEAD_VALUE: "d_v",
                    HEADS * HEAD_VALUE: "h d_v", HEADS: "h"},
        about=f"h = {HEADS} heads, n = {HEAD_N}, d_model = {HEAD_MODEL}, d_k = {HEAD_WIDTH}, d_v = {HEAD_VALUE}, "
        f"random Q, K, V, "
        f"W_i^Q, W_i^K, W_i^V, W^O (seed {seed})" + (", column vectors" if columns else ""),
        base=base,
    )


@cache
def rope(seed: int, half_split: bool = False, base: int = 1, embeddings: bool = False) -> Setting:
    """A query q and key k of width 8, and R_m the RoPE rotation for position m (either pairing), with
    RoPE(x, m) = R_m x and the rotate-half form of Hugging Face's implementation.

    With `embeddings`, RoFormer's reading: x_m is the token embedding at position m (width 6) and
    q_m = R_m W_q x_m, k_n = R_n W_k x_n."""
    rng = np.random.default_rng(seed)
    q, k = rng.standard_normal((2, ROPE_WIDTH))  # (d,) each
    table = rng.standard_normal((64, ROPE_EMBEDDING))  # (positions, d_model): x_m
    w_q, w_k = rng.standard_normal((2, ROPE_WIDTH, ROPE_EMBEDDING))  # (d, d_model) each: column vectors
    frequencies = rotation_frequencies(ROPE_WIDTH)  # (d/2,)

    def rotation(m):
        if np.ndim(m):
            raise Unknown("a position that is not a number")  # m + k, where k is a shift, not the key
        angles = m * frequencies  # (d/2,)
        blocks = np.zeros((ROPE_WIDTH, ROPE_WIDTH))  # (d, d)
        for i, angle in enumerate(angles):
            a, b = (i, i + ROPE_WIDTH // 2) if half_split else (2 * i, 2 * i + 1)
            blocks[a, a], blocks[a, b] = np.cos(angle), -np.sin(angle)
            blocks[b, a], blocks[b, b] = np.sin(angle), np.cos(angle)
        return blocks

    def rotate_half(x):
        """The rotation by 90 degrees in every pair: (x_a, x_b) -> (-x_b, x_a); rotation(m) x is
        x cos(m theta) + rotate_half(x) sin(m theta), with each pair's angle on both its channels."""
        x = np.asarray(x, dtype=float)  # (w,): d, or [x_1, x_2] written as two halves of width d each
        half = len(x) // 2
        turned = np.empty_like(x)  # (w,)
        if half_split:
            turned[:half], turned[half:] = -x[half:], x[:half]
        else:
            turned[0::2], turned[1::2] = -x[1::2], x[0::2]
        return turned

    rotations = Family(rotation, None)
    per_channel = np.tile(frequencies, 2) if half_split else np.repeat(frequencies, 2)  # (d,): theta, bold
    theta = Family(lambda i: frequencies[token(i, base, ROPE_WIDTH // 2)], per_channel)
    symbols = {name: rotations for name in ("R", "R_theta", "R_d", "R_d_theta", "R_theta_d")}
    symbols |= {"q": Family(lambda m: rotation(m) @ q, q), "k": Family(lambda n: rotation(n) @ k, k),
                "x": Family(lambda m: rotation(m) @ q, q), "y": Family(lambda n: rotation(n) @ k, k),  # <R_m x, R_n y>
                "theta": theta, "d": ROPE_WIDTH, "d_k": ROPE_WIDTH,
                "base": 10000.0, "b": 10000.0}
    if embeddings:
        symbols |= {"x": Family(lambda m: table[m], table[0]), "W_q": w_q, "W_k": w_k,
                    "q": Family(lambda m: rotation(m) @ w_q @ table[m], None),
                    "k": Family(lambda n: rotation(n) @ w_k @ table[n], None)}
    return Setting(symbols=symbols, functions={"rotate_half": rotate_half, "rope": lambda x, m: rotation(m) @ x},
                   ranges={"m": (3, 0, 17), "n": (11, 5, 2), "t": (3, 0, 17), "s": (11, 5, 2), "p": (3, 0, 17),
                           "i": tuple(range(base, base + 4)), "j": (11, 5, 2)},  # i: a pair or a position (Weng);
                   # p: the position, as TensorRT-LLM's and ONNX Runtime's docs write it
                   about=f"d = {ROPE_WIDTH}, random {'x_m, W_q, W_k' if embeddings else 'q and k'}, base 10000, "
                   f"{'half-split' if half_split else 'adjacent'} pairs (seed {seed})", base=base)


@cache
def rope_block(seed: int) -> Setting:
    """RoPE in two dimensions (RoFormer's first case): R_m rotates by m theta, as one 2 x 2 block."""
    rng = np.random.default_rng(seed)
    theta = float(rng.uniform(0.1, 1.0))
    q, k = rng.standard_normal((2, 2))  # (2,) each

    def rotation(m):
        return np.array([[np.cos(m * theta), -np.sin(m * theta)], [np.sin(m * theta), np.cos(m * theta)]])  # (2, 2)

    symbols = {"R": Family(rotation, None), "R_theta": Family(rotation, None), "theta": theta,
               "q": Family(lambda m: rotation(m) @ q, q), "k": Family(lambda n: rotation(n) @ k, k), "d": 2}
    return Setting(symbols=symbols, ranges={"m": (3, 0, 17), "n": (11, 5, 2)},
                   about=f"d = 2, theta = {theta:.4f}, random q and k (seed {seed})")


@cache
def causal_mask_only(rows: int, columns: int) -> Setting:
    """The causal mask M of a given size, for a mask written out as a matrix."""
    mask = np.where(causal_mask(rows, columns), 0.0, -np.inf)  # (rows, columns)
    return Setting(symbols={name: entries(mask, 1) for name in MASK_NAMES},
                   ranges={"*": tuple(range(1, max(rows, columns) + 1))}, about=f"a {rows} x {columns} causal mask")


@cache
def window_mask(seed: int, base: int = 1, previous: bool = False) -> Setting:
    """The sliding-window mask of impl.efficient.sliding_window_attention for n = 8, w = 3: query i sees keys j with
    i - w < j <= i (0 there, -inf elsewhere); the window counts the current token. With `previous`, the window is
    the w tokens before the query (i - w <= j <= i), as texts that count only the earlier tokens write it."""
    rows, columns = np.indices((WINDOW_N, WINDOW_N))  # (n, n) each: query i, key j
    allowed = (columns <= rows) & (rows - columns <= WINDOW if previous else rows - columns < WINDOW)  # (n, n)
    mask = np.where(allowed, 0.0, -np.inf)  # (n, n)
    symbols = {"M": entries(mask, base), "m": entries(mask, base), "w": WINDOW, "W": WINDOW, "n": WINDOW_N,
               "N": WINDOW_N}
    return Setting(symbols=symbols, ranges={"*": tuple(range(base, base + WINDOW_N))},
                   about=f"n = {WINDOW_N}, a sliding window of w = {WINDOW} keys "
                   + ("before the query's own" if previous else "(the query's own included)")
                   + (", tokens from 0" if base == 0 else ""), base=base)


@cache
def sinusoidal(seed: int, halves: bool = False) -> Setting:
    """PE, the sinusoidal table of width 16 (positions 0, 1, ...; channels 0-based as in the paper); with
    halves, the same sines and cosines laid out sines first, then cosines (the TensorFlow tutorial's layout)."""
    rng = np.random.default_rng(seed)
    table = sinusoidal_pe(64, PE_WIDTH)  # (64, d_model)
    if halves:
        table = np.concatenate([table[:, 0::2], table[:, 1::2]], axis=1)  # (64, d_model): sines | cosines
    probes = tuple(int(p) for p in rng.choice(64, size=4, replace=False))
    def encoding(pos, channel=None):
        """PE_{(pos, channel)}, or with one subscript the whole encoding of a position."""
        if not 0 <= pos < 64 or channel is not None and not 0 <= channel < PE_WIDTH:
            out_of_range()
        return table[pos] if channel is None else table[pos, channel]

    encodings = Family(encoding, None)
    frequency = Family(lambda i: 1 / 10000 ** (2 * i / PE_WIDTH), None)
    symbols = {"PE": encodings, "P": encodings, "p": encodings, "e": encodings, "omega": frequency, "w": frequency,
               "div_term": frequency,
               "d": PE_WIDTH, "d_model": PE_WIDTH, "D": PE_WIDTH}
    pairs = tuple(range(PE_WIDTH // 2))
    offsets = (1, 5, 9)
    return Setting(symbols=symbols, ranges={"pos": probes, "t": probes, "i": pairs, "k": pairs, "j": pairs, "*": pairs,
                                            "Delta": offsets, "phi": offsets, "delta": offsets},
                   about=f"d_model = {PE_WIDTH}, positions {', '.join(map(str, probes))}"
                   + (", sines then cosines" if halves else ""), base=0)


def trigonometric(seed: int, letters: frozenset[str]) -> Setting:
    """Every letter a number (the frequency omega, positions p and offsets k alike), and with subscripts a number
    for each: the sines and cosines of one frequency, where an identity holds for any values."""
    rng = np.random.default_rng(seed)
    values = dict(zip(sorted(letters), rng.uniform(0.2, 1.5, size=len(letters)), strict=True))

    def numbered(value: float) -> Family:
        return Family(lambda *indices: value + 0.173 * sum(float(i) for i in indices), value)

    return Setting(symbols={letter: numbered(value) for letter, value in values.items()},
                   ranges={"*": (0, 1, 2)}, about=f"random values of {', '.join(sorted(letters))} (seed {seed})",
                   base=0)


def out_of_range():
    raise OutOfRange("channel outside the table")


def masked_entry(args, mask: np.ndarray, columns: bool, base: int, keys_first: bool = False, infinite: bool = False):
    """mask(S) adds the causal mask to scores S; Mask[i, j] is 1 where the mask lets query i attend to key j,
    else 0 (key i and query j with `keys_first`), as the entries of the weights are indexed; with `infinite`, 0
    where it lets it attend and -inf elsewhere."""
    if len(args) == 1:
        return args[0] + orient(CAUSAL, columns)
    table = mask if infinite else np.isfinite(mask).astype(float)  # (n_q, n_k): 0 or -inf, or 1 where allowed
    table = table.T if keys_first else table  # (n_k, n_q) when keys come first
    i, j = (int(a) for a in args)
    return float(table[token(i, base, N), token(j, base, N)])


def token_of(vector, matrices) -> int:
    """Which token a vector is (a row of one of the matrices), for functions of tokens like score(x_i, x_j)."""
    for matrix in matrices:
        hits = np.flatnonzero(np.all(np.isclose(matrix, np.asarray(vector)), axis=1)) if np.shape(vector) == \
            matrix.shape[1:] else []
        if len(hits):
            return int(hits[0])
    raise Unknown("score of something that is not a token's vector")


def square(value) -> np.ndarray:
    """The n x n matrix a triangle is cut from: 1 (or the ones vector) means all ones."""
    value = np.asarray(value, dtype=float)
    return np.full((N, N), float(value)) if value.ndim == 0 else np.ones((N, N)) * value if value.ndim == 1 else value


def orient(value, columns: bool):
    value = np.asarray(value, dtype=float)
    return value.T if columns and value.ndim == 2 else value


def linear_state_symbols(q: np.ndarray, k: np.ndarray, v: np.ndarray, base: int) -> dict[str, Family]:
    """Causal linear attention's running state S_i, normaliser z_i and output for every prefix."""
    features = elu_plus_one(k)  # (n, d_k): phi(k_j)
    states = np.cumsum(features[:, :, None] * v[:, None, :], axis=0)  # (n, d_k, d_v): S_i
    normalisers = np.cumsum(features, axis=0)  # (n, d_k): z_i
    queries = elu_plus_one(q)  # (n, d_k): phi(q_i)
    numerators = np.einsum("nk,nkv->nv", queries, states)  # (n, d_v): phi(q_i)^T S_i
    outputs = numerators / np.einsum("nk,nk->n", queries, normalisers)[:, None]  # (n, d_v)
    state = Family(lambda i: states[token(i, base, len(states))], states[-1])
    normaliser = Family(lambda i: normalisers[token(i, base, len(normalisers))], normalisers[-1])
    output = Family(lambda i: outputs[token(i, base, len(outputs))], outputs)
    return {"S": state, "s": state, "z": normaliser, "Z": normaliser, "V'": output, "v'": output, "out": output}


def rows(matrix: np.ndarray, columns: bool, base: int, one_token: bool = False) -> Family:
    """x_i, q_i, ...: the i-th token's vector (a row of X, or a column in the column convention); bare x is
    the matrix, or the first token's vector."""
    return Family(lambda i: matrix[token(i, base, matrix.shape[0])], matrix[0] if one_token else
                  orient(matrix, columns))


def entries(matrix: np.ndarray, base: int, columns: bool = False, keys_first: bool = False,
            one_token: bool = False, allowed: np.ndarray | None = None) -> Family:
    """alpha_{ij}: query i's weight on key j, whatever the vector convention (or with keys_first key i's weight
    for query j); alpha alone is the matrix. With `one_token`, where a bare q is the first token's query,
    alpha_t is that query's weight on key t (single-query attention, as Phuong & Hutter's Algorithm 3 writes it).
    Where `allowed` [n_q, n_k] is given, an entry it masks is out of range: the formula says nothing there."""
    indexed = matrix.T if keys_first else matrix  # (n_k, n_q) when keys come first
    allowed = None if allowed is None else allowed.T if keys_first else allowed  # laid out as indexed

    def pick(i, j=None):
        if j is None and not one_token:
            raise TypeError("one index for a matrix")  # read as: the subscripts do not fit
        if j is None:
            return matrix[0, token(i, base, matrix.shape[1])]
        row, column = token(i, base, indexed.shape[0]), token(j, base, indexed.shape[1])
        if allowed is not None and not allowed[row, column]:
            raise OutOfRange(f"entry ({i}, {j}) is masked")
        return indexed[row, column]

    return Family(pick, orient(matrix, columns))


def token(i: int, base: int, count: int) -> int:
    if not base <= i < base + count:
        raise OutOfRange(f"index {i} outside {base}..{base + count - 1}")
    return i - base


def head(i: int, base: int) -> int:
    return token(i, base, HEADS)


def dimensions(**sizes: int) -> dict[str, int]:
    """d_k, d_{model}, n and their other spellings."""
    symbols = {"n": sizes["n"], "N": sizes["n"], "T": sizes["n"], "L": sizes["n"]}
    symbols |= {"n_" + label: sizes["n"] for label in ("k", "q", "kv", "ctx", "keys", "queries")}  # self-attention:
    # n_q = n_k = n (Geron's n_queries, n_keys)
    symbols |= {"N_" + label: sizes["n"] for label in ("X", "Q", "K", "x", "q", "k")}  # Johnson: N_X inputs, N_Q
    # queries
    symbols |= {"d_" + label: sizes["d_k"]
                for label in ("k", "q", "h", "head", "qk", "key", "keys", "queries", "attention", "att", "kq", "z")}
    # d_z: Shaw et al.'s; d_keys: Geron's
    symbols |= {"d_" + label: sizes["d_v"] for label in ("v", "value", "values")}
    symbols |= {"d_" + label: sizes["d_model"] for label in ("model", "m", "emb", "e", "x")}
    symbols |= {"head_size": sizes["d_k"], "hs": sizes["d_k"], "n_embd": sizes["d_model"], "p_q": sizes["d_k"],
                "F": sizes["d_model"],
                "D": sizes["d_k"], "D_q": sizes["d_k"], "D_k": sizes["d_k"], "D_v": sizes["d_v"],
                "D_qk": sizes["d_k"],  # Fleuret's D^{QK}
                "D_X": sizes["d_model"], "D_x": sizes["d_model"], "D_m": sizes["d_model"],  # D_m: Lin et al.'s survey
                "p_k": sizes["d_k"], "p_v": sizes["d_v"], "p_o": sizes["d_model"]}
    return symbols


@cache
def vectors(seed: int) -> Setting:
    """One query q and one key k of width d_k, with q_i, k_i their components (q . k = sum_i q_i k_i)."""
    rng = np.random.default_rng(seed)
    q, k = rng.standard_normal((2, D_K))  # (d_k,) each
    symbols = {name: Family(lambda i, v=vector: v[token(i, 1, D_K)], vector) for name, vector in (("q", q), ("k", k))}
    symbols |= dimensions(n=N, d_model=D_MODEL, d_k=D_K, d_v=D_V) | {"d": D_K}
    return Setting(symbols=symbols, ranges={"*": tuple(range(1, D_K + 1))},
                   about=f"random vectors q, k of width d_k = {D_K} (seed {seed})")


@cache
def online_softmax(seed: int, base: int = 1, outputs: str = "normalised") -> Setting:
    """The running quantities of the online softmax (Milakov & Gimelshein) over scores x_1..x_T and values v_j:
    m_j = max_{i <= j} x_i, l_j = sum_{i <= j} exp(x_i - m_j), acc_j = sum_{i <= j} exp(x_i - m_j) v_i and
    o_j = acc_j / l_j, or acc_j itself where the outputs are not normalised (FlashAttention-2 rescales an
    unnormalised output) (m_0 = -inf, l_0 = 0, acc_0 = 0). As functions of a block of scores, as FlashAttention
    writes them: m(x) = max_i x_i, l(x) = sum_i exp(x_i - m(x)), f(x) = exp(x - m(x)), o(x) = softmax(x) V (or
    exp(x - m(x)) V unnormalised; "divided at the end": the blocks' unnormalised, the whole row's normalised), with
    x^(1), x^(2) the two halves of x, V^(1), V^(2) their values and P_tilde = exp(x^(2) - m(x^(2)))."""
    rng = np.random.default_rng(seed)
    scores = rng.standard_normal(ONLINE_LENGTH) * 2  # (T,)
    values = rng.standard_normal((ONLINE_LENGTH, ONLINE_WIDTH))  # (T, d_v)

    def prefix(j):
        if not base - 1 <= j < base + ONLINE_LENGTH:
            raise OutOfRange(f"step {j} outside {base - 1}..{base + ONLINE_LENGTH - 1}")
        return scores[: j - base + 1]  # (j,)

    def running_max(j):
        return float(prefix(j).max()) if j >= base else -np.inf

    def running_sum(j):
        return float(np.exp(prefix(j) - running_max(j)).sum()) if j >= base else 0.0

    def accumulator(j):
        seen = prefix(j)  # (j,)
        return np.exp(seen - running_max(j)) @ values[: len(seen)] if j >= base else np.zeros(ONLINE_WIDTH)  # (d_v,)

    half = ONLINE_LENGTH // 2
    halves = {"x_(1)": scores[:half], "x_(2)": scores[half:]}  # (T/2,) each
    block_values = {"V_(1)": values[:half], "V_(2)": values[half:]}  # (T/2, d_v) each

    def block_output(block):  # o(x): a block's (or the row's) output, exp(block - m(block)) V_block, normalised?
        start = next(at for at in range(ONLINE_LENGTH) if np.array_equal(scores[at : at + len(block)], block))
        weights = np.exp(block - np.max(block))  # (len,)
        whole = len(block) == ONLINE_LENGTH
        divided = outputs == "normalised" or outputs == "divided at the end" and whole
        return (weights / weights.sum() if divided else weights) @ values[start : start + len(block)]  # (d_v,)
    score, value = rows(scores, False, base), rows(values, False, base)  # x_j (s_j, S^{(j)}), v_j (V_j)
    symbols = {"x": score, "s": score, "S": score, "v": value, "V": value,  # S^{(j)}, V_j: block j's, a key a block
               "m": Family(running_max, None), "ell": Family(running_sum, None), "l": Family(running_sum, None),
               "d": Family(running_sum, None),  # Milakov & Gimelshein call the running sum d_j
               "acc": Family(accumulator, None),
               "o": Family(lambda j: accumulator(j) / running_sum(j) if outputs == "normalised" and j >= base
                           else accumulator(j), None),  # o_0 = 0: nothing seen yet
               "O_tilde": Family(accumulator, None),  # FlashAttention-2's unnormalised output
               "J": Members(lambda t: (t,)),  # J_t, the keys of block t: one key a step here
               "T": ONLINE_LENGTH, "N": ONLINE_LENGTH,
               "P_tilde": np.exp(halves["x_(2)"] - halves["x_(2)"].max())} | halves | block_values  # (T/2,)
    functions = {"m": lambda x: float(np.max(x)), "ell": lambda x: float(np.exp(x - np.max(x)).sum()),
                 "l": lambda x: float(np.exp(x - np.max(x)).sum()), "f": lambda x: np.exp(x - np.max(x)),
                 "o": block_output, "rowmax": lambda x: float(np.max(x)), "rowsum": lambda x: float(np.sum(x))}
    steps = tuple(range(base + 1, base + ONLINE_LENGTH))  # a step j and the one before it, j - 1
    return Setting(symbols=symbols, functions=functions,
                   ranges={"j": steps, "t": steps, "i": tuple(range(base, base + ONLINE_LENGTH))},  # i: every score
                   about=f"random scores x_1..x_{ONLINE_LENGTH} and values v_j (seed {seed})"
                   + (", steps from 0" if base == 0 else "") + ("" if outputs == "normalised" else f", o {outputs}"),
                   base=base)


def softmax_jacobian(p: np.ndarray) -> np.ndarray:
    """d softmax(x)_i / d x_j = diag(p) - p p^T, for the probabilities p = softmax(x) (the saturation claim)."""
    return np.diag(p) - np.outer(p, p)  # (len(p), len(p))


@cache
def temperature(seed: int) -> Setting:
    """Scores z (or x, s) of length 6 with one largest entry, for the softmax's limits in a temperature T (tau, t):
    p(T) is softmax(z / T), J(u) the softmax's Jacobian diag(softmax(u)) - softmax(u) softmax(u)^T at u, e_k the
    k-th standard basis vector (onehot(k) too), `star` the index of the largest score (i^*) and ones the vector of
    ones."""
    rng = np.random.default_rng(seed)
    scores = rng.standard_normal(SOFTMAX_WIDTH) * 2  # (6,)

    symbols = {name: Family(lambda i: scores[token(i, 1, SOFTMAX_WIDTH)], scores) for name in ("x", "z", "s")}
    symbols |= {"e": Family(lambda k: np.eye(SOFTMAX_WIDTH)[token(k, 1, SOFTMAX_WIDTH)], None),
                "star": int(np.argmax(scores)) + 1, "ones": np.ones(SOFTMAX_WIDTH)}
    symbols |= {size: SOFTMAX_WIDTH for size in ("n", "N", "m")}
    return Setting(symbols=symbols, functions={"p": lambda t: softmax(scores / t, -1),
                                               "J": lambda point: softmax_jacobian(softmax(np.asarray(point), -1)),
                                               "sigma": lambda u: softmax(u, -1),
                                               "onehot": lambda k: np.eye(SOFTMAX_WIDTH)[token(k, 1, SOFTMAX_WIDTH)]},
                   ranges={"*": tuple(range(1, SOFTMAX_WIDTH + 1))},
                   about=f"random scores z of length {SOFTMAX_WIDTH} (seed {seed}), p(T) = softmax(z / T)")


SCORE_VECTORS = ("x", "z", "s")  # the letters a softmax's own scores go by


@cache
def softmax_vectors(seed: int, columns: bool = False, of: str = "x") -> Setting:
    """Plain score vectors x, z, s of length 6 and a constant c, for softmax's own definition; p = softmax(x)
    (or of the scores `of` names, as p = softmax(s) defines it) and J its Jacobian d p_i / d x_j = diag(p) - p p^T
    (the saturation claim); `columns` reads p p^T as an outer product (column vectors) rather than a dot product
    (row vectors)."""
    rng = np.random.default_rng(seed)
    vectors = rng.standard_normal((3, SOFTMAX_WIDTH)) * 2  # (3, 6)
    symbols = {name: rows(vector, False, 1) for name, vector in zip(SCORE_VECTORS, vectors, strict=True)}
    symbols |= {"c": float(rng.standard_normal()), "tau": float(rng.uniform(1.5, 3)), "T": float(rng.uniform(1.5, 3)),
                "beta": float(rng.uniform(0.3, 3)), "ones": np.ones(SOFTMAX_WIDTH)}  # beta: an inverse temperature
    scores = vectors[SCORE_VECTORS.index(of)]  # (6,)
    p = softmax(scores, -1)  # (6,): softmax(x), or of the scores `of` names
    tempered = softmax(symbols["beta"] * scores, -1)  # (6,): softmax(beta x), whose Jacobian carries beta
    symbols |= {"p_beta": rows(tempered, False, 1), "J_beta": entries(symbols["beta"] * softmax_jacobian(tempered), 1)}
    symbols |= {"p": rows(p, False, 1), "J": entries(softmax_jacobian(p), 1),
                "delta": Family(lambda i, j: float(i == j), None), "I": np.eye(SOFTMAX_WIDTH)}
    symbols |= {size: SOFTMAX_WIDTH for size in ("n", "N", "K", "V")}
    return Setting(symbols=symbols, ranges={"*": tuple(range(1, SOFTMAX_WIDTH + 1))},
                   functions={"sigma": lambda scores: softmax(scores, -1)},  # sigma(z)_i, as some notes write softmax
                   columns=columns,
                   about=f"random scores x, z, s of length {SOFTMAX_WIDTH}, a constant c and an inverse "
                   f"temperature beta (seed {seed})" + (f", p = softmax({of})" if of != "x" else ""))

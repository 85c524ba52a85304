"""The report's figures, drawn from the reference implementation with fixed seeds.

Each figure function returns a matplotlib Figure, built without pyplot (no global state, no
backend); `render_all` renders them as PNG with no timestamp or software tag, so the same code
on the same machine gives the same bytes.

Example:
    >>> figure = kv_cache_memory()
    >>> [axis.get_xlabel() for axis in figure.axes]
    ['sequence length (tokens)']
"""

import io

import matplotlib
import numpy as np
from matplotlib.figure import Figure

import impl
from impl.attention import attention_weights
from proofs import kv_cache_memory as memory

SEED = 20241128
D_K = (1, 2, 4, 8, 16, 32, 64, 128, 256, 512)
SCALINGS = {"unscaled": lambda d: 1.0, "1/sqrt(d_k)": lambda d: 1 / np.sqrt(d), "1/d_k": lambda d: 1 / d}
STYLE = {"figure.figsize": (6.4, 3.6), "figure.dpi": 100, "font.size": 9, "svg.hashsalt": "attnproof"}


def score_variance() -> Figure:
    """Empirical Var(q . k * scale) against d_k for the three scalings, with the derived lines."""
    rng = np.random.default_rng(SEED)
    figure = Figure()
    axis = figure.subplots()
    for label, scale in SCALINGS.items():
        variances = []
        for d in D_K:
            q, k = rng.standard_normal((2, 4000, d))  # (N, d_k) each
            variances.append(np.var(np.einsum("nd,nd->n", q, k) * scale(d)))
        axis.plot(D_K, variances, "o", label=f"measured, {label}")
    d = np.array(D_K, dtype=float)
    for label, derived in (("d_k", d), ("1", np.ones_like(d)), ("1/d_k", 1 / d)):
        axis.plot(d, derived, "-", color="grey", linewidth=0.8)
        axis.annotate(f"Var = {label}", (d[-1], derived[-1]), textcoords="offset points", xytext=(4, 0), fontsize=8)
    axis.set(xscale="log", yscale="log", xlabel="d_k", ylabel="Var(q . k x scale)", title="Score variance")
    axis.legend(fontsize=8)
    return figure


def entropy_and_saturation() -> Figure:
    """Mean entropy and mean largest weight of one query's weights over 16 keys, against d_k."""
    rng = np.random.default_rng(SEED)
    figure = Figure(figsize=(8, 3.4))
    left, right = figure.subplots(1, 2)
    for label, scale in SCALINGS.items():
        entropy, top = [], []
        for d in D_K:
            q, k = rng.standard_normal((500, 1, d)), rng.standard_normal((500, 16, d))  # (N, 1, d_k), (N, S, d_k)
            w = attention_weights(q, k, scale=scale(d))[:, 0]  # (N, S)
            entropy.append(-(w * np.log(np.where(w > 0, w, 1.0))).sum(axis=-1).mean())
            top.append(w.max(axis=-1).mean())
        left.plot(D_K, entropy, "o-", label=label)
        right.plot(D_K, top, "o-", label=label)
    left.axhline(np.log(16), color="grey", linewidth=0.8)
    left.set(
        xscale="log", xlabel="d_k", ylabel="mean entropy (nats)", title="Entropy of the weights (log 16 = uniform)"
    )
    right.set(xscale="log", xlabel="d_k", ylabel="mean largest weight", title="Saturation (1 = one-hot)")
    left.legend(fontsize=8)
    figure.tight_layout()
    return figure


def mask_heat_maps() -> Figure:
    """Weights under a causal mask, a padding mask, both, and a 3-token decode chunk over 8 keys."""
    rng = np.random.default_rng(SEED)
    q, k = rng.standard_normal((2, 8, 4))  # (n, d_k) each
    padded = np.arange(8) < 6  # (S,): the last two keys are padding
    panels = {
        "causal": attention_weights(q, k, causal=True),
        "padding (keys 6, 7)": attention_weights(q, k, mask=padded),
        "causal + padding": attention_weights(q, k, mask=padded, causal=True),
        "decode: 3 new queries, 8 keys": attention_weights(q[5:], k, causal=True),
    }
    figure = Figure(figsize=(10, 2.9))
    axes = figure.subplots(1, 4)
    for axis, (title, w) in zip(axes, panels.items(), strict=True):
        axis.imshow(w, vmin=0, vmax=1, cmap="viridis")
        axis.set(title=title, xlabel="key j", ylabel="query i", xticks=range(8), yticks=range(w.shape[0]))
        axis.title.set_fontsize(8)
    figure.tight_layout()
    return figure


def rope_relative_scores() -> Figure:
    """<R_m q, R_n k> against the offset n - m, for several starting positions m: the curves coincide."""
    rng = np.random.default_rng(SEED)
    q, k = rng.standard_normal((2, 1, 64))  # (1, d) each
    offsets = np.arange(0, 128)
    figure = Figure()
    axis = figure.subplots()
    for start, style in ((0, "-"), (500, "--"), (10000, ":")):
        rotated_q = impl.rope(q, np.array([start]))  # (1, d)
        rotated_k = impl.rope(np.repeat(k, offsets.size, axis=0), start + offsets)  # (offsets, d)
        axis.plot(offsets, (rotated_k @ rotated_q.T)[:, 0], style, label=f"m = {start}")
    axis.set(xlabel="offset n - m", ylabel="<R_m q, R_n k>", title="RoPE scores depend only on the offset")
    axis.legend(fontsize=8)
    return figure


def kv_cache_memory() -> Figure:
    """KV-cache memory against sequence length: 32 layers, 32 query heads of 128, fp16; MHA, GQA-8, MQA."""
    lengths = np.linspace(0, 32768, 65)
    figure = Figure()
    axis = figure.subplots()
    for label, kv_heads in (("MHA (32 KV heads)", 32), ("GQA (8 KV heads)", 8), ("MQA (1 KV head)", 1)):
        sizes = {
            memory.layers: 32,
            memory.kv_heads: kv_heads,
            memory.head_dim: 128,
            memory.bytes_per_element: 2,
            memory.batch: 1,
        }
        per_token = float(memory.KV_CACHE_BYTES.subs(sizes).subs(memory.seq_len, 1))
        axis.plot(lengths, lengths * per_token / 2**30, label=label)
    axis.set(xlabel="sequence length (tokens)", ylabel="GiB per sequence", title="KV-cache memory")
    axis.legend(fontsize=8)
    return figure


def gradient_against_distance() -> Figure:
    """||dh_t/dh_0|| of a tanh RNN (||W_hh|| = 0.9) against t, and attention's dh_n/dv_j against n - j."""
    rng = np.random.default_rng(SEED)
    d_h, n = 8, 40
    w_hh = rng.standard_normal((d_h, d_h))
    w_hh *= 0.9 / np.linalg.norm(w_hh, 2)  # (d_h, d_h), spectral norm 0.9
    x, w_xh = rng.standard_normal((n, 4)), rng.standard_normal((4, d_h)) / 2  # (n, d_in), (d_in, d_h)
    states = impl.elman_rnn(x, w_xh, w_hh, np.zeros(d_h))  # (n, d_h)
    jacobian, norms = np.eye(d_h), []
    for t in range(n):  # dh_t/dh_0 = prod diag(1 - h_t^2) W_hh^T
        jacobian = np.diag(1 - states[t] ** 2) @ w_hh.T @ jacobian  # (d_h, d_h)
        norms.append(np.linalg.norm(jacobian, 2))
    q, k = rng.standard_normal((1, 16)), rng.standard_normal((n, 16))  # the last query, n keys
    weights = attention_weights(q, k)[0]  # (n,): dh_n/dv_j = p_nj
    distance = np.arange(1, n + 1)
    figure = Figure()
    axis = figure.subplots()
    axis.semilogy(distance, norms, "o-", markersize=3, label="RNN ||dh_t/dh_0||")
    axis.semilogy(distance, 0.9**distance, color="grey", linewidth=0.8, label="bound 0.9^t")
    axis.semilogy(distance, weights[::-1], "s", markersize=3, label="attention dh_n/dv_j = p_nj")
    axis.set(xlabel="distance (tokens)", ylabel="gradient size", title="Gradient against distance")
    axis.legend(fontsize=8)
    return figure


FIGURES = {
    "variance.png": score_variance,
    "entropy.png": entropy_and_saturation,
    "masks.png": mask_heat_maps,
    "rope.png": rope_relative_scores,
    "kv_cache.png": kv_cache_memory,
    "gradients.png": gradient_against_distance,
}


def render_all() -> dict[str, bytes]:
    """Draw every figure and return its PNG bytes by file name (the caller writes them)."""
    rendered = {}
    with matplotlib.rc_context(STYLE):
        for name, draw in FIGURES.items():
            buffer = io.BytesIO()
            draw().savefig(buffer, format="png", bbox_inches="tight", metadata={"Software": None})
            rendered[name] = buffer.getvalue()
    return rendered

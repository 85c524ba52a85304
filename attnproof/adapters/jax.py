"""JAX as an implementation: jax.nn.dot_product_attention behind the protocol, numpy in and out.

`attnproof verify --impl jax` checks jax.nn.dot_product_attention (XLA on the CPU) against every
claim it can answer, in float32 and float64 (the adapter turns on JAX's 64-bit mode). JAX lays
arrays out as (batch, length, heads, head_dim) where the protocol has (..., heads, length,
head_dim); the adapter moves the axes. Where JAX's own convention differs from the protocol, the
adapter implements the protocol and `native_findings()` reports what JAX itself does, measured on
the installed version:

- `is_causal=True` with L != S (a decode step over a cache): which keys the queries see;
- a query whose keys are all masked: what JAX returns for it (the protocol asks for zeros);
- float64 inputs: whether the result has float64 accuracy (JAX computes the softmax in float32).

Example:
    >>> import numpy as np
    >>> q = k = v = np.eye(2)
    >>> attention(q, k, v, causal=True).shape
    (2, 2)
"""

import jax
import numpy as np

from attnproof.oracle import admissible, oracle_attention

jax.config.update("jax_enable_x64", True)  # float64 inputs stay float64


def attention(q, k, v, mask=None, causal=False, scale=None, enable_gqa=False):
    """The protocol's attention through jax.nn.dot_product_attention, with the bottom-right mask built here."""
    n_queries, n_keys = q.shape[-2], k.shape[-2]
    batch = q.shape[:-3] if enable_gqa else q.shape[:-2]
    heads, kv_heads = (q.shape[-3], k.shape[-3]) if enable_gqa else (1, 1)
    allowed = admissible(n_queries, n_keys, q.shape[:-2], mask, causal)  # (..., L, S)

    width = max(q.shape[-1], v.shape[-1])  # JAX needs d_v = d_k: pad with zero channels, which change nothing

    def to_jax(x, n_heads):  # (..., [H,] T, D) -> (B, T, H, width)
        x = np.concatenate([x, np.zeros(x.shape[:-1] + (width - x.shape[-1],), x.dtype)], axis=-1)
        return np.ascontiguousarray(x.reshape((-1, n_heads) + x.shape[-2:]).transpose(0, 2, 1, 3))

    out = jax.nn.dot_product_attention(
        to_jax(q, heads),  # (B, L, Hq, width)
        to_jax(k, kv_heads),  # (B, S, Hkv, width)
        to_jax(v, kv_heads),  # (B, S, Hkv, width)
        mask=allowed.reshape((-1, heads, n_queries, n_keys)),  # (B, Hq, L, S)
        scale=1.0 / np.sqrt(q.shape[-1]) if scale is None else scale,  # of the unpadded d_k
    )  # (B, L, Hq, width)
    out = np.asarray(out)[..., : v.shape[-1]].transpose(0, 2, 1, 3)  # (B, Hq, L, Ev)
    out = out.reshape(batch + (heads,) * enable_gqa + (n_queries, v.shape[-1]))  # (..., L, Ev)
    return np.where(allowed.any(axis=-1, keepdims=True), out, 0).astype(q.dtype)  # rows with no key: zeros


def native_findings() -> list[str]:
    """How jax.nn.dot_product_attention itself behaves where its convention is not the protocol's, measured now."""
    findings = []
    q, k = np.zeros((1, 1, 1, 3), np.float32), np.zeros((1, 3, 1, 3), np.float32)  # (B, T, N, H)
    v = np.eye(3, dtype=np.float32)[None, :, None, :]  # (1, S, 1, S): the output is the weights
    try:
        jax.nn.dot_product_attention(q, k, v[..., :2])
    except ValueError as error:
        findings.append(
            f"jax.nn.dot_product_attention needs values as wide as queries (d_v = d_k): {error}; the "
            "adapter pads the narrower side with zero channels, which change no score or output"
        )
    weights = np.asarray(jax.nn.dot_product_attention(q, k, v, is_causal=True))[0, 0, 0]
    if weights[1:].sum() == 0:
        findings.append(
            "jax.nn.dot_product_attention is_causal=True aligns the mask top-left when L != S: one "
            f"decode query over 3 cached keys sees only key 0 (weights {weights.round(3).tolist()}); "
            "the protocol aligns it bottom-right, so the adapter passes its own mask"
        )
    masked = np.asarray(jax.nn.dot_product_attention(q, k, v, mask=np.zeros((1, 1, 1, 3), bool)))[0, 0, 0]
    if not np.allclose(masked, 0):
        findings.append(
            "jax.nn.dot_product_attention gives a query whose keys are all masked the weights "
            f"{masked.round(3).tolist()} (it fills masked scores with a large negative number, so the "
            "softmax spreads evenly) instead of zeros; the adapter writes zeros"
        )
    x = np.linspace(-1, 1, 12).reshape(3, 4)  # (S, E) float64
    native = np.asarray(jax.nn.dot_product_attention(x[None, :, None], x[None, :, None], x[None, :, None]))[0, :, 0]
    error = float(np.abs(native - oracle_attention(x, x, x)).max())
    if error > 1e-12:
        findings.append(
            f"jax.nn.dot_product_attention on float64 inputs is {error:.1e} off a float64 oracle: it computes the "
            "softmax in float32, so the float64 claims with tight tolerances fail; the adapter leaves this as it is "
            "(it is the library's arithmetic, not a convention)"
        )
    return findings

"""The KV cache's memory: 2 (K and V) x layers x Hkv x seq_len x head_dim x bytes per element x batch.

The formula is the derivation's own SymPy expression; the property fills an implementation's
cache token chunk by token chunk and compares the bytes it holds with the formula.
"""

import numpy as np
from hypothesis import strategies as st

from attnproof.property import checks
from attnproof.strategies import floats_array
from proofs import kv_cache_memory as memory


@st.composite
def cache_cases(draw):
    """A model shape (layers, batch, Hkv, head_dim), a dtype, and per layer the chunks of K and V appended."""
    dtype = draw(st.sampled_from([np.float16, np.float32, np.float64]))
    layers, batch, kv_heads, head_dim = (draw(st.integers(1, n)) for n in (3, 2, 4, 8))
    chunk_sizes = draw(st.lists(st.integers(1, 3), min_size=1, max_size=4))
    chunks = [
        [
            (
                draw(floats_array(dtype, (batch, kv_heads, t, head_dim))),
                draw(floats_array(dtype, (batch, kv_heads, t, head_dim))),
            )
            for t in chunk_sizes
        ]
        for _ in range(layers)
    ]  # per layer, per chunk: k, v (batch, Hkv, t, head_dim)
    return {
        "layers": layers,
        "batch": batch,
        "kv_heads": kv_heads,
        "head_dim": head_dim,
        "dtype": dtype,
        "seq_len": sum(chunk_sizes),
        "chunks": chunks,
    }


@checks(cache_cases(), needs=("KVCache",))
def cache_bytes_match_formula(impl, case):
    """After seq_len tokens nbytes = 2 * layers * Hkv * seq_len * head_dim * bytes * batch; appends come back intact."""
    __tracebackhide__ = True
    cache = impl.kv_cache(case["layers"])
    for layer, chunks in enumerate(case["chunks"]):
        for t, (k, v) in enumerate(chunks):
            keys, values = cache.append(layer, k, v)  # (batch, Hkv, seq so far, head_dim) each
            stored_k = np.concatenate([c[0] for c in chunks[: t + 1]], axis=-2)  # (batch, Hkv, seq so far, head_dim)
            stored_v = np.concatenate([c[1] for c in chunks[: t + 1]], axis=-2)  # (batch, Hkv, seq so far, head_dim)
            if not (np.array_equal(keys, stored_k) and np.array_equal(values, stored_v)):
                raise AssertionError(
                    f"KVCache layer {layer}: after {t + 1} appends the cache does not return the keys and values stored"
                )
    sizes = {
        memory.layers: case["layers"],
        memory.kv_heads: case["kv_heads"],
        memory.seq_len: case["seq_len"],
        memory.head_dim: case["head_dim"],
        memory.bytes_per_element: np.dtype(case["dtype"]).itemsize,
        memory.batch: case["batch"],
    }
    expected = int(memory.KV_CACHE_BYTES.subs(sizes))
    if cache.nbytes != expected:
        shape = ", ".join(f"{symbol}={value}" for symbol, value in sizes.items())
        raise AssertionError(
            f"KVCache holds {cache.nbytes} bytes for {shape}; "
            f"2 x layers x Hkv x seq_len x head_dim x bytes x batch = {expected}"
        )

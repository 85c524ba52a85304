r"""Claim kv_cache.memory: cache bytes = 2 (K, V) x layers x kv_heads x seq_len x head_dim x bytes x batch.

Strength: symbolic (every size is a positive integer symbol; the worked example puts in one config).

Each layer keeps, for each sequence of the batch, each key/value head and each token, one key row and
one value row of head_dim numbers: the 2 is K and V. Hence GQA's saving is exactly Hq / Hkv, and the
memory grows linearly in seq_len. A 7B-like model (32 layers, 32 heads of 128, fp16) at 4096 tokens
holds 2 GiB per sequence.

Example:
    >>> KV_CACHE_BYTES
    2*batch*bytes_per_element*head_dim*kv_heads*layers*seq_len
    >>> config = {layers: 32, kv_heads: 32, seq_len: 4096, head_dim: 128, bytes_per_element: 2, batch: 1}
    >>> KV_CACHE_BYTES.subs(config) / 2**30  # GiB
    2
"""

import sympy as sp

from proofs.derivation import Derivation

layers, kv_heads, seq_len, head_dim, bytes_per_element, batch = sp.symbols(
    "layers kv_heads seq_len head_dim bytes_per_element batch", positive=True, integer=True
)
KV_CACHE_BYTES = 2 * layers * kv_heads * seq_len * head_dim * bytes_per_element * batch

GIB = sp.Pow(2, 30, evaluate=False)


def derive() -> Derivation:
    proof = Derivation("the KV cache's bytes: 2 (K and V) x layers x Hkv x seq_len x head_dim x bytes x batch")
    proof.assume("per layer, sequence, key/value head and token the cache keeps one key and one value row")
    row = head_dim * bytes_per_element
    proof.equal(
        sp.Mul(sp.Add(row, row, evaluate=False), layers, kv_heads, seq_len, batch, evaluate=False),
        KV_CACHE_BYTES,
        "a key row and a value row of head_dim numbers each, for every layer, head, token and sequence",
    )

    H_q, H_kv = sp.symbols("H_q H_kv", positive=True, integer=True)
    proof.equal(
        sp.Mul(
            KV_CACHE_BYTES.subs(kv_heads, H_q),
            sp.Pow(KV_CACHE_BYTES.subs(kv_heads, H_kv), -1, evaluate=False),
            evaluate=False,
        ),
        H_q / H_kv,
        "MHA keeps H_q key/value heads, GQA H_kv: everything else cancels",
    )

    slope = proof.equal(
        sp.Derivative(KV_CACHE_BYTES, seq_len),
        2 * layers * kv_heads * head_dim * bytes_per_element * batch,
        "each further token adds the same number of bytes",
    )
    proof.equal(sp.Derivative(slope, seq_len), 0, "the slope does not change: memory is linear in seq_len")

    seven_b = {layers: 32, kv_heads: 32, seq_len: 4096, head_dim: 128, bytes_per_element: 2, batch: 1}
    proof.equal(
        sp.Subs(KV_CACHE_BYTES, tuple(seven_b), tuple(seven_b.values())),
        sp.Mul(2, GIB, evaluate=False),
        "7B-like: 32 layers, 32 heads of 128, fp16, 4096 tokens: 2^31 bytes = 2 GiB per sequence",
    )
    grouped = {**seven_b, kv_heads: 8}
    proof.equal(
        sp.Subs(KV_CACHE_BYTES, tuple(grouped), tuple(grouped.values())),
        sp.Mul(sp.Rational(1, 2), GIB, evaluate=False),
        "the same with GQA, 8 key/value heads: 4 times less, 512 MiB",
    )
    return proof

"""Independent correct implementations of the protocol, written without impl/.

They are the evidence that attnproof's properties accept correct code other than the
reference: every claim that passes on impl/ must pass on these too.

- `loops`: explicit Python loops per query row and key, `math.fsum`/`math.exp` in float64,
  split-half RoPE (GPT-NeoX / Hugging Face LLaMA layout).
- `complex_rope`: einsum and log-sum-exp weights in the input's dtype, GQA by index
  arithmetic, RoPE by complex multiplication (original LLaMA layout), its own
  `multi_head_attention` and `KVCache`.
"""

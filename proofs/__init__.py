"""The SymPy derivations behind attnproof's claims, one module per claim.

Each module states its claim and how strong its derivation is (symbolic in the sizes, or at fixed
sizes and why), and exposes `derive()`, which builds a `derivation.Derivation`: the chain of small
steps a teacher would write on a whiteboard, each with a plain-English reason and each confirmed by
SymPy as it is recorded, so a wrong or unconfirmable step raises `ProofError` naming itself.
`explicit` holds the entry-by-entry attention on explicit matrices that the fixed-size derivations
share; the key expressions other code reuses (such as `variance.SCALED_SCORE_FOURTH_MOMENT` and
`kv_cache_memory.KV_CACHE_BYTES`) are module-level names.
"""

"""Which claims `attnproof check` decides in documents, and why the others are not.

The rules name their claims (equations.Topic, costs.Measure, scalars.CLAIMS, variance.CLAIM,
worked.CLAIMS); this module collects them so that the registry's claims can each be tied to a rule or to a
stated reason (a meta-test keeps the two lists complete and apart).

Example:
    >>> "positions.rope" in covered(), "scaling.entropy" in covered()
    (True, False)
"""

from functools import cache

NOT_IN_DOCUMENTS = {
    "qkv.value_payload": "linearity in V is argued in words, rarely written as an equation of two V's",
    "scaling.entropy": "a statement about how the weights' entropy moves with d_k, shown in plots, not one equation",
    "attention.convex_combination": "said in words (a weighted average of the values); its equation is the definition",
    "mask.padding": "padding masks are described, not written as formulas with symbols of their own",
    "kv_cache.equivalence": "an algorithm's equivalence, shown in code rather than a formula",
    "mask.decode_alignment": "an alignment rule for decoding with a cache, shown in code or pictures",
    "rnn.long_range_gradients": "a bound on products of Jacobians, written in too many ways to read reliably yet",
    "gqa.repeat_kv": "an index map between heads, written in code (repeat_interleave) rather than formulas",
    "positions.decode": "positions at decode are an implementation detail, rarely a formula",
    "positions.extrapolation": "a statement about table lengths, in words",
}


@cache
def covered() -> frozenset[str]:
    """The ids of the claims some checker rule decides."""
    from attnproof.check import costs, equations, scalars, variance, worked

    topics = {t.claim for t in vars(equations).values() if isinstance(t, equations.Topic)}
    measures = {m.claim for subject in costs.subjects() for m in subject.measures.values()}
    return frozenset(topics | measures | set(scalars.CLAIMS) | {variance.CLAIM} | set(worked.CLAIMS))

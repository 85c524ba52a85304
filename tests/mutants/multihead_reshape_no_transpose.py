"""Heads split by reshaping (n, h*d) straight to (h, n, d), without the transpose.

Seen in: from-scratch multi-head code writing `.view(B, nh, T, hs)` where nanoGPT writes
`.view(B, T, nh, hs).transpose(1, 2)`; the merge is the matching reshape back.
Why it is wrong: head i must own channels i*d .. (i+1)*d - 1 of every token; the bare reshape
instead deals consecutive chunks of the flattened (n, h*d) array to heads, mixing tokens, so a
"head row" is made of pieces of several tokens.
"""

from ._compose import mutant

KILLED_BY = "multihead.concat_projection"


def _split_heads(x, n_heads):
    *batch, n, width = x.shape
    return x.reshape(*batch, n_heads, n, width // n_heads)  # (..., h, n, d) the bug: no transpose


def _merge_heads(x):
    *batch, h, n, d = x.shape
    return x.reshape(*batch, n, h * d)  # (..., n, h * d) the matching wrong reshape


__getattr__ = mutant(split_heads=_split_heads, merge_heads=_merge_heads)

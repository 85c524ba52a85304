"""Boolean mask polarity flipped: True is read as "masked out" instead of "may attend".

Seen in: lucidrains/x-transformers #160 (`where(mask, -inf, s)` for a keep-mask); a common
confusion because PyTorch's `key_padding_mask` uses True = ignore while SDPA uses True = keep.
Why it is wrong: the protocol's mask is True where a query may attend; flipping it attends
exactly the padding and ignores the real tokens.
"""

import numpy as np

from ._compose import mutant

KILLED_BY = "mask.padding"


def _user_mask(mask, n_queries, n_keys):
    return ~np.asarray(mask, dtype=bool)  # the bug: True taken as "block"


__getattr__ = mutant(user_mask=_user_mask)

"""Key-padding mask broadcast over the queries instead of over the keys.

Seen in: hyunwoongko/transformer PR #40 (`mask.unsqueeze(1).unsqueeze(3)`, shape (B, 1, S, 1),
where (B, 1, 1, S) was meant).
Why it is wrong: a padding mask (..., 1, S) says which KEYS are padding, and every query must
ignore them; turned to (..., S, 1) it instead blanks whole query rows and lets every query
attend the padded keys. With L != S the transposed mask no longer broadcasts (the real bug
crashes there; it was silent only because source and target were padded to one length).
"""

import numpy as np

from ._compose import mutant

KILLED_BY = "mask.padding"


def _user_mask(mask, n_queries, n_keys):
    mask = np.asarray(mask, dtype=bool)
    if mask.ndim == 1:  # (S,) a key-padding vector
        return mask[:, None]  # (S, 1) the bug: unsqueezed on the wrong side
    if mask.shape[-2] == 1:  # (..., 1, S) a key-padding mask
        return np.swapaxes(mask, -1, -2)  # (..., S, 1) the bug: now masks queries
    return mask  # (..., L, S) full masks are used as given


__getattr__ = mutant(user_mask=_user_mask)

"""The output comes back in the promoted dtype (float64 for float32 inputs) instead of q's dtype.

Seen in: NumPy 2 code scaling by `1 / np.sqrt(d_k)` (an np.float64 scalar, which NEP 50 lets
promote float32 arrays) with no cast at the end; in PyTorch, softmax upcast to float32 for
stability (`softmax(..., dtype=torch.float32)`) and the `.to(query.dtype)` forgotten.
Why it is wrong: the protocol returns q's dtype; a silently promoted output doubles memory and
traffic downstream and breaks code that concatenates it with half-precision activations.
"""

from ._compose import mutant

KILLED_BY = "qkv.shapes"


def _cast_output(out, q):
    return out  # (..., L, Ev) the bug: left in whatever dtype the arithmetic promoted to


__getattr__ = mutant(cast_output=_cast_output)

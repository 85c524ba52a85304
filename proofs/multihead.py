r"""Claim multihead.concat_projection: Concat(head_1..head_h) W_O = sum_i head_i W_O^(i), row blocks W_O^(i).

Strength: fixed sizes (h = 2 and h = 3 heads, with n, d_v, d_k and d_model symbolic: a block matrix
needs a definite number of blocks; the parameter count h * d_model * d_k = d_model^2 is symbolic in h).

Each head is n x d_v, the concatenation n x h d_v and W_O is h d_v x d_model, cut into h row blocks of
d_v rows each: multiplying out the blocks, head i meets only its own block. With d_k = d_model / h the
heads' query projections side by side are d_model wide, as many parameters as one full-width head.

Example:
    >>> derive().steps[4].rhs
    H_1*W^{(1)}_O + H_2*W^{(2)}_O
"""

import sympy as sp

from proofs.derivation import Derivation

n, d_model, d_k, d_v, h = sp.symbols("n d_model d_k d_v h", positive=True, integer=True)


def _heads(proof: Derivation, count: int) -> None:
    """Record the shapes and the block product for `count` heads."""
    heads = [sp.MatrixSymbol(f"H_{i}", n, d_v) for i in range(1, count + 1)]
    blocks = [sp.MatrixSymbol(f"W^{{({i})}}_O", d_v, d_model) for i in range(1, count + 1)]
    proof.shape(heads[0], (n, d_v), "each head is softmax(Q_i K_i^T / sqrt(d_k)) V_i: one d_v-wide row per token")
    concat = proof.shape(sp.BlockMatrix([heads]), (n, count * d_v), f"{count} heads side by side")
    w_o = proof.shape(sp.BlockMatrix([[b] for b in blocks]), (count * d_v, d_model), "W_O as row blocks of d_v")
    proof.shape(concat * w_o, (n, d_model), "the output is back in d_model")
    proof.equal(
        sp.MatMul(concat, w_o),
        sp.MatAdd(*[head * block for head, block in zip(heads, blocks, strict=True)]),
        "multiply the blocks out: head i meets only rows i d_v .. (i+1) d_v - 1 of W_O",
    )


def derive() -> Derivation:
    proof = Derivation("concatenating the heads and projecting is the sum of each head through its block of W_O")
    _heads(proof, 2)
    _heads(proof, 3)
    projections = sp.BlockMatrix([[sp.MatrixSymbol(f"W^{{({i})}}_Q", d_model, d_k) for i in (1, 2, 3)]])
    proof.shape(projections, (d_model, 3 * d_k), "each head projects d_model to its own d_k: 3 side by side")
    proof.assume("with h heads each head is d_k = d_model / h wide")
    per_head = d_model / h
    proof.equal(sp.Mul(h, per_head, evaluate=False), d_model, "the h heads' projections together are d_model wide")
    proof.equal(
        sp.Mul(h, d_model, per_head, evaluate=False),
        d_model**2,
        "h heads of d_model x d_k parameters: as many as one full d_model x d_model head",
    )
    return proof

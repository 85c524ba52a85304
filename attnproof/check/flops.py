r"""FLOP counts of the products attention is made of: `\mathrm{FLOPs}(QK^\top) = 2 n^2 d_k`.

Multiplying an m x k matrix by a k x p one takes m k p multiplications and as many additions, 2 m k p FLOPs, the
count proofs/cost.py makes; a chain of products is counted left to right, as written. The factors are one
head's matrices: X (n x d_model), W^Q and W^K (d_model x d_k), W^V (d_model x d_v), Q and K (n x d_k), V (n x d_v),
the scores S and weights A (n x n), with a transpose swapping the sides. The stated count is compared with
SymPy, exactly or with every width read as one d (a text that writes d for d_k); a count with n and d swapped
fails both.

Example:
    >>> from attnproof.check.parse import parse
    >>> decide(parse(r"\mathrm{FLOPs}(QK^\top) = 2 n^2 d_k")).verdict.value
    'ok'
    >>> decide(parse(r"\mathrm{FLOPs}(QK^\top) = 2 n d^2")).verdict.value
    'wrong'
    >>> decide(parse(r"\text{FLOPs}_{\text{attn}} = 4 n^2 d")).verdict.value
    'ok'
"""

import sympy as sp

from attnproof.check import tree
from attnproof.check.decision import Decision
from attnproof.check.evaluate import Unknown
from attnproof.check.finding import Verdict
from attnproof.check.symbolic import DIMENSIONS, expression, same, symbol
from proofs.cost import product_flops

N, D_MODEL, D_K, D_V = (symbol(size) for size in ("n", "d_model", "d_k", "d_v"))
SHAPES = {"X": (N, D_MODEL), "W_q": (D_MODEL, D_K), "W_k": (D_MODEL, D_K), "W_v": (D_MODEL, D_V), "Q": (N, D_K),
          "K": (N, D_K), "V": (N, D_V), "S": (N, N), "A": (N, N), "P": (N, N)}
WIDTH = symbol("d")


ATTENTION_PRODUCTS = [[(N, D_K), (D_K, N)], [(N, N), (N, D_V)]]  # QK^T, then the weights times V


def decide(relation: tree.Relation) -> Decision | None:
    """`FLOPs(product) = count`, judged against 2 m k p per product, and `FLOPs_{attn} = count` against attention's
    two products, QK^T and AV; None for anything else."""
    if relation.ops != ("=",) or len(relation.items) != 2:
        return None
    left, right = relation.items
    if isinstance(left, tree.Script) and left.base == tree.Name("FLOPs") and left.sub == (tree.Name("attention"),):
        products = ATTENTION_PRODUCTS  # FLOPs_{attn}: the score and value products of one head, or of all together
        rule = "QK^T and the weights times V take 2 n^2 d_k + 2 n^2 d_v FLOPs"
    elif isinstance(left, tree.Mul) and left.op == "" and isinstance(left.left, tree.Name) and \
            left.left.name.lower() == "flops" and isinstance(left.right, tree.Group) and len(left.right.items) == 1:
        products = [matrices(left.right.items[0])]
        rule = "a product of an m x k and a k x p matrix takes 2 m k p FLOPs"
    else:
        return None
    if any(factors is None or len(factors) < 2 for factors in products):
        return None
    try:
        stated = expression(right, DIMENSIONS)
    except Unknown:
        return None
    if not stated.free_symbols:
        return None  # 2 * 2048^3: worked numbers, for the arithmetic rung with the sizes the text states
    count = sp.Integer(0)
    for factors in products:
        shape = factors[0]
        for rows, columns in factors[1:]:
            if shape[1] != rows:
                return None  # QK: a product that does not type-check has no FLOP count
            count, shape = count + product_flops(shape[0], shape[1], columns), (shape[0], columns)
    as_d = {D_MODEL: WIDTH, D_K: WIDTH, D_V: WIDTH}
    if same(stated, count) or same(stated.subs(as_d), count.subs(as_d)):
        return Decision(Verdict.OK, "cost.attention", "2 FLOPs per multiply-add, m k p of them for an m x k by "
                        "k x p product (proofs/cost.py)", rung="symbolic")
    return Decision(Verdict.WRONG, "cost.attention", rule,
                    hint=f"{sp.latex(count)}", counterexample=f"{sp.latex(stated)} against {sp.latex(count)}",
                    rung="symbolic")


def matrices(node: tree.Node) -> list[tuple[sp.Symbol, sp.Symbol]] | None:
    """The shapes of the factors of a written product, in order; None if a factor is not one of the matrices."""
    if isinstance(node, tree.Mul) and node.op in {"", "cdot", "times"}:
        left, right = matrices(node.left), matrices(node.right)
        return left + right if left is not None and right is not None else None
    if isinstance(node, tree.Transpose):
        inner = matrices(node.arg)
        return [(inner[0][1], inner[0][0])] if inner is not None and len(inner) == 1 else None
    key = node.name if isinstance(node, tree.Name) else None
    if isinstance(node, tree.Script) and node.base == tree.Name("W") and not node.sub and \
            isinstance(node.sup, tree.Name) and node.sup.name in {"Q", "K", "V"}:
        key = f"W_{node.sup.name.lower()}"
    return [SHAPES[key]] if key in SHAPES else None

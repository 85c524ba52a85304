r"""What a formula mentions, read off its tree: the coarse features (a mask, a causal sum, per-head weights, RoPE's
rotations, a softmax of a plain vector, an entry of an n x n matrix) that tell which claim it states and which
readings of its symbols to try (equations.topic, equations.attention_variants).

Example:
    >>> from attnproof.check.parse import parse
    >>> sorted(kinds(parse(r"y_i = \sum_{j \le i} a_{ij} v_j")))
    ['causal']
    >>> is_masked(parse(r"\mathrm{softmax}(QK^\top / \sqrt{d_k} + M)V"))
    True
"""

from attnproof.check import tree
from attnproof.check.naming import names, pair
from attnproof.check.notation import CAUSAL_MARKS
from attnproof.check.settings import MASK_NAMES
from attnproof.check.tree import walk


def prefix(node: tree.Node) -> bool:
    """K_{1:t}, V_{1:t}: the keys or values up to a position, as a decoding step reads its cache."""
    return isinstance(node, tree.Script) and node.base in {tree.Name("K"), tree.Name("V")} and len(node.sub) == 1 \
        and isinstance(node.sub[0], tree.Slice)


def causal_sum(node: tree.Node) -> bool:
    r"""\sum_{j=1}^{t} or \sum_{j \le t}: a sum over the keys that stops at an index, as a causal head's output
    does (the sizes n, N, T, L run to the end instead)."""
    if not isinstance(node, tree.Sum) or len(node.sub) != 1 or not isinstance(node.sub[0], tree.Relation):
        return False
    bound = node.sup if node.sub[0].ops == ("=",) else node.sub[0].items[-1] if node.sub[0].ops[0] in {"le", "lt"} \
        else None
    return isinstance(bound, tree.Name) and len(bound.name) == 1 and bound.name.islower() and bound.name != "n"


def scaled_mask(node: tree.Node) -> bool:
    r"""`\text{mask} \cdot (-10^{9})`: a mask of ones times a large number, TensorFlow's way to add -inf."""
    sides = (node.left, node.right) if isinstance(node, tree.Mul) else ()
    return any(isinstance(side, tree.Call) and side.name == "mask" and not side.args or
               side in {tree.Name("M"), tree.Name("m")} for side in sides) and \
        any(isinstance(n, tree.Script) and n.base == tree.Num("10") for side in sides for n in walk(side))


def iverson(node: tree.Node) -> bool:
    """[s \\le t]: Iverson's bracket, 1 where the condition holds (a mask of ones where a query may attend)."""
    return isinstance(node, tree.Group) and node.bracket == "[" and len(node.items) == 1 and \
        isinstance(node.items[0], tree.Relation)


def is_masked(relation: tree.Relation) -> bool:
    entry_m = any(isinstance(n, tree.Script) and n.base == tree.Name("m") and n.sub and entries(tree.Relation((n,), ()))
                  for n in walk(relation))  # m_{ts}: a mask's entry, not a running maximum
    return bool(names(relation) & (set(MASK_NAMES) - {"m"} | {"mask", "B"})) or entry_m or \
        "causal" in kinds(relation)  # B: attn_bias; m only as an entry (a bare m is a running maximum)


def keyed_first(relation: tree.Relation) -> bool:
    r"""`A_{n,n'} = \exp(k_n^\top q_{n'}) / ...`, `G_{ij} = \vec{K}_i \cdot \vec{Q}_j / \sqrt{d_k}`: weights or scores
    whose own indices are the key's and then the query's, so the formula says itself that it indexes key first
    (Turner's column layout, 3Blue1Brown's grid), whatever the text has said so far."""
    scripts = [n for n in walk(relation) if isinstance(n, tree.Script) and isinstance(n.base, tree.Name)]
    keys = {n.sub for n in scripts if n.base in {tree.Name("k"), tree.Name("K")}}
    queries = {n.sub for n in scripts if n.base in {tree.Name("q"), tree.Name("Q")}}
    weights = [pair(n.sub) for n in scripts if n.base.name not in {"k", "K", "q", "Q"}]  # G_ij = K_i . Q_j too
    return any(sub is not None and (sub[0],) in keys and (sub[1],) in queries for sub in weights)


def names_and_sizes(relation: tree.Relation) -> set[str]:
    """Every name in the relation, subscripts and dimensions included."""
    found = {n.name for n in walk(relation) if isinstance(n, tree.Name)}
    return found | {d.name for n in walk(relation) if isinstance(n, tree.Reals) for d in n.dims
                    if isinstance(d, tree.Name)}


def scale_free(relation: tree.Relation) -> bool:
    """No scale anywhere (no square root, no d): the formula may be the unscaled attention notes start with."""
    return not any(isinstance(n, tree.Sqrt) or isinstance(n, tree.Name) and n.name in {"d", "D", "d_k", "head_size"}
                   for n in walk(relation))


def shift_constant(relation: tree.Relation) -> str | None:
    r"""`e^{s_i - m}`, `\exp(x_j - c)`: a lone letter subtracted from the scores in an exponent, the constant a
    softmax may be shifted by; its name, or None."""
    for n in walk(relation):
        exponent = n.sup if isinstance(n, tree.Script) and n.base == tree.Name("e") else \
            n.args[0] if isinstance(n, tree.Call) and n.name == "exp" and len(n.args) == 1 else None
        if isinstance(exponent, tree.Sub) and isinstance(exponent.right, tree.Name) and len(exponent.right.name) == 1:
            return exponent.right.name
    return None


GRADIENT_OF = {tree.Name(letter) for letter in ("S", "P", "Q", "K", "V", "O", "A")}


def gradients(relation: tree.Relation) -> bool:
    """`dS_{ij} = P_{ij}(dP_{ij} - D_i)`: a left side that is d written against a matrix's letter defines the backward
    pass's gradient of it (FlashAttention's notation), not the width d times the matrix."""
    left = relation.items[0]
    return isinstance(left, tree.Mul) and left.op == "" and left.left == tree.Name("d") and \
        (left.right in GRADIENT_OF or isinstance(left.right, tree.Script) and left.right.base in GRADIENT_OF)


def bare_vectors(relation: tree.Relation) -> bool:
    """Does it use q, k, v or x without a subscript (one token's vector, or nanoGPT's whole matrix)?"""
    scripted = {id(part) for n in walk(relation) if isinstance(n, tree.Script) for item in (n.base, *n.sub)
                for part in walk(item)}
    return any(isinstance(n, tree.Name) and n.name in {"q", "k", "v", "x"} and id(n) not in scripted
               for n in walk(relation))


def labelled_causal(relation: tree.Relation) -> bool:
    r"""`\mathrm{MHA}_{\text{causal}}(X)`: a call labelled causal or masked anywhere in the relation."""
    return any(causal_label(n) for n in walk(relation))


def causal_label(node: tree.Node) -> bool:
    """A call whose subscript labels it causal or masked."""
    return isinstance(node, tree.Call) and bool(set(node.sub) & CAUSAL_MARKS)


COMPLEX_NAMES = {"imaginary_unit", "Re", "conj", "q_bar", "k_bar", "f_q", "f_k", "f", "g"}


def encoding_products(relation: tree.Relation, found: set[str]) -> bool:
    r"""`p_n^\top p_{n'} = \sum_i \cos((n - n') 10000^{-2i/D})`: encodings of positions compared through sines or
    cosines of Vaswani's frequencies, written with the base 10000 (no rotation, no query or key in sight)."""
    return bool(found & {"p", "P", "e"}) and bool(found & {"cos", "sin"}) and \
        not found & {"R", "theta", "q", "k", "x"} and any(n == tree.Num("10000") for n in walk(relation))


def complex_form(relation: tree.Relation) -> bool:
    r"""RoPE written with complex numbers: `q e^{im\theta}`, `\mathrm{Re}[q \bar k e^{i(m-n)\theta}]`, RoFormer's
    f_q(x_m, m) and g(x_m, x_n, m - n)."""
    found = names(relation)
    goal = {"f_q", "f_k"} <= found or {"f", "g"} <= found and any(isinstance(n, tree.Inner) for n in walk(relation))
    return goal or bool(found & COMPLEX_NAMES) and "theta" in found | names_and_sizes(relation) or any(
        isinstance(n, tree.Script) and n.base == tree.Name("e") and n.sup is not None and
        {tree.Name("i"), tree.Name("theta")} <= set(walk(n.sup)) for n in walk(relation))


def matrices(relation: tree.Relation) -> list[tuple[int, int]]:
    """The sizes of the matrices written out in a relation."""
    return [(len(n.rows), len(n.rows[0])) for n in walk(relation) if isinstance(n, tree.Matrix) and n.rows]


def previous_step(relation: tree.Relation, name: str) -> bool:
    """`d_{j-1}`: the name is indexed by a step before another, as a running quantity is (d_j is the online
    softmax's running sum in Milakov & Gimelshein, not a width)."""
    return any(isinstance(n, tree.Script) and n.base == tree.Name(name) and len(n.sub) == 1 and
               isinstance(n.sub[0], tree.Sub) and n.sub[0].right == tree.Num("1") for n in walk(relation))


MASKED_NAMES = {f"{name}_{mark}" for name in ("S", "s", "e", "E", "omega", "alpha", "a", "A")
                for mark in ("tilde", "masked")}  # \tilde{S}_{ij}: the scores after a causal mask


ATTENDING = {"softmax", "attention", "alpha", "a", "A", "e", "s", "S", "E", "M", "P", "f", "score", "sim", "sigma",
             "Z", "Y"}


PLAIN_VECTORS = {"x", "z", "s", "y", "u"}  # a vector of scores in softmax's own definition


def spelled_softmax(node: tree.Node) -> bool:
    r"""`\frac{e^{x_i}}{\sum_j e^{x_j}}`: the softmax of a plain vector written out, its entries the only indexed
    names (a maximum or a constant may be subtracted)."""
    if not (isinstance(node, tree.Div) and exponential(node.num) and
            any(isinstance(n, tree.Sum) and exponential(n.body) for n in walk(node.den))):
        return False
    indexed = [n for n in walk(node) if isinstance(n, tree.Script) and n.sub and n.base != tree.Name("e")]
    return bool(indexed) and all(n.base in {tree.Name(name) for name in PLAIN_VECTORS} and len(n.sub) == 1 and
                                 isinstance(n.sub[0], tree.Name | tree.Num) for n in indexed)  # x_i, not s_{ij}


def kinds(relation: tree.Relation) -> set[str]:
    """Coarse features: RoPE rotations (R with a position subscript), softmax of a plain vector."""
    found = set()
    for child in walk(relation):
        if isinstance(child, tree.Script) and child.base in {tree.Name("R"), tree.Name("theta")} and child.sub:
            found.add("rope-like")
        if isinstance(child, tree.Script) and child.base in {tree.Name("p"), tree.Name("P"), tree.Name("e")} and \
                even_channel(child):
            found.add("pe-like")  # p_{i, 2j}, e_{m, 2i}: the encoding of position i, channel 2j
        if isinstance(child, tree.Call) and child.name == "attention" and all(
                isinstance(a, tree.Script) and a.sub and a.base in {tree.Name("Q"), tree.Name("K"), tree.Name("V")}
                for a in child.args):
            found.add("per-head")  # Attention(Q_h, K_h, V_h): head h's projections
        if head_weight(child):
            found.add("head-weights")
        if isinstance(child, tree.Cases) and any(isinstance(n, tree.Infinity) for n in walk(child)):
            found.add("causal")  # a definition by cases with -inf: a mask
        if isinstance(child, tree.Sum) and child.sub and isinstance(child.sub[0], tree.Relation) and \
                child.sub[0].ops[-1] in {"le", "lt"}:
            found.add("causal")  # \sum_{j \le i}: only the keys up to the query
        if causal_label(child) and child.name in {"attention", "multihead", "Sa", "f"}:
            found.add("causal")  # \mathrm{SA}_{\text{causal}}(X): attention under a causal mask, by its label
        if isinstance(child, tree.Call) and child.name in {"softmax", "sigma"} and len(child.args) == 1:
            arg = child.args[0]
            if isinstance(arg, tree.Name) and arg.name in PLAIN_VECTORS:
                found.add("softmax-vector")
        if spelled_softmax(child):
            found.add("softmax-vector")
    if shared_head_index(relation):
        found.add("per-head")  # softmax(Q_h K_h^T / sqrt(d_k)) V_h: one head's projections, by its index
    return found


HEAD_INDICES = {tree.Name("i"), tree.Name("h"), tree.Name("j")}


def head_weight(node: tree.Node) -> bool:
    """W_h^{(q)}, W_i^Q, W_Q^{(i)}: head i's projection, its head index below (with a label above) or above."""
    if not (isinstance(node, tree.Script) and node.base == tree.Name("W") and len(node.sub) == 1):
        return False
    below = node.sup is not None and node.sub[0] in HEAD_INDICES
    above = isinstance(node.sup, tree.Group) and node.sup.bracket == "(" and len(node.sup.items) == 1 and \
        node.sup.items[0] in HEAD_INDICES
    return below or above


def shared_head_index(relation: tree.Relation) -> bool:
    """Q and K with one and the same index (Q_h, K_h; Q_i K_i^T): one head's queries and keys, since one token's
    query against its own key alone would be no attention at all."""
    indices = {base: {child.sub for child in walk(relation) if isinstance(child, tree.Script) and child.base == base
                      and len(child.sub) == 1 and isinstance(child.sub[0], tree.Name) and child.sup is None}
               for base in (tree.Name("Q"), tree.Name("K"))}
    return bool(indices[tree.Name("Q")] & indices[tree.Name("K")])


def even_channel(node: tree.Script) -> bool:
    """A subscript (position, 2i) or (position, 2i + 1), as the sinusoidal encodings are indexed."""
    items = node.sub[0].items if len(node.sub) == 1 and isinstance(node.sub[0], tree.Group) else node.sub
    return len(items) == 2 and tree.Num("2") in set(walk(items[1]))


def exponential(node: tree.Node) -> bool:
    return any(isinstance(n, tree.Call) and n.name == "exp" or isinstance(n, tree.Script) and n.base == tree.Name("e")
               and n.sup is not None for n in walk(node))


ENTRIES = {"A", "alpha", "a", "M", "m", "S", "s", "e", "E", "alpha'", "a'", "A'"}  # n x n matrices of a head


WEIGHTS_ENTRIES = {"A", "alpha", "a", "alpha'", "a'", "A'"}  # a row-vector text may index its weights in another
# order than its mask: w_{ji} (key j, query i) beside M_{ij} = -inf for j > i; a column-vector text keeps one order


def entries(relation: tree.Relation, kinds: set[str] = ENTRIES) -> bool:
    """Does it index an n x n matrix's entries (alpha_{ij}, M_{i,j}, Mask[i, j]), which have an index order?"""
    return any(isinstance(n, tree.Script) and isinstance(n.base, tree.Name) and n.base.name in kinds and
               (len(n.sub) == 2 or len(n.sub) == 1 and isinstance(n.sub[0], tree.Mul)) or
               "M" in kinds and (isinstance(n, tree.Call) and n.name == "mask" and len(n.args) == 2 or
                                 isinstance(n, tree.Script) and n.base == tree.Call("mask", ()) and n.sub)
               for n in walk(relation))

r"""A text's own names for multi-head attention's heads, read as the settings' head_i: numbered below or above
their letter (`Y_1`, `Y^h`, `Z^{(i)}`), stacked, side by side or joined with `\oplus`, summed over a head index,
and one token's output from its heads' (`\mathbf{y}_i = W_o [\mathbf{y}^1_i; \ldots; \mathbf{y}^h_i]`).

Example:
    >>> from attnproof.check.parse import parse
    >>> from attnproof.check.show import show
    >>> show(named_heads(parse(r"Z = [Z_1 \; Z_2 \; \cdots \; Z_h] W_o")))
    'Z = \\mathrm{Concat}(\\mathrm{head}_1, \\mathrm{head}_2, \\dots, \\mathrm{head}_h)W_o'
"""

from attnproof.check import tree
from attnproof.check.glossary import HEAD_COUNTS
from attnproof.check.naming import names
from attnproof.check.symbolic import spelling
from attnproof.check.tree import walk

MULTIHEAD_OUTPUT = tree.Call("multihead", (tree.Name("Q"), tree.Name("K"), tree.Name("V")))


def named_heads(node: tree.Node) -> tree.Node:
    r"""`Concat(Z_0, \ldots, Z_7) W^O`, `[Y_1; \dots; Y_H] W_O`, `W^O [Y_1 \\ \vdots \\ Y_h]`: heads a text names
    with a letter of its own are the heads, and the last one's number (7, or H) is the document's h, whatever the
    checker's h is. A block column (or row) of heads is their concatenation."""
    if isinstance(node, tree.Call) and node.name == "concat":
        return tree.Call(node.name, heads_of(node.args), node.sub, node.sup)
    if over_heads(node):  # \sum_{m=1}^{M} W^O_m z^{(m)}
        return heads_summed(node)
    if isinstance(node, tree.Mul) and node.op == "oplus":  # head_1 \oplus \cdots \oplus head_h: their Concat
        return tree.Call("concat", heads_of(tuple(named_heads(piece) for piece in joined(node))))
    if isinstance(node, tree.Group) and node.bracket == "[":  # [Y^1; \dots; Y^H], [Z_1 \; Z_2 \; \cdots \; Z_h]
        items = tuple(tree.juxtaposed(node.items[0])) if len(node.items) == 1 else node.items
        named = heads_of(items)
        return tree.Call("concat", named) if named != items else node
    if isinstance(node, tree.Matrix) and (len(node.rows) == 1 or all(len(row) == 1 for row in node.rows)):
        cells = tuple(cell for row in node.rows for cell in row)  # a block column (or row) of heads: their Concat
        named = heads_of(cells)
        return tree.Call("concat", named) if named is not cells else node
    if isinstance(node, tree.Node):
        return type(node)(**{name: named_heads(value) if isinstance(value, tree.Node) else
                             tuple(named_heads(v) for v in value) if isinstance(value, tuple) else value
                             for name, value in vars(node).items()})
    return node


def summed_heads(relation: tree.Relation) -> tree.Relation | None:
    r"""`Z = Z_0 + Z_1 + \dots + Z_7`: a text that names its heads' outputs with the output's own letter, added up
    (with no W^O); read as MultiHead(Q, K, V) = \sum_i head_i, a claim about multi-head attention. So are heads'
    outputs summed (or averaged) over a head index, `\tilde V = \sum_{h=1}^{H} Y^h`, `\frac{1}{h}\sum_{r=1}^{h} Z^r`."""
    relation = per_token(relation) if len(relation.items) == 2 else relation  # y_i = \frac{1}{h} \sum_r y^r_i
    if len(relation.items) != 2 or not isinstance(relation.items[0], tree.Name):
        return None
    if any(over_heads(n) for n in walk(relation.items[1])):
        return tree.Relation((MULTIHEAD_OUTPUT, heads_summed(relation.items[1])), relation.ops)
    terms = added(relation.items[1])
    pieces = [t for t in terms if not isinstance(t, tree.Dots)]
    if len(pieces) == len(terms) or len(pieces) < 2 or not all(
            isinstance(p, tree.Script) and p.base == relation.items[0] and len(p.sub) == 1 and p.sup is None
            for p in pieces):
        return None
    first, last = pieces[0].sub[0], pieces[-1].sub[0]
    if first not in {tree.Num("0"), tree.Num("1")} or not (isinstance(last, tree.Num) or spelling(last) in HEAD_COUNTS):
        return None  # x_1 + ... + x_n: n items, not heads
    head = tree.Name("i")  # the last head's number is the document's h (h - 1 from 0), whatever the checker's h is
    end = tree.Name("h") if first == tree.Num("1") else tree.Sub(tree.Name("h"), tree.Num("1"))
    heads = tree.Sum((tree.Relation((head, first), ("=",)),), end, tree.Script(tree.Name("head"), (head,), None))
    return tree.Relation((MULTIHEAD_OUTPUT, heads), relation.ops)


def over_heads(node: tree.Node) -> bool:
    r"""`\sum_{h=1}^{H} Y^h`, `\sum_{r=1}^{h} y^r`, `\sum_h r^h`, `\sum_{m=1}^{M} W^O_m z^{(m)}`: a sum of one letter
    numbered by the sum's index (alone, or after its block of W^O), which runs over the heads (up to a head count,
    or named h, or beside W^O's blocks)."""
    if not isinstance(node, tree.Sum) or len(node.sub) != 1:
        return False
    index = node.sub[0].items[0] if isinstance(node.sub[0], tree.Relation) else node.sub[0]
    counted = node.sup is not None and spelling(node.sup) in HEAD_COUNTS
    if isinstance(node.body, tree.Mul) and node.body.op == "" and weight_block(node.body.left, index):
        return head_number(node.body.right) == index and not weight_block(node.body.right, index)
    return isinstance(index, tree.Name) and head_number(node.body) == index and \
        (counted or index == tree.Name("h") and (node.sup is None or isinstance(node.sup, tree.Num)))


def weight_block(node: tree.Node, index: tree.Node) -> bool:
    """W^O_m, W_O^{(m)}: a block of W^O numbered by `index`."""
    return isinstance(node, tree.Script) and node.base == tree.Name("W") and index in (*node.sub, *above(node)) \
        and bool({tree.Name("O"), tree.Name("o")} & {*node.sub, node.sup})


def heads_summed(node: tree.Node) -> tree.Node:
    """Each sum over the heads (`over_heads`) as a sum of head_i (after W^O's block i), up to the checker's h."""
    if over_heads(node):
        first = node.sub[0].items[1] if isinstance(node.sub[0], tree.Relation) else None
        index = node.sub[0].items[0] if isinstance(node.sub[0], tree.Relation) else node.sub[0]
        end = None if node.sup is None else tree.Sub(tree.Name("h"), tree.Num("1")) if first == tree.Num("0") else \
            tree.Name("h")
        head = tree.Script(tree.Name("head"), (index,), None)
        block = tree.Script(tree.Name("W"), (index,), tree.Name("O"))  # W_O^h: W^O's block h, not a power
        body = tree.Mul(block, head, "") if isinstance(node.body, tree.Mul) else head
        return tree.Sum(node.sub, end, body)
    return tree.rebuilt(node, heads_summed)


def added(node: tree.Node) -> list[tree.Node]:
    r"""a + b + \dots + c -> [a, b, Dots, c]."""
    if isinstance(node, tree.Add):
        return added(node.left) + added(node.right)
    return [node]


def joined(node: tree.Node) -> list[tree.Node]:
    r"""a \oplus b \oplus c -> [a, b, c]; a \oplus b \cdots \oplus c -> [a, b, Dots, c]."""
    if isinstance(node, tree.Mul) and (node.op == "oplus" or node.op == "" and tree.Dots() in (node.left, node.right)):
        return joined(node.left) + joined(node.right)
    return [node]


def per_token(relation: tree.Relation) -> tree.Relation:
    r"""`\mathbf{y}_i = W_o [\mathbf{y}^1_i; \ldots; \mathbf{y}^h_i]`, `b^{i} = W^O [b^{i,1}; b^{i,2}]`,
    `\mathbf{z}^{(i)} = [\mathbf{z}^{(i)}_1, \ldots] W_o`: one token's output from its heads' outputs. The same map
    applies to every token, so it is read for all of them at once, y = W_o [y^1; ...; y^h], y standing for the
    layer's output; so a per-token formula fixes no row or column convention for the document."""
    left, right = relation.items if len(relation.items) == 2 else (None, None)
    token = token_index(left)
    whole = without_token(right, token) if token is not None else right
    summed = any(over_heads(n) for n in walk(whole))
    if token is None or not ("W_o" in names(right) or summed):
        return relation
    pieces = [n for n in walk(right) if token in script_indices(n)]
    if len(pieces) < 2 and not summed or token in set(walk(whole)):
        return relation  # the index is used otherwise too (W_i^O): not one token's
    return tree.Relation((left.base, whole), relation.ops)


def token_index(node: tree.Node) -> tree.Name | None:
    """y_i, b^i, z^{(i)}, z^{(i)}_{MHA}: the one-letter index the left side's vector is the token of."""
    found = script_indices(node)
    return found[0] if len(found) == 1 else None


def script_indices(node: tree.Node) -> list[tree.Name]:
    """The one-letter indices below and above a letter: y^1_i -> [i], b^{i,1} -> [i], z^{(i)}_h -> [h, i]."""
    if not isinstance(node, tree.Script) or not isinstance(node.base, tree.Name):
        return []
    return [index for index in (*node.sub, *above(node)) if isinstance(index, tree.Name) and len(index.name) == 1]


def above(node: tree.Script) -> tuple[tree.Node, ...]:
    """What a superscript holds: b^{i,1} -> (i, 1), z^{(i)} -> (i,), y^1 -> (1,), y -> ()."""
    if isinstance(node.sup, tree.Group):
        return node.sup.items
    return (node.sup,) if node.sup is not None else ()


def without_token(node: tree.Node, token: tree.Name) -> tree.Node:
    """Every vector of token `token` as the matrix of all tokens: y^1_i -> y^1, b^{i,1} -> b^1, z^{(i)}_1 -> z_1."""
    if isinstance(node, tree.Script) and token in script_indices(node):
        sub = tuple(item for item in node.sub if item != token)
        rest = tuple(item for item in above(node) if item != token)
        return tree.Script(node.base, sub, rest[0] if len(rest) == 1 else None) if sub or rest else node.base
    return tree.rebuilt(node, lambda child: without_token(child, token))


def head_number(piece: tree.Node) -> tree.Node | None:
    """Y_1, Y^1, Y^{(1)}: the number a text gives one head's output, below or above its letter."""
    if not isinstance(piece, tree.Script) or not isinstance(piece.base, tree.Name):
        return None
    if len(piece.sub) == 1 and piece.sup is None:
        return piece.sub[0]
    sup = tree.ungrouped(piece.sup)
    return sup if not piece.sub and isinstance(sup, tree.Num | tree.Name) else None


def heads_of(items: tuple[tree.Node, ...]) -> tuple[tree.Node, ...]:
    pieces = [i for i in items if not isinstance(i, tree.Dots)]
    numbers = [head_number(p) for p in pieces]
    if len(pieces) < 2 or any(n is None for n in numbers) or len({p.base for p in pieces}) > 1:
        return items
    first, last = numbers[0], numbers[-1]
    if first not in {tree.Num("0"), tree.Num("1")}:
        return items
    if len(pieces) == len(items):  # [b^1; b^2], [z_1, z_2, z_3]: every head of the example, listed
        if numbers != [tree.Num(str(int(first.text) + k)) for k in range(len(numbers))]:
            return items
        items, pieces = (pieces[0], tree.Dots(), pieces[-1]), [pieces[0], pieces[-1]]
    count = isinstance(last, tree.Num) or spelling(last) in HEAD_COUNTS
    ends = {id(pieces[-1]): tree.Name("h") if first == tree.Num("1") else tree.Sub(tree.Name("h"), tree.Num("1"))}
    return tuple(item if isinstance(item, tree.Dots) else
                 tree.Script(tree.Name("head"), (ends[id(item)],) if count and id(item) in ends else
                             (head_number(item),), None)
                 for item in items)

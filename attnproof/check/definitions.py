r"""Names a document defines in one formula and uses in a later one: `\omega_{ij} = \mathbf{x}_i \cdot \mathbf{x}_j`
on one line, `\alpha_{ij} = \mathrm{softmax}_j(\omega_{ij})` further on.

A later formula the checker cannot read on its own (a name with no meaning to it) is read again with each
name it uses replaced by the document's definition: a plain name by its right side, an indexed name
(`\omega_{ij}`) or a function (`f(q, m)`) by its right side with the indices or arguments put in. A
definition found wrong is not used (its mistake would be passed on to correct formulas), nor is the
left side of the formula being read (a name defined again is compared with nothing).

Example:
    >>> from attnproof.check.parse import parse
    >>> from attnproof.check.show import show
    >>> table = defined([parse(r"\omega_{ij} = x_i \cdot x_j")], line=3)
    >>> show(expanded(parse(r"a_{2k} = \omega_{2k}"), table))
    'a_{2k} = (x_2 \\cdot x_k)'
"""

from dataclasses import dataclass

from attnproof.check import tree
from attnproof.check.tree import rebuilt, walk, walk_value

SIZES = {tree.Name("d"), tree.Name("n"), tree.Name("D")}  # d_k, n_q: the label names a size, not an index


@dataclass(frozen=True)
class Definition:
    parameters: tuple[tree.Name, ...]  # the indices or arguments of its left side, () for a plain name
    body: tree.Node
    line: int
    indexed: bool = False  # omega_{ij}: its parameters are indices, not a function's arguments


def defined(statements, line: int) -> dict[tuple, Definition]:
    """The definitions among a formula's statements, by the pattern of their left side (see `pattern`)."""
    table = {}
    for statement in statements:
        if not (isinstance(statement, tree.Relation) and statement.ops[0] == "="):
            continue
        left, body = statement.items[0], statement.items[1]
        key, parameters = pattern(left)
        if key is None or isinstance(body, tree.Num) or uses(body, key):  # d = 64 is a value; S_i = S_{i-1} + ...
            continue
        table[key] = Definition(parameters, body, line, indexed=key[0] == "indexed")
    return table


def pattern(left: tree.Node) -> tuple[tuple | None, tuple[tree.Name, ...]]:
    """The key a left side defines, and its parameters: omega -> a name; omega_{ij} -> omega with two
    indices (i, j); f(q, m) -> the function f of two arguments (q, m). Any other left side defines nothing."""
    if isinstance(left, tree.Name):
        return ("name", left), ()
    if isinstance(left, tree.Script) and isinstance(left.base, tree.Name) and left.sub and \
            (indices := indices_of(left.sub)) is not None:
        return ("indexed", left.base, left.sup, len(indices)), indices
    if isinstance(left, tree.Call) and left.args and all(isinstance(a, tree.Name) for a in left.args) and \
            len(set(left.args)) == len(left.args):
        return ("function", left.name, left.sub, left.sup, len(left.args)), left.args
    return None, ()


def indices_of(sub: tuple[tree.Node, ...]) -> tuple[tree.Name, ...] | None:
    """(i, j) or the one item ij: distinct one-letter indices; None for anything else (W_q, d_{model})."""
    if len(sub) == 1 and isinstance(sub[0], tree.Mul) and sub[0].op == "":
        sub = (sub[0].left, sub[0].right)
    if all(isinstance(s, tree.Name) and len(s.name) == 1 for s in sub) and len(set(sub)) == len(sub):
        return sub
    return None


def uses(node, key: tuple) -> bool:
    return any(use(n, {key: None}) is not None for n in walk(node))


def use(node: tree.Node, table: dict) -> tuple[Definition, tuple[tree.Node, ...]] | None:
    """The definition `node` uses, with the indices or arguments it gives it; None if it uses none."""
    if isinstance(node, tree.Name) and ("name", node) in table:
        return table[("name", node)], ()
    if isinstance(node, tree.Script) and isinstance(node.base, tree.Name) and node.sub:
        given = index_items(node.sub)
        if ("indexed", node.base, node.sup, len(given)) in table:
            return table[("indexed", node.base, node.sup, len(given))], given
    if isinstance(node, tree.Call) and ("function", node.name, node.sub, node.sup, len(node.args)) in table:
        return table[("function", node.name, node.sub, node.sup, len(node.args))], node.args
    return None


def index_items(sub: tuple[tree.Node, ...]) -> tuple[tree.Node, ...]:
    """omega_{2k} -> (2, k): an implicit pair of one-letter or one-digit indices; otherwise as written."""
    if len(sub) == 1 and isinstance(sub[0], tree.Mul) and sub[0].op == "" and \
            all(isinstance(p, tree.Name | tree.Num) for p in (sub[0].left, sub[0].right)):
        return sub[0].left, sub[0].right
    return sub


def expanded(statement, table: dict[tuple, Definition]):
    """`statement` with the names `table` defines replaced by their definitions. A relation whose left side defines
    a name (`y_i = ...`, `Y(X) = ...`) keeps its left side, and the names on it are not replaced on its right:
    the formula defines them again."""
    if isinstance(statement, tree.Relation) and defining(left := statement.items[0]):
        table = {key: d for key, d in table.items() if not uses(left, key)}
        return tree.Relation((left, *(substitute(item, table) for item in statement.items[1:])), statement.ops)
    return substitute(statement, table)


def defining(left: tree.Node) -> bool:
    """A left side that names what its formula defines: y, y_i, f(x), or Y(X) read as a product."""
    return pattern(left)[0] is not None or \
        isinstance(left, tree.Mul) and isinstance(left.left, tree.Name) and isinstance(left.right, tree.Group)


def substitute(node, table: dict[tuple, Definition]):
    if not isinstance(node, tree.Node):
        return rebuilt(node, lambda child: substitute(child, table))
    found = use(node, table)
    if found is not None:
        definition, given = found
        values = dict(zip(definition.parameters, given, strict=True))
        return tree.Group((put_in(definition.body, values, indexed=definition.indexed),), "(")
    if isinstance(node, tree.Script):  # indices and labels are not uses: W_q is no use of a q defined earlier
        return tree.Script(substitute(node.base, table), node.sub, substitute(node.sup, table))
    return rebuilt(node, lambda child: substitute(child, table))


def put_in(node, values: dict[tree.Name, tree.Node], indexed: bool):
    """`node` with each parameter replaced by the index or argument given for it. An index is put into
    subscripts too (omega_{ij} = q_i . k_j), but not into a size's label (the k of d_k); a function's argument
    (kappa(q, k) = exp(q^T k / sqrt(d_k))) is put into no subscript."""
    if isinstance(node, tree.Node) and node in values:
        return values[node]
    if isinstance(node, tree.Script) and (not indexed or node.base in SIZES):
        return tree.Script(put_in(node.base, values, indexed), node.sub, put_in(node.sup, values, indexed))
    return rebuilt(node, lambda child: put_in(child, values, indexed))


def used_lines(statement, table: dict[tuple, Definition]) -> set[int]:
    """The lines of the definitions `expanded` puts into a statement."""
    if isinstance(statement, tree.Relation) and defining(left := statement.items[0]):
        table = {key: d for key, d in table.items() if not uses(left, key)}
        statement = statement.items[1:]
    return {found[0].line for n in walk_value(statement) if (found := use(n, table)) is not None}

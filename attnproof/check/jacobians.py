r"""The softmax's Jacobian written as a derivative: `\frac{\partial p_i}{\partial z_j} = p_i(\delta_{ij} - p_j)`,
`\frac{\partial \mathbf{p}}{\partial \mathbf{z}} = \mathrm{diag}(\mathbf{p}) - \mathbf{p}\mathbf{p}^\top`,
`\partial p_i / \partial z_j`, `\frac{\partial \mathrm{softmax}(z)}{\partial z}`, and with Bendersky's operator D,
`D_j S_i = S_i(\delta_{ij} - S_j)`.

Whatever a text calls the softmax's output (p, sigma, y, a, alpha, A, the s of ETH's notes, or the call softmax(z)
itself) and its input,
the derivative of output i by input j is entry (i, j) of the Jacobian J, and the output is the probability vector
p that the saturation claim's setting evaluates. The derivative is read as `J_{ij}` (or `J` for the whole matrix)
and the output's name as p. Indices the output and the input share in front are the row the softmax runs along:
`\frac{\partial \alpha_{ij}}{\partial s_{il}}` is entry (j, l) of query i's Jacobian. A right side that names
anything else (a temperature tau, a loss) is left as written.

Example:
    >>> from attnproof.check.parse import parse
    >>> from attnproof.check.show import show
    >>> show(jacobian(parse(r"\frac{\partial \sigma_i}{\partial z_j} = \sigma_i(\delta_{ij} - \sigma_j)")))
    'J_{i, j} = p_i(\\delta_{ij} - p_j)'
    >>> show(jacobian(parse(r"\frac{\partial a_{bhij}}{\partial s_{bhik}} = a_{bhij}(\delta_{jk} - a_{bhik})")))
    'J_{j, k} = p_j(\\delta_{jk} - p_k)'
"""

from attnproof.check import tree
from attnproof.check.index_notation import letters
from attnproof.check.tree import walk

PARTIAL = tree.Name("partial")
KNOWN = {"delta", "diag", "I", "ones", "p", "J"}  # what else the right side of the Jacobian may name
BETA = tree.Name("beta")  # an inverse temperature: the derivative of softmax(beta s) by s, J_beta and p_beta


def jacobian(node: tree.Node) -> tree.Node:
    """A relation with a derivative of the softmax's output read as J, its output as p; any other node as it is."""
    if not isinstance(node, tree.Relation):
        return node
    items = [as_quotient(item) for item in node.items]
    found = next(((place, read) for place, item in enumerate(items) if (read := derivative(item)) is not None), None)
    if found is None:
        return node
    place, (entry, output, shared) = found
    rest = items[:place] + items[place + 1:]
    tempered = any(n == BETA for item in rest for n in walk(item))  # a = softmax(beta s): the NYU course's
    probability = tree.Name("p_beta") if tempered else tree.Name("p")
    others = [as_p(item, output, shared, probability) for item in items]
    if any(isinstance(n, tree.Name) and n.name not in KNOWN | {probability.name} for other in others[:place] +
           others[place + 1:] for n in walk(other) if not subscript_part(n, other) and n != BETA):
        return node  # softmax(s / tau): its Jacobian carries 1/tau; a loss's gradient is another matter
    if tempered:
        entry = tree.Script(tree.Name("J_beta"), entry.sub, None) if isinstance(entry, tree.Script) else \
            tree.Name("J_beta")
    return tree.Relation(tuple(entry if i == place else other for i, other in enumerate(others)), node.ops)


def as_quotient(node: tree.Node) -> tree.Node:
    r"""`\partial p_i / \partial z_j` parses as (partial p_i / partial) z_j: the quotient of the two differentials."""
    match node:
        case tree.Mul(tree.Div(tree.Mul(tree.Name("partial"), output, ""), tree.Name("partial")), wrt, ""):
            return tree.Div(tree.Mul(PARTIAL, output, ""), tree.Mul(PARTIAL, wrt, ""))
    return node


def derivative(node: tree.Node) -> tuple[tree.Node, tree.Node, tuple[tree.Node, ...]] | None:
    """d out / d in as (J or J_{ij}, the output's name or call, the indices the two share in front)."""
    if (operator := operator_form(node)) is not None:
        return operator
    if not (isinstance(node, tree.Div) and isinstance(node.num, tree.Mul) and node.num.left == PARTIAL and
            isinstance(node.den, tree.Mul) and node.den.left == PARTIAL and node.num.op == node.den.op == ""):
        return None
    (output, rows), (wrt, columns) = indexed(node.num.right), indexed(node.den.right)
    if not (isinstance(output, tree.Name) or isinstance(output, tree.Call) and output.name in
            {"softmax", "sigma"} and len(output.args) == 1 and not output.sub) or not isinstance(wrt, tree.Name) or \
            output == wrt:
        return None  # any letter differentiated by another: the right side says whether it is the softmax's output
    if not rows and not columns:
        return tree.Name("J"), output, ()
    if rows is None or columns is None or len(rows) != len(columns):
        return None
    shared = 0
    while shared < len(rows) - 1 and rows[shared] == columns[shared]:
        shared += 1
    if len(rows) - shared != 1:
        return None
    return tree.Script(tree.Name("J"), (rows[-1], columns[-1]), None), output, tuple(rows[:shared])


def operator_form(node: tree.Node) -> tuple[tree.Node, tree.Node, tuple[()]] | None:
    """Bendersky's derivative operator: `D_j S_i`, the derivative of output i by input j, entry (i, j) of J; `DS`, the
    whole Jacobian."""
    match node:
        case tree.Mul(tree.Script(tree.Name("D"), (tree.Name() as column,), None),
                      tree.Script(tree.Name() as output, (tree.Name() as row,), None), ""):
            return tree.Script(tree.Name("J"), (row, column), None), output, ()
        case tree.Mul(tree.Name("D"), tree.Name() as output, "") if output != tree.Name("D"):
            return tree.Name("J"), output, ()
    return None


def indexed(node: tree.Node) -> tuple[tree.Node, tuple[tree.Node, ...] | None]:
    """p_i -> (p, (i,)); a_{bhij} -> (a, (b, h, i, j)); p -> (p, ()); None for indices that are not letters."""
    if isinstance(node, tree.Script) and node.sup is None and node.sub:
        if len(node.sub) == 1:
            run = letters(node.sub[0])
            return node.base, tuple(run) if run is not None else (node.sub[0],)
        return node.base, tuple(node.sub)
    return node, ()


def as_p(node: tree.Node, output: tree.Node, shared: tuple[tree.Node, ...], probability: tree.Name) -> tree.Node:
    """A side with the output (alpha_{ij} of query i's row, or softmax(z)) read as p (p_j), or p_beta."""
    if node == output:
        return probability
    base, indices = indexed(node)
    if base == output and indices and indices[:len(shared)] == shared and len(indices) == len(shared) + 1:
        return tree.Script(probability, (indices[-1],), None)
    return tree.rebuilt(node, lambda child: as_p(child, output, shared, probability))


def subscript_part(node: tree.Node, side: tree.Node) -> bool:
    """Is the node an index (in some subscript of `side`) rather than a quantity?"""
    return any(isinstance(n, tree.Script) and any(node is part for item in n.sub for part in walk(item))
               for n in walk(side))

"""The typed tree a formula parses into: what each piece of attention notation means structurally.

The parser (attnproof/check/parse.py) builds these nodes; the evaluators read them. Nothing here
interprets a symbol: `W^Q` is `Script(Name("W"), sup=Name("Q"))` and the evaluator decides that a
capital-letter superscript on W is a label. Transposes are the exception, read off at parse time
(`^T`, `^\\top`, `^\\intercal`, `^{\\mathsf T}`), since no attention formula uses T as a power.

Example:
    >>> Mul(Name("Q"), Transpose(Name("K")), "")
    Mul(left=Name(name='Q'), right=Transpose(arg=Name(name='K')), op='')
"""

from dataclasses import dataclass


class Node:
    """Base class of every tree node."""


@dataclass(frozen=True)
class Num(Node):
    text: str  # the literal as written: "10000", "0.5"


@dataclass(frozen=True)
class Name(Node):
    name: str  # "Q", "alpha", "head", "softmax", "model" (a word in a subscript), "j'"


@dataclass(frozen=True)
class Text(Node):
    words: str  # prose inside math: \text{if } j \le i


@dataclass(frozen=True)
class Script(Node):
    base: Node
    sub: tuple[Node, ...] = ()  # comma-separated subscript items: PE_{(pos, 2i)}, R_{\Theta, m}
    sup: Node | None = None


@dataclass(frozen=True)
class Transpose(Node):
    arg: Node


@dataclass(frozen=True)
class Neg(Node):
    arg: Node


@dataclass(frozen=True)
class Add(Node):
    left: Node
    right: Node


@dataclass(frozen=True)
class Sub(Node):
    left: Node
    right: Node


@dataclass(frozen=True)
class Mul(Node):
    left: Node
    right: Node
    op: str  # "" (juxtaposition), "cdot", "times", "odot", "ast"


@dataclass(frozen=True)
class Div(Node):
    num: Node
    den: Node


@dataclass(frozen=True)
class Sqrt(Node):
    arg: Node
    index: Node | None = None


@dataclass(frozen=True)
class Call(Node):
    name: str  # canonical function name: "softmax", "attention", "exp", "O", "E", "Var", ...
    args: tuple[Node, ...]
    sub: tuple[Node, ...] = ()  # softmax_j(...), \max_j
    sup: Node | None = None


@dataclass(frozen=True)
class Sum(Node):
    sub: tuple[Node, ...]  # the index and its range as written: (j,), (Relation j = 1,)
    sup: Node | None
    body: Node


@dataclass(frozen=True)
class Limit(Node):
    variable: Node  # T in \lim_{T \to 0^+}
    target: Node  # 0, Infinity(), or Script(0, sup=Name("+")) for a side
    body: Node


@dataclass(frozen=True)
class Inner(Node):
    left: Node
    right: Node


@dataclass(frozen=True)
class Norm(Node):
    arg: Node


@dataclass(frozen=True)
class SetBuilder(Node):
    variables: Node  # j, or (i, j)
    condition: Node  # the relation they satisfy: \{(i, j) : j \le i\}


@dataclass(frozen=True)
class Group(Node):
    items: tuple[Node, ...]  # (a) is one item; (pos, 2i) two
    bracket: str  # "(" or "["


@dataclass(frozen=True)
class Slice(Node):
    start: Node
    stop: Node  # K_{1:t}


@dataclass(frozen=True)
class Dots(Node):
    pass


@dataclass(frozen=True)
class Infinity(Node):
    pass


@dataclass(frozen=True)
class Reals(Node):
    dims: tuple[Node, ...]  # \mathbb{R}^{n \times d_k} -> (n, d_k)


@dataclass(frozen=True)
class Matrix(Node):
    rows: tuple[tuple[Node, ...], ...]


@dataclass(frozen=True)
class Cases(Node):
    branches: tuple[tuple[Node, tuple[Node, ...]], ...]  # (value, condition pieces)


@dataclass(frozen=True)
class Relation(Node):
    items: tuple[Node, ...]
    ops: tuple[str, ...]  # "=", "approx", "in", "le", "lt", "ge", "gt", "ne", "propto", "sim", "to"


@dataclass(frozen=True)
class Statements(Node):
    items: tuple[Node, ...]  # Q = XW^Q, \quad K = XW^K: each item a Relation or a bare expression


def walk(node):
    """Every node under `node`, itself included (children in tuples too, however nested).

    Example:
        >>> [type(n).__name__ for n in walk(Mul(Name("Q"), Transpose(Name("K")), ""))]
        ['Mul', 'Name', 'Transpose', 'Name']
    """
    yield node
    if isinstance(node, Node):
        for value in vars(node).values():
            yield from walk_value(value)


def walk_value(value):
    """The nodes in a field's value: a node, or a tuple of them (nested as Cases and Matrix nest them)."""
    if isinstance(value, Node):
        yield from walk(value)
    elif isinstance(value, tuple):
        for item in value:
            yield from walk_value(item)


def rebuilt(node, change):
    """`node` with `change` applied to each of its children (each item of a tuple of them): the one step that every
    rewrite of a tree (renaming, substituting, replacing) repeats below the nodes it treats specially.

    Example:
        >>> rebuilt(Mul(Name("Q"), Name("K"), ""), lambda child: Name("x") if child == Name("K") else child)
        Mul(left=Name(name='Q'), right=Name(name='x'), op='')
    """
    if isinstance(node, tuple):
        return tuple(change(item) for item in node)
    if isinstance(node, Node):
        return type(node)(**{field: change(value) if isinstance(value, Node | tuple) else value
                             for field, value in vars(node).items()})
    return node


def juxtaposed(node: Node) -> list[Node]:
    r"""The factors written next to each other with no operator: `Z_1 \; Z_2 \; \cdots \; Z_h` -> [Z_1, Z_2, Dots,
    Z_h] (blocks side by side, or a product); any other node alone.

    Example:
        >>> juxtaposed(Mul(Mul(Name("A"), Dots(), ""), Name("B"), ""))
        [Name(name='A'), Dots(), Name(name='B')]
    """
    if isinstance(node, Mul) and node.op == "":
        return juxtaposed(node.left) + juxtaposed(node.right)
    return [node]


def named(node: Node) -> bool:
    """A name, bare or with scripts: x, q_i, W^Q (not a number's or a call's power).

    Example:
        >>> named(Script(Name("q"), (Name("i"),), None)), named(Num("2"))
        (True, False)
    """
    return isinstance(node, Name) or isinstance(node, Script) and isinstance(node.base, Name)


def ungrouped(node: Node | None) -> Node | None:
    """The one item of a group that holds one (`{i}`, `(i)` above a letter), else the node itself.

    Example:
        >>> ungrouped(Group((Name("i"),), "(")), ungrouped(Name("i"))
        (Name(name='i'), Name(name='i'))
    """
    return node.items[0] if isinstance(node, Group) and len(node.items) == 1 else node


def replaced(node, mapping: dict):
    """`node` with every subtree that is a key of `mapping` replaced by its value: a letter read as another.

    Example:
        >>> replaced(Mul(Name("L"), Name("K"), ""), {Name("L"): Name("M")})
        Mul(left=Name(name='M'), right=Name(name='K'), op='')
    """
    if isinstance(node, Node) and node in mapping:
        return mapping[node]
    return rebuilt(node, lambda child: replaced(child, mapping))


r"""Evaluate a formula's tree at concrete float64 values, as WeBWorK evaluates an answer at random points.

A `Setting` says what each symbol means (Q is a [5, 7] matrix, q_i its i-th row, W^Q a [13, 7]
matrix, Attention the reference implementation, ...). Products are matrix products unless a side
is a scalar, so sizes chosen distinct make a missing transpose fail with a `ShapeMismatch` naming
the operands. A symbol or function the setting does not define raises `Unknown`.

Example:
    >>> import numpy as np
    >>> from attnproof.check.parse import parse
    >>> setting = Setting(symbols={"Q": np.ones((5, 7)), "K": np.ones((5, 7))})
    >>> evaluate(parse("QK^T"), setting).shape
    (5, 5)
    >>> try:
    ...     evaluate(parse("QK"), setting)
    ... except ShapeMismatch as mismatch:
    ...     print(mismatch)
    QK multiplies [5, 7] by [5, 7]
"""

import re
from collections.abc import Callable
from dataclasses import dataclass, field, replace

import numpy as np

from attnproof.check import tree
from attnproof.check.show import show

Value = float | np.ndarray


class Unknown(Exception):
    """The setting gives no meaning to a symbol or function of the formula."""


class ShapeMismatch(Exception):
    """Two operands' shapes do not fit: the formula cannot hold for these (distinct) sizes."""


class ProductMismatch(ShapeMismatch):
    """Two factors of a product do not fit, as in QK with K not transposed."""


class OutOfRange(Exception):
    """An index points outside its symbol (q_7 when there are 5 queries)."""


@dataclass(frozen=True)
class Family:
    """A symbol whose subscripts select a value: q_i (a row of Q), head_i, R_m (rotation by position m)."""

    pick: Callable[..., Value]  # called with the raw index values as written (1-based or 0-based per setting)
    whole: Value | None = None  # the value without a subscript: Q for q, W^O for W_i^O; None if it has none


@dataclass(frozen=True)
class Members:
    """A family of sets of indices, for a sum or maximum over one of them: J_t, the keys of block t."""

    pick: Callable[..., tuple[int, ...]]


@dataclass(frozen=True)
class Setting:
    """What a formula's symbols and functions mean for one check."""

    symbols: dict[str, object] = field(default_factory=dict)  # key ("Q", "W_q", "d_k") -> Value | Family
    functions: dict[str, Callable[..., Value]] = field(default_factory=dict)  # "attention" -> reference
    indices: dict[str, int] = field(default_factory=dict)  # bound index variables
    ranges: dict[str, tuple[int, ...]] = field(default_factory=dict)  # values to try for a free index
    softmax_axis: int = -1  # -1: rows are distributions (row vectors); 0: columns (column vectors)
    columns: bool = False  # vectors are columns: u v^T is an outer product
    concat_axis: int = -1
    about: str = ""  # the sizes and seed, for counterexamples: "n = 5, d_k = 7, ... (seed 0)"
    size_names: dict = field(default_factory=dict)  # 7 -> "d_k": a shape in the reader's symbols
    base: int = 1  # the first index: q_1 is the first row (or q_0, in a 0-based document)
    plane: bool = False  # a real pair (x, y) is the complex number x + iy (RoPE in complex form)

    def bind(self, **values: int) -> "Setting":
        return replace(self, indices={**self.indices, **values})

    def values_of(self, variable: str) -> tuple[int, ...]:
        """The values to try for an index: its own range, else the one every index runs over."""
        return tuple(self.ranges.get(variable, self.ranges.get("*", ())))


def evaluate(node: tree.Node, setting: Setting) -> Value:
    """The value of `node` in `setting`; raises Unknown, ShapeMismatch or OutOfRange."""
    kind = type(node).__name__
    handler = HANDLERS.get(kind)
    if handler is None:
        raise Unknown(f"cannot evaluate {show(node)}")
    return handler(node, setting)


def number(node: tree.Num, setting: Setting) -> Value:
    return float(node.text)


def name(node: tree.Name | tree.Script, setting: Setting) -> Value:
    return symbol(node, setting)


def script(node: tree.Script, setting: Setting) -> Value:
    if isinstance(node.base, tree.Name | tree.Script) and is_symbol(node.base):
        return symbol(node, setting)
    if isinstance(node.base, tree.Call) and not node.base.args and node.sub and node.sup is None and \
            node.base.name in setting.functions:  # \text{mask}_{qk}: the entry mask(q, k), as the function lays it out
        parts = tuple(part for item in node.sub for part in split_index(item, setting))
        return evaluate(tree.Call(node.base.name, parts, node.base.sub, node.base.sup), setting)
    value = evaluate(node.base, setting)
    if node.sub:
        value = take(value, [index(part, setting) for item in node.sub for part in split_index(item, setting)],
                     setting.base, node)  # softmax(...)_{ij}: row i, column j
    if node.sup is not None:
        value = power(value, evaluate(node.sup, setting), node)
    return value


def is_symbol(node: tree.Node) -> bool:
    return isinstance(node, tree.Name) or (isinstance(node, tree.Script) and isinstance(node.base, tree.Name))


LABEL_LETTERS = {"Q", "K", "V", "O", "q", "k", "v", "o"}
HEAD_LABELS = {tree.Name("h"), tree.Name("l"), tree.Name("ell")}  # A^h, W_Q^h: which head (or layer)


def symbol(node: tree.Name | tree.Script, setting: Setting) -> Value:
    """Resolve a (scripted) name: labels join the key (W^Q -> W_q), other subscripts index it."""
    if isinstance(node, tree.Name) and node.name in setting.indices:
        return setting.indices[node.name]
    if (compound := compound_index(node)) in setting.indices:
        return setting.indices[compound]  # t_z, t_x: an index variable with a subscript of its own
    if isinstance(node, tree.Script) and len(node.sub) == 1 and isinstance(node.sub[0], tree.Slice):
        return sliced(node, setting)
    base_node = node.base if isinstance(node, tree.Script) else node
    if not isinstance(base_node, tree.Name):
        raise Unknown(f"no meaning for {show(node)}")  # (d_k)^{-1/2} written as a script on a script
    base = base_node.name
    sub = node.sub if isinstance(node, tree.Script) else ()
    sup = node.sup if isinstance(node, tree.Script) else None
    labels, exponent = [], None
    if sup is not None:
        if isinstance(sup, tree.Name) and base != "e" and (
                sup.name in LABEL_LETTERS or key(base, [sup.name.lower()]) in setting.symbols):
            labels.append(sup.name.lower())
        elif isinstance(sup, tree.Mul) and (word := label_word(sup)) and set(word.upper()) <= LABEL_LETTERS and \
                key(base, [word]) in setting.symbols:
            labels.append(word)  # D^{QK}: Fleuret's width of the queries and keys
        elif isinstance(sup, tree.Group) and sup.bracket == "(" and len(sup.items) == 1 and \
                isinstance(sup.items[0], tree.Name) and sup.items[0].name in LABEL_LETTERS:
            labels.append(sup.items[0].name.lower())  # W^{(q)}, as d2l and Bishop write it
        elif isinstance(sup, tree.Group) and sup.bracket == "(" and base != "e" and len(sup.items) == 1 and \
                isinstance(sup.items[0], tree.Num) and key(base, [f"({sup.items[0].text})"]) in setting.symbols:
            labels.append(f"({sup.items[0].text})")  # x^{(1)}: the first block of x, where blocks are in play
        elif isinstance(sup, tree.Group) and sup.bracket == "(" and base != "e" and len(sup.items) == 1 and \
                bound_index(sup.items[0], setting):
            sub = (*sub, *sup.items)  # W_o^{(i)} in a sum over the heads i: head i's block; l^{(j-1)}: step j - 1
        elif isinstance(sup, tree.Group) and sup.bracket == "(" and base != "e" and len(sup.items) == 1 and \
                isinstance(sup.items[0], tree.Name | tree.Num):
            pass  # a layer index, W^{(l)}: every layer is the same here
        elif token_superscript(base, sub, sup, setting):
            sub = (sup,)  # q^1 . k^i: token 1's query and token i's key, as Hung-yi Lee's lectures write them
        elif sup in HEAD_LABELS and base != "e" and key(base, labels) in setting.symbols:
            pass  # A^h_{ij}: head h's weights, where only one head is in play
        else:
            exponent = sup
    indices = []
    for item in sub:
        word = label_word(item)
        if word is not None and key(base, labels + [word]) in setting.symbols:
            labels.append(word)
        else:
            indices.extend(split_index(item, setting))
    if base == "e" and not indices and not labels and (exponent is not None or "e" not in setting.symbols):
        with np.errstate(all="ignore"):
            return np.e if exponent is None else np.exp(evaluate(exponent, setting))  # e^{x}: Euler's number
    found = setting.symbols.get(key(base, labels))
    if found is None:
        raise Unknown(f"no meaning for {show(node)}")
    if isinstance(found, Family):
        if not indices and found.whole is None:
            raise Unknown(f"{show(node)} needs a subscript")
        try:
            value = found.pick(*[index(i, setting) for i in indices]) if indices else found.whole
        except TypeError:
            value = entry_of_member(found, indices, node, setting)
    elif indices and setting.columns and base in TOKEN_MATRICES and len(indices) == 1 and np.ndim(found) == 2:
        value = take(np.transpose(found), [index(indices[0], setting)], setting.base, node)  # Q_i: token i's column
    elif indices:
        value = take(found, [index(i, setting) for i in indices], setting.base, node)
    else:
        value = found
    if exponent is not None:
        value = power(value, evaluate(exponent, setting), node)
    return value


def entry_of_member(family: Family, indices: list[tree.Node], node: tree.Script, setting: Setting) -> Value:
    """q_{ic}: entry c of token i's query, where the family picks a vector by one index."""
    try:
        member = family.pick(index(indices[0], setting))
    except TypeError:
        member = None
    if len(indices) < 2 or np.ndim(member) != len(indices) - 1:
        raise Unknown(f"{show(node)} has {len(indices)} subscripts, which does not fit its meaning")
    return take(member, [index(i, setting) for i in indices[1:]], setting.base, node)


TOKEN_VECTORS = {"q", "k", "v", "x"}
TOKEN_MATRICES = {"Q", "K", "V", "X"}  # one token per row, or per column with column vectors


def token_superscript(base: str, sub: tuple[tree.Node, ...], sup: tree.Node, setting: Setting) -> bool:
    """q^1, k^i, v^{j}: a token's vector numbered by a superscript (no one raises a sequence of vectors to a power);
    the superscript is a number or an index the formula runs over."""
    if base not in TOKEN_VECTORS or sub or not isinstance(setting.symbols.get(base), Family):
        return False
    if isinstance(sup, tree.Group) and sup.bracket == "{" and len(sup.items) == 1:
        sup = sup.items[0]
    return isinstance(sup, tree.Num) or isinstance(sup, tree.Name) and len(sup.name) == 1 and \
        sup.name not in LABEL_LETTERS and (sup.name in setting.indices or sup.name in setting.ranges or
                                           "*" in setting.ranges)


def compound_index(node: tree.Node) -> str | None:
    """t_z -> "t_z": a one-letter name with a one-letter subscript, as index variables are sometimes named."""
    if not (isinstance(node, tree.Script) and isinstance(node.base, tree.Name) and node.sup is None):
        return None
    if len(node.base.name) == 1 and len(node.sub) == 1 and isinstance(node.sub[0], tree.Name) and \
            len(node.sub[0].name) == 1:
        return f"{node.base.name}_{node.sub[0].name}"
    return None


def key(base: str, labels: list[str]) -> str:
    return base if not labels else base + "_" + "_".join(labels)


def label_word(item: tree.Node) -> str | None:
    if isinstance(item, tree.Name):
        return item.name.lower()
    if isinstance(item, tree.Mul) and item.op == "" and all(isinstance(n, tree.Name) for n in (item.left, item.right)):
        return item.left.name.lower() + item.right.name.lower()  # d_{kv}
    return None


def bound_index(node: tree.Node, setting: Setting) -> bool:
    """i, or j - 1, where every name is an index the formula runs over: an index written as a superscript."""
    names = [n for n in tree.walk(node) if isinstance(n, tree.Name)]
    return bool(names) and all(n.name in setting.indices for n in names) and \
        all(isinstance(n, tree.Name | tree.Num | tree.Add | tree.Sub) for n in tree.walk(node))


def sliced(node: tree.Script, setting: Setting) -> Value:
    """x_{1:d/2}: entries 1 to d/2 of x, both ends included when counting from 1 (x_{0:d/2}, counting from 0, stops
    before d/2, as Python's slices do); K_{1:t}: the keys of tokens 1 to t."""
    whole = np.asarray(evaluate(tree.Script(node.base, (), node.sup) if node.sup is not None else node.base, setting))
    part = node.sub[0]
    start = index(part.start, setting) if part.start is not None else setting.base
    stop = index(part.stop, setting) + setting.base if part.stop is not None else whole.shape[-1] + setting.base
    if whole.ndim == 2:  # K_{1:t}: the first t tokens' keys, rows (or, with column vectors, columns) 1 to t
        tokens = whole.T if setting.columns else whole  # (n, d)
        if not setting.base <= start < stop <= tokens.shape[0] + setting.base:
            raise OutOfRange(f"{show(node)} is not a run of the {tokens.shape[0]} tokens")
        picked = tokens[start - setting.base : stop - setting.base]  # (t, d)
        return picked.T if setting.columns else picked
    if whole.ndim != 1 or not setting.base <= start < stop <= whole.shape[0] + setting.base:
        raise OutOfRange(f"{show(node)} is not a piece of a vector of {whole.shape[-1:] or 'no'} entries")
    return whole[start - setting.base : stop - setting.base]


def split_index(item: tree.Node, setting: Setting) -> list[tree.Node]:
    """`ij` is two indices, `(pos, 2i)` two; anything else is one index expression."""
    if isinstance(item, tree.Group):
        return list(item.items)
    if isinstance(item, tree.Mul) and item.op == "":
        parts = [item.left, item.right]
        if all(isinstance(p, tree.Name) and (p.name in setting.indices or p.name not in setting.symbols)
               for p in parts):
            return parts
    if isinstance(item, tree.Name) and len(item.name) == 2 and item.name.isalpha() and \
            all(letter in setting.indices for letter in item.name):
        return [tree.Name(item.name[0]), tree.Name(item.name[1])]  # a two-letter word: \alpha_{\text{ts}}
    return [item]


def index(node: tree.Node, setting: Setting) -> int:
    value = evaluate(node, setting)
    if np.ndim(value) != 0 or float(value) != int(value):
        raise Unknown(f"index {show(node)} is not an integer")
    return int(value)


def take(value: Value, positions: list[int], base: int, node: tree.Node) -> Value:
    array = np.asarray(value)
    if array.ndim == 0:
        raise Unknown(f"no meaning for {show(node)}")  # d_z: a size's name with a label the setting does not know
    if len(positions) > array.ndim:
        raise ShapeMismatch(f"{show(node)} has {len(positions)} indices but is {shape(array)}")
    picked = []
    for axis, position in enumerate(positions):
        if not 0 <= position - base < array.shape[axis]:
            raise OutOfRange(f"{show(node)}: index {position} outside 1..{array.shape[axis]}")
        picked.append(position - base)
    return array[tuple(picked)]


RTOL = 1e-9  # how closely two values must agree to be one: the numeric rung's sides, a limit's last two steps
LIMIT_STEPS = tuple(10.0 ** k for k in range(2, 14, 2))  # 10^2 .. 10^12: how far a variable goes towards its limit


def limit(node: tree.Limit, setting: Setting) -> Value:
    r"""`\lim_{T \to 0^+} p(T)`: the body at T = 10^{-2}, ..., 10^{-12} (or 10^2, ..., 10^{12} towards infinity),
    taken at the last step when the last two steps agree to the numeric rung's tolerance; Unknown if they do not
    (a limit that does not settle this way cannot be checked by evaluation)."""
    if not isinstance(node.variable, tree.Name):
        raise Unknown(f"no variable in {show(node)}")
    values = [np.asarray(evaluate(node.body, setting.bind(**{node.variable.name: point})), dtype=float)
              for point in approach(node.target, setting)]
    last, before = values[-1], values[-2]
    scale = max(float(np.max(np.abs(last), initial=0.0)), 1.0)
    if last.shape != before.shape or not np.all(np.abs(last - before) <= RTOL * scale):
        raise Unknown(f"{show(node)} does not settle by {LIMIT_STEPS[-1]:g}")
    return last if last.ndim else float(last)


def approach(target: tree.Node, setting: Setting) -> list[float]:
    """The points on the way to `target`: towards infinity, or towards a number from the side its superscript
    names (from above unless it is a minus)."""
    if target == tree.Infinity():
        return list(LIMIT_STEPS)
    if target == tree.Neg(tree.Infinity()):
        return [-step for step in LIMIT_STEPS]
    side = -1.0 if isinstance(target, tree.Script) and target.sup == tree.Name("-") else 1.0
    at = float(evaluate(target.base if isinstance(target, tree.Script) and not target.sub else target, setting))
    return [at + side / step for step in LIMIT_STEPS]


def power(value: Value, exponent: Value, node: tree.Node) -> Value:
    if np.ndim(exponent) != 0:
        raise Unknown(f"{show(node)}: the exponent is not a number")
    if np.ndim(value) == 2 and float(exponent) == -1 and value.shape[0] == value.shape[1]:
        return np.linalg.inv(value)
    if np.ndim(value) != 0:
        raise Unknown(f"{show(node)}: a power of a matrix")
    with np.errstate(all="ignore"):
        return float(value) ** float(exponent)


def shape(value: Value) -> str:
    return "a scalar" if np.ndim(value) == 0 else "[" + ", ".join(map(str, np.shape(value))) + "]"


def function_name(node: tree.Node) -> str | None:
    """f -> "f", sigma_{col} -> "sigma_col": a name, or a name with one label, that may be applied to a group."""
    if isinstance(node, tree.Name):
        return node.name
    if isinstance(node, tree.Script) and isinstance(node.base, tree.Name) and node.sup is None and \
            len(node.sub) == 1 and isinstance(node.sub[0], tree.Name) and \
            (len(node.sub[0].name) > 1 or node.base.name in {"f", "g"}):  # f_q(x_m, m): RoFormer's functions
        return f"{node.base.name}_{node.sub[0].name}"
    return None


def negate(node: tree.Neg, setting: Setting) -> Value:
    return -evaluate(node.arg, setting)


def add(node: tree.Add | tree.Sub, setting: Setting) -> Value:
    left, right = evaluate(node.left, setting), evaluate(node.right, setting)
    if np.ndim(left) and np.ndim(right) and np.shape(left) != np.shape(right):
        raise ShapeMismatch(f"{show(node)} adds {shape(left)} and {shape(right)}")
    with np.errstate(all="ignore"):
        return left + right if isinstance(node, tree.Add) else left - right


def multiply(node: tree.Mul, setting: Setting) -> Value:
    if (function := function_name(node.left)) in setting.functions and node.op == "" and \
            isinstance(node.right, tree.Group) and node.right.bracket == "(":
        return setting.functions[function](*[evaluate(arg, setting) for arg in node.right.items])  # f(x), sigma_col(S)
    if isinstance(node.left, tree.Mul) and node.op == "" and function_name(node.left.right) in setting.functions and \
            isinstance(node.right, tree.Group) and node.right.bracket == "(":  # a l(x), a \odot tril(1): f applied
        return multiply(tree.Mul(node.left.left, tree.Mul(node.left.right, node.right, ""), node.left.op), setting)
    if is_symbol(node.left) and isinstance(node.right, tree.Group) and len(node.right.items) > 1 and \
            not (node.right.bracket == "[" and isinstance(node.left, tree.Script) and node.left.base == tree.Name("W")):
        raise Unknown(f"no meaning for the function {show(node.left)}")  # a[x_m, x_n], f(q, k); not W_o [heads]
    left, right = evaluate(node.left, setting), evaluate(node.right, setting)
    pairs = node.op == "" and not isinstance(node.left, tree.Transpose) and np.shape(left) == np.shape(right) == (2,)
    if setting.plane and (np.iscomplexobj(left) or np.iscomplexobj(right) or pairs):
        left, right = in_plane(left), in_plane(right)  # (W_q x_m) e^{i m theta}: the pair as a complex number
    with np.errstate(all="ignore"):
        if np.ndim(left) == 0 or np.ndim(right) == 0:
            return left * right
        if node.op == "oplus":
            return concatenate([left, right], node, setting)
        if np.ndim(left) == 1 and np.ndim(right) == 1 and isinstance(node.right, tree.Transpose) and \
                not isinstance(node.left, tree.Transpose) and setting.columns:
            return np.outer(left, right)  # u v^T with column vectors: a column times a row (with rows: a dot)
        if np.ndim(left) == 1 and np.ndim(right) == 1 and isinstance(node.left, tree.Transpose) and \
                not isinstance(node.right, tree.Transpose) and not setting.columns and len(left) != len(right):
            return np.outer(left, right)  # u^T v with row vectors of different widths: a column times a row
        if node.op == "odot":
            if np.shape(left) != np.shape(right):
                raise ProductMismatch(f"{show(node)} multiplies {shape(left)} and {shape(right)} elementwise")
            return left * right
        inner_left = np.shape(left)[-1]
        inner_right = np.shape(right)[-2 if np.ndim(right) > 1 else 0]  # matmul's: a stack of matrices' rows
        if inner_left != inner_right:
            raise ProductMismatch(f"{show(node)} multiplies {shape(left)} by {shape(right)}")
        return np.matmul(left, right)


def in_plane(value: Value) -> Value:
    """A real pair (x, y), as a row or a column, as the complex number x + iy; anything else as it is."""
    if not np.iscomplexobj(value) and np.shape(value) in {(2,), (2, 1), (1, 2)}:
        pair = np.reshape(value, 2)  # (2,)
        return complex(pair[0], pair[1])
    return value


def divide(node: tree.Div, setting: Setting) -> Value:
    num, den = evaluate(node.num, setting), evaluate(node.den, setting)
    if np.ndim(num) == 2 and np.ndim(den) == 1 and len(den) == np.shape(num)[1 if setting.columns else 0]:
        den = den[None, :] if setting.columns else den[:, None]  # each token's output over its own normaliser
        num, den = np.broadcast_arrays(num, den)
    if np.ndim(den) and np.shape(den) != np.shape(num):
        raise ShapeMismatch(f"{show(node)} divides {shape(num)} by {shape(den)}")
    with np.errstate(all="ignore"):
        kind = complex if np.iscomplexobj(num) or np.iscomplexobj(den) else float
        return np.divide(num, den, dtype=kind)  # 1/0 is inf, as in numpy, not a ZeroDivisionError


def square_root(node: tree.Sqrt, setting: Setting) -> Value:
    degree = 2.0 if node.index is None else float(evaluate(node.index, setting))
    with np.errstate(all="ignore"):
        return np.power(evaluate(node.arg, setting), 1 / degree)


def transpose(node: tree.Transpose, setting: Setting) -> Value:
    value = evaluate(node.arg, setting)
    return np.swapaxes(value, -1, -2) if np.ndim(value) >= 2 else value


def infinity(node: tree.Infinity, setting: Setting) -> Value:
    return np.inf


def group(node: tree.Group, setting: Setting) -> Value:
    """(a) is a; [head_1; ...; head_h] the heads side by side."""
    if len(node.items) == 1 and node.bracket == "[" and (blocks := side_by_side(node.items[0])):
        return concat(tree.Call("concat", blocks), setting)  # [head_0 \; head_1 \; \cdots]: a block row
    if len(node.items) == 1 and node.bracket == "[" and isinstance(node.items[0], tree.Relation):
        return 1.0 if compare(node.items[0], setting) else 0.0  # [j \le i]: Iverson's bracket
    if len(node.items) == 1:
        return evaluate(node.items[0], setting)
    if node.bracket == "[":
        return concat(tree.Call("concat", node.items), setting)
    raise Unknown(f"cannot evaluate the list {show(node)}")


def side_by_side(node: tree.Node) -> tuple[tree.Node, ...] | None:
    r"""The blocks of [A_1 A_2 \cdots A_h] when every factor is the same name with a subscript (or dots)."""
    blocks = tree.juxtaposed(node)
    named = [b for b in blocks if not isinstance(b, tree.Dots)]
    same = len({b.base for b in named if isinstance(b, tree.Script)}) == 1
    if len(blocks) < 2 or not same or not all(isinstance(b, tree.Script) and b.sub for b in named):
        return None
    return tuple(blocks)


def inner(node: tree.Inner, setting: Setting) -> Value:
    left, right = evaluate(node.left, setting), evaluate(node.right, setting)
    if "inner" in setting.functions:
        return setting.functions["inner"](left, right)  # of complex numbers: Re(a conj(b))
    if np.shape(left) != np.shape(right) or np.ndim(left) != 1:
        raise ShapeMismatch(f"{show(node)} pairs {shape(left)} with {shape(right)}")
    return float(np.dot(left, right))


def norm(node: tree.Norm, setting: Setting) -> Value:
    return float(np.linalg.norm(evaluate(node.arg, setting)))


def matrix(node: tree.Matrix, setting: Setting) -> Value:
    if any(isinstance(cell, tree.Dots) for row in node.rows for cell in row):
        return triangular_pattern(node, setting)
    rows = [[evaluate(cell, setting) for cell in row] for row in node.rows]
    if any(np.ndim(cell) for row in rows for cell in row) or len({len(row) for row in rows}) != 1:
        raise Unknown(f"cannot evaluate the block matrix {show(node)}")
    return np.array(rows, dtype=float)


def triangular_pattern(node: tree.Matrix, setting: Setting) -> Value:
    r"""`\begin{bmatrix} 0 & -\infty & \dots & -\infty \\ \vdots & & \ddots & \vdots \\ 0 & 0 & \dots & 0
    \end{bmatrix}`: an n x n matrix written by its corners, one value above the diagonal, one on it and one below
    (as a causal mask is drawn); a pattern that is not (a band, say) cannot be evaluated."""
    n = setting.symbols.get("n")
    rows = [row for row in node.rows if not all(isinstance(cell, tree.Dots) for cell in row)]
    skipped = next((k for k, row in enumerate(node.rows) if all(isinstance(cell, tree.Dots) for cell in row)), None)
    if not isinstance(n, int) or skipped is None or len({len(row) for row in node.rows}) != 1:
        raise Unknown(f"cannot evaluate {show(node)}")
    width = len(node.rows[0])
    gap = next((k for k, cell in enumerate(node.rows[0]) if isinstance(cell, tree.Dots)), width)
    places: dict[int, set[float]] = {-1: set(), 0: set(), 1: set()}  # below, on and above the diagonal
    for k, row in enumerate(rows):
        i = k if k < skipped else n - (len(rows) - k)  # the rows after the dots are the last ones
        for c, cell in enumerate(row):
            if isinstance(cell, tree.Dots):
                continue
            j = c if c < gap else n - (width - c)
            places[int(np.sign(j - i))].add(float(evaluate(cell, setting)))
    if any(len(values) != 1 for values in places.values()):
        raise Unknown(f"cannot evaluate {show(node)}: no one value above, on and below its diagonal")
    above, on, below = (places[side].pop() for side in (1, 0, -1))
    order = np.subtract.outer(np.arange(n), np.arange(n))  # (n, n): i - j
    return np.where(order < 0, above, np.where(order == 0, on, below))  # (n, n)


def summation(node: tree.Sum, setting: Setting) -> Value:
    r"""\sum_{j=1}^{t} f_j; inside it, j runs over the sum's range, so a softmax over j in the body normalises
    over the same keys (DeepSeek's causal o_t = \sum_{j=1}^{t} \mathrm{Softmax}_j(q_t^T k_j / \sqrt{d_h}) v_j)."""
    variable, values = sum_range(node, setting)
    inside = replace(setting, ranges={**setting.ranges, variable: tuple(values)})
    total = 0.0
    for value in values:
        try:
            term = evaluate(node.body, inside.bind(**{variable: value}))
        except OutOfRange:
            continue
        if np.ndim(total) and np.shape(total) != np.shape(term):
            raise ShapeMismatch(f"{show(node)} adds terms of shapes {shape(total)} and {shape(term)}")
        total = total + term
    return total


def sum_range(node: tree.Sum, setting: Setting) -> tuple[str, range | tuple[int, ...]]:
    r"""\sum_{j=1}^{n} runs as written; a bare \sum_j over the values the setting gives that index."""
    if len(node.sub) != 1:
        raise Unknown(f"cannot read the range of {show(node)}")
    lower = node.sub[0]
    if isinstance(lower, tree.Relation) and lower.ops == ("=",) and isinstance(lower.items[0], tree.Name):
        variable = lower.items[0].name
        start = index(lower.items[1], setting)
        if node.sup is None:
            raise Unknown(f"{show(node)} has a lower limit but no upper one")
        return variable, range(start, index(node.sup, setting) + 1)
    if isinstance(lower, tree.Name):
        return lower.name, indexed_range(lower.name, node.body, setting) or \
            setting.values_of(lower.name)
    if isinstance(lower, tree.Relation) and lower.ops == ("in",) and isinstance(lower.items[0], tree.Name) and \
            isinstance(lower.items[1], tree.Script) and lower.items[1].sub:
        variable = lower.items[0].name  # \sum_{j \in J_t}: the members of a set the setting knows (a block's keys)
        members = setting.symbols.get(lower.items[1].base.name) if isinstance(lower.items[1].base, tree.Name) else None
        if isinstance(members, Members):
            return variable, members.pick(*[index(item, setting) for item in lower.items[1].sub])
        return variable, setting.values_of(variable)  # S_i: query i's keys, all unmasked
    if isinstance(lower, tree.Relation) and len(lower.items) == 2 and isinstance(lower.items[0], tree.Name):
        variable = lower.items[0].name  # \sum_{j \le i}: the values the condition allows
        values = setting.values_of(variable)
        return variable, tuple(v for v in values if compare(lower, setting.bind(**{variable: v})))
    raise Unknown(f"cannot read the range of {show(node)}")


def indexed_range(variable: str, body: tree.Node, setting: Setting) -> range | None:
    r"""The values of a bare sum's index where the body uses it to index arrays: `\sum_c X_{ic} W_{cj}` runs over
    X's columns (W's rows), not over the tokens. None where the index picks no axis of a known array (or, in a
    column-vector text, where a token's vector may stand for a column)."""
    if setting.columns:
        return None
    lengths = set()
    for node in tree.walk(body):
        if not (isinstance(node, tree.Script) and isinstance(node.base, tree.Name | tree.Group) and node.sub):
            continue
        items = [part for item in node.sub for part in split_index(item, setting.bind(**{variable: setting.base}))]
        if tree.Name(variable) not in items:
            continue
        try:
            whole = np.shape(evaluate(tree.Script(node.base, (), node.sup) if node.sup else node.base, setting))
        except (Unknown, ShapeMismatch, OutOfRange):
            continue
        if len(whole) == len(items):
            lengths.add(whole[items.index(tree.Name(variable))])
    if len(lengths) > 1:
        raise ShapeMismatch(f"the index {variable} runs over axes of lengths {sorted(lengths)}")
    return range(setting.base, setting.base + lengths.pop()) if lengths else None


def call(node: tree.Call, setting: Setting) -> Value:
    if node.name in ELEMENTWISE:
        if len(node.args) != 1:
            raise Unknown(f"{node.name} takes one argument")
        with np.errstate(all="ignore"):  # the conjugate of a pair, in the complex plane, is of its complex number
            argument = evaluate(node.args[0], setting)
            value = ELEMENTWISE[node.name](in_plane(argument) if setting.plane else argument)
    elif node.name == "softmax" and node.sub and isinstance(node.sub[0], tree.Num):
        raise Unknown(f"{show(node)} is another function than the softmax")  # softmax_1: a 1 added to the sum
    elif node.name == "softmax":
        axis = setting.softmax_axis
        if node.sub and node.sub[0] in AXES:
            axis = AXES[node.sub[0]]  # softmax_col: each column normalised; softmax_row: each row
        if len(node.args) == 2:
            axis = dimension_argument(node.args[1], setting)  # softmax(E, dim=1), as PyTorch-minded notes write
        elif len(node.args) != 1:
            raise Unknown("softmax takes one argument")
        scores = evaluate(node.args[0], setting)
        value = softmax(scores, axis) if np.ndim(scores) else softmax_over_index(node, setting)
    elif node.name == "concat":
        value = concat(node, setting)
    elif node.name == "diag" and len(node.args) == 1 and np.ndim(vector := evaluate(node.args[0], setting)) == 1:
        value = np.diag(vector)
    elif node.name == "max" and node.sub:
        variable, values = sum_range(tree.Sum(node.sub, node.sup, node.args[0]), setting)
        value = np.max([evaluate(node.args[0], setting.bind(**{variable: i})) for i in values])
    elif node.name in {"argmax", "argmin"} and node.sub and len(node.args) == 1:
        variable, values = sum_range(tree.Sum(node.sub, node.sup, node.args[0]), setting)
        scores = np.asarray([evaluate(node.args[0], setting.bind(**{variable: i})) for i in values], dtype=float)
        value = values[int(np.argmax(scores) if node.name == "argmax" else np.argmin(scores))]  # as the text counts
    elif node.name == "max" and node.args and node.name not in setting.functions:
        value = np.max(np.array([evaluate(arg, setting) for arg in node.args], dtype=float), axis=0)  # max(a, b)
    elif node.name in setting.functions:
        arguments = [evaluate(arg, setting) for arg in node.args]
        try:
            value = setting.functions[node.name](*arguments)
        except ValueError as error:  # numpy's word for operands whose shapes do not fit
            raise ShapeMismatch(f"{show(node)}: {error}") from None
    elif isinstance(setting.symbols.get(node.name), Family):
        value = setting.symbols[node.name].pick(*[index(arg, setting) for arg in node.args])  # PE(pos, 2i)
    elif isinstance(setting.symbols.get(node.name), np.ndarray) and len(node.args) == 2:
        value = take(setting.symbols[node.name], [index(arg, setting) for arg in node.args], setting.base, node)
    else:
        raise Unknown(f"no meaning for the function {node.name}")
    if node.sup is not None and node.name not in {"max"}:
        value = power(value, evaluate(node.sup, setting), node)
    return value


def dimension_argument(node: tree.Node, setting: Setting) -> int:
    """dim=1 (or dim=-1): the axis a softmax normalises, in the document's vector convention."""
    if not (isinstance(node, tree.Relation) and node.ops == ("=",) and node.items[0] == tree.Name("dim")):
        raise Unknown("softmax's second argument must be dim=...")
    axis = index(node.items[1], setting)
    return -1 if axis in (1, -1) else 0


def softmax_over_index(node: tree.Call, setting: Setting) -> Value:
    """softmax_j(score(x_i, x_j)): a scalar's softmax is over an index, the one named below it or else the
    last index its argument uses (j in score(x_i, x_j))."""
    used = [n.name for n in tree.walk(node.args[0]) if isinstance(n, tree.Name) and n.name in setting.indices]
    variable = node.sub[0].name if node.sub and isinstance(node.sub[0], tree.Name) else (used[-1] if used else None)
    if variable is None or variable not in setting.indices:
        raise Unknown("softmax of a single number")
    values = setting.values_of(variable)
    scores = np.array([evaluate(node.args[0], setting.bind(**{variable: v})) for v in values], dtype=float)
    return float(softmax(scores, -1)[values.index(setting.indices[variable])])


def softmax(scores: Value, axis: int) -> Value:
    scores = np.asarray(scores, dtype=float)
    if scores.ndim == 0:
        raise Unknown("softmax of a scalar")
    axis = axis if scores.ndim > 1 else -1
    with np.errstate(all="ignore"):
        shifted = scores - np.max(scores, axis=axis, keepdims=True)
        weights = np.exp(shifted)
        return weights / weights.sum(axis=axis, keepdims=True)


def concat(node: tree.Call, setting: Setting) -> Value:
    r"""Concat(head_1, ..., head_h): the dots stand for the indices between the two ends; `\text{Concat}_{i \in
    [h]}(\ldots)`: one piece for each value of i, the heads in order."""
    match node.sub, node.args:
        case (tree.Relation((tree.Name(variable), _), ("in",)),), (body,):
            values = setting.values_of(variable)
            return concatenate([evaluate(body, setting.bind(**{variable: value})) for value in values], node, setting)
    parts = []
    args = list(node.args)
    for position, arg in enumerate(args):
        if isinstance(arg, tree.Dots):
            if position == 0 or position == len(args) - 1:
                raise Unknown("Concat with dots at an end")
            parts.extend(fill(args[position - 1], args[position + 1], setting))
        else:
            parts.append(evaluate(arg, setting))
    return concatenate(parts, node, setting)


def concatenate(parts: list[Value], node: tree.Node, setting: Setting) -> Value:
    """Side by side along the feature axis (the last for row vectors, the first for column vectors)."""
    shapes = {np.shape(p)[:-1] if setting.concat_axis == -1 else np.shape(p)[1:] for p in parts}
    if len(shapes) != 1 or any(np.ndim(p) == 0 for p in parts):
        raise ShapeMismatch(f"{show(node)} joins pieces of shapes {', '.join(shape(p) for p in parts)}")
    return np.concatenate(parts, axis=setting.concat_axis)


def fill(first: tree.Node, last: tree.Node, setting: Setting) -> list[Value]:
    """The values strictly between `head_1` and `head_h` in Concat(head_1, ..., head_h)."""
    if not (isinstance(first, tree.Script) and isinstance(last, tree.Script) and first.base == last.base):
        raise Unknown("Concat's dots need two ends with the same name")
    start, stop = index(first.sub[-1], setting), index(last.sub[-1], setting)
    return [evaluate(tree.Script(first.base, (tree.Num(str(i)),), first.sup), setting) for i in range(start + 1, stop)]


def cases(node: tree.Cases, setting: Setting) -> Value:
    for value, condition in node.branches:
        if holds(condition, setting):
            return evaluate(value, setting)
    raise OutOfRange(f"no branch of {show(node)} applies")  # the formula says nothing here


def holds(condition: tuple[tree.Node, ...], setting: Setting) -> bool:
    if (remainder := modulo(condition)) is not None:
        letter, divisor, rest = remainder
        return index(letter, setting) % divisor == rest
    relations = [c for c in condition if isinstance(c, tree.Relation)]
    words = " ".join(c.words if isinstance(c, tree.Text) else c.name for c in condition
                     if isinstance(c, tree.Text | tree.Name)).lower()  # \text{otherwise,} may read as a name
    if not relations:
        if "otherwise" in words or "else" in words or not condition:
            return True
        if parity := re.fullmatch(r"\s*(?:if|when|for)?\s*([a-z])\s+(?:is\s+)?(even|odd)\W*", words):  # if j is even
            value = index(tree.Name(parity.group(1)), setting)
            return value % 2 == (0 if parity.group(2) == "even" else 1)
        raise Unknown(f"cannot read the condition {words!r}")
    return all(compare(relation, setting) for relation in relations)


def modulo(condition: tuple[tree.Node, ...]) -> tuple[tree.Name, int, int] | None:
    r"""`i \text{ mod } 2 = 0`, which reads as the index, the word and `2 = 0`: (i, 2, 0); None for anything else."""
    for before, word, relation in zip(condition, condition[1:], condition[2:], strict=False):
        if isinstance(before, tree.Name) and isinstance(word, tree.Text) and word.words.strip() == "mod" and \
                isinstance(relation, tree.Relation) and relation.ops == ("=",) and \
                all(isinstance(n, tree.Num) and n.text.isdigit() for n in relation.items):
            return before, int(relation.items[0].text), int(relation.items[1].text)
    return None


COMPARISONS = {
    "le": np.less_equal, "lt": np.less, "ge": np.greater_equal, "gt": np.greater, "=": np.equal,
    "ne": np.not_equal,
}


def compare(relation: tree.Relation, setting: Setting) -> bool:
    values = [evaluate(item, setting) for item in relation.items]
    for op, left, right in zip(relation.ops, values, values[1:], strict=False):
        if op not in COMPARISONS or np.ndim(left) or np.ndim(right):
            raise Unknown(f"cannot decide the condition {show(relation)}")
        if not COMPARISONS[op](left, right):
            return False
    return True


AXES = {tree.Name(word): axis for axis, words in ((0, ("col", "cols", "column", "columns")), (-1, ("row", "rows")))
        for word in words}
ELEMENTWISE = {"exp": np.exp, "sin": np.sin, "cos": np.cos, "tanh": np.tanh, "log": np.log, "Re": np.real,
               "conj": np.conj, "floor": np.floor, "ceil": np.ceil}
CALLS = {"softmax", "concat", "diag", "max", "argmax", "argmin", *ELEMENTWISE}  # what `call` knows in every setting

HANDLERS = {
    "Num": number,
    "Name": name,
    "Script": script,
    "Neg": negate,
    "Add": add,
    "Sub": add,
    "Mul": multiply,
    "Div": divide,
    "Sqrt": square_root,
    "Transpose": transpose,
    "Infinity": infinity,
    "Group": group,
    "Inner": inner,
    "Norm": norm,
    "Matrix": matrix,
    "Sum": summation,
    "Limit": limit,
    "Call": call,
    "Cases": cases,
}

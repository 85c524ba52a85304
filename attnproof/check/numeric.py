r"""The shape and numeric rungs: evaluate both sides of an equation in a setting, at several points.

Both sides are evaluated in float64 with the symbols bound by a `Setting` (attnproof/check/settings.py,
built from the reference implementation); free indices (i, j, pos, m, n) run over the setting's
values. The sides must agree to a relative 1e-9 at every point: RoPE with R_{m+n} differs from the
truth by well under 1% at some points, so a loose tolerance would pass it.

Example:
    >>> from attnproof.check.parse import parse
    >>> from attnproof.check import settings
    >>> judge(parse(r"\mathrm{Attention}(Q,K,V) = \mathrm{softmax}(QK^\top/\sqrt{d_k})V"), settings.attention(0)).holds
    True
    >>> judge(parse(r"\mathrm{Attention}(Q,K,V) = \mathrm{softmax}(QK/\sqrt{d_k})V"), settings.attention(0)).rung
    'shapes'
"""

import itertools
import re
from dataclasses import dataclass

import numpy as np

from attnproof.check import tree
from attnproof.check.evaluate import (
    CALLS,
    RTOL,
    TOKEN_VECTORS,
    Family,
    OutOfRange,
    ProductMismatch,
    Setting,
    ShapeMismatch,
    Unknown,
    Value,
    compound_index,
    evaluate,
    function_name,
    in_plane,
    key,
    label_word,
    shape,
)
from attnproof.check.show import show
from attnproof.check.tree import walk

ORDERS = {"le": np.less_equal, "lt": np.less, "ge": np.greater_equal, "gt": np.greater}
ZERO = tree.Num("0")  # written beside a matrix or vector, its zero
SIDES = "sides"  # both sides evaluate, to different shapes: the left name may mean something else here
MOST_POINTS = 64


@dataclass(frozen=True)
class Judgement:
    """How one equation fared in one setting."""

    holds: bool | None  # None: the setting could not evaluate it (see `reason`)
    rung: str | None = None  # "shapes" or "numeric" when it fails
    reason: str = ""  # why it fails, or why it could not be evaluated
    points: int = 0  # points compared
    hint: str | None = None  # a corrected statement specific to this formula, when one is known
    at_product: bool = False  # the shapes failed at a product's factors (QK with K not transposed)


def judge(relation: tree.Relation, setting: Setting) -> Judgement:
    """Whether `left = right` (or <, <=, >, >=) holds at every point of `setting` (a Relation with one op)."""
    left, right = relation.items[0], relation.items[-1]
    variables = free_indices(relation, setting)
    points = 0
    checked_names = False
    for values in itertools.islice(itertools.product(*(setting.values_of(v) for v in variables)), MOST_POINTS):
        bound = setting.bind(**dict(zip(variables, values, strict=True)))
        if not checked_names:
            unknown = unknown_name(relation, bound)
            if unknown is not None:
                return Judgement(None, None, unknown, 0)
            checked_names = True
        try:
            a, b = evaluate(left, bound), evaluate(right, bound)
        except OutOfRange:
            continue
        except ShapeMismatch as mismatch:
            return Judgement(False, "shapes", str(mismatch), points, at_product=isinstance(mismatch, ProductMismatch))
        except Unknown as unknown:
            return Judgement(None, None, str(unknown), points)
        except (ValueError, TypeError, ZeroDivisionError, OverflowError, IndexError) as error:
            return Judgement(None, None, f"cannot evaluate: {error}", points)
        points += 1
        a, b = comparable(a, b, setting)
        a, b = (np.zeros_like(b) if left == ZERO else a), (np.zeros_like(a) if right == ZERO else b)  # J = 0
        if relation.ops[0] in ORDERS:
            if np.ndim(a) and np.ndim(b) and np.shape(a) != np.shape(b):
                return Judgement(False, SIDES, f"the left side is {shape(a)} but the right side is {shape(b)}", points)
            broken = violation(a, b, relation.ops[0], dict(zip(variables, values, strict=True)))
            if broken:
                return Judgement(False, "numeric", broken, points)
            continue
        if np.shape(a) != np.shape(b):
            return Judgement(False, SIDES, f"the left side is {shape(a)} but the right side is {shape(b)}", points)
        if not agree(a, b):
            return Judgement(False, "numeric", difference(a, b, dict(zip(variables, values, strict=True))), points)
    if points == 0:
        return Judgement(None, None, "no point where both sides are defined", 0)
    return Judgement(True, points=points)


def unknown_name(relation: tree.Relation, setting: Setting) -> str | None:
    """The first name or function the setting gives no meaning, checked before any shape can fail:
    a formula is only called wrong when every symbol in it was understood. A transposed entry, q_{t,i}^T, is not
    understood: its indices are not an entry's (DeepSeek's q_{t,i} is token t's query in head i)."""
    summed = {name: setting.values_of(name)[0] for name in bound_by_sums(relation) if setting.values_of(name)}
    tending = {n.variable.name: 1.0 for n in walk(relation) if isinstance(n, tree.Limit) and
               isinstance(n.variable, tree.Name)}  # lim_{T -> 0}: T is the limit's own
    setting = setting.bind(**summed, **tending)
    transposed = {n.arg for n in walk(relation) if isinstance(n, tree.Transpose) and isinstance(n.arg, tree.Script)}
    for node in symbols(relation):
        if isinstance(node, tree.Call):
            if node.name not in CALLS and node.name not in setting.functions and node.name not in setting.symbols:
                return f"no meaning for the function {node.name}"
            continue
        try:
            value = evaluate(node, setting)
        except Unknown as unknown:
            return str(unknown)
        except (OutOfRange, ShapeMismatch, ValueError, TypeError, IndexError):
            continue
        if node in transposed and node.sub and np.ndim(value) == 0:
            return f"{show(node)}^T transposes a single entry: its indices mean something else here"
    return None


def symbols(node):
    """The names (with their subscripts) and calls of a tree, not looking inside a name's subscripts."""
    if isinstance(node, tree.Script) and node.base == tree.Name("e") and node.sup is not None and not node.sub:
        yield from symbols(node.sup)  # e^{x}: the exponential of x
        return
    if isinstance(node, tree.Limit):
        yield from symbols(node.body)  # not its variable or target: lim_{T -> 0^+}
        return
    if isinstance(node, tree.Name) or (isinstance(node, tree.Script) and isinstance(node.base, tree.Name)):
        yield node
        return
    if isinstance(node, tree.Call):
        yield node
        for arg in node.args:  # not its subscript: softmax_j binds j, softmax_col names an axis
            yield from symbols(arg)
        return
    if isinstance(node, tree.Mul) and (function := function_name(node.left)) and isinstance(node.right, tree.Group) \
            and node.right.bracket == "(" and node.op == "":
        yield tree.Call(function, node.right.items)  # phi(Q), sigma_col(S): a function applied, or a name times a group
        yield from symbols(node.right)
        return
    if isinstance(node, tree.Mul) and isinstance(node.left, tree.Mul) and function_name(node.left.right) and \
            isinstance(node.right, tree.Group) and node.right.bracket == "(" and node.op == "":
        yield from symbols(node.left.left)  # a l(x), read left to right as (a l)(x): a times l applied to x
        yield from symbols(tree.Mul(node.left.right, node.right, ""))
        return
    if isinstance(node, tree.Sum):
        yield from symbols(node.body)
        return
    if isinstance(node, tree.Relation) and node.items[0] == tree.Name("dim"):
        return  # softmax(E, dim=1): a keyword argument
    for value in vars(node).values():
        for child in value if isinstance(value, tuple) else (value,):
            if isinstance(child, tree.Node):
                yield from symbols(child)
            elif isinstance(child, tuple):
                for item in child:
                    if isinstance(item, tree.Node):
                        yield from symbols(item)


def free_indices(relation: tree.Relation, setting: Setting) -> list[str]:
    """Index variables the relation uses but does not bind: i and j in alpha_{ij} = ..."""
    found = []
    for name in index_names(relation, setting):
        if name not in found:
            found.append(name)
    bound = bound_by_sums(relation)
    return [name for name in found if name not in bound]


INDEX = re.compile(r"[a-z]'*")  # a one-letter name in a subscript: i, j, j'


def index_names(relation: tree.Relation, setting: Setting):
    """One-letter names in subscripts that are not labels (i in q_i, not k in d_k), and names the setting
    gives values to try (pos, m, n) wherever they stand."""
    for node in walk(relation):
        if isinstance(node, tree.Call) and (node.name in setting.functions or node.name in setting.symbols):
            for arg in node.args:  # Mask[t_z, t_x]: indices named with a subscript
                if (compound := compound_index(arg)) is not None and arg.base.name not in setting.symbols:
                    yield compound
                elif node.name == "mask" and isinstance(arg, tree.Name) and INDEX.fullmatch(arg.name):
                    yield arg.name  # Mask(i, j): the mask's entry for query i and key j
        if isinstance(node, tree.Script):
            for item in node.sub:
                word = label_word(item)
                if isinstance(node.base, tree.Name) and word is not None and \
                        (key(node.base.name, [word]) in setting.symbols or
                         key(node.base.name, [word]) in setting.functions):  # W_q, and f_q(x_m, m)
                    continue
                if len(node.sub) > 1 and (compound := compound_index(item)) is not None and \
                        item.base.name not in setting.symbols:
                    yield compound  # A_{t_z, t_x}: indices named with a subscript
                    continue
                pair = isinstance(item, tree.Mul) and item.op == "" and \
                    all(isinstance(p, tree.Name) and len(p.name) == 1 for p in (item.left, item.right))
                for leaf in walk(item):
                    if not isinstance(leaf, tree.Name) or is_size(leaf.name, setting) and not pair:
                        continue  # head_h: h is the number of heads, not an index (but a_{mn} has two indices)
                    if INDEX.fullmatch(leaf.name) or leaf.name in setting.ranges:
                        yield leaf.name
                    elif len(leaf.name) == 2 and leaf.name.isalpha():
                        yield from leaf.name  # \alpha_{\text{ij}}
            if node.base in VECTOR_LETTERS and not node.sub and (token := superscript_index(node.sup)):
                yield token  # x^{(i)}: token i's vector, numbered above (MIT 6.390, Raschka)
        elif isinstance(node, tree.Name) and node.name in setting.ranges and node.name not in setting.symbols:
            yield node.name


VECTOR_LETTERS = {tree.Name(letter) for letter in TOKEN_VECTORS}


def superscript_index(sup: tree.Node | None) -> str | None:
    """(i) or {i} above a letter: a one-letter index."""
    sup = tree.ungrouped(sup)
    return sup.name if isinstance(sup, tree.Name) and INDEX.fullmatch(sup.name) else None


def is_size(name: str, setting: Setting) -> bool:
    """A name the setting binds to a number (n, h, d): a size, never an index to run over."""
    value = setting.symbols.get(name)
    value = value.whole if isinstance(value, Family) else value
    return isinstance(value, int | float | np.integer | np.floating)


def bound_by_sums(node: tree.Node) -> set[str]:
    bound = set()
    for child in walk(node):
        if isinstance(child, tree.Sum) and child.sub:
            lower = child.sub[0]
            target = lower.items[0] if isinstance(lower, tree.Relation) else lower
            if isinstance(target, tree.Name):
                bound.add(target.name)
        if isinstance(child, tree.Call) and child.name == "max" and child.sub and isinstance(child.sub[0], tree.Name):
            bound.add(child.sub[0].name)
    return bound


def comparable(a: Value, b: Value, setting: Setting) -> tuple[Value, Value]:
    """Complex values as their real and imaginary parts, side by side; where a real pair is a point of the
    complex plane (RoPE in complex form), the pair and the complex number are the same point."""
    if setting.plane and (np.iscomplexobj(a) or np.iscomplexobj(b)):
        a, b = in_plane(a), in_plane(b)
    if np.iscomplexobj(a) or np.iscomplexobj(b):
        return np.stack([np.real(a), np.imag(a)], axis=-1), np.stack([np.real(b), np.imag(b)], axis=-1)
    return a, b


def agree(a: Value, b: Value) -> bool:
    """Equal to a relative 1e-9, where a mask's -10^9 (what code writes for -inf) counts as -inf."""
    a, b = saturated(a), saturated(b)
    if np.any(np.isnan(a)) or np.any(np.isnan(b)):
        return False
    same_infinities = np.array_equal(np.isinf(a), np.isinf(b)) and np.array_equal(a[np.isinf(a)], b[np.isinf(b)])
    finite = np.isfinite(a) & np.isfinite(b)
    scale = max(float(np.max(np.abs(a[finite]), initial=0.0)), float(np.max(np.abs(b[finite]), initial=0.0)), 1e-300)
    return same_infinities and bool(np.all(np.abs(a[finite] - b[finite]) <= RTOL * scale + 1e-300))


def saturated(value: Value) -> np.ndarray:
    value = np.asarray(value, dtype=float)
    return np.where(np.abs(value) >= MASKING, np.copysign(np.inf, value), value)


MASKING = 1e8  # |x| this large is an infinity written the way code writes it, -1e9 or a score plus -1e9


def violation(a: Value, b: Value, op: str, point: dict[str, int]) -> str | None:
    """Where `a op b` fails (entrywise), or None when it holds everywhere."""
    a, b = np.broadcast_arrays(np.asarray(a, dtype=float), np.asarray(b, dtype=float))
    failing = ~ORDERS[op](a, b)
    if not failing.any():
        return None
    where = tuple(int(i) for i in np.argwhere(failing)[0])
    at = ", ".join(f"{k} = {v}" for k, v in point.items())
    entry = f"entry [{', '.join(map(str, where))}]: " if where else ""
    return f"{entry}{a[where]:.6g} {SYMBOLS[op]} {b[where]:.6g} is false" + (f" at {at}" if at else "")


SYMBOLS = {"le": "<=", "lt": "<", "ge": ">=", "gt": ">"}


def difference(a: Value, b: Value, point: dict[str, int]) -> str:
    """Where the two sides differ, in a few numbers a reader can check."""
    a, b = np.asarray(a, dtype=float), np.asarray(b, dtype=float)
    at = ", ".join(f"{k} = {v}" for k, v in point.items())
    where = f" at {at}" if at else ""
    if a.ndim == 0:
        return f"the left side is {float(a):.6g} but the right side is {float(b):.6g}{where}"
    with np.errstate(all="ignore"):
        gap = np.where(np.isnan(a) | np.isnan(b), np.inf, np.abs(a - b))
    worst = np.unravel_index(int(np.nanargmax(np.where(np.isnan(gap), np.inf, gap))), a.shape)
    entry = "[" + ", ".join(str(i) for i in worst) + "]"
    return (f"entry {entry} of the left side is {a[worst]:.6g} but of the right side {b[worst]:.6g}{where}")

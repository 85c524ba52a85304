r"""Worked numbers of a softmax or a sinusoidal table, checked to the digits written (the arithmetic rung).

- A softmax of written scores: `\mathrm{softmax}(2, 1, 0) \approx (0.665, 0.245, 0.090)`, or of a tuple the
  document named before (`s = (2.0, 1.0, 0.1)`, then `\mathrm{softmax}(s)`).
- A step between two written tuples: `(e^1, e^2) / (e^1 + e^2) \approx (0.2689, 0.7311)`.
- One entry of the sinusoidal table: `PE_{(1, 2)} = \sin(1/100)`, for the width the document states.
- One whole row of it: `PE_2 \approx [0.909, -0.416, 0.020, 1.000]`, as wide as the row written.

Example:
    >>> from attnproof.check.decision import Document
    >>> from attnproof.check.parse import parse
    >>> worked_softmax(parse(r"\mathrm{softmax}(2, 1, 0) \approx (0.665, 0.245, 0.090)"), Document()).verdict.value
    'ok'
    >>> worked_softmax(parse(r"\mathrm{softmax}(2, 1, 0) \approx (0.5, 0.3, 0.2)"), Document()).verdict.value
    'wrong'
"""

import bisect

import numpy as np

from attnproof.check import tree
from attnproof.check.decision import Decision, Document
from attnproof.check.evaluate import Unknown
from attnproof.check.finding import Verdict
from attnproof.check.show import show
from attnproof.check.symbolic import expression
from attnproof.check.tree import walk
from impl.attention import softmax
from impl.positions import sinusoidal_pe

CLAIMS = ("softmax.distribution", "positions.sinusoidal")  # the claims these rules decide



def worked_softmax(relation: tree.Relation, document: Document) -> Decision | None:
    r"""`\mathrm{softmax}(14, 12) \approx (0.88, 0.12)`: a softmax of written numbers, to the digits shown; or of
    a tuple the document named before (`s = (2.0, 1.0, 0.1)`, then `\mathrm{softmax}(s)`); or beside another
    softmax of numbers (`\mathrm{softmax}(1, 2, 3) = \mathrm{softmax}(0.1, 0.2, 0.3)`, false: no scaling leaves
    it unchanged)."""
    if relation.ops[0] not in {"=", "approx"} or len(relation.items) != 2:
        return None
    call, stated = (as_tuple(item) for item in relation.items)
    written_call = relation.items[0]
    given, other = (softmax_scores(side, document) for side in (call, stated))
    if given is None:
        return None
    # sigma(0, ln 2, ln 3) = 1/6 (1, 2, 3): a scale times a tuple is fine too
    written = (list(probabilities(other)), [1e-9] * len(other)) if other is not None else tuple_values(stated)
    if written is None or len(written[0]) != len(given):
        return None
    truth = probabilities(given)  # (k,)
    if all(abs(t - w) <= s + 1e-12 for t, w, s in zip(truth, *written, strict=True)):
        return Decision(Verdict.OK, "softmax.distribution", "the softmax of these scores, to the digits written",
                        rung="arithmetic")
    items = stated.items if isinstance(stated, tree.Group) else ()
    exact = ", ".join(f"{t:.{max((decimals(n) for n in items), default=4)}f}" for t in truth)
    return Decision(Verdict.WRONG, "softmax.distribution", "the softmax of these scores is not what is written",
                    hint=rf"{show(written_call)} \approx ({exact})", counterexample=f"softmax gives ({exact})",
                    rung="arithmetic")


def softmax_scores(node: tree.Node, document: Document) -> list[float] | None:
    """The scores of a softmax of written numbers (or of a tuple the document named), else None; the softmax may go
    by the name the document defined it with (S, after `S_j = e^{a_j} / \\sum_k e^{a_k}`)."""
    match node:
        case tree.Mul(tree.Name(name), tree.Group((argument,), "("), "") if name in document.softmax_names:
            node = tree.Call(name, (argument,), (), None)  # S([1, 2, 3]): a name the parser cannot know is a function
    if isinstance(node, tree.Call) and len(node.args) == 1 and node.args[0] in document.tuples:
        node = tree.Call(node.name, (document.tuples[node.args[0]],), node.sub, node.sup)
    if not (isinstance(node, tree.Call) and node.name in {"softmax", "sigma"} | document.softmax_names):
        return None
    if len(node.args) == 1:  # softmax([2, 1, 0]), softmax((2, 1, 0) / 2): one argument, a written tuple
        argument = tuple_values(node.args[0])
        scores = argument[0] if argument is not None else [None]
    else:
        scores = [literal(a) for a in node.args]
    return None if any(score is None for score in scores) else scores


def probabilities(scores: list[float]) -> np.ndarray:
    """softmax(scores), by the reference implementation's softmax."""
    return softmax(np.array(scores, dtype=float))  # (k,)


def as_tuple(node: tree.Node) -> tree.Node:
    """(1, 2, 3)^T, a column written as a transposed row, is the same tuple of numbers (also as an argument)."""
    if isinstance(node, tree.Transpose) and isinstance(node.arg, tree.Group):
        return node.arg
    if isinstance(node, tree.Call) and len(node.args) == 1:
        return tree.Call(node.name, (as_tuple(node.args[0]),), node.sub, node.sup)
    return node


def tuple_values(node: tree.Node) -> tuple[list[float], list[float]] | None:
    r"""The numbers of a written tuple and the slack each one's digits allow: (0.09, 0.24), \tfrac{1}{6}(1, 2, 3),
    (e^1, e^2) / (e^1 + e^2); None for anything else."""
    scale, items = 1.0, ()
    if isinstance(node, tree.Group) and len(node.items) > 1:
        items = node.items
    elif isinstance(node, tree.Mul) and isinstance(node.right, tree.Group) and literal(node.left) is not None:
        scale, items = literal(node.left), node.right.items
    elif isinstance(node, tree.Div) and isinstance(node.num, tree.Group) and literal(node.den):
        scale, items = 1 / literal(node.den), node.num.items
    values = [literal(n) for n in items]
    if len(values) < 2 or any(v is None for v in values):
        return None
    slack = [rounded(n) for n in items]
    return [scale * v for v in values], slack


def rounded(node: tree.Node) -> float:
    r"""Half a unit of the last digit written: 0.005 for 0.24, 5e-7 for 4.5 	imes 10^{-5}; exact (1e-9) for an
    integer or an expression."""
    if isinstance(node, tree.Mul) and node.op in {"times", "cdot"} and isinstance(node.right, tree.Script) and \
            node.right.base == tree.Num("10") and node.right.sup is not None and \
            (power := literal(node.right.sup)) is not None and text(node.left):
        return 0.5 * 10.0 ** (power - decimals(node.left))  # a mantissa's digits, times its power of ten
    return 0.5 * 10.0 ** -decimals(node) if "." in text(node) else 1e-9


def named_tuple(relation: tree.Relation) -> tuple[tree.Name | tree.Script, tree.Group] | None:
    """`s = (2.0, 1.0, 0.1)`, `E_1 = (0.5, 0.5, 1.0)`: a name given to a tuple of numbers, which is a setting, not a
    claim."""
    name, value = relation.items if len(relation.items) == 2 else (None, None)
    if relation.ops != ("=",) or not isinstance(name, tree.Name | tree.Script) or \
            isinstance(name, tree.Script) and name.sup is not None:  # z^2 = (1, 2) names nothing
        return None
    if not isinstance(value, tree.Group) or len(value.items) < 2 or any(literal(n) is None for n in value.items):
        return None
    return name, value


def worked_tuples(relation: tree.Relation, claim: str | None) -> Decision | None:
    r"""`(e^1, e^2, e^3) / (e^1 + e^2 + e^3) \approx (0.0900, 0.2447, 0.6652)`, `(\sin 1, \cos 1) \approx (0.8415,
    0.5403)`: a step of a worked example between two written tuples, equal entry by entry to the digits shown."""
    if relation.ops[0] not in {"=", "approx"} or len(relation.items) != 2:
        return None
    sides = [tuple_values(item) for item in relation.items]
    if any(side is None for side in sides) or len(sides[0][0]) != len(sides[1][0]):
        return None
    (left, left_slack), (right, right_slack) = sides
    if all(abs(a - b) <= s + t + 1e-12 for a, b, s, t in zip(left, right, left_slack, right_slack, strict=True)):
        return Decision(Verdict.OK, claim, "the two tuples agree to the digits written", rung="arithmetic")
    return Decision(Verdict.WRONG, claim, "the two tuples differ entry by entry",
                    hint=rf"{show(relation.items[0])} \approx ({', '.join(f'{v:.4f}' for v in left)})",
                    counterexample=f"({', '.join(f'{v:.6g}' for v in left)}) against "
                    f"({', '.join(f'{v:.6g}' for v in right)})", rung="arithmetic")


def table_arguments(node: tree.Node) -> tuple[tree.Node, ...] | None:
    """The arguments of the sinusoidal table written as a function or indexed as an array, PE(1, 2) or PE[1]."""
    if isinstance(node, tree.Call) and node.name == "PE" and not node.sub and node.sup is None:
        return node.args
    return None


def worked_encoding(relation: tree.Relation, document: Document) -> Decision | None:
    r"""`PE_{(1, 2)} = \sin(1/100)`, `\mathrm{PE}(1, 2) = ...`: one entry of the sinusoidal table, for the d_model the
    document stated; with none stated, right if some even width makes it the table's entry (here 4), wrong if none
    does."""
    if relation.ops[0] not in {"=", "approx"} or len(relation.items) != 2:
        return None
    entry, stated = relation.items
    trigonometric = any(isinstance(n, tree.Call) and n.name in {"sin", "cos"} for n in walk(stated))
    bases = {tree.Name("PE"), tree.Name("P")} | ({tree.Name("p")} if trigonometric else set())  # d2l's p_{i,2j}
    if (arguments := table_arguments(entry)) is not None:
        where = arguments  # PE(pos, i), as a function of the position and the channel
    elif isinstance(entry, tree.Script) and entry.base in bases and entry.sub:
        where = entry.sub[0].items if len(entry.sub) == 1 and isinstance(entry.sub[0], tree.Group) else entry.sub
    else:
        return None
    if len(where) != 2 or any(literal(n) is None for n in where):
        return None
    position, channel = (int(literal(n)) for n in where)
    try:
        written = float(expression(stated, {}))
    except (Unknown, TypeError):
        return None
    stated_width, slack = document.bindings.get("d_model"), angle_slack(stated)
    least = (channel // 2 + 1) * 2
    widths = [int(stated_width)] if stated_width is not None else \
        range(least, 8193, 2) if slack <= 1e-9 else CUSTOMARY_WIDTHS[bisect.bisect_left(CUSTOMARY_WIDTHS, least):]
    fitting = next((w for w in widths if abs(encoding(position, channel, w) - written) <= slack), None)
    if fitting is not None:
        return Decision(Verdict.OK, "positions.sinusoidal", f"PE at position {position}, channel {channel}, "
                        f"d_model = {fitting}", rung="arithmetic")
    name, pair = ("sin", channel) if channel % 2 == 0 else ("cos", channel - 1)
    width = widths[0] if stated_width is not None else "d_{model}"
    truth = f"{encoding(position, channel, widths[0]):.6g}, not " if stated_width is not None else ""
    return Decision(Verdict.WRONG, "positions.sinusoidal",
                    f"channel {channel} is the {name} of pos / 10000^({pair}/d_model)",
                    hint=rf"{show(entry)} = \{name}({position} / 10000^{{{pair}/{width}}})",
                    counterexample=f"with d_model = {widths[0]}: {truth}{written:.6g}" if stated_width is not None
                    else f"no {'even' if slack <= 1e-9 else 'customary (even below 32, or a multiple of 32)'} "
                    f"d_model makes channel {channel} of position {position} equal {written:.9g}",
                    rung="arithmetic")


def worked_encoding_row(relation: tree.Relation, document: Document) -> Decision | None:
    r"""`PE_2 \approx [0.909, -0.416, 0.020, 1.000]` (or `\mathrm{PE}[2]`), `\mathbf{p}_1 = (\sin 1, \cos 1, ...)`: the
    encoding of one position, a row of d_model entries (the row's own length when the document states no width), to
    the digits written. Sines and cosines interleave (Vaswani et al.); a text that lays them out in halves, sines
    then cosines, is read that way, and a text that says neither may use either."""
    if relation.ops[0] not in {"=", "approx"} or len(relation.items) != 2:
        return None
    row, stated = relation.items
    if (arguments := table_arguments(row)) is not None and len(arguments) == 1:
        row = tree.Script(tree.Name("PE"), arguments, None)  # PE[1], numpy's row of the table, as PE_1
    trigonometric = any(isinstance(n, tree.Call) and n.name in {"sin", "cos"} for n in walk(stated))
    bases = {tree.Name("PE")} | ({tree.Name("P"), tree.Name("p")} if trigonometric else set())  # p_1 = (sin 1, ..)
    if not (isinstance(row, tree.Script) and row.base in bases and row.sup is None and len(row.sub) == 1):
        return None
    position, written = literal(row.sub[0]), tuple_values(stated)
    if position is None or position != int(position) or position < 0 or written is None:
        return None
    values, slack = written
    width = len(values)
    if width % 2 or document.bindings.get("d_model", width) != width:
        return None  # an odd or partial row: some entries are left out
    table = sinusoidal_pe(int(position) + 1, width)[int(position)]  # (d_model,): the reference's row, interleaved
    layouts = {"interleaved": list(table), "halves": list(table[::2]) + list(table[1::2])}  # halves: sines, cosines
    if document.sines_then_cosines:
        del layouts["interleaved"]
    for layout, truth in layouts.items():
        if all(abs(v - t) <= s + 1e-12 for v, t, s in zip(values, truth, slack, strict=True)):
            order = ", sines then cosines" if layout == "halves" else ""
            return Decision(Verdict.OK, "positions.sinusoidal", f"the encoding of position {int(position)}, "
                            f"d_model = {width}{order}", rung="arithmetic")
    truth = next(iter(layouts.values()))  # the text's own layout, or the paper's
    channel = next(c for c, (v, t, s) in enumerate(zip(values, truth, slack, strict=True)) if abs(v - t) > s + 1e-12)
    return Decision(Verdict.WRONG, "positions.sinusoidal",
                    f"entry {channel} of the encoding of position {int(position)} (d_model = {width}) is "
                    f"{truth[channel]:.4g}, not {values[channel]:.4g}",
                    hint=rf"{show(row)} \approx ({', '.join(f'{t:.4f}' for t in truth)})",
                    counterexample=f"({', '.join(f'{t:.6g}' for t in truth)}) against "
                    f"({', '.join(f'{v:.6g}' for v in values)})", rung="arithmetic")


# the widths a worked example with rounded entries may have left unstated: a toy model's or a multiple of 32 (any even
# width would fit some rounded value, and nothing could be wrong)
CUSTOMARY_WIDTHS = tuple(range(2, 32, 2)) + tuple(range(32, 8193, 32))


def angle_slack(stated: tree.Node) -> float:
    r"""How far a written entry may be from the table's for its digits: half a unit of the last digit of `0.8219`, or
    of the angle in `\sin(0.9647)` (a sine moves no faster than its angle); exact (1e-9) otherwise, and for a number
    of fewer than three decimals (`\cos(0.3)` is the angle 3 / 10000^(2/8) itself, not a rounding of it)."""
    trigonometric = isinstance(stated, tree.Call) and stated.name in {"sin", "cos"} and len(stated.args) == 1
    number = stated.args[0] if trigonometric else stated
    return rounded(number) if decimals(number) >= 3 else 1e-9


def encoding(position: int, channel: int, width: int) -> float:
    """PE[position, channel] for a model of the given width (Vaswani et al.)."""
    angle = position / 10000 ** (2 * (channel // 2) / width)
    return float(np.sin(angle) if channel % 2 == 0 else np.cos(angle))


def literal(node: tree.Node) -> float | None:
    """A number written as a number or a closed expression (-3, \\ln 2, \tfrac{1}{6}), else None."""
    if node == tree.Neg(tree.Infinity()):
        return -np.inf  # a masked score
    try:
        value = expression(node, {})
    except Unknown:
        return None
    return float(value) if value.is_number else None


def text(node: tree.Node) -> str:
    return node.text if isinstance(node, tree.Num) else node.arg.text if isinstance(node, tree.Neg) and \
        isinstance(node.arg, tree.Num) else ""


def decimals(node: tree.Node) -> int:
    written = text(node)
    return len(written.split(".")[1]) if "." in written else 0

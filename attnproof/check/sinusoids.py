r"""The sinusoidal encoding in whatever notation a text writes it: an entry of the table as the sine or cosine of
a position times a frequency, `[p_n]_{2i} = \sin(n / 10000^{2i/D})`, `W_p[2i-1, t] = \sin(t / 10000^{2(i-1)/d_e})`,
`\mathrm{PE}(t)_{2i} = \sin(t \cdot 10000^{-2i/d})`, `\mathrm{CP}_{(pos, 2i)} = ...`.

The entry's channel is the index that holds the frequency's variable (2i, 2i + 1, 2i - 1); its position is the
index or argument the angle is proportional to; the table's name does not matter. Channel c (counted from 0)
must be `sin` if c is even and `cos` if odd, of the angle position * 10000^(-2 floor(c/2) / d), as in Vaswani et
al. Channels may be counted from 1 where the formula shows a 1-based count by a subtraction (2i - 1, 2(i - 1));
without one, counting from 1 would excuse `PE_{(pos, 2i+1)} = \sin(...)`, sine and cosine swapped. The base may
be a letter, read as 10000 (Murphy's `C^{2j/d}` with C = 10000), and a frequency omega_k is pair k's. Both sides
are evaluated at every channel the variable reaches in a table of width 16, at three positions. An angle given
without its sine (`\theta(pos, j) = pos / 10000^{2 \lfloor j/2 \rfloor / d}`) is called right when it matches
and left alone when it does not, since RoPE's angles `m \theta_i` are written the same way with i counting pairs.

Example:
    >>> from attnproof.check.parse import parse
    >>> decide(parse(r"[p_n]_{2i} = \sin\big(n / 10000^{2i/D}\big)")).verdict.value
    'ok'
    >>> decide(parse(r"[p_n]_{2i} = \sin\big(n / 10000^{i/D}\big)")).verdict.value
    'wrong'
"""

from collections.abc import Iterator

import sympy as sp

from attnproof.check import tree
from attnproof.check.decision import Decision, Document
from attnproof.check.equations import SINUSOIDAL
from attnproof.check.evaluate import Unknown
from attnproof.check.finding import Verdict
from attnproof.check.symbolic import SIZES, expression, spelling
from attnproof.check.tree import walk
from impl.positions import rotation_frequencies

WIDTH = 16  # the table's width d the formula is evaluated at
POSITIONS = (1, 3, 7)
BASE = tree.Num("10000")
TOLERANCE = 1e-9
FREQUENCIES = rotation_frequencies(WIDTH)  # (d/2,): impl.positions' 10000^(-2i/d), the encoding's and RoPE's
WIDTH_NAMES = set(SIZES["d_model"])


def decide(relation: tree.Relation, document: Document | None = None) -> Decision | None:
    """An entry of the sinusoidal table, judged channel by channel; None for anything else, and in a text that lays
    the table out as sines then cosines (the settings read those)."""
    if relation.ops[0] not in {"=", "approx"} or len(relation.items) != 2 or document and document.sines_then_cosines:
        return None
    entry, value = relation.items
    function, angle = (value.name, value.args[0]) if isinstance(value, tree.Call) and value.name in {"sin", "cos"} \
        and len(value.args) == 1 else (None, value)
    reading = read(entry, angle)
    if reading is None:
        return None
    channel, stated = reading
    bases = (0, 1) if any(isinstance(n, tree.Sub) for n in walk(relation)) else (0,)
    counts = {base: reached for base in bases if len(reached := channels(channel, base)) >= 3}
    failures = {base: mismatch(function, stated, base, reached) for base, reached in counts.items()}
    if any(found is None for found in failures.values()):
        return Decision(Verdict.OK, SINUSOIDAL.claim, "the sinusoidal encoding: channel c is the "
                        + ("sin or cos" if function is None else function)
                        + " of pos / 10000^(2 floor(c/2) / d), counting channels from "
                        + " or ".join(str(base) for base, found in failures.items() if found is None), rung="numeric")
    if function is None or not failures:
        return None
    base, (index, position, written, expected, wanted) = min(failures.items(), key=lambda pair: pair[1][4] != function)
    return Decision(Verdict.WRONG, SINUSOIDAL.claim, SINUSOIDAL.message, hint=SINUSOIDAL.hint, counterexample=(
        f"d = {WIDTH}, channel {index} (counted from {base}), position {position}: the formula gives "
        f"{function}({written:.6g}); the encoding is {wanted}({expected:.6g})"), rung="numeric")


def read(entry: tree.Node, angle: tree.Node) -> tuple[sp.Expr, sp.Expr] | None:
    """The entry's channel and the stated angle, as expressions in the symbols i (the frequency's variable),
    p (the position) and d (the width); None unless the formula has exactly that form."""
    angle = frequencies_written_out(angle)
    powers = [n for n in walk(angle) if isinstance(n, tree.Script) and n.sup is not None and (
        n.base == BASE or isinstance(n.base, tree.Name) and len(n.base.name) == 1 and n.base.name != "e")]
    if len(powers) != 1:
        return None
    base = {powers[0].base.name} if isinstance(powers[0].base, tree.Name) else set()
    variables = set(spelled_names(powers[0].sup)) - WIDTH_NAMES
    positions = set(spelled_names(angle)) - variables - WIDTH_NAMES - base
    if len(variables) != 1 or len(positions) != 1:
        return None
    (variable,), (position,) = variables, positions
    items = list(indices(entry))
    channels = [item for item in items if variable in spelled_names(item)]
    if len(channels) != 1 or not any(spelling(item) == position for item in items):
        return None
    symbols = {variable: VARIABLE, position: POSITION, **dict.fromkeys(WIDTH_NAMES, WIDTH_SYMBOL),
               **dict.fromkeys(base, sp.Integer(10000))}
    try:
        return expression(channels[0], symbols), expression(angle, symbols)
    except Unknown:
        return None


def frequencies_written_out(node: tree.Node) -> tree.Node:
    r"""`\omega_k t`: omega_k is pair k's frequency, 10000^{-2k/d}, as the text defines it beside (a definition the
    checker judges on its own), so the angle is read with it written out."""
    if isinstance(node, tree.Script) and node.base == tree.Name("omega") and len(node.sub) == 1 and node.sup is None:
        pair = tree.Mul(tree.Num("2"), node.sub[0], "")
        return tree.Script(BASE, (), tree.Neg(tree.Div(pair, tree.Name("d"))))
    return tree.rebuilt(node, frequencies_written_out)


def spelled_names(node: tree.Node) -> Iterator[str]:
    """The names in an expression as `symbolic.spelling` spells them: d_{model} is one name, not d and model."""
    if (name := spelling(node)) is not None:
        yield name
    elif isinstance(node, tuple):
        for item in node:
            yield from spelled_names(item)
    elif isinstance(node, tree.Node):
        for value in vars(node).values():
            yield from spelled_names(value)


def indices(node: tree.Node) -> Iterator[tree.Node]:
    """What an entry is indexed by: subscripts, bracketed or parenthesised indices and arguments, however nested:
    `[p_n]_{2i}` -> 2i, n; `W_p[2i-1, t]` -> p, 2i - 1, t; `\\mathrm{PE}(t)_{2i}` -> 2i, t."""
    match node:
        case tree.Script(base, sub, sup):
            for item in sub:
                yield from items_of(item)
            if isinstance(sup, tree.Group):
                yield from items_of(sup)
            yield from indices(base)
        case tree.Group(items, _):
            for item in items:
                yield from items_of(item)
        case tree.Call(_, args, sub, _):
            for item in (*args, *sub):
                yield from items_of(item)
        case tree.Mul(left, right, ""):
            yield from indices(left)
            yield from indices(right)


def items_of(item: tree.Node) -> Iterator[tree.Node]:
    if isinstance(item, tree.Group):
        yield from indices(item)
    else:
        yield item
        yield from indices(item)


VARIABLE, POSITION, WIDTH_SYMBOL = sp.Symbol("i", integer=True), sp.Symbol("p"), sp.Symbol("d")


def channels(channel: sp.Expr, base: int) -> list[tuple[int, int]]:
    """The values of the frequency's variable for which the channel falls in the table, each with its channel."""
    found = []
    for value in range(-1, WIDTH + 2):
        index = channel.subs(VARIABLE, value)
        if index.is_integer and 0 <= int(index) - base < WIDTH:
            found.append((value, int(index)))
    return found


def mismatch(function: str | None, stated: sp.Expr, base: int, reached: list[tuple[int, int]]):
    """The first channel reached where the formula is not the table, as (channel, position, stated angle, the
    table's angle, the table's function), with channels counted from `base`; None when all agree."""
    for value, index in reached:
        counted = index - base
        wanted = "sin" if counted % 2 == 0 else "cos"
        for position in POSITIONS:
            written = float(stated.subs({VARIABLE: value, POSITION: position, WIDTH_SYMBOL: WIDTH}))
            expected = position * FREQUENCIES[counted // 2]  # the reference's: pair c // 2 turns this fast
            if (function or wanted) != wanted or abs(written - expected) > TOLERANCE * abs(expected):
                return index, position, written, expected, wanted
    return None

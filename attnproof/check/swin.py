r"""Swin's complexity notation (Liu et al. 2021, eqs. 1-2): `\Omega(\mathrm{MSA}) = 4hwC^2 + 2(hw)^2C`, the
multiply-adds of global multi-head self-attention over an h x w map of C channels, and `\Omega(\text{W-MSA}) =
4hwC^2 + 2M^2hwC` within M x M windows. Read as costs with n = hw tokens, d = C and w = M^2 keys a window, and
judged by the class costs.py gives self-attention or sliding-window attention, projections included.

Example:
    >>> from attnproof.check.parse import parse
    >>> decide(parse(r"\Omega(\mathrm{MSA}) = 4hwC^2 + 2(hw)^2C")).verdict.value
    'ok'
    >>> decide(parse(r"\Omega(\text{W-MSA}) = 4hwC^2 + 2MhwC")).hint  # one M for an M x M window
    'O(n w d)'
"""

from dataclasses import replace

import sympy as sp

from attnproof.check import tree
from attnproof.check.costs import big_o, d, fits, n, named, w, wrong
from attnproof.check.decision import Decision
from attnproof.check.evaluate import Unknown
from attnproof.check.finding import Verdict
from attnproof.check.show import show
from attnproof.check.symbolic import expression

HEIGHT, WIDTH = sp.Symbol("map_height", positive=True), sp.Symbol("map_width", positive=True)  # the map's h and w
SWIN = {"h": HEIGHT, "w": WIDTH, "C": d, "d_model": d, "M": sp.sqrt(w)}  # C (or d_model, where the text calls
# C its channels, as Swin does); an M x M window holds w = M^2 keys
READING = "n = hw tokens, d = C channels, w = M^2 keys a window"


def decide(relation: tree.Node) -> Decision | None:
    """A verdict on `\\Omega(layer) = count`; None for anything else, or a count not in Swin's letters."""
    if not (isinstance(relation, tree.Relation) and relation.ops == ("=",) and len(relation.items) == 2):
        return None
    match relation.items[0]:
        case tree.Mul(tree.Name("Omega"), tree.Group((layer,), "("), ""):
            windowed = "W" in show(layer)  # W-MSA, SW-MSA: attention within windows
        case _:
            return None
    try:
        count = expression(relation.items[1], SWIN).subs(WIDTH, n / HEIGHT)  # hw: the n tokens
    except Unknown:
        return None
    if HEIGHT in count.free_symbols:
        return None  # h or w alone: not a count over the hw tokens
    subject = named("sliding-window attention" if windowed else "self-attention")
    measure = subject.measures["time"]
    stated = big_o(count)
    if fits(stated, measure.classes):
        return Decision(Verdict.OK, measure.claim,
                        f"the multiply-adds of {subject.name} over the whole map ({READING})", rung="symbolic")
    decision = wrong(relation.items[1], stated, subject, [measure], None)
    return replace(decision, message=f"{decision.message} ({READING})")

r"""Masks written as sets of index pairs: `\mathcal{A} = \{(i, j) : j \le i\}`, `\{(i, j) : i - w < j \le i\}`, or as
the set of keys each query attends to, `\mathcal{S}_i = \{j : j \le i\}`.

A text may give a mask as the set of (query, key) pairs that may attend, as Thickstun's equations do. Whatever
its name, such a set is compared with the pairs the causal mask (or, with a window w, the sliding-window mask)
allows, in each numbering the settings try. A text may as well name the pairs that are masked, so the set is right
when it is the allowed pairs or their complement, and wrong when it is neither (`j \ge i`, a window of the wrong
width).

Example:
    >>> from attnproof.check.parse import parse
    >>> decide(parse(r"\mathcal{A} = \{(i, j) : j \le i\}")).verdict.value
    'ok'
    >>> decide(parse(r"\mathcal{A} = \{(i, j) : j \ge i\}")).verdict.value
    'wrong'
"""

from functools import partial

import numpy as np

from attnproof.check import settings, tree
from attnproof.check.decision import Decision
from attnproof.check.equations import MASK, WINDOW
from attnproof.check.evaluate import OutOfRange, Setting, Unknown, compare
from attnproof.check.finding import Verdict
from attnproof.check.show import show
from attnproof.check.tree import walk

# The mask's claim and message are the topic's (equations.MASK, equations.WINDOW); the hint is the set form.
SET_HINTS = {MASK: r"\{(i, j) : j \le i\}", WINDOW: r"\{(i, j) : i - w < j \le i\}"}


def decide(relation: tree.Relation) -> Decision | None:
    """A set of index pairs defined by a condition, judged against the mask's allowed pairs; None for anything else."""
    if not (isinstance(relation, tree.Relation) and relation.ops == ("=",) and len(relation.items) == 2):
        return None
    builder = set_of_pairs(relation.items[1]) or keys_of_query(*relation.items)
    if builder is None:
        return None
    if any(isinstance(n, tree.Norm) for n in walk(builder.condition)):
        return Decision(Verdict.UNRECOGNISED, None, "a window on both sides, |i - j| <= w, as an encoder's local "
                        "attention has; the claims here are about causal masks and windows")
    names = {n.name for n in walk(builder.condition) if isinstance(n, tree.Name)}
    topic = WINDOW if names & {"w", "W"} else MASK
    readings = [partial(settings.window_mask, base=base, previous=previous) for base in (1, 0)
                for previous in (False, True)] if topic is WINDOW else \
        [partial(settings.attention, masked=True, base=base) for base in (1, 0)]
    failures = []
    for build in readings:
        setting = build(0)
        try:
            stated = pairs_where(builder, setting)  # (n, n)
        except (Unknown, OutOfRange):
            return None
        allowed = allowed_pairs(setting)  # (n, n)
        if np.array_equal(stated, allowed) or np.array_equal(stated, ~allowed):
            return Decision(Verdict.OK, topic.claim, f"the pairs the mask allows (or masks), with {setting.about}",
                            rung="numeric")
        wrong = np.argwhere(stated != allowed)[0] + setting.base  # (2,)
        failures.append(f"with {setting.about}: (i, j) = ({wrong[0]}, {wrong[1]}) is "
                        f"{'in' if stated[tuple(wrong - setting.base)] else 'not in'} the set, but the mask "
                        f"{'allows' if allowed[tuple(wrong - setting.base)] else 'masks'} it")
    return Decision(Verdict.WRONG, topic.claim, topic.message, hint=f"{show(relation.items[0])} = {SET_HINTS[topic]}",
                    counterexample=failures[0], rung="numeric")


def set_of_pairs(node: tree.Node) -> tree.SetBuilder | None:
    r"""\{(i, j) : ...\}: a set of two indices given by a condition."""
    if isinstance(node, tree.Group) and node.bracket == "{" and len(node.items) == 1:
        node = node.items[0]
    if isinstance(node, tree.SetBuilder) and isinstance(node.variables, tree.Group) and \
            len(node.variables.items) == 2 and all(isinstance(v, tree.Name) for v in node.variables.items) and \
            isinstance(node.condition, tree.Relation):
        return node
    return None


def keys_of_query(left: tree.Node, right: tree.Node) -> tree.SetBuilder | None:
    r"""`\mathcal{S}_i = \{j : i - w < j \le i\}`: the keys query i attends to (Weng's attended sets), the pairs
    (i, j) of the condition."""
    if isinstance(right, tree.Group) and right.bracket == "{" and len(right.items) == 1:
        right = right.items[0]
    if not (isinstance(left, tree.Script) and len(left.sub) == 1 and isinstance(left.sub[0], tree.Name) and
            isinstance(right, tree.SetBuilder) and isinstance(right.variables, tree.Name) and
            right.variables != left.sub[0] and isinstance(right.condition, tree.Relation)):
        return None
    return tree.SetBuilder(tree.Group((left.sub[0], right.variables), "("), right.condition)


def pairs_where(builder: tree.SetBuilder, setting: Setting) -> np.ndarray:
    """The (query, key) pairs the condition holds for, as a boolean matrix."""
    query, key = (v.name for v in builder.variables.items)
    tokens = setting.ranges["*"]
    return np.array([[compare(builder.condition, setting.bind(**{query: i, key: j})) for j in tokens]
                     for i in tokens])  # (n, n)


def allowed_pairs(setting: Setting) -> np.ndarray:
    """Where the setting's additive mask M is 0 (not -inf): the pairs that may attend."""
    mask = setting.symbols["M"].whole  # (n, n)
    return np.isfinite(mask) & (mask == 0)  # (n, n)

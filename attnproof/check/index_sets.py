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

import re
from functools import partial

import numpy as np

from attnproof.check import settings, tree
from attnproof.check.decision import Decision, Document
from attnproof.check.equations import MASK, WINDOW, Variant, one_way
from attnproof.check.evaluate import OutOfRange, Setting, Unknown, compare
from attnproof.check.finding import Verdict
from attnproof.check.naming import pair
from attnproof.check.numeric import Judgement
from attnproof.check.show import show
from attnproof.check.tree import walk
from impl.attention import causal_mask

# The mask's claim and message are the topic's (equations.MASK, equations.WINDOW); the hint is the set form.
SET_HINTS = {MASK: r"\{(i, j) : j \le i\}", WINDOW: r"\{(i, j) : i - w < j \le i\}"}


def decide(relation: tree.Relation, context: str = "", document: Document | None = None) -> Decision | None:
    """A set of index pairs defined by a condition, judged against the mask's allowed pairs; None for anything else."""
    if not (isinstance(relation, tree.Relation) and relation.ops == ("=",) and len(relation.items) == 2):
        return None
    builder = set_of_pairs(relation.items[1]) or keys_of_query(*relation.items)
    if builder is not None:
        return judged(builder, show(relation.items[0]), context, document)
    found = indicator(*relation.items)
    if found is not None:
        return judged(found[0], show(relation.items[0]), context, document, either=found[1])
    return mask_of_ones(*relation.items)


def condition(relation: tree.Relation, context: str, document: Document | None = None) -> Decision | None:
    r"""A bare condition on a query and a key, `i - w < j \le i`, in a sentence about what a query attends to (or
    a mask, or a window), judged as the set of pairs it holds for; None for anything else."""
    builder = bare_condition(relation, context)
    return None if builder is None else judged(builder, r"\mathcal{A}", context, document)


def judged(builder: tree.SetBuilder, named: str, context: str, document: Document | None,
           either: bool = True) -> Decision | None:
    """The pairs of `builder` against the causal or sliding-window mask's; a two-sided window is wrong only where
    the sentence says the mask is causal."""
    if any(isinstance(n, tree.Norm) for n in walk(builder.condition)):
        if CAUSAL.search(context.lower()):
            return Decision(Verdict.WRONG, WINDOW.claim, WINDOW.message, hint=f"{named} = {SET_HINTS[WINDOW]}",
                            counterexample="|i - j| <= w lets query i see the keys after it, j = i + 1, ..., i + w, "
                            "which a causal window masks", rung="numeric")
        return Decision(Verdict.UNRECOGNISED, None, "a window on both sides, |i - j| <= w, as an encoder's local "
                        "attention has; the claims here are about causal masks and windows")
    names = {n.name for n in walk(builder.condition) if isinstance(n, tree.Name)}
    topic = WINDOW if names & {"w", "W"} else MASK
    if len(past := names & CACHED) == 1:
        return after_cache(builder, past.pop(), topic, named)
    readings = WINDOW.variants(None) if topic is WINDOW else \
        [Variant(partial(settings.attention, masked=True, base=base), None) for base in (1, 0)]
    held, failures = [], []
    for reading in readings:
        setting = reading.build(0)
        try:
            stated = pairs_where(builder, setting)  # (n, n)
        except (Unknown, OutOfRange):
            return None
        allowed = allowed_pairs(setting)  # (n, n)
        if np.array_equal(stated, allowed) or either and np.array_equal(stated, ~allowed):
            held.append(reading)
            continue
        wrong = np.argwhere(stated != allowed)[0] + setting.base  # (2,)
        failures.append((reading, Judgement(False, "numeric", f"(i, j) = ({wrong[0]}, {wrong[1]}) is "
                         f"{'in' if stated[tuple(wrong - setting.base)] else 'not in'} the set, but the mask "
                         f"{'allows' if allowed[tuple(wrong - setting.base)] else 'masks'} it",
                         hint=f"{named} = {SET_HINTS[topic]}")))
    counts = {reading.window for reading in held}
    if document is not None and len(counts) == 1 and None not in counts and (kept := one_way(
            topic, failures, document, "window_count", counts.pop(), "counts a window of w keys {}")):
        return kept
    if held:
        return Decision(Verdict.OK, topic.claim, f"the pairs the mask allows (or masks), with "
                        f"{held[0].build(0).about}", rung="numeric")
    reading, judgement = failures[0]
    return Decision(Verdict.WRONG, topic.claim, topic.message, hint=judgement.hint,
                    counterexample=f"with {reading.build(0).about}: {judgement.reason}", rung="numeric")


CACHED = {"P", "past", "n_past", "past_len", "offset"}  # the keys cached before the new queries (TensorRT-LLM's P)
PAST, NEW = 3, 4  # cached keys, and new queries after them, for a condition that names the cache


def after_cache(builder: tree.SetBuilder, past: str, topic, named: str) -> Decision | None:
    r"""`j \le P + i`, `\texttt{past} + i - w < j \le \texttt{past} + i`: new query i (counted among the new ones)
    after P cached keys, against the pairs the mask aligned bottom-right allows, as a decoder with a cache needs
    it: query i is position P + i, and sees the keys up to it (within the window, with or without the query's own
    key in its count). The ones masked are right too, as for any set of pairs."""
    query, key = (v.name for v in builder.variables.items)
    windows = WINDOW_COUNTS if topic is WINDOW else (None,)
    for base in (1, 0):
        setting = Setting(symbols={past: PAST, "w": settings.WINDOW, "W": settings.WINDOW}, base=base)
        try:
            stated = np.array([[compare(builder.condition, setting.bind(**{query: i, key: j}))
                                for j in range(base, base + PAST + NEW)] for i in range(base, base + NEW)])  # (L, S)
        except (Unknown, OutOfRange):
            return None
        rows, columns = np.indices(stated.shape)  # (L, S) each: new query i, key j, from 0
        behind = rows + PAST - columns  # (L, S): how far key j stands before query i's own position
        for window in windows:
            allowed = seen(behind, window)  # (L, S)
            if np.array_equal(stated, allowed) or np.array_equal(stated, ~allowed):
                return Decision(Verdict.OK, topic.claim, f"the pairs the mask allows (or masks) when {NEW} new "
                                f"queries follow {PAST} cached keys, aligned bottom-right", rung="numeric")
    allowed = seen(behind, windows[0])  # (L, S), tokens from 0
    i, j = np.argwhere(stated != allowed)[0]  # (2,)
    return Decision(Verdict.WRONG, topic.claim, topic.message, hint=f"{named} = {CACHED_HINTS[topic]}",
                    counterexample=f"with {past} = {PAST} cached keys and {NEW} new queries counted from 0, (i, j) = "
                    f"({i}, {j}) is {'in' if stated[i, j] else 'not in'} the set, but the mask "
                    f"{'allows' if allowed[i, j] else 'masks'} it (query {i} is position {i + PAST})", rung="numeric")


def seen(behind: np.ndarray, window: int | None) -> np.ndarray:
    """The keys a query sees, by how far each stands before it: none after it, and fewer than `window` before."""
    return (behind >= 0) & (behind < window) if window else behind >= 0


WINDOW_COUNTS = (settings.WINDOW, settings.WINDOW + 1)  # the window counts the query's own key, or the w before it
CACHED_HINTS = {MASK: r"\{(i, j) : j \le P + i\}", WINDOW: r"\{(i, j) : P + i - w < j \le P + i\}"}


QUERY_KEY = {("i", "j"), ("t", "j"), ("t", "s"), ("q", "k")}  # the letters of a query and a key, in that order
ATTENDING = re.compile(r"\b(?:attend|mask|window|visible|see[sn]?\b|allow)")
CAUSAL = re.compile(r"\bcausal")


def bare_condition(relation: tree.Relation, context: str) -> tree.SetBuilder | None:
    r"""`i - w < j \le i` in a sentence about what a query attends to (or a mask, or a window): the pairs of the
    condition; None for inequalities among other letters or in other prose."""
    if not relation.ops or any(op not in {"le", "lt", "ge", "gt"} for op in relation.ops) or \
            not ATTENDING.search(context.lower()):
        return None
    names = {n.name for n in walk(relation) if isinstance(n, tree.Name)}
    pair = next((p for p in QUERY_KEY if set(p) <= names and names - set(p) <= {"w", "W"} | CACHED), None)
    if pair is None:
        return None
    return tree.SetBuilder(tree.Group(tuple(tree.Name(v) for v in pair), "("), relation)


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


def indicator(left: tree.Node, right: tree.Node) -> tuple[tree.SetBuilder, bool] | None:
    r"""`\text{look\_ahead\_mask}_{ij} = \mathbb{1}[j > i]`, or by cases of 1 and 0: a mask of ones on the pairs of
    a condition (ones where a query may attend, as Keras has it, or where it may not, as TensorFlow's tutorial
    has it: either set is right, except for a mask called just `mask`, see `ones_either_way`); or by cases of 0 and
    -inf, `\text{causal\_mask}_{ij}`, an additive mask whose zeros must be the pairs that may attend. With whether
    either set is right."""
    if not (isinstance(left, tree.Script) and masks(left.base) and (indices := pair(left.sub))):  # M_ij: the
        return None  # settings' own mask
    condition, either = None, ones_either_way(left.base)
    if isinstance(right, tree.Group) and right.bracket == "[" and len(right.items) == 1:
        condition = right.items[0]
    elif isinstance(right, tree.Cases) and len(right.branches) == 1 and right.branches[0][0] == tree.Num("1"):
        conditions = [piece for piece in right.branches[0][1] if isinstance(piece, tree.Relation)]
        condition = conditions[0] if len(conditions) == 1 else None  # look_ahead_{ij} = 1 for j <= i
    elif isinstance(right, tree.Cases) and (values := {value for value, _ in right.branches}) in BINARY_VALUES:
        either = tree.Num("1") in values and either
        marked = [pieces for value, pieces in right.branches if value in {tree.Num("1") if either else tree.Num("0")}]
        conditions = [piece for piece in marked[0] if isinstance(piece, tree.Relation)] if len(marked) == 1 else []
        condition = conditions[0] if len(conditions) == 1 else None
    if not isinstance(condition, tree.Relation) or not all(isinstance(i, tree.Name) for i in indices):
        return None
    return tree.SetBuilder(tree.Group(tuple(indices), "("), condition), either


def mask_of_ones(left: tree.Node, right: tree.Node) -> Decision | None:
    r"""`\text{mask} = \begin{pmatrix} 1 & 0 \\ 1 & 1 \end{pmatrix}`: a mask written out in ones and zeros, ones where a
    query (row) may attend a key (column), as `np.tril` builds it, or where it may not, as TensorFlow's look-ahead
    mask has it: right when its ones are the causal mask's allowed pairs, or their complement where the name allows
    it (`ones_either_way`)."""
    named = left.base if isinstance(left, tree.Script) else left  # mask_{ours}: a label on the name
    if not (masks(named) and isinstance(right, tree.Matrix)):
        return None
    if len({len(row) for row in right.rows}) != 1 or any(entry not in BOOLEAN for row in right.rows for entry in row):
        return None
    stated = np.array([[entry == tree.Num("1") for entry in row] for row in right.rows])  # (rows, columns)
    allowed = causal_mask(*stated.shape)  # (rows, columns): key j <= query i
    either = ones_either_way(named)
    if np.array_equal(stated, allowed) or either and np.array_equal(stated, ~allowed):
        return Decision(Verdict.OK, MASK.claim, f"its ones are the pairs a {stated.shape[0]} x {stated.shape[1]} "
                        "causal mask allows (or masks)", rung="numeric")
    rows = r" \\ ".join(" & ".join("1" if entry else "0" for entry in row) for row in allowed)
    return Decision(Verdict.WRONG, MASK.claim, MASK.message, hint=rf"\begin{{pmatrix}} {rows} \end{{pmatrix}}",
                    counterexample=f"with ones as the pairs that attend, {entry_against(stated, allowed, True)}" +
                    (f"; with ones as the masked pairs, {entry_against(stated, allowed, False)}" if either else ""),
                    rung="numeric")


def entry_against(stated: np.ndarray, allowed: np.ndarray, ones_allowed: bool) -> str:
    """The first entry that breaks the reading where the ones are the allowed pairs (or the masked ones)."""
    query, key = np.argwhere(stated != (allowed if ones_allowed else ~allowed))[0]
    may = "may" if allowed[query, key] else "may not"
    return f"row {query + 1}, column {key + 1} is {int(stated[query, key])} though query {query + 1} {may} attend " \
        f"key {key + 1}"


def masks(name: tree.Node) -> bool:
    r"""Is it a name for a mask: `mask`, `\text{mask}` (read as a call without arguments), `look_ahead_mask`?"""
    bare = isinstance(name, tree.Name) or isinstance(name, tree.Call) and not name.args
    return bare and name.name.endswith(MASK_WORDS)


def ones_either_way(name: tree.Node) -> bool:
    """May the ones of a 0/1 mask so named be the masked pairs? A look-ahead mask's are (TensorFlow's tutorial), and
    so may an attention mask's be (PyTorch's nn.MultiheadAttention); a mask called just `mask` has its ones where a
    query may attend, as Keras, JAX, Haiku and Equinox build it."""
    return name.name != "mask"


BOOLEAN = {tree.Num("0"), tree.Num("1")}
MASK_WORDS = ("mask", "look_ahead", "lookahead")  # TensorFlow's look_ahead_mask, the Coursera lab's look_ahead
BINARY_VALUES = ({tree.Num("1"), tree.Num("0")}, {tree.Num("0"), tree.Neg(tree.Infinity())})


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

r"""Big-O statements: which cost the prose is about, and the class the derivations in proofs/ give.

The canonical classes are computed from the FLOP and element counts the cost proofs derive
(proofs/cost.py, kv_cache_cost.py, sliding_window.py, linear_attention.py, multihead_cost.py), with
every width read as d and every length as n, as in Vaswani et al.'s Table 1. The subject (self-
attention, an RNN, decoding with a KV cache, ...) and the measure (time, memory, path length,
sequential steps) come from the words around the formula.

Example:
    >>> from attnproof.check.parse import parse
    >>> decide(parse(r"O(n \cdot d^2)"), "Self-attention costs per layer", Document()).verdict.value
    'wrong'
    >>> decide(parse(r"O(n \cdot d^2)"), "A recurrent layer costs per layer", Document()).verdict.value
    'ok'
    >>> decide(parse(r"O(n^2 d)"), "With a KV cache each new token costs [formula].", Document()).verdict.value
    'wrong'
"""

import re
from dataclasses import dataclass
from functools import cache

import sympy as sp

from attnproof.check import tree
from attnproof.check.decision import Decision, Document
from attnproof.check.evaluate import Unknown
from attnproof.check.extract import CELL, SELF, own_cell
from attnproof.check.finding import Verdict
from attnproof.check.show import show
from attnproof.check.symbolic import COMPLEXITY, expression, monomials, symbol
from attnproof.check.tree import walk
from proofs import cost, kv_cache_cost, linear_attention, multihead_cost, sliding_window

n, d, w = symbol("n"), symbol("d"), symbol("w")
LENGTHS = {"L", "S", "n", "t", "seq_len"}
WIDTHS = {"d", "d_k", "d_v", "d_in", "d_h", "d_head", "d_model", "head_dim"}
HEADS, HEAD_WIDTH = symbol("h"), symbol("d_head")  # as symbolic.COMPLEXITY spells them


def big_o(count: sp.Expr) -> frozenset[sp.Expr]:
    """The dominant terms of a count, with lengths as n and widths as d: 2LSd_k + 2LSd_v -> {n^2 d}; a head's
    width times the number of heads is the model's width: h n^2 d_head -> {n^2 d}."""
    count = count.doit()
    if HEADS in count.free_symbols:
        count = count.subs(HEAD_WIDTH, d / HEADS)
    renamed = count.subs({s: n if s.name in LENGTHS else d if s.name in WIDTHS else symbol(s.name)
                          for s in count.free_symbols})
    renamed = renamed.replace(sp.Max, lambda *args: sp.Add(*args))  # O(max(a, b)) = O(a + b)
    terms = monomials(renamed)
    return frozenset(t for t in terms if not any(other != t and sp.simplify(other / t).is_polynomial(n, d, w)
                                                  for other in terms))


ORDER = ("n", "w", "h", "d")  # how the sizes are written in a cost: n^2 d, n w d


def written(terms: frozenset) -> str:
    """A big-O class as it is usually written: {d*n**2, d**2*n} -> 'n^2 d + n d^2'."""
    def monomial(term: sp.Expr) -> str:
        powers = term.as_powers_dict()
        parts = [(s, powers[s]) for s in sorted(term.free_symbols, key=lambda s: ORDER.index(s.name)
                                                if s.name in ORDER else len(ORDER))]
        text = " ".join(s.name if p == 1 else f"{s.name}^{sp.latex(p)}" for s, p in parts)
        return text or "1"
    return " + ".join(sorted((monomial(t) for t in terms), key=lambda m: (-len(m), m)))


def one_step(total: sp.Sum) -> sp.Expr:
    """The summand of a decoding total at its last step, t = n: the cost of one step over n cached tokens."""
    return total.function.subs({t: n for t in total.variables})


@dataclass(frozen=True)
class Measure:
    claim: str
    classes: tuple[frozenset, ...]  # each an accepted big-O class (set of dominant terms)
    says: str  # the class in words, for messages
    scopes: tuple[str, ...] = ()  # for decoding: "step" or "total", one per class; () when the scope is one

    def accepted(self, scope: str | None) -> tuple[frozenset, ...]:
        """The classes for a sentence about one decoding step, or all n tokens (both when it does not say)."""
        if scope is None or scope not in self.scopes:
            return self.classes
        return tuple(c for c, s in zip(self.classes, self.scopes, strict=True) if s == scope)


@dataclass(frozen=True)
class Subject:
    name: str
    keywords: tuple[str, ...]
    measures: dict  # "time" | "memory" | "path" | "sequential" -> Measure


@cache
def subjects() -> tuple[Subject, ...]:
    """What each kind of layer costs, most specific first."""
    attention_time = big_o(cost.ATTENTION_FLOPS)
    one = frozenset({sp.Integer(1)})
    serial = Measure("rnn.serial_dependency", (one,), "O(1)")
    chain = Measure("rnn.serial_dependency", (frozenset({n}),), "O(n)")
    step_cached = big_o(one_step(kv_cache_cost.CACHED_DECODE_FLOPS))
    step_recomputed = big_o(one_step(kv_cache_cost.RECOMPUTE_FLOPS))
    window_time = big_o(sliding_window.SLIDING_WINDOW_FLOPS)
    return (
        Subject("sliding-window attention", ("sliding", "window", "local attention", "restricted", "longformer",
                                             "banded"),
                {"time": Measure("efficient.sliding_window", (window_time, window_time | {n * d ** 2}),
                                 "O(n w d) (plus O(n d^2) for the projections)"),
                 "memory": Measure("efficient.sliding_window", (frozenset({n * w}),), "O(n w)"),
                 "path": Measure("efficient.sliding_window", (frozenset({n / w}), one), "O(n / w)")}),
        Subject("linear attention", ("linear attention", "kernel trick", "kernel function", "kernel feature",
                                     "kernel method", "kernelized", "linear transformer", "performer", "feature map",
                                     "katharopoulos", "lineari", "atenção linear", "atención lineal"),
                {"time": Measure("efficient.linear_attention", (big_o(linear_attention.LINEAR_ATTENTION_FLOPS),),
                                 "O(n d^2)"),
                 "memory": Measure("efficient.linear_attention", (frozenset({d ** 2}), frozenset({n * d})),
                                   "O(d^2) state")}),
        Subject("tiled (Flash) attention", ("flash", "tiled", "tiling", "online softmax", "sram", "hbm"),
                {"time": Measure("efficient.online_softmax", (attention_time,), "O(n^2 d)"),
                 "memory": Measure("efficient.online_softmax", (frozenset({n}), frozenset({n * d})),
                                   "O(n) beyond the inputs")}),
        Subject("recomputing without a cache", ("without a cache", "without the cache", "without kv", "recomput",
                                                "no cache", "without caching", "naive decod", "re-run", "rerun"),
                {"time": Measure("cost.kv_cache", (step_recomputed, big_o(kv_cache_cost.RECOMPUTE_FLOPS)),
                                 "O(n^2 d) per step, O(n^3 d) for n tokens", ("step", "total"))}),
        Subject("decoding with a KV cache", ("cache", "decod", "generat", "autoregress", "per token", "new token",
                                             "per step"),
                {"time": Measure("cost.kv_cache", (step_cached, big_o(kv_cache_cost.CACHED_DECODE_FLOPS)),
                                 "O(n d) per step, O(n^2 d) for n tokens", ("step", "total")),
                 "memory": Measure("cost.kv_cache", (big_o(kv_cache_cost.CACHE_ELEMENTS),), "O(n d)")}),
        Subject("the projections", ("projection", "projecting", "linear layer", "feed-forward", "ffn"),
                {"time": Measure("cost.attention", (frozenset({n * d ** 2}),), "O(n d^2)")}),
        Subject("a recurrent layer", ("rnn", "recurren", "lstm", "gru", "rekurren", "récurren", "recorren"),
                {"time": Measure("cost.attention", (big_o(cost.RNN_FLOPS),), "O(n d^2)"),
                 "memory": Measure("cost.attention", (frozenset({n * d}), frozenset({d ** 2})), "O(n d)"),
                 "path": chain, "sequential": chain}),
        Subject("multi-head attention", ("multi-head", "multihead", "heads"),
                {"time": Measure("cost.multihead", (attention_time, big_o(multihead_cost.MULTIHEAD_FLOPS)),
                                 "O(n^2 d) (plus O(n d^2) for the projections)"),
                 "memory": Measure("cost.attention", (big_o(cost.SCORE_ELEMENTS), frozenset({n ** 2 * symbol("h")})),
                                   "O(n^2) per head"),
                 "path": serial, "sequential": serial}),
        Subject("self-attention", ("attention", "transformer", "softmax", "score", "qk", "quer", "key", "wei",
                                   "aufmerksamkeit", "selbstaufmerksamkeit", "atención", "atencion", "atenção",
                                   "autoatenção"),  # other languages
                {"time": Measure("cost.attention", (attention_time, attention_time | {n * d ** 2}),
                                 "O(n^2 d) (plus O(n d^2) for the projections)"),
                 "memory": Measure("cost.attention", (big_o(cost.SCORE_ELEMENTS),), "O(n^2)"),
                 "path": serial, "sequential": serial}),
        Subject("another kind of layer", ("convolution", "cnn", "kernel size", "mlp", "position-wise"), {}),
    )


def named(name: str | None) -> Subject | None:
    return next((s for s in subjects() if s.name == name), None)


SPECIFIC = 5  # the first subjects are specific enough to win whenever the sentence names them

MEASURES = (
    ("path", ("path",)),
    ("sequential", ("sequential", "serial", "parallel", "steps in sequence", "sequentiell", "séquentiel",
                    "secuencial", "sequencia", "one after the other")),
    ("memory", ("memory", "space", "storage", "store", "bytes", "cache size")),
    ("time", ("time", "flop", "compute", "computation", "operations", "complexity", "cost", "per layer", "work",
              "generation", "generating", "complexidade", "custo", "por camada")),  # "makes generation O(n d)"
)


STEP_WORDS = ("per step", "each step", "one step", "a step", "at step", "per token", "each token", "each new token",
              "the new token", "a new token", "per generated token", "per new token", "per decoding step",
              "decode step", "decoding step", "generation step")
TOTAL_WORDS = ("in total", "total", "overall", "all n tokens", "whole generation", "for n tokens", "generating n",
               "n tokens", "whole stream", "all the steps", "all steps")


def scope(context: str) -> str | None:
    """Is the formula's clause (else its sentence) about one decoding step or the whole generation? None when it
    says both or neither."""
    sentence = ALTERNATIVE.sub(" ", around(context.lower()))
    for text in (clause_of(sentence), sentence):
        step = any(found(w, text) for w in STEP_WORDS) or re.search(r"\bstep \[math\]", text)
        total = any(found(w, text) for w in TOTAL_WORDS) or re.search(r"generating \[math\] tokens", text)
        if bool(step) != bool(total):
            return "step" if step else "total"
    return None


CLAUSE_END = re.compile(r"[,;:]\s|''|``|[\"“”]")  # the clause a cost stands in: "the total is [formula], linear"


def decide(statement: tree.Node, context: str, document: Document) -> Decision | None:
    """Judge every O(...) in a statement; None when there is none. A sentence that names no subject is
    about the one the document's last cost was about."""
    calls = [c for c in walk(statement) if isinstance(c, tree.Call) and c.name == "O" and len(c.args) == 1]
    if not calls:
        return None
    cell = own_cell(context)  # in a table row: the row's cells and the formula's own column's header
    if isinstance(statement, tree.Relation) and all(any(c in calls for c in walk(i)) for i in statement.items):
        return chain(statement, context)
    costed = [item for item in (statement.items if isinstance(statement, tree.Relation) else (statement,))
              if any(c in calls for c in walk(item))]  # h \cdot O(n^2 d) is the cost, not just O(n^2 d)
    try:
        classes = [big_o(cost_of(item)) for item in costed]
    except Unknown as unknown:
        return Decision(Verdict.UNRECOGNISED, None, f"cannot read the cost: {unknown}")
    section = specific(" ".join(ASIDE.sub(" ", document.section.lower()).split()))  # "### Linear attention": what
    # the section's costs are of ("Linear (kernel) attention" too)
    subject = window_subject(classes) or about(context, named(document.cost_subject), section)
    if subject is None:
        return Decision(Verdict.UNRECOGNISED, None, "a cost, but the text around it does not say of what")
    document.cost_subject = subject.name
    if not subject.measures:
        return Decision(Verdict.UNRECOGNISED, None, "a cost of another kind of layer than attention or an RNN")
    if foreign := foreign_measure(cell, subject):
        return Decision(Verdict.UNRECOGNISED, None, f"a {foreign} count, which the derivation does not give for "
                        f"{subject.name}")
    summed = isinstance(statement, tree.Relation) and any(isinstance(item, tree.Sum) for item in statement.items
                                                          if item not in costed)
    measures, within = measured(cell, subject), "total" if summed else scope(cell)  # \sum_{t=1}^{T} t d = O(T^2 d)
    claims = []
    for item, stated in zip(costed, classes, strict=True):
        matching = [m for m in measures if fits(stated, m.accepted(within))]
        if not matching:
            return wrong(item, stated, subject, measures, within)
        claims.append(matching[0].claim)
    return Decision(Verdict.OK, claims[0], f"the cost of {subject.name} as the derivation in proofs/ gives it",
                    rung="symbolic")


def window_subject(classes: list[frozenset]) -> Subject | None:
    """A cost in terms of the window w is about sliding-window attention, whatever the prose calls it."""
    if any(w in sp.Add(*c).free_symbols for c in classes):
        return named("sliding-window attention")
    return None


BATCH = symbol("b")


def fits(stated: frozenset, classes: tuple[frozenset, ...]) -> bool:
    """The stated class is one the derivation gives, possibly with the width d left out (O(n^2) for attention),
    or for a batch of b sequences (O(b n^2 d): b times one sequence's cost)."""
    if BATCH in sp.Add(*stated).free_symbols:
        stated = big_o(sp.Add(*stated).subs(BATCH, 1))
    if stated in classes:
        return True
    return d not in sp.Add(*stated).free_symbols and stated in {without_width(c) for c in classes}


def without_width(terms: frozenset) -> frozenset:
    return big_o(sp.Add(*terms).subs(d, 1))


def chain(relation: tree.Relation, context: str) -> Decision:
    r"""h \cdot O(n^2 d / h) = O(n^2 d), \sum_t O(t d) = O(n^2 d): each side's class must be the same."""
    try:
        classes = [big_o(cost_of(item)) for item in relation.items]
    except Unknown as unknown:
        return Decision(Verdict.UNRECOGNISED, None, f"cannot read the cost: {unknown}")
    subject = about(context)
    claim = subject.measures.get("time", next(iter(subject.measures.values()))).claim if subject else None
    if all(c == classes[0] for c in classes):
        return Decision(Verdict.OK, claim, "both sides are the same order of growth", rung="symbolic")
    return Decision(Verdict.WRONG, claim, "the two sides grow at different orders",
                    hint=f"O({written(classes[0])})",
                    counterexample=" against ".join(written(c) for c in classes), rung="symbolic")


def cost_of(node: tree.Node, bound: dict[str, sp.Symbol] | None = None) -> sp.Expr:
    r"""An expression with O(...) inside, read as the count it bounds: h O(n^2 d / h) -> n^2 d; a sum's index stands
    for itself inside it (\sum_{i=1}^{n} O(i d) -> n^2 d / 2 + n d / 2), whatever size its letter names elsewhere;
    a difference of two positions, O(t - s), grows as the length n."""
    sizes = COMPLEXITY | (bound or {})
    match node:
        case tree.Call("O", (arg,), (), None) if isinstance(arg, tree.Sub) and expression(arg, sizes) == 0:
            return n  # O(t - s): the distance between two positions, which grows as the length does
        case tree.Call("O", (arg,), (), None):
            return expression(arg, sizes)
        case tree.Sum(((tree.Relation((tree.Name(variable), start), ("=",))),), stop, body) if stop is not None:
            index = COMPLEXITY.get(variable, symbol(variable))
            return sp.summation(cost_of(body, {**(bound or {}), variable: index}),
                                (index, expression(start, sizes), expression(stop, sizes)))
        case tree.Mul(left, right, _):
            return cost_of(left, bound) * cost_of(right, bound)
    return expression(node, sizes)


BASELINE = re.compile(r"\b(?:instead of|rather than|compared (?:to|with)|versus|vs\.?|from)\s+(?:the\s+)?\[formula\]")
ALTERNATIVE = re.compile(r"\b(?:instead of|rather than)\b[^,.;]*")  # a clause naming what the subject is not
IMPROVES_ON = {"decoding with a KV cache": "recomputing without a cache", "sliding-window attention": "self-attention",
               "linear attention": "self-attention", "tiled (Flash) attention": "self-attention"}


def about(context: str, remembered: Subject | None = None, section: Subject | None = None) -> Subject | None:
    """The subject of the sentence the formula stands in: a specific one (sliding window, linear attention,
    decoding) if that sentence names it, else the one named nearest before the formula, else after it.
    A clause "instead of recomputing" names what the subject is not; a formula in such a clause ("costs
    O(n w d) instead of [formula]", "turns decoding from [formula] into") is the cost of what the subject
    (or the document's last one) improves on. A table's answer-key column ("| layer: recurrent (rnn) | key:
    [formula]") names no attention key.

    In a table row, the row's own cells name its subject ("tanh RNN"), not the other columns' headers
    ("decode cost of step t"); a row that names attention in general takes a specific subject from the headers
    ("what is cached"); a row labelled with something the checker does not know (an SSM) has no subject.

    A section whose title names a specific subject ("Linear attention") is about it: a sentence that names no
    specific subject itself is taken to be too, whatever general words it uses ("shared by all queries")."""
    text = ANSWER_KEY.sub(lambda header: header.group(1) + " " * len(header.group(2)), context.lower())
    row = own_cell(text)
    if row == text:
        return subject_of(text, remembered, section)
    mine = subject_of(row, None)
    if mine is not None and mine.name != "self-attention":
        return mine
    if mine is None and re.search(r"[a-z]{3}", row.split(CELL)[0]):
        return None
    table = subject_of(text, None)
    return table if table in subjects()[:SPECIFIC] else mine or subject_of(text, remembered)


ASIDE = re.compile(r"\([^()]*\)")  # a parenthesised aside in a title


ANSWER_KEY = re.compile(r"(^|\| )((?:answer )?key:) ")


NO_WINDOW = re.compile(r"\b(?:no|without(?: an?| any)?) (?:sliding[- ])?window(?:s|ing)?\b")  # "no cache and no
# window at all": the cost of dense recomputation, not of a window (a missing cache names recomputing itself)


QUOTED = re.compile(r"(?:``|“|\")((?:(?!''|”|\"|``|“).)*?" + re.escape(SELF) + r"(?:(?!''|”|\").)*?)(?:''|”|\")")


def subject_of(text: str, remembered: Subject | None, section: Subject | None = None) -> Subject | None:
    """The subject as `about` describes it; a formula quoted ("cached decoding is [formula] overall" -- that is
    the cost of recomputing) is of what the quotation names, unless that is attention in general and the
    sentence names a specific subject (a thread claims FlashAttention "brings attention down to [formula]"), or the
    quotation costs attention in general and the section is about a specific subject (answers that said the reordered
    product "still costs [formula] because every query meets every key", under "Linear attention")."""
    text = NO_WINDOW.sub(" ", text)
    quotation = QUOTED.search(text)
    quoted = unquoted_subject(quotation.group(1), None) if quotation else None
    general = quoted is not None and quoted.name == "self-attention" and bool(named_measures(quotation.group(1)))
    if quoted and (quoted in subjects()[:SPECIFIC] or not specific(around(text).replace(quotation.group(0), " ")) and
                   not (general and section is not None)):
        return quoted
    return unquoted_subject(text, remembered, section)


def specific(sentence: str) -> Subject | None:
    """The first of the specific subjects (sliding window, ..., decoding) a sentence names."""
    return next((s for s in subjects()[:SPECIFIC] if any(found(k, sentence) for k in s.keywords)), None)


def unquoted_subject(text: str, remembered: Subject | None, section: Subject | None = None) -> Subject | None:
    mark = text.find(SELF)
    mark = len(text) if mark < 0 else mark
    before, after = text[:mark], text[mark:]
    sentence = around(text)
    baseline = BASELINE.search(sentence) is not None
    sentence = sentence if baseline else ALTERNATIVE.sub(" ", sentence)
    named_subject = specific(sentence)
    if baseline and (named_subject or remembered) and (named_subject or remembered).name in IMPROVES_ON:
        return named(IMPROVES_ON[(named_subject or remembered).name])
    if named_subject is not None:
        return named_subject
    if (attached := ATTACHED.match(after[len(SELF):])) and (owner := first_named(attached.group(1))):
        return owner  # "O(1) for self-attention and [formula] for recurrent layers"
    if section is not None:
        return section
    sentences = SENTENCE_END.split(after)
    if len(sentences) > 1 and REFERS_BACK.match(sentences[1]) and (owner := specific(sentences[1])):
        return owner  # "costs [formula]. That's the trick behind linear attention": before the paragraph's words
    nearest = [(max(last_end(k, before) for k in s.keywords), s) for s in subjects()]
    best = max(nearest, key=lambda pair: pair[0])
    if best[0] >= 0:
        return best[1]
    if contrast := CONTRASTED.match(after[len(SELF):]):  # "[formula], against O(T) for an RNN": the other subject
        other = first_named(SENTENCE_END.split(after[len(SELF) + contrast.end():])[0])
        return remembered if remembered != other else None
    if owner := first_named(sentences[0]):
        return owner
    if len(sentences) > 1 and REFERS_BACK.match(sentences[1]) and (owner := first_named(sentences[1])):
        return owner  # "at cost [formula]. The cost is right for linear attention": the next sentence says of what
    return remembered  # other later sentences are about something else


CONTRASTED = re.compile(r"\s*,?\s*(?:against|versus|vs\.?|compared (?:with|to)|whereas|while)\s")
REFERS_BACK = re.compile(r"\W*(?:(?:the|this|that) (?:cost|bound|complexity|figure)\b|(?:that|this)(?:'s|’s| is)\s)")


# "[formula] for recurrent layers": the subject the formula is attached to; not "for any number of heads"
ATTACHED = re.compile(r"\s*(?:\w+\s+)?(?:for|in|of)\s+(?!(?:any|all|every|each)\b)([^,;.()]*?)(?:[,;.()]|\band\b|$)")


def first_named(text: str) -> Subject | None:
    """The subject whose keyword comes first in a short phrase."""
    places = [(min(first(k, text) for k in s.keywords if found(k, text)), s) for s in subjects()
              if any(found(k, text) for k in s.keywords)]
    return min(places, key=lambda pair: pair[0])[1] if places else None


def found(keyword: str, text: str) -> bool:
    return first(keyword, text) >= 0


def first(keyword: str, text: str) -> int:
    """Where a keyword starts a word (precompute does not name recomputing), or -1."""
    match = re.search(r"\b" + re.escape(keyword), text)
    return match.start() if match else -1


def last_end(keyword: str, text: str) -> int:
    """Where the last use of a keyword ends, or -1: "without a cache" and its "cache" end together, and the longer,
    more specific keyword (listed first) wins the tie."""
    matches = list(re.finditer(r"\b" + re.escape(keyword), text))
    return matches[-1].end() if matches else -1


def named_measures(context: str) -> list[str]:
    """The measures (time, memory, path, sequential) the formula's clause names, else its sentence ("into [formula]
    total work, at the price of memory": work), in MEASURES' order."""
    sentence = around(context.lower())
    for text in (clause_of(sentence), sentence):
        named = [name for name, keywords in MEASURES if any(found(k, text) for k in keywords)]
        if named:
            return named
    return []


def clause_of(sentence: str) -> str:
    """The clause of a sentence the formula stands in."""
    mark = sentence.find(SELF)
    return sentence if mark < 0 else CLAUSE_END.split(sentence[:mark])[-1] + CLAUSE_END.split(sentence[mark:])[0]


def foreign_measure(context: str, subject: Subject) -> str | None:
    """A measure the sentence names that the subject has no count for ("O(n) sequential steps" in a text last
    about decoding with a cache): the sentence is about something else."""
    named = named_measures(context)
    chains = [name for name in named if name in {"path", "sequential"}]  # what tells an RNN from attention
    return next((name for name in chains if name not in subject.measures), None) if chains and \
        not any(name in subject.measures for name in named) else None


def measured(context: str, subject: Subject) -> list[Measure]:
    """The measures the formula's sentence names (time, memory, path, sequential steps), or all of them."""
    named = [subject.measures[name] for name in named_measures(context) if name in subject.measures]
    if named and "time" in subject.measures and subject.measures["time"] not in named:
        named.append(subject.measures["time"])  # a table row names every column's measure; time is the usual one
    return named or list(subject.measures.values())


SENTENCE_END = re.compile(r"(?<!\bi\.e)(?<!\be\.g)(?<!\bcf)(?<!\bvs)[.!?;]\s")  # i.e. does not end one


def around(text: str) -> str:
    """The sentence that holds the formula."""
    mark = text.find(SELF)
    if mark < 0:
        return text
    return SENTENCE_END.split(text[:mark])[-1] + SENTENCE_END.split(text[mark:])[0]


def wrong(call: tree.Node, stated, subject: Subject, measures: list[Measure], within: str | None) -> Decision:
    says = "; ".join(f"{name} {m.says}" for name, m in subject.measures.items() if m in measures)
    return Decision(
        Verdict.WRONG,
        measures[0].claim,
        f"for {subject.name} the derivation gives {says}, not {show(call)}",
        hint=f"O({written(measures[0].accepted(within)[0])})",
        counterexample=f"{show(call)} grows as {written(stated)}; {subject.name} as "
        f"{written(measures[0].accepted(within)[0])}",
        rung="symbolic",
    )

r"""The deciding ladder: each formula of a document is parsed, split into statements, and judged.

For each statement the rungs are tried in order and the first that applies decides, naming itself in
the finding: big-O costs and Var(q . k) (symbolic, statistical), KV-cache formulas (symbolic) and the
factors of worked KV-cache sizes (arithmetic), shape declarations (shapes), head sizes (symbolic),
worked numbers (arithmetic), and equations between matrices,
vectors and entries (shapes, then numeric). A formula with no relation in it (`$d_k$`) states
nothing and gets no finding; one the grammar cannot read, or that no rule ties to a claim, is
`unrecognised`; one that runs out of time, or on which the checker itself fails, is `error`.

Example:
    >>> from attnproof.check.formula import Formula
    >>> [f.verdict.value for f in check_formulas([Formula("Q = XW^Q", 1), Formula("QK", 2)], "notes.md")]
    ['ok']
"""

import dataclasses
import re

from attnproof.check import (
    cache_numbers,
    costs,
    declarations,
    definitions,
    equations,
    features,
    flops,
    glossary,
    index_notation,
    index_sets,
    jacobians,
    naming,
    notation,
    scalars,
    sinusoids,
    swin,
    tree,
    variance,
    worked,
)
from attnproof.check.decision import Decision, Document
from attnproof.check.errors import Unrecognised
from attnproof.check.finding import Finding, Verdict
from attnproof.check.formula import Formula
from attnproof.check.limits import TimeLimit, time_limit
from attnproof.check.model_sizes import ModelSizes, known, stated
from attnproof.check.parse import parse

RELATION = re.compile(r"=|\\in\b|\\le|\\ge|\\approx|\\propto|<|>|\\sim\b|\\to\b|≤|≥|≈")
HALVES = re.compile(r"\bconcatenates? (?:the )?(?:sines|them)|sines? (?:first|then)|first half|second half")
# PE[t, C/2 + i]: a channel half the width on from another, as a layout of sines then cosines indexes its cosines
HALF_WIDTH_INDEX = re.compile(r",\s*(?:\\frac\s*\{[^{}]{1,20}\}\s*\{2\}|[^,\[\](){}]{1,20}/\s*2)\s*\+\s*[a-z]\b")
# d_v / h, \frac{d_k}{h}: a head's share, so that d_k and d_v are all heads' widths together (Weng's v2 notation)
TOTAL_WIDTHS = re.compile(r"d_\{?[kv]\}?\s*/\s*h\b|\\frac\s*\{\s*d_\{?[kv]\}?\s*\}\s*\{\s*h\s*\}")
CLAIMS_BY_WORD = (
    ("cache", "kv_cache.memory"),
    ("flop", "cost.attention"),
    ("head", "multihead.concat_projection"),
    ("d_k", "multihead.concat_projection"),
)


def check_formulas(formulas: list[Formula], file: str, models: dict[str, ModelSizes] | None = None,
                   letters: dict[str, str] | None = None, index_order: str | None = None) -> list[Finding]:
    """One finding per formula that states something, in document order; `models` is the document's table of
    model configurations, by name (model_sizes.catalogue), `letters` its own letters for sizes, roles and weights,
    with the checker's name for each, `index_order` the order its prose says the weights' entries name a key and a
    query in (glossary)."""
    document = Document(models=models or {}, letters=letters or {}, index_order=index_order)
    findings = []
    for formula in formulas:
        document.line, document.section = formula.line, formula.section
        try:
            with time_limit():
                decision = check_formula(formula, document)
        except TimeLimit as limit:
            decision = Decision(Verdict.ERROR, None, f"the checker {limit} on this formula")
        except RecursionError:
            decision = Decision(Verdict.UNRECOGNISED, None, "nested too deeply to check")
        except Exception as failure:  # a fault of the checker on one formula must not end the run
            detail = " ".join(str(failure).split())[:200]
            decision = Decision(Verdict.ERROR, None, f"the checker failed on this formula ({type(failure).__name__}: "
                                f"{detail}); please report it")
        if decision is not None:
            findings.append(Finding(file, formula.line, formula.cell, formula.latex, decision.verdict, decision.claim,
                                    decision.message, decision.hint, decision.counterexample, decision.rung))
    return findings


def check_formula(formula: Formula, document: Document) -> Decision | None:
    document.total_widths |= bool(TOTAL_WIDTHS.search(formula.readable))  # even where it states nothing
    try:
        parsed = parse(formula.readable)
    except Unrecognised as unrecognised:
        if RELATION.search(formula.readable):
            return Decision(Verdict.UNRECOGNISED, None, f"cannot read this formula: {unrecognised}")
        return None
    parsed = glossary.renamed(parsed, document.letters)  # sqrt(H) where the text calls the head width H: sqrt(d_k)
    parsed = glossary.projections_as_w(parsed)  # U_q, U_k: Turner's projections; sqrt(K): the key width
    listed = assignments(parsed.items) if isinstance(parsed, tree.Statements) else (parsed,)
    statements = tuple(notation.plain_tildes(s) for s in unwrapped(listed))  # \widetilde{Q}: the projected queries
    if (said := scalars.said_binding(parsed, formula.context)) is not None:
        document.bindings[said[0]] = said[1]  # "a toy $d_{model}$ of 4": the example that follows uses it
    if (width := scalars.said_width(formula.earlier + " " + formula.context)) is not None:
        document.bindings["d_model"] = width  # "with a 4-dimensional model": the worked entries that follow
    halves = HALVES.search(formula.context.lower()) or HALF_WIDTH_INDEX.search(formula.latex)
    document.sines_then_cosines |= bool(halves)
    if (described := stated(formula.earlier)).configuration():
        document.model = described  # "Config: 40 layers, 40 heads, ..." in a paragraph before the formula's
    elif (named := known(formula.earlier)) is not None:  # "Gemma-2-9B, a batch of 4 sequences" just above
        document.model = described.completed(named)
    cache_numbers.about_cache(formula.earlier, document)  # the KV cache, introduced in prose before the formula
    document.model = known(formula.context) or document.model  # "Llama-2-70B" named near any formula
    said = stated(formula.earlier + " " + formula.context).element_bytes  # "in fp16", said once for the text
    document.element_bytes = said or document.element_bytes
    context = " ".join([*labels(statements), formula.context])
    decision = judge(statements, context, document)
    if decision is not None and decision.verdict is Verdict.UNRECOGNISED and document.definitions and \
            not any(isinstance(s, tree.Relation) and features.gradients(s) for s in statements):  # dS: not S's
        decision = with_definitions(statements, context, document) or decision
    if decision is None or decision.verdict is not Verdict.WRONG:  # a wrong definition is not passed on
        document.definitions |= definitions.defined(statements, formula.line)
    return decision


def assignments(items: tuple[tree.Node, ...]) -> tuple[tree.Node, ...]:
    r"""`k, v, q = W_k x, W_v x, W_q x` (Schlag et al.) assigns each name on the left the expression in its place on the
    right; the parser reads the commas as separating statements, the middle one `q = W_k x`. Read as the n relations
    `k = W_k x`, `v = W_v x`, `q = W_q x`; any other list of statements as it is."""
    middle = [place for place, item in enumerate(items) if isinstance(item, tree.Relation)]
    if len(middle) != 1 or len(items) != 2 * middle[0] + 1 or middle[0] == 0:
        return items
    place = middle[0]
    relation = items[place]
    if relation.ops != ("=",) or len(relation.items) != 2:
        return items
    names = (*items[:place], relation.items[0])
    values = (relation.items[1], *items[place + 1:])
    if not all(tree.named(name) for name in names):
        return items
    return tuple(tree.Relation((name, value), ("=",)) for name, value in zip(names, values, strict=True))


def labels(statements: tuple[tree.Node, ...]) -> list[str]:
    r"""`\text{Qwen2-7B:}\quad 2 \cdot 28 \cdots`: the words a formula opens with as its row's label, which say what
    the formula is of as the prose around it would."""
    return [s.name for s in statements if isinstance(s, tree.Name) and s.name.endswith(":")]


def judge(statements: tuple[tree.Node, ...], context: str, document: Document) -> Decision | None:
    premises, conclusions = assumed(statements)
    decisions = [d for s in substituted(piecewise(premises)) if (d := check_statement(s, context, document))]
    concluded = [check_statement(s, context, document) for s in substituted(piecewise(conclusions))]
    if conclusions and not any(d.verdict is Verdict.OK for d in decisions):
        return conditional(combine(concluded))  # a conclusion under premises the checker could not confirm
    return combine(decisions + concluded)


def with_definitions(statements: tuple[tree.Node, ...], context: str, document: Document) -> Decision | None:
    """A formula read again with the names earlier formulas defined put in; a verdict only if that gives one."""
    expanded = tuple(definitions.expanded(s, document.definitions) for s in statements)
    if expanded == statements:
        return None
    decision = judge(expanded, context, document)
    if decision is None or decision.verdict not in {Verdict.OK, Verdict.WRONG}:
        return None
    lines = sorted({line for s in statements for line in definitions.used_lines(s, document.definitions)})
    where = f"line {lines[0]}" if len(lines) == 1 else "lines " + ", ".join(map(str, lines))
    return dataclasses.replace(decision, message=f"{decision.message} (reading the definition on {where})")


def unwrapped(statements: tuple[tree.Node, ...]) -> tuple[tree.Node, ...]:
    r"""`\Theta = \{\theta_i = 10000^{-2(i-1)/d},\ i \in [1, \ldots, d/2]\}` states the relations inside the set;
    `\theta_i = 10000^{-2i/d}\ (i = 0, 1, \dots, d/2 - 1)` ends with the range of its index, not a factor."""
    found: list[tree.Node] = []
    statements = tuple(jacobians.jacobian(item) for item in statements)
    for item in statements:
        if (pairs_of := tupled(item)) is not None:
            found += pairs_of
        elif isinstance(item, tree.Relation) and isinstance(item.items[-1], tree.Group) and \
                item.items[-1].bracket == "{" and any(isinstance(i, tree.Relation) for i in item.items[-1].items):
            found += [i for i in item.items[-1].items if isinstance(i, tree.Relation)]
        elif isinstance(item, tree.Relation) and (last := item.items[-1]) and isinstance(last, tree.Mul) and \
                is_range(last.right):
            found.append(tree.Relation((*item.items[:-1], last.left), item.ops))
        else:
            found.append(item)
    return tuple(found)


def tupled(item: tree.Node) -> list[tree.Relation] | None:
    r"""`(d_{model}, H, d_{head}) = (512, 8, 64)`: a tuple of names set to a tuple of values, one pair at a time."""
    if not (isinstance(item, tree.Relation) and item.ops == ("=",) and
            all(isinstance(side, tree.Group) and side.bracket == "(" for side in item.items)):
        return None
    names, values = (side.items for side in item.items)
    if len(names) < 2 or len(names) != len(values) or \
            not all(tree.named(n) for n in names):
        return None
    return [tree.Relation((name, value), ("=",)) for name, value in zip(names, values, strict=True)]


def is_range(node: tree.Node) -> bool:
    r"""(i = 0, 1, \dots, d/2 - 1): an index and the values it runs over."""
    return isinstance(node, tree.Group) and node.bracket == "(" and len(node.items) > 1 and \
        isinstance(node.items[0], tree.Relation) and isinstance(node.items[0].items[0], tree.Name) and \
        any(isinstance(i, tree.Dots) for i in node.items)


def assumed(statements: tuple[tree.Node, ...]) -> tuple[tuple[tree.Node, ...], tuple[tree.Node, ...]]:
    r"""`\|k_i\| = \rho \implies \mathrm{softmax}(-\|q - k_i\|^2/2) = \mathrm{softmax}(q^\top k_i)`: what comes
    after an implication is a conclusion under what comes before it."""
    for position, item in enumerate(statements):
        if isinstance(item, tree.Text) and item.words == "so" and \
                any(isinstance(before, tree.Relation) for before in statements[:position]):
            return statements[:position], statements[position + 1:]
    return statements, ()


def conditional(decision: Decision | None) -> Decision | None:
    """A conclusion found wrong under an assumption the checker could not confirm: the random points it
    checks need not satisfy the assumption, so that is no counterexample."""
    if decision is None or decision.verdict is not Verdict.WRONG:
        return decision
    return Decision(Verdict.UNRECOGNISED, decision.claim, "a conclusion under an assumption the checker cannot impose "
                    f"on its random points; without it: {decision.message}")


def piecewise(items: tuple[tree.Node, ...]) -> tuple[tree.Node, ...]:
    r"""`M_{ij} = -\infty \text{ if } j > i,\ M_{ij} = 0 \text{ otherwise}` is one definition by cases:
    statements joined by if/for/when (and a last one marked otherwise) become a Cases on their common left side."""
    merged: list[tree.Node] = []
    position = 0
    while position < len(items):
        item = items[position]
        following = items[position + 1] if position + 1 < len(items) else None
        if isinstance(item, tree.Relation) and isinstance(following, tree.Text) and \
                following.words == "for all" and position + 2 < len(items) and \
                isinstance(items[position + 2], tree.Relation) and items[position + 2].ops == ("in",):
            merged.append(item)  # softmax(s + c1) = softmax(s) for every c in R: a statement for all c, no case
            position += 3
            continue
        if isinstance(item, tree.Relation) and item.ops == ("=",) and isinstance(following, tree.Text):
            if following.words == "otherwise" or following.words == "else":
                condition, position = (following,), position + 2
            elif position + 2 < len(items) and isinstance(items[position + 2], tree.Relation):
                condition, position = (items[position + 2],), position + 3
            else:
                merged.append(item)
                position += 1
                continue
            branch = (item.items[1], condition)
            previous = merged[-1] if merged else None
            if isinstance(previous, tree.Relation) and isinstance(previous.items[1], tree.Cases) and \
                    previous.items[0] == item.items[0]:
                merged[-1] = tree.Relation((item.items[0], tree.Cases(previous.items[1].branches + (branch,))), ("=",))
            else:
                merged.append(tree.Relation((item.items[0], tree.Cases((branch,))), ("=",)))
            continue
        if not isinstance(item, tree.Text):
            merged.append(item)
        position += 1
    return tuple(merged)


def substituted(statements: tuple[tree.Node, ...]) -> list[tree.Node]:
    r"""`e^{x_i - m} / \sum_j e^{x_j - m},\ m = \max_j x_j`, `A = D^{-1} \exp(S),\ D = \mathrm{diag}(\exp(S) 1)`: a
    name one statement defines stands for its definition in the formula's other statements, and that
    definition is then not judged on its own."""
    statements = indexed_substituted(statements)
    definitions = {s.items[0]: s.items[1] for s in statements if isinstance(s, tree.Relation) and s.ops[0] == "="
                   and set(s.ops[1:]) <= {"in"} and isinstance(s.items[0], tree.Name)
                   and not isinstance(s.items[1], tree.Num)  # P = softmax(S) \in R^{N x N} defines P too
                   and len(statements) > 1}  # i = 0, \dots, d/2 - 1 is a range, not a definition
    sides = [s.items[1:] if isinstance(s, tree.Relation) else (s,) for s in statements]  # where a name is used
    used = {k for k in definitions for side in sides if replace(side, {k: None}) != side}
    table = {k: tree.Group((v,), "(") for k, v in definitions.items()}
    for _ in range(len(table)):  # P = softmax(S), S = QK^T: definitions in terms of others, unfolded
        table = {k: replace(v, {name: d for name, d in table.items() if name != k}) for k, v in table.items()}
    return [tree.Relation((s.items[0], *replace(s.items[1:], table)), s.ops) if isinstance(s, tree.Relation)
            else replace(s, table) for s in statements
            if not (isinstance(s, tree.Relation) and s.items[0] in used)]  # a definition used is not a claim


def indexed_substituted(statements: tuple[tree.Node, ...]) -> tuple[tree.Node, ...]:
    r"""`\mathrm{PE}(t)_i = \ldots \cos(\omega_{i-1} t) \ldots,\ \omega_i = 10000^{-i/D}`: a family one statement
    defines by its index stands, at any index, for its definition there; the definition is then not judged."""
    families = {s.items[0].base: (s.items[0].sub[0], s.items[1]) for s in statements
                if isinstance(s, tree.Relation) and s.ops == ("=",) and isinstance(s.items[0], tree.Script)
                and isinstance(s.items[0].base, tree.Name) and len(s.items[0].sub) == 1 and s.items[0].sup is None
                and isinstance(s.items[0].sub[0], tree.Name) and len(s.items[0].sub[0].name) == 1
                and s.items[0].base not in set(tree.walk(s.items[1]))
                and not subscripted(s.items[0].sub[0], s.items[1])}
    if not families or len(statements) < 2:
        return statements

    def put(node):
        if isinstance(node, tree.Script) and node.base in families and len(node.sub) == 1 and node.sup is None:
            index, body = families[node.base]
            return tree.Group((replace(body, {index: tree.Group((node.sub[0],), "(")}),), "(")
        return tree.rebuilt(node, put)

    defined = {tree.Script(base, (index,), None) for base, (index, _) in families.items()}  # omega_i
    uses = [s for s in statements if not (isinstance(s, tree.Relation) and s.items[0] in defined)]
    if all(put(s) == s for s in uses):
        return statements
    return tuple(put(s) for s in uses)


def subscripted(index: tree.Name, body: tree.Node) -> bool:
    """Is the index used in a subscript of the body (head_i = Attention(QW_i^Q, ...)), where substitution stops?"""
    return any(index in set(tree.walk(item)) for n in tree.walk(body) if isinstance(n, tree.Script) for item in n.sub)


def replace(node, table: dict):
    """`node` with every subtree found in `table` replaced by its entry; not in subscripts, nor in a superscript
    that is one name, which hold indices and labels (the Q of W^Q is not the Q a formula defines), nor as the
    base of a subscripted name or of one numbered in brackets above (m^{(1)}, block 1's maximum, is not the m a
    formula defines)."""
    if isinstance(node, tree.Node) and node in table:
        return table[node]
    if isinstance(node, tree.Script):
        label = isinstance(node.sup, tree.Name) or isinstance(node.sup, tree.Group) and len(node.sup.items) == 1 \
            and isinstance(node.sup.items[0], tree.Name)
        numbered = isinstance(node.sup, tree.Group) and node.sup.bracket == "("
        base = node.base if node.sub or numbered else replace(node.base, table)  # Y_1: one of a family, not Y
        return tree.Script(base, node.sub, node.sup if label else replace(node.sup, table))
    return tree.rebuilt(node, lambda child: replace(child, table))


def check_statement(statement: tree.Node, context: str, document: Document) -> Decision | None:
    layer = notation.permuted_calls(statement) is not statement  # O(IP) = O(I) P: a layer named O, not a cost
    cost = None if layer else swin.decide(statement) or costs.decide(statement, context, document)
    if cost is None and (left := implied_left(statement)) is not None:
        return equations.decide(tree.Relation((left, statement), ("=",)), document)
    if cost is not None or not isinstance(statement, tree.Relation):
        return cost
    whole = variance.variance(statement) or scalars.kv_cache(statement, context) or \
        cache_numbers.decide(statement, context, document) or scalars.width_per_kv_head(statement) or \
        scalars.heads_multiplied(statement, context, document) or \
        index_sets.condition(statement, context, document)
    if whole is not None:
        return whole
    if shared_value(statement):
        return None  # q = k = (1, 0)^T: names given one tuple, a setting
    if isinstance(statement.items[1], tree.Div):  # d_k = 128 / 8 = 16 after d_k = 64: another configuration, worked
        for name in scalars.chain_bindings(statement):  # out as d_model / h (d_k = 512 * 8 is no such working)
            document.bindings.pop(name, None)
    decision = combine([check_pair(pair, context, document) for pair in pairs(statement)])
    if decision is not None and decision.verdict is Verdict.OK:
        document.bindings |= scalars.chain_bindings(statement)  # d_k = d_v = 512 / 8 = 64: both are 64 from here on
    return decision


ATTENTION = tree.Call("attention", (tree.Name("Q"), tree.Name("K"), tree.Name("V")))
WEIGHTS = tree.Name("A")


def implied_left(statement: tree.Node) -> tree.Node | None:
    r"""`\mathrm{softmax}(QK^T/\sqrt{d_k} - M)V` on its own, in a table of formulas: attention's output, stated
    without its left side; `\mathrm{softmax}(QK^T/\sqrt{d_k}) + M` on its own, as a sentence quotes where a mask
    goes: the masked weights. None for anything else."""
    if isinstance(statement, tree.Relation | tree.Text):
        return None
    found = naming.names(statement)
    if "softmax" not in found or found & {"phi", "head", "concat", "W_o"}:
        return None
    if "V" in found:
        return ATTENTION
    return WEIGHTS if found & {"M", "mask"} else None


def pairs(relation: tree.Relation) -> list[tree.Relation]:
    """a = b = c \\in R^{...} -> [a = b, b = c, c \\in R^{...}]; each link is judged on its own."""
    return [tree.Relation((left, right), (op,))
            for left, right, op in zip(relation.items, relation.items[1:], relation.ops, strict=False)]


def check_pair(relation: tree.Relation, context: str, document: Document) -> Decision | None:
    stated = scalars.binding(relation)
    if stated is not None:  # d_model = 512: a value later worked numbers may use; checked if it is a head size
        decision = scalars.dimensions(relation, document)
        document.bindings[stated[0]] = stated[1]
        return decision
    if (defined := notation.softmax_definition(relation)) is not None:
        document.softmax_names.add(defined[0])  # S_j = e^{a_j} / ...: S([1, 2, 3]) is a softmax of numbers later
    if (row := worked.worked_encoding_row(relation, document)) is not None:
        return row  # PE_1 = (sin 1, cos 1, ...): a row of the sinusoidal table, not a tuple the text names
    if (named := worked.named_tuple(relation)) is not None:
        document.tuples[named[0]] = named[1]  # s = (2.0, 1.0, 0.1): scores a later softmax(s) works out
        return None
    decision = (
        index_sets.decide(relation, context, document)
        or worked.worked_softmax(relation, document)
        or worked.worked_tuples(relation, claim_from(context))
        or scalars.scale(relation)
        or worked.worked_encoding(relation, document)
        or flops.decide(relation)
        or sinusoids.decide(relation, document)
        or declarations.declaration(relation, document, context)
        or scalars.dimensions(relation, document)
        or scalars.arithmetic(relation, document, claim_from(context), context)
        or equations.decide(index_notation.without_mapped_axes(relation), document)
        or scalars.algebra(relation, claim_from(context))
    )
    if decision is None and is_value(relation):
        return None  # d_ff = 2048: a setting, not a claim
    if decision is None:
        return Decision(Verdict.UNRECOGNISED, None, "no attention claim recognised in this statement")
    return decision


def shared_value(relation: tree.Relation) -> bool:
    """`q = k = (1, 0)^T`: several names, then the one tuple of numbers they are all given (sizes given one number,
    `d_k = d_v = 64`, are bindings the pairs check)."""
    *named, value = relation.items
    value = worked.as_tuple(value)
    return len(named) > 1 and set(relation.ops) == {"="} and \
        all(worked.named_tuple(tree.Relation((name, value), ("=",))) for name in named)


def is_value(relation: tree.Relation) -> bool:
    left, right = relation.items
    return relation.ops == ("=",) and isinstance(right, tree.Num) and tree.named(left)


def claim_from(context: str) -> str | None:
    text = context.lower()
    return next((claim for word, claim in CLAIMS_BY_WORD if word in text), None)


def combine(decisions: list[Decision | None]) -> Decision | None:
    """A formula is wrong if any of its statements is, ok if one is and none is wrong."""
    decisions = [d for d in decisions if d is not None]
    for verdict in (Verdict.WRONG, Verdict.ERROR, Verdict.OK, Verdict.UNRECOGNISED):
        chosen = [d for d in decisions if d.verdict is verdict]
        if chosen:
            return chosen[0]
    return None

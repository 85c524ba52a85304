r"""Shape declarations, `Q \in \mathbb{R}^{n \times d_k}`: the shape the symbol has in each setting of its claim
(the shapes rung), in symbols or in the document's own numbers (`W^O \in \mathbb{R}^{512 \times 512}` after
`d_{model} = 512`, `h = 8`).

Example:
    >>> from attnproof.check.parse import parse
    >>> declaration(parse(r"W^O \in \mathbb{R}^{h d_v \times d_{model}}"), Document()).verdict.value
    'ok'
    >>> declaration(parse(r"Q \in \mathbb{R}^{d_k \times n}"), Document(convention="row vectors")).verdict.value
    'wrong'
"""

import itertools
from dataclasses import replace
from functools import partial

import numpy as np
import sympy as sp

from attnproof.check import model_sizes, settings, tree
from attnproof.check.decision import Decision, Document
from attnproof.check.equations import MULTIHEAD, PROJECTION, SEEDS, Variant, accept, preferred, reject
from attnproof.check.evaluate import Family, OutOfRange, Setting, ShapeMismatch, Unknown, evaluate, index
from attnproof.check.finding import Verdict
from attnproof.check.model_sizes import ModelSizes
from attnproof.check.naming import names
from attnproof.check.notation import weights_of_input
from attnproof.check.numeric import Judgement
from attnproof.check.parse import parse
from attnproof.check.scalars import HEAD_WIDTH_NAMES
from attnproof.check.show import show
from attnproof.check.symbolic import DIMENSIONS, SIZES, expression, spelling
from attnproof.check.tree import walk
from attnproof.check.worked import literal


def declaration(relation: tree.Relation, document: Document, context: str = "") -> Decision | None:
    r"""`Q \in \mathbb{R}^{n \times d_k}`: the shape the symbol has in each setting of its topic; in numbers, with
    the sizes the document binds or, failing those, the model the sentence describes."""
    if relation.ops != ("in",) or not isinstance(relation.items[1], tree.Reals) or not relation.items[1].dims:
        return None
    relation = per_head(relation)
    if document.total_widths and "W_o" in names(relation.items[0]):
        relation = all_heads_widths(relation)
    if all_heads_at_once(relation, document):
        claim = MULTIHEAD.claim if "W_o" in names(relation.items[0]) else PROJECTION.claim
        return Decision(Verdict.OK, claim, "the projection of all h heads at once, square because h d_k = h d_v = "
                        "d_model", rung="shapes")
    if square_weights_named_qkv(relation):
        return Decision(Verdict.OK, PROJECTION.claim, "Q, K and V are the projection matrices here (q_i = Q x_i, as "
                        "CS224n writes them), square when the keys are as wide as the model", rung="shapes")
    numeric = any(isinstance(n, tree.Num) and n.text != "1" for d in relation.items[1].dims for n in walk(d))
    if numeric and not document.bindings:  # W_O in R^{4096 x 3072}: one model's configuration
        return described_model(relation, model_sizes.stated(context)) or one_head_output(relation)
    subject = MULTIHEAD if names(relation) & {"head", "W_o", "multihead", "concat"} or indexed_weights(relation) \
        else PROJECTION
    holding, failing, unsized = [], [], False
    for variant in subject.variants(relation):
        if variant.convention is None and not matrix_reading(variant) and len(relation.items[1].dims) > 1:
            continue  # a reading of plain vectors or scores, in which a matrix's shape means nothing (a vector's does)
        declared = one_head(weights_of_input(relation.items[0]))  # V X A(X)^T: the weights of X
        setting = any_index(declared, variant.build(SEEDS[0]))
        try:
            shapes = [np.shape(evaluate(reading, setting)) for reading in readings(declared, setting)]
            if numeric:  # W^O in R^{512 x 512} after d_model = 512, h = 8, d_v = 64: the document's own sizes
                stated = tuple(int(float(expression(dim, {}))) for dim in relation.items[1].dims)
                sized = {in_document(shape, setting, document): shape for shape in shapes}
            else:
                stated = tuple(index(dim, setting) for dim in relation.items[1].dims)
                sized = {shape: shape for shape in shapes}
        except (Unknown, OutOfRange, ShapeMismatch, TypeError):
            unsized = True  # a reading the document's sizes cannot pin down
            continue
        widths = {size for size, name in setting.size_names.items() if name in {"d_k", "d_v", "d_{model}"}}
        readable = [(value,) + tuple(sorted(widths - {value})) if dim == tree.Name("d") and not numeric else (value,)
                    for dim, value in zip(relation.items[1].dims, stated, strict=True)]  # d: a head's or the model's
        if not numeric:  # d_head: a head's width, which the text may use for the values' too
            readable = [options + value_width(dim, setting)
                        for options, dim in zip(readable, relation.items[1].dims, strict=True)]
        plain = [place for place, dim in enumerate(relation.items[1].dims) if dim == tree.Name("d")]
        allowed = [option for option in itertools.product(*readable)
                   if len({option[place] for place in plain}) <= 1]  # one d in one declaration
        actual = next((s for s in sized if any(fits(s, option) for option in allowed)), next(iter(sized)))
        if any(fits(actual, option) for option in allowed):
            holding.append(variant)
        else:
            named = [setting.size_names.get(size, str(size)) for size in sized[actual]]
            reason = f"{show(relation.items[0])} is [{', '.join(named)}] = {listed(actual)}, not {listed(stated)}"
            reason = f"with the sizes the document states, {reason}" if numeric else reason
            hint = show(relation.items[0]) + r" \in \mathbb{R}^{" + r" \times ".join(named) + "}"
            failing.append((variant, Judgement(False, "shapes", reason, hint=hint)))
    if holding:
        return accept(subject, holding, failing, document, relation)
    if numeric and unsized:
        return one_head_output(relation)  # only some readings could be sized: the others might fit
    if failing:
        variant, judgement = preferred(failing, document)
        return reject(subject, variant, judgement)
    return one_head_output(relation) if numeric else None


PROJECTIONS = {"W_q", "W_k", "W_v", "W_o"}
MAPPED = set(SIZES["b"]) | set(SIZES["h"])  # a batch's and a head count's spellings


def per_head(relation: tree.Relation) -> tree.Relation:
    r"""`S \in \mathbb{R}^{B \times H \times L \times L}`: the leading batch and head axes of a tensor hold one
    matrix per sequence and head; the declaration is of that matrix, `S \in \mathbb{R}^{L \times L}`."""
    dims = relation.items[1].dims
    if len(dims) <= 2 or any(spelling(dim) not in MAPPED for dim in dims[:-2]):
        return relation
    return tree.Relation((relation.items[0], tree.Reals(dims[-2:])), relation.ops)


def all_heads_widths(relation: tree.Relation) -> tree.Relation:
    r"""`W^O \in \mathbb{R}^{d_v \times d_{model}}` in a text whose heads are d_v / h wide: its d_v (or d_k) is all h
    heads' width together, h d_v in the settings' terms."""
    def total(dim):
        return tree.Mul(tree.Name("h"), dim, "") if spelling(dim) in {"d_k", "d_v"} else dim

    return tree.Relation((relation.items[0], tree.Reals(tuple(total(dim) for dim in relation.items[1].dims))),
                         relation.ops)


def all_heads_at_once(relation: tree.Relation, document: Document) -> bool:
    r"""`W^Q \in \mathbb{R}^{d_{model} \times d_{model}}`: an unindexed projection declared square is the one of all
    h heads at once, as the TensorFlow tutorial and PyTorch's in_proj_weight hold it (h d_k = d_model), and so is
    W^O; with numbers, both sides the d_model the document states. One head's W_i^Q is d_model x d_k still."""
    left, dims = relation.items[0], relation.items[1].dims
    if not names(left) & PROJECTIONS or len(dims) != 2 or indexed_weights(relation):
        return False
    if labelled_by(left, {"i", "h", "j"}):
        return False  # W_i^Q: one head's
    width = document.bindings.get("d_model")
    return all(spelling(dim) == "d_model" for dim in dims) or all(dim == tree.Name("d") for dim in dims) or \
        width is not None and all(literal(dim) == width for dim in dims)  # d x d: d the model's width


def square_weights_named_qkv(relation: tree.Relation) -> bool:
    r"""`Q, K, V \in \mathbb{R}^{d \times d}`: the queries themselves are n x d_k, never d x d; declared square in the
    model's width, Q, K and V are the projection matrices (CS224n's notes, q_i = Q x_i)."""
    left, dims = relation.items[0], relation.items[1].dims
    letters = {n.name for n in walk(left) if isinstance(n, tree.Name)}
    return bool(letters) and letters <= {"Q", "K", "V"} and len(dims) == 2 and \
        (all(dim == tree.Name("d") for dim in dims) or all(spelling(dim) == "d_model" for dim in dims))


def labelled_by(node: tree.Node, indices: set[str]) -> bool:
    """W_i^O, W_O^h: a weight whose subscript or superscript names one of these head indices."""
    return isinstance(node, tree.Script) and any(isinstance(n, tree.Name) and n.name in indices
                                                 for part in (*node.sub, node.sup) if part is not None
                                                 for n in walk(part))


def sides(dims: tuple[tree.Node, ...]) -> list[int] | None:
    """The sides of a shape written in numbers (4096 \times 3072), else None."""
    values = [literal(dim) for dim in dims]
    return None if any(v is None or not np.isfinite(v) for v in values) else [int(v) for v in values]


def matrix_reading(variant: Variant) -> bool:
    """A reading with no convention of its own in which matrices still have their shapes: CS224n's q_i = Q x_i (Q, K, V
    the projections themselves, X the tokens as rows) and Prince's Q[X] = beta 1^T + Omega X (tokens as columns)."""
    return isinstance(variant.build, partial) and (bool(variant.build.keywords.get("weights_named_qkv")) or
                                                   variant.build.func is settings.prince)


def described_model(relation: tree.Relation, sizes: ModelSizes) -> Decision | None:
    r"""`W_O \in \mathbb{R}^{4096 \times 3072}` beside "16 heads of width 256": the output projection reads the h heads'
    h d_head features (Gemma 7B's are wider than its 3072-wide residual stream), in either order of the two sides."""
    left, dims = relation.items[0], relation.items[1].dims
    if "W_o" not in names(left) or indexed_weights(relation) or len(dims) != 2 or not (sizes.heads and sizes.head_dim):
        return None
    written = sides(dims)
    heads_width = sizes.heads * sizes.head_dim
    if written is None or heads_width not in written or sizes.width is not None and sizes.width not in written:
        return None
    return Decision(Verdict.OK, MULTIHEAD.claim, f"W^O reads the {sizes.heads} heads' {heads_width} features "
                    f"({sizes.heads} x {sizes.head_dim})", rung="shapes")


def one_head_output(relation: tree.Relation) -> Decision | None:
    r"""`W^O \in \mathbb{R}^{64 \times 512}` with no sizes stated: the whole output projection (not one head's,
    W_i^O) shaped as if its input were one head's output. W^O reads the concatenation of all h heads, which is
    d_model wide when d_v = d_model / h, so a side h >= 4 times shorter than the other is a head's width."""
    left, dims = relation.items[0], relation.items[1].dims
    if "W_o" not in names(left) or indexed_weights(relation) or len(dims) != 2:
        return None
    if labelled_by(left, {"i", "h", "j", "l"}) or (written := sides(dims)) is None:
        return None  # W_i^O, W_O^h: one head's slice, which is d_v by d_model
    short, long = sorted(written)
    if short < 1 or long % short or long // short < 4:
        return None
    return Decision(
        Verdict.WRONG, MULTIHEAD.claim,
        f"W^O maps the concatenation of all h heads back to d_model; {short} is one head's width, but the "
        f"concatenated heads are h x {short} = {long} wide when d_v = d_model / h",
        hint=f"{show(left)} \\in \\mathbb{{R}}^{{{long} \\times {long}}}",
        counterexample=f"with d_model = {long} and h = {long // short} heads of {short}: Concat(head_1, ..., head_h) "
        f"is n x {long}, so W^O is {long} x {long}, not {dims_text(dims)}",
        rung="shapes",
    )


HEAD_WIDTHS = HEAD_WIDTH_NAMES - {"d_k"}  # a head's width, not said to be the keys' alone (d_head, d_h, head_dim)


def value_width(dim: tree.Node, setting: Setting) -> tuple[int, ...]:
    """The size a dimension has when its head width is the values' (H d_head with d_head = d_v), if it names one."""
    widths = {spelled for n in walk(dim) if isinstance(n, tree.Name | tree.Script) and
              (spelled := spelling(n)) in HEAD_WIDTHS}
    if not widths or "d_v" not in setting.symbols:
        return ()
    return (index(dim, replace(setting, symbols=setting.symbols | dict.fromkeys(widths, setting.symbols["d_v"]))),)


def dims_text(dims: tuple[tree.Node, ...]) -> str:
    return " x ".join(show(d) for d in dims)


def in_document(shape: tuple[int, ...], setting: Setting, document: Document) -> tuple[int, ...]:
    """A setting's shape in the sizes the document stated: [h d_v, d_model] -> [512, 512]."""
    values = {name: sp.Rational(v.numerator, v.denominator) for name, v in document.bindings.items()}
    for width in ("d_k", "d_v"):  # d_head = 64: both of a head's widths
        if width not in values and "d_head" in values:
            values[width] = values["d_head"]
    sizes = []
    for size in shape:
        written = setting.size_names.get(size)
        if written is None:
            raise Unknown(f"no name for the size {size}")
        value = expression(parse(written), DIMENSIONS).subs({DIMENSIONS[k]: v for k, v in values.items()
                                                              if k in DIMENSIONS})
        if value.free_symbols:
            raise Unknown(f"the document does not state {written}")
        sizes.append(int(value))
    return tuple(sizes)


def listed(sizes: tuple[int, ...]) -> str:
    return "[" + ", ".join(map(str, sizes)) + "]"


def indexed_weights(relation: tree.Relation) -> bool:
    left = relation.items[0]
    return isinstance(left, tree.Script) and left.base == tree.Name("W") and bool(left.sub) and left.sup is not None


def one_head(node: tree.Node) -> tree.Node:
    """W_O^h, W_Q^i (Elhage et al.): head h's weight, declared for every head: its head index as a subscript."""
    if isinstance(node, tree.Script) and node.base == tree.Name("W") and node.sub and \
            node.sup in {tree.Name("h"), tree.Name("i"), tree.Name("j")}:
        return tree.Script(node.base, (*node.sub, node.sup), None)
    return node


def any_index(node: tree.Node, setting: Setting) -> Setting:
    r"""`W_i^Q \in R^{d_model x d_k}` declares the shape of every head's W_i^Q: a free one-letter index in a
    subscript takes its first value."""
    free = {item.name for n in walk(node) if isinstance(n, tree.Script) for item in n.sub
            if isinstance(item, tree.Name) and len(item.name) == 1 and item.name.islower()
            and item.name not in setting.symbols and item.name not in setting.indices}
    return setting.bind(**{name: setting.base for name in sorted(free)}) if free else setting


def readings(node: tree.Node, setting: Setting) -> list[tree.Node]:
    """A bare lower-case name (q, x) declares one token's vector, or (as nanoGPT uses it) the whole matrix."""
    if isinstance(node, tree.Name) and node.name.islower() and isinstance(setting.symbols.get(node.name), Family):
        return [tree.Script(node, (tree.Num(str(setting.base)),), None), node]
    return [node]


def fits(actual: tuple[int, ...], stated: tuple[int, ...]) -> bool:
    """[d] fits R^d, R^{d x 1} and R^{1 x d}: a vector may be declared as a row or a column."""
    if len(actual) == 1 and len(stated) == 2 and 1 in stated:
        return actual[0] == stated[0] * stated[1]
    return actual == stated

r"""Scalar statements: head sizes, KV-cache sizes and worked counts (symbolic and arithmetic rungs).

- Head sizes: d_k = d_v = d_model / h, symbolically, and with the values the document has stated.
- KV cache: 2 x layers x kv_heads x head_dim x seq_len (x bytes, x batch), from proofs/kv_cache_memory.py.
- Arithmetic: both sides numbers (with units such as GiB); equal up to the digits written.
- A written scale: `scale = 1/\sqrt{d_k}`.

Var(q . k) has its own module (variance.py), and so do worked softmaxes and sinusoid entries (worked.py).

Example:
    >>> from attnproof.check.parse import parse
    >>> dimensions(parse(r"d_k = d_{model} / h"), Document()).verdict.value
    'ok'
    >>> dimensions(parse(r"d_k = d_{model} \cdot h"), Document()).verdict.value
    'wrong'
"""

import re
from fractions import Fraction

import sympy as sp

from attnproof.check import tree
from attnproof.check.decision import Decision, Document
from attnproof.check.evaluate import Unknown
from attnproof.check.finding import Verdict
from attnproof.check.model_sizes import stated
from attnproof.check.parse import factors
from attnproof.check.show import show
from attnproof.check.symbolic import DIMENSIONS, SIZES, expression, same, spelling, symbol
from attnproof.check.tree import walk
from attnproof.check.variance import D_K
from attnproof.check.worked import literal
from proofs import kv_cache_memory

CLAIMS = ("multihead.concat_projection", "kv_cache.memory")  # the claims these rules decide


HEAD_SIZES = {"d_k", "d_v", "d_head"}


def dimensions(relation: tree.Relation, document: Document) -> Decision | None:
    """d_k = d_model / h (per head), with any values the document has stated for the sizes."""
    if relation.ops[0] != "=" or len(relation.items) != 2:
        return None
    sizes = set().union(*(sizes_in(item) for item in relation.items))
    if not sizes & HEAD_SIZES or not sizes <= HEAD_SIZES | {"d_model", "h"}:
        return None
    if sizes & {"d_model", "h"} and not {"d_model", "h"} <= sizes | set(document.bindings):
        return None
    if not sizes & {"d_model", "h"} and not {"d_model", "h"} <= set(document.bindings) and len(sizes) < 2:
        return None  # d_k = 64 with nothing to compare it to: a value, not a claim
    unbound = sizes & HEAD_SIZES - set(document.bindings)
    if any(not sizes_in(item) for item in relation.items) and "h" in sizes and unbound:
        return None  # h d_k = 8 \cdot 128: the concatenated width, worked out with the document's own d_k
    try:
        left, right = (expression(item, DIMENSIONS) for item in relation.items)
    except Unknown:
        return None
    head = DIMENSIONS["d_model"] / DIMENSIONS["h"]
    per_head = {symbol(s): head for s in HEAD_SIZES}
    values = {symbol(k): sp.Rational(v.numerator, v.denominator) for k, v in document.bindings.items()}
    if same(left.subs(per_head).subs(values), right.subs(per_head).subs(values)):
        return Decision(Verdict.OK, "multihead.concat_projection", "each of the h heads is d_model / h wide",
                        rung="symbolic")
    example = {DIMENSIONS["d_model"]: 512, DIMENSIONS["h"]: 8} | values
    return Decision(
        Verdict.WRONG, "multihead.concat_projection",
        "each of the h heads is d_model / h wide, so that the concatenated heads are d_model wide again",
        hint=head_size_hint(relation),
        counterexample=f"with d_model = {example[DIMENSIONS['d_model']]}, h = {example[DIMENSIONS['h']]}: "
        f"the left side is {sp.nsimplify(left.subs(per_head).subs(example))}, the right side "
        f"{sp.nsimplify(right.subs(per_head).subs(example))}",
        rung="symbolic",
    )


def width_per_kv_head(relation: tree.Relation) -> Decision | None:
    r"""`d_h = d_{model} / h_{kv}`, `head\_dim = hidden\_size / num\_key\_value\_heads`: a head is d_model / h wide,
    h the query heads; under grouped-query attention the KV heads are fewer and share heads of that same width,
    so dividing by them gives too wide a head (Llama 2 70B: 8192 / 8 = 1024, not 128)."""
    if relation.ops[0] != "=" or len(relation.items) < 2:
        return None
    left, right = relation.items[:2]
    if isinstance(left, tree.Script) and left.sup is not None:
        left = tree.Script(left.base, left.sub, None)  # d_h^{Yi}: the model's name as a label
    if spelling(left) not in set(KV_NAMES["head_dim"]) - {"d"} or not isinstance(right, tree.Div) or \
            spelling(right.num) not in MODEL_WIDTHS or spelling(right.den) not in KV_NAMES["kv_heads"]:
        return None
    return Decision(
        Verdict.WRONG, "multihead.concat_projection",
        "a head is d_model / h wide, h the number of query heads; the fewer KV heads of grouped-query attention "
        "share heads of that same width",
        hint=f"{show(relation.items[0])} = {show(right.num)} / h",
        counterexample="Llama 2 70B: d_model = 8192, 64 query heads, 8 KV heads; its heads are 8192 / 64 = 128 wide, "
        "not 8192 / 8 = 1024",
        rung="symbolic",
    )


def heads_multiplied(relation: tree.Relation, context: str, document: Document) -> Decision | None:
    r"""`d_k = 768 \times 12`: a head's width worked out as the model's width times the number of heads (the count
    the text around it states, or the document's h) instead of divided by it: each head would be wider than the
    whole model."""
    if relation.ops[0] != "=" or len(relation.items) < 2 or spelling(relation.items[0]) not in HEAD_WIDTH_NAMES:
        return None
    numbers = [literal(factor) for op, factor in factors(relation.items[1]) if op in {"", "cdot", "times"}]
    heads = stated(context).heads or document.bindings.get("h")
    if len(numbers) != 2 or None in numbers or heads is None or heads not in numbers or 1 in numbers:
        return None
    width = int(numbers[1] if numbers[0] == heads else numbers[0])
    return Decision(
        Verdict.WRONG, "multihead.concat_projection",
        f"a head is d_model / h wide: multiplying by the {heads} heads makes each head {heads} times wider than the "
        "model",
        hint=f"{show(relation.items[0])} = {width} / {heads} = {Fraction(width, int(heads))}",
        counterexample=f"{width} x {heads} = {width * int(heads)} per head, against a model {width} wide; "
        f"the {heads} heads of {Fraction(width, int(heads))} concatenate back to {width}",
        rung="arithmetic",
    )


def sizes_in(node: tree.Node) -> set[str]:
    """The sizes a scalar formula names (d_k, d_model, h); "?" for any other name."""
    name = spelling(node)
    if name is not None:
        return {str(DIMENSIONS[name])} if name in DIMENSIONS else {"?"}
    children = [v for v in vars(node).values() if isinstance(v, tree.Node)]
    children += [i for v in vars(node).values() if isinstance(v, tuple) for i in v if isinstance(i, tree.Node)]
    return set().union(*(sizes_in(child) for child in children)) if children else set()


def head_size_hint(relation: tree.Relation) -> str:
    """d_k = d_model / h in the document's own symbols (p_v = p_o / h in d2l's)."""
    spelled = {str(DIMENSIONS[name]): node for item in relation.items for node in walk(item)
               if (name := spelling(node)) in DIMENSIONS}
    head = next((spelled[s] for s in ("d_k", "d_v", "d_head") if s in spelled), None)
    width, count = spelled.get("d_model"), spelled.get("h")
    if head is None or width is None or count is None:
        return r"d_k = d_v = d_{model} / h"
    return f"{show(head)} = {show(width)} / {show(count)}"


KV_NAMES = {
    "layers": ("L", "N_l", "n_l", "n_layers", "layers", "n_layer", "N_L", "l", "N", "num_layers", "num_hidden_layers"),
    "kv_heads": ("h_kv", "n_kv", "H_kv", "n_kv_heads", "kv_heads", "g", "G", "n_g", "h_{kv}", "n_kvh", "num_kv_heads",
                 "num_key_value_heads", "n_kv_head", "kv_heads"),
    "heads": ("h", "H", "n_h", "n_heads", "heads", "n_head", "h_q", "n_q", "num_heads", "num_attention_heads", "H_q",
              "N_q", "n_query_heads"),
    "head_dim": ("d_head", "d_h", "d_k", "head_dim", "d_hd", "d", "head_size", "d_kv", "dim_head"),
    "seq_len": ("n", "s", "T", "seq_len", "n_ctx", "S", "t", "seq", "n_seq", "n_tokens", "len", "seq_length",
                "context_length", "context", "tokens", "sequence_length"),
    "bytes_per_element": ("b", "bytes", "p", "B_p", "p_bytes", "n_bytes", "bytes_per_param", "precision", "P",
                          "bytes_per_element", "bytes_per_elem", "bytes_per_value", "n_bytes_per_param",
                          "precision_in_bytes", "sizeof(FP16)", "sizeof(fp16)", "sizeof(BF16)",
                          "sizeof(bf16)"),  # NVIDIA's blog: \text{sizeof(FP16)}
    "batch": ("B", "batch", "b_s", "bs", "n_b", "batch_size"),
    "d_model": ("d_model", "d_m", "D", "hidden_size"),  # hidden_size: the config.json field
}
MODEL_WIDTHS = set(KV_NAMES["d_model"])
HEAD_WIDTH_NAMES = set(KV_NAMES["head_dim"]) - {"d"}  # d alone may be the model's width


# a size labelled by its kind of attention, N_{\text{MHA}} (which the grammar reads as multihead) or N_{\text{GQA}}
LABELLED_ATTENTION = re.compile(r"\b(MHA|multihead|GQA|MQA)\b", re.I)


def kv_cache(relation: tree.Relation, context: str) -> Decision | None:
    """A KV-cache size formula: 2 (K and V) x layers x KV heads x head_dim x seq_len (x bytes, x batch)."""
    text = (context + " " + show(relation)).lower()
    if not ("cache" in text or "kv" in text) or relation.ops[0] not in {"=", "approx"} or \
            any(isinstance(n, tree.Sum) for n in walk(relation)):
        return None  # a sum over the steps of decoding is a cost, not the cache's size
    symbols = {name: sp.Symbol(canonical, positive=True) for canonical, spellings in KV_NAMES.items()
               for name in spellings}
    formula = next((as_bytes(item) for item in relation.items if has_product(item) and not ratio(item)), None)
    if formula is None or not any(isinstance(n, tree.Name) and n.name not in UNITS for n in walk(formula)):
        return None  # worked numbers: the arithmetic rung checks them
    symbols |= element_size(formula, symbols)
    try:
        stated = expression(formula, symbols)
    except Unknown:
        return None
    named = LABELLED_ATTENTION.search(show(relation.items[0]))  # N_{\text{MHA}}: the left side says which attention
    grouped = named.group(1).lower() in {"gqa", "mqa"} if named else \
        "gqa" in text or "grouped" in text or "kv head" in text or "key-value head" in text or "mqa" in text
    canonical = kv_cache_memory.KV_CACHE_BYTES
    names = {s.name: s for s in stated.free_symbols}
    if named and named.group(1).lower() == "mqa":
        canonical = canonical.subs(kv_cache_memory.kv_heads, 1)  # one KV head shared by every query head
    if "kv_heads" not in names and "heads" in names and not grouped:
        canonical = canonical.subs(kv_cache_memory.kv_heads, names["heads"])
    if "d_model" in names:
        canonical = canonical.subs(kv_cache_memory.kv_heads * kv_cache_memory.head_dim, names["d_model"])
        canonical = canonical.subs(kv_cache_memory.head_dim, names["d_model"] / kv_cache_memory.kv_heads)
    rename = {getattr(kv_cache_memory, k): names[k] for k in ("layers", "kv_heads", "seq_len", "head_dim",
                                                               "bytes_per_element", "batch") if k in names}
    canonical = canonical.subs(rename)
    per_layer = "layer" in show(relation.items[0]).lower() or re.search(r"\b(?:per|each|one|a single) layer\b", text)
    leavable = {"batch", "bytes_per_element", "seq_len"} | ({"layers"} if per_layer else set())
    optional = [s for s in canonical.free_symbols if s.name in leavable and s not in
                stated.free_symbols]  # per sequence, per element, per token (per layer, if it says so): left out
    canonical = canonical.subs({s: 1 for s in optional})
    if same(stated, canonical):
        return Decision(Verdict.OK, "kv_cache.memory", "two tensors (K and V) per layer, KV head, position and "
                        "head dimension", rung="symbolic")
    missing = sp.simplify(canonical / stated)
    return Decision(
        Verdict.WRONG, "kv_cache.memory",
        "the cache holds K and V (the factor 2) for every layer, KV head (not query head, under GQA), position "
        f"and head dimension; the formula is off by a factor {sp.latex(missing)}",
        hint=r"2 \cdot n_{layers} \cdot h_{kv} \cdot d_{head} \cdot n_{seq} \cdot \text{bytes}",
        counterexample=f"{sp.latex(stated)} against {sp.latex(canonical)} (proofs/kv_cache_memory.py)",
        rung="symbolic",
    )


def element_size(formula: tree.Node, symbols: dict[str, sp.Symbol]) -> dict[str, sp.Symbol]:
    """`2 B T n_layers n_kv d_head s`, `2 n_layers n_kv d_head L b B`: a second name for a size already named (T and
    s, both token counts; n_layers and L) stands for the first size the formula has not named yet, in the order
    people write them last: the tokens, the element size, the batch."""
    taken, named = set(), [name for _, factor in factors(formula) if (name := spelling(factor)) in symbols]
    missing = [role for role in ("seq_len", "bytes_per_element", "batch")
               if not any(symbols[name].name == role for name in named)]
    renamed = {}
    for name in named:
        if symbols[name] in taken and missing:
            renamed[name] = sp.Symbol(missing.pop(0), positive=True)
        taken.add(symbols[name])
    return renamed


def as_bytes(node: tree.Node) -> tree.Node:
    r"""`... \times 2 \text{ bytes}` in a size formula: the 2 is the bytes per element, one factor named bytes; after
    a factor that is the element size already, a last word bytes is only the unit."""
    pieces = factors(node)
    kept: list[tuple[str, tree.Node]] = []
    for op, factor in pieces:
        if factor in BYTE_UNITS and op == "" and kept and isinstance(kept[-1][1], tree.Num):
            kept[-1] = (kept[-1][0], tree.Name("bytes"))
        else:
            kept.append((op, factor))
    sized = any(spelling(factor) in KV_NAMES["bytes_per_element"] for _, factor in kept[:-1])
    if len(kept) > 1 and kept[-1][1] in WORD_UNITS and sized:
        kept.pop()  # 2 n_l B L n_kv d_h b \ \text{bytes}: b is the element size, the word its unit
    result = kept[0][1]
    for op, factor in kept[1:]:
        result = tree.Mul(result, factor, op)
    return result


BYTE_UNITS = {tree.Name("bytes"), tree.Name("B"), tree.Name("byte")}
WORD_UNITS = BYTE_UNITS - {tree.Name("B")}  # B alone is as often the batch


def has_product(node: tree.Node) -> bool:
    return any(isinstance(n, tree.Mul) for n in walk(node))


def ratio(node: tree.Node) -> bool:
    """`\frac{2 L h d_h}{2 L d_h}`: two cache sizes compared, not one size."""
    return isinstance(node, tree.Div) and has_product(node.num) and has_product(node.den)


ORDER = {"lt": float.__lt__, "le": float.__le__, "gt": float.__gt__, "ge": float.__ge__}
UNITS = {"B": 1, "bytes": 1, "KB": 10**3, "MB": 10**6, "GB": 10**9, "TB": 10**12, "KiB": 2**10, "MiB": 2**20,
         "GiB": 2**30, "TiB": 2**40, "K": 10**3, "M": 10**6, "G": 10**9}
BINARY = {"KB": 2**10, "MB": 2**20, "GB": 2**30, "TB": 2**40}  # GB is often written for GiB


def arithmetic(relation: tree.Relation, document: Document, claim: str | None, context: str = "") -> Decision | None:
    r"""Worked numbers: every side a number (after the document's stated values), equal to the digits shown. A
    last side without the unit the others have takes the unit the prose writes right after the formula
    (`$4.5\ \text{MB} \times 2048 \approx 9.2$ GB`)."""
    relation = unit_after(relation, context)
    values = [number(item, document) for item in relation.items]
    if any(value is None for value in values):
        return None
    units = [unit_of(item) for item in relation.items]
    if None in units:  # 384 / 8 = 48 MiB: the unit may be both sides'
        values = [(readings + [reading / UNITS[unit] for reading in readings] if unit else readings, slack)
                  for unit, (readings, slack) in zip(units, values, strict=True)]
    for position, (op, (a, a_tol), (b, b_tol)) in enumerate(zip(relation.ops, values, values[1:], strict=False)):
        if op in ORDER:
            if not ORDER[op](a[0], b[0]):
                turned = {"lt": ">", "le": ">", "gt": "<", "ge": "<"}[op]
                return Decision(Verdict.WRONG, claim, f"the comparison does not hold: {a[0]:.4g} against {b[0]:.4g}",
                                hint=f"{a[0]:.4g} {turned} {b[0]:.4g}", counterexample=f"{a[0]:.10g} vs {b[0]:.10g}",
                                rung="arithmetic")
            continue
        if op not in {"=", "approx"}:
            return None
        slack = 0.005 if op == "approx" else 0.0  # each side may be off by half a unit of its own last digit
        if not any(abs(x - y) <= a_tol * abs(x) + b_tol * abs(y) + slack * max(abs(x), abs(y)) + 1e-12
                   for x in a for y in b):
            left, right = relation.items[position], relation.items[position + 1]
            return Decision(Verdict.WRONG, claim, "the arithmetic does not hold",
                            hint=f"{show(left)} = {in_unit_of(a[0], right)}",
                            counterexample=f"{a[0]:.10g} is not {b[0]:.10g}", rung="arithmetic")
    return Decision(Verdict.OK, claim, "the arithmetic holds", rung="arithmetic")


TRAILING_UNIT = re.compile(r"\[formula\]\s*(" + "|".join(sorted((u for u in UNITS if len(u) > 1 or u == "B"),
                                                                 key=len, reverse=True)) + r")\b")


def unit_after(relation: tree.Relation, context: str) -> tree.Relation:
    """The relation with its last side in the unit written after the formula, where that side has none
    (`$163{,}840 \times 32{,}768 = 5$ GiB`)."""
    unit = TRAILING_UNIT.search(context)
    if unit is None or unit_of(relation.items[-1]) is not None:
        return relation
    last = tree.Mul(relation.items[-1], tree.Name(unit.group(1)), "")
    return tree.Relation((*relation.items[:-1], last), relation.ops)


def unit_of(node: tree.Node) -> str | None:
    """The (first) unit a side is written in: MiB for 48 MiB; None for a bare number."""
    return next((n.name for n in walk(node) if isinstance(n, tree.Name) and n.name in UNITS), None)


def in_unit_of(value: float, node: tree.Node) -> str:
    r"""The value written in the unit the other side uses: 3.125\ \text{GiB} rather than 3355443200."""
    unit = unit_of(node)
    return f"{value:.10g}" if unit is None else rf"{value / UNITS[unit]:.4g}\ \text{{{unit}}}"


def number(node: tree.Node, document: Document) -> tuple[list[float], float] | None:
    """The side's possible values (GB read as 10^9 or 2^30) and the relative rounding its digits allow; a side
    of numbers, or a size the document has stated (d_k, after d_k = 512 / 8 = 64)."""
    if not any(isinstance(n, tree.Num) for n in walk(node)) and spelling(node) not in DIMENSIONS:
        return None
    units = [n for n in walk(node) if isinstance(n, tree.Name) and n.name in UNITS]
    known = {name: sp.Rational(v.numerator, v.denominator) for name, v in document.bindings.items()}
    known |= {spelled: known[str(size)] for spelled, size in DIMENSIONS.items() if str(size) in known}
    known |= {unit.name: sp.Integer(UNITS[unit.name]) for unit in units}
    try:
        exact = expression(node, known.get)
    except Unknown:
        return None
    readings = [float(exact)] + [float(exact) / UNITS[u.name] * BINARY[u.name] for u in units if u.name in BINARY]
    return readings, rounding(node)


def rounding(node: tree.Node) -> float:
    """Relative half-unit in the last written digit of a quantity like 2.1 GB (0 when it is a product)."""
    literal = node.left if isinstance(node, tree.Mul) else node
    if not isinstance(literal, tree.Num):
        return 0.0
    decimals = len(literal.text.split(".")[1]) if "." in literal.text else 0
    return 0.5 * 10.0**-decimals / max(float(literal.text), 1e-300)



WORKED_COUNT_OPS = 60  # the operations in both sides of a step of a worked count, 3rk^2 + rk^2 = 4rk^2, at most


def algebra(relation: tree.Relation, claim: str | None) -> Decision | None:
    """3rk^2 + rk^2 = 4rk^2: two polynomials in the same sizes, a step of a worked count, compared exactly."""
    if relation.ops != ("=",) or not any(isinstance(n, tree.Num | tree.Add) for n in walk(relation)):
        return None
    try:
        left, right = (expression(item, lambda name: sp.Symbol(name, positive=True)) for item in relation.items)
    except Unknown:
        return None
    if not left.free_symbols or left.free_symbols != right.free_symbols:
        return None  # n = 2k defines n; only a rewriting of the same sizes is checked
    if sp.count_ops(left) + sp.count_ops(right) > WORKED_COUNT_OPS:
        return None  # a sum over 96 heads written out is no step of a worked count, and SymPy would stall on it
    if same(left, right):
        return Decision(Verdict.OK, claim, "the algebra holds", rung="symbolic")
    return Decision(Verdict.WRONG, claim, "the two sides are not equal as polynomials",
                    hint=f"{show(relation.items[0])} = {sp.latex(sp.expand(left))}",
                    counterexample=f"{sp.latex(sp.expand(left))} is not {sp.latex(sp.expand(right))}", rung="symbolic")


SCALE_NAMES = {"scale", "sm_scale", "softmax_scale", "scaling", "scale_factor", "tau"}
SCALE_WIDTHS = {name: symbol("d_model") for name in SIZES["d_model"]} \
    | {name: D_K for name in (*SIZES["d_k"], *SIZES["d_head"], "E", "d")} \
    | {name: symbol("h") for name in SIZES["h"]}  # d alone: the width the scale is of, a head's


def scale(relation: tree.Relation) -> Decision | None:
    r"""`\text{scale} = 1/\sqrt{E}`, `\texttt{sm\_scale} = 1/\sqrt{d_{model}}`: the factor the scores are scaled by is
    1/sqrt(d_k), the width of one head's queries and keys."""
    if relation.ops[0] != "=" or spelling(relation.items[0]) not in SCALE_NAMES:
        return None
    try:
        stated = expression(relation.items[1], SCALE_WIDTHS)
    except Unknown:
        return None
    if not stated.free_symbols:
        return None  # scale = 0.125: a value, which only the document's d_k could check
    stated = stated.subs(symbol("d_model"), symbol("h") * D_K)  # the model's width is the heads' widths together
    if same(stated, 1 / sp.sqrt(D_K)):
        return Decision(Verdict.OK, "attention.definition", "the scores are scaled by 1/sqrt(d_k)", rung="symbolic")
    return Decision(Verdict.WRONG, "attention.definition",
                    f"the scores are scaled by 1/sqrt(d_k), the width of one head's queries and keys, not "
                    f"{show(relation.items[1])}", hint=f"{show(relation.items[0])} = 1/\\sqrt{{d_k}}",
                    counterexample=f"with d_k = 64 and 8 heads (d_model = 512): 1/sqrt(d_k) = 0.125, but "
                    f"{show(relation.items[1])} = {float(stated.subs({D_K: 64, symbol('h'): 8})):.4g}",
                    rung="symbolic")


def chain_bindings(relation: tree.Relation) -> dict[str, Fraction]:
    """`d_k = d_v = 512 / 8 = 64`, found right: every size it names has the value it ends in."""
    last = relation.items[-1]
    if len(relation.items) < 3 or any(op != "=" for op in relation.ops) or not isinstance(last, tree.Num):
        return {}
    return {str(DIMENSIONS[name]): Fraction(last.text) for item in relation.items[:-1]
            if (name := spelling(item)) in DIMENSIONS}


def binding(relation: tree.Relation) -> tuple[str, Fraction] | None:
    """`d_{model} = 512` states a value the document's later worked numbers may use."""
    if relation.ops != ("=",) or not isinstance(relation.items[1], tree.Num):
        return None
    name = spelling(relation.items[0])
    if name is None or name not in DIMENSIONS:
        return None
    return str(DIMENSIONS[name]), Fraction(relation.items[1].text)


SAID_VALUE = re.compile(r"\[formula\]\s+(?:of|is|equal to)\s+(\d+)\b(?!\s*(?:%|percent|times|bytes?|gb|mb))")


MODEL_WIDTH_SAID = re.compile(r"\b(\d+)-dim(?:ensional)?\s+(?:model|embeddings?|token\s+vectors?)\b"
                              r"|\bmodel\s+(?:width|dimension)\s+of\s+(\d+)\b")


def said_width(prose: str) -> Fraction | None:
    """"with a 4-dimensional model at position 1", "for a model width of 4": the model's width, said in words."""
    match = MODEL_WIDTH_SAID.search(prose.lower())
    return Fraction(match.group(1) or match.group(2)) if match else None


def said_binding(node: tree.Node, context: str) -> tuple[str, Fraction] | None:
    """"Take a toy $d_{model}$ of 4": a size named in math whose value the prose gives right after it, bound as
    `d_{model} = 4` would be."""
    match = SAID_VALUE.search(context.lower())
    return binding(tree.Relation((node, tree.Num(match.group(1))), ("=",))) if match else None

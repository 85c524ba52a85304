r"""The symbolic rung: a scalar formula as a SymPy expression, built node by node from the parsed tree.

Document text never reaches `sympify` or `parse_expr`: numbers become `Rational` through
`fractions.Fraction`, names become `Symbol`s through a table of spellings (d_{model}, d_k, n, h, ...),
and every operator is a SymPy constructor. What the table does not know raises Unknown.

Example:
    >>> from attnproof.check.parse import parse
    >>> expression(parse(r"\frac{d_{model}}{h}"), DIMENSIONS)
    d_model/h
    >>> sorted(monomials(expression(parse(r"n^2 \cdot d + 4 n d^2"), COMPLEXITY)), key=str)
    [d**2*n, d*n**2]
"""

from collections.abc import Callable
from fractions import Fraction

import sympy as sp

from attnproof.check import tree
from attnproof.check.evaluate import Unknown
from attnproof.check.show import show

POSITIVE = {"positive": True}


def symbol(name: str) -> sp.Symbol:
    return sp.Symbol(name, **POSITIVE)


# Spellings of each size, per context. A key is the base name plus its labels, as in evaluate.key.
SIZES = {
    "n": ("n", "N", "T", "L", "n_seq", "seq", "n_tokens", "l", "s", "S", "t", "n_ctx", "seq_len",
          "sequence_length", "n_keys", "n_queries"),  # n_ctx: Kaplan et al.'s; seq_len: code's
    "d_model": ("d_model", "d", "D", "d_m", "D_m", "d_emb", "d_e", "d_x", "d_hidden", "H_dim", "n_embd", "p_o", "C",
                "d_out", "d_in", "d_attn", "d_attention", "hidden_size"),  # d_attn: Kaplan et al.'s (\text{attn} reads
    # as attention); hidden_size: the config.json field
    "d_k": ("d_k", "d_q", "d_qk", "d_key", "d_keys", "d_queries", "p_q", "p_k", "D_k", "D_q", "d'", "D_qk", "D_K",
            "D_Q", "key_size"),  # d': the NYU course's key width; D_qk: Fleuret's D^{QK}; d_keys: Geron's; D_K: ETH's;
    # key_size: Haiku's
    "d_v": ("d_v", "d_value", "d_values", "p_v", "M", "D_v", "D_V"),
    "d_head": ("d_head", "d_h", "head_dim", "d_hd", "head_size", "hs"),
    "h": ("h", "H", "n_h", "n_heads", "heads", "n_head", "h_q", "n_q", "num_heads", "num_attention_heads"),
    "w": ("w", "W", "r", "k_w", "w_size"),
    "b": ("b", "B", "batch"),
}
SPELLINGS = frozenset(spelling for spellings in SIZES.values() for spelling in spellings)  # every size's every name
DIMENSIONS = {spelling: symbol(size) for size, spellings in SIZES.items() for spelling in spellings
              if spelling not in {"l", "s", "S", "t", "T", "L", "W", "b", "B", "r", "M", "C"}}
# For big-O, every length is one n and every width one d (Vaswani et al., Table 1), except that a head's width
# stays d_head until costs.big_o knows whether heads multiply it (h d_head is the model's width d).
COMPLEXITY = {spelling: symbol({"d_model": "d", "d_k": "d_head", "d_v": "d_head"}.get(size, size))
              for size, spellings in SIZES.items() for spelling in spellings} | {
    "F": symbol("d"), "k": symbol("d"), "T_x": symbol("n"), "T_y": symbol("n")}  # O(t^2 k): Bloem's k is the width


def spelling(node: tree.Node) -> str | None:
    """d_{model} -> 'd_model', n_{heads} -> 'n_heads', h -> 'h'; None for anything else."""
    if isinstance(node, tree.Name):
        return node.name.replace(" ", "_")  # \text{bytes per element}
    if isinstance(node, tree.Script) and isinstance(node.base, tree.Name) and node.sup is None and len(node.sub) == 1:
        label = node.sub[0]
        if isinstance(label, tree.Name):
            return f"{node.base.name}_{label.name}".replace(" ", "_")  # n_{\text{kv heads}}
        if isinstance(label, tree.Num):
            return None
        pair = (label.left, label.right) if isinstance(label, tree.Mul) and label.op == "" else ()
        if pair and all(isinstance(p, tree.Name) for p in pair):
            return f"{node.base.name}_{label.left.name}{label.right.name}"
    return None


SCALAR_FUNCTIONS = {"sin": sp.sin, "cos": sp.cos, "exp": sp.exp, "floor": sp.floor, "ceil": sp.ceiling}


def expression(node: tree.Node, names: dict[str, sp.Expr] | Callable[[str], sp.Expr | None],
               calls: Callable[[tree.Call], sp.Expr | None] = lambda call: None) -> sp.Expr:
    """The SymPy expression of a scalar formula whose names are all in `names` (`calls` may give meaning to
    functions, as variance.moment does to Var and E)."""
    lookup = names.get if isinstance(names, dict) else names

    def inner(child: tree.Node) -> sp.Expr:
        return expression(child, names, calls)

    if isinstance(node, tree.Call) and (value := calls(node)) is not None:
        return value
    match node:
        case tree.Num(text):
            fraction = Fraction(text)
            return sp.Rational(fraction.numerator, fraction.denominator)
        case tree.Name() | tree.Script() if (name := spelling(node)) is not None and lookup(name) is not None:
            return lookup(name)
        case tree.Name("e"):
            return sp.E  # e^{2} / (e^2 + e + 1)
        case tree.Script(base, sub, sup) if sup is not None:
            return sp.Pow(inner(tree.Script(base, sub, None) if sub else base), inner(sup))
        case tree.Neg(arg):
            return -inner(arg)
        case tree.Add(left, right):
            return inner(left) + inner(right)
        case tree.Sub(left, right):
            return inner(left) - inner(right)
        case tree.Mul(left, right, _):
            return inner(left) * inner(right)
        case tree.Div(num, den):
            return inner(num) / inner(den)
        case tree.Sqrt(arg, None):
            return sp.sqrt(inner(arg))
        case tree.Group((item,), "("):
            return inner(item)
        case tree.Call("log", (arg,), (), None):
            return sp.log(inner(arg))
        case tree.Call("sin" | "cos" | "exp" | "floor" | "ceil" as name, (arg,), (), None):
            return SCALAR_FUNCTIONS[name](inner(arg))
        case tree.Sum((tree.Relation((tree.Name(variable), start), ("=",)),), stop, body) if stop is not None:
            index = sp.Symbol(variable, integer=True)
            term = expression(body, lambda name: index if name == variable else lookup(name), calls)
            return sp.summation(term, (index, inner(start), inner(stop)))
        case tree.Call("max", args, (), None) if len(args) > 1:
            return sp.Max(*[inner(arg) for arg in args])
    raise Unknown(f"no scalar meaning for {show(node)}")


def monomials(expr: sp.Expr) -> set[sp.Expr]:
    """The terms of an expanded polynomial with their constant factors dropped: what big-O keeps."""
    terms = sp.Add.make_args(sp.expand(expr))
    return {sp.Mul(*[f for f in sp.Mul.make_args(term) if not f.is_number]) for term in terms}


def same(a: sp.Expr, b: sp.Expr) -> bool:
    """Exact equality of two scalar expressions (positive symbols), decided by SymPy."""
    return sp.simplify(a - b) == 0

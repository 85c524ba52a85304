r"""Var(q . k) = d_k: moments of (scaled) dot products, decided by the derivation (the statistical rung).

Var(c q.k) = c^2 d_k sigma^4 and E[q.k] = 0, from proofs/variance.py, for q and k with independent mean-0
entries; a chain of steps between single entries' moments must agree. A seeded Monte Carlo sample at
d_k = 64 is quoted as the counterexample; the verdict itself is symbolic.

Example:
    >>> from attnproof.check.parse import parse
    >>> variance(parse(r"\mathrm{Var}(q \cdot k) = d_k^2")).verdict.value
    'wrong'
    >>> variance(parse(r"\mathrm{Var}\left(\frac{q^\top k}{\sqrt{d_k}}\right) = 1")).verdict.value
    'ok'
"""

import numpy as np
import sympy as sp

from attnproof.check import tree
from attnproof.check.decision import Decision
from attnproof.check.evaluate import Unknown
from attnproof.check.finding import Verdict
from attnproof.check.show import show
from attnproof.check.symbolic import DIMENSIONS, expression, same, symbol
from attnproof.check.tree import walk
from proofs import variance as variance_proof

CLAIM = "scaling.variance"

D_K = symbol("d_k")
DOT_VARIANCE = variance_proof.d_k.subs(variance_proof.d_k, D_K)  # the derivation's result: Var(q . k) = d_k
MONTE_CARLO = (64, 20_000, 0)  # d_k, draws, seed for the quoted sample (an illustration: the verdict is symbolic)


SIGMA = symbol("sigma")  # the entries' standard deviation, when a formula names it (Var = d sigma^4)
SEPARATE = (symbol("sigma_q"), symbol("sigma_k"))  # q's and k's own, when a text tells them apart
WIDTHS = {**DIMENSIONS, **{name: D_K for name in ("d", "d_k", "d_head", "d_h", "head_size", "hs", "d_q", "D", "K",
                                                  "k")},  # Bloem writes k for the width: Var(q^T k) = k
          "sigma": SIGMA, "s": SIGMA,  # s, the entries' standard deviation
          "sigma_q": SEPARATE[0], "sigma_k": SEPARATE[1]}


def variance(relation: tree.Relation) -> Decision | None:
    """Var, E or std of a (scaled) dot product of independent unit-variance vectors, in a chain of equalities:
    Var(q . k) = sum_i Var(q_i k_i) = d_k."""
    calls = [c for c in walk(relation) if isinstance(c, tree.Call) and c.name in MOMENTS]
    if not calls or any(op not in {"=", "approx"} for op in relation.ops):
        return None
    items = [item for item in relation.items if not all(isinstance(n, tree.Num | tree.Div | tree.Mul | tree.Sqrt)
                                                        for n in walk(item) if not isinstance(n, tree.Num))]
    relation = tree.Relation(tuple(items), relation.ops[:len(items) - 1]) if len(items) > 1 else relation
    try:
        values = [moment(item) for item in relation.items]  # std(q . k) = \sqrt{D} = 8: the 8 is D's value
    except Unknown as unknown:
        return Decision(Verdict.UNRECOGNISED, CLAIM, f"cannot read: {unknown}")
    call = next((item for item in relation.items if item in calls and len(item.args) == 1 and
                 one_entry(item.args[0]) is None), None)  # Var(q . k) = ...: the moment the chain works out
    unit = not {tree.Name("sigma"), tree.Name("s")} & set(walk(relation))  # unit variance unless it names sigma
    if unit:
        values = [v.subs(SIGMA, 1) for v in values]
    if call is None:  # \sum_l E[q_l^2] E[k_l^2] = d_k: a later step of a derivation, its sides must agree
        return steps_agree(relation, values)
    truth = moment(call).subs(SIGMA, 1) if unit else moment(call)
    if own_deviations(relation):  # Var(q . k) = d_k sigma_q^2 sigma_k^2: q's and k's own deviations
        both = sp.sqrt(SEPARATE[0] * SEPARATE[1])  # sigma^4 is sigma_q^2 sigma_k^2
        truth, values = truth.subs(SIGMA, both), [v.subs(SIGMA, both) for v in values]
    for item, value in zip(relation.items, values, strict=True):
        if not same(value, truth):
            stated = show(item) if show(item) == sp.latex(value) else f"{show(item)} = {sp.latex(value)}"
            return Decision(
                Verdict.WRONG, CLAIM,
                f"for q, k with independent mean-0 entries{UNIT if not truth.has(SIGMA, *SEPARATE) else ''} the "
                f"derivation gives {show(call)} = "
                f"{sp.latex(truth)}, not {stated}",
                hint=f"{show(call)} = {sp.latex(truth)}", counterexample=sample(call, value), rung="statistical",
            )
    return Decision(Verdict.OK, CLAIM, f"the derivation gives {show(call)} = {sp.latex(truth)}",
                    rung="statistical")


UNIT = " of variance 1"


def own_deviations(relation: tree.Relation) -> bool:
    """Does the formula give q and k deviations of their own (sigma_q, sigma_k)?"""
    own = {(tree.Name("q"),), (tree.Name("k"),)}
    return any(isinstance(n, tree.Script) and n.base == tree.Name("sigma") and n.sub in own for n in walk(relation))


def steps_agree(relation: tree.Relation, values: list[sp.Expr]) -> Decision:
    """A step between moments of single entries: both sides are worked out from the entries' moments."""
    first = relation.items[0]
    for item, value in zip(relation.items[1:], values[1:], strict=True):
        if not same(value, values[0]):
            return Decision(Verdict.WRONG, CLAIM,
                            f"with entries of mean 0 and variance 1, {show(first)} = {sp.latex(values[0])}, "
                            f"not {sp.latex(value)}", hint=f"{show(first)} = {sp.latex(values[0])}",
                            counterexample=f"E[q_i^2] = E[k_i^2] = 1, so {show(first)} is {sp.latex(values[0])}; "
                            f"{show(item)} is {sp.latex(value)}", rung="symbolic")
    return Decision(Verdict.OK, CLAIM, f"with entries of mean 0 and variance 1 both sides are "
                    f"{sp.latex(values[0])}", rung="symbolic")


MOMENTS = {"Var", "E", "std", "sd"}


def moment(node: tree.Node) -> sp.Expr:
    """The value of an expression with Var, E and std of scaled dot products in it, from the derivation."""
    return expression(node, WIDTHS, calls=moment_of)


def moment_of(call: tree.Call) -> sp.Expr | None:
    if call.name not in MOMENTS or len(call.args) != 1:
        return None
    entry = one_entry(call.args[0])
    if entry is not None:  # E[q_i^2] = Var(q_i) = sigma^2, E[q_i] = 0: one entry's moments
        power = entry
        return {("E", 2): SIGMA**2, ("E", 1): sp.Integer(0), ("Var", 1): SIGMA**2, ("std", 1): SIGMA}.get(
            (call.name, power)) if (call.name, power) in {("E", 2), ("E", 1), ("Var", 1), ("std", 1)} else None
    factor, kind = scaled_dot(call.args[0])
    if factor is None:
        raise Unknown(f"{show(call)} is not of a scaled dot product of q and k")
    variance_value = factor**2 * (DOT_VARIANCE if kind == "dot" else sp.Integer(1)) * SIGMA**4
    return {"Var": variance_value, "E": sp.Integer(0), "std": sp.sqrt(variance_value),
            "sd": sp.sqrt(variance_value)}[call.name]


def one_entry(node: tree.Node) -> int | None:
    """q_i -> 1, k_i^2 -> 2: the power of one entry of q or k, or None for anything else."""
    if isinstance(node, tree.Group) and len(node.items) == 1:
        return one_entry(node.items[0])
    if is_entry(node, "q") or is_entry(node, "k"):
        return 1 if node.sup is None else 2 if node.sup == tree.Num("2") else None
    if isinstance(node, tree.Script) and node.sup == tree.Num("2") and node.sub == () and \
            (is_entry(node.base, "q") or is_entry(node.base, "k")):
        return 2
    return None


def scaled_dot(node: tree.Node) -> tuple[sp.Expr | None, str | None]:
    """c * (q . k) -> (c, "dot"); q_i k_i -> (1, "term"); anything else -> (None, None)."""
    match node:
        case tree.Div(num, den):
            factor, kind = scaled_dot(num)
            return (factor / expression(den, WIDTHS), kind) if factor is not None else (None, None)
        case tree.Mul(left, tree.Transpose(right), _) if is_token(left, "q") and is_token(right, "k"):
            return sp.Integer(1), "dot"  # q_i k_j^T: two tokens' row vectors
        case tree.Mul(left, right, "") if is_entry(left, "q") and is_entry(right, "k"):
            return sp.Integer(1), "term"  # q_t k_t: side by side with no transpose, two entries
        case tree.Mul(left, right, _) if is_entry(left, "q") and is_entry(right, "k") and left.sub != right.sub:
            return sp.Integer(1), "dot"  # q_i \cdot k_j: query i and key j, two tokens' vectors
        case tree.Mul(left, right, _) if is_vector(left, "q") and is_key(right) or \
                is_key(left) and is_vector(right, "q"):
            return sp.Integer(1), "dot"  # q^T k, or k^T q, or NNDL's x^T q (its keys are the inputs x)
        case tree.Mul(left, right, _) if is_entry(left, "q") and is_entry(right, "k"):
            return sp.Integer(1), "term"
        case tree.Mul(left, right, _) if scaled_dot(right)[0] is not None:
            factor, kind = scaled_dot(right)
            return expression(left, WIDTHS) * factor, kind
        case tree.Mul(left, right, _) if scaled_dot(left)[0] is not None:
            factor, kind = scaled_dot(left)
            return expression(right, WIDTHS) * factor, kind
        case tree.Inner(left, right) if is_vector(left, "q") and is_vector(right, "k"):
            return sp.Integer(1), "dot"
        case tree.Sum(_, _, body) if scaled_dot(body)[1] == "term":
            return scaled_dot(body)[0], "dot"
        case tree.Group((item,), _):
            return scaled_dot(item)
    return None, None


def is_vector(node: tree.Node, letter: str) -> bool:
    """q, q_n, q_i^T: the vector (q_i alone, as in q_i k_i, is an entry)."""
    transposed = isinstance(node, tree.Transpose)
    node = node.arg if transposed else node
    return node == tree.Name(letter) or (isinstance(node, tree.Script) and node.base == tree.Name(letter) and (
        transposed or not any(isinstance(s, tree.Name) and s.name == "i" for s in node.sub)))


def is_key(node: tree.Node) -> bool:
    """k, or x where a text dots the query with the inputs themselves (Qiu's NNDL: s(x, q) = x^T q / sqrt(D))."""
    return is_vector(node, "k") or is_vector(node, "x")


def is_token(node: tree.Node, letter: str) -> bool:
    """q or q_i: the letter, alone or with one subscript (a token's vector when a transpose stands beside it)."""
    return node == tree.Name(letter) or is_entry(node, letter)


def is_entry(node: tree.Node, letter: str) -> bool:
    return isinstance(node, tree.Script) and node.base == tree.Name(letter) and len(node.sub) == 1


DEVIATIONS = {SIGMA: 2.0, SEPARATE[0]: 2.0, SEPARATE[1]: 3.0}  # the sample's, where a formula names them


def sample(call: tree.Call, stated: sp.Expr) -> str:
    """A seeded Monte Carlo estimate at d_k = 64 of the first moment the formula names, beside what it states;
    entries of deviation 2 (q) and 3 (k) where the formula names sigma_q and sigma_k, 2 where it names sigma."""
    width, draws, seed = MONTE_CARLO
    factor, kind = scaled_dot(call.args[0])
    sigma_q = DEVIATIONS[SEPARATE[0]] if stated.has(*SEPARATE) else DEVIATIONS[SIGMA] if stated.has(SIGMA) else 1.0
    sigma_k = DEVIATIONS[SEPARATE[1]] if stated.has(*SEPARATE) else sigma_q
    rng = np.random.default_rng(seed)
    q = sigma_q * rng.standard_normal((draws, width if kind == "dot" else 1))  # (draws, d_k)
    k = sigma_k * rng.standard_normal((draws, width if kind == "dot" else 1))  # (draws, d_k)
    values = float(factor.subs(D_K, width)) * np.sum(q * k, axis=-1)  # (draws,)
    estimate = {"Var": values.var(), "E": values.mean(), "std": values.std(), "sd": values.std()}[call.name]
    entries = "standard normal" if sigma_q == sigma_k == 1.0 else f"normal (deviations {sigma_q:g}, {sigma_k:g})"
    return (f"at d_k = {width}, {draws} seeded draws (seed {seed}) of {entries} q, k give "
            f"{call.name} = {estimate:.4g}; the formula says {sp.N(stated.subs(D_K, width).subs(DEVIATIONS), 6)}")

r"""Derivations as recorded steps, each checked by SymPy at the moment it is written down.

A proof in attnproof is not one opaque `simplify(a - b) == 0`: it is the chain a reader would
write on a whiteboard, every link confirmed by SymPy, so the report can print the chain and a
failing link names itself. Assumptions live on the symbols (`positive=True`, `integer=True`).

Example:
    >>> import sympy as sp
    >>> d_k = sp.Symbol("d_k", integer=True, positive=True)
    >>> i = sp.Symbol("i", integer=True)
    >>> proof = Derivation("the d_k unit-variance terms of q . k add up")
    >>> proof.assume("the terms q_i k_i are independent, each of variance 1")
    >>> proof.equal(sp.Sum(1, (i, 1, d_k)), d_k, "variances of independent terms add")
    d_k
    >>> [step.latex() for step in proof.steps]
    ['\\sum_{i=1}^{d_{k}} 1 = d_{k}']
    >>> try:
    ...     proof.equal(d_k, sp.Integer(1), "a wrong step")
    ... except ProofError as error:
    ...     print(error)
    step 2 (a wrong step): SymPy cannot confirm d_k = 1
"""

from collections.abc import Callable
from dataclasses import dataclass

import sympy as sp
from sympy.matrices.common import ShapeError

RELATIONS = {"==": "=", "<=": r"\le", ">=": r"\ge", "<": "<", ">": ">", "!=": r"\ne"}


class ProofError(AssertionError):
    """A step SymPy could not confirm: the derivation is wrong, or needs a finer step."""


@dataclass(frozen=True)
class Step:
    """One checked link of a derivation: `lhs relation rhs`, because `reason`."""

    lhs: object
    relation: str
    rhs: object
    reason: str

    def latex(self) -> str:
        """The step as LaTeX, printed by SymPy from the very expressions it checked."""
        return f"{_latex(self.lhs)} {self.relation} {_latex(self.rhs)}"


class Derivation:
    """An ordered list of checked steps, with the assumptions they rest on."""

    def __init__(self, title: str):
        self.title = title
        self.assumptions: list[str] = []
        self.steps: list[Step] = []

    def assume(self, statement: str) -> None:
        """Record an assumption in words (symbol assumptions are on the symbols themselves)."""
        self.assumptions.append(statement)

    def equal(self, lhs, rhs, reason: str):
        """Record lhs = rhs after SymPy confirms it; returns rhs so steps can be chained."""
        if not equivalent(lhs, rhs):
            self._fail(reason, f"{lhs} = {rhs}")
        self.steps.append(Step(lhs, "=", rhs, reason))
        return rhs

    def holds(self, relation: sp.Basic, reason: str) -> None:
        """Record a relation (an inequality, say) after SymPy reduces it to True."""
        if sp.simplify(relation) is not sp.true:
            self._fail(reason, str(relation))
        self.steps.append(Step(relation.lhs, RELATIONS[relation.rel_op], relation.rhs, reason))

    def shape(self, expr: sp.MatrixExpr, expected: tuple, reason: str) -> sp.MatrixExpr:
        """Record that a matrix expression has the expected (possibly symbolic) shape."""
        actual = tuple(sp.sympify(n, strict=True) for n in expr.shape)  # strict: never parses text
        if len(actual) != len(expected) or any(sp.simplify(a - e) != 0 for a, e in zip(actual, expected, strict=True)):
            self._fail(reason, f"shape of {expr} is {expected}")
        dimensions = r" \times ".join(sp.latex(n) for n in expected)
        space = rf"\mathbb{{R}}^{{{dimensions}}}"
        self.steps.append(Step(expr, r"\in", space, reason))
        return expr

    def rejects(self, build: Callable[[], sp.MatrixExpr], latex: str, reason: str) -> None:
        """Record that an expression does not type-check (SymPy raises ShapeError building it)."""
        try:
            build()
        except ShapeError:
            self.steps.append(Step(latex, r"\quad", r"\text{is ill-typed: the shapes do not match}", reason))
            return
        self._fail(reason, f"{latex} is ill-typed")

    def _fail(self, reason: str, what: str) -> None:
        raise ProofError(f"step {len(self.steps) + 1} ({reason}): SymPy cannot confirm {what}")


def over(numerator, denominator) -> sp.Mul:
    r"""numerator / denominator left unevaluated, so a recorded step shows what is divided by what.

    >>> n = sp.Symbol("n", positive=True)
    >>> print(sp.latex(over(4 * n**2, n)))
    \frac{4 n^{2}}{n}
    """
    return sp.Mul(numerator, sp.Pow(denominator, -1, evaluate=False), evaluate=False)


def equivalent(lhs, rhs) -> bool:
    """Whether SymPy can show lhs = rhs: scalars, explicit matrices or matrix expressions.

    Bound summation indices are renamed canonically first, so Sum(x_j, j) equals Sum(x_l, l).
    A sum of a KroneckerDelta, as a derivative of a sum leaves, is evaluated to the term it picks.
    Block matrices are multiplied out; explicit matrices are compared entry by entry; a side with
    an infinity (a mask's -oo) is compared as it is, since oo - oo has no value.

    >>> s = sp.Symbol("s", real=True)
    >>> equivalent(sp.exp(sp.Add(s, -sp.oo, evaluate=False), evaluate=False), 0)
    True
    >>> equivalent(sp.Piecewise((0, s <= 0), (-sp.oo, True)), -sp.oo)
    False

    Differentiating a sum by one of its terms keeps that term, where the index is in range:

    >>> j, l = sp.symbols("j l", integer=True, nonnegative=True)
    >>> n = sp.Symbol("n", integer=True, positive=True)
    >>> v = sp.IndexedBase("v", real=True)
    >>> equivalent(sp.Derivative(sp.Sum(v[l] ** 2, (l, 0, n)), v[j]), sp.Piecewise((2 * v[j], j <= n), (0, True)))
    True
    """
    if isinstance(lhs, sp.MatrixBase) or isinstance(rhs, sp.MatrixBase):
        lhs, rhs = sp.Matrix(lhs), sp.Matrix(rhs)
        return lhs.shape == rhs.shape and all(_vanishes(a - b) for a, b in zip(lhs, rhs, strict=True))
    if isinstance(lhs, sp.MatrixExpr) or isinstance(rhs, sp.MatrixExpr):
        difference = sp.block_collapse(lhs - rhs).doit()  # multiply out block matrices and products
        if isinstance(difference, sp.MatrixBase):  # a product of explicit matrices: compare entry by entry
            return all(_vanishes(entry) for entry in difference)
        difference = sp.simplify(difference.expand())
        return difference == 0 or isinstance(difference, sp.ZeroMatrix)
    lhs, rhs = sp.sympify(lhs, strict=True), sp.sympify(rhs, strict=True)  # strict: never parses text
    if lhs.has(sp.oo, -sp.oo) or rhs.has(sp.oo, -sp.oo):  # oo - oo is undefined: compare the sides themselves
        if sp.simplify(lhs.doit()) == sp.simplify(rhs.doit()):
            return True
    return _vanishes(lhs - rhs)


def _vanishes(difference: sp.Expr) -> bool:
    # First the cheap way: take the derivatives, multiply out and expand angle sums. That settles many steps
    # at once, e.g. the derivative of a long expression that does not contain the variable, or a rotation
    # identity that simplify would labour over. (Not doit(): it tries to sum symbolic sums in closed form.)
    derived = difference.replace(lambda e: isinstance(e, sp.Derivative), lambda e: e.doit())
    derived = derived.replace(_picks_one_term, lambda e: e.doit())
    if sp.expand(_canonical_indices(derived), trig=True) == 0:
        return True
    for _ in range(2):  # simplifying can expose sums that differ only in their index names
        difference = sp.simplify(_canonical_indices(difference))
        if difference == 0:
            return True
    return difference.equals(0) is True


def _picks_one_term(expr: sp.Basic) -> bool:
    """A sum of KroneckerDelta(j, l) f(l) over l, as differentiating sum_l f(l) by one of its terms leaves.

    It is f(j) where j lies in the range of l and 0 elsewhere (a Piecewise): only this kind of sum is
    evaluated, which is exact and cheap, unlike asking SymPy to sum an arbitrary symbolic sum.
    """
    return isinstance(expr, sp.Sum) and expr.function.has(sp.KroneckerDelta)


def _canonical_indices(expr: sp.Basic) -> sp.Basic:
    """Rename the bound variables of sums and products by nesting level (innermost first).

    The new name carries only what the limits say (an integer from an integer lower limit), not
    the old variable's own assumptions, so a sum SymPy wrote with a bare Dummy index, as in
    (A V)[i, c], matches the same sum written with an integer symbol.
    """

    def level(e: sp.Basic) -> int:
        inner = [level(a) for a in sp.preorder_traversal(e.function) if isinstance(a, (sp.Sum, sp.Product))]
        return 1 + max(inner, default=0)

    def rename(e: sp.Basic) -> sp.Basic:
        depth = level(e)
        renames = {
            var: sp.Symbol(f"i_{depth}{slot}", integer=True if low.is_integer else None)
            for slot, (var, low, _) in enumerate(e.limits)
        }
        return e.xreplace(renames)

    return expr.replace(lambda e: isinstance(e, (sp.Sum, sp.Product)), rename)


def _latex(expr) -> str:
    return expr if isinstance(expr, str) else sp.latex(expr)

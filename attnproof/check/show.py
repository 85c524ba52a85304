r"""Write a tree back as compact LaTeX, for messages: `QK` rather than the parse's nested nodes.

Example:
    >>> from attnproof.check.parse import parse
    >>> show(parse(r"\mathrm{softmax}\left(\frac{QK^\top}{\sqrt{d_k}}\right)V"))
    '\\mathrm{softmax}(\\frac{QK^\\top}{\\sqrt{d_k}})V'
"""

import re

from attnproof.check import tree
from attnproof.check.tokens import GREEK

OPS = {"": "", "cdot": r" \cdot ", "times": r" \times ", "odot": r" \odot ", "ast": " * ", "oplus": r" \oplus ",
       "/": " / "}
RELATIONS = {"=": " = ", "approx": r" \approx ", "in": r" \in ", "le": r" \le ", "lt": " < ", "ge": r" \ge ",
             "gt": " > ", "ne": r" \ne ", "propto": r" \propto ", "sim": r" \sim ", "to": r" \to "}
COMMAND_END = re.compile(r"\\[A-Za-z]+$")
GREEK_OR_WORD = 1  # names longer than one letter: Greek letters print as commands, words as \mathrm


def show(node: tree.Node) -> str:
    """Compact LaTeX for `node`."""
    match node:
        case tree.Num(text):
            return text
        case tree.Name(name):
            return name if len(name.rstrip("'")) <= GREEK_OR_WORD else word(name)
        case tree.Text(words):
            return rf"\text{{{words}}}"
        case tree.Script(base, sub, sup):
            text = show(base)
            if sub:
                text += "_" + braced(", ".join(show(s) for s in sub))
            if sup is not None:
                text += "^" + braced(show(sup))
            return text
        case tree.Transpose(arg):
            return atomic(arg) + r"^\top"
        case tree.Neg(arg):
            return "-" + atomic(arg)
        case tree.Add(left, right):
            return f"{show(left)} + {show(right)}"
        case tree.Sub(left, right):
            return f"{show(left)} - {atomic(right)}"
        case tree.Mul(left, right, op):
            text = atomic(left)
            joint = " " if not op and COMMAND_END.search(text) else OPS[op]  # q^\top k, not q^\topk
            return text + joint + atomic(right)
        case tree.Div(num, den):
            return rf"\frac{{{show(num)}}}{{{show(den)}}}"
        case tree.Sqrt(arg, None):
            return rf"\sqrt{{{show(arg)}}}"
        case tree.Sqrt(arg, index):
            return rf"\sqrt[{show(index)}]{{{show(arg)}}}"
        case tree.Call(name, args, sub, sup):
            text = function(name)
            if sub:
                text += "_" + braced(", ".join(show(s) for s in sub))
            if sup is not None:
                text += "^" + braced(show(sup))
            return text + "(" + ", ".join(show(a) for a in args) + ")"
        case tree.Sum(sub, sup, body):
            limits = ("_" + braced(", ".join(show(s) for s in sub)) if sub else "") + (
                "^" + braced(show(sup)) if sup is not None else "")
            return rf"\sum{limits} {show(body)}"
        case tree.Limit(variable, target, body):
            return rf"\lim_{{{show(variable)} \to {show(target)}}} {show(body)}"
        case tree.Inner(left, right):
            return rf"\langle {show(left)}, {show(right)} \rangle"
        case tree.Norm(arg):
            return rf"\|{show(arg)}\|"
        case tree.Group(items, bracket):
            close = {"(": ")", "[": "]", "{": "}"}[bracket]
            opening = r"\{" if bracket == "{" else bracket
            return opening + ", ".join(show(i) for i in items) + (r"\}" if bracket == "{" else close)
        case tree.Slice(start, stop):
            return f"{show(start)}:{show(stop)}"
        case tree.SetBuilder(variables, condition):
            return f"{show(variables)} : {show(condition)}"
        case tree.Dots():
            return r"\dots"
        case tree.Infinity():
            return r"\infty"
        case tree.Reals(dims):
            return r"\mathbb{R}^{" + r" \times ".join(show(d) for d in dims) + "}"
        case tree.Matrix(rows):
            body = r" \\ ".join(" & ".join(show(c) for c in row) for row in rows)
            return r"\begin{pmatrix}" + body + r"\end{pmatrix}"
        case tree.Cases(branches):
            body = r" \\ ".join(show(v) + " & " + " ".join(show(c) for c in cond) for v, cond in branches)
            return r"\begin{cases}" + body + r"\end{cases}"
        case tree.Relation(items, ops):
            text = show(items[0])
            for op, item in zip(ops, items[1:], strict=True):
                text += RELATIONS[op] + show(item)
            return text
        case tree.Statements(items):
            return r",\quad ".join(show(i) for i in items)
    raise TypeError(f"no LaTeX for {type(node).__name__}")


FUNCTION_LATEX = {"softmax": r"\mathrm{softmax}", "attention": r"\mathrm{Attention}",
                  "multihead": r"\mathrm{MultiHead}", "concat": r"\mathrm{Concat}", "exp": r"\exp", "sin": r"\sin",
                  "cos": r"\cos", "log": r"\log", "max": r"\max", "min": r"\min", "O": "O", "E": r"\mathbb{E}",
                  "Var": r"\mathrm{Var}"}


def word(name: str) -> str:
    return "\\" + name if name in GREEK else rf"\mathrm{{{name}}}"


def function(name: str) -> str:
    return FUNCTION_LATEX.get(name, rf"\mathrm{{{name}}}")


def braced(text: str) -> str:
    return text if len(text) == 1 else "{" + text + "}"


def atomic(node: tree.Node) -> str:
    text = show(node)
    return f"({text})" if isinstance(node, tree.Add | tree.Sub | tree.Neg) else text

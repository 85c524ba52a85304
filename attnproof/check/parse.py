r"""Parse one formula's LaTeX into a typed tree (attnproof/check/tree.py), or say what is not covered.

The grammar is grammar.lark (Earley); tokens come from tokens.py. Document text goes only through
this grammar: it is never evaluated, sympified or handed to `parse_expr`.

Example:
    >>> parse(r"\mathrm{Attention}(Q,K,V) = \mathrm{softmax}\left(\frac{QK^\top}{\sqrt{d_k}}\right)V").ops
    ('=',)
    >>> parse(r"Q = XW^Q, K = XW^K").items[1].items[1]
    Mul(left=Name(name='X'), right=Script(base=Name(name='W'), sub=(), sup=Name(name='K')), op='')
    >>> parse(r"\frac{1}{2} \wibble")
    Traceback (most recent call last):
    ...
    attnproof.check.errors.Unrecognised: unknown command \wibble
"""

import re
from functools import cache
from importlib import resources

from lark import Lark, Token, Transformer, v_args
from lark.exceptions import LarkError, UnexpectedInput, VisitError
from lark.lexer import Lexer

from attnproof.check import tree
from attnproof.check.errors import Unrecognised
from attnproof.check.tokens import tokenize

TRAILING = re.compile(r"(?:\\times|[.,;])\s*$")  # "= 4\times" (four times), a sentence's full stop
LONGEST = 2000  # characters; a longer formula is reported as too long rather than parsed


class FormulaLexer(Lexer):
    """Hands lark the tokens of tokens.tokenize."""

    def __init__(self, lexer_conf):
        pass

    def lex(self, data, parser_state=None):
        yield from tokenize(data)


@cache
def parser() -> Lark:
    grammar = resources.files("attnproof.check").joinpath("grammar.lark").read_text()
    return Lark(grammar, parser="earley", lexer=FormulaLexer, ambiguity="resolve")


def parse(latex: str) -> tree.Node:
    """The formula's tree: a Relation, a bare expression, or Statements when several are listed."""
    latex = TRAILING.sub("", latex.strip()).strip()
    if not latex:
        raise Unrecognised("empty formula")
    if len(latex) > LONGEST:
        raise Unrecognised(f"formula longer than {LONGEST} characters")
    try:
        parsed = parser().parse(latex)
    except UnexpectedInput as error:
        raise Unrecognised(unexpected(error, latex)) from None
    except LarkError as error:
        raise Unrecognised(str(error).splitlines()[0]) from None
    except RecursionError:
        raise Unrecognised("nested too deeply to read") from None
    try:
        return ToTree().transform(parsed)
    except RecursionError:
        raise Unrecognised("nested too deeply to read") from None
    except VisitError as error:  # lark wraps what a rule raised
        if isinstance(error.orig_exc, Unrecognised):
            raise error.orig_exc from None
        raise


def unexpected(error: UnexpectedInput, latex: str) -> str:
    token = getattr(error, "token", None)
    if isinstance(token, Token) and token.start_pos is not None:
        return f"cannot read {latex[token.start_pos:token.start_pos + 20]!r}"
    return "the formula ends too early"


CONDITIONS = {"if", "for", "when", "otherwise", "else", "whenever"}
QUANTIFIED = {"every", "all", "any", "each"}  # for every c: a statement for all c (or, with a condition, a case)
IMPLIES = {"so", "hence", "therefore", "thus"}  # \implies and \Longrightarrow read as "so"
SEPARATOR = object()  # what a run of commas, \quad and prose between statements becomes


@v_args(inline=True)
class ToTree(Transformer):
    """Builds tree nodes from the parse."""

    def start(self, *children):
        statements = tuple(c for c in children if c is not SEPARATOR)
        return statements[0] if len(statements) == 1 else tree.Statements(statements)

    def sep(self, *tokens):
        words = " ".join(str(t) for t in tokens if t.type == "TEXT").lower().split()
        if any(w in IMPLIES for w in words):
            return tree.Text("so")  # a \implies b: b is a conclusion under a
        if any(first == "for" and second in QUANTIFIED for first, second in zip(words, words[1:], strict=False)):
            return tree.Text("for all")  # a quantifier: "for every c in R", or a case, "for all j <= i"
        conditional = [w for w in words if w in CONDITIONS]
        return tree.Text(conditional[-1]) if conditional else SEPARATOR  # M_{ij} = 0 \text{ if } j \le i

    def relation(self, *children):
        items = tuple(c for c in children if not isinstance(c, Token))
        ops = tuple(str(c) for c in children if isinstance(c, Token))
        return tree.Relation(items, ops)

    def add(self, left, _, right):
        return tree.Add(left, right)

    def sub(self, left, _, right):
        return tree.Sub(left, right)

    def subscript(self, _, value):
        return ("sub", value)

    def neg(self, _, arg):
        return tree.Neg(arg)

    def expr(self, _, arg):  # unary plus
        return arg

    def product(self, *children):
        pieces = absorbed(applied(list(children)))
        result, op = pieces[0], ""
        for child in pieces[1:]:
            if isinstance(child, str) and not isinstance(child, tree.Node):
                op = child
                continue
            result = tree.Div(result, child) if op == "/" else tree.Mul(result, child, op)
            op = ""
        return result

    def mulop(self, token):
        return {"SLASH": "/"}.get(token.type, str(token))

    def product_sum(self, product, *rest):
        op, summation = (rest[0], rest[1]) if len(rest) == 2 else ("", rest[0])
        return tree.Div(product, summation) if op == "/" else tree.Mul(product, summation, op)

    def summation(self, _, *rest):
        scripts, body = rest[:-1], rest[-1]
        sub, sup = collect(scripts)
        return tree.Sum(sub, sup, body)

    def limit(self, _, *rest):
        r"""`\lim_{T \to 0^+} p(T)`: the variable, what it tends to (a side as the target's superscript), the body."""
        scripts, body = rest[:-1], rest[-1]
        sub, sup = collect(scripts)
        if sup is not None or len(sub) != 1 or not (isinstance(sub[0], tree.Relation) and sub[0].ops == ("to",)
                                                    and isinstance(sub[0].items[0], tree.Name)):
            raise Unrecognised("a limit without a variable tending to a value")
        return tree.Limit(sub[0].items[0], sub[0].items[1], body)

    def side(self, token):
        return ("sup", tree.Name(str(token)))  # 0^+: approached from above

    def braced_side(self, _, token, __):
        return self.side(token)

    def scripted(self, atom, *scripts):
        node = atom
        for kind, value in scripts:
            if kind == "prime" and isinstance(node, tree.Name):
                node = tree.Name(node.name + "'")
            elif kind == "sup" and isinstance(node, tree.Reals):
                node = tree.Reals(dimensions(value))
            elif kind == "sup" and is_transpose(value):
                node = tree.Transpose(node)
            elif kind == "sup" and value == CONJUGATE:
                node = tree.Call("conj", (node,))  # k^*: the complex conjugate
            elif kind == "label_top":  # W_Q^{h\top}: the label, then the transpose
                node = tree.Transpose(self.scripted(node, ("sup", value)))
            elif kind == "sub":
                if isinstance(node, tree.Script) and not node.sub:
                    node = tree.Script(node.base, items(value), node.sup)
                else:
                    node = tree.Script(node, items(value), None)
            elif kind == "sup":
                if isinstance(node, tree.Script) and node.sup is None:
                    node = tree.Script(node.base, node.sub, value)
                else:
                    node = tree.Script(node, (), value)
            else:
                node = tree.Script(node, (), tree.Name("'"))
        return node

    def superscript(self, _, value):
        return value if isinstance(value, tuple) else ("sup", value)

    def prime(self, _):
        return ("prime", None)

    def conjugate(self, *_):
        return CONJUGATE

    def prime_sup(self, _):
        return tree.Name("'")

    def top(self, _):
        return tree.Name("T")

    def braced_top(self, _, __, ___):
        return tree.Name("T")

    def braced_label_top(self, _, label, __, ___):
        return ("label_top", tree.Name(str(label)))

    def braced_index_top(self, _, __, index, ___, ____, _____):
        return ("label_top", tree.Group((tree.Name(str(index)) if index.type != "NUMBER" else tree.Num(str(index)),),
                                        "("))  # K^{(m)\top}: head m's keys, transposed

    def braced_prime(self, _, __, ___):
        return tree.Name("'")

    def name(self, token):
        return tree.Name(str(token))

    def num(self, token):
        return tree.Num(str(token))

    def infinity(self, _):
        return tree.Infinity()

    def dots(self, _):
        return tree.Dots()

    def brace(self, _, content, __):
        return content[0] if len(content) == 1 else tree.Group(content, "{")

    def empty(self, _, __):
        raise Unrecognised("empty braces")

    def items(self, *children):
        return tuple(c for c in children if not isinstance(c, Token))

    def slice(self, start, _, stop):
        return tree.Slice(start, stop)

    def such_that(self, variables, _, condition):
        return tree.SetBuilder(variables, condition)

    def paren(self, _, content, __):
        return tree.Group(content, "(")

    def bracket(self, _, content, __):
        return tree.Group(content, "[")

    def set(self, _, content, __):
        return tree.Group(content, "{")

    def frac(self, _, num, den):
        return tree.Div(num, den)

    def frac_digits(self, _, digits):
        if len(digits) != 2:
            raise Unrecognised(f"\\frac{digits}")
        return tree.Div(tree.Num(digits[0]), tree.Num(digits[1]))

    def sqrt(self, *children):
        nodes = [c for c in children if not isinstance(c, Token)]
        return tree.Sqrt(nodes[-1], nodes[0] if len(nodes) == 2 else None)

    def call(self, function, *rest):
        scripts = [r for r in rest if isinstance(r, tuple) and len(r) == 2 and isinstance(r[0], str)]
        args = next(r for r in rest if isinstance(r, tuple) and r not in scripts)
        sub, sup = collect(scripts)
        return tree.Call(str(function), args, sub, sup)

    def call_bare(self, function, *rest):
        sub, sup = collect(rest[:-1])
        return BareCall(str(function), (rest[-1],), sub, sup)

    def function_name(self, function, *scripts):
        sub, sup = collect(scripts)
        return tree.Call(str(function), (), sub, sup)

    def inner(self, _, content, __):
        if len(content) != 2:
            raise Unrecognised("an inner product needs two arguments")
        return tree.Inner(*content)

    def norm(self, _, arg, __):
        return tree.Norm(arg)

    def abs(self, _, arg, __):
        return tree.Norm(arg)

    def reals(self, _):
        return tree.Reals(())

    def matrix(self, _, rows, __):
        return tree.Matrix(rows)

    def rows(self, *children):
        return tuple(c for c in children if not isinstance(c, Token))

    def row(self, *children):
        return tuple(c for c in children if not isinstance(c, Token))

    def cases(self, _, branches, __):
        return tree.Cases(branches)

    def branches(self, *children):
        return tuple(c for c in children if not isinstance(c, Token))

    def branch(self, value, *condition):
        pieces = tuple(tree.Text(str(c)) if isinstance(c, Token) and c.type == "TEXT" else c for c in condition)
        return (value, tuple(p for p in pieces if not isinstance(p, Token)))


class BareCall(tree.Call):
    """A function written without parentheses (\\cos m\theta), until product() gives it its whole argument."""


def absorbed(pieces: list) -> list:
    r"""\cos m\theta is cos(m theta): a function without parentheses takes the factors juxtaposed after it,
    up to an operator or the next function."""
    result = []
    for piece in pieces:
        previous = result[-1] if result else None
        if isinstance(previous, BareCall) and isinstance(piece, tree.Node) and not isinstance(piece, tree.Call) and \
                not (previous.name == "conj" and isinstance(previous.args[0], tree.Group)):  # \overline{k}: its braces
            result[-1] = BareCall(previous.name, (tree.Mul(previous.args[0], piece, ""),), previous.sub, previous.sup)
        else:
            result.append(piece)
    return [tree.Call(p.name, p.args, p.sub, p.sup) if isinstance(p, BareCall) else p for p in result]


FUNCTION_LETTERS = {"phi", "varphi", "psi", "sigma", "f", "g"}  # phi(Q): a feature map, not phi times (Q)


def applied(pieces: list) -> list:
    """Join a name and the parenthesised group right after it into a call: phi(Q)^T phi(K) is two calls,
    not a left-to-right product. A name applied to several arguments (a(q, k_i)) is a call too."""
    joined = []
    for piece in pieces:
        previous = joined[-1] if joined else None
        group, wrap = unwrapped(piece)
        if isinstance(previous, tree.Name) and isinstance(group, tree.Group) and group.bracket in "([" and (
                previous.name in FUNCTION_LETTERS or len(group.items) > 1 or bracket_call(previous, group)
                or function_like(previous, group)):
            joined[-1] = wrap(tree.Call(previous.name, group.items))
        else:
            joined.append(piece)
    return joined


def function_like(name: tree.Name, group: tree.Group) -> bool:
    """f(x), s(f(x)): a lower-case letter before parentheses is a function, except the sizes and indices
    that multiply, as in n(n - 1)."""
    return group.bracket == "(" and len(name.name) == 1 and name.name.islower() and name.name not in SIZE_LETTERS


SIZE_LETTERS = set("ndhmwtijklcbpr")


def bracket_call(name: tree.Name, group: tree.Group) -> bool:
    """Q[X], Sa[X]: Prince's Understanding Deep Learning writes functions of a matrix with square brackets."""
    return group.bracket == "[" and (name.name in {"Q", "K", "V"} or len(name.name) > 1)


def unwrapped(node):
    """The group inside (Q)^T or (Q)_i, and how to put the call back in its place."""
    if isinstance(node, tree.Transpose) and isinstance(node.arg, tree.Group):
        return node.arg, tree.Transpose
    if isinstance(node, tree.Script) and isinstance(node.base, tree.Group):
        return node.base, lambda call: tree.Script(call, node.sub, node.sup)
    return node, lambda call: call


def collect(scripts) -> tuple[tuple[tree.Node, ...], tree.Node | None]:
    sub, sup = (), None
    for kind, value in scripts:
        if kind == "sub":
            sub = items(value)
        elif kind == "sup":
            sup = value
    return sub, sup


def items(value) -> tuple[tree.Node, ...]:
    """A subscript's items; a function word alone in it is a label (d_{attn}, W_{mha}), not a call."""
    found = value.items if isinstance(value, tree.Group) and value.bracket == "{" else (value,)
    return tuple(tree.Name(i.name) if isinstance(i, tree.Call) and not (i.args or i.sub or i.sup) else i
                 for i in found)


CONJUGATE = tree.Name("*")  # the superscript of k^*


def is_transpose(node: tree.Node) -> bool:
    return node == tree.Name("T")


def dimensions(node: tree.Node) -> tuple[tree.Node, ...]:
    r"""n \times d_k -> (n, d_k); p_o \times h p_v -> (p_o, h p_v): the product splits at each \times."""
    groups: list[tree.Node] = []
    for op, factor in factors(node):
        if op == "times" or not groups:
            groups.append(factor)
        else:
            groups[-1] = tree.Mul(groups[-1], factor, op)
    return tuple(groups)


def factors(node: tree.Node) -> list[tuple[str, tree.Node]]:
    """A left-associated product as (operator before, factor) pairs: a \times b c -> ("", a), ("times", b), ("", c)."""
    if isinstance(node, tree.Mul):
        left = factors(node.left)
        return left + [(node.op, node.right)]
    return [("", node)]

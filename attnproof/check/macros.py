r"""A LaTeX document's own shorthands (`\newcommand{\vx}{\mathbf{x}}`, `\def\T{\top}`), read and expanded.

Only macros without arguments are expanded: they are what papers use for notation (`\vx`, `\T`,
`\pe`); a macro with arguments is left as written, and the grammar reports it if it matters.

Example:
    >>> shorthands = definitions(r"\newcommand{\vx}{\mathbf{x}} \def\T{\top} \DeclareMathOperator{\sm}{softmax}")
    >>> expand(r"\sm(\vx^\T \vx)", shorthands)
    '\\operatorname{softmax}(\\mathbf{x}^\\top \\mathbf{x})'
"""

import re

DEFINITION = re.compile(
    r"\\(?:re)?newcommand\*?\s*\{?\s*(\\[A-Za-z]+)\s*\}?\s*\{|\\def\s*(\\[A-Za-z]+)\s*\{|"
    r"\\DeclareMathOperator\*?\s*\{\s*(\\[A-Za-z]+)\s*\}\s*\{"
)
COMMAND = re.compile(r"\\[A-Za-z]+")
ROUNDS = 10  # a macro may use another; a definition that uses itself stops here


def definitions(text: str) -> dict[str, str]:
    """The argument-free macros a document defines, name -> replacement."""
    found = {}
    for match in DEFINITION.finditer(text):
        body = balanced(text, match.end())
        if body is None:
            continue
        name = match.group(1) or match.group(2) or match.group(3)
        found[name] = rf"\operatorname{{{body.strip()}}}" if match.group(3) else body
    return found


def balanced(text: str, start: int) -> str | None:
    """The text up to the brace that closes the one just before `start`, or None if it never closes."""
    depth = 1
    for position in range(start, min(len(text), start + 2000)):
        depth += {"{": 1, "}": -1}.get(text[position], 0)
        if depth == 0:
            return text[start:position]
    return None


def expand(latex: str, shorthands: dict[str, str]) -> str:
    """`latex` with every shorthand replaced by its definition (macros inside definitions too)."""
    if not shorthands:
        return latex
    for _ in range(ROUNDS):
        expanded = COMMAND.sub(lambda m: shorthands.get(m.group(), m.group()), latex)
        if expanded == latex:
            break
        latex = expanded
    return latex

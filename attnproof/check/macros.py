r"""A LaTeX document's own shorthands (`\newcommand{\vx}{\mathbf{x}}`, `\def\T{\top}`,
`\newcommand{\ip}[2]{\langle #1, #2 \rangle}`), read and expanded.

A macro with arguments takes them as braced groups after its name (`\ip{Qx}{Kx'}`); one written without them
is left as it is, and the grammar reports it if it matters.

Example:
    >>> shorthands = definitions(r"\newcommand{\vx}{\mathbf{x}} \def\T{\top} \DeclareMathOperator{\sm}{softmax}")
    >>> expand(r"\sm(\vx^\T \vx)", shorthands)
    '\\operatorname{softmax}(\\mathbf{x}^\\top \\mathbf{x})'
    >>> expand(r"\ip{Qx}{Kx'}", definitions(r"\newcommand{\ip}[2]{\langle #1, #2\rangle}"))
    "\\langle Qx, Kx'\\rangle"
"""

import re
from dataclasses import dataclass

DEFINITION = re.compile(
    r"\\(?:re)?newcommand\*?\s*\{?\s*(\\[A-Za-z]+)\s*\}?\s*(?:\[(\d)\]\s*)?\{|\\def\s*(\\[A-Za-z]+)\s*\{|"
    r"\\DeclareMathOperator\*?\s*\{\s*(\\[A-Za-z]+)\s*\}\s*\{"
)
COMMAND = re.compile(r"\\[A-Za-z]+")
ROUNDS = 10  # a macro may use another; a definition that uses itself stops here
LONGEST = 20_000  # characters: a definition that doubles itself each round stops growing here


@dataclass(frozen=True)
class Macro:
    body: str  # the replacement, with #1, #2, ... where its arguments go
    arguments: int = 0


def definitions(text: str) -> dict[str, Macro]:
    """The macros a document defines, name -> its replacement and how many arguments it takes."""
    found = {}
    for match in DEFINITION.finditer(text):
        body = balanced(text, match.end())
        if body is None:
            continue
        name = match.group(1) or match.group(3) or match.group(4)
        found[name] = Macro(rf"\operatorname{{{body.strip()}}}" if match.group(4) else body, int(match.group(2) or 0))
    return found


def balanced(text: str, start: int) -> str | None:
    """The text up to the brace that closes the one just before `start`, or None if it never closes."""
    depth = 1
    for position in range(start, min(len(text), start + 2000)):
        depth += {"{": 1, "}": -1}.get(text[position], 0)
        if depth == 0:
            return text[start:position]
    return None


def expand(latex: str, shorthands: dict[str, Macro]) -> str:
    """`latex` with every shorthand replaced by its definition (macros inside definitions too)."""
    if not shorthands:
        return latex
    for _ in range(ROUNDS):
        expanded = expanded_once(latex, shorthands)
        if expanded == latex or len(expanded) > LONGEST:
            break
        latex = expanded
    return latex


def expanded_once(latex: str, shorthands: dict[str, Macro]) -> str:
    """`latex` with each shorthand written in it replaced once, its braced arguments put in its body."""
    pieces, position = [], 0
    for match in COMMAND.finditer(latex):
        macro = shorthands.get(match.group())
        if macro is None or match.start() < position:
            continue
        arguments, end = taken(latex, match.end(), macro.arguments)
        if arguments is None:
            continue  # \ip without its braced arguments: left as written
        body = filled(macro.body, arguments)
        spaced = re.search(r"\\[A-Za-z]+$", body) and latex[end:end + 1].isalpha()  # \rangle x, not \ranglex
        pieces += [latex[position:match.start()], body + " " if spaced else body]
        position = end
    return "".join(pieces) + latex[position:]


def filled(body: str, arguments: list[str]) -> str:
    """A macro's body with its arguments put in for #1, #2, ..."""
    for number, argument in enumerate(arguments, start=1):
        body = body.replace(f"#{number}", argument)
    return body


def taken(latex: str, start: int, count: int) -> tuple[list[str] | None, int]:
    """The `count` braced arguments after a macro's name, and where they end."""
    arguments, position = [], start
    for _ in range(count):
        while position < len(latex) and latex[position].isspace():
            position += 1
        if position >= len(latex) or latex[position] != "{":
            return None, start
        argument = balanced(latex, position + 1)
        if argument is None:
            return None, start
        arguments.append(argument)
        position += len(argument) + 2
    return arguments, position

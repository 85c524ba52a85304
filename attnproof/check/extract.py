r"""Find the formulas in teaching material: Markdown, LaTeX and Jupyter notebooks.

`formulas(text, kind)` gives one `Formula` per equation, in document order:

- Delimiters are stripped: `$..$`, `$$..$$`, `\(..\)`, `\[..\]`, and the environments equation, align,
  gather, multline, eqnarray, flalign, alignat (starred or not), and split, aligned, gathered inside
  display math. `\label{..}`, `\tag{..}`, `\nonumber`, `\notag` and `%` comments are dropped and
  whitespace is collapsed.
- Align-like environments give one formula per row (split on top-level `\\`, their `&` dropped), and so
  does math outside any environment (a top-level `\\` in display math is a line break between
  statements). A row that starts with `&` and a relation continues a chain: it is emitted as the previous
  row's last right side followed by the row, so `a &= b \\ &= c` gives `a = b` and `b = c`, each a
  self-contained relation; a row holding only a left side (`f(x) \\ &= g`) joins the row after it. A row
  that starts with `&` and an operator (`&\quad + d`) continues a long right side and is appended to the
  previous formula. multline is one equation over several lines: its rows are joined.
- `line` is 1-based: the line of the formula's first character (of its row, for align rows). In a
  notebook it counts lines within the cell, and `cell` is the cell's index in `nb.cells`.
- `context` is the prose around the formula: its paragraph (in Markdown a paragraph, list item paragraph,
  heading, or table row with its cells joined by ` | `, each after its column header and `: `; in LaTeX the
  blank-line separated paragraph), the formula itself replaced by `[formula]` and every other one by
  `[math]`, whitespace collapsed, at most about 300 characters centred on the formula. A formula that
  stands alone in its paragraph gets the paragraphs before and after it instead.
- `earlier` is the prose of the paragraphs between the last paragraph with a formula and the formula's own
  (a model's configuration stated in a paragraph of its own, then worked numbers in a table after it); in a
  notebook, the paragraphs of earlier markdown cells count too.
- `section` is the title of the section the formula stands in: the last Markdown heading before it (in a
  notebook, in its cell or an earlier one), or in LaTeX the last `\section`, `\subsection`, `\paragraph`,
  `\frametitle` or titled `\question`.
- Math is never taken from code spans, code blocks, verbatim text or comments, nor from an escaped
  `\$`, nor from prices: a `$` with a digit after it does not close (`costs $5 and $10`).
"""

import re
import warnings
from bisect import bisect_left
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace

from markdown_it import MarkdownIt
from mdit_py_plugins.amsmath import amsmath_block, amsmath_plugin
from mdit_py_plugins.dollarmath import dollarmath_plugin
from mdit_py_plugins.dollarmath.index import math_block_dollar, math_inline_dollar

from attnproof.check import macros
from attnproof.check.documents import DocumentError
from attnproof.check.formula import Formula

PLACEHOLDER = "[math]"  # what another formula becomes in a context string
SELF = "[formula]"  # where the formula itself stands in its context string
CONTEXT_CHARS = 400
WINDOW = 2 * CONTEXT_CHARS  # prose looked at on each side before collapsing whitespace


def formulas(text: str, kind: str) -> list[Formula]:
    r"""The formulas of a document of one kind: "markdown", "tex" or "notebook" (the notebook's JSON).

    Raises DocumentError for a notebook that cannot be read.

    Example:
        >>> [(f.latex, f.line) for f in formulas("Queries: $Q = XW^Q$.\n\n$$K = XW^K$$", "markdown")]
        [('Q = XW^Q', 1), ('K = XW^K', 3)]
        >>> formulas(r"\begin{align} a &= b \\ &= c \end{align}", "tex")[1].latex
        'b = c'
    """
    if kind == "notebook":
        return notebook_formulas(text)
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if kind not in {"markdown", "tex"}:
        raise ValueError(f"unknown kind of document {kind!r}; expected markdown, tex or notebook")
    found, _, _ = _emit(list(_markdown_paragraphs(text) if kind == "markdown" else _tex_paragraphs(text)))
    shorthands = macros.definitions(text)  # \newcommand{\vx}{\mathbf{x}}, in a preamble or a MathJax block
    return [replace(f, expanded=" ".join(macros.expand(f.latex, shorthands).split())) if shorthands else f
            for f in found]


def table_rows(text: str, kind: str) -> list[str]:
    r"""The body rows of a document's tables (Markdown or LaTeX), each cell after its header: `model: Mixtral 8x7B |
    layers: 32 | KV heads: 8` (a configuration table a later formula may refer to by the model's name).

    Example:
        >>> table_rows("| model | layers |\n|---|---|\n| Llama | 80 |\n", "markdown")
        ['model: Llama | layers: 80']
        >>> table_rows(r"\begin{tabular}{ll} model & layers \\ Llama & 80 \end{tabular}", "tex")
        ['model: Llama | layers: 80']
    """
    paragraphs = _tex_paragraphs if kind == "tex" else _markdown_paragraphs
    return [p.prose for source in written(text, kind) for p in paragraphs(source) if p.row]


CELL, HEADED = " | ", ": "  # how a table row's cells are joined, and a cell's header set before its content
HEADER = re.compile(r"^[^:\[\]|]{1,60}: ")


def own_cell(context: str) -> str:
    """A table row's context as what it says of the formula's own cell: the other cells' contents (the row's
    subject) without their headers, which name other columns' measures, then the formula's cell with its header.

    Example:
        >>> own_cell("layer: tanh RNN | training cost: [formula] | decode cost of step t: one mat-vec")
        'tanh RNN | one mat-vec | training cost: [formula]'
    """
    cells = context.split(CELL)
    mine = [cell for cell in cells if SELF in cell]
    if len(cells) < 2 or len(mine) != 1:
        return context
    return CELL.join([HEADER.sub("", cell) for cell in cells if SELF not in cell] + mine)


def written(text: str, kind: str) -> list[str]:
    """What an author wrote, as text: the document itself with its own shorthands expanded, or a notebook's markdown
    cells (not its code).

    Example:
        >>> cell = '{"cell_type": "markdown", "metadata": {}, "source": "H is the head size"}'
        >>> written('{"nbformat": 4, "nbformat_minor": 5, "metadata": {}, "cells": [%s]}' % cell, "notebook")
        ['H is the head size']
    """
    if kind != "notebook":
        shorthands = macros.definitions(text)  # "Let $\vs$ be the softmax": the prose uses the shorthands too
        return [macros.expand(text, shorthands) if shorthands else text]
    sources = [cell.get("source", "") for cell in _cells(text) if cell.get("cell_type") == "markdown"]
    return [source for source in sources if isinstance(source, str)]


# --- from math content to formulas: environments, rows, chains --------------------------------------

WRAPPERS = {"equation", "displaymath", "math"}  # one formula, possibly holding split or aligned
JOINED = {"multline"}  # one formula over several lines
ROWS = {"align", "aligned", "alignat", "alignedat", "gather", "gathered", "flalign", "eqnarray", "split"}
RELATIONS = (
    "le leq ge geq ne neq approx equiv propto sim simeq cong coloneqq triangleq doteq leqslant geqslant ll gg"
).split()
_RELATION = r"\\(?:" + "|".join(RELATIONS) + r")(?![A-Za-z])"
_CLEAN = re.compile(r"(\\[^A-Za-z])|%[^\n]*|\\(?:label|tag\*?)\s*\{[^{}]*\}|\\(?:nonumber|notag)(?![A-Za-z])", re.S)
_BEGIN = re.compile(r"\s*\\begin\s*\{([A-Za-z]+)(\*?)\}(?:\s*\{\d*\})?")
_ROW_TOKEN = re.compile(r"\\(?:begin|end)\s*\{[^{}]*\}|\\\\(?:\s*\[[^\]\n]*\]|\*)?|\\.|[{}&]", re.S)
_SIDE_TOKEN = re.compile(r"\\(?:begin|end)\s*\{[^{}]*\}|" + _RELATION + r"|\\.|[{}]|:=|[=<>]", re.S)
_CHAIN = re.compile(r"(?:[=<>]|:=|" + _RELATION + r"|\\(?:overset|stackrel)(?![A-Za-z]))")
_CONTINUATION = re.compile(r"(?:\\(?:quad|qquad|[,;:! ])\s*)*(?=[+\-]|\\(?:cdot|times|pm|mp)(?![A-Za-z]))")


def clean(latex: str) -> str:
    r"""Math with comments, labels, tags, \nonumber and \notag removed, keeping every newline.

    Example:
        >>> clean(r"a = b \label{eq:1} % why" + "\n" + r"\nonumber \% c")
        'a = b  \n \\% c'
    """
    return _CLEAN.sub(lambda m: m.group(1) or "\n" * m.group().count("\n"), latex)


def rows(latex: str) -> list[tuple[int, str]]:
    r"""Each relation stated by cleaned math, with its offset: environments stripped, rows split.

    Math that is not one align-like environment is read as one (a top-level `\` in display math is a
    line break between statements); multline is read as one formula.

    Example:
        >>> rows(r"\begin{align} a &= b \\ &= c \\ &\quad + d \end{align}")
        [(14, 'a = b'), (24, 'b = c + d')]
        >>> rows(r"y = Wx \\ \text{where}~W = QK^\top")
        [(0, 'y = Wx'), (10, '\\text{where}~W = QK^\\top')]
    """
    offset = 0
    while (environment := _environment(latex)) is not None and environment[0] in WRAPPERS:
        offset, latex = offset + environment[1], environment[2]
    if environment is not None and environment[0] in JOINED:
        split = _split_rows(environment[2])
        return [(offset + environment[1] + split[0][0], " ".join(text for _, text in split))] if split else []
    if environment is not None and environment[0] in ROWS:
        offset, latex = offset + environment[1], environment[2]
    return [(offset + at, text) for at, text in _chain(_split_rows(latex))]


def _environment(latex: str) -> tuple[str, int, str] | None:
    """(name, where its body starts, body) when the whole of latex is one environment, else None."""
    begin = _BEGIN.match(latex)
    if begin is None or not latex.rstrip().endswith(f"\\end{{{begin[1]}{begin[2]}}}"):
        return None
    return begin[1], begin.end(), latex[begin.end() : latex.rstrip().rindex("\\end")]


def _split_rows(latex: str) -> list[tuple[int, str]]:
    """Rows split on top-level line breaks (offset, text); a top-level `&` is kept only at a row's start."""
    found, pieces, start, last, depth = [], [], 0, 0, 0
    for token in _ROW_TOKEN.finditer(latex):
        text = token.group()
        if text == "{" or text.startswith("\\begin"):
            depth += 1
        elif text == "}" or text.startswith("\\end"):
            depth = max(0, depth - 1)
        elif depth == 0 and text == "&":
            leading = not latex[start : token.start()].strip()
            pieces += [latex[last : token.start()], "&" if leading else " "]
            last = token.end()
        elif depth == 0 and text.startswith("\\\\"):
            found.append((start, "".join([*pieces, latex[last : token.start()]])))
            pieces, start, last = [], token.end(), token.end()
    found.append((start, "".join([*pieces, latex[last:]])))
    return [(offset + len(row) - len(row.lstrip()), " ".join(row.split())) for offset, row in found if row.strip()]


def _chain(split: list[tuple[int, str]]) -> list[tuple[int, str]]:
    """Rows as self-contained relations: `&= c` after `a = b` gives `b = c`; `&+ d` extends the formula.

    A row with no relation followed by `&= c` is a left side on its own line: the two become one formula.
    """
    found: list[tuple[int, str]] = []
    previous = None
    for offset, row in split:
        aligned = row.startswith("&")
        row = row.lstrip("& ")
        if not row:
            continue
        continuation = _CONTINUATION.match(row) if aligned and found else None
        if continuation is not None:
            found[-1] = (found[-1][0], f"{found[-1][1]} {row[continuation.end() :]}")
            previous = f"{previous} {row[continuation.end() :]}"
        elif previous is not None and _CHAIN.match(row):  # "&= c", or "=& c" written the other way round
            left = right_side(_without_condition(previous))
            if left == previous:  # the previous row was only a left side
                offset = found.pop()[0]
            found.append((offset, f"{left} {row}".lstrip()))
            previous = row
        else:
            found.append((offset, row))
            previous = row
    return found


_CONDITION = re.compile(r"\\q?quad\b|\\forall\b|\\text\s*\{\s*(?:if|for|when|where|otherwise|and)\b|\\;|(?<!\\),")


def _without_condition(row: str) -> str:
    r"""A row without what trails its statement at the top level: `a = b \quad \forall j \le i` -> `a = b`.

    Example:
        >>> _without_condition(r"a = f(x, y) \quad \forall j \le i")
        'a = f(x, y)'
        >>> _without_condition(r"a = VP\,\mathrm{softmax}(S)")  # a thin space is not a comma
        'a = VP\\,\\mathrm{softmax}(S)'
    """
    depth = 0
    for position, char in enumerate(row):
        depth += {"{": 1, "(": 1, "[": 1, "}": -1, ")": -1, "]": -1}.get(char, 0)
        if depth == 0 and _CONDITION.match(row, position):
            return row[:position].rstrip()
    return row


def right_side(relation: str) -> str:
    r"""What follows the last top-level relation (the whole text if there is none).

    Example:
        >>> right_side(r"a = \frac{b}{c} \le d_{i=1}")
        'd_{i=1}'
    """
    cut, depth = 0, 0
    for token in _SIDE_TOKEN.finditer(relation):
        text = token.group()
        if text == "{" or text.startswith("\\begin"):
            depth += 1
        elif text == "}" or text.startswith("\\end"):
            depth = max(0, depth - 1)
        elif depth == 0 and (text in ("=", "<", ">", ":=") or text[1:] in RELATIONS):
            cut = token.end()
    return relation[cut:].strip()


# --- paragraphs and contexts, shared by every kind ---------------------------------------------------


@dataclass(frozen=True)
class _Math:
    latex: str  # as found, delimiters stripped
    line: int  # 0-based line of the latex's first character
    display: bool
    start: int = 0  # where the placeholder stands in its paragraph's prose
    end: int = 0


@dataclass
class _Paragraph:
    prose: str = ""  # the paragraph's text, every formula replaced by PLACEHOLDER
    maths: list[_Math] = field(default_factory=list)
    row: bool = False  # a table's body row, its cells after their headers
    heading: bool = False  # a Markdown heading: its prose is the title of the section that follows


def _emit(paragraphs: list[_Paragraph], cell: int | None = None, section: str = "",
          since: tuple[str, ...] = ()) -> tuple[list[Formula], str, tuple[str, ...]]:
    """The formulas of a run of paragraphs, the title of the section the run ends in and the prose read after its
    last paragraph with a formula (`section`, `since`: the same where it starts, from a notebook's earlier cells)."""
    found = []
    for index, paragraph in enumerate(paragraphs):
        emitted = len(found)
        if paragraph.heading:
            section = _title(paragraph.prose)
        for math in paragraph.maths:
            if relations := _relations(math):
                context = _paragraph_context(paragraphs, index, math)
                earlier = " ".join(" ".join(since).split())[-WINDOW:]
                titled = _tex_title(paragraph.prose[: math.start]) or section
                found += [Formula(text, line, cell, context, display=math.display, earlier=earlier, section=titled)
                          for line, text in relations]
        section = _tex_title(paragraph.prose) or section
        since = () if len(found) > emitted else (*since, paragraph.prose)
    return found, section, since


_TEX_TITLE = re.compile(r"\\(?:(?:sub)*section|(?:sub)?paragraph|chapter|frametitle)\*?\s*(?:\[[^\]]*\]\s*)?"
                        r"\{([^{}]*)\}|\\question\s*(?:\[[^\]]*\]\s*)?\\textbf\s*\{([^{}]*)\}")


def _tex_title(prose: str) -> str:
    """The last section title a LaTeX paragraph's prose gives, or ""."""
    titles = [first or second for first, second in _TEX_TITLE.findall(prose)]
    return _title(titles[-1]) if titles else ""


def _title(text: str) -> str:
    return " ".join(text.replace(PLACEHOLDER, " ").split())


def _relations(math: _Math) -> list[tuple[int, str]]:
    """(1-based line, latex) of each formula in the math."""
    latex, line, last, found = clean(math.latex), math.line + 1, 0, []
    for offset, text in rows(latex):
        line += latex.count("\n", last, offset)
        last = offset
        found.append((line, text))
    return found


def _paragraph_context(paragraphs: list[_Paragraph], index: int, math: _Math) -> str:
    """The prose around math in its paragraph; if there is none, the paragraphs before and after."""
    prose = paragraphs[index].prose
    context = _context(prose[max(0, math.start - WINDOW) : math.start], prose[math.end : math.end + WINDOW])
    if context.replace(SELF, "").replace(PLACEHOLDER, "").strip():
        return context
    before = paragraphs[index - 1].prose if index else ""
    after = paragraphs[index + 1].prose if index + 1 < len(paragraphs) else ""
    return _context(before + " ", " " + after)


def _context(before: str, after: str) -> str:
    """Prose before and after a formula, whitespace collapsed, about CONTEXT_CHARS in all."""
    before, after = before[-WINDOW:], after[:WINDOW]
    if not before.strip() and not after.strip():
        return ""
    before = " ".join(before.split()) + " " * before[-1:].isspace()
    after = " " * after[:1].isspace() + " ".join(after.split())
    half = CONTEXT_CHARS // 2
    before = before[-max(half, CONTEXT_CHARS - len(after)) :]
    after = after[: max(half, CONTEXT_CHARS - len(before))]
    return (before + SELF + after).strip()


# --- Markdown -----------------------------------------------------------------------------------------

INLINE_MATH = {"math_inline": False, "math_inline_double": True, "math_paren": False, "math_bracket": True}
BLOCK_MATH = {"math_block", "math_block_label", "amsmath", "math_bracket_block"}
BRACKETS = {"\\(": ("\\)", "math_paren"), "\\[": ("\\]", "math_bracket")}
AMSMATH_ALT = ["paragraph", "reference", "blockquote", "list", "footnote_def"]  # as amsmath_plugin registers it
_ESCAPE = re.compile(r"\\.", re.S)
_DOLLAR_CLOSE = re.compile(r"\$\$[ \t]*$|\$\$[ \t]*\([^)$\n]+?\)[ \t]*$", re.M)
_AMSMATH_CLOSE = re.compile(r"\\end\{[A-Za-z]+\*?\}[ \t]*$", re.M)
_BRACKET_CLOSE = re.compile(r"\\\][ \t]*$", re.M)
_BLANK = re.compile(r"^[ \t]*$", re.M)


def _positions(state, key: str, find: Callable[[str], list[int]]) -> list[int]:
    """find(source), computed once per source: a rule may be tried at many places of the same source."""
    cached = state.env.get(key)
    if cached is None or cached[0] is not state.src:
        cached = state.env[key] = (state.src, find(state.src))
    return cached[1]


def _matches(pattern: re.Pattern) -> Callable[[str], list[int]]:
    return lambda source: [m.start() for m in pattern.finditer(source)]


def _escapes(closer: str) -> Callable[[str], list[int]]:
    return lambda source: [m.start() for m in _ESCAPE.finditer(source) if m.group() == closer]


def _positioned(rule: Callable) -> Callable:
    """An inline rule that records in meta["pos"] where in the inline source its token begins."""

    def rule_with_position(state, silent: bool) -> bool:
        start = state.pos
        matched = rule(state, silent)
        if matched and not silent:
            state.tokens[-1].meta["pos"] = start
        return matched

    return rule_with_position


def _bracket_inline(state, silent: bool) -> bool:
    r"""Inline rule for `\(..\)` (inline math) and `\[..\]` (display math), each to its first unescaped closer."""
    closer, name = BRACKETS.get(state.src[state.pos : state.pos + 2], (None, None))
    if closer is None:
        return False
    closers = _positions(state, f"attnproof.{name}", _escapes(closer))
    index = bisect_left(closers, state.pos + 2)
    if index == len(closers) or closers[index] + 2 > state.posMax:
        return False
    if not silent:
        token = state.push(name, "math", 0)
        token.content = state.src[state.pos + 2 : closers[index]]
        token.markup = state.src[state.pos : state.pos + 2]
        token.meta = {"pos": state.pos}
    state.pos = closers[index] + 2
    return True


def _bracket_block(state, start_line: int, end_line: int, silent: bool) -> bool:
    r"""Block rule for `\[` starting a block and `\]` ending a line, with no blank line between."""
    begin = state.bMarks[start_line] + state.tShift[start_line]
    if state.sCount[start_line] - state.blkIndent >= 4 or not state.src.startswith("\\[", begin):
        return False
    parts, start = [], begin + 2
    for line in range(start_line, end_line):
        text = state.src[start : state.eMarks[line]].rstrip()
        if _closes(text):
            break
        if "\\]" in text or (not text.strip() and line > start_line):
            return False
        parts.append(text)
        start = state.bMarks[line + 1] + state.tShift[line + 1] if line + 1 < end_line else 0
    else:
        return False
    if not silent:
        token = state.push("math_bracket_block", "math", 0)
        token.block, token.content, token.markup = True, "\n".join([*parts, text[:-2]]), "\\["
        token.map = [start_line, line + 1]
    state.line = line + 1
    return True


def _closes(text: str) -> bool:
    r"""Whether a line ends with `\]` whose backslash is not itself escaped."""
    body = text[:-1]
    return text.endswith("\\]") and (len(body) - len(body.rstrip("\\"))) % 2 == 1


def _guarded(rule: Callable, closing: re.Pattern, blank_stops: bool) -> Callable:
    """A block rule tried only when a closing line follows (before the next blank line, if blank_stops).

    Unguarded, each of many unclosed openers would scan to the end of the document.
    """
    key = f"attnproof.{closing.pattern}"

    def guarded_rule(state, start_line: int, end_line: int, silent: bool) -> bool:
        limit = state.bMarks[end_line] if end_line < state.lineMax else len(state.src)
        if blank_stops:
            blanks = _positions(state, key + ".blank", _matches(_BLANK))
            after = bisect_left(blanks, state.eMarks[start_line])
            limit = min(limit, blanks[after]) if after < len(blanks) else limit
        closers = _positions(state, key, _matches(closing))
        index = bisect_left(closers, state.bMarks[start_line] + state.tShift[start_line] + 1)
        return index < len(closers) and closers[index] <= limit and rule(state, start_line, end_line, silent)

    return guarded_rule


def _parser() -> MarkdownIt:
    """CommonMark with tables, dollar math, amsmath environments and `\\(..\\)`, `\\[..\\]`."""
    parser = MarkdownIt("commonmark").enable("table")
    dollars = {"allow_labels": True, "allow_space": True, "allow_digits": False, "allow_blank_lines": False}
    parser.use(dollarmath_plugin, **dollars, double_inline=True).use(amsmath_plugin)
    inline_dollars = math_inline_dollar(allow_space=True, allow_digits=False, allow_double=True)
    parser.inline.ruler.at("math_inline", _positioned(inline_dollars))
    parser.inline.ruler.before("math_inline", "math_paren", _bracket_inline)
    block_dollars = math_block_dollar(allow_labels=True, allow_blank_lines=False)
    parser.block.ruler.at("math_block", _guarded(block_dollars, _DOLLAR_CLOSE, blank_stops=True))
    parser.block.ruler.at("amsmath", _guarded(amsmath_block, _AMSMATH_CLOSE, blank_stops=False), {"alt": AMSMATH_ALT})
    parser.block.ruler.before("fence", "math_bracket_block", _guarded(_bracket_block, _BRACKET_CLOSE, True))
    return parser


_PARSER = _parser()


def _markdown_paragraphs(text: str) -> Iterator[_Paragraph]:
    """Paragraphs, headings and table rows with their inline math; a math block is a paragraph of its own.
    A body row's cells are prefixed with their column's header (`layers: 80 | KV heads: 8`), so that a
    formula in a table keeps what its row's numbers are."""
    row = None  # the inline tokens of the table row being read
    headers: list[str] = []  # the header cells of the table being read
    in_head = heading = False
    for token in _PARSER.parse(text):
        if token.type in ("thead_open", "thead_close"):
            in_head = token.type == "thead_open"
        elif token.type == "tr_open":
            row = []
        elif token.type == "tr_close":
            if in_head:
                headers = [" ".join(inline.content.split()) for inline in row or []]
            paragraph = _inline_paragraph(row or [], [] if in_head else headers)
            paragraph.row = not in_head and bool(headers)
            yield paragraph
            row = None
        elif token.type == "inline" and row is not None:
            row.append(token)
        elif token.type == "inline":
            paragraph = _inline_paragraph([token])
            paragraph.heading = heading
            yield paragraph
        elif token.type in ("heading_open", "heading_close"):
            heading = token.type == "heading_open"
        elif token.type in BLOCK_MATH:
            yield _Paragraph(PLACEHOLDER, [_Math(token.content, token.map[0], True, 0, len(PLACEHOLDER))])


def _inline_paragraph(inlines: list, headers: list[str] = ()) -> _Paragraph:
    """The prose of inline tokens (a table row's cells joined by ` | `, each after its `header: `) and the
    math in them."""
    paragraph, pieces, length = _Paragraph(), [], 0
    for number, inline in enumerate(inlines):
        header = headers[number] if number < len(headers) and headers[number] else ""
        pieces.append((CELL if number else "") + (f"{header}{HEADED}" if header else ""))
        length += len(pieces[-1])
        newlines = [m.start() for m in re.finditer("\n", inline.content)]
        for child in inline.children or []:
            piece = PLACEHOLDER if child.type in INLINE_MATH else _prose(child)
            if child.type in INLINE_MATH:
                line = inline.map[0] + bisect_left(newlines, child.meta["pos"])
                display = INLINE_MATH[child.type]
                paragraph.maths.append(_Math(child.content, line, display, length, length + len(piece)))
            pieces.append(piece)
            length += len(piece)
    paragraph.prose = "".join(pieces)
    return paragraph


def _prose(child) -> str:
    if child.type in ("text", "code_inline", "image"):
        return child.content
    return " " if child.type in ("softbreak", "hardbreak") else ""


# --- LaTeX --------------------------------------------------------------------------------------------

VERBATIM = {"verbatim", "verbatim*", "Verbatim", "lstlisting", "minted", "comment"}
MATH_ENVIRONMENTS = {
    f"{name}{star}"
    for name in ("equation", "align", "gather", "multline", "eqnarray", "flalign", "alignat", "displaymath", "math")
    for star in ("", "*")
}
CLOSERS = {"$": "$", "$$": "$$", "\\(": "\\)", "\\[": "\\]"}
_TEX_TOKEN = re.compile(r"\\(?:begin|end)\s*\{([^{}\n]*)\}|\\verb(?![A-Za-z])\*?|\\.|\$\$|\$|%", re.S)
_MATH_TOKEN = re.compile(r"\\end\s*\{[^{}\n]*\}|\\.|\$\$|\$|%|\n[ \t]*\n", re.S)
_PARAGRAPH_BREAK = re.compile(r"\n[ \t]*\n")


@dataclass(frozen=True)
class _Span:
    start: int
    end: int
    latex: str | None = None  # None for text left out of the prose: a comment, verbatim
    inner: int = 0  # where latex starts in the source
    display: bool = False


def tex_spans(text: str) -> Iterator[_Span]:
    r"""The math of a LaTeX source, and the comments and verbatim text to leave out of prose, in order.

    An unclosed delimiter is skipped up to the next blank line (where LaTeX, too, would stop).

    Example:
        >>> [(s.latex, s.display) for s in tex_spans(r"Let $x$ % $y$" + "\n" + r"\[ z \] costs \$5, $ oops")]
        [('x', False), (None, False), (' z ', True)]
    """
    pos = 0
    while (token := _TEX_TOKEN.search(text, pos)) is not None:
        span, pos = _tex_token(text, token)
        if span is not None:
            yield span


def _tex_token(text: str, token: re.Match) -> tuple[_Span | None, int]:
    """What one token of the LaTeX source starts, and where scanning goes on."""
    start, word, environment = token.start(), token.group(), token.group(1)
    if word == "%":  # the comment's newline goes too, unless a blank line (a paragraph break) follows
        end = _line_end(text, start)
        end += end < len(text) and _PARAGRAPH_BREAK.match(text, end) is None
        return _Span(start, end), end
    if word.startswith("\\verb") and token.end() < len(text):
        end = text.find(text[token.end()], token.end() + 1, _line_end(text, start))
        end = _line_end(text, start) if end < 0 else end + 1
        return _Span(start, end), end
    if word.startswith("\\begin") and environment in VERBATIM:
        end = text.find(f"\\end{{{environment}}}", token.end())
        end = len(text) if end < 0 else end + len(environment) + 6
        return _Span(start, end), end
    if word.startswith("\\begin") and environment in MATH_ENVIRONMENTS:
        return _tex_math(text, start, token.end(), f"\\end{{{environment}}}", display=True)
    if word in CLOSERS:
        return _tex_math(text, start, token.end(), CLOSERS[word], display=word in ("$$", "\\["))
    return None, token.end()


def _line_end(text: str, start: int) -> int:
    end = text.find("\n", start)
    return len(text) if end < 0 else end


def _tex_math(text: str, start: int, inner: int, closer: str, display: bool) -> tuple[_Span | None, int]:
    """The math from start to its closer (an environment keeps its \\begin and \\end); unclosed, skipped."""
    pos = inner
    while (token := _MATH_TOKEN.search(text, pos)) is not None:
        word = token.group()
        if word == closer or word.replace(" ", "") == closer or (closer == "$" and word == "$$"):
            end = token.start() + 1 if word != closer and closer == "$" else token.end()
            if closer.startswith("\\end"):
                return _Span(start, end, text[start:end], start, display), end
            return _Span(start, end, text[inner : token.start()], inner, display), end
        if word[0] == "\n":
            return None, token.end()
        pos = _line_end(text, token.start()) if word == "%" else token.end()
    return None, len(text)


_SENTENCE_AFTER = re.compile(r"[ \t]*\n\s*[A-Z][a-z]")  # a display, then a new line that starts a sentence


def _tex_paragraphs(text: str) -> Iterator[_Paragraph]:
    """The blank-line separated paragraphs of a LaTeX source, with their math."""
    pieces, maths, pos, length, line, counted = [], [], 0, 0, 0, 0
    for span in tex_spans(text):
        pieces.append(text[pos : span.start])
        length += span.start - pos
        if span.latex is not None:
            line, counted = line + text.count("\n", counted, span.inner), span.inner
            maths.append(_Math(span.latex, line, span.display, length, length + len(PLACEHOLDER)))
            ends = span.display and _SENTENCE_AFTER.match(text, span.end) is not None  # no full stop written
            pieces.append(PLACEHOLDER + "." * ends)
            length += len(PLACEHOLDER) + ends
        pos = span.end
    pieces.append(text[pos:])
    for paragraph in _split_paragraphs("".join(pieces), maths):
        yield from _tex_tables(paragraph)


_TABULAR = re.compile(r"\\begin\s*\{(tabular\*?|tabularx|tabulary|longtable)\}")
_ROW_BREAK = re.compile(r"\\\\(?:\s*\[[^\]]*\])?")
_CELL_BREAK = re.compile(r"(?<!\\)&")
_TEX_MARKUP = re.compile(r"\\(?:hline|toprule|midrule|bottomrule|endhead|endfirsthead|endfoot|endlastfoot)\b"
                         r"|\\c(?:mid)?rule\s*(?:\([^)]*\))?\s*\{[^{}]*\}"
                         r"|\\multicolumn\s*\{[^{}]*\}\s*\{[^{}]*\}|\\[A-Za-z]+\*?|[{}]")


def _tex_tables(paragraph: _Paragraph) -> Iterator[_Paragraph]:
    r"""A LaTeX paragraph with its tables cut out: the prose around each, and each row as a paragraph of its own.
    The first row is the header; a body row's cells stand after their headers (`Model: GPT-2 small | Layers: 12 |
    Bytes per token: [formula]`), as a Markdown table's rows are read.

    Example:
        >>> tex = r"See: \begin{tabular}{lc} \hline Model & $L$ \\ \hline \textbf{GPT-2} & $L = 12$ \\ \end{tabular}"
        >>> [(p.prose, p.row) for p in _tex_paragraphs(tex)]
        [('See: ', False), ('Model | [math]', False), ('Model: GPT-2 | $L$: [math]', True), ('', False)]
    """
    opening = _TABULAR.search(paragraph.prose)
    ending = re.compile(rf"\\end\s*\{{{re.escape(opening.group(1))}\}}") if opening else None
    closing = ending.search(paragraph.prose, opening.end()) if ending else None
    if closing is None:
        yield paragraph
        return
    yield _tex_piece(paragraph, 0, opening.start())
    headers = None  # the header row's cells, with their math written out as Markdown's headers are
    body = _after_arguments(paragraph.prose, opening.end())
    for start, end in _between(paragraph.prose, body, closing.start(), _ROW_BREAK):
        cells = [_tex_cell(paragraph, *cell) for cell in _between(paragraph.prose, start, end, _CELL_BREAK)]
        if not any(cell.prose.strip() or cell.maths for cell in cells):
            continue  # a rule, or what follows the last \\
        yield _tex_row(cells, headers or [])
        if headers is None:
            headers = [_written_out(cell) for cell in cells]
    yield from _tex_tables(_tex_piece(paragraph, closing.end(), len(paragraph.prose)))


_ARGUMENT = re.compile(r"\s*(?:\[[^\]]*\]|\{)")  # an optional argument, or the brace that opens a required one


def _after_arguments(prose: str, pos: int) -> int:
    """Where a table's body starts: after its `[t]` placement, `{\\linewidth}` width and `{lcc}` column spec."""
    while (found := _ARGUMENT.match(prose, pos)) is not None:
        pos, depth = found.end(), found.group().endswith("{")
        while depth and pos < len(prose):
            depth += {"{": 1, "}": -1}.get(prose[pos], 0)
            pos += 1
    return pos


def _between(prose: str, start: int, end: int, separator: re.Pattern) -> list[tuple[int, int]]:
    """The spans of prose[start:end] between separators."""
    cuts = [(m.start(), m.end()) for m in separator.finditer(prose, start, end)]
    return list(zip([start] + [after for _, after in cuts], [before for before, _ in cuts] + [end], strict=True))


def _tex_piece(paragraph: _Paragraph, start: int, end: int, prose_of=str) -> _Paragraph:
    """The part of a paragraph from start to end, with its math; `prose_of` rewrites the prose between formulas."""
    piece, position = _Paragraph(), start
    for math in paragraph.maths:
        if start <= math.start < end:
            piece.prose += prose_of(paragraph.prose[position : math.start])
            piece.maths.append(_Math(math.latex, math.line, math.display, len(piece.prose),
                                     len(piece.prose) + math.end - math.start))
            piece.prose += paragraph.prose[math.start : math.end]
            position = math.end
    piece.prose += prose_of(paragraph.prose[position:end])
    return piece


def _tex_cell(paragraph: _Paragraph, start: int, end: int) -> _Paragraph:
    """A table cell: its piece of the paragraph without rules and markup, trimmed."""
    cell = _tex_piece(paragraph, start, end, _plain)
    lead = len(cell.prose) - len(cell.prose.lstrip())
    cell.prose = cell.prose.strip()
    cell.maths = [_Math(m.latex, m.line, m.display, m.start - lead, m.end - lead) for m in cell.maths]
    return cell


def _plain(prose: str) -> str:
    """TeX prose without markup (`\\hline`, `\\textbf`), its runs of white space as one space."""
    return re.sub(r"\s+", " ", _TEX_MARKUP.sub(" ", prose))


def _tex_row(cells: list[_Paragraph], headers: list[str]) -> _Paragraph:
    """A table row's cells joined as a Markdown row is: `header: cell | header: cell`."""
    row = _Paragraph(row=bool(headers))
    for number, cell in enumerate(cells):
        header = headers[number] if number < len(headers) else ""
        row.prose += (CELL if number else "") + (f"{header}{HEADED}" if header else "")
        row.maths += [_Math(m.latex, m.line, m.display, m.start + len(row.prose), m.end + len(row.prose))
                      for m in cell.maths]
        row.prose += cell.prose
    return row


def _written_out(cell: _Paragraph) -> str:
    """A cell's prose with its math written back as `$...$`, as a Markdown header keeps it."""
    prose = cell.prose
    for math in reversed(cell.maths):
        prose = prose[: math.start] + f"${math.latex}$" + prose[math.end :]
    return prose


def _split_paragraphs(prose: str, maths: list[_Math]) -> Iterator[_Paragraph]:
    """Prose cut at blank lines, each piece with the math placed in it (positions made local)."""
    start, index = 0, 0
    for end in [m.start() for m in _PARAGRAPH_BREAK.finditer(prose)] + [len(prose)]:
        paragraph = _Paragraph(prose[start:end])
        while index < len(maths) and maths[index].start < end:
            math = maths[index]
            paragraph.maths.append(_Math(math.latex, math.line, math.display, math.start - start, math.end - start))
            index += 1
        yield paragraph
        start = end


# --- notebooks ----------------------------------------------------------------------------------------


def notebook_formulas(text: str) -> list[Formula]:
    r"""The formulas of a notebook's markdown cells, each with its cell index and its line in the cell.

    Raises DocumentError, with a one-line reason, for a notebook that cannot be read.

    Example:
        >>> cell = '{"cell_type": "markdown", "id": "a", "metadata": {}, "source": ["Keys:\\n", "$K = XW^K$"]}'
        >>> nb = '{"nbformat": 4, "nbformat_minor": 5, "metadata": {}, "cells": [%s]}' % cell
        >>> [(f.latex, f.cell, f.line) for f in notebook_formulas(nb)]
        [('K = XW^K', 0, 2)]
    """
    found, section, since = [], "", ()
    for index, cell in enumerate(_cells(text)):
        if cell.get("cell_type") != "markdown":
            continue
        source = cell.get("source", "")
        if not isinstance(source, str):
            raise DocumentError(f"not a valid notebook: cell {index} has no text source")
        source = _without_surrogates(source).replace("\r\n", "\n").replace("\r", "\n")
        emitted, section, since = _emit(list(_markdown_paragraphs(source)), cell=index, section=section, since=since)
        found += emitted
    return found


def _without_surrogates(text: str) -> str:
    """Lone surrogates, which JSON can escape ("\\udcff") but no output can encode, replaced by U+FFFD."""
    return text.encode("utf-16-le", "surrogatepass").decode("utf-16-le", "replace")


def _cells(text: str) -> list[dict]:
    import nbformat  # loads jsonschema: only when a notebook is read

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # missing cell ids and the like: nothing the reader can act on
            notebook = nbformat.reads(text, as_version=4, capture_validation_error={})
    except Exception as error:  # nbformat raises many kinds for bad input: JSON, version, structure
        reason = str(error).strip().splitlines()[0][:200] if str(error).strip() else type(error).__name__
        raise DocumentError(f"not a valid notebook: {reason}") from None
    cells = notebook.get("cells") if isinstance(notebook, dict) else None
    if not isinstance(cells, list) or not all(isinstance(cell, dict) for cell in cells):
        raise DocumentError("not a valid notebook: no list of cells")
    return cells

"""Finding the formulas of Markdown, LaTeX and notebooks: what is math, where it is, and the prose around it."""

import json
import textwrap

import pytest

from attnproof.check.documents import DocumentError
from attnproof.check.extract import CONTEXT_CHARS, PLACEHOLDER, SELF, formulas


def md(text: str) -> list[tuple[str, int, bool]]:
    return [(f.latex, f.line, f.display) for f in formulas(textwrap.dedent(text), "markdown")]


def tex(text: str) -> list[tuple[str, int, bool]]:
    return [(f.latex, f.line, f.display) for f in formulas(textwrap.dedent(text), "tex")]


def notebook(*cells: tuple[str, str | list[str]], nbformat: int = 4) -> str:
    return json.dumps(
        {
            "nbformat": nbformat,
            "nbformat_minor": 5,
            "metadata": {},
            "cells": [
                {"cell_type": kind, "id": f"c{i}", "metadata": {}, "source": source}
                | ({"outputs": [], "execution_count": None} if kind == "code" else {})
                for i, (kind, source) in enumerate(cells)
            ],
        }
    )


# --- Markdown: what is math --------------------------------------------------------------------------


def test_markdown_inline_and_display_math():
    assert md("""\
        The queries are $Q = XW^Q$.

        $$
        \\mathrm{Attention}(Q, K, V) = \\mathrm{softmax}(QK^\\top / \\sqrt{d_k}) V
        $$
        """) == [
        ("Q = XW^Q", 1, False),
        ("\\mathrm{Attention}(Q, K, V) = \\mathrm{softmax}(QK^\\top / \\sqrt{d_k}) V", 4, True),
    ]


def test_markdown_labelled_display_math_drops_the_label():
    assert md("$$ K = XW^K $$ (eq:keys)\n") == [("K = XW^K", 1, True)]


def test_markdown_double_dollars_inside_a_paragraph_are_display_math():
    assert md("so\n$$V = XW^V$$\nthen") == [("V = XW^V", 2, True)]


def test_markdown_environment_drops_label_tag_and_nonumber():
    assert md("""\
        \\begin{equation}
          S = QK^\\top \\label{eq:scores} \\tag{1}
        \\end{equation}

        \\begin{equation*} T = 1 \\nonumber \\end{equation*}
        """) == [("S = QK^\\top", 2, True), ("T = 1", 5, True)]


def test_markdown_align_rows_each_with_their_line():
    assert md("""\
        \\begin{align}
        Q &= XW^Q \\\\
        K &= XW^K \\notag \\\\
        V &= XW^V
        \\end{align}
        """) == [("Q = XW^Q", 2, True), ("K = XW^K", 3, True), ("V = XW^V", 4, True)]


def test_markdown_parens_and_brackets():
    assert md("Width \\(d_k\\) and \\[A = QK^\\top\\] inline.\n\n\\[\nB = 1\n\\]\n") == [
        ("d_k", 1, False),
        ("A = QK^\\top", 1, True),
        ("B = 1", 4, True),
    ]


def test_markdown_escaped_parens_are_not_math():
    assert md("A literal \\\\(x\\\\) and \\\\[y\\\\].") == []


@pytest.mark.parametrize(
    "text",
    [
        "Code `$x = 1$` is not math.",
        "Code `` \\(x\\) `` is not math.",
        "```\n$x = 1$\n$$y = 2$$\n\\begin{align} a &= b \\end{align}\n```\n",
        "~~~python\nprice = '$5'  # $x$\n~~~\n",
        "Indented code:\n\n    $x = 1$\n    \\[y = 2\\]\n",
        "It costs \\$5 and \\$6.",
        "It costs $5 and $10.",
        "A lone $ sign.",
        "<div>HTML block $x$</div>\n",
    ],
)
def test_markdown_text_that_is_not_math(text):
    assert md(text) == []


def test_markdown_math_after_a_code_span_is_math():
    assert md("`code` then $x = 1$") == [("x = 1", 1, False)]


# --- Markdown: where it is ---------------------------------------------------------------------------


def test_markdown_inline_lines_count_soft_and_hard_breaks():
    text = "first line\nsecond $a = 1$ and\nthird line  \nfourth $b = 2$\\\nfifth $c = 3$\n"  # two hard breaks
    assert md(text) == [("a = 1", 2, False), ("b = 2", 4, False), ("c = 3", 5, False)]


def test_markdown_inline_lines_after_math_or_code_spanning_lines():
    assert md("one $x =\n1$ two `code\nspan` three $y = 2$\n") == [("x = 1", 1, False), ("y = 2", 3, False)]


def test_markdown_lines_in_lists_quotes_and_tables():
    assert md("""\
        # Title $h = 1$

        - item $a = 1$
          continued $b = 2$
          - nested $c = 3$

        > quoted
        > $q = 1$

        | claim | formula |
        |-------|---------|
        | shapes | $W^Q \\in \\mathbb{R}^{d \\times d_k}$ |
        | keys | $K = XW^K$ |
        """) == [
        ("h = 1", 1, False),
        ("a = 1", 3, False),
        ("b = 2", 4, False),
        ("c = 3", 5, False),
        ("q = 1", 8, False),
        ("W^Q \\in \\mathbb{R}^{d \\times d_k}", 12, False),
        ("K = XW^K", 13, False),
    ]


def test_markdown_display_math_in_a_list_item():
    assert md("- item\n\n  $$\n  a = b\n  $$\n") == [("a = b", 4, True)]


def test_markdown_crlf_line_endings():
    assert md("one\r\ntwo $x = 1$\r\n\r\n$$\r\ny = 2\r\n$$\r\n") == [("x = 1", 2, False), ("y = 2", 5, True)]


# --- rows of align-like environments -----------------------------------------------------------------


def test_chained_rows_become_self_contained_relations():
    assert md("""\
        $$
        \\begin{aligned}
        \\mathrm{Var}(q \\cdot k) &= \\sum_i \\mathrm{Var}(q_i k_i) \\\\
          &= d_k \\\\
          &\\le 2 d_k
        \\end{aligned}
        $$
        """) == [
        ("\\mathrm{Var}(q \\cdot k) = \\sum_i \\mathrm{Var}(q_i k_i)", 3, True),
        ("\\sum_i \\mathrm{Var}(q_i k_i) = d_k", 4, True),
        ("d_k \\le 2 d_k", 5, True),
    ]


def test_a_row_continuing_a_long_right_side_joins_its_formula():
    assert md("$$\\begin{aligned} y &= a \\\\ &\\quad + b \\\\ &= c \\end{aligned}$$") == [
        ("y = a + b", 1, True),
        ("a + b = c", 1, True),
    ]


def test_a_left_side_on_its_own_row_joins_the_next_row():
    assert md("\\begin{align}\nf(x)\n\\\\ &= g(x)\n\\end{align}\n") == [("f(x) = g(x)", 2, True)]


def test_display_math_without_an_environment_splits_at_top_level_line_breaks():
    assert md("$$\nM = \\mathrm{Concat}(h_1, h_2)W^O \\\\\n  \\text{where}~h_i = A_i\n$$\n") == [
        ("M = \\mathrm{Concat}(h_1, h_2)W^O", 2, True),
        ("\\text{where}~h_i = A_i", 3, True),
    ]
    assert md("$$a &= b \\\\ &= c$$") == [("a = b", 1, True), ("b = c", 1, True)]


def test_line_breaks_inside_braces_and_nested_environments_do_not_split_rows():
    latex = (
        "\\begin{align} M &= \\begin{cases} 0 & j > i \\\\ 1 & j \\le i \\end{cases} \\\\ "
        "N &= \\text{a \\\\ b} \\end{align}"
    )
    assert [text for text, _, _ in tex(latex)] == [
        "M = \\begin{cases} 0 & j > i \\\\ 1 & j \\le i \\end{cases}",
        "N = \\text{a \\\\ b}",
    ]


def test_gather_eqnarray_alignat_and_spacing_after_line_breaks():
    assert [text for text, _, _ in tex("\\begin{gather*} a = 1 \\\\[2pt] b = 2 \\end{gather*}")] == ["a = 1", "b = 2"]
    assert [text for text, _, _ in tex("\\begin{eqnarray} a &=& 1 \\\\ &=& 2 \\end{eqnarray}")] == ["a = 1", "1 = 2"]
    assert [text for text, _, _ in tex("\\begin{alignat}{2} a &= 1 \\end{alignat}")] == ["a = 1"]


def test_multline_is_one_formula():
    assert tex("\\begin{multline}\na = b + c \\\\\n+ d + e\n\\end{multline}") == [("a = b + c + d + e", 2, True)]


def test_split_inside_equation_gives_rows():
    assert tex("\\begin{equation}\\begin{split}\na &= b \\\\\n&= c\n\\end{split}\\end{equation}") == [
        ("a = b", 2, True),
        ("b = c", 3, True),
    ]


def test_a_chained_row_after_a_row_with_nothing_right_of_its_relation():
    assert md("$a = \\\\ &= c$") == [("a =", 1, False), ("= c", 1, False)]


def test_empty_rows_and_empty_math_give_nothing():
    assert tex("\\begin{align} a = 1 \\\\ \\\\ \\end{align} $ $ \\[ \\]") == [("a = 1", 1, True)]


# --- context -----------------------------------------------------------------------------------------


def context(text: str, kind: str = "markdown") -> list[str]:
    return [f.context for f in formulas(textwrap.dedent(text), kind)]


def test_inline_context_is_its_paragraph_with_math_as_placeholder():
    assert (
        context("Unlike an RNN,\nself-attention has   $O(1)$ path length between $i$ and $j$.\n\nNext.")[0]
        == f"Unlike an RNN, self-attention has {SELF} path length between {PLACEHOLDER} and {PLACEHOLDER}."
    )


def test_display_context_is_the_paragraphs_around_it():
    assert context("# Scaled attention\n\nThe weights are\n\n$$A = QK^T$$\n\nfor self-attention.\n") == [
        f"The weights are {SELF} for self-attention."
    ]


def test_table_row_context_joins_its_cells_each_after_its_header():
    table = "| model | layers | path |\n|---|---|---|\n| rnn | 2 | $O(n)$ |\n| attention | 2 | $O(1)$ |\n"
    assert context(table) == [f"model: rnn | layers: 2 | path: {SELF}", f"model: attention | layers: 2 | path: {SELF}"]
    assert context("| rnn | path $O(n)$ |\n|---|---|\n") == [f"rnn | path {SELF}"]  # a header row has no header


def test_tex_table_row_context_joins_its_cells_each_after_its_header():
    table = r"""
        Costs, per layer:
        \begin{tabular}{|l|c|} \hline
        \textbf{Layer} & Cost per layer \\ \midrule
        Self-attention & $O(n^2 d)$ \\
        \multicolumn{1}{l}{Recurrent} & $O(n d^2)$ \\[2pt] \hline
        \end{tabular}
        """
    assert context(table, "tex") == [f"Layer: Self-attention | Cost per layer: {SELF}",
                                     f"Layer: Recurrent | Cost per layer: {SELF}"]
    assert [line for _, line, _ in tex(table)] == [5, 6]


def test_long_context_is_cut_around_the_formula():
    before, after = "before " * 200, " after" * 200
    [found] = context(f"{before}$x = 1${after}")
    assert len(found) <= CONTEXT_CHARS + len(SELF) and f"before {SELF} after" in found
    assert found.count("before") > 20 and found.count("after") > 20


def test_tex_context_is_the_blank_line_separated_paragraph_without_comments():
    assert context(
        """\
        Unrelated paragraph.

        An RNN % not self-attention
        has path $O(n)$.

        Next paragraph.
        """,
        "tex",
    ) == [f"An RNN has path {SELF}."]


def test_tex_display_alone_in_its_paragraph_gets_its_neighbours():
    assert context("For self-attention:\n\n\\[ A = QK^T \\]\n\nwhere $d_k$ is small.", "tex")[0] == (
        f"For self-attention: {SELF} where {PLACEHOLDER} is small."
    )


# --- LaTeX -------------------------------------------------------------------------------------------


def test_tex_delimiters_and_environments():
    assert tex("""\
        \\section{Attention}
        Queries $Q = XW^Q$, keys \\(K = XW^K\\), and
        $$V = XW^V$$ with
        \\[ S = QK^\\top \\]
        \\begin{equation*}
          A = \\mathrm{softmax}(S) % scaled later
        \\end{equation*}
        """) == [
        ("Q = XW^Q", 2, False),
        ("K = XW^K", 2, False),
        ("V = XW^V", 3, True),
        ("S = QK^\\top", 4, True),
        ("A = \\mathrm{softmax}(S)", 6, True),
    ]


def test_tex_comments_verbatim_and_escapes_are_not_math():
    assert tex("""\
        % $a = 1$ in a comment
        5\\% of $b = 2$ % $c = 3$
        \\verb|$d = 4$| and \\verb+$e$+ cost \\$5 and \\$6
        \\begin{verbatim}
        $f = 6$
        \\end{verbatim}
        \\begin{lstlisting}
        $g = 7$
        \\end{lstlisting}
        \\begin{minted}{python}
        h = "$8"
        \\end{minted}
        after $i = 9$
        """) == [("b = 2", 2, False), ("i = 9", 13, False)]


def test_tex_unbalanced_delimiters_end_at_the_paragraph_break():
    assert tex("""\
        An unclosed $x + 1 here
        and \\(y too.

        \\begin{align} a &= b

        Then $z = 1$ and \\[ w = 2
        """) == [("z = 1", 6, False)]


def test_tex_escaped_dollar_inside_math():
    assert tex("$p = \\$5$ and $q$") == [("p = \\$5", 1, False), ("q", 1, False)]


def test_tex_unclosed_verbatim_and_verb_do_not_crash():
    assert tex("\\verb") == [] and tex("\\verb|abc\n$x$") == [("x", 2, False)]
    assert tex("$a$ \\begin{verbatim} $x$") == [("a", 1, False)]


# --- notebooks ---------------------------------------------------------------------------------------


def test_notebook_markdown_cells_only_with_cell_index_and_line_in_cell():
    text = notebook(
        ("markdown", "# Attention\n\nQueries: $Q = XW^Q$"),
        ("code", "x = '$K = XW^K$'"),
        ("raw", "$R = 1$"),
        ("markdown", ["Keys\n", "and values:\n", "$$V = XW^V$$"]),
    )
    assert [(f.latex, f.cell, f.line, f.display) for f in formulas(text, "notebook")] == [
        ("Q = XW^Q", 0, 3, False),
        ("V = XW^V", 3, 3, True),
    ]


def test_notebook_of_an_older_format_is_converted():
    v3 = {
        "nbformat": 3,
        "nbformat_minor": 0,
        "metadata": {},
        "worksheets": [{"cells": [{"cell_type": "markdown", "source": ["a\n", "$x = 1$"]}]}],
    }
    assert [(f.latex, f.cell, f.line) for f in formulas(json.dumps(v3), "notebook")] == [("x = 1", 0, 2)]


def test_notebook_lone_surrogates_become_replacement_characters():
    [found] = formulas(notebook(("markdown", "$x = \udcff$ \U0001d400")), "notebook")
    assert found.latex == "x = \ufffd" and found.context == f"{SELF} \U0001d400"


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("{", "not a valid notebook: Notebook does not appear to be JSON"),
        ("", "not a valid notebook: Notebook does not appear to be JSON"),
        ("[]", "not a valid notebook"),
        ("null", "not a valid notebook"),
        ('{"nbformat": 99, "nbformat_minor": 0, "metadata": {}, "cells": []}', "Unsupported nbformat version 99"),
        ('{"nbformat": 4, "nbformat_minor": 5, "metadata": {}, "cells": "x"}', "not a valid notebook"),
        ('{"nbformat": 4, "nbformat_minor": 5, "metadata": {}, "cells": [5]}', "not a valid notebook"),
        (notebook(("markdown", 5)), "not a valid notebook: cell 0 has no text source"),
    ],
)
def test_malformed_notebooks_raise_a_one_line_document_error(text, reason):
    with pytest.raises(DocumentError) as raised:
        formulas(text, "notebook")
    assert reason in str(raised.value) and "\n" not in str(raised.value)


def test_unknown_kind():
    with pytest.raises(ValueError, match="unknown kind"):
        formulas("", "rst")


def test_same_input_same_output():
    text = "A $x = 1$\n\n\\begin{align} a &= b \\\\ &= c \\end{align}\n"
    assert formulas(text, "markdown") == formulas(text, "markdown")


# --- sections ------------------------------------------------------------------------------------------


def test_each_formula_knows_the_title_of_the_section_it_stands_in():
    markdown = "# Costs\n\nAttention: $a = b$.\n\n## Linear attention\n\nThe layer: $c = d$.\n"
    assert [f.section for f in formulas(markdown, "markdown")] == ["Costs", "Linear attention"]
    latex = ("\\section*{Scaling}\nFirst $a = b$.\n\n\\question[8] \\textbf{Linear attention.}\nWrite it.\n\n"
             "\\begin{solution}\n$c = d$\n\\end{solution}\n\n\\paragraph{E1.} Then $e = f$.\n")
    assert [f.section for f in formulas(latex, "tex")] == ["Scaling", "Linear attention.", "E1."]
    cells = notebook(("markdown", "## KV cache\n\nPer token $a = b$."), ("code", "x = 1"),
                     ("markdown", "Then $c = d$."))
    assert [f.section for f in formulas(cells, "notebook")] == ["KV cache", "KV cache"]

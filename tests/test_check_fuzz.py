"""Arbitrary text never hangs or crashes `attnproof check`: extraction gives well-formed formulas or one
DocumentError, the checker gives findings, and the command an exit status with no traceback.

Runs are reproducible (derandomized, no example database), as everywhere in the suite.
"""

import contextlib
import io
import json
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from attnproof.check import check_text
from attnproof.check.documents import DocumentError
from attnproof.check.extract import CONTEXT_CHARS, SELF, formulas
from attnproof.check.finding import Finding
from attnproof.check.formula import Formula
from attnproof.cli import main

FUZZ = settings(
    max_examples=200, database=None, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow]
)
CHECKING = settings(FUZZ, max_examples=50)  # the checker is slower per formula

TOKENS = [
    "$", "$$", "\\$", "\\(", "\\)", "\\[", "\\]", "\\frac{", "}", "{", "^T", "^\\top", "_", "\\sqrt", "\\\\", "&", "&=",
    "=", "\\le", "+", "\\quad", "\\begin{align}", "\\end{align}", "\\begin{aligned}", "\\end{aligned}",
    "\\begin{equation}", "\\end{equation}", "\\begin{cases}", "\\end{cases}", "\\label{x}", "\\tag{1}",
    "\\begin{verbatim}", "\\end{verbatim}", "\\verb|", "|", "%", "\\%", "`", "```", "    ", "- ", "> ", "| ", "#",
    "Q", "K", "V", "X", "W^Q", "d_k", "softmax", "RNN", "x", "1", "5", " ", "\n", "\n\n", "\r\n", "ü", "√", "\u2028",
]  # fmt: skip
MATH = [
    "Q", "K", "V", "X", "W^Q", "XW^Q", "QK^\\top", "d_k", "\\sqrt{d_k}", "\\mathrm{softmax}(",
    "\\mathrm{Attention}(Q,K,V)", "(", ")", "=", "&=", "&", "\\\\", "+", "/", "\\frac{", "}{", "}", "{", "^T", "_i",
    "\\le", "1", "n", " ", "\n",
    "\\quad", "\\sum_i", "\\begin{cases}", "\\end{cases}", "\\label{x}", "%", "\\text{a $b$}", "\\in \\mathbb{R}^{n}",
]  # fmt: skip
DELIMITERS = [
    ("$", "$"), ("$$", "$$"), ("\\(", "\\)"), ("\\[", "\\]"), ("\\begin{align}", "\\end{align}"),
    ("\\begin{equation*}", "\\end{equation*}"), ("$$\\begin{aligned}", "\\end{aligned}$$"), ("\n$$\n", "\n$$\n"),
]  # fmt: skip
math = st.builds(
    lambda delimiters, body: delimiters[0] + body + delimiters[1],
    st.sampled_from(DELIMITERS),
    st.lists(st.sampled_from(MATH), max_size=12).map("".join),
)
latexish = st.lists(st.sampled_from(TOKENS) | math, max_size=40).map("".join)
anything = st.text(max_size=300)
kinds = st.sampled_from(["markdown", "tex"])


def line_count(text: str) -> int:
    return text.replace("\r\n", "\n").replace("\r", "\n").count("\n") + 1


def assert_well_formed(found: list, text: str, cells: list[str] | None = None) -> None:
    __tracebackhide__ = True
    assert isinstance(found, list) and all(isinstance(f, Formula) for f in found)
    for f in found:
        source = text if cells is None else cells[f.cell]
        assert 1 <= f.line <= line_count(source), f"line {f.line} outside 1..{line_count(source)} [{f.latex!r}]"
        assert f.latex and f.latex == " ".join(f.latex.split()), f"latex not trimmed and collapsed: {f.latex!r}"
        assert len(f.context) <= CONTEXT_CHARS + len(SELF), f"context of {len(f.context)} characters"


@FUZZ
@given(text=anything | latexish, kind=kinds)
def test_any_text_gives_well_formed_formulas(text, kind):
    found = formulas(text, kind)
    assert_well_formed(found, text)
    assert found == formulas(text, kind)


@FUZZ
@given(sources=st.lists(latexish | anything, max_size=4), types=st.lists(st.sampled_from(["markdown", "code"])))
def test_any_notebook_cells_give_formulas_with_cell_and_line(sources, types):
    cells = [
        {"cell_type": kind, "metadata": {}, "source": source, "id": f"c{i}"}
        | ({"outputs": [], "execution_count": None} if kind == "code" else {})
        for i, (kind, source) in enumerate(zip(types + ["markdown"] * len(sources), sources, strict=False))
    ]
    text = json.dumps({"nbformat": 4, "nbformat_minor": 5, "metadata": {}, "cells": cells})
    found = formulas(text, "notebook")
    assert_well_formed(found, text, cells=sources)
    assert all(cells[f.cell]["cell_type"] == "markdown" for f in found)


@FUZZ
@given(text=anything | latexish.map(lambda s: '{"cells": "' + s) | st.just("{}"))
def test_any_text_as_a_notebook_gives_formulas_or_a_document_error(text):
    try:
        found = formulas(text, "notebook")
    except DocumentError as error:
        assert "\n" not in str(error)
    else:
        assert isinstance(found, list)


@CHECKING
@given(text=latexish, kind=st.sampled_from(["markdown", "tex", "notebook"]))
def test_check_text_gives_findings_or_a_document_error(text, kind):
    try:
        findings = check_text(text, kind, "fuzz")
    except DocumentError as error:
        assert kind == "notebook" and str(error).startswith("fuzz: ")
    else:
        assert isinstance(findings, list) and all(isinstance(f, Finding) for f in findings)


@CHECKING
@given(data=st.binary(max_size=200) | latexish.map(str.encode), suffix=st.sampled_from([".md", ".tex", ".ipynb"]))
def test_any_bytes_in_a_file_give_an_exit_status_and_no_traceback(data, suffix):
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder, "fuzz" + suffix)
        path.write_bytes(data)
        out, err = io.StringIO(), io.StringIO()
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            status = main(["check", str(path)])
    assert status in (0, 1, 2)
    assert all(line.startswith(f"attnproof: error: {path}: ") for line in err.getvalue().splitlines())
    assert (status == 2) == bool(err.getvalue())

"""`attnproof check` under stress: the same output whatever the hash seed, a time limit per formula, huge
and deeply nested formulas, unreadable files among readable ones, and document text never evaluated.

Unreadable files one at a time are in test_check_cli.py; arbitrary text is in test_check_fuzz.py.
"""

import ast
import difflib
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from attnproof.check import check_text, checker, limits
from attnproof.cli import main

ROOT = Path(__file__).resolve().parent.parent
DEV = "tests/check_corpus/dev"  # relative, as a user types it: the paths appear in the output
CHECK_SOURCES = sorted((ROOT / "attnproof" / "check").glob("*.py"))
SEEDS = ("0", "2718")
FORMATS = {"json": ["--format", "json"], "text": ["--format", "text", "--show-ok"]}

RIGHT = "The queries are a projection: $Q = XW^Q$.\n"  # ok, qkv.shapes
LIMIT = 0.2  # seconds: the per-formula limit the time-limit tests set
STALL = 3.0  # seconds a stalled formula would take without the limit


def first_difference(a: bytes, b: bytes) -> str:
    lines = difflib.unified_diff(a.decode().splitlines(), b.decode().splitlines(), lineterm="", n=0)
    return "\n".join(list(lines)[:8])


# --- the same output whatever PYTHONHASHSEED -----------------------------------------------------------


@pytest.fixture(scope="module")
def runs() -> dict[tuple[str, str], subprocess.CompletedProcess]:
    """`attnproof check tests/check_corpus/dev` in each format under each hash seed, all four at once."""
    started = {
        (form, seed): subprocess.Popen(
            [sys.executable, "-m", "attnproof", "check", DEV, *options],
            cwd=ROOT,
            env=os.environ | {"PYTHONHASHSEED": seed},
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
        )
        for form, options in FORMATS.items()
        for seed in SEEDS
    }
    done = {}
    try:
        for key, process in started.items():
            out, err = process.communicate(timeout=120)
            done[key] = subprocess.CompletedProcess(process.args, process.returncode, out, err)
    finally:
        for process in started.values():
            if process.poll() is None:
                process.kill()
                process.wait()
    return done


@pytest.mark.parametrize("form", FORMATS)
def test_the_dev_corpus_report_does_not_depend_on_the_hash_seed(runs, form):
    first, second = (runs[form, seed] for seed in SEEDS)
    for seed, run in zip(SEEDS, (first, second), strict=True):
        # exit 1: the dev corpus has wrong formulas; a traceback would also exit 1, but not silently
        assert (run.returncode, run.stderr.decode()) == (1, ""), f"PYTHONHASHSEED={seed} [check --format {form}]"
    assert first.stdout == second.stdout, (
        f"--format {form} differs between PYTHONHASHSEED={SEEDS[0]} and {SEEDS[1]}:\n"
        + first_difference(first.stdout, second.stdout)
    )


def test_the_json_report_of_the_dev_corpus_has_findings(runs):
    summary = json.loads(runs["json", SEEDS[0]].stdout)["summary"]
    assert summary["files"] >= 10 and summary["formulas"] >= 100 and summary["unreadable"] == [], summary


# --- the time limit per formula -------------------------------------------------------------------------


def sleeping() -> None:
    time.sleep(STALL)


def spinning() -> None:
    deadline = time.perf_counter() + STALL
    while time.perf_counter() < deadline:
        pass


@pytest.mark.parametrize("stall", [sleeping, spinning], ids=["sleeping", "spinning"])
def test_a_stalled_formula_is_an_error_and_the_next_one_is_still_decided(monkeypatch, stall):
    parse = checker.parse

    def stalling_parse(latex: str):
        if "STALL" in latex:
            stall()
        return parse(latex)

    monkeypatch.setattr(checker, "parse", stalling_parse)
    monkeypatch.setattr(limits, "SECONDS", LIMIT)  # read by time_limit at each call
    start = time.perf_counter()
    findings = check_text("It stalls: $STALL = 1$.\n\n" + RIGHT, "markdown", "notes.md")
    seconds = time.perf_counter() - start
    assert [(f.line, f.verdict.value, f.claim) for f in findings] == [(1, "error", None), (3, "ok", "qkv.shapes")]
    assert f"gave up after {LIMIT:g} s" in findings[0].message, findings[0].message
    assert seconds < STALL / 2, f"took {seconds:.1f} s: the {LIMIT} s limit did not stop the stalled formula"
    assert signal.getitimer(signal.ITIMER_REAL) == (0.0, 0.0), "the alarm is still set after the run"


def test_a_fault_of_the_checker_on_one_formula_is_an_error_and_the_run_goes_on(monkeypatch):
    parse = checker.parse

    def faulty_parse(latex: str):
        if "FAULT" in latex:
            raise ZeroDivisionError("division by zero")
        return parse(latex)

    monkeypatch.setattr(checker, "parse", faulty_parse)
    findings = check_text("It breaks: $FAULT = 1$.\n\n" + RIGHT, "markdown", "notes.md")
    assert [(f.line, f.verdict.value) for f in findings] == [(1, "error"), (3, "ok")]
    assert "ZeroDivisionError" in findings[0].message


# --- huge and deeply nested formulas ----------------------------------------------------------------------


@pytest.mark.parametrize(
    "latex",
    ["x+" * 500_000 + "x = 1", "{" * 5000 + "x" + "}" * 5000 + " = 1", "(" * 5000 + "x" + ")" * 5000 + " = 1"],
    ids=["megabyte-sum", "5000-braces", "5000-parentheses"],
)
def test_a_formula_over_the_length_limit_is_unrecognised_quickly(latex):
    start = time.perf_counter()
    [finding] = check_text(f"${latex}$")
    seconds = time.perf_counter() - start
    assert (finding.verdict.value, finding.claim) == ("unrecognised", None), finding.message
    assert "longer than" in finding.message, finding.message
    assert seconds < 5, f"took {seconds:.1f} s for a formula of {len(latex)} characters"


def test_a_macro_that_copies_itself_stops_growing():
    text = "\\newcommand{\\a}[1]{\\a{#1}\\a{#1}\\a{#1}}\n$$\\a{x} = 1$$\n"  # 3^10 copies if left to grow
    [finding] = check_text(text, "tex")
    assert finding.verdict.value == "unrecognised" and "longer than" in finding.message, finding.message


def test_deep_braces_with_no_relation_state_nothing():
    assert check_text("$" + "{" * 5000 + "}" * 5000 + "$") == []


@pytest.mark.parametrize(
    "latex",
    ["(" * 300 + "x" + ")" * 300 + " = 1", "QK " * 300 + "= 1"],
    ids=["300-parentheses", "300-factor-product"],
)
def test_a_deep_formula_under_the_length_limit_is_unrecognised(latex):
    assert len(latex) < 2000  # parse.LONGEST: the grammar is tried
    [finding] = check_text(f"${latex}$")
    assert finding.verdict.value == "unrecognised", finding.message


# --- unreadable files among readable ones ----------------------------------------------------------------


def test_binary_and_malformed_notebook_files_are_reported_and_the_files_after_them_checked(tmp_path, capsys):
    folder = tmp_path / "docs"
    folder.mkdir()
    (folder / "a_right.md").write_text(RIGHT)
    (folder / "b_image.md").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    (folder / "c_broken.ipynb").write_text('{"cells": [{"cell_type": "markdown", "source": ')
    (folder / "d_right.tex").write_text(RIGHT)
    assert main(["check", str(folder), "--show-ok"]) == 2
    out, err = capsys.readouterr()
    [binary, notebook] = err.splitlines()
    assert binary == f"attnproof: error: {folder / 'b_image.md'}: binary file (NUL byte at byte offset 8)"
    assert notebook.startswith(f"attnproof: error: {folder / 'c_broken.ipynb'}: not a valid notebook: "), notebook
    lines = out.splitlines()
    assert [line.split(": ok ")[0] for line in lines if ": ok [qkv.shapes]" in line] == [
        f"{folder / 'a_right.md'}:1",
        f"{folder / 'd_right.tex'}:1",
    ], out
    assert lines[-1] == "2 files, 2 formulas: 2 ok, 0 wrong, 0 unrecognised, 0 error; 2 files unreadable"


# --- document text is never evaluated ----------------------------------------------------------------------

BUILTINS = {"eval", "exec", "compile"}  # compile as a bare name only: re.compile is fine
SYMPY = {"sympify", "parse_expr", "parse_latex", "lambdify"}
ATTRIBUTES = SYMPY | {"eval", "exec"}  # builtins.eval, sp.sympify


def evaluating_uses(source: str, name: str = "<source>") -> list[str]:
    """Each place `source` names a function that evaluates text as Python or parses it as a SymPy expression.

    Calls and references (`f = sp.sympify`), imports (`from sympy import sympify as s`), the name as a string
    (`getattr(sp, "sympify")`), calls of `S` (`sp.S(text)` is sympify) and anything from `sympy.parsing`.

    Example:
        >>> evaluating_uses("import re, sympy as sp\\nsp.sympify(re.compile(text))")
        ['<source>:2: sympify']
    """
    found: set[tuple[int, str]] = set()
    for node in ast.walk(ast.parse(source, name)):
        named = None
        if isinstance(node, ast.Name) and node.id in BUILTINS | SYMPY:
            named = node.id
        elif isinstance(node, ast.Attribute) and node.attr in ATTRIBUTES:
            named = node.attr
        elif isinstance(node, ast.alias) and (node.name.rsplit(".")[-1] in SYMPY or "sympy.parsing" in node.name):
            named = node.name
        elif isinstance(node, ast.ImportFrom) and (node.module or "").startswith("sympy.parsing"):
            named = node.module
        elif isinstance(node, ast.Constant) and isinstance(node.value, str) and node.value in BUILTINS | SYMPY:
            named = repr(node.value)
        elif isinstance(node, ast.Call) and getattr(node.func, "id", getattr(node.func, "attr", None)) == "S":
            named = "S(...)"
        if named is not None:
            found.add((node.lineno, named))
    return [f"{name}:{line}: {named}" for line, named in sorted(found)]


@pytest.mark.parametrize(
    "source",
    [
        "eval(text)",
        "exec(text)",
        "compile(text, 'f', 'eval')",
        "import builtins\nbuiltins.eval(text)",
        "import sympy as sp\nsp.sympify(text)",
        "from sympy import sympify as s\ns(text)",
        "import sympy\nf = sympy.lambdify",
        "from sympy.parsing.sympy_parser import parse_expr",
        "from sympy.parsing import latex",
        "import sympy.parsing.latex",
        "import sympy as sp\ngetattr(sp, 'parse_latex')(text)",
        "import sympy as sp\nsp.S(text)",
    ],
)
def test_each_way_of_evaluating_text_is_found(source):
    assert evaluating_uses(source), f"not found in {source!r}"


PLAIN = """import re, sympy as sp
RELATION = re.compile(r"=")
x = sp.Symbol(name, positive=True) + sp.S.One + sp.Rational(1, 2)
message = "cannot evaluate"
"""


def test_plain_sympy_and_re_use_is_not_flagged():
    assert evaluating_uses(PLAIN) == []


def test_the_check_package_never_evaluates_document_text():
    names = {path.name for path in CHECK_SOURCES}
    assert {"checker.py", "parse.py", "symbolic.py", "numeric.py"} <= names, names
    found = [use for path in CHECK_SOURCES for use in evaluating_uses(path.read_text(), str(path.relative_to(ROOT)))]
    assert found == [], "attnproof/check must not evaluate text:\n" + "\n".join(found)

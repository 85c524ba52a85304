"""The three output formats of `attnproof check`, on findings built by hand."""

import json

from attnproof.check.documents import DocumentError
from attnproof.check.finding import Finding, Verdict
from attnproof.check.render import render

OK = Finding("notes.md", 3, None, "Q = XW^Q", Verdict.OK, "qkv.shapes", "queries project X with W^Q", rung="shapes")
WRONG = Finding(
    "notes.md",
    12,
    None,
    r"\mathrm{Attention}(Q,K,V) = \mathrm{softmax}(QK^\top/d_k)V",
    Verdict.WRONG,
    "attention.definition",
    "the scores are divided by d_k, not by √d_k",
    hint=r"\mathrm{softmax}(QK^\top/\sqrt{d_k})V",
    counterexample="d_k = 4, Q = K = [[1, 1, 1, 1]]",
    rung="numeric",
)
UNRECOGNISED = Finding("nb.ipynb", 2, 3, r"\frob(x)", Verdict.UNRECOGNISED, None, "cannot read '\\frob'")
ERROR = Finding("paper.tex", 40, None, "x = y", Verdict.ERROR, "positions.rope", "gave up after 10 s")
FINDINGS = [OK, WRONG, UNRECOGNISED, ERROR]
UNREADABLE = [DocumentError("not UTF-8: invalid byte 0xe9 at byte offset 12 (line 2)", "latin1.md")]


def test_text_is_compiler_style_without_ok_findings():
    assert render(FINDINGS, "text", files=3).splitlines() == [
        "notes.md:12: wrong [attention.definition]: the scores are divided by d_k, not by √d_k",
        r"  formula: \mathrm{Attention}(Q,K,V) = \mathrm{softmax}(QK^\top/d_k)V",
        r"  hint: \mathrm{softmax}(QK^\top/\sqrt{d_k})V",
        "  counterexample: d_k = 4, Q = K = [[1, 1, 1, 1]]",
        "nb.ipynb:cell 3:2: unrecognised: cannot read '\\frob'",
        r"  formula: \frob(x)",
        "paper.tex:40: error [positions.rope]: gave up after 10 s",
        "  formula: x = y",
        "3 files, 4 formulas: 1 ok, 1 wrong, 1 unrecognised, 1 error",
    ]


def test_text_shows_ok_findings_when_asked():
    out = render(FINDINGS, "text", files=3, show_ok=True)
    assert out.startswith("notes.md:3: ok [qkv.shapes]: queries project X with W^Q\n  formula: Q = XW^Q\n")


def test_text_summary_counts_unreadable_files():
    assert render([], "text", files=0, unreadable=UNREADABLE) == (
        "0 files, 0 formulas: 0 ok, 0 wrong, 0 unrecognised, 0 error; 1 file unreadable"
    )


def test_text_indents_a_message_of_several_lines():
    finding = Finding("a.md", 1, None, "x", Verdict.WRONG, "c.d", "first\nsecond")
    assert render([finding], "text", files=1).splitlines()[:2] == ["a.md:1: wrong [c.d]: first", "  second"]


def test_github_workflow_commands_per_verdict():
    lines = render(FINDINGS, "github", files=3, unreadable=UNREADABLE).splitlines()
    assert lines[0] == (
        "::error file=notes.md,line=12,title=attnproof wrong [attention.definition]::"
        "the scores are divided by d_k, not by √d_k"
        r"%0Aformula: \mathrm{Attention}(Q,K,V) = \mathrm{softmax}(QK^\top/d_k)V"
        r"%0Ahint: \mathrm{softmax}(QK^\top/\sqrt{d_k})V"
        "%0Acounterexample: d_k = 4, Q = K = [[1, 1, 1, 1]]"
    )
    assert lines[1] == (
        "::notice file=nb.ipynb,title=attnproof unrecognised::cell 3, line 2: cannot read '\\frob'%0Aformula: \\frob(x)"
    )
    assert lines[2].startswith("::warning file=paper.tex,line=40,title=attnproof error [positions.rope]::gave up")
    assert lines[3] == (
        "::error file=latin1.md,title=attnproof unreadable::not UTF-8: invalid byte 0xe9 at byte offset 12 (line 2)"
    )
    assert lines[4] == "3 files, 4 formulas: 1 ok, 1 wrong, 1 unrecognised, 1 error; 1 file unreadable"
    assert not any("qkv.shapes" in line for line in lines)


def test_github_ok_findings_as_notices_when_asked():
    assert (
        render([OK], "github", files=1, show_ok=True)
        .splitlines()[0]
        .startswith("::notice file=notes.md,line=3,title=attnproof ok [qkv.shapes]::")
    )


def test_github_escapes_data_and_properties():
    finding = Finding("dir,x/a:b.md", 7, None, "y = 100%", Verdict.WRONG, "c.d", "50% off\r\nline")
    [command, _] = render([finding], "github", files=1).splitlines()
    assert command == (
        "::error file=dir%2Cx/a%3Ab.md,line=7,title=attnproof wrong [c.d]::50%25 off%0D%0Aline%0Aformula: y = 100%25"
    )


def test_json_round_trip_and_summary():
    document = json.loads(render(FINDINGS, "json", files=3, unreadable=UNREADABLE))
    assert document["version"] == 1
    assert [Finding(**{**f, "verdict": Verdict(f["verdict"])}) for f in document["findings"]] == FINDINGS
    assert document["summary"] == {
        "files": 3,
        "formulas": 4,
        "ok": 1,
        "wrong": 1,
        "unrecognised": 1,
        "error": 1,
        "unreadable": [{"file": "latin1.md", "message": "not UTF-8: invalid byte 0xe9 at byte offset 12 (line 2)"}],
    }


def test_json_keeps_non_ascii_and_is_deterministic():
    out = render(FINDINGS, "json", files=3)
    assert "√d_k" in out and out == render(list(FINDINGS), "json", files=3)
    assert out.startswith('{\n  "version": 1,')

"""`attnproof check PATH...`: exit codes, one stderr line per unreadable file, and the three formats."""

import json
import subprocess
import sys

import pytest

import attnproof
from attnproof.cli import main

RIGHT = "The queries are a projection: $Q = XW^Q$.\n"  # ok, qkv.shapes
WRONG = "Attention is $$\\mathrm{Attention}(Q,K,V) = \\mathrm{softmax}(QK^\\top/d_k)V$$\n"  # attention.definition
PROSE = "No formulas here, and it costs \\$5.\n"


def write(tmp_path, name: str, text: str | bytes) -> str:
    path = tmp_path / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(text if isinstance(text, bytes) else text.encode("utf-8"))
    return str(path)


# --- without verdicts: documents with no formulas, or that cannot be read -----------------------------


def test_prose_only_exits_0_with_a_summary(tmp_path, capsys):
    assert main(["check", write(tmp_path, "notes.md", PROSE)]) == 0
    out, err = capsys.readouterr()
    assert out == "1 file, 0 formulas: 0 ok, 0 wrong, 0 unrecognised, 0 error\n" and err == ""


def test_unreadable_file_exits_2_with_one_stderr_line_and_the_others_are_checked(tmp_path, capsys):
    bad = write(tmp_path, "bad.md", b"caf\xe9")
    good = write(tmp_path, "good.md", PROSE)
    missing = str(tmp_path / "missing.tex")
    assert main(["check", bad, good, missing]) == 2
    out, err = capsys.readouterr()
    assert err.splitlines() == [
        f"attnproof: error: {bad}: not UTF-8: invalid byte 0xe9 at byte offset 3 (line 1)",
        f"attnproof: error: {missing}: no such file",
    ]
    assert out == "1 file, 0 formulas: 0 ok, 0 wrong, 0 unrecognised, 0 error; 2 files unreadable\n"


@pytest.mark.parametrize(
    ("name", "content", "problem"),
    [
        ("notes.txt", "$x$", "unsupported file type '.txt'"),
        ("image.md", b"\x89PNG\x00", "binary file (NUL byte at byte offset 4)"),
        ("broken.ipynb", "{", "not a valid notebook: Notebook does not appear to be JSON"),
        ("future.ipynb", '{"nbformat": 99, "nbformat_minor": 0, "metadata": {}, "cells": []}', "nbformat version 99"),
    ],
)
def test_each_unreadable_kind_gets_one_line_and_exit_2(tmp_path, capsys, name, content, problem):
    path = write(tmp_path, name, content)
    assert main(["check", path]) == 2
    err = capsys.readouterr().err
    assert err.startswith(f"attnproof: error: {path}: ") and problem in err and err.count("\n") == 1


def test_a_folder_is_searched_and_json_parses(tmp_path, capsys):
    write(tmp_path, "docs/a.md", PROSE)
    write(tmp_path, "docs/sub/b.tex", "Only prose.")
    write(tmp_path, "docs/.git/c.md", b"\x00")
    write(tmp_path, "docs/notes.txt", b"\x00")
    assert main(["check", str(tmp_path / "docs"), "--format", "json"]) == 0
    document = json.loads(capsys.readouterr().out)
    assert document == {
        "version": 1,
        "findings": [],
        "summary": {"files": 2, "formulas": 0, "ok": 0, "wrong": 0, "unrecognised": 0, "error": 0, "unreadable": []},
    }


def test_json_lists_the_unreadable_files(tmp_path, capsys):
    missing = str(tmp_path / "missing.md")
    assert main(["check", missing, "--format", "json"]) == 2
    summary = json.loads(capsys.readouterr().out)["summary"]
    assert summary["unreadable"] == [{"file": missing, "message": "no such file"}] and summary["files"] == 0


def test_paths_are_required(capsys):
    with pytest.raises(SystemExit) as raised:
        main(["check"])
    assert raised.value.code == 2 and "PATH" in capsys.readouterr().err


# --- with verdicts from the checker ------------------------------------------------------------------


def test_a_right_formula_exits_0_and_is_shown_only_when_asked(tmp_path, capsys):
    path = write(tmp_path, "right.md", RIGHT)
    assert main(["check", path]) == 0
    assert capsys.readouterr().out == "1 file, 1 formula: 1 ok, 0 wrong, 0 unrecognised, 0 error\n"
    assert main(["check", path, "--show-ok"]) == 0
    assert capsys.readouterr().out.startswith(f"{path}:1: ok [qkv.shapes]: ")


def test_a_wrong_formula_exits_1_with_its_claim_and_hint(tmp_path, capsys):
    path = write(tmp_path, "wrong.md", RIGHT + "\n" + WRONG)
    assert main(["check", path]) == 1
    out = capsys.readouterr().out
    assert out.startswith(f"{path}:3: wrong [attention.definition]: ")
    assert "\n  formula: \\mathrm{Attention}(Q,K,V) = \\mathrm{softmax}(QK^\\top/d_k)V\n" in out
    assert "\n  hint: " in out and "sqrt" in out
    assert out.rstrip().endswith("1 file, 2 formulas: 1 ok, 1 wrong, 0 unrecognised, 0 error")


def test_wrong_and_unreadable_exit_2(tmp_path, capsys):
    assert main(["check", write(tmp_path, "wrong.md", WRONG), str(tmp_path / "missing.md")]) == 2
    out, err = capsys.readouterr()
    assert "wrong [attention.definition]" in out and "no such file" in err


def test_json_and_github_formats_carry_the_verdicts(tmp_path, capsys):
    path = write(tmp_path, "wrong.tex", RIGHT + WRONG)
    assert main(["check", path, "--format", "json"]) == 1
    document = json.loads(capsys.readouterr().out)
    assert [(f["line"], f["verdict"], f["claim"]) for f in document["findings"]] == [
        (1, "ok", "qkv.shapes"),
        (2, "wrong", "attention.definition"),
    ]
    assert main(["check", path, "--format", "github"]) == 1
    [command, summary] = capsys.readouterr().out.splitlines()
    assert command.startswith(f"::error file={path},line=2,title=attnproof wrong [attention.definition]::")
    assert summary.startswith("1 file, 2 formulas")


def test_notebook_findings_name_the_cell(tmp_path, capsys):
    cells = [
        {"cell_type": "code", "id": "a", "metadata": {}, "source": "x = 1", "outputs": [], "execution_count": None},
        {"cell_type": "markdown", "id": "b", "metadata": {}, "source": "Intro.\n\n" + WRONG},
    ]
    notebook = {"nbformat": 4, "nbformat_minor": 5, "metadata": {}, "cells": cells}
    path = write(tmp_path, "lecture.ipynb", json.dumps(notebook))
    assert main(["check", path]) == 1
    assert capsys.readouterr().out.startswith(f"{path}:cell 1:3: wrong [attention.definition]")


def test_check_text_from_the_package_top():
    [finding] = attnproof.check_text(RIGHT)
    assert (finding.file, finding.line, finding.verdict.value, finding.claim) == ("<text>", 1, "ok", "qkv.shapes")


def test_the_installed_command(tmp_path):
    path = write(tmp_path, "wrong.md", WRONG)
    result = subprocess.run(
        [sys.executable, "-m", "attnproof", "check", path, "--format", "json"], capture_output=True, text=True
    )
    assert result.returncode == 1 and result.stderr == ""
    assert json.loads(result.stdout)["summary"]["wrong"] == 1


def test_a_reader_that_stops_early_ends_the_run_quietly(tmp_path):
    """`attnproof check notes/ | head -1`: the pipe closes before the findings are written; no traceback."""
    path = write(tmp_path, "wrong.md", WRONG)
    process = subprocess.Popen([sys.executable, "-m", "attnproof", "check", path], stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE)
    process.stdout.close()  # the reader is gone before anything is written
    err = process.stderr.read().decode()
    assert process.wait() == 141 and err == ""

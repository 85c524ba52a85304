"""The command line: its output, its exit codes, and one clear line for every bad input."""

import json
import subprocess
import sys
import textwrap

import pytest

from attnproof.cli import main
from attnproof.registry import CLAIMS

GOOD = """
import impl
def attention(q, k, v, mask=None, causal=False, scale=None, enable_gqa=False):
    return impl.attention(q, k, v, mask=mask, causal=causal, scale=scale, enable_gqa=enable_gqa)
"""


def write(tmp_path, name: str, source: str) -> str:
    path = tmp_path / name
    path.write_text(textwrap.dedent(source))
    return str(path)


def test_claims_lists_every_claim_with_its_strength(capsys):
    assert main(["claims"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert [line.split()[0] for line in lines] == [c.id for c in CLAIMS]
    assert all(c.strength.value in line for c, line in zip(CLAIMS, lines, strict=True))


def test_verify_reference_json(capsys):
    assert main(["verify", "--claims", "mask,qkv.shapes", "--format", "json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["impl"] == "impl"
    assert [c["id"] for c in report["claims"]] == [c.id for c in CLAIMS if c.id.startswith("mask.")] + ["qkv.shapes"]
    assert all(c["status"] == "pass" and c["examples"] > 0 for c in report["claims"])
    assert set(report["claims"][0]) == {"id", "status", "examples", "seconds", "message"}


def test_verify_a_file_that_provides_part_of_the_protocol(tmp_path, capsys):
    path = write(tmp_path, "only_attention.py", GOOD)
    assert main(["verify", "--impl", path, "--claims", "qkv.shapes,positions.rope"]) == 0
    out = capsys.readouterr().out
    assert "pass  qkv.shapes" in out
    assert "skip  positions.rope" in out and "not provided: rope" in out
    assert out.rstrip().endswith("skipped") is False and "1 passed, 0 failed, 1 skipped" in out


@pytest.mark.parametrize(
    ("name", "source", "message"),
    [
        ("broken.py", "def attention(q, k, v:\n    pass\n", "syntax error at broken.py:1"),
        ("imports.py", "import no_such_package_xyz\n", "No module named 'no_such_package_xyz'"),
        ("nothing.py", "x = 1\n", "defines none of attention"),
        ("signature.py", "def attention(q, k):\n    return q\n", "does not match the protocol"),
    ],
)
def test_unloadable_implementations_get_one_line_and_exit_2(tmp_path, capsys, name, source, message):
    assert main(["verify", "--impl", write(tmp_path, name, source)]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err.count("\n") == 1 and message in captured.err and "Traceback" not in captured.err


def test_missing_file_and_missing_module_exit_2(capsys):
    assert main(["verify", "--impl", "no/such/file.py"]) == 2
    assert main(["verify", "--impl", "no_such_module_xyz"]) == 2
    err = capsys.readouterr().err
    assert "does not exist" in err and "cannot import implementation 'no_such_module_xyz'" in err


def test_unknown_claim_exits_2(capsys):
    assert main(["verify", "--claims", "no.such"]) == 2
    assert "no claim 'no.such'" in capsys.readouterr().err


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ("raise RuntimeError('kernel exploded')", "raised RuntimeError: kernel exploded"),
        ("return q", "returned shape"),
        ("return impl.attention(q, k, v).astype('float16')", "returned dtype float16"),
        ("return impl.attention(q, k, v) * float('nan')", "returned nan"),
        ("return list(q)", "should return a numpy array"),
        ("while True: pass", "did not return within 0.5 s"),
    ],
)
def test_faulty_implementations_fail_the_claim_without_a_crash(tmp_path, capsys, body, message):
    source = (
        f"import impl\ndef attention(q, k, v, mask=None, causal=False, scale=None, enable_gqa=False):\n    {body}\n"
    )
    path = write(tmp_path, "faulty.py", source)
    assert main(["verify", "--impl", path, "--claims", "qkv.shapes", "--timeout", "0.5"]) == 1
    out = capsys.readouterr().out
    assert "FAIL  qkv.shapes" in out and message in out and "Traceback" not in out


def test_python_dash_m_runs_the_same_command():
    result = subprocess.run([sys.executable, "-m", "attnproof", "claims"], capture_output=True, text=True, check=False)
    assert result.returncode == 0 and result.stdout.split()[0] == CLAIMS[0].id

"""The pytest plugin: inert unless --attnproof-impl is given; then one test per claim."""

import subprocess
import sys
import textwrap

BUGGY = """
import numpy as np

def attention(q, k, v, mask=None, causal=False, scale=None, enable_gqa=False):
    scores = q @ np.swapaxes(k, -1, -2) / q.shape[-1] ** 0.5
    if causal:  # the bug: triu keeps the future
        scores = np.where(np.triu(np.ones(scores.shape[-2:], bool)), scores, -1e9)
    weights = np.exp(scores - scores.max(-1, keepdims=True))
    return (weights / weights.sum(-1, keepdims=True)) @ v
"""


def run_pytest(folder, *args) -> subprocess.CompletedProcess:
    command = [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", *args]
    return subprocess.run(command, cwd=folder, capture_output=True, text=True, check=False)


def test_plugin_runs_the_claims_against_the_named_implementation(tmp_path):
    (tmp_path / "buggy.py").write_text(textwrap.dedent(BUGGY))
    result = run_pytest(tmp_path, "--attnproof-impl=buggy.py", "--attnproof-claims=mask.causal,qkv.shapes,positions")
    assert result.returncode == 1, result.stdout
    assert "FAILED ::attnproof[mask.causal]" in result.stdout
    assert "1 failed, 1 passed, 4 skipped" in result.stdout


def test_plugin_is_inert_without_the_option(tmp_path):
    result = run_pytest(tmp_path)
    assert result.returncode == 5 and "no tests ran" in result.stdout


def test_plugin_reports_a_bad_implementation_as_a_usage_error(tmp_path):
    result = run_pytest(tmp_path, "--attnproof-impl=missing.py")
    assert result.returncode == 4 and "does not exist" in result.stderr

"""REPORT.md: generated, current, deterministic, honest about failures, and every formula renders."""

import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from attnproof import figures, report
from attnproof.cli import main
from attnproof.registry import CLAIMS
from attnproof.runner import Outcome

TOP = Path(__file__).resolve().parent.parent
KATEX = TOP / ".katex" / "node_modules" / "katex"
RENDER_ALL = """
const katex = require(process.argv[1]);
const formulas = JSON.parse(require("fs").readFileSync(0, "utf8"));
const broken = [];
for (const [display, tex] of formulas) {
  try { katex.renderToString(tex, {displayMode: display, throwOnError: true, strict: "ignore"}); }
  catch (error) { broken.push(tex.slice(0, 120) + " -- " + error.message); }
}
console.log(JSON.stringify(broken));
"""


def formulas(markdown: str) -> list[tuple[bool, str]]:
    """Every $$display$$ and $inline$ formula of a Markdown text, outside code spans."""
    text = re.sub(r"`[^`\n]*`", "", markdown)
    display = re.findall(r"\$\$(.+?)\$\$", text, flags=re.S)
    inline = re.findall(r"(?<!\$)\$([^$\n]+?)\$(?!\$)", re.sub(r"\$\$.+?\$\$", "", text, flags=re.S))
    return [(True, f) for f in display] + [(False, f) for f in inline]


def test_report_on_disk_is_current():
    # In a fresh interpreter, as the command runs: the evidence's last digits (errors of 1e-16) move with the
    # alignment of numpy's arrays, which depends on what the process computed before.
    result = subprocess.run([sys.executable, "-m", "attnproof", "report", "--check", "--out", str(TOP / "REPORT.md")],
                            capture_output=True, text=True, check=False, cwd=TOP)
    assert result.returncode == 0, result.stdout + result.stderr


def test_report_covers_every_claim_and_figure():
    text = (TOP / "REPORT.md").read_text()
    assert all(f'<a id="{report.anchor(c)}"></a>' in text for c in CLAIMS)
    assert all((TOP / report.FIGURES_FOLDER / name).is_file() for name in figures.FIGURES)
    assert "NOT VERIFIED" not in text


@pytest.mark.skipif(shutil.which("node") is None or not KATEX.is_dir(), reason="KaTeX not installed (npm, see README)")
def test_every_formula_in_the_report_renders_in_katex():
    found = formulas((TOP / "REPORT.md").read_text())
    assert len(found) > 200
    result = subprocess.run(
        ["node", "-e", RENDER_ALL, str(KATEX)], input=json.dumps(found), capture_output=True, text=True, check=True
    )
    assert json.loads(result.stdout) == []


def test_figures_are_byte_identical_across_runs():
    assert figures.render_all() == figures.render_all()


def test_a_failed_claim_is_reported_as_not_verified_and_exits_1(tmp_path, monkeypatch):
    def with_one_broken_proof(profile):
        verdicts = {c.id: report.Verdict(outcome=Outcome(c.id, "pass", 1, 0.0)) for c in CLAIMS}
        verdicts[CLAIMS[0].id] = report.Verdict(proof_error="step 3 (a broken step): SymPy cannot confirm x = 1")
        return verdicts

    monkeypatch.setattr(report, "collect", with_one_broken_proof)
    assert report.report(tmp_path / "REPORT.md", check=False, profile="dev") == 1
    text = (tmp_path / "REPORT.md").read_text()
    assert "**NOT VERIFIED**" in text and "step 3 (a broken step)" in text


def test_report_into_a_missing_folder_is_a_one_line_error(capsys):
    assert main(["report", "--out", "/no/such/folder/REPORT.md"]) == 2
    assert capsys.readouterr().err.count("\n") == 1

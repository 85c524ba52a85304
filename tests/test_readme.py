"""README's two set-up commands are the ones CI and users run."""

import re
from pathlib import Path

TOP = Path(__file__).resolve().parent.parent


def readme_commands() -> list[str]:
    return re.findall(r"```sh\n(python3 -m venv .*)\n```", (TOP / "README.md").read_text())


def test_readme_gives_the_main_job_and_the_test_command():
    main_job, tests = readme_commands()
    assert main_job.endswith(".venv/bin/attnproof verify")
    assert "pytest" in tests


def test_ci_runs_exactly_the_readme_test_command():
    ci_commands = [line for line in (TOP / ".ci" / "run").read_text().splitlines() if line and line[0] not in "#"]
    assert ci_commands[-1] == readme_commands()[1]

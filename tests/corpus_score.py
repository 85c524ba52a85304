"""Score the checker on the labelled corpus (tests/check_corpus): recall, false alarms, verdict share.

Each label names a formula by file, line (and cell) and a piece of its LaTeX, and says whether the
formula is correct, wrong or out of scope. A wrong formula is caught when its finding says `wrong`;
a correct one is a false alarm when its finding says `wrong`; an in-scope formula has a verdict when
its finding says `ok` or `wrong`.

    python -m tests.corpus_score dev        # prints the scores and every miss
"""

import json
import sys
from dataclasses import dataclass, field
from pathlib import Path

from attnproof.check import check_text
from attnproof.check.documents import read
from attnproof.check.finding import Finding

CORPUS = Path(__file__).parent / "check_corpus"


@dataclass
class Score:
    wrong: int = 0
    caught: int = 0
    correct: int = 0
    false_alarms: int = 0
    in_scope: int = 0
    decided: int = 0
    out_of_scope_flagged: int = 0
    formulas: int = 0  # every formula checked, labelled or not
    misses: list[str] = field(default_factory=list)

    @property
    def recall(self) -> float:
        return self.caught / self.wrong

    @property
    def false_alarm_rate(self) -> float:
        return self.false_alarms / self.correct

    @property
    def verdict_share(self) -> float:
        return self.decided / self.in_scope

    def summary(self) -> str:
        return (
            f"recall {self.caught}/{self.wrong} = {self.recall:.1%}, "
            f"false alarms {self.false_alarms}/{self.correct} = {self.false_alarm_rate:.1%}, "
            f"verdicts {self.decided}/{self.in_scope} = {self.verdict_share:.1%}, "
            f"out of scope flagged wrong {self.out_of_scope_flagged}"
        )


def findings(split: str) -> dict[str, list[Finding]]:
    """Every document of a split, checked, by file name."""
    checked = {}
    for path in sorted((CORPUS / split).iterdir()):
        if path.suffix in {".md", ".tex", ".ipynb"}:
            kind, text = read(path)
            checked[path.name] = check_text(text, kind, path.name)
    return checked


def squash(latex: str) -> str:
    """Compare formulas without spaces or alignment marks: labels quote align rows as written."""
    return "".join(latex.replace("&", "").split())


def matching(label: dict, checked: dict[str, list[Finding]]) -> Finding | None:
    for finding in checked.get(label["file"], []):
        if finding.line == label["line"] and finding.cell == label.get("cell") and \
                squash(label["match"]) in squash(finding.latex):
            return finding
    return None


def score(split: str) -> Score:
    labels = json.loads((CORPUS / split / "labels.json").read_text())
    checked = findings(split)
    result = Score(formulas=sum(len(f) for f in checked.values()))
    for label in labels:
        finding = matching(label, checked)
        verdict = finding.verdict.value if finding else "none"
        where = f"{label['file']}:{label['line']}{'' if label.get('cell') is None else ' cell ' + str(label['cell'])}"
        note = f"{where}: {label['label']} [{label['claim']}] got {verdict}: {label['match']}" + (
            f" -- {finding.message}" if finding else "")
        if label["label"] == "out_of_scope":
            result.out_of_scope_flagged += verdict == "wrong"
            if verdict == "wrong":
                result.misses.append(note)
            continue
        result.in_scope += 1
        result.decided += verdict in {"ok", "wrong"}
        if label["label"] == "wrong":
            result.wrong += 1
            result.caught += verdict == "wrong"
        else:
            result.correct += 1
            result.false_alarms += verdict == "wrong"
        if (label["label"] == "wrong") != (verdict == "wrong") or verdict not in {"ok", "wrong"}:
            result.misses.append(note)
    return result


if __name__ == "__main__":
    outcome = score(sys.argv[1] if len(sys.argv) > 1 else "dev")
    for miss in outcome.misses:
        print(miss)
    print(outcome.summary())

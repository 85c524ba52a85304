"""What the checker says about one formula, and how a whole run is summarised."""

from dataclasses import asdict, dataclass
from enum import StrEnum


class Verdict(StrEnum):
    """The checker's answer for one formula."""

    OK = "ok"  # states a claim correctly
    WRONG = "wrong"  # states a claim incorrectly: there is a counterexample
    UNRECOGNISED = "unrecognised"  # a statement the checker cannot read or cannot tie to a claim
    ERROR = "error"  # the checker gave up on it (time limit)


@dataclass(frozen=True)
class Finding:
    """One formula's verdict, in the reader's terms.

    Example:
        >>> f = Finding("notes.md", 3, None, "Q = XW^K", Verdict.WRONG, "qkv.shapes", "Q uses W^K", "Q = XW^Q")
        >>> f.as_json()["verdict"]
        'wrong'
    """

    file: str
    line: int
    cell: int | None
    latex: str
    verdict: Verdict
    claim: str | None  # registry id, None when no claim was recognised
    message: str
    hint: str | None = None  # the corrected formula (LaTeX)
    counterexample: str | None = None  # for wrong verdicts: values at which the formula fails
    rung: str | None = None  # which check decided: shapes, symbolic, numeric, statistical, arithmetic

    def as_json(self) -> dict:
        record = asdict(self)
        record["verdict"] = self.verdict.value
        return record

"""What `attnproof check` prints: text for a reader, workflow commands for GitHub Actions, JSON for tools.

Every format is deterministic: findings in the order given (document order), counts in `Verdict` order.
"""

import json
from collections.abc import Sequence

from attnproof.check.documents import DocumentError
from attnproof.check.finding import Finding, Verdict

FORMATS = ("text", "json", "github")
LEVELS = {Verdict.WRONG: "error", Verdict.ERROR: "warning", Verdict.UNRECOGNISED: "notice", Verdict.OK: "notice"}


def render(
    findings: list[Finding],
    style: str,
    files: int,
    unreadable: Sequence[DocumentError] = (),
    show_ok: bool = False,
) -> str:
    """The findings of a run over `files` readable files, in one of FORMATS; ok findings only with show_ok.

    JSON always holds every finding; unreadable documents appear in the JSON summary and as GitHub errors
    (the command line reports them on stderr too).

    Example:
        >>> wrong = Finding("notes.md", 3, None, "Q = XW^K", Verdict.WRONG, "qkv.shapes", "Q projects with W^K")
        >>> print(render([wrong], "text", files=1))
        notes.md:3: wrong [qkv.shapes]: Q projects with W^K
          formula: Q = XW^K
        1 file, 1 formula: 0 ok, 1 wrong, 0 unrecognised, 0 error
    """
    if style == "json":
        return as_json(findings, files, unreadable)
    shown = [f for f in findings if show_ok or f.verdict != Verdict.OK]
    if style == "github":
        lines = [github(f) for f in shown] + [github_unreadable(error) for error in unreadable]
    else:
        lines = [text(f) for f in shown]
    return "\n".join([*lines, summary_line(summary(findings, files, unreadable))])


def location(finding: Finding) -> str:
    """Where a finding is, as compilers say it: `file:line`, or `file:cell N:line` in a notebook.

    Example:
        >>> location(Finding("nb.ipynb", 12, 3, "x", Verdict.OK, None, ""))
        'nb.ipynb:cell 3:12'
    """
    cell = "" if finding.cell is None else f"cell {finding.cell}:"
    return f"{finding.file}:{cell}{finding.line}"


def text(finding: Finding) -> str:
    """One finding for a reader: its location, verdict and claim, then the formula, hint and counterexample.

    Example:
        >>> print(text(Finding("a.md", 2, None, "x = 1", Verdict.UNRECOGNISED, None, "no claim", hint="y")))
        a.md:2: unrecognised: no claim
          formula: x = 1
          hint: y
    """
    claim = f" [{finding.claim}]" if finding.claim else ""
    head = f"{location(finding)}: {finding.verdict.value}{claim}: {finding.message}".replace("\n", "\n  ")
    extra = [("formula", finding.latex), ("hint", finding.hint), ("counterexample", finding.counterexample)]
    return "\n".join([head] + [f"  {name}: {value}" for name, value in extra if value])


def github(finding: Finding) -> str:
    r"""One finding as a GitHub Actions workflow command (an annotation on the file and line).

    A notebook's line counts within a cell, not in the file: the annotation names the file only,
    and the message starts with the cell and line.

    Example:
        >>> print(github(Finding("a.md", 2, None, "x", Verdict.WRONG, "mask.causal", "100% wrong, see:", hint="y")))
        ::error file=a.md,line=2,title=attnproof wrong [mask.causal]::100%25 wrong, see:%0Aformula: x%0Ahint: y
    """
    claim = f" [{finding.claim}]" if finding.claim else ""
    properties = {"file": finding.file, "line": finding.line, "title": f"attnproof {finding.verdict.value}{claim}"}
    message = finding.message
    if finding.cell is not None:
        del properties["line"]
        message = f"cell {finding.cell}, line {finding.line}: {message}"
    extra = [("formula", finding.latex), ("hint", finding.hint), ("counterexample", finding.counterexample)]
    message = "\n".join([message] + [f"{name}: {value}" for name, value in extra if value])
    return workflow_command(LEVELS[finding.verdict], properties, message)


def github_unreadable(error: DocumentError) -> str:
    """An unreadable document as a GitHub Actions error on the file.

    Example:
        >>> github_unreadable(DocumentError("no such file", "a.md"))
        '::error file=a.md,title=attnproof unreadable::no such file'
    """
    return workflow_command("error", {"file": error.file, "title": "attnproof unreadable"}, error.problem)


def workflow_command(level: str, properties: dict, message: str) -> str:
    """`::level key=value,...::message`, escaped as GitHub's toolkit does (`%`, CR, LF; in values also `:`, `,`).

    Example:
        >>> workflow_command("notice", {"file": "a,b:c.md"}, "50%\\ndone")
        '::notice file=a%2Cb%3Ac.md::50%25%0Adone'
    """
    fields = ",".join(f"{key}={_escape_property(str(value))}" for key, value in properties.items())
    return f"::{level} {fields}::{_escape_data(message)}"


def _escape_data(value: str) -> str:
    return value.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(value: str) -> str:
    return _escape_data(value).replace(":", "%3A").replace(",", "%2C")


def summary(findings: list[Finding], files: int, unreadable: Sequence[DocumentError] = ()) -> dict:
    """Counts per verdict, files checked, formulas with a finding, and the documents that could not be read.

    Example:
        >>> summary([], files=2, unreadable=[DocumentError("no such file", "a.md")])["unreadable"]
        [{'file': 'a.md', 'message': 'no such file'}]
    """
    counts = {verdict.value: sum(f.verdict == verdict for f in findings) for verdict in Verdict}
    unread = [{"file": error.file, "message": error.problem} for error in unreadable]
    return {"files": files, "formulas": len(findings), **counts, "unreadable": unread}


def summary_line(counts: dict) -> str:
    """The last line of the text and GitHub formats.

    Example:
        >>> summary_line({"files": 1, "formulas": 2, "ok": 2, "wrong": 0, "unrecognised": 0, "error": 0,
        ...               "unreadable": [{"file": "b.md", "message": "no such file"}]})
        '1 file, 2 formulas: 2 ok, 0 wrong, 0 unrecognised, 0 error; 1 file unreadable'
    """
    verdicts = ", ".join(f"{counts[verdict.value]} {verdict.value}" for verdict in Verdict)
    line = f"{_plural(counts['files'], 'file')}, {_plural(counts['formulas'], 'formula')}: {verdicts}"
    unreadable = len(counts["unreadable"])
    return f"{line}; {_plural(unreadable, 'file')} unreadable" if unreadable else line


def _plural(count: int, word: str) -> str:
    return f"{count} {word}" if count == 1 else f"{count} {word}s"


def as_json(findings: list[Finding], files: int, unreadable: Sequence[DocumentError] = ()) -> str:
    """`{"version": 1, "findings": [...], "summary": {...}}`, indented, non-ASCII kept as is.

    Example:
        >>> import json
        >>> json.loads(as_json([], files=0))["summary"]["formulas"]
        0
    """
    document = {
        "version": 1,
        "findings": [finding.as_json() for finding in findings],
        "summary": summary(findings, files, unreadable),
    }
    return json.dumps(document, ensure_ascii=False, indent=2)

"""The `attnproof` command: list the claims, verify an implementation, check the equations of teaching material.

    attnproof claims
    attnproof verify [--impl MODULE|FILE.py|torch|jax] [--claims ID,...] [--profile P] [--format text|json]
    attnproof report [--out PATH] [--check] [--profile P]
    attnproof check PATH... [--format text|json|github] [--show-ok]

Exit status: 0 when every claim checked passes (check: no formula is wrong), 1 when any fails (check: a
formula is wrong), 2 for a usage or load error (check: a document cannot be read; the others are still checked).
"""

import argparse
import json
import os
import sys
import time
from pathlib import Path

from attnproof import implementation, registry
from attnproof.errors import InputError, UsageError
from attnproof.options import VERIFY_OPTIONS
from attnproof.profiles import EXAMPLES
from attnproof.runner import Outcome, run_claim

REFERENCE = VERIFY_OPTIONS[0].default  # the bundled reference, impl/


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="attnproof", description="Check the mathematics of self-attention.")
    commands = parser.add_subparsers(dest="command", required=True)
    claims = commands.add_parser("claims", help="list every claim with its proof strength")
    claims.add_argument("--format", choices=["text", "json"], default="text")
    verify = commands.add_parser("verify", help="run every claim's property against an implementation")
    add_verify_options(verify)
    report = commands.add_parser("report", help="write REPORT.md (and its figures) from the registry")
    report.add_argument("--out", type=Path, default=Path("REPORT.md"), help="where to write (default: %(default)s)")
    report.add_argument("--check", action="store_true", help="exit 1 if the file on disk is not what would be written")
    report.add_argument("--profile", choices=list(EXAMPLES), default="dev", help="examples per claim's property")
    check = commands.add_parser("check", help="check the attention equations of Markdown, LaTeX and notebooks")
    check.add_argument("paths", nargs="+", type=Path, metavar="PATH", help="files, or folders to search")
    check.add_argument("--format", choices=["text", "json", "github"], default="text")
    check.add_argument("--show-ok", action="store_true", help="also print the formulas that are right")
    return parser


def add_verify_options(parser: argparse.ArgumentParser) -> None:
    for option in VERIFY_OPTIONS:
        option.add_to(parser.add_argument)
    parser.add_argument("--format", choices=["text", "json"], default="text")


def select_claims(spec: str | None) -> list[registry.Claim]:
    """The claims named by ids or by prefixes ending at a dot ('mask' selects mask.causal, mask.padding)."""
    if not spec:
        return list(registry.CLAIMS)
    chosen = []
    for wanted in (part.strip() for part in spec.split(",") if part.strip()):
        matches = [c for c in registry.CLAIMS if c.id == wanted or c.id.startswith(wanted + ".")]
        if not matches:
            known = ", ".join(c.id for c in registry.CLAIMS)
            raise UsageError(f"no claim '{wanted}'; known claims: {known}")
        chosen += [c for c in matches if c not in chosen]
    return chosen


def verify(args) -> int:
    claims = select_claims(args.claims)
    impl = implementation.load(args.impl, call_timeout=args.timeout)
    text = args.format == "text"
    if text:
        label = " (the bundled reference)" if args.impl == REFERENCE else ""
        print(f"attnproof verify: {args.impl}{label}, profile {args.profile}, {len(claims)} claims", flush=True)
    outcomes = []
    start = time.perf_counter()
    for claim in claims:
        outcome = run_claim(claim, impl, args.profile)
        outcomes.append(outcome)
        if text:
            print(format_outcome(outcome), flush=True)
    counts = {status: sum(o.status == status for o in outcomes) for status in ("pass", "fail", "skip")}
    findings = impl.findings()
    if text:
        for finding in findings:
            print(f"note  {finding}")
        print(
            f"{len(outcomes)} claims: {counts['pass']} passed, {counts['fail']} failed, "
            f"{counts['skip']} skipped ({time.perf_counter() - start:.1f} s)"
        )
    else:
        print(
            json.dumps(
                {
                    "impl": args.impl,
                    "profile": args.profile,
                    "claims": [outcome_json(o) for o in outcomes],
                    "findings": findings,
                    "summary": counts,
                },
                indent=2,
            )
        )
    return 1 if counts["fail"] else 0


def format_outcome(outcome: Outcome) -> str:
    """One line per claim (id, verdict, examples, time); a failure's counterexample indented below."""
    if outcome.status == "skip":
        return f"skip  {outcome.claim:<36} skipped: {outcome.message}"
    line = f"{outcome.status:<4}  {outcome.claim:<36} {outcome.examples:>5} examples {outcome.seconds:>7.2f} s"
    if outcome.status == "fail":
        line = "FAIL" + line[4:] + "".join(f"\n      {text}" for text in outcome.message.splitlines())
    return line


def outcome_json(outcome: Outcome) -> dict:
    return {
        "id": outcome.claim,
        "status": outcome.status,
        "examples": outcome.examples,
        "seconds": round(outcome.seconds, 3),
        "message": outcome.message,
    }


def check(args) -> int:
    """Check every document the paths name; each unreadable one gets a line on stderr and exit status 2."""
    from attnproof.check import check_paths, discover  # markdown-it, nbformat and SymPy load only when asked for
    from attnproof.check.finding import Verdict
    from attnproof.check.render import render

    documents = discover(args.paths)
    findings, unreadable = check_paths(documents)
    for error in unreadable:
        print(f"attnproof: error: {error}", file=sys.stderr)
    print(render(findings, args.format, len(documents) - len(unreadable), unreadable, args.show_ok))
    if unreadable:
        return 2
    return 1 if any(finding.verdict == Verdict.WRONG for finding in findings) else 0


def list_claims(args) -> int:
    from attnproof.check.coverage import covered

    if args.format == "json":
        rows = [
            {"id": c.id, "title": c.title, "strength": c.strength.value, "statement": c.statement,
             "checked_in_documents": c.id in covered()}
            for c in registry.CLAIMS
        ]
        print(json.dumps(rows, indent=2))
        return 0
    for claim in registry.CLAIMS:
        documents = "documents" if claim.id in covered() else "-"
        print(f"{claim.id:<36} {claim.strength.value:<12} {documents:<10} {claim.title}")
    return 0


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        status = run(args)
        sys.stdout.flush()  # inside the try: a reader that has gone is found here, not at the interpreter's exit
        return status
    except InputError as error:
        print(f"attnproof: error: {error}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:  # `attnproof check notes/ | head`: the reader has gone, which is no error of ours
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())  # so the exit's flush has nowhere to fail
        return 141  # as if killed by SIGPIPE (128 + 13), what a shell reports for the writer in such a pipe


def run(args) -> int:
    if args.command == "report":
        from attnproof.report import report  # matplotlib and the proofs load only when asked for

        return report(args.out, args.check, args.profile)
    if args.command == "check":
        return check(args)
    return list_claims(args) if args.command == "claims" else verify(args)

if __name__ == "__main__":
    sys.exit(main())

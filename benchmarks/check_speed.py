"""Benchmark: formulas per second of `attnproof check` on the labelled dev corpus, extraction included.

    python benchmarks/check_speed.py [--repeat 3] [PATH...]

Checks every document under the paths (tests/check_corpus/dev when none is given) in this process, as
`check_paths` does: one warm-up run (the grammar, SymPy and nbformat load there), then the best and
median of `--repeat` timed runs, reading, extraction and checking included. A last run, not timed as a
whole, times each formula's checking to list the slowest five. Speed is measured here, never asserted
in a test.
"""

import argparse
import statistics
import time
from pathlib import Path

from attnproof.check import check_paths, checker, discover
from attnproof.check.documents import read
from attnproof.check.extract import formulas

ROOT = Path(__file__).resolve().parent.parent
DEV = ROOT / "tests" / "check_corpus" / "dev"


def extracted(documents: list[Path]) -> int:
    """How many formulas extraction finds in the documents (one per align row), stated or not."""
    count = 0
    for path in documents:
        kind, text = read(path)
        count += len(formulas(text, kind))
    return count


def run(paths: list[Path]) -> float:
    """Seconds for one end-to-end check of the paths; an unreadable document stops the benchmark."""
    start = time.perf_counter()
    _, unreadable = check_paths(paths)
    seconds = time.perf_counter() - start
    if unreadable:
        raise SystemExit(f"check_speed: cannot read {unreadable[0]}")
    return seconds


def slowest(paths: list[Path], count: int = 5) -> list[tuple[float, str, str]]:
    """(seconds, where, latex) of the formulas whose checking took longest, from one more run."""
    timed: list[tuple[float, str, str]] = []
    current = [""]  # the document being checked
    original = checker.check_formula

    def timing(formula, document):
        start = time.perf_counter()
        try:
            return original(formula, document)
        finally:
            cell = "" if formula.cell is None else f"cell {formula.cell}:"
            timed.append((time.perf_counter() - start, f"{current[0]}:{cell}{formula.line}", formula.latex))

    checker.check_formula = timing  # check_formulas looks it up in the module on every formula
    try:
        for path in discover(paths):
            current[0] = path.name
            check_paths([path])
    finally:
        checker.check_formula = original
    return sorted(timed, key=lambda row: -row[0])[:count]


def shown(path: Path) -> str:
    """A path as the report names it: relative to the repository when it is inside it."""
    return str(path.resolve().relative_to(ROOT)) if path.resolve().is_relative_to(ROOT) else str(path)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("paths", nargs="*", type=Path, default=[DEV], metavar="PATH")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    documents = discover(args.paths)
    count = extracted(documents)
    run(args.paths)  # warm-up
    seconds = [run(args.paths) for _ in range(args.repeat)]
    best = min(seconds)
    names = " ".join(shown(path) for path in args.paths)
    files = f"{len(documents)} file" + "s" * (len(documents) != 1)
    print(f"attnproof check {names}: {files}, {count} formulas extracted")
    print(
        f"  best {best:.2f} s = {count / best:.1f} formulas/s, median {statistics.median(seconds):.2f} s "
        f"over {args.repeat} runs after 1 warm-up"
    )
    print("  slowest formulas (checking only):")
    for taken, where, latex in slowest(args.paths):
        short = latex if len(latex) <= 60 else latex[:57] + "..."
        print(f"    {taken:6.3f} s  {where:<40} {short}")


if __name__ == "__main__":
    main()

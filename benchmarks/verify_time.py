"""Benchmark: wall-clock time of `attnproof verify` on the bundled reference, per profile.

    python benchmarks/verify_time.py [--profile dev] [--repeat 3]

Runs the command in a fresh interpreter each time (imports included, as a user sees it) and
prints the best and median of the runs and the slowest claims of the last run. Speed is
measured here, never asserted in a test.
"""

import argparse
import json
import statistics
import subprocess
import sys
import time


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--profile", default="dev")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--impl", default="impl")
    args = parser.parse_args()
    command = [
        sys.executable,
        "-m",
        "attnproof",
        "verify",
        "--impl",
        args.impl,
        "--profile",
        args.profile,
        "--format",
        "json",
    ]
    seconds, report = [], {}
    for _ in range(args.repeat):
        start = time.perf_counter()
        result = subprocess.run(command, capture_output=True, text=True, check=False)
        seconds.append(time.perf_counter() - start)
        report = json.loads(result.stdout)
    slowest = sorted(report["claims"], key=lambda c: -c["seconds"])[:5]
    print(
        f"attnproof verify --impl {args.impl} --profile {args.profile}: "
        f"best {min(seconds):.1f} s, median {statistics.median(seconds):.1f} s over {args.repeat} runs"
    )
    for claim in slowest:
        print(f"  {claim['id']:<36} {claim['seconds']:6.2f} s  {claim['examples']} examples")


if __name__ == "__main__":
    main()

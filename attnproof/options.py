"""The options of `attnproof verify`, defined once for the command line and for the pytest plugin.

Example:
    >>> [option.flag for option in VERIFY_OPTIONS]
    ['--impl', '--claims', '--profile', '--timeout']
"""

from dataclasses import dataclass

from attnproof.implementation import DEFAULT_CALL_TIMEOUT
from attnproof.profiles import EXAMPLES


@dataclass(frozen=True)
class Option:
    """One option: its flag (the pytest plugin prefixes it with --attnproof-), default, type and help."""

    flag: str
    help: str
    default: object = None
    type: type = str
    choices: tuple | None = None

    def add_to(self, add_argument, prefix: str = "") -> None:
        """Register with argparse's add_argument or pytest's parser.addoption."""
        add_argument(
            f"--{prefix}{self.flag[2:]}", default=self.default, type=self.type, choices=self.choices, help=self.help
        )


VERIFY_OPTIONS = (
    Option(
        "--impl", "module name, .py file, or a built-in adapter: torch, jax (default: the bundled reference)", "impl"
    ),
    Option("--claims", "comma-separated claim ids or id prefixes (default: all)"),
    Option("--profile", "how many examples per claim", "dev", choices=tuple(EXAMPLES)),
    Option("--timeout", "seconds one call may take before it counts as a hang", DEFAULT_CALL_TIMEOUT, float),
)

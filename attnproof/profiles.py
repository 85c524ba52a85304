"""How hard to look: Hypothesis settings profiles for `verify` and the test suite.

- smoke: a few examples per claim, to see that a slow implementation loads and answers.
- dev: the default, quick enough to run on every change (verify well under a minute).
- ci: more examples, run by the project's CI.
- thorough: many more examples, for a release or a new implementation.

Every profile is reproducible: no example database, and each claim's search is seeded from
its id, so the same command finds the same examples and the same counterexamples.
"""

from hypothesis import HealthCheck, Verbosity, settings

EXAMPLES = {"smoke": 10, "dev": 100, "ci": 200, "thorough": 2000}


def profile_settings(profile: str) -> settings:
    """The Hypothesis settings for one profile name (KeyError for an unknown one)."""
    return settings(
        max_examples=EXAMPLES[profile],
        database=None,
        deadline=None,  # hangs are caught by the per-call time limit instead
        report_multiple_bugs=False,
        verbosity=Verbosity.quiet,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    )

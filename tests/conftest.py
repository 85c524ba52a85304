"""Shared fixtures: the profile the suite runs claims at, and implementations by name."""

import os

import pytest

import impl
from attnproof.implementation import from_object

PROFILE = "ci" if os.environ.get("CI") else "dev"


@pytest.fixture(scope="session")
def profile() -> str:
    """The Hypothesis profile for claims run by the suite: `ci` under CI, else `dev`."""
    return PROFILE


@pytest.fixture(scope="session")
def reference():
    return from_object("impl", impl)

"""Hypothesis settings profiles: dev (quick), ci (default), thorough."""

from __future__ import annotations

import os
import shlex
from collections.abc import Iterable

import pytest
from hypothesis import HealthCheck, Phase, settings

from eloqua_conformance.settings import ini_origin

__all__ = ["PROFILES", "register_profiles"]

# Requests go over the network, so no deadline; no example database, so a run is reproduced by its
# seed alone and writes nothing next to the suite.
_COMMON = {
    "deadline": None,
    "database": None,
    "suppress_health_check": [HealthCheck.too_slow, HealthCheck.filter_too_much, HealthCheck.data_too_large],
}
# Shrinking re-sends requests for minutes against a slow target; dev and ci report the first failing
# example as found (its curl line reproduces it), thorough shrinks it to a minimal one.
_NO_SHRINK = [Phase.explicit, Phase.reuse, Phase.generate, Phase.target]
PROFILES = {
    "dev": {"max_examples": 10, "stateful_step_count": 6, "phases": _NO_SHRINK},
    "ci": {"max_examples": 30, "stateful_step_count": 8, "phases": _NO_SHRINK},
    "thorough": {"max_examples": 300, "stateful_step_count": 20},
}


def register_profiles(config: pytest.Config) -> None:
    """Register the three profiles and make `ci` the default (--hypothesis-profile picks another)."""
    profile = config.getoption("hypothesis_profile", None)
    if profile is not None and profile not in PROFILES:
        raise pytest.UsageError(
            f"--hypothesis-profile: unknown profile {profile!r} from {_profile_origin(config)}; "
            f"choose one of {', '.join(PROFILES)}"
        )
    # Built on Hypothesis's "default" profile, not on whatever is loaded: where a CI variable is set, Hypothesis
    # loads its own "ci" profile, whose derandomize=True would otherwise be inherited and make every run ignore
    # --hypothesis-seed, so a failure seen in CI could not be reproduced elsewhere by its seed.
    default = settings.get_profile("default")
    for name, values in PROFILES.items():
        settings.register_profile(name, parent=default, **_COMMON, **values)  # type: ignore[arg-type]
    settings.load_profile("ci")


def _profile_origin(config: pytest.Config) -> str:
    """Where --hypothesis-profile came from; pytest reads ini addopts, then PYTEST_ADDOPTS, then the command line."""

    def given(args: Iterable[str]) -> bool:
        return any(arg == "--hypothesis-profile" or arg.startswith("--hypothesis-profile=") for arg in args)

    if given(config.invocation_params.args):
        return "--hypothesis-profile (command line)"
    if given(shlex.split(os.environ.get("PYTEST_ADDOPTS", ""))):
        return "PYTEST_ADDOPTS (environment)"
    return ini_origin(config, "addopts")

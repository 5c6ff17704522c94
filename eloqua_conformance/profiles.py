"""Hypothesis settings profiles: dev (quick), ci (default), thorough."""

from __future__ import annotations

from hypothesis import HealthCheck, Phase, settings

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


def register_profiles() -> None:
    """Register the three profiles and make `ci` the default (--hypothesis-profile picks another)."""
    for name, values in PROFILES.items():
        settings.register_profile(name, **_COMMON, **values)  # type: ignore[arg-type]
    settings.load_profile("ci")

"""Whether a pytest run is a conformance run, and pointing it at the packaged suite.

Installing the package must not change another project's test run, so the plugin acts only when asked:
a conformance option on the command line, or test paths (or `--pyargs` names) that reach the suite.
"""

from __future__ import annotations

import functools
import importlib.util
from pathlib import Path

import pytest

from eloqua_conformance.settings import OPTIONS

__all__ = ["SUITE_PACKAGE", "asked_for", "point_at_suite", "suite_dir"]

SUITE_PACKAGE = "eloqua_conformance.suite"


@functools.cache
def suite_dir() -> Path:
    """Where the conformance tests are, found without importing them."""
    spec = importlib.util.find_spec(SUITE_PACKAGE)
    assert spec is not None and spec.submodule_search_locations, f"{SUITE_PACKAGE} is missing from the install"
    return Path(next(iter(spec.submodule_search_locations))).resolve()


def asked_for(config: pytest.Config) -> bool:
    """A conformance option on the command line, or a collection argument that reaches the suite."""
    if any(config.getoption(option.dest, None) for option in OPTIONS):
        return True
    return any(_reaches_suite(config, arg) for arg in config.args)


def _reaches_suite(config: pytest.Config, arg: str) -> bool:
    target = arg.split("::", 1)[0]
    if config.getoption("pyargs", False) and not target.endswith(".py") and "/" not in target:
        return f"{target}.".startswith(f"{SUITE_PACKAGE}.") or SUITE_PACKAGE.startswith(f"{target}.")
    path = (config.invocation_params.dir / target).resolve()
    suite = suite_dir()
    if path == suite or suite in path.parents:
        return True
    # A checkout's root contains the suite (`pytest .`); an installed copy inside a project's venv must not count.
    return path in suite.parents and "site-packages" not in suite.parts


def point_at_suite(config: pytest.Config, against_target: bool) -> None:
    """Against a target, collect the packaged suite unless test paths were named on the command line.

    The project's own tests (the self-tests of a checkout, or a team's tests) belong to other runs.
    """
    if against_target and config.args_source != pytest.Config.ArgsSource.ARGS:
        config.args[:] = [str(suite_dir())]

"""`eloqua-conformance`: the packaged suite as a command, with the pytest plugin's options.

Everything but `--list` and `--strict` is passed to pytest as it is, so options, environment variables
and exit statuses are the plugin's: 0 conformant, 1 a requirement failed, 2 the target cannot be tested,
4 a usage error. Arguments after `--` go to pytest untouched.

pytest loads exactly the plugins a run needs: the suite's own and Hypothesis's (pytest-xdist too when -n or
--dist is given, so the suite can refuse it). No installed plugin is autoloaded, so a project's own plugins
(pytest-randomly, pytest-benchmark, ...) neither change a conformance run nor slow its start: pytest would
parse and rewrite each plugin's whole package for assertions, in every run. `-- -p NAME` still loads one.
"""

from __future__ import annotations

import importlib.util
import sys
from collections.abc import Sequence
from importlib.resources import as_file, files
from pathlib import Path

__all__ = ["PLUGINS", "main", "pytest_args"]

# Entry-point or module names for -p: the suite's plugin by its module, so pytest rewrites only that module
# (a package name would have it rewrite the whole package); Hypothesis's by its entry point.
PLUGINS = ("eloqua_conformance.plugin", "hypothesispytest")
_XDIST = ("-n", "--numprocesses", "--dist", "--maxprocesses", "--tx")

_USAGE = """usage: eloqua-conformance [--list] [--target-url URL --auth CRED ...] [-- PYTEST_ARGS]
       eloqua-conformance diff OLD.json NEW.json
       eloqua-conformance replay REPORT [--requirement ID ...] [--target-url URL --auth CRED ...]

Runs the conformance suite against --target-url, or, without it, against the reference mock in-process.
--strict      SHOULD failures fail the run too (the plugin's --conformance-strict)
--list        print every requirement: ID, level, title and what it needs to be exercised
Every suite option is listed in `eloqua-conformance --help` under "Eloqua segment-copy conformance".
"""


def pytest_args(argv: Sequence[str], config_file: Path) -> list[str]:
    """pytest's argv for a run of the packaged suite; `--strict` becomes the suite's own SHOULD gate."""
    args = list(argv)
    ours, theirs = (args[: args.index("--")], args[args.index("--") + 1 :]) if "--" in args else (args, [])
    ours = ["--conformance-strict" if arg == "--strict" else arg for arg in ours]
    suite_parent = Path(str(files("eloqua_conformance"))).resolve().parent
    return [
        "-c", str(config_file),
        f"--rootdir={suite_parent}",  # node ids read eloqua_conformance/suite/test_*.py wherever it is installed
        "-o", f"cache_dir={Path.cwd() / '.pytest_cache'}",  # --lf works, and nothing is written beside the install
        "--disable-plugin-autoload", *_plugin_args(ours + theirs),
        "--pyargs", "eloqua_conformance.suite",
        *ours, *theirs,
    ]  # fmt: skip


def _plugin_args(args: Sequence[str]) -> list[str]:
    plugins = list(PLUGINS)
    asks_for_xdist = any(arg.startswith(option) for arg in args for option in _XDIST)
    if asks_for_xdist and importlib.util.find_spec("xdist") is not None:
        plugins.append("xdist.plugin")  # only so that the suite's plugin can refuse -n with its own message
    return [arg for plugin in plugins for arg in ("-p", plugin)]


def _list() -> int:
    from eloqua_conformance.catalogue import requirements

    for entry in requirements():
        needs = f"  [needs {', '.join(entry.needs)}]" if entry.needs else ""
        print(f"{entry.id:<12} {entry.level:<7} {entry.title}{needs}")
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    if args[:1] == ["diff"]:
        from eloqua_conformance import diff

        return diff.main(args[1:])
    if args[:1] == ["replay"]:
        from eloqua_conformance import replay

        return replay.main(args[1:], _run)
    if "--list" in args[: args.index("--") if "--" in args else len(args)]:
        return _list()
    if args[:1] in (["-h"], ["--usage"]):
        print(_USAGE, end="")
        return 0
    return _run(args)


def _run(args: list[str]) -> int:
    """One run of the packaged suite; pytest's exit status."""
    import pytest

    with as_file(files("eloqua_conformance") / "suite" / "conformance.ini") as config_file:
        return int(pytest.main(pytest_args(args, config_file)))

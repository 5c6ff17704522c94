"""Bad configuration: a usage error (exit 4) naming the option and where its value came from.

tests/test_suite_end_to_end.py covers the command line for the URL, --auth and the profile, and
the environment for the segment id; these are the other sources. The runs are independent and spend
their time starting pytest, so they run side by side.
"""

from functools import partial

import pytest
from _live import AUTH, run_suite, side_by_side

from eloqua_conformance.cli import PLUGINS

URL = "http://127.0.0.1:9"
# The plugins a suite run needs, as the console script loads them (and the project's own addopts).
_SUITE_PLUGINS_ONLY = ("--disable-plugin-autoload", *(arg for plugin in PLUGINS for arg in ("-p", plugin)))
NO_SCHEME = "Site\\User:S3cret-pw"  # no basic: or bearer: in front
# name -> (command-line arguments, environment, ini file lines or None, what stderr must say)
CASES = {
    "url-env": ([], {"CONFORMANCE_TARGET_URL": "not a url"}, None,
                "--target-url: bad value from CONFORMANCE_TARGET_URL (environment): 'not a url' is not an http"),
    "url-ini-file": ([], {}, ["conformance_target_url = ftp://example.com"],
                     "--target-url: bad value from conformance_target_url ({ini}): 'ftp://example.com'"),
    "url-ini-override": (["-o", "conformance_target_url=127.0.0.1:8080"], {}, None,
                         "--target-url: bad value from conformance_target_url (-o on the command line): "
                         "'127.0.0.1:8080' is not an http"),
    "auth-env": (["--target-url", URL], {"CONFORMANCE_AUTH": NO_SCHEME}, None,
                 "--auth: bad value from CONFORMANCE_AUTH (environment): expected basic:"),
    "auth-ini-file": (["--target-url", URL], {}, [f"conformance_auth = {NO_SCHEME}"],
                      "--auth: bad value from conformance_auth ({ini}): expected basic:"),
    "source-id-cli": (["--target-url", URL, "--auth", AUTH, "--source-segment-id=abc"], {}, None,
                      "--source-segment-id: bad value from --source-segment-id (command line): 'abc' is not"),
    "source-id-ini-file": (["--target-url", URL, "--auth", AUTH], {}, ["conformance_source_segment_id = 12abc"],
                           "--source-segment-id: bad value from conformance_source_segment_id ({ini}): '12abc'"),
    "profile-env": ([], {"PYTEST_ADDOPTS": "--hypothesis-profile=nope"}, None,
                    "--hypothesis-profile: unknown profile 'nope' from PYTEST_ADDOPTS (environment)"),
    "profile-ini-file": ([], {}, ["addopts = --hypothesis-profile=nope"],
                         "--hypothesis-profile: unknown profile 'nope' from addopts ({ini})"),
}  # fmt: skip


def _run(tmp_path, name):
    args, env, ini_lines, expected = CASES[name]
    if ini_lines is not None:
        ini = tmp_path / name / "pytest.ini"
        ini.parent.mkdir()
        ini.write_text("\n".join(["[pytest]", *ini_lines, ""]))
        args, expected = [f"--config-file={ini}", *args], expected.format(ini=ini)
    # No --hypothesis-profile on the command line: it would hide the one from PYTEST_ADDOPTS or addopts.
    # The error comes from the suite's own plugin before any test is collected. Autoloading is off only because
    # pytest would parse and rewrite every installed plugin's package, most of each start-up; and with it off,
    # the child can be forked from the warm process (tests/_live.py) although it has its own ini file.
    return run_suite(*_SUITE_PLUGINS_ONLY, *args, env=env, timeout=60, profile=None), expected


@pytest.fixture(scope="module")
def outcomes(tmp_path_factory):
    tmp_path = tmp_path_factory.mktemp("config")
    with side_by_side({name: partial(_run, tmp_path, name) for name in CASES}, workers=3) as futures:
        yield futures


@pytest.mark.parametrize("name", list(CASES))
def test_bad_value_is_a_usage_error_naming_option_and_source(outcomes, name):
    result, expected = outcomes[name].result()
    assert result.returncode == pytest.ExitCode.USAGE_ERROR, result.tail()
    assert expected in result.stderr, result.stderr
    assert "Traceback" not in result.output
    assert "S3cret-pw" not in result.output  # a credential that does not parse is not echoed either

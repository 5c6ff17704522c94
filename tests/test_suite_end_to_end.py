"""The suite run for real, as a user runs it: `pytest --target-url` against servers on loopback."""

from __future__ import annotations

import os
import subprocess
import sys
import time

import pytest
from _live import ROOT, run_suite

from eloqua_conformance.mock import SegmentService, default_config, running_server
from eloqua_conformance.mock.config import DEFAULT_ADMIN, DEFAULT_READER

AUTH = f"basic:{DEFAULT_ADMIN.site}\\{DEFAULT_ADMIN.user}:{DEFAULT_ADMIN.password}"
FORBIDDEN = f"basic:{DEFAULT_READER.site}\\{DEFAULT_READER.user}:{DEFAULT_READER.password}"


class _Permissive(SegmentService):
    """Breaks AUTHZ-01: everyone may create."""

    def authorize(self, identity, operation):
        return True


class _PeakStore(SegmentService):
    """The reference mock, noting the most segments it held at once."""

    peak = 0

    def handle(self, request):
        response = super().handle(request)
        self.peak = max(self.peak, len(self.segment_ids()))
        return response


def test_reference_server_passes_strict_and_its_store_is_left_as_found(tmp_path):
    service = _PeakStore(default_config())
    before = {segment_id: service.get(segment_id) for segment_id in service.segment_ids()}
    with running_server(service) as url:
        result = run_suite("--target-url", url, "--auth", AUTH, "--forbidden-auth", FORBIDDEN,
                           "--fault-injection", "--conformance-strict", f"--report-dir={tmp_path}")  # fmt: skip
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-2000:]
    assert "verdict: certified" in result.stdout
    assert {segment_id: service.get(segment_id) for segment_id in service.segment_ids()} == before
    # Each test's segments (and each state-machine example's) are deleted when it ends: a live target never
    # holds more than a handful of the run's at once (a `ci` run against the mock held at most 11).
    assert service.peak <= len(before) + 15, service.peak


def test_source_segment_id_is_only_read(tmp_path):
    service = SegmentService(default_config())
    (seeded,) = service.segment_ids()
    before = service.get(seeded)
    with running_server(service) as url:
        result = run_suite("--target-url", url, "--auth", AUTH, "--source-segment-id", seeded,
                           f"--report-dir={tmp_path}")  # fmt: skip
    assert result.returncode == 0, result.stdout[-3000:]
    assert service.get(seeded) == before and service.segment_ids() == {seeded}
    # Without --forbidden-auth and --fault-injection, 403 and 500 are said to be not exercised, never passed.
    assert "NOT-EXERCISED  AUTHZ-01" in result.stdout and "NOT-EXERCISED  FAULT-01" in result.stdout
    assert "verdict: conformant-partial" in result.stdout


def test_a_server_breaking_one_requirement_fails_the_run_and_is_named(tmp_path):
    with running_server(_Permissive(default_config())) as url:
        result = run_suite("--target-url", url, "--auth", AUTH, "--forbidden-auth", FORBIDDEN,
                           "--fault-injection", f"--report-dir={tmp_path}")  # fmt: skip
    assert result.returncode == 1, result.stdout[-3000:]
    assert "FAIL           AUTHZ-01 (MUST)" in result.stdout
    assert "expected status 403" in result.stdout and 'curl -u "$ELOQUA_FORBIDDEN_AUTH" -i -X POST' in result.stdout
    assert DEFAULT_ADMIN.password not in result.stdout + result.stderr


def test_closed_port_exits_2_quickly_with_one_line(tmp_path):
    started = time.monotonic()
    result = run_suite("--target-url", "http://127.0.0.1:9", "--auth", AUTH, f"--report-dir={tmp_path}")
    assert time.monotonic() - started < 15
    assert result.returncode == 2
    reasons = [line for line in (result.stdout + result.stderr).splitlines() if "unreachable" in line]
    assert len(reasons) == 1 and "Connection refused" in reasons[0]
    assert "Traceback" not in result.stdout + result.stderr


def test_rejected_credentials_exit_2(tmp_path):
    with running_server(SegmentService(default_config())) as url:
        result = run_suite("--target-url", url, "--auth", "bearer:not-a-token", f"--report-dir={tmp_path}")
    assert result.returncode == 2
    assert "rejected the credentials given by --auth (command line)" in result.stdout + result.stderr


@pytest.mark.parametrize(
    ("args", "env", "message"),
    [
        (["--target-url", "not a url"], {}, "--target-url: bad value from --target-url (command line)"),
        ([], {"CONFORMANCE_TARGET_URL": "http://127.0.0.1:9"}, "--auth is required with --target-url "
                                                               "(given by CONFORMANCE_TARGET_URL (environment))"),
        (["--target-url", "http://127.0.0.1:9", "--auth", "S\\u:p"], {},
         "--auth: bad value from --auth (command line)"),
        ([], {"CONFORMANCE_SOURCE_SEGMENT_ID": "abc"}, "--source-segment-id: bad value from "
                                                      "CONFORMANCE_SOURCE_SEGMENT_ID (environment)"),
        (["--hypothesis-profile", "nope"], {}, "--hypothesis-profile: unknown profile 'nope'"),
    ],
    ids=["url", "auth-missing", "auth-scheme", "source-id", "profile"],
)  # fmt: skip
def test_bad_options_are_usage_errors_naming_option_and_source(args, env, message):
    result = run_suite(*args, env=env, timeout=60)
    assert result.returncode == 4, result.stdout + result.stderr
    assert message in result.stderr


_PROFILES_UNDER_CI = """
import types
from hypothesis import settings
from eloqua_conformance.profiles import PROFILES, register_profiles
assert settings.get_profile("ci").derandomize, "Hypothesis's own ci profile is loaded where CI is set"
register_profiles(types.SimpleNamespace(getoption=lambda name, default=None: None))
print(sorted(name for name in PROFILES if settings.get_profile(name).derandomize), settings.default.derandomize)
"""


def test_the_suites_profiles_keep_the_seed_deciding_where_ci_is_set():
    # Where CI is set Hypothesis loads its "ci" profile (derandomize=True); a profile built on it would make
    # --hypothesis-seed do nothing, and a failure seen in CI could not be reproduced by its seed.
    shown = subprocess.run([sys.executable, "-c", _PROFILES_UNDER_CI], env={**os.environ, "CI": "true"},
                           capture_output=True, text=True, timeout=60, cwd=ROOT)  # fmt: skip
    assert shown.stdout.strip() == "[] False", shown.stdout + shown.stderr

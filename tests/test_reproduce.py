"""What a failure hands a team to act on: a curl line that reproduces it, and the run's traffic as HAR."""

from __future__ import annotations

import json
import re
import subprocess

import pytest
from _live import AUTH, FORBIDDEN, run_cli
from haralyzer import HarParser

from eloqua_conformance.credentials import parse_credential
from eloqua_conformance.mock import default_config, running_server
from eloqua_conformance.mock.config import DEFAULT_ADMIN
from eloqua_conformance.mock.variants import VARIANTS

_CURL = re.compile(r"^E?\s*reproduce: (curl .*)$", re.MULTILINE)  # pytest prefixes failure text with E
_ACTUAL = re.compile(r"^E?\s*actual:\s+(\d{3}),", re.MULTILINE)


def test_the_printed_curl_line_run_as_printed_returns_the_failing_answer(tmp_path):
    # IdNotValidated answers a non-numeric path id with 404, not 400: a failure that needs no source segment.
    with running_server(VARIANTS["IdNotValidated"](default_config())) as url:
        result = run_cli("--target-url", url, "--auth", AUTH, "--requirement", "VALID-04", cwd=tmp_path)
        assert result.returncode == 1, result.tail()
        line = _CURL.search(result.stdout)[1]
        assert '-u "$ELOQUA_AUTH"' in line and "Basic" not in line, line
        assert "first: export ELOQUA_AUTH='TestSite\\admin:PASSWORD'  (the --auth credentials)" in result.stdout
        env = {"PATH": "/usr/bin:/bin", "ELOQUA_AUTH": f"{DEFAULT_ADMIN.login}:{DEFAULT_ADMIN.password}"}
        replayed = subprocess.run(["bash", "-c", f"{line} -s -o /dev/null -w '%{{http_code}}'"], env=env,
                                  capture_output=True, text=True, timeout=30)  # fmt: skip
    assert replayed.stdout == _ACTUAL.search(result.stdout)[1] == "404", (line, replayed.stdout, replayed.stderr)


def test_in_process_runs_print_lines_for_the_reference_mock_served_locally(tmp_path):
    result = run_cli("--embedded-service=eloqua_conformance.mock.variants:IdNotValidated", "--requirement",
                     "VALID-04", cwd=tmp_path)  # fmt: skip
    assert result.returncode == 1, result.tail()
    assert "curl -u \"$ELOQUA_AUTH\" -i -X POST http://127.0.0.1:8080/api/REST/2.0/" in result.stdout
    assert "first: python -m eloqua_conformance.mock --port 8080 &" in result.stdout


def test_the_har_record_parses_and_holds_every_exchange_of_the_run(tmp_path):
    with running_server(VARIANTS["PasswordNotChecked"](default_config())) as url:
        result = run_cli("--target-url", url, "--auth", AUTH, "--forbidden-auth", FORBIDDEN, "--record-har",
                         "--report-dir", "out", cwd=tmp_path)  # fmt: skip
    assert result.returncode == 1, result.tail()
    har = json.loads((tmp_path / "out" / "traffic.har").read_text(encoding="utf-8"))
    entries = HarParser(har).har_data["entries"]
    report = json.loads((tmp_path / "out" / "conformance.json").read_text(encoding="utf-8"))
    assert len(entries) == report["requests"]["total"] > 100
    served = [entry["comment"] for entry in entries]
    assert any("AUTHN-02" in comment for comment in served) and "requirements: set-up or clean-up" in served
    assert all(entry["time"] >= 0 and entry["startedDateTime"] for entry in entries)
    failing = report["requirements"][[e["id"] for e in report["requirements"]].index("AUTHN-02")]
    assert failing["outcome"] == "fail"
    assert DEFAULT_ADMIN.password not in json.dumps(har)  # every form of every credential: test_hostile_targets


def test_a_varied_wrong_password_is_reproduced_from_the_real_credential_as_printed(tmp_path):
    # PasswordCaseInsensitive accepts the real password in another case, which AUTHN-02 sends third.
    with running_server(VARIANTS["PasswordCaseInsensitive"](default_config())) as url:
        # The seeded segment 1 as the source: only read, so it is still there when the line is run.
        result = run_cli("--target-url", url, "--auth", AUTH, "--requirement", "AUTHN-02", "--source-segment-id", "1",
                         cwd=tmp_path)  # fmt: skip
        assert result.returncode == 1, result.tail()
        line = _CURL.search(result.stdout)[1]
        assert "Basic" not in line and "${ELOQUA_AUTH" in line, line
        env = {"PATH": "/usr/bin:/bin", "ELOQUA_AUTH": f"{DEFAULT_ADMIN.login}:{DEFAULT_ADMIN.password}"}
        replayed = subprocess.run(["bash", "-c", f"{line} -s -o /dev/null -w '%{{http_code}}'"], env=env,
                                  capture_output=True, text=True, timeout=30)  # fmt: skip
    assert replayed.stdout == _ACTUAL.search(result.stdout)[1] == "201", (line, replayed.stdout, replayed.stderr)


@pytest.mark.parametrize("password", ["Pw:zq9-7F3a", "p", "ab\\c:d$e`x'y\"z"])
def test_each_varied_password_expands_in_the_shell_to_exactly_what_was_sent(password):
    login = parse_credential(f"basic:Site\\User:{password}")
    for varied in (password + "-wrong", password[:-1], password.swapcase()):
        expression = login.curl_auth_varied(varied, "ELOQUA_AUTH")[1]
        env = {"PATH": "/usr/bin:/bin", "ELOQUA_AUTH": f"Site\\User:{password}"}
        shown = subprocess.run(["bash", "-c", f"printf %s {expression}"], env=env, capture_output=True, text=True,
                               timeout=10)  # fmt: skip
        assert shown.stdout == f"Site\\User:{varied}", (expression, shown.stderr)


def test_a_password_the_shell_cannot_vary_exactly_shows_the_masked_header_instead():
    login = parse_credential("basic:Site\\User:straße")
    assert login.curl_auth_varied(login.secret.swapcase(), "ELOQUA_AUTH") is None  # ß -> SS: not tr's ASCII swap
    assert login.curl_auth_varied("other", "ELOQUA_AUTH") is None

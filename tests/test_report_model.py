"""The report dict and its four renderings, built in-process from a crafted ledger: no suite run needed."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import UTC, datetime

import jsonschema
import pytest
from junitparser import Failure, JUnitXml, Skipped

from eloqua_conformance.catalogue import requirements
from eloqua_conformance.credentials import parse_credential
from eloqua_conformance.exchange import Exchange
from eloqua_conformance.failure import RequirementFailure
from eloqua_conformance.mock.config import DEFAULT_ADMIN
from eloqua_conformance.report import RENDERERS, build_report, write_reports
from eloqua_conformance.report.evidence import BODY_EXCERPT
from eloqua_conformance.resources import REPORT_SCHEMA, spec_file
from eloqua_conformance.run import open_run
from eloqua_conformance.settings import Settings
from eloqua_conformance.verdicts import Ledger

SCHEMA = json.loads(spec_file(REPORT_SCHEMA).read_text(encoding="utf-8"))
SECRETS = (DEFAULT_ADMIN.password, DEFAULT_ADMIN.basic_authorization().split()[1])
HOSTILE = "<script>alert(1)</script> | `x` [link](http://example.invalid) \x00\x1b \ud800 &amp;"


@pytest.fixture
def embedded_run():
    the_run = open_run(Settings())
    yield the_run
    the_run.close()


def _exchange(body: bytes = b"{}", status: int = 201) -> Exchange:
    return Exchange(
        method="POST",
        url="http://server.invalid/api/REST/2.0/assets/contact/segment/1/copy",
        request_headers={"Authorization": "Basic ***", "Content-Type": "application/json"},
        request_body=b'{"name": "n"}',
        status=status,
        response_headers={"content-type": "application/json", "x-echo": DEFAULT_ADMIN.basic_authorization()},
        response_body=body,
    )


def _report(ledger, run, strict=False):
    if strict:
        run.settings = replace(run.settings, strict=True)
    return build_report(ledger, run, started=datetime.now(UTC), duration=1.5, seed=42, profile="dev")


def _broken_ledger(*exchanges: Exchange, actual: str = "201") -> Ledger:
    ledger = Ledger()
    ids = [entry.id for entry in requirements()]
    ledger.record_pass("tests/test_x.py::test_pass", tuple(ids[2:-1]))  # the last is left not exercised
    failure = RequirementFailure(ids[0], "status 403", actual, exchanges)
    ledger.record_failure("tests/test_x.py::test_fail", (ids[0],), failure, "call: failed")
    ledger.record_failure("tests/test_x.py::test_error", (ids[1],), RuntimeError("boom"), "setup: RuntimeError: boom")
    return ledger


def test_one_entry_per_requirement_in_catalogue_order_and_valid_against_the_schema(embedded_run):
    report = _report(_broken_ledger(_exchange()), embedded_run)
    jsonschema.Draft202012Validator(SCHEMA).validate(report)
    assert [entry["id"] for entry in report["requirements"]] == [entry.id for entry in requirements()]
    assert [entry["outcome"] for entry in report["requirements"][:3]] == ["fail", "error", "pass"]
    assert report["verdict"] == "not-conformant"
    assert report["counts"] == {"pass": len(requirements()) - 3, "fail": 1, "error": 1, "not-exercised": 1,
                                "not-selected": 0}
    assert report["requirements"][1]["reason"] == "setup: RuntimeError: boom"
    assert report["requirements"][2]["reason"] is None


def test_a_failure_keeps_expected_actual_and_at_most_three_exchanges_with_curl(embedded_run):
    report = _report(_broken_ledger(*[_exchange(status=200 + n) for n in range(5)]), embedded_run)
    (failure,) = report["requirements"][0]["failures"]
    assert (failure["expected"], failure["actual"], failure["exchanges_total"]) == ("status 403", "201", 5)
    assert [exchange["response"]["status"] for exchange in failure["exchanges"]] == [200, 201, 202]
    assert failure["exchanges"][0]["request"]["line"].startswith("POST http://server.invalid/")
    assert failure["exchanges"][0]["curl"].startswith("curl -i -X POST http://server.invalid/")
    assert "The first 3 of 5 exchanges." in RENDERERS["conformance.html"](report)


def test_options_name_their_source_and_show_credentials_only_by_who(embedded_run):
    embedded_run.settings = replace(
        embedded_run.settings,
        auth=parse_credential(f"basic:{DEFAULT_ADMIN.site}\\{DEFAULT_ADMIN.user}:{DEFAULT_ADMIN.password}"),
        origins={"--auth": "CONFORMANCE_AUTH (environment)"},
    )
    options = _report(Ledger(), embedded_run)["options"]
    assert options["--auth"] == {"value": "basic:TestSite\\admin:***", "source": "CONFORMANCE_AUTH (environment)"}
    assert options["--report-dir"] == {"value": "reports", "source": "default"}


def test_secrets_are_masked_in_every_file_even_when_a_server_echoes_them(embedded_run, tmp_path):
    body = f'{{"echo": "{DEFAULT_ADMIN.password}", "auth": "{DEFAULT_ADMIN.basic_authorization()}"}}'.encode()
    ledger = _broken_ledger(_exchange(body), actual=f"password {DEFAULT_ADMIN.password} echoed")
    write_reports(_report(ledger, embedded_run), tmp_path)
    text = "".join(path.read_text(encoding="utf-8") for path in tmp_path.iterdir())
    assert "***" in text
    assert not [secret for secret in SECRETS if secret in text]


def test_a_long_body_is_masked_before_it_is_cut(embedded_run):
    body = ("x" * (BODY_EXCERPT - 5) + DEFAULT_ADMIN.password + "y" * 500).encode()
    exchange = _report(_broken_ledger(_exchange(body)), embedded_run)["requirements"][0]["failures"][0]["exchanges"][0]
    # Cut first, the excerpt would end in "admin"; masked first, the whole password is "***".
    assert "***" in exchange["response"]["body"] and "admin" not in exchange["response"]["body"]
    assert exchange["response"]["body_truncated"]
    assert exchange["response"]["body_bytes"] == len(body)


def test_hostile_text_is_inert_in_every_format(embedded_run, tmp_path):
    ledger = _broken_ledger(_exchange(HOSTILE.encode("utf-8", "surrogatepass")), actual=HOSTILE)
    write_reports(_report(ledger, embedded_run), tmp_path)
    loaded = json.loads((tmp_path / "conformance.json").read_text(encoding="utf-8"))
    assert loaded["requirements"][0]["failures"][0]["actual"].startswith("<script>alert(1)</script> | ")
    page = (tmp_path / "conformance.html").read_text(encoding="utf-8")
    assert "<script" not in page and "&lt;script&gt;alert(1)&lt;/script&gt;" in page and "\x00" not in page
    xml = JUnitXml.fromfile(str(tmp_path / "junit.xml"))  # control characters would make it unparseable
    assert sum(1 for suite in xml for _ in suite) == len(requirements())
    summary = (tmp_path / "summary.md").read_text(encoding="utf-8")
    row = next(line for line in summary.splitlines() if line.startswith(f"| {requirements()[0].id} "))
    assert "<script" not in summary and row.count(" | ") == 3  # the body's pipe did not add a column


def test_junit_maps_outcomes_to_failure_error_and_skipped(embedded_run, tmp_path):
    ledger = _broken_ledger(_exchange())
    ledger.record_not_exercised("tests/test_x.py::test_skip", (requirements()[-1].id,), "no --forbidden-auth")
    write_reports(_report(ledger, embedded_run), tmp_path)
    cases = {case.name.split()[0]: case for suite in JUnitXml.fromfile(str(tmp_path / "junit.xml")) for case in suite}
    first, second, last = requirements()[0].id, requirements()[1].id, requirements()[-1].id
    assert isinstance(cases[first].result[0], Failure) and "expected: status 403" in cases[first].result[0].text
    assert cases[second].result[0].message == "setup: RuntimeError: boom"
    assert isinstance(cases[last].result[0], Skipped) and cases[last].result[0].message == "no --forbidden-auth"


@pytest.mark.parametrize(
    ("record", "strict", "verdict"),
    [
        ("all", False, "certified"),
        ("musts", False, "certified"),
        ("musts", True, "conformant-partial"),
        ("none", False, "conformant-partial"),
    ],
)
def test_verdict_follows_the_ledger_and_strict(embedded_run, record, strict, verdict):
    ledger = Ledger()
    proved = {"all": requirements(), "musts": [e for e in requirements() if e.is_must], "none": []}[record]
    ledger.record_pass("tests/test_x.py::test_pass", tuple(entry.id for entry in proved))
    report = _report(ledger, embedded_run, strict=strict)
    assert (report["verdict"], report["strict"]) == (verdict, strict)
    assert f"<code>{verdict}</code>" in RENDERERS["conformance.html"](report)


def test_the_schema_is_valid_json_schema_2020_12():
    jsonschema.Draft202012Validator.check_schema(SCHEMA)

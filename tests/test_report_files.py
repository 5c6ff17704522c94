"""The report files of real suite runs: certified, conformant-partial and not-conformant (one broken server)."""

from __future__ import annotations

import base64
import json
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path

import jsonschema
import pytest
from _live import Finished, run_suite
from junitparser import Failure, JUnitXml, Skipped

from eloqua_conformance.catalogue import area_titles, requirements
from eloqua_conformance.mock import SegmentService, default_config, running_server
from eloqua_conformance.mock.config import DEFAULT_ADMIN, DEFAULT_READER
from eloqua_conformance.resources import REPORT_SCHEMA, spec_file

HERE = Path(__file__).resolve().parent
SCHEMA = json.loads(spec_file(REPORT_SCHEMA).read_text(encoding="utf-8"))
AUTH = f"basic:{DEFAULT_ADMIN.site}\\{DEFAULT_ADMIN.user}:{DEFAULT_ADMIN.password}"
BROKEN = {"AUTHZ-01", "AUTHZ-02", "STATUS-02"}  # STATUS-02: with no 403 anywhere, the run never sees one
FILES = {"conformance.json", "junit.xml", "conformance.html", "summary.md"}


class BrokenAuthorization(SegmentService):
    """Breaks AUTHZ-01 and AUTHZ-02: every identity may create."""

    def authorize(self, identity, operation):
        return True


@dataclass
class SuiteRun:
    result: Finished
    reports: Path

    @property
    def output(self) -> str:
        return self.result.stdout + self.result.stderr

    def json(self) -> dict:
        return json.loads((self.reports / "conformance.json").read_text(encoding="utf-8"))

    def entry(self, requirement_id: str) -> dict:
        return next(entry for entry in self.json()["requirements"] if entry["id"] == requirement_id)


def _run_suite(reports: Path, *args: str) -> SuiteRun:
    """The conformance tests in a child pytest from the project root; this directory importable for the variant."""
    finished = run_suite("eloqua_conformance/suite", f"--report-dir={reports}", *args, env={"PYTHONPATH": str(HERE)},
                         timeout=240)  # fmt: skip
    return SuiteRun(finished, reports)


@pytest.fixture(scope="module")
def certified(tmp_path_factory):
    return _run_suite(tmp_path_factory.mktemp("certified"), "--hypothesis-seed=12345")


@pytest.fixture(scope="module")
def partial(tmp_path_factory):
    # A real server without --forbidden-auth or --fault-injection: 403 and 500 cannot be exercised.
    with running_server(SegmentService(default_config())) as url:
        return _run_suite(tmp_path_factory.mktemp("partial"), f"--target-url={url}", f"--auth={AUTH}")


@pytest.fixture(scope="module")
def broken(tmp_path_factory):
    return _run_suite(tmp_path_factory.mktemp("broken"), "--embedded-service=test_report_files:BrokenAuthorization")


RUNS = ["certified", "partial", "broken"]


@pytest.fixture(params=RUNS)
def any_run(request):
    return request.getfixturevalue(request.param)


@pytest.mark.parametrize(
    ("name", "verdict", "exit_code"),
    [("certified", "certified", 0), ("partial", "conformant-partial", 0), ("broken", "not-conformant", 1)],
)
def test_verdict_and_exit_status(request, name, verdict, exit_code):
    run = request.getfixturevalue(name)
    assert run.result.returncode == exit_code, run.output[-3000:]
    assert run.json()["verdict"] == verdict
    assert f"verdict: {verdict} — report: {run.reports / 'conformance.html'}" in run.result.stdout.splitlines()


def test_every_file_is_written_and_the_json_matches_the_schema(any_run):
    assert {path.name for path in any_run.reports.iterdir()} == FILES
    report = any_run.json()
    jsonschema.Draft202012Validator(SCHEMA, format_checker=jsonschema.FormatChecker()).validate(report)
    assert [entry["id"] for entry in report["requirements"]] == [entry.id for entry in requirements()]
    assert report["requests"]["total"] == sum(report["requests"]["by_status"].values()) > 50
    assert report["spec"]["openapi"]["path"] == "spec/openapi.yaml" and report["left_behind"] == []


def test_the_broken_server_fails_exactly_its_requirements_with_evidence(broken):
    report = broken.json()
    assert {entry["id"] for entry in report["requirements"] if entry["outcome"] != "pass"} == BROKEN
    (failure,) = broken.entry("AUTHZ-01")["failures"]
    assert failure["test"] == "eloqua_conformance/suite/test_authz.py::test_identity_that_may_not_create_gets_403"
    assert (failure["expected"], failure["actual"]) == ("status 403", "201, Content-Type application/json")
    (exchange,) = failure["exchanges"]
    assert exchange["request"]["line"].startswith("POST ") and exchange["request"]["line"].endswith("/copy")
    assert exchange["request"]["headers"]["authorization"] == "Basic ***"
    assert exchange["response"]["status"] == 201 and '"type":"ContactSegment"' in exchange["response"]["body"]
    # The forbidden identity's credentials come from the environment; the header itself is never printed.
    assert exchange["curl"].startswith('curl -u "$ELOQUA_FORBIDDEN_AUTH" -i -X POST ')
    assert "authorization" not in exchange["curl"].lower()
    assert "export ELOQUA_FORBIDDEN_AUTH='TestSite\\reader:PASSWORD'" in exchange["reproduce_note"]
    assert broken.entry("AUTHZ-01")["tests"] == [{"test": failure["test"], "outcome": "fail"}]


def test_not_exercised_requirements_say_why(partial):
    report = partial.json()
    skipped = {entry["id"]: entry["reason"] for entry in report["requirements"] if entry["outcome"] != "pass"}
    assert "AUTHZ-01" in skipped and "FAULT-01" in skipped
    assert {entry["outcome"] for entry in report["requirements"]} == {"pass", "not-exercised"}
    assert "--forbidden-auth" in skipped["AUTHZ-01"]
    assert report["target"]["url"].startswith("http://127.0.0.1:") and report["target"]["embedded_service"] is None
    assert report["options"]["--auth"] == {"value": "basic:TestSite\\admin:***", "source": "--auth (command line)"}


def test_options_seed_and_timing_are_recorded(certified):
    report = certified.json()
    assert report["hypothesis"] == {"profile": "dev", "seed": 12345}
    assert report["options"]["--conformance-strict"] == {"value": False, "source": "default"}
    assert report["target"] == {"url": None, "label": "embedded reference mock (in-process)",
                                "embedded_service": "eloqua_conformance.mock:SegmentService"}  # fmt: skip
    assert 0 < report["duration_seconds"] < 120


def test_junit_has_one_suite_per_area_and_one_case_per_requirement(broken, partial):
    for run in (broken, partial):
        report = run.json()
        xml = JUnitXml.fromfile(str(run.reports / "junit.xml"))
        assert [suite.name for suite in xml] == [f"{code}: {title}" for code, title in area_titles().items()]
        cases = {case.name.split()[0]: case for suite in xml for case in suite}
        assert list(cases) == [entry.id for entry in requirements()]
        for entry in report["requirements"]:
            kinds = [type(result) for result in cases[entry["id"]].result]
            expected = {"pass": [], "fail": [Failure], "not-exercised": [Skipped]}[entry["outcome"]]
            assert kinds == expected, entry["id"]
            if entry["outcome"] != "pass":
                assert cases[entry["id"]].result[0].message == entry["reason"]
    failure = next(case for suite in JUnitXml.fromfile(str(broken.reports / "junit.xml")) for case in suite
                   if case.name.startswith("AUTHZ-01 ")).result[0]  # fmt: skip
    assert "expected: status 403" in failure.text
    assert 'reproduce: curl -u "$ELOQUA_FORBIDDEN_AUTH" -i -X POST' in failure.text


class _Links(HTMLParser):
    def __init__(self):
        super().__init__()
        self.tags: set[str] = set()
        self.urls: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.tags.add(tag)
        self.urls += [value or "" for name, value in attrs if name in {"src", "href", "srcset", "action", "data"}]


def test_html_names_every_requirement_and_fetches_nothing(any_run):
    page = (any_run.reports / "conformance.html").read_text(encoding="utf-8")
    report = any_run.json()
    assert all(f'id="{entry.id}"' in page for entry in requirements())
    assert f"<code>{report['verdict']}</code>" in page
    links = _Links()
    links.feed(page)
    assert not links.tags & {"script", "link", "img", "iframe", "object", "embed"}
    assert all(url.startswith("#") for url in links.urls), links.urls
    assert "@import" not in page and "url(" not in page
    assert page.count("<details><summary>Evidence") == sum(len(e["failures"]) for e in report["requirements"])


def test_markdown_summary_is_a_table_naming_what_did_not_pass(broken, certified):
    summary = (broken.reports / "summary.md").read_text(encoding="utf-8")
    assert summary.startswith("## ❌ Eloqua segment-copy conformance: **not-conformant**")
    assert "| Area | Pass | Fail | Error | Not exercised |" in summary
    assert all(f"| {rid} " in summary for rid in BROKEN) and "| AUTHN-01 " not in summary
    assert len(summary.splitlines()) < 30
    clean = (certified.reports / "summary.md").read_text(encoding="utf-8")
    assert "**certified**" in clean and "| Requirement |" not in clean


def _secrets() -> set[str]:
    found = set()
    for identity in (DEFAULT_ADMIN, DEFAULT_READER):
        raw = f"{identity.login}:{identity.password}".encode()
        found |= {identity.password, identity.token, base64.b64encode(raw).decode()}
    return found


def test_no_credential_in_any_report_file_or_in_pytest_output(any_run):
    seen = [any_run.output] + [path.read_text(encoding="utf-8") for path in any_run.reports.iterdir()]
    leaks = {(secret, index) for secret in _secrets() for index, text in enumerate(seen) if secret in text}
    assert not leaks

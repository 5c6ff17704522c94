"""conformance.html as a real browser shows it: headless Chromium renders it, runs nothing, fetches nothing."""

from __future__ import annotations

import shutil
import struct
import subprocess
from datetime import UTC, datetime

import pytest

from eloqua_conformance.catalogue import requirements
from eloqua_conformance.exchange import Exchange
from eloqua_conformance.failure import RequirementFailure
from eloqua_conformance.report import build_report, write_reports
from eloqua_conformance.run import open_run
from eloqua_conformance.settings import Settings
from eloqua_conformance.verdicts import Ledger

CHROMIUM = shutil.which("chromium")
pytestmark = pytest.mark.skipif(CHROMIUM is None, reason="chromium is not installed (apt-get install chromium)")
WIDTH, HEIGHT = 1280, 2000
# A server answer that would run script, fetch an image and retitle the page if it were not escaped.
HOSTILE = b'<script>document.title="pwned"</script><img src="http://192.0.2.1/x.png" onerror="alert(1)">'


def _page(tmp_path):
    ledger = Ledger()
    ids = [entry.id for entry in requirements()]
    ledger.record_pass("tests/test_x.py::test_pass", tuple(ids[3:]))
    exchange = Exchange("POST", "http://server.invalid/api/REST/2.0/assets/contact/segment/1/copy",
                        {"Authorization": "Basic ***"}, b"{}", 201, {"content-type": "text/html"}, HOSTILE)  # fmt: skip
    failure = RequirementFailure(ids[0], "status 403", HOSTILE.decode(), (exchange,))
    ledger.record_failure("tests/test_x.py::test_fail", (ids[0],), failure, "call: failed")
    ledger.record_failure("tests/test_x.py::test_error", (ids[1],), RuntimeError("boom"), "setup: boom")
    ledger.record_not_exercised("tests/test_x.py::test_skip", (ids[2],), "no --forbidden-auth identity given")
    the_run = open_run(Settings())
    try:
        report = build_report(ledger, the_run, started=datetime.now(UTC), duration=2.0, seed=7, profile="dev")
    finally:
        the_run.close()
    return write_reports(report, tmp_path / "reports")


def _chromium(tmp_path, *args):
    command = [CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
               "--disable-background-networking", "--disable-component-update", "--disable-sync",
               f"--user-data-dir={tmp_path / 'profile'}", f"--window-size={WIDTH},{HEIGHT}", *args]  # fmt: skip
    return subprocess.run(command, capture_output=True, text=True, timeout=120, cwd=tmp_path)


def test_chromium_renders_the_page_with_every_requirement_and_no_injected_markup(tmp_path):
    page = _page(tmp_path)
    dom = _chromium(tmp_path, "--dump-dom", page.as_uri())
    assert dom.returncode == 0, dom.stderr[-2000:]
    html = dom.stdout
    assert "<code>not-conformant</code>" in html and "Not conformant" in html
    assert all(f'id="{rid}"' in html for rid in (entry.id for entry in requirements()))
    assert "<title>not-conformant: Eloqua segment-copy conformance</title>" in html  # the script did not run
    assert "<script" not in html and "<img" not in html
    assert "&lt;script&gt;document.title=" in html


def test_chromium_screenshot_is_a_full_size_picture(tmp_path):
    page = _page(tmp_path)
    shot = tmp_path / "shot.png"
    result = _chromium(tmp_path, f"--screenshot={shot}", page.as_uri())
    assert result.returncode == 0, result.stderr[-2000:]
    png = shot.read_bytes()
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    assert struct.unpack(">II", png[16:24]) == (WIDTH, HEIGHT)
    assert len(png) > 50_000  # a blank page of this size compresses to a few kilobytes

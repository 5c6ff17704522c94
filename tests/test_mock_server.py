"""The reference mock as a real HTTP server: uvicorn in a thread, a keep-alive load, and the CLI process."""

from __future__ import annotations

import email.utils
import http.client
import json
import os
import re
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path
from urllib.parse import urlsplit

import httpx
import pytest

from eloqua_conformance.mock import SegmentService, client_for, default_config, running_server
from eloqua_conformance.mock.variants.legitimate import ChunkedResponses

ADMIN, READER = default_config().identities
ROOT = Path(__file__).parents[1]
LOAD = 2000


def test_real_server_answers_like_the_in_process_service() -> None:
    service = SegmentService(default_config())
    with running_server(service) as base_url, httpx.Client(base_url=base_url, timeout=5) as client:
        admin = {"Authorization": str(ADMIN.basic_authorization())}
        copy = client.post("/API/rest/2.0/assets/contact/segment/1/copy", json={"name": "real"}, headers=admin)
        assert copy.status_code == 201 and copy.json()["name"] == "real"
        assert copy.json()["id"] in service.segment_ids()
        unauthorized = client.post("/api/REST/2.0/assets/contact/segment/1/copy", json={})
        assert unauthorized.status_code == 401
        assert len(unauthorized.headers.get_list("www-authenticate")) == 2
        bad = client.post("/api/REST/2.0/assets/contact/segment/1/copy", content=b"{", headers=admin)
        assert bad.status_code == 415
        deleted = client.delete(f"/api/REST/2.0/assets/contact/segment/{copy.json()['id']}", headers=admin)
        assert (deleted.status_code, deleted.content) == (200, b"")


def test_2000_copies_over_keep_alive_then_deletes_leave_the_store_as_it_was() -> None:
    service = SegmentService(default_config())
    before = service.segment_ids()
    headers = {"Authorization": str(ADMIN.basic_authorization()), "Content-Type": "application/json"}
    prefix = "/api/REST/2.0/assets/contact/segment"
    local_ports: set[int] = set()

    # http.client, not httpx: what is under load is the server, and httpx's own cost per request doubled this
    # test's time (8.5 s against 3.2-3.8 s for the 4,000 requests, measured one after the other).
    def send(connection: http.client.HTTPConnection, method: str, path: str, body: bytes | None = None) -> bytes:
        connection.request(method, path, body=body, headers=headers)
        response = connection.getresponse()
        assert connection.sock is not None, f"the server closed the connection after {method} {path}"
        local_ports.add(connection.sock.getsockname()[1])
        content = response.read()
        assert response.status == (201 if method == "POST" else 200), (response.status, content)
        return content

    with running_server(service) as base_url:
        where = urlsplit(base_url)
        connection = http.client.HTTPConnection(str(where.hostname), where.port, timeout=10)
        try:
            bodies = (json.dumps({"name": f"load {n}"}).encode() for n in range(LOAD))
            ids = [json.loads(send(connection, "POST", f"{prefix}/1/copy", body))["id"] for body in bodies]
            assert len(set(ids)) == LOAD
            assert service.segment_ids() == before | set(ids)
            for segment_id in ids:
                send(connection, "DELETE", f"{prefix}/{segment_id}")
        finally:
            connection.close()
    assert len(local_ports) == 1, f"the client should have reused one keep-alive connection, used {len(local_ports)}"
    assert service.segment_ids() == before


def _start_cli(*args: str, env: dict[str, str] | None = None) -> tuple[subprocess.Popen[str], str, str]:
    """The running CLI process, its base URL and its banner."""
    process = subprocess.Popen(
        [sys.executable, "-m", "eloqua_conformance.mock", "--port", "0", "--log-level", "warning", *args],
        cwd=ROOT,
        env={**os.environ, **(env or {})},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert process.stdout is not None
    # readline() blocks; a timer kills the process if the banner does not come in bounded time.
    timer = threading.Timer(15, process.kill)
    timer.start()
    banner: list[str] = []
    try:
        while not banner or "stops it" not in banner[-1]:
            line = process.stdout.readline()
            if not line:
                break
            banner.append(line)
    finally:
        timer.cancel()
    found = re.search(r"http://[0-9.]+:[0-9]+", "".join(banner))
    if found is None:
        process.kill()
        raise AssertionError(f"no URL in banner {banner!r}; stderr: {process.communicate()[1]}")
    return process, found.group(0), "".join(banner)


@pytest.mark.parametrize("stop_signal", [signal.SIGTERM, signal.SIGINT], ids=["SIGTERM", "SIGINT"])
def test_cli_serves_prints_its_identities_and_stops_cleanly(stop_signal: signal.Signals) -> None:
    process, url, banner = _start_cli("--no-seed", env={"ELOQUA_MOCK_READER_TOKEN": "env-reader-token"})
    try:
        with httpx.Client(base_url=url + "/api/REST/2.0/assets/contact", timeout=5) as client:
            created = client.post("/segment", json={"name": "cli"}, headers={"Authorization": "Bearer admin-token"})
            assert created.status_code == 201
            assert created.json()["id"] == "1"  # --no-seed: the store started empty
            reader = {"Authorization": "Bearer env-reader-token"}
            assert client.post("/segment/1/copy", json={}, headers=reader).status_code == 403
            assert client.post("/segment/1/copy", json={}, headers={"Prefer": "code=500", **reader}).status_code == 500
    finally:
        process.send_signal(stop_signal)
        stdout, stderr = process.communicate(timeout=15)
    assert process.returncode == 0, stderr
    assert "Bearer env-reader-token" in banner and f"{ADMIN.login}:{ADMIN.password}" in banner
    assert "stopped" in stdout


def test_cli_refuses_bad_settings_naming_their_source() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "eloqua_conformance.mock"],
        cwd=ROOT,
        env={**os.environ, "ELOQUA_MOCK_PORT": "eighty"},
        capture_output=True,
        text=True,
        timeout=30,
    )
    assert result.returncode == 2
    assert result.stderr.startswith("error: ELOQUA_MOCK_PORT:")


def test_running_server_reports_a_server_that_cannot_start(monkeypatch: pytest.MonkeyPatch) -> None:
    from eloqua_conformance.mock import server

    class Broken:
        started = False
        should_exit = False

        def run(self, sockets: object) -> None:
            return None

    monkeypatch.setattr(server, "build_server", lambda service: Broken())
    started = time.monotonic()
    with pytest.raises(RuntimeError, match="did not start"), running_server(SegmentService(), timeout=2):
        pass
    assert time.monotonic() - started < 5


def test_the_in_process_transport_dates_responses_and_streams_chunked_ones() -> None:
    chunked = ChunkedResponses(default_config())
    with client_for(SegmentService(), ADMIN) as plain, client_for(chunked, ADMIN) as streamed:
        dated = plain.get("/assets/contact/segment/1")
        pieces = streamed.get("/assets/contact/segment/1")
    assert abs(email.utils.parsedate_to_datetime(dated.headers["date"]).timestamp() - time.time()) < 60
    assert pieces.headers["transfer-encoding"] == "chunked" and "content-length" not in pieces.headers
    assert pieces.json() == dated.json()


def test_a_chunked_body_goes_over_the_wire_without_a_length() -> None:
    with running_server(ChunkedResponses(default_config())) as url:
        answer = httpx.get(f"{url}/api/REST/2.0/assets/contact/segment/1", auth=(ADMIN.login, ADMIN.password or ""))
    assert answer.status_code == 200 and answer.headers["transfer-encoding"] == "chunked"
    assert "content-length" not in answer.headers and answer.json()["id"] == "1"

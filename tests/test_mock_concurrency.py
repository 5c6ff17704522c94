"""The reference mock under concurrent use through one shared in-process transport."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor

import httpx

from eloqua_conformance.mock import SegmentService, ServiceTransport, default_config

ADMIN, _ = default_config().identities
THREADS = 8


def _client(transport: ServiceTransport) -> httpx.Client:
    return httpx.Client(
        transport=transport,
        base_url="http://mock/api/REST/2.0",
        headers={"Authorization": str(ADMIN.basic_authorization())},
    )


def test_200_parallel_copies_get_200_distinct_ids_and_lose_nothing() -> None:
    service = SegmentService(default_config())
    before = service.segment_ids()
    barrier = threading.Barrier(THREADS)

    with _client(ServiceTransport(service)) as client:

        def copy(n: int) -> httpx.Response:
            if n < THREADS:
                barrier.wait(timeout=10)  # start all threads together
            return client.post("/assets/contact/segment/1/copy", json={"name": f"parallel {n}"})

        with ThreadPoolExecutor(THREADS) as pool:
            responses = list(pool.map(copy, range(200)))

    assert [r.status_code for r in responses] == [201] * 200
    ids = [r.json()["id"] for r in responses]
    assert len(set(ids)) == 200
    element_ids = [e["id"] for r in responses for e in r.json()["elements"]]
    assert len(set(element_ids)) == 400
    assert service.segment_ids() == before | set(ids)
    for n, segment_id in enumerate(ids):
        stored = service.get(segment_id)
        assert stored is not None and stored["name"] == f"parallel {n}"


def test_concurrent_copies_and_deletes_keep_the_store_consistent() -> None:
    service = SegmentService(default_config())
    before = service.segment_ids()
    transport = ServiceTransport(service)

    def copy_then_delete(n: int) -> tuple[int, int, int]:
        # One client per thread here, so both sharing styles are exercised.
        with _client(transport) as client:
            copy = client.post("/assets/contact/segment/1/copy", json={"name": f"c{n}"})
            copied_id = copy.json()["id"]
            again = client.post(f"/assets/contact/segment/{copied_id}/copy", json={})
            deleted = client.delete(f"/assets/contact/segment/{copied_id}")
            client.delete(f"/assets/contact/segment/{again.json()['id']}")
            return copy.status_code, again.status_code, deleted.status_code

    with ThreadPoolExecutor(THREADS) as pool:
        results = list(pool.map(copy_then_delete, range(120)))

    assert set(results) == {(201, 201, 200)}
    assert service.segment_ids() == before


def test_racing_deletes_of_one_segment_succeed_exactly_once() -> None:
    service = SegmentService(default_config())
    transport = ServiceTransport(service)
    with _client(transport) as client:
        victims = [client.post("/assets/contact/segment/1/copy", json={}).json()["id"] for _ in range(20)]

        def delete(segment_id: str) -> int:
            return client.delete(f"/assets/contact/segment/{segment_id}").status_code

        with ThreadPoolExecutor(THREADS) as pool:
            statuses = list(pool.map(delete, [v for v in victims for _ in range(4)]))

    assert statuses.count(200) == 20
    assert statuses.count(404) == 60

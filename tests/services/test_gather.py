"""gather(): concurrent calls under one deadline, results and errors in order."""

import threading

import pytest

from kit.request_id import request_id_var
from kit.services import UpstreamProblem, UpstreamTimeout, gather, upstream


def test_results_and_errors_come_back_in_order(server, configure):
    configure("users", URL=server.url, RETRIES=0)
    users = upstream("users")
    first, failed, third = gather(
        lambda: users.get("/a").data["path"],
        lambda: users.get("/problem"),
        lambda: users.get("/c").data["path"],
    )
    assert (first, third) == ("/a", "/c")
    assert isinstance(failed, UpstreamProblem)


def test_calls_run_concurrently_up_to_the_limit():
    barrier = threading.Barrier(3, timeout=5)  # broken unless three calls run at the same time
    assert gather(*[lambda: barrier.wait() >= 0] * 3, limit=3) == [True, True, True]
    running = []
    lock = threading.Lock()
    most = []

    def call():
        with lock:
            running.append(1)
            most.append(len(running))
        threading.Event().wait(0.02)
        with lock:
            running.pop()

    gather(*[call] * 6, limit=2)
    assert max(most) <= 2


def test_one_deadline_for_all_the_calls(server, configure):
    configure("users", URL=server.url, RETRIES=0, DEADLINE=30)
    users = upstream("users")
    fast, slow = gather(
        lambda: users.get("/fast").status,
        lambda: users.get("/slow", params={"seconds": "4"}),
        timeout=1.5,
    )
    assert fast == 200
    assert isinstance(slow, UpstreamTimeout)


def test_a_call_that_ignores_the_deadline_is_reported_as_timed_out():
    release = threading.Event()
    try:
        [result] = gather(lambda: release.wait(10), timeout=0.1)
        assert isinstance(result, UpstreamTimeout)
    finally:
        release.set()


def test_calls_see_the_callers_request_id():
    token = request_id_var.set("gather-request-1")
    try:
        assert gather(request_id_var.get, request_id_var.get) == ["gather-request-1"] * 2
    finally:
        request_id_var.reset(token)


def test_no_calls_and_bad_limits():
    assert gather() == []
    with pytest.raises(ValueError, match="limit"):
        gather(lambda: 1, limit=0)

"""Two generated services for real: service A calls service B, served by two members, through the client.

Both are projects made by ``kit-startproject`` and served by ``manage.py serve`` (gunicorn), set up
from the environment only, as docs/services.md tells a user to: B is the template as generated,
with an admin and an API key of it; A gets one view, ``/api/v1/b/me``, asking B whose its key is,
and ``SERVICE_B_URL`` naming B's two members, ``SERVICE_B_API_KEY`` that key. The tests follow a
request id from A's log into B's, a killed member of B failed over to the other, and B's breakers
opening when B is down, answering at once without a connection attempt, then closing once B is
back.
"""

import json

import pytest
from prometheus_client.parser import text_string_to_metric_families

from tests.passes import sqlite_run_only
from tests.tasks.conftest import wait_for
from tests.template.support import ProjectServer, TemplateService, get

pytestmark = [pytest.mark.slow, sqlite_run_only]

#: The view added to A, as a user writes one (docs/services.md).
CALLS_MODULE = '''"""A view calling the upstream ``b``."""

from kit.services import upstream
from rest_framework.response import Response
from rest_framework.views import APIView


class WhoAmIOnB(APIView):
    """Whose is this service's API key on B (a public view)."""

    def get(self, request):
        me = upstream("b").get("/api/v1/users/me")
        return Response({"username": me.data["username"], "b_request_id": me.request_id})
'''
METRICS_TOKEN = "two-services-metrics-token"
BREAKER_RESET = 3  # seconds an open breaker of A waits before its probe


def add_call_view(root):
    """Write A's view and route it at ``/api/v1/b/me``."""
    package = root / "service_a"
    (package / "calls.py").write_text(CALLS_MODULE)
    urls = package / "urls.py"
    text = urls.read_text()
    edits = {
        "from django.urls import include, path\n": "from service_a.calls import WhoAmIOnB\n",
        "api_v1 = [\n": '    path("b/me", WhoAmIOnB.as_view()),\n',
    }
    for line, added in edits.items():
        assert text.count(line) == 1, f"{line!r} is not once in the generated urls.py"
        text = text.replace(line, line + added)
    urls.write_text(text)


@pytest.fixture(scope="module")
def services(tmp_path_factory):
    """B's two members, then service A calling them (one server): (a, b1, b2)."""
    folder = tmp_path_factory.mktemp("two-services")
    b = TemplateService(folder / "service-b")
    a = None
    try:
        b.generate()
        b.add_admin()
        b1, b2 = b.serve(), b.serve()
        a = TemplateService(
            folder / "service-a",
            {
                "SERVICE_B_URL": f"{b1.url},{b2.url}",
                "SERVICE_B_API_KEY": b.api_key,
                "SERVICE_B_RETRIES": "1",
                "SERVICE_B_BREAKER_THRESHOLD": "2",
                "SERVICE_B_BREAKER_RESET": str(BREAKER_RESET),
                "METRICS_ENABLED": "true",
                "METRICS_TOKEN": METRICS_TOKEN,
            },
        )
        a.generate()
        add_call_view(a.root)
        yield a.serve(), b1, b2
    finally:
        for service in (a, b):
            if service is not None:
                service.stop()


def call(a: ProjectServer, request_id: str) -> tuple[int, dict]:
    status, body = get(f"{a.url}/api/v1/b/me", {"X-Request-ID": request_id})
    return status, json.loads(body)


def b_answered(member: ProjectServer, request_id: str) -> bool:
    """Whether B's member answered ``request_id`` (a 200: A's API key authenticated it)."""
    return member.logged(f"[{request_id}] kit.access: GET /api/v1/users/me 200")


def metric(a: ProjectServer, name: str, **labels: str) -> float:
    """The sum of A's ``/metrics`` samples ``name`` that have ``labels``."""
    status, text = get(f"{a.url}/metrics", {"Authorization": f"Bearer {METRICS_TOKEN}"})
    assert status == 200, text
    return sum(
        sample.value
        for family in text_string_to_metric_families(text)
        for sample in family.samples
        if sample.name == name and labels.items() <= sample.labels.items()
    )


def test_the_request_id_of_a_call_to_a_is_in_the_logs_of_a_and_of_b(services):
    a, b1, b2 = services
    status, body = call(a, "two-services-1")
    assert status == 200, body
    assert body["data"] == {"username": "root", "b_request_id": "two-services-1"}
    assert a.logged("[two-services-1] kit.access: GET /api/v1/b/me 200")
    assert b_answered(b1, "two-services-1") or b_answered(b2, "two-services-1")
    assert call(a, "round-robin-1")[0] == call(a, "round-robin-2")[0] == 200
    assert b_answered(b1, "round-robin-1") != b_answered(b1, "round-robin-2")
    assert b_answered(b2, "round-robin-1") != b_answered(b2, "round-robin-2")


def test_a_killed_member_of_b_is_failed_over_to_the_other(services):
    a, b1, b2 = services
    b2.kill()
    failed_over = []
    for index in range(4):
        request_id = f"failover-{index}"
        status, body = call(a, request_id)
        assert status == 200, body
        assert b_answered(b1, request_id)
        if a.logged(f"[{request_id}] kit.services: b GET {b2.url}/api/v1/users/me failed after"):
            failed_over.append(request_id)
    # B2's two turns failed over to B1 within the call; the second failure opened B2's breaker.
    assert failed_over == ["failover-0", "failover-2"] or failed_over == ["failover-1", "failover-3"]
    assert a.logged(f"Circuit breaker of upstream b {b2.url}/ is open")
    b2.start()


def test_with_b_down_the_breakers_open_and_once_b_is_back_a_probe_closes_them(services):
    a, b1, b2 = services
    b1.kill()
    b2.kill()
    status, body = call(a, "all-down")
    assert status == 503, body
    assert (body["code"], body["upstream"], body["request_id"]) == ("service_unavailable", "b", "all-down")
    assert a.logged("[all-down] kit.services: b GET api/v1/users/me: retrying in")  # SERVICE_B_RETRIES=1
    for member in (b1, b2):
        assert metric(a, "upstream_breaker_state", upstream="b", member=f"{member.url}/") == 2  # open

    # Both breakers open: A answers at once, with no attempt (a probe is due after BREAKER_RESET only:
    # should the machine stall that long between two calls, the next call shows it).
    for index in range(3):
        request_id = f"breaker-open-{index}"
        attempts = metric(a, "upstream_requests_total", upstream="b")
        status, body = call(a, request_id)
        if body["detail"] == "The upstream service 'b' is failing: its circuit breakers are open.":
            break
    else:
        pytest.fail(f"the breakers did not stay open: {body}")
    assert status == 503
    assert (body["code"], body["upstream"]) == ("service_unavailable", "b")
    assert metric(a, "upstream_requests_total", upstream="b") == attempts
    assert not a.logged(f"[{request_id}] kit.services")

    b1.start()
    back = wait_for(lambda: call(a, "b1-is-back")[0] == 200, timeout=BREAKER_RESET + 30, interval=0.3)
    assert back, f"A never called B1 again:\n{a.log.read_text()}"
    assert b_answered(b1, "b1-is-back")
    assert a.logged(f"Circuit breaker of upstream b {b1.url}/ is half-open")
    assert a.logged(f"Circuit breaker of upstream b {b1.url}/ is closed")
    assert metric(a, "upstream_breaker_state", upstream="b", member=f"{b1.url}/") == 0

"""Tasks end to end, with the in-process backend and with the RQ backend on a real worker process."""

from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone
from rest_framework.test import APIClient

from kit.tasks import Unrecoverable, execute
from tests.example.models import Item
from tests.example.tasks import PaymentDeclined, add, create_item, decline, flaky, reject, report_progress
from tests.tasks.conftest import wait_for

FINAL = {"SUCCESSFUL", "FAILED"}


def data(response):
    """The data of an enveloped response."""
    return response.json()["data"]


def status_of(api, task_id):
    response = api.get(f"/api/tasks/{task_id}")
    assert response.status_code == 200, response.content
    return data(response)


def final_status(api, task_id, timeout=15):
    status = wait_for(lambda: (s := status_of(api, task_id))["status"] in FINAL and s, timeout)
    assert status, f"task {task_id} did not finish: {status_of(api, task_id)}"
    return status


def test_a_task_enqueued_by_a_request_runs_and_its_status_is_served(backend, api):
    response = api.post("/api/v1/tasks/items", {"name": "from-a-request"}, format="json")
    assert response.status_code == 202
    task_id = data(response)["task_id"]
    assert response["Location"] == f"/api/tasks/{task_id}"

    status = final_status(api, task_id)

    item = Item.objects.get(name="from-a-request")
    assert status["status"] == "SUCCESSFUL"
    assert status["result"] == item.pk
    assert status["error"] is None
    assert status["attempts"] == 1
    assert status["task"] == "tests.example.tasks.create_item"
    assert status["queue"] == "default"
    enqueued, started, finished = (
        status["enqueued_at"],
        status["started_at"],
        status["finished_at"],
    )
    assert enqueued <= started <= finished


def test_execute_returns_the_value(backend):
    assert execute(add, 2, 3, timeout=10) == 5


def test_execute_raises_the_exception_of_the_task(backend):
    with pytest.raises(PaymentDeclined) as raised:
        execute(decline, "no funds", timeout=10)

    assert str(raised.value) == "no funds"
    if backend == "rq":  # rebuilt in the caller, with the worker's traceback as a note
        assert "raise PaymentDeclined(reason)" in raised.value.__notes__[0]


def test_a_failing_task_is_retried_until_it_succeeds(backend, staff):
    result = flaky.enqueue(3)

    status = final_status(staff, result.id)

    assert status["status"] == "SUCCESSFUL"
    assert status["attempts"] == 3
    assert status["result"] == 3
    assert status["error"] is None
    assert status["last_error"]["detail"] == "ConnectionError: attempt 2 failed"
    assert status["next_attempt_at"] is None


def test_an_unrecoverable_error_stops_the_retries(backend, staff):
    result = reject.enqueue()

    status = final_status(staff, result.id)

    assert status["status"] == "FAILED"
    assert status["attempts"] == 1
    assert status["result"] is None
    assert status["error"]["code"] == "task_failed"
    assert status["error"]["exception"] == f"{Unrecoverable.__module__}.Unrecoverable"
    assert status["error"]["detail"] == "Unrecoverable: the input can never be processed"
    assert "traceback" not in status["error"]


def test_a_task_reports_its_progress(backend, staff):
    result = report_progress.enqueue()

    status = final_status(staff, result.id)

    assert status["progress"] == {"done": 3, "total": 4, "percent": 75.0, "message": "almost"}
    assert status["result"] == "done"


def test_a_task_enqueued_in_a_transaction_is_sent_when_it_commits(backend, staff):
    with transaction.atomic():
        Item.objects.create(name="written-before-the-task")
        committed = create_item.enqueue("after-commit")
        assert staff.get(f"/api/tasks/{committed.id}").status_code == 404  # not sent yet

    assert final_status(staff, committed.id)["status"] == "SUCCESSFUL"
    assert Item.objects.filter(name="after-commit").exists()


def test_a_task_enqueued_in_a_rolled_back_transaction_is_never_sent(backend, staff):
    with pytest.raises(RuntimeError), transaction.atomic():
        rolled_back = create_item.enqueue("never")
        raise RuntimeError("roll back")

    assert staff.get(f"/api/tasks/{rolled_back.id}").status_code == 404
    assert not Item.objects.filter(name="never").exists()


def test_a_deferred_task_runs_after_its_time(backend, staff):
    result = add.using(run_after=timezone.now() + timedelta(seconds=1)).enqueue(20, 22)

    assert final_status(staff, result.id)["result"] == 42


def test_only_the_enqueuing_account_and_staff_see_a_task(backend, api, staff):
    response = api.post("/api/v1/tasks/items", {"name": "private"}, format="json")
    task_id = data(response)["task_id"]
    final_status(api, task_id)
    users = get_user_model().objects
    other = APIClient()
    other.force_authenticate(users.create_user("mallory"))

    assert other.get(f"/api/tasks/{task_id}").json()["code"] == "not_found"
    assert staff.get(f"/api/tasks/{task_id}").status_code == 200
    assert APIClient().get(f"/api/tasks/{task_id}").json()["code"] in ("unauthenticated", "forbidden")


def test_an_unknown_task_is_not_found(backend, staff):
    for task_id in ("0b8d0a84-5a4c-4b0e-9a8a-1f1f1f1f1f1f", "not a valid id", "x" * 300):
        response = staff.get(f"/api/tasks/{task_id}")
        assert response.status_code == 404, task_id
        assert response["Content-Type"] == "application/problem+json"
        assert response.json()["code"] == "not_found"

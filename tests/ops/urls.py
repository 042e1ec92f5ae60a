"""Views the operations tests need (mounted under /ops-test/ by the test project)."""

import json
import threading
import time

from django.contrib.auth import get_user_model
from django.http import HttpRequest, JsonResponse
from django.urls import path
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from kit.models import Right
from tests.example.tasks import create_item


def slow(request: HttpRequest) -> JsonResponse:
    """Answer after ``?seconds=`` (at most 5): a request still in flight when the server stops."""
    seconds = min(float(request.GET.get("seconds", "1")), 5.0)
    time.sleep(seconds)
    return JsonResponse({"slept": seconds})


meetings: dict[int, threading.Barrier] = {}
meetings_lock = threading.Lock()


def together(request: HttpRequest) -> JsonResponse:
    """Answer once ``?parties=`` requests are in this view at the same time (409 when they are not
    within 10 s): requests served concurrently by one process."""
    parties = int(request.GET["parties"])
    with meetings_lock:
        meeting = meetings.setdefault(parties, threading.Barrier(parties, timeout=10))
    try:
        meeting.wait()
    except threading.BrokenBarrierError:
        return JsonResponse({"together": False}, status=409)
    return JsonResponse({"together": True})


@csrf_exempt
@require_POST
def change_right(request: HttpRequest) -> JsonResponse:
    """Grant or revoke ``{"username", "permission": "resource:operation", "grant": bool}`` with the
    ORM of this server process (its signals invalidate the shared permission cache)."""
    body = json.loads(request.body)
    resource, operation = body["permission"].split(":")
    user = get_user_model().objects.get(username=body["username"])
    rights = Right.objects.filter(user=user, resource=resource, operation=operation)
    if body["grant"]:
        Right.objects.create(user=user, resource=resource, operation=operation)
    else:
        for right in rights:
            right.delete()
    return JsonResponse({"granted": body["grant"]})


@csrf_exempt
@require_POST
def enqueue_item(request: HttpRequest) -> JsonResponse:
    """Enqueue ``create_item(name)`` on ``queue`` from ``{"name", "queue"}``: 202 with the task id."""
    body = json.loads(request.body)
    result = create_item.using(queue_name=body["queue"]).enqueue(body["name"])
    return JsonResponse({"task_id": result.id}, status=202)


urlpatterns = [
    path("slow", slow, name="ops-slow"),
    path("together", together, name="ops-together"),
    path("rights", change_right, name="ops-rights"),
    path("items", enqueue_item, name="ops-enqueue-item"),
]

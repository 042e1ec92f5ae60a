"""``GET /api/tasks/<id>``: the status of a task, for the account that enqueued it and for staff."""

from __future__ import annotations

import re
from typing import Any

from django.conf import settings
from rest_framework import serializers
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response

from kit.errors.exceptions import Problem
from kit.errors.problems import problem_type
from kit.tasks.backends.base import KitTaskBackend
from kit.tasks.compat import TaskResultDoesNotExist, TaskResultStatus, task_backends
from kit.tasks.exceptions import TaskAbandoned, TaskCanceled
from kit.tasks.records import Failure, TaskInfo
from kit.views import APIView

VALID_TASK_ID = re.compile(r"[A-Za-z0-9_-]{1,64}")

FAILURE_CODES = {
    f"{TaskAbandoned.__module__}.{TaskAbandoned.__qualname__}": ("task_abandoned", "Task abandoned"),
    f"{TaskCanceled.__module__}.{TaskCanceled.__qualname__}": ("task_canceled", "Task canceled"),
}


class TaskStatusSerializer(serializers.Serializer):
    """A task's status: times, attempts, reported progress, and its result or its error."""

    id = serializers.CharField()
    task = serializers.CharField(help_text="Import path of the task function.")
    queue = serializers.CharField()
    status = serializers.ChoiceField(choices=TaskResultStatus.choices)
    enqueued_at = serializers.DateTimeField(allow_null=True)
    started_at = serializers.DateTimeField(allow_null=True, help_text="Start of the first attempt.")
    last_attempted_at = serializers.DateTimeField(allow_null=True)
    finished_at = serializers.DateTimeField(allow_null=True)
    attempts = serializers.IntegerField()
    scheduled_for = serializers.DateTimeField(allow_null=True, help_text="Due time of a periodic run.")
    progress = serializers.JSONField(allow_null=True, help_text="Last progress the task reported.")
    result = serializers.JSONField(allow_null=True, help_text="Return value, once successful.")
    error = serializers.JSONField(allow_null=True, help_text="Problem object, once failed.")
    last_error = serializers.JSONField(
        allow_null=True, help_text="Problem object of the last failed attempt (also while a retry waits)."
    )
    next_attempt_at = serializers.DateTimeField(
        allow_null=True, help_text="When a task waiting for a retry (or deferred) runs next."
    )


def find_task(task_id: str) -> TaskInfo:
    """The task ``task_id`` in any configured kit backend; a 404 problem when there is none."""
    if not VALID_TASK_ID.fullmatch(task_id):
        raise Problem(404, "not_found", "No task with this id.")
    for alias in settings.TASKS:
        backend = task_backends[alias]
        if not isinstance(backend, KitTaskBackend):
            continue
        try:
            return backend.get_info(task_id)
        except TaskResultDoesNotExist:
            continue
    raise Problem(404, "not_found", f"No task with id {task_id!r}.")


def can_view(user: Any, info: TaskInfo) -> bool:
    """The enqueuing account and staff (or superusers) see a task."""
    if user.is_staff or user.is_superuser:
        return True
    return info.enqueued_by is not None and info.enqueued_by == str(user.pk)


def failure_problem(failure: Failure, *, debug: bool) -> dict[str, Any]:
    """A task failure as a problem object (the traceback only when DEBUG)."""
    code, title = FAILURE_CODES.get(failure.exception_class_path, ("task_failed", "Task failed"))
    exception_name = failure.exception_class_path.rsplit(".", 1)[-1]
    problem: dict[str, Any] = {
        "type": problem_type(code),
        "title": title,
        "detail": f"{exception_name}: {failure.message}" if failure.message else exception_name,
        "code": code,
        "exception": failure.exception_class_path,
    }
    if debug and failure.traceback:
        problem["traceback"] = failure.traceback
    return problem


def task_status(info: TaskInfo, *, debug: bool = False) -> dict[str, Any]:
    """The status endpoint's representation of ``info``."""
    result = info.result
    failed = result.status == TaskResultStatus.FAILED
    last_error = failure_problem(info.last_failure, debug=debug) if info.last_failure else None
    return {
        "id": result.id,
        "task": result.task.module_path,
        "queue": result.task.queue_name,
        "status": result.status,
        "enqueued_at": result.enqueued_at,
        "started_at": result.started_at,
        "last_attempted_at": result.last_attempted_at,
        "finished_at": result.finished_at,
        "attempts": result.attempts,
        "scheduled_for": info.scheduled_for,
        "progress": info.progress,
        "result": result.return_value if result.status == TaskResultStatus.SUCCESSFUL else None,
        "error": last_error if failed else None,
        "last_error": last_error,
        "next_attempt_at": info.next_attempt_at,
    }


class TaskStatusView(APIView):
    """The status of a task. Unknown ids, and tasks of other accounts, are 404 problems."""

    permission_classes = [IsAuthenticated]
    serializer_class = TaskStatusSerializer

    def get(self, request: Request, task_id: str) -> Response:
        info = find_task(task_id)
        if not can_view(request.user, info):
            raise Problem(404, "not_found", f"No task with id {task_id!r}.")
        data = task_status(info, debug=settings.DEBUG)
        return Response(TaskStatusSerializer(data).data)

"""A view that enqueues a task, for the task tests."""

from django.urls import reverse
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from tests.example.tasks import create_item


class EnqueueItemView(APIView):
    """``POST {"name": ...}``: creates the item in a task; 202 with the task's status URL."""

    permission_classes = [IsAuthenticated]

    def post(self, request: Request) -> Response:
        result = create_item.enqueue(request.data["name"])
        url = reverse("kit-task-status", args=[result.id])
        return Response({"task_id": result.id}, status=202, headers={"Location": url})

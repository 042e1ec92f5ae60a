"""A view that enqueues a task, for the task tests."""

from django.urls import reverse
from rest_framework import serializers
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response

from kit.views import APIView
from tests.example.tasks import create_item


class ItemNameSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=100)


class EnqueuedSerializer(serializers.Serializer):
    task_id = serializers.CharField()


class EnqueueItemView(APIView):
    """Create an item in a task; 202 with the task's status URL in ``Location``."""

    permission_classes = [IsAuthenticated]
    body_serializer_class = ItemNameSerializer
    serializer_class = EnqueuedSerializer

    def post(self, request: Request) -> Response:
        result = create_item.enqueue(self.get_validated_body()["name"])
        url = reverse("kit-task-status", args=[result.id])
        return Response({"task_id": result.id}, status=202, headers={"Location": url})

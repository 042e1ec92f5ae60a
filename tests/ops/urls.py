"""Views the operations tests need (mounted under /ops-test/ by the test project)."""

import time

from django.http import HttpRequest, JsonResponse
from django.urls import path


def slow(request: HttpRequest) -> JsonResponse:
    """Answer after ``?seconds=`` (at most 5): a request still in flight when the server stops."""
    seconds = min(float(request.GET.get("seconds", "1")), 5.0)
    time.sleep(seconds)
    return JsonResponse({"slept": seconds})


urlpatterns = [path("slow", slow, name="ops-slow")]

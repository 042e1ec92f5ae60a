"""URLs of the tasks API, included by ``kit.urls``."""

from django.urls import path

from kit.tasks.views import TaskStatusView

urlpatterns = [
    path("api/tasks/<str:task_id>", TaskStatusView.as_view(), name="kit-task-status"),
]

from django.urls import path

from tests.example.task_views import EnqueueItemView

urlpatterns: list = [
    path("tasks/items", EnqueueItemView.as_view()),
]

"""Tasks the testing toolkit's tests enqueue."""

from kit.testing.tasks import tasks_framework
from tests.example.models import Category


@tasks_framework.task
def record_category(name: str) -> int:
    return Category.objects.create(name=name).pk

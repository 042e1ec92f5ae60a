"""Tasks the testing toolkit's tests enqueue."""

from django.tasks import task

from tests.example.models import Category


@task
def record_category(name: str) -> int:
    return Category.objects.create(name=name).pk

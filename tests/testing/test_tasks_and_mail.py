import pytest

from kit.testing.tasks import DUMMY_BACKEND, IN_PROCESS_BACKEND, tasks_framework, with_backend
from tests.example.models import Category
from tests.testing.tasks import record_category

pytestmark = pytest.mark.urls("tests.testing.urls")


def test_tasks_run_in_process_by_default(db):
    result = record_category.enqueue("books")
    assert result.status == tasks_framework.TaskResultStatus.SUCCESSFUL
    assert Category.objects.get(pk=result.return_value).name == "books"
    assert type(tasks_framework.task_backends["default"]).__name__ == "InProcessBackend"


def test_enqueued_tasks_are_captured_not_run(api_client, enqueued_tasks):
    response = api_client.get("/enqueue", {"name": "games"})
    assert response.data == {"status": "READY"}
    assert len(enqueued_tasks) == 1
    assert enqueued_tasks.names == ["record_category"]
    assert enqueued_tasks[0].args == ["games"]
    assert not Category.objects.exists()


def test_in_process_again_after_capturing(api_client):
    api_client.get("/enqueue", {"name": "films"})
    assert Category.objects.filter(name="films").exists()


def test_backend_swap_keeps_aliases_and_queues():
    configured = {
        "default": {"BACKEND": "kit.tasks.RQBackend", "QUEUES": ["default", "mail"], "OPTIONS": {"x": 1}},
        "reports": {"BACKEND": "kit.tasks.RQBackend"},
    }
    assert with_backend(configured, DUMMY_BACKEND) == {
        "default": {"BACKEND": DUMMY_BACKEND, "QUEUES": ["default", "mail"]},
        "reports": {"BACKEND": DUMMY_BACKEND},
    }
    assert with_backend({}, IN_PROCESS_BACKEND) == {"default": {"BACKEND": IN_PROCESS_BACKEND}}


def test_mail_outbox_and_query_counts_with_the_client(api_client, mail_outbox, django_assert_num_queries):
    Category.objects.create(name="tools")
    with django_assert_num_queries(1):
        response = api_client.get("/mail")
    assert response.data == {"categories": 1}
    assert [message.subject for message in mail_outbox] == ["Hello"]

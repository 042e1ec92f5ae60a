"""The kit's pytest fixtures: API clients, users, mail, tasks and workers.

Registered by the plugin (``kit.testing.plugin``); a project's ``tests/fixtures.py`` or
``conftest.py`` can override any of them by defining a fixture of the same name.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from typing import TYPE_CHECKING, Any

import pytest
from django.conf import settings
from django.test.utils import override_settings

from kit.testing.client import APIClient
from kit.testing.tasks import EnqueuedTasks, capture_enqueued_tasks, configured_tasks, in_process_tasks

if TYPE_CHECKING:
    from kit.testing.upstreams import UpstreamStubs
    from kit.testing.workers import Worker

FAST_PASSWORD_HASHER = "django.contrib.auth.hashers.MD5PasswordHasher"


@pytest.fixture
def api_client(db: None) -> APIClient:
    """An anonymous API client (JSON requests; ``response.data``/``meta``/``problem`` decoded)."""
    return APIClient()


@pytest.fixture
def web_app_client(api_client: APIClient) -> APIClient:
    """Another name for :func:`api_client`, for test suites written with it."""
    return api_client


@pytest.fixture
def make_user(db: None) -> Callable[..., Any]:
    """Create users: ``make_user("ann", role="admin", permissions=["items:read"], is_staff=True)``."""
    from kit.testing.users import create_user

    return create_user


@pytest.fixture
def auth_client(db: None) -> Callable[..., APIClient]:
    """Make clients authenticated through the project's configured authentication.

    ``auth_client(user=None, *, role=None, permissions=(), rights=(), authentication=None)``
    creates a user (or uses ``user``), grants it the role, permissions and rights, and gives a new
    client real credentials for it (a JWT, an API key, a session...), as the first entry of
    ``DEFAULT_AUTHENTICATION_CLASSES`` that the kit can provide credentials for
    (``authentication=`` picks another). The user is ``client.user``.
    """
    from kit.testing.credentials import authenticate
    from kit.testing.users import create_user, grant

    def make_auth_client(
        user: Any = None,
        *,
        role: str | None = None,
        permissions: Iterable[str] = (),
        rights: Iterable[str] = (),
        authentication: type | str | None = None,
    ) -> APIClient:
        if user is None:
            user = create_user(role=role, permissions=permissions, rights=rights)
        else:
            grant(user, role=role, permissions=permissions, rights=rights)
        client = APIClient()
        authenticate(client, user, authentication)
        client.user = user
        return client

    return make_auth_client


@pytest.fixture
def ws_client(transactional_db: None) -> Iterator[Callable[..., Any]]:
    """Connect WebSocket clients to the project's ASGI application (needs the ``realtime`` extra).

    ``ws_client(path, user=None, *, permissions=(), rights=(), headers=None)`` connects (as ``user``,
    or a new user holding ``permissions``/``rights``) and answers a client with ``send(message)``,
    ``receive(timeout)``, ``receive_nothing()``, ``assert_problem(status, code)`` and ``closed()``
    (the close code). See :mod:`kit.testing.websockets`.
    """
    from kit.testing.websockets import ws_clients

    yield from ws_clients()


@pytest.fixture
def mail_outbox(mailoutbox: list[Any]) -> list[Any]:
    """The messages sent during the test (pytest-django's ``mailoutbox``)."""
    return mailoutbox


@pytest.fixture
def enqueued_tasks() -> Iterator[EnqueuedTasks]:
    """Capture enqueued tasks instead of running them: ``assert enqueued_tasks.names == [...]``."""
    with capture_enqueued_tasks() as enqueued:
        yield enqueued


@pytest.fixture
def upstreams() -> Iterator[UpstreamStubs]:
    """Stub upstream services by name: ``upstreams.stub("users").get("/x").mock(return_value=...)``
    (see ``kit.testing.upstreams``; needs respx)."""
    from kit.testing.upstreams import UpstreamStubs

    with UpstreamStubs() as stubs:
        yield stubs


@pytest.fixture(scope="session")
def object_storage_server() -> Iterator[str]:
    """The endpoint of a real S3-compatible server (moto) run for the test session."""
    from kit.testing.object_storage import s3_server

    with s3_server() as endpoint:
        yield endpoint


@pytest.fixture
def object_storage(object_storage_server: str) -> Iterator[dict[str, Any]]:
    """A new bucket on the session's S3 server, the default storage for the test (its settings)."""
    from kit.testing.object_storage import s3_storage_settings

    storage_settings = s3_storage_settings(object_storage_server)
    storages = {**settings.STORAGES, "default": storage_settings["default"]}
    credentials = {key: value for key, value in storage_settings.items() if key != "default"}
    with override_settings(STORAGES=storages, **credentials):
        yield storage_settings


@pytest.fixture
def disk_storage(tmp_path: Any) -> Iterator[Any]:
    """A new folder on the local disk, the default storage for the test (its path)."""
    from kit.files.storage_url import storage_config

    location = tmp_path / "media"
    storages = {**settings.STORAGES, "default": storage_config(location.as_uri())}
    with override_settings(STORAGES=storages, MEDIA_ROOT=str(location)):
        yield location


@pytest.fixture(scope="session")
def kit_worker_redis_url() -> str:
    """The Redis the ``rq_worker`` fixture uses: ``TEST_REDIS_URL``, else the ``REDIS_URL`` setting."""
    from kit.testing.workers import test_redis_url

    return test_redis_url()


@pytest.fixture(scope="session")
def kit_worker_process(
    django_db_setup: None,
    kit_configured_tasks: dict[str, Any],
    kit_worker_redis_url: str,
    tmp_path_factory: pytest.TempPathFactory,
    pytestconfig: pytest.Config,
) -> Iterator[Worker]:
    """One real worker process for the session, on the test database (started on first use)."""
    from kit.testing import workers

    try:
        with workers.running_worker(
            redis_url=kit_worker_redis_url,
            tasks=kit_configured_tasks,
            log_path=tmp_path_factory.mktemp("rq_worker") / "worker.log",
            cwd=pytestconfig.rootpath,
        ) as worker:
            yield worker
    except workers.WorkerError as error:
        pytest.fail(f"rq_worker: {error}", pytrace=False)


@pytest.fixture
def rq_worker(
    transactional_db: None, kit_worker_process: Worker, kit_configured_tasks: dict[str, Any]
) -> Iterator[Worker]:
    """A real ``runworker`` process runs the tasks this test enqueues (through Redis, committed rows).

    ``rq_worker.log`` is its output; the process is shared by the session's tests.
    """
    from kit.testing.workers import rq_tasks

    with rq_tasks(kit_worker_process.redis_url, kit_configured_tasks):
        yield kit_worker_process


@pytest.fixture(scope="session")
def kit_configured_tasks() -> dict[str, Any]:
    """The project's ``TASKS`` setting, as configured (before the tests' in-process override)."""
    return configured_tasks()


@pytest.fixture(scope="session", autouse=True)
def _kit_in_process_tasks(
    kit_configured_tasks: dict[str, Any], pytestconfig: pytest.Config
) -> Iterator[None]:
    """Run tasks in-process for the whole session (ini option ``kit_in_process_tasks``)."""
    if not settings.configured or not pytestconfig.getini("kit_in_process_tasks"):
        yield
        return
    with in_process_tasks():
        yield


@pytest.fixture(scope="session", autouse=True)
def _kit_fast_password_hashing(pytestconfig: pytest.Config) -> Iterator[None]:
    """Hash passwords with a fast hasher during tests (ini option ``kit_fast_password_hashing``)."""
    if not settings.configured or not pytestconfig.getini("kit_fast_password_hashing"):
        yield
        return
    with override_settings(PASSWORD_HASHERS=[FAST_PASSWORD_HASHER]):
        yield


@pytest.fixture(autouse=True)
def _kit_empty_caches() -> Iterator[None]:
    """Delete the test run's cache keys after each test (cached permissions must not leak)."""
    yield
    if settings.configured:
        from kit.testing.caches import empty_caches

        empty_caches()

"""The kit's testing toolkit: a pytest plugin with clients, fixtures and assertions.

The plugin (``kit.testing.plugin``) is registered by entry point: installing the kit gives every
test the fixtures ``api_client``, ``auth_client``, ``make_user``, ``mail_outbox``,
``enqueued_tasks``, ``rq_worker``, and the file storages ``disk_storage`` and ``object_storage``
(a real S3 server, :mod:`kit.testing.object_storage`). The assertions are imported from here::

    from kit.testing import assert_is_envelope, assert_is_problem

Stubbed upstream services answer with :mod:`kit.testing.upstreams`'s ``envelope`` and ``problem``.
"""

from kit.testing.assertions import assert_is_envelope, assert_is_problem
from kit.testing.credentials import credentials_provider

__all__ = ["assert_is_envelope", "assert_is_problem", "credentials_provider", "upstreams"]

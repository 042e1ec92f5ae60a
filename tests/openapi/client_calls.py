"""Run in a fresh interpreter by test_template_client: import the generated client, call the service.

Arguments: the service's URL and an admin API key. Prints what it saw as JSON.
"""

import importlib
import json
import pkgutil
import sys

import my_service_client
from my_service_client import AuthenticatedClient
from my_service_client.api.v1 import v1_users_create, v1_users_list, v1_users_me_retrieve, v1_users_retrieve
from my_service_client.models import RoleEnum, UserRequest

url, api_key = sys.argv[1:3]
modules = [module.name for module in pkgutil.walk_packages(my_service_client.__path__, "my_service_client.")]
for name in modules:
    importlib.import_module(name)

client = AuthenticatedClient(base_url=url, token=api_key, prefix="Api-Key")
created = v1_users_create.sync_detailed(
    client=client, body=UserRequest(username="ann", email="ann@example.com", role=RoleEnum.REGULAR)
)
listed = v1_users_list.sync_detailed(client=client, username="ann")
fetched = v1_users_retrieve.sync_detailed(client=client, id=created.parsed.data.id)
me = v1_users_me_retrieve.sync_detailed(client=client)
print(
    json.dumps(
        {
            "modules": len(modules),
            "created": [created.status_code, created.headers.get("Location"), created.parsed.data.username],
            "listed": [listed.status_code, [user.username for user in listed.parsed.data]],
            "count": listed.parsed.meta.pagination.count,
            "fetched": [fetched.status_code, fetched.parsed.data.role.value],
            "me": [me.status_code, me.parsed.data.username],
        }
    )
)

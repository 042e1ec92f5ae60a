"""The account emails, sent through :mod:`kit.email` (the task queue).

Each email is the templates ``kit/accounts/emails/<name>_subject.txt``, ``<name>.txt`` and
optionally ``<name>.html``: a project overrides them by shipping templates of the same names.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

from kit import email
from kit.conf import kit_settings
from kit.rendering import render

TEMPLATE_DIR = "kit/accounts/emails"


def link_for(purpose: str, token: str) -> str | None:
    """The link a user follows to use ``token``: ``ACCOUNT_LINKS[purpose]`` with ``{token}``."""
    pattern = kit_settings.ACCOUNT_LINKS.get(purpose)
    return pattern.replace("{token}", quote(token, safe="")) if pattern else None


def send_account_email(name: str, *, to: str, **context: Any) -> None:
    """Render the account email ``name`` with ``context`` and send it to ``to`` in a task."""
    context = {"service_name": kit_settings.SERVICE_NAME or "", **context}
    if "token" in context and "purpose" in context:
        context["link"] = link_for(context["purpose"], context["token"])
    subject = " ".join(render(f"{TEMPLATE_DIR}/{name}_subject.txt", **context).split())
    email.send_template(f"{TEMPLATE_DIR}/{name}", context, subject=subject, to=[to])

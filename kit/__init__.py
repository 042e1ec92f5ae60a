"""django-service-kit: a batteries-included kit for HTTP microservices on Django and DRF.

``__all__`` names the public packages and modules; each lists its own public names in ``__all__``.
"""

__version__ = "0.1.0"

__all__ = [
    "accounts",
    "admin",
    "api",
    "authentication",
    "authorization",
    "cache",
    "conf",
    "email",
    "errors",
    "files",
    "filters",
    "health",
    "logging",
    "models",
    "monitoring",
    "openapi",
    "realtime",
    "rendering",
    "rpc",
    "serializers",
    "services",
    "shortcuts",
    "tasks",
    "testing",
    "tokens",
    "views",
    "wsgi",
]

"""django-service-kit: a batteries-included kit for HTTP microservices on Django and DRF."""

__version__ = "0.1.0"

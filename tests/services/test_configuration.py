"""Upstreams from the environment (SERVICE_<NAME>_*), their system checks and .env.example."""

import pytest
from django.core.checks import run_checks
from django.core.exceptions import ImproperlyConfigured

from kit.conf import ServiceSettings
from kit.conf.example import render_env_example
from kit.conf.secrets import mask
from kit.services import upstream
from kit.services.config import upstream_config


def load(environ):
    settings = {}
    ServiceSettings().load_from_env(settings, environ={"DEBUG": "true", **environ})
    return settings


def test_upstreams_are_read_from_service_variables():
    settings = load(
        {
            "SERVICE_USERS_URL": "http://users-1:8888/api, http://users-2:8888/api",
            "SERVICE_USERS_TIMEOUT": "2.5",
            "SERVICE_USERS_RETRIES": "1",
            "SERVICE_USERS_API_KEY": "users-api-key-123",
            "SERVICE_BILLING_API_URL": "https://billing.internal",
            "SERVICE_BILLING_API_READY_CHECK": "yes",
        }
    )
    upstreams = settings["KIT"]["UPSTREAMS"]
    assert upstreams == {
        "users": {
            "URL": ["http://users-1:8888/api", "http://users-2:8888/api"],
            "TIMEOUT": 2.5,
            "RETRIES": 1,
            "API_KEY": "users-api-key-123",
        },
        "billing_api": {"URL": ["https://billing.internal"], "READY_CHECK": True},
    }
    assert settings["KIT"]["SERVICE_NAME"]  # SERVICE_NAME is still the service's own name


def test_the_environment_completes_upstreams_of_settings_py():
    settings = {
        "KIT": {"UPSTREAMS": {"users": {"URL": ["http://old"], "RETRIES": 0}, "kept": {"URL": "http://k"}}}
    }
    ServiceSettings().load_from_env(
        settings, environ={"DEBUG": "true", "SERVICE_USERS_URL": "http://new", "SERVICE_USERS_TIMEOUT": "3"}
    )
    assert settings["KIT"]["UPSTREAMS"] == {
        "users": {"URL": ["http://new"], "RETRIES": 0, "TIMEOUT": 3.0},
        "kept": {"URL": "http://k"},
    }


def test_every_malformed_variable_is_reported_at_once_with_secrets_masked():
    with pytest.raises(ImproperlyConfigured) as caught:
        load(
            {
                "SERVICE_USERS_URL": "ftp://users",
                "SERVICE_USERS_TIMEOUT": "soon",
                "SERVICE_ORDERS_URL": "http://orders:99999",
                "SERVICE_CARTS_RETRIES": "2",  # no SERVICE_CARTS_URL: a typo somewhere
                "SERVICE_PAY_URL": "http://pay:pa55-word-xyz@pay:8888,nonsense",
            }
        )
    message = str(caught.value)
    assert "SERVICE_USERS_URL: 'ftp://users' has an unsupported scheme 'ftp'" in message
    assert "SERVICE_USERS_TIMEOUT: 'soon' is not a number" in message
    assert "SERVICE_ORDERS_URL: 'http://orders:99999' has an invalid port" in message
    assert "SERVICE_CARTS_RETRIES: is set but SERVICE_CARTS_URL is not" in message
    assert "SERVICE_PAY_URL: 'http://pay:*****@pay:8888,nonsense' is not a URL" in message
    assert "pa55-word-xyz" not in message
    assert mask("password pa55-word-xyz") == "password *****"


def test_api_keys_and_tokens_are_masked():
    load({"SERVICE_USERS_URL": "http://users", "SERVICE_USERS_TOKEN": "service-jwt-abc.def.ghi"})
    assert mask("Bearer service-jwt-abc.def.ghi") == "Bearer *****"


def test_env_example_lists_the_upstream_variables():
    text = render_env_example([ServiceSettings])
    for member in ("URL", "TIMEOUT", "CONNECT_TIMEOUT", "DEADLINE", "RETRIES", "READY_CHECK"):
        assert f"#SERVICE_<NAME>_{member}=" in text
    assert "(string, secret)\n#SERVICE_<NAME>_API_KEY=" in text


def test_upstream_options_fall_back_to_the_kit_defaults(configure):
    configure("users", URL="http://users:8888/api/", TIMEOUT=1.5)
    config = upstream_config("users")
    assert config.members == ("http://users:8888/api/",)
    assert config.timeout == 1.5
    assert config.connect_timeout == 1.0
    assert config.retries == 2
    assert config.deadline == 10.0
    assert config.breaker_threshold == 5


def test_an_unknown_upstream_names_the_variable_to_set(configure):
    configure("users", URL=["http://users"])
    with pytest.raises(ImproperlyConfigured, match=r"SERVICE_ORDERS_URL.*configured: users"):
        upstream("orders")


def test_system_check_reports_malformed_upstreams(settings):
    settings.KIT = {
        **settings.KIT,
        "UPSTREAMS": {
            "users": {"URL": ["users.internal:8888"], "TIMEOUT": 0, "RETRIES": -1, "TIMOUT": 3},
            "orders": {"URL": ["http://orders:8888/api?x=1"]},
            "fine": {"URL": "http://a:1,https://b"},
        },
    }
    messages = [message for message in run_checks() if message.id == "kit.E150"]
    text = "\n".join(message.msg for message in messages)
    assert "'users'] URL 'users.internal:8888' must start with http:// or https://" in text
    assert "'users'] TIMEOUT must be a number of seconds > 0, not 0" in text
    assert "'users'] RETRIES must be a whole number >= 0, not -1" in text
    assert "'users'] has an unknown option 'TIMOUT'" in text
    assert "'orders'] URL 'http://orders:8888/api?x=1' must not have a query or fragment" in text
    assert "fine" not in text
    assert len(messages) == 5

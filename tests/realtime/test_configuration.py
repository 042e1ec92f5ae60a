"""The channel layer from the environment, and the check against an in-memory layer in production."""

import pytest

from kit.checks import check_channel_layer
from kit.conf.channels import apply_channel_layer_settings, channel_layer_url
from kit.conf.tasks import DEFAULT_REDIS_URL

MEMORY = {"default": {"BACKEND": "channels.layers.InMemoryChannelLayer"}}


@pytest.mark.parametrize(
    ("environment", "expected"),
    [
        ({}, "memory://"),
        ({"REDIS_URL": DEFAULT_REDIS_URL}, "memory://"),
        ({"REDIS_URL": "redis://cache:6379/3"}, "redis://cache:6379/3"),
        ({"REDIS_URL": DEFAULT_REDIS_URL, "TASKS_BACKEND": "rq"}, DEFAULT_REDIS_URL),
        ({"REDIS_URL": "redis://cache:6379/3", "CHANNEL_LAYER_URL": "memory://"}, "memory://"),
        ({"CHANNEL_LAYER_URL": "redis://layer:6379/2"}, "redis://layer:6379/2"),
    ],
)
def test_the_layer_url_defaults_to_redis_when_redis_is_configured(environment, expected):
    assert channel_layer_url(environment) == expected


def test_redis_layers_are_prefixed_by_namespace_and_service():
    settings = {
        "CHANNEL_LAYER_URL": "redis://layer:6379/2",
        "KIT": {"SERVICE_NAME": "orders"},
        "CACHE_NAMESPACE": "ci",
    }
    apply_channel_layer_settings(settings)
    assert settings["CHANNEL_LAYERS"] == {
        "default": {
            "BACKEND": "channels_redis.core.RedisChannelLayer",
            "CONFIG": {"hosts": ["redis://layer:6379/2"], "prefix": "ci:orders:asgi"},
        }
    }
    own = {"CHANNEL_LAYERS": MEMORY, "CHANNEL_LAYER_URL": "redis://layer:6379/2"}
    apply_channel_layer_settings(own)
    assert own["CHANNEL_LAYERS"] is MEMORY  # settings.py's own configuration is kept


def test_the_in_memory_layer_is_reported_in_production_only(settings):
    settings.CHANNEL_LAYERS = MEMORY
    settings.DEBUG = False
    assert [message.id for message in check_channel_layer(None)] == ["kit.W040"]
    settings.DEBUG = True
    assert check_channel_layer(None) == []
    settings.DEBUG = False
    settings.CHANNEL_LAYERS = {"default": {"BACKEND": "channels_redis.core.RedisChannelLayer", "CONFIG": {}}}
    assert check_channel_layer(None) == []

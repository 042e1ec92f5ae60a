"""System checks for identity misconfiguration (kit.E010 - kit.E014)."""

from django.conf import settings as django_settings
from django.core.checks import run_checks

IDENTITY_IDS = {"kit.E010", "kit.E011", "kit.E012", "kit.E013", "kit.E014"}


def ids(**kwargs):
    return {message.id for message in run_checks(**kwargs)} & IDENTITY_IDS


def with_authentication(settings, *classes):
    settings.REST_FRAMEWORK = {
        **django_settings.REST_FRAMEWORK,
        "DEFAULT_AUTHENTICATION_CLASSES": list(classes),
    }


def test_defaults_are_clean():
    assert ids() == set()


def test_null_authentication_outside_debug(settings):
    with_authentication(settings, "kit.authentication.null.NullAuthentication")
    assert "kit.E010" in ids()
    settings.DEBUG = True
    assert "kit.E010" not in ids()


def test_null_authorization_outside_debug(settings):
    settings.KIT = {"AUTHORIZATION_BACKEND": "kit.authorization.backends.NullBackend"}
    assert "kit.E011" in ids()
    settings.DEBUG = True
    assert ids() == set()


def test_unusable_authorization_backend(settings):
    settings.KIT = {"AUTHORIZATION_BACKEND": "no.such.Backend"}
    assert "kit.E012" in ids()
    settings.KIT = {"AUTHORIZATION_BACKEND": "kit.authentication.null.DummyAccount"}
    assert "kit.E012" in ids()


def test_malformed_roles(settings):
    settings.KIT = {"ROLES": ["admin", "admin"]}
    assert "kit.E013" in ids()
    settings.KIT = {"ROLE_PERMISSIONS": {"admin": "items:*"}}
    assert "kit.E013" in ids()


def test_malformed_throttle_rate(settings):
    for rate in ("fast", "5/fortnight", "x/minute", "5/"):
        settings.KIT = {"AUTH_THROTTLE_RATE": rate}
        assert "kit.E014" in ids(), rate
    settings.KIT = {"AUTH_THROTTLE_RATE": None}
    assert ids() == set()


def test_per_process_identity_caches_are_flagged_by_the_deployment_checks(settings):
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    messages = [m for m in run_checks(include_deployment_checks=True, databases=[]) if m.id == "kit.W015"]
    assert len(messages) == 3  # permissions, token revocation and login throttling all live in "default"
    assert "PERMISSIONS_CACHE" in messages[0].msg and "TOKEN_REVOCATION_CACHE" in messages[1].msg
    assert messages[2].msg.startswith("Login throttling counts attempts in the cache 'default'")
    assert not [m for m in run_checks(databases=[]) if m.id == "kit.W015"]  # only with --deploy


def test_a_dummy_default_cache_means_no_login_throttling_and_is_flagged(settings):
    redis = {"BACKEND": "django_redis.cache.RedisCache", "LOCATION": "redis://127.0.0.1:6379/15"}
    dummy = {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}
    settings.CACHES = {"default": dummy, "identity": redis}
    settings.KIT = {"PERMISSIONS_CACHE": "identity", "TOKEN_REVOCATION_CACHE": "identity"}
    [message] = [m for m in run_checks(include_deployment_checks=True, databases=[]) if m.id == "kit.W015"]
    assert "Login throttling" in message.msg and "(DummyCache)" in message.msg
    settings.KIT = {**settings.KIT, "AUTH_THROTTLE_RATE": None}  # no throttling: nothing to share
    assert not [m for m in run_checks(include_deployment_checks=True, databases=[]) if m.id == "kit.W015"]


def test_a_shared_cache_passes_the_deployment_checks(settings):
    redis = {"BACKEND": "django_redis.cache.RedisCache", "LOCATION": "redis://127.0.0.1:6379/15"}
    settings.CACHES = {"default": redis}
    assert not [m for m in run_checks(include_deployment_checks=True, databases=[]) if m.id == "kit.W015"]

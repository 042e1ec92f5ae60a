"""The KIT options namespace and the kit's system checks."""

import pytest
from django.test import override_settings

from kit import checks
from kit.conf import kit_settings
from kit.conf.service import DEV_SECRET_KEY


def run_kit_checks():
    """The kit's checks (run_checks would also run model checks that need the database)."""
    return [
        *checks.check_secret_key(None),
        *checks.check_debug_in_production(None),
        *checks.check_kit_options(None),
    ]


def check_ids():
    return sorted({message.id for message in run_kit_checks()})


def test_defaults_and_overrides_with_reload_on_setting_changed():
    assert kit_settings.PAGE_SIZE == 25
    with override_settings(KIT={"PAGE_SIZE": 10}):
        assert kit_settings.PAGE_SIZE == 10
        assert kit_settings.MAX_PAGE_SIZE == 100
    assert kit_settings.PAGE_SIZE == 25


def test_unknown_options_raise_attribute_errors():
    with pytest.raises(AttributeError, match="Invalid KIT option: 'PAGESIZE'"):
        _ = kit_settings.PAGESIZE


def test_the_test_project_passes_its_checks():
    assert check_ids() == []


@pytest.mark.parametrize(
    "key",
    ["", DEV_SECRET_KEY, "django-insecure-abcdefghijklmnopqrstuvwxyz0123456789", "short", "a" * 60],
)
def test_weak_secret_keys_are_errors_outside_debug(key):
    with override_settings(SECRET_KEY=key, DEBUG=False):
        assert "kit.E001" in check_ids()


def test_secret_key_check_is_quiet_in_debug():
    with override_settings(SECRET_KEY=DEV_SECRET_KEY, DEBUG=True):
        assert "kit.E001" not in check_ids()


def test_debug_with_a_production_looking_configuration_warns():
    with override_settings(DEBUG=True, ALLOWED_HOSTS=["api.example.com"]):
        messages = [m for m in run_kit_checks() if m.id == "kit.W001"]
    assert len(messages) == 1
    assert "api.example.com" in messages[0].msg
    with override_settings(DEBUG=True, ALLOWED_HOSTS=["localhost"]):
        assert "kit.W001" not in check_ids()


def test_unknown_kit_options_warn_with_a_suggestion():
    with override_settings(KIT={"PAGE_SIZ": 5}):
        messages = [m for m in run_kit_checks() if m.id == "kit.W002"]
    assert messages and "Did you mean 'PAGE_SIZE'?" in messages[0].hint


def middleware_ids(middleware):
    with override_settings(MIDDLEWARE=middleware):
        return [message.id for message in checks.check_middleware(None)]


def test_kit_middleware_in_place_passes():
    from kit.conf.base import MIDDLEWARE

    assert middleware_ids(MIDDLEWARE) == []


def test_missing_kit_middleware_is_an_error():
    from kit.conf.base import MIDDLEWARE

    without = [name for name in MIDDLEWARE if name != checks.BODY_SIZE_MIDDLEWARE]
    assert middleware_ids(without) == ["kit.E002"]


def test_misordered_kit_middleware_is_an_error():
    from kit.conf.base import MIDDLEWARE

    request_id_last = [name for name in MIDDLEWARE if name != checks.REQUEST_ID_MIDDLEWARE]
    request_id_last.append(checks.REQUEST_ID_MIDDLEWARE)
    assert "kit.E003" in middleware_ids(request_id_last)

    size_after_csrf = [name for name in MIDDLEWARE if name != checks.BODY_SIZE_MIDDLEWARE]
    size_after_csrf.append(checks.BODY_SIZE_MIDDLEWARE)
    assert middleware_ids(size_after_csrf) == ["kit.E003"]

"""``REST_FRAMEWORK["PAGE_SIZE"]`` is honoured when ``KIT`` leaves ``PAGE_SIZE`` unset; both set and
different is the check warning kit.W017. Through override_settings, and in a real settings module."""

import subprocess
import sys

import pytest
from django.conf import settings
from django.core.checks import run_checks
from django.test import override_settings

from tests.ops.processes import ROOT, process_env

URL = "/api/v1/filtered-items"
OFFSET_URL = "/api/v1/offset-items"


def drf(**options):
    return {**settings.REST_FRAMEWORK, **options}


def page_warnings():
    return [message for message in run_checks() if message.id == "kit.W017"]


@pytest.mark.django_db
@override_settings(KIT={}, REST_FRAMEWORK=drf(PAGE_SIZE=7))
def test_rest_framework_page_size_is_honoured_when_kit_leaves_it_unset(client, thirty):
    page = client.get(URL)
    assert page.status_code == 200, page.content
    assert len(page.data) == 7
    assert page.meta["pagination"]["page_size"] == 7
    assert page.meta["pagination"]["pages"] == 5
    assert len(client.get(OFFSET_URL).data) == 7
    assert page_warnings() == []


@pytest.mark.django_db
@override_settings(KIT={"PAGE_SIZE": 4}, REST_FRAMEWORK=drf(PAGE_SIZE=7))
def test_kit_page_size_wins_and_the_difference_is_warned_about(client, thirty):
    page = client.get(URL)
    assert page.meta["pagination"]["page_size"] == 4
    assert len(page.data) == 4
    [warning] = page_warnings()
    assert "REST_FRAMEWORK['PAGE_SIZE'] = 7 is ignored" in warning.msg
    assert "KIT['PAGE_SIZE'] = 4" in warning.msg


@override_settings(KIT={"PAGE_SIZE": 7}, REST_FRAMEWORK=drf(PAGE_SIZE=7))
def test_the_same_size_in_both_places_is_no_warning():
    assert page_warnings() == []


@pytest.mark.django_db
@override_settings(KIT={})
def test_without_either_the_default_applies(client, thirty):
    assert "PAGE_SIZE" not in settings.REST_FRAMEWORK
    assert client.get(URL).meta["pagination"]["page_size"] == 25
    assert page_warnings() == []


def test_changing_rest_framework_reloads_the_cached_option():
    from kit.conf import kit_settings

    with override_settings(KIT={}):
        assert kit_settings.PAGE_SIZE == 25
        with override_settings(REST_FRAMEWORK=drf(PAGE_SIZE=11)):
            assert kit_settings.PAGE_SIZE == 11
        assert kit_settings.PAGE_SIZE == 25


SETTINGS_MODULE = """
from tests.project.settings import *  # noqa: F403

REST_FRAMEWORK = {**REST_FRAMEWORK, "PAGE_SIZE": 7}  # noqa: F405
"""

SHOW = "import django; django.setup(); from kit.conf import kit_settings; print(kit_settings.PAGE_SIZE)"


@pytest.fixture(scope="module")
def project_settings(tmp_path_factory):
    """A settings module on disk that sets only REST_FRAMEWORK["PAGE_SIZE"]."""
    directory = tmp_path_factory.mktemp("pagesize")
    (directory / "pagesize_settings.py").write_text(SETTINGS_MODULE)
    return directory


def run(project_settings, *args, **env):
    environ = process_env(
        DJANGO_SETTINGS_MODULE="pagesize_settings",
        PYTHONPATH=f"{project_settings}:{ROOT}",
        # Settings only: a SQLite file, as MariaDB's system checks connect to the (absent) database.
        DATABASE_URL=f"sqlite:///{project_settings / 'unused.sqlite3'}",
        **env,
    )
    result = subprocess.run(
        [sys.executable, *args], cwd=ROOT, env=environ, capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr
    return result.stdout + result.stderr


def test_a_settings_module_setting_rest_framework_page_size_is_honoured(project_settings):
    assert run(project_settings, "-c", SHOW, PAGE_SIZE=None).strip() == "7"
    assert "kit.W017" not in run(project_settings, "-m", "django", "check", PAGE_SIZE=None)


def test_a_page_size_variable_wins_over_rest_framework_with_a_warning(project_settings):
    assert run(project_settings, "-c", SHOW, PAGE_SIZE="5").strip() == "5"
    output = run(project_settings, "-m", "django", "check", PAGE_SIZE="5")
    assert "kit.W017" in output
    assert "REST_FRAMEWORK['PAGE_SIZE'] = 7 is ignored" in output

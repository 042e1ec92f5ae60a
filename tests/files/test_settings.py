"""MEDIA_ROOT, MEDIA_URL, STORAGE_URL and the AWS credentials from the environment; the checks."""

from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.test import override_settings

from kit.conf import ServiceSettings, base
from kit.conf.secrets import mask
from kit.files.checks import check_file_options, check_storage
from tests.passes import sqlite_run_only

pytestmark = sqlite_run_only  # no database involved


def load(environ, **settings):
    settings = {
        "BASE_DIR": Path("/srv/service"),
        "SECRET_KEY": "k" * 40,
        "STORAGES": base.STORAGES,
        **settings,
    }
    ServiceSettings().load_from_env(settings, environ=environ)
    return settings


def test_files_go_to_the_media_folder_beside_the_project_by_default():
    settings = load({})
    assert settings["MEDIA_ROOT"] == Path("/srv/service/media")
    assert settings["MEDIA_URL"] == "/media/"
    assert settings["STORAGES"]["default"] == {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": "/srv/service/media"},
    }
    assert "staticfiles" in settings["STORAGES"]


def test_a_file_url_names_the_folder():
    settings = load({"STORAGE_URL": "file:///var/lib/files", "MEDIA_URL": "/files/"})
    assert settings["STORAGES"]["default"]["OPTIONS"] == {"location": "/var/lib/files"}
    assert settings["MEDIA_URL"] == "/files/"


def test_an_s3_url_configures_django_storages_with_short_timeouts():
    settings = load(
        {
            "STORAGE_URL": "s3://my-bucket/uploads/?endpoint=http://minio:9000&region=eu-west-1&addressing_style=path",
            "AWS_ACCESS_KEY_ID": "minio-access",
            "AWS_SECRET_ACCESS_KEY": "minio-secret-key",
        }
    )
    default = settings["STORAGES"]["default"]
    assert default["BACKEND"] == "storages.backends.s3.S3Storage"
    options = default["OPTIONS"]
    assert options["bucket_name"] == "my-bucket"
    assert options["location"] == "uploads"
    assert options["endpoint_url"] == "http://minio:9000"
    assert options["region_name"] == "eu-west-1"
    assert options["addressing_style"] == "path"
    assert options["querystring_auth"] is True
    assert options["file_overwrite"] is False
    assert options["client_config"].connect_timeout == 5.0
    assert options["client_config"].retries == {"max_attempts": 2, "mode": "standard"}
    assert settings["AWS_ACCESS_KEY_ID"] == "minio-access"
    assert settings["AWS_SECRET_ACCESS_KEY"] == "minio-secret-key"
    assert mask("key minio-secret-key") == "key *****"


@pytest.mark.parametrize(
    ("url", "reason"),
    [
        ("ftp://host/files", "unsupported scheme"),
        ("file://relative/path", "absolute folder"),
        ("s3://", "no valid bucket"),
        ("s3://Bad_Bucket", "no valid bucket"),
        ("s3://bucket?endpoint=minio:9000", "endpoint must be an http"),
        ("s3://bucket?regoin=eu-west-1", "unknown options: regoin"),
        ("s3://bucket?signed=maybe", "signed must be true or false"),
        ("s3://bucket?connect_timeout=-1", "connect_timeout must be positive"),
    ],
)
def test_a_malformed_storage_url_is_reported_with_the_other_problems(url, reason):
    with pytest.raises(ImproperlyConfigured) as error:
        load({"STORAGE_URL": url, "AWS_SECRET_ACCESS_KEY": "never-shown-secret", "PORT": "x"})
    message = str(error.value)
    assert "STORAGE_URL" in message
    assert reason in message
    assert "PORT" in message
    assert "never-shown-secret" not in message


def test_a_default_storage_written_in_settings_is_kept():
    own = {"BACKEND": "myproject.storage.Vault"}
    settings = load({}, STORAGES={**base.STORAGES, "default": own})
    assert settings["STORAGES"]["default"] is own


def test_a_storage_url_written_in_settings_is_used():
    settings = load({}, STORAGE_URL="s3://written-bucket")
    assert settings["STORAGES"]["default"]["OPTIONS"]["bucket_name"] == "written-bucket"


def test_the_checks_accept_the_test_settings():
    assert check_storage(None) == []
    assert check_file_options(None) == []


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"STORAGE_URL": "s3://x"}, "STORAGE_URL names no valid bucket"),
        ({"STORAGES": {"default": {"BACKEND": "storages.backends.nowhere.Storage"}}}, "does not import"),
        (
            {"STORAGES": {"default": {"BACKEND": "storages.backends.s3.S3Storage", "OPTIONS": {}}}},
            "without a bucket",
        ),
    ],
)
def test_a_storage_that_cannot_work_is_kit_e080(overrides, message):
    with override_settings(**overrides):
        errors = check_storage(None)
    assert [error.id for error in errors] == ["kit.E080"]
    assert message in errors[0].msg


@pytest.mark.parametrize(
    "options",
    [
        {"UPLOAD_MAX_SIZE": 0},
        {"DOWNLOAD_URL_MAX_AGE": "1h"},
        {"UPLOAD_CONTENT_TYPES": "image/*"},
        {"UPLOAD_CONTENT_TYPES": ["png"]},
    ],
)
def test_malformed_file_options_are_kit_e081(options):
    with override_settings(KIT=options):
        errors = check_file_options(None)
    assert [error.id for error in errors] == ["kit.E081"]

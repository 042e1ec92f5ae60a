"""Swagger UI, Redoc and the schema URL: local assets only, and the KIT options that gate them."""

import re

import pytest
from django.contrib.auth import get_user_model
from django.test import override_settings

pytestmark = pytest.mark.django_db

DOCS_URLS = ["/api/schema/", "/api/docs", "/api/redoc"]


@pytest.mark.parametrize("url", ["/api/docs", "/api/redoc"])
def test_viewers_load_every_asset_from_this_service(client, url):
    response = client.get(url)

    assert response.status_code == 200
    html = response.content.decode()
    assets = re.findall(r'(?:src|href)="([^"]*)"', html)
    assert assets, html
    assert all(asset.startswith("/static/drf_spectacular_sidecar/") for asset in assets), assets
    assert "//" not in " ".join(assets)
    assert not re.search(r"https?://", html.replace("http://testserver", ""))


def test_swagger_ui_points_at_the_local_schema_without_the_online_validator(client):
    html = client.get("/api/docs").content.decode()

    assert '"validatorUrl": null' in html
    assert "/api/schema/" in html


@pytest.mark.parametrize("url", DOCS_URLS)
def test_docs_can_be_disabled(client, url):
    with override_settings(KIT={"API_DOCS_ENABLED": False}):
        assert client.get(url).status_code == 404
    assert client.get(url).status_code == 200


@pytest.mark.parametrize("url", DOCS_URLS)
def test_docs_can_be_restricted_to_staff(client, url):
    staff = get_user_model().objects.create_user("admin", password="pw", is_staff=True)
    with override_settings(KIT={"API_DOCS_PERMISSION": "rest_framework.permissions.IsAdminUser"}):
        assert client.get(url).status_code == 403
        client.force_login(staff)
        assert client.get(url).status_code == 200

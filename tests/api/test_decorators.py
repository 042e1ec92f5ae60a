"""deprecated and development_only."""

import pytest
from django.test import override_settings

from tests.api.conftest import assert_problem

pytestmark = pytest.mark.django_db


def test_deprecated_view_has_deprecation_sunset_and_link_headers(client):
    response = client.get("/api/test/deprecated")
    assert response.status_code == 200
    assert response["Deprecation"] == "@1767225600"  # 2026-01-01T00:00:00Z
    assert response["Sunset"] == "Sun, 31 Jan 2027 00:00:00 GMT"
    assert response["Link"] == '<https://docs.example.com/v2>; rel="deprecation"; type="text/html"'


def test_deprecated_view_marks_errors_too(client):
    response = client.post("/api/test/deprecated")
    assert response.status_code == 405
    assert response["Deprecation"] == "@1767225600"


def test_deprecated_method_only_marks_that_method(client):
    assert not client.get("/api/test/partly-deprecated").has_header("Deprecation")
    response = client.delete("/api/test/partly-deprecated")
    assert response.status_code == 204
    assert response["Deprecation"].startswith("@")
    assert response["Sunset"] == "Wed, 30 Jun 2027 12:00:00 GMT"
    assert not response.has_header("Link")


def test_deprecated_function_view(client):
    response = client.get("/api/test/deprecated-function")
    assert response.json() == {"old": True}
    assert response["Deprecation"].startswith("@")


def test_deprecation_is_readable_by_the_schema_generator():
    from kit.api.decorators import Deprecation
    from tests.example import api_views

    assert isinstance(api_views.DeprecatedView.deprecated, Deprecation)
    assert api_views.PartlyDeprecatedView.delete.deprecated.sunset.year == 2027
    assert not hasattr(api_views.PartlyDeprecatedView.get, "deprecated")
    assert api_views.deprecated_function_view.deprecated


def test_development_only_view_is_not_found_unless_debug(client):
    assert_problem(client.get("/api/test/development"), 404, "not_found")
    with override_settings(DEBUG=True):
        assert client.get("/api/test/development").json()["data"] == {"debug": True}


def test_development_only_method(client):
    assert client.get("/api/test/partly-development").status_code == 200
    problem = assert_problem(client.post("/api/test/partly-development"), 404, "not_found")
    assert problem["detail"] == "This endpoint exists in development only."
    with override_settings(DEBUG=True):
        assert client.post("/api/test/partly-development").status_code == 200


def test_development_only_sets_its_flag():
    from tests.example import api_views

    assert api_views.DevelopmentView.development_only is True
    assert api_views.PartlyDevelopmentView.post.development_only is True


def documented_paths(debug=False):
    """The schema paths of a few decorated views (the test views above are hidden from schemas)."""
    from django.urls import path
    from drf_spectacular.generators import SchemaGenerator
    from rest_framework.response import Response
    from rest_framework.views import APIView

    from kit.api.decorators import deprecated, development_only

    @deprecated(sunset="2027-01-31")
    class Old(APIView):
        def get(self, request):
            return Response({})

    class Mixed(APIView):
        def get(self, request):
            return Response({})

        @deprecated()
        def put(self, request):
            return Response({})

        @development_only
        def delete(self, request):
            return Response(status=204)

    @development_only
    class Debug(APIView):
        def get(self, request):
            return Response({})

    patterns = [
        path("old", Old.as_view()),
        path("mixed", Mixed.as_view()),
        path("debug", Debug.as_view()),
    ]
    with override_settings(DEBUG=debug):
        return SchemaGenerator(patterns=patterns).get_schema(request=None, public=True)["paths"]


def test_schema_marks_deprecated_operations():
    paths = documented_paths()
    assert paths["/old"]["get"]["deprecated"] is True
    assert paths["/mixed"]["put"]["deprecated"] is True
    assert "deprecated" not in paths["/mixed"]["get"]


def test_schema_shows_development_only_operations_only_when_debug():
    paths = documented_paths(debug=False)
    assert "/debug" not in paths
    assert set(paths["/mixed"]) == {"get", "put"}
    paths = documented_paths(debug=True)
    assert "/debug" in paths
    assert "delete" in paths["/mixed"]

"""An unknown ``?format=`` is 406 ``not_acceptable`` (DRF answers 404), naming the offered formats."""

import pytest

from tests.api.conftest import assert_problem

pytestmark = pytest.mark.django_db


def test_unknown_format_is_not_acceptable(api):
    problem = assert_problem(api.get("/api/v1/items?format=xml"), 406, "not_acceptable")

    assert problem["detail"] == "Unknown format 'xml'; this endpoint offers: csv, json."


def test_known_formats_still_work(api, admin_user):
    api.force_login(admin_user)  # the example API requires rights; a superuser holds them all
    assert api.get("/api/v1/items?format=json").status_code == 200
    assert api.get("/api/v1/items?format=csv")["Content-Type"].startswith("text/csv")


def negotiate(django_request):
    from rest_framework.request import Request

    from kit.api.negotiation import ContentNegotiation
    from kit.api.renderers import CSVRenderer, EnvelopeJSONRenderer

    request = Request(django_request)
    renderer, media_type = ContentNegotiation().select_renderer(
        request, [EnvelopeJSONRenderer(), CSVRenderer()]
    )
    return type(renderer).__name__, media_type


def test_an_empty_query_string_gets_the_first_renderer_without_parsing_it(rf):
    django_request = rf.get("/api/v1/items")

    assert negotiate(django_request) == ("EnvelopeJSONRenderer", "application/json")
    assert "GET" not in vars(django_request)


def test_a_format_in_a_query_dict_set_by_code_is_still_read(rf):
    from django.http import QueryDict

    django_request = rf.get("/api/v1/items")
    django_request.GET = QueryDict("format=csv")

    assert negotiate(django_request) == ("CSVRenderer", "text/csv")
    assert negotiate(rf.get("/api/v1/items?format=csv")) == ("CSVRenderer", "text/csv")

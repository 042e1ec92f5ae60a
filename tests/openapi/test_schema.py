"""The OpenAPI document: envelope, problems, headers, parameters, and a clean spectacular run."""

import json

import pytest
from django.core.management import call_command
from drf_spectacular.settings import patched_settings

from kit.openapi.generators import SchemaGenerator

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def schema():
    return SchemaGenerator(urlconf="tests.project.urls").get_schema(public=True)


@pytest.fixture(scope="module")
def special():
    return SchemaGenerator(urlconf="tests.openapi.urls").get_schema(public=True)


def resolve(document, ref):
    node = document
    for part in ref.removeprefix("#/").split("/"):
        node = node[part]
    return node


def response(document, path, method, status):
    found = document["paths"][path][method]["responses"][status]
    return resolve(document, found["$ref"]) if "$ref" in found else found


def body_schema(document, path, method, status, media_type="application/json"):
    return response(document, path, method, status)["content"][media_type]["schema"]


def test_schema_endpoint_serves_the_document(client):
    served = client.get("/api/schema/?format=json")

    assert served.status_code == 200
    document = json.loads(served.content)
    assert document["openapi"].startswith("3.")
    assert "/api/v1/items" in document["paths"]


def test_single_objects_are_in_the_envelope(schema):
    envelope = body_schema(schema, "/api/v1/items/{id}", "get", "200")

    assert envelope["required"] == ["data", "meta"]
    assert envelope["properties"]["data"] == {"$ref": "#/components/schemas/Item"}
    meta = resolve(schema, envelope["properties"]["meta"]["$ref"])
    assert meta["required"] == ["request_id"]


def test_lists_have_an_array_as_data(schema):
    envelope = body_schema(schema, "/api/v1/items", "get", "200")
    data = envelope["properties"]["data"]
    data = resolve(schema, data["$ref"]) if "$ref" in data else data

    assert data["type"] == "array"
    assert data["items"] == {"$ref": "#/components/schemas/Item"}


def test_create_is_201_with_location_and_delete_is_204(schema):
    created = response(schema, "/api/v1/items", "post", "201")
    deleted = response(schema, "/api/v1/items/{id}", "delete", "204")

    assert set(created["headers"]) == {"X-Request-ID", "Location"}
    assert "content" not in deleted
    assert "201" in schema["paths"]["/api/v1/categories"]["post"]["responses"]


@pytest.mark.parametrize(
    ("path", "method", "statuses"),
    [
        # The example views have resource = "items": they require permissions (401/403).
        ("/api/v1/items", "get", {"200", "400", "401", "403", "406", "414", "500"}),
        ("/api/v1/items", "post", {"201", "400", "401", "403", "406", "409", "413", "414", "415", "500"}),
        ("/api/v1/items/{id}", "get", {"200", "401", "403", "404", "406", "414", "500"}),
        (
            "/api/v1/items/{id}",
            "patch",
            {"200", "400", "401", "403", "404", "406", "409", "413", "414", "415", "500"},
        ),
        ("/api/v1/items/{id}", "delete", {"204", "401", "403", "404", "406", "414", "500"}),
    ],
)
def test_each_operation_documents_the_problems_it_can_give(schema, path, method, statuses):
    assert set(schema["paths"][path][method]["responses"]) == statuses


def test_problems_are_problem_json_with_shared_components(schema):
    not_found = response(schema, "/api/v1/items/{id}", "get", "404")
    invalid = response(schema, "/api/v1/items", "post", "400")

    problem_ref = not_found["content"]["application/problem+json"]["schema"]
    assert problem_ref == {"$ref": "#/components/schemas/Problem"}
    members = set(schema["components"]["schemas"]["Problem"]["properties"])
    assert {"type", "title", "status", "detail", "instance", "code", "request_id"} <= members
    validation = invalid["content"]["application/problem+json"]["schema"]
    assert validation == {"$ref": "#/components/schemas/ValidationProblem"}
    field_error = schema["components"]["schemas"]["FieldError"]
    assert set(field_error["properties"]) == {"attr", "code", "detail", "pointer"}


def test_every_response_documents_the_request_id_header(schema):
    for operations in schema["paths"].values():
        for operation in operations.values():
            for status in operation["responses"]:
                path_response = response(schema, *_locate(schema, operation), status)
                assert "X-Request-ID" in path_response["headers"]


def _locate(schema, operation):
    for path, operations in schema["paths"].items():
        for method, candidate in operations.items():
            if candidate is operation:
                return path, method
    raise LookupError


def test_docstrings_of_kit_classes_do_not_describe_operations(schema, special):
    # Only the permissions note: no docstring of kit.views classes.
    assert schema["paths"]["/api/v1/items"]["get"]["description"] == "**Required permissions:** `items:read`."
    assert special["paths"]["/guarded"]["get"]["description"] == "The guarded items."


def test_guarded_and_throttled_views_document_401_403_429(special):
    listed = special["paths"]["/guarded"]["get"]["responses"]
    detail = special["paths"]["/guarded/{id}"]["get"]["responses"]

    assert {"401", "403", "429"} <= set(listed)
    assert {"401", "403", "404"} <= set(detail)
    assert "429" not in detail


def test_problem_statuses_may_be_declared_per_method(special):
    operations = special["paths"]["/guarded/{id}"]

    assert "400" in operations["delete"]["responses"]
    assert "400" not in operations["get"]["responses"]


def test_body_and_query_serializers_of_api_views(special):
    operation = special["paths"]["/greeting"]["post"]

    body = operation["requestBody"]["content"]["application/json"]["schema"]
    assert body == {"$ref": "#/components/schemas/GreetingBodyRequest"}
    assert [(p["name"], p["in"]) for p in operation["parameters"]] == [("shout", "query")]
    data = operation["responses"]["200"]["content"]["application/json"]["schema"]["properties"]["data"]
    assert data == {"$ref": "#/components/schemas/GreetingResult"}
    assert "400" in operation["responses"]


def test_views_without_envelope_are_documented_bare(special):
    schema = special["paths"]["/probe"]["get"]["responses"]["200"]["content"]["application/json"]["schema"]

    assert schema == {"$ref": "#/components/schemas/GreetingResult"}


@pytest.mark.parametrize("urlconf", ["tests.project.urls", "tests.openapi.urls"])
def test_spectacular_validates_without_warnings(urlconf, tmp_path):
    out = tmp_path / "schema.yaml"

    call_command("spectacular", "--validate", "--fail-on-warn", "--urlconf", urlconf, "--file", str(out))

    assert out.read_text().startswith("openapi: 3")


@pytest.mark.parametrize(
    ("path", "paginator", "members"),
    [
        (
            "/api/v1/filtered-items",
            "PageNumberPagination",
            {"count", "page", "pages", "page_size", "next", "previous"},
        ),
        ("/api/v1/offset-items", "LimitOffsetPagination", {"count", "limit", "offset", "next", "previous"}),
    ],
)
def test_list_meta_carries_the_paginators_pagination(schema, path, paginator, members):
    envelope = body_schema(schema, path, "get", "200")

    assert envelope["properties"]["meta"] == {"$ref": f"#/components/schemas/{paginator}Meta"}
    meta = schema["components"]["schemas"][f"{paginator}Meta"]
    assert meta["allOf"][0] == {"$ref": "#/components/schemas/Meta"}
    pagination = meta["allOf"][1]["properties"]["pagination"]
    assert set(pagination["required"]) == {*members, "next", "previous"}


def test_every_filter_operator_is_a_query_parameter(schema):
    from tests.example.filters import ItemFilter

    operation = schema["paths"]["/api/v1/filtered-items"]["get"]
    parameters = {p["name"] for p in operation["parameters"] if p["in"] == "query"}

    assert parameters == {*ItemFilter.base_filters, "ordering", "page", "page_size", "format"}
    assert {"name__ilike", "name__regexp", "count__range", "uid__in", "category__isnull"} <= parameters
    assert "400" in operation["responses"]


def test_detail_operations_document_no_filters(schema):
    operation = schema["paths"]["/api/v1/filtered-items/{id}"]["get"]

    assert [p["name"] for p in operation["parameters"]] == ["id"]


def test_csv_exports_are_documented_as_text(schema):
    content = schema["paths"]["/api/v1/filtered-items"]["get"]["responses"]["200"]["content"]

    assert content["text/csv"]["schema"] == {"type": "string"}


def test_every_authentication_class_is_a_security_scheme(schema):
    from drf_spectacular.extensions import OpenApiAuthenticationExtension
    from rest_framework.settings import api_settings

    schemes = schema["components"].get("securitySchemes", {})
    for authentication_class in api_settings.DEFAULT_AUTHENTICATION_CLASSES:
        extension = OpenApiAuthenticationExtension.get_match(authentication_class())
        assert extension is not None, f"{authentication_class} has no OpenAPI authentication extension"
        names = [extension.name] if isinstance(extension.name, str) else extension.name
        assert set(names) <= set(schemes)
    requirements = schema["paths"]["/api/v1/items"]["get"]["security"]
    assert {name for requirement in requirements for name in requirement} == set(schemes)


def test_the_document_is_named_and_versioned_after_the_service(client, settings):
    settings.KIT = {**settings.KIT, "SERVICE_NAME": "orders", "SERVICE_VERSION": "1.4.2"}

    info = json.loads(client.get("/api/schema/?format=json").content)["info"]

    assert info == {"title": "orders", "version": "1.4.2"}


def test_spectacular_settings_name_the_document_when_given():
    with patched_settings({"TITLE": "Orders API", "VERSION": "2"}):
        info = SchemaGenerator(urlconf="tests.project.urls").get_schema(public=True)["info"]

    assert info == {"title": "Orders API", "version": "2"}


def test_serializers_generated_for_models_carry_no_kit_docstring(schema):
    generated = schema["components"]["schemas"]["Category"]  # CategoryList names only a model

    assert "description" not in generated


def test_request_bodies_are_json_unless_the_view_takes_files(schema, special):
    bodies = [
        (path, operation["requestBody"]["content"])
        for document in (schema, special)
        for path, operations in document["paths"].items()
        for operation in operations.values()
        if "requestBody" in operation
    ]

    assert bodies
    for path, content in bodies:
        takes_files = path == "/upload" or path.startswith("/api/files-test/")
        expected = ["application/json", "multipart/form-data"] if takes_files else ["application/json"]
        if path == "/api/rpc":
            expected = ["application/json", "text/xml"]
        assert list(content) == expected, path


def test_decimal_input_is_documented_as_a_string_or_a_number(schema):
    price = schema["components"]["schemas"]["ItemRequest"]["properties"]["price"]  # max_digits=10, 2 places
    answered = schema["components"]["schemas"]["Item"]["properties"]["price"]

    text, number = price["oneOf"]
    assert (
        text == answered == {"type": "string", "format": "decimal", "pattern": r"^-?\d{0,8}(?:\.\d{0,2})?$"}
    )
    assert number == {
        "type": "number",
        "minimum": -(10**8),
        "maximum": 10**8,
        "exclusiveMinimum": True,
        "exclusiveMaximum": True,
        "multipleOf": 0.01,
    }


@pytest.mark.parametrize(("price", "status"), [("12.50", 201), (12.5, 201), (0.125, 400), (10**8, 400)])
def test_decimal_input_is_accepted_as_documented(auth_client, price, status):
    client = auth_client(permissions=["items:create"])

    response = client.post("/api/v1/items", {"name": f"item {price}", "price": price}, format="json")

    assert response.status_code == status, response.content
    if status == 201:
        assert response.json()["data"]["price"] == "12.50"

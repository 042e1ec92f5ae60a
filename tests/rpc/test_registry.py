"""The registry: what methods require (declared rights, the admin), their params, their listing in
the OpenAPI document."""

import datetime
import decimal

import pytest
from rest_framework.exceptions import ValidationError

import kit.rpc
from kit.authorization.declared import declared_permissions, undeclared_permission_error
from kit.openapi.generators import SchemaGenerator
from kit.rpc.params import bind_params, signature_serializer


def test_method_rights_are_declared_for_the_admin(db):
    declared = declared_permissions()
    assert "calc:add" in declared
    assert undeclared_permission_error("calc", "add", declared) is None
    assert undeclared_permission_error("calc", "sub", declared) is not None


def test_the_rpc_endpoint_in_the_openapi_document(db):
    document = SchemaGenerator(urlconf="tests.project.urls").get_schema(public=True)
    operation = document["paths"]["/api/rpc"]["post"]
    listed = {entry["name"]: entry for entry in operation["x-rpc-methods"]}
    assert listed["calc.add"]["signature"] == "calc.add(a: int, b: int) -> int"
    assert listed["calc.add"]["requires"] == "calc:add"
    assert listed["whoami"]["signature"] == "whoami() -> str"
    assert listed["whoami"]["requires"] == "authenticated"
    assert listed["echo"]["requires"] == "public"
    assert (
        "| `calc.add(a: int, b: int) -> int` | `calc:add` | Add two integers. |" in operation["description"]
    )
    assert set(operation["requestBody"]["content"]) == {"application/json", "text/xml"}


def test_a_name_registered_twice_is_an_error():
    def add(a: int) -> int:
        return a

    with pytest.raises(ValueError, match="already registered"):
        kit.rpc.method(name="calc.add", permission="calc:add")(add)


def test_public_methods_require_no_permission():
    with pytest.raises(ValueError, match="public"):
        kit.rpc.method(name="x.public", public=True, permission="x:y")


def test_variadic_parameters_are_refused():
    def anything(*args):
        return args

    with pytest.raises(TypeError, match=r"\*args"):
        signature_serializer(anything, "anything")


def test_type_hints_become_fields():
    def sample(
        when: datetime.date,
        amount: decimal.Decimal,
        tags: list[str],
        scores: dict[str, int],
        note: str | None = None,
        flag: bool = False,
    ) -> None: ...

    serializer_class = signature_serializer(sample, "sample")
    bound = bind_params(serializer_class, ["2026-12-07", "1.50", ["a"], {"x": "2"}])
    assert bound == {
        "when": datetime.date(2026, 12, 7),
        "amount": decimal.Decimal("1.50"),
        "tags": ["a"],
        "scores": {"x": 2},
        "note": None,
        "flag": False,
    }
    assert (
        bind_params(
            serializer_class, {"when": "2026-01-01", "amount": 1, "tags": [], "scores": {}, "note": None}
        )["note"]
        is None
    )
    with pytest.raises(ValidationError) as raised:
        bind_params(serializer_class, {"when": "nope", "amount": "x", "tags": "a", "scores": {"x": "y"}})
    assert set(raised.value.detail) == {"when", "amount", "tags", "scores"}

import pytest

from kit.testing import assert_is_envelope, assert_is_problem

PAGE = {"count": 3, "page": 1, "pages": 2, "page_size": 2, "next": "http://x/?page=2", "previous": None}
LIST = {"data": [{"id": 1}, {"id": 2}], "meta": {"request_id": "abc", "pagination": PAGE}}
PROBLEM = {
    "type": "https://errors.example/not_found",
    "title": "Not Found",
    "status": 404,
    "detail": "No item 7.",
    "instance": "/api/v1/items/7",
    "code": "not_found",
    "request_id": "abc",
}


def fails(message):
    return pytest.raises(AssertionError, match=message)


def test_envelope_returns_its_data():
    assert assert_is_envelope(LIST, count=3, page=1, pages=2, page_size=2) == LIST["data"]
    assert assert_is_envelope({"data": {"id": 1}, "meta": {"request_id": "abc"}}) == {"id": 1}
    assert assert_is_envelope({"data": None, "meta": {"request_id": "abc"}}) is None


def test_envelope_count_without_pagination_counts_items():
    assert_is_envelope({"data": [1, 2], "meta": {"request_id": "abc"}}, count=2)
    with fails(r"data has 2 items, expected 3"):
        assert_is_envelope({"data": [1, 2], "meta": {"request_id": "abc"}}, count=3)


@pytest.mark.parametrize(
    ("expected", "message"),
    [
        ({"count": 4}, r"meta.pagination.count is 3, expected 4"),
        ({"page": 2}, r"meta.pagination.page is 1, expected 2"),
        ({"pages": 1}, r"meta.pagination.pages is 2, expected 1"),
        ({"page_size": 25}, r"meta.pagination.page_size is 2, expected 25"),
    ],
)
def test_envelope_pagination_mismatch_names_the_member(expected, message):
    with fails(message):
        assert_is_envelope(LIST, **expected)


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ([1, 2], r"the body is not a JSON object"),
        ({"data": []}, r"members are \['data'\], expected \['data', 'meta'\]"),
        ({"data": [], "meta": {}, "extra": 1}, r"members are \['data', 'extra', 'meta'\]"),
        ({"data": [], "meta": {}}, r"meta.request_id is missing"),
        ({"data": [], "meta": {"request_id": "x"}}, None),
    ],
)
def test_envelope_shape(body, message):
    if message is None:
        assert_is_envelope(body)
        return
    with fails(message):
        assert_is_envelope(body)


def test_envelope_pagination_missing():
    with fails(r"meta.pagination is missing \(checking \['page'\]\)"):
        assert_is_envelope({"data": [], "meta": {"request_id": "x"}}, page=1)


def test_failure_shows_the_body():
    with pytest.raises(AssertionError) as failure:
        assert_is_envelope(PROBLEM)
    assert '"code": "not_found"' in str(failure.value)


def test_long_bodies_are_shortened():
    body = {"data": ["x" * 5000], "meta": {}}
    with pytest.raises(AssertionError) as failure:
        assert_is_envelope(body)
    assert "more characters" in str(failure.value)
    assert len(str(failure.value)) < 1500


def test_problem_returns_the_body():
    assert assert_is_problem(PROBLEM, status=404, code="not_found") is PROBLEM


@pytest.mark.parametrize(
    ("body", "expected", "message"),
    [
        (PROBLEM, {"status": 400}, r"status is 404, expected 400"),
        (PROBLEM, {"code": "forbidden"}, r"code is 'not_found', expected 'forbidden'"),
        ({**PROBLEM, "status": "404"}, {}, r"status is not an integer"),
        ({**PROBLEM, "code": ""}, {}, r"code is not a non-empty string"),
        (
            {k: v for k, v in PROBLEM.items() if k != "request_id"},
            {},
            r"members \['request_id'\] are missing",
        ),
        (LIST, {}, r"members \['type', 'title', 'status', 'detail', 'instance', 'code', 'request_id'\]"),
        ("oops", {}, r"the body is not a JSON object"),
    ],
)
def test_problem_mismatches(body, expected, message):
    with fails(message):
        assert_is_problem(body, **expected)


def test_problem_validation_errors_are_checked():
    error = {"attr": "name", "code": "required", "detail": "This field is required.", "pointer": "#/name"}
    assert_is_problem({**PROBLEM, "status": 400, "errors": [error]}, status=400)
    query_error = {"attr": "colour", "code": "unknown_parameter", "detail": "Unknown.", "parameter": "colour"}
    assert_is_problem({**PROBLEM, "errors": [query_error]})
    with fails(r"errors\[0\] has neither 'pointer' nor 'parameter'"):
        assert_is_problem({**PROBLEM, "errors": [{k: v for k, v in error.items() if k != "pointer"}]})
    with fails(r"errors\[0\] lacks \['detail'\]"):
        assert_is_problem({**PROBLEM, "errors": [{k: v for k, v in error.items() if k != "detail"}]})
    with fails(r"errors\[0\] is not an object"):
        assert_is_problem({**PROBLEM, "errors": ["name"]})
    with fails(r"errors is not a list"):
        assert_is_problem({**PROBLEM, "errors": {}})


@pytest.mark.urls("tests.testing.urls")
def test_problem_response_checks_content_type_and_status(client):
    assert assert_is_problem(client.get("/problem"), status=404, code="not_found")["detail"] == "No item 7."
    with fails(r"Content-Type is 'application/json', expected 'application/problem\+json'"):
        assert_is_problem(client.get("/envelope"))
    with fails(r"the 200 response body is not JSON: b'<p>hello</p>'"):
        assert_is_problem(client.get("/html"))


@pytest.mark.urls("tests.testing.urls")
def test_envelope_accepts_a_response(client):
    assert assert_is_envelope(client.get("/envelope"), count=1) == [{"id": 1}]

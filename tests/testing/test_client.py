import pytest

pytestmark = pytest.mark.urls("tests.testing.urls")


def test_envelope_is_decoded(api_client):
    response = api_client.get("/envelope")
    assert response.data == [{"id": 1}]
    assert response.meta == {"request_id": "r1", "pagination": {"count": 1}}
    assert response.problem is None
    assert response.json() == {"data": [{"id": 1}], "meta": response.meta}


def test_problem_is_decoded(api_client):
    response = api_client.get("/problem")
    assert response.status_code == 404
    assert response.problem["code"] == "not_found"
    assert response.data is None
    assert response.meta is None


def test_unwrapped_json_is_the_data(web_app_client):
    response = web_app_client.get("/unwrapped")
    assert response.data == "healthy"
    assert response.meta is None


@pytest.mark.parametrize("path", ["/html", "/no-content"])
def test_other_bodies_decode_to_nothing(api_client, path):
    response = api_client.get(path)
    assert (response.data, response.meta, response.problem) == (None, None, None)


def test_requests_are_sent_as_json(api_client, settings):
    response = api_client.post("/unwrapped", {"nested": {"a": [1, 2]}})
    assert response.wsgi_request.content_type == "application/json"

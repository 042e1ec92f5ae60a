"""An unknown ``?format=`` is 406 ``not_acceptable`` (DRF answers 404), naming the offered formats."""

import pytest

from tests.api.conftest import assert_problem

pytestmark = pytest.mark.django_db


def test_unknown_format_is_not_acceptable(api):
    problem = assert_problem(api.get("/api/v1/items?format=xml"), 406, "not_acceptable")

    assert problem["detail"] == "Unknown format 'xml'; this endpoint offers: csv, json."


def test_known_formats_still_work(api):
    assert api.get("/api/v1/items?format=json").status_code == 200
    assert api.get("/api/v1/items?format=csv")["Content-Type"].startswith("text/csv")

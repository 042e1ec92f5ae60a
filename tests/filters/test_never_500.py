"""Property test: whatever the query string, a filtered list answers 200 or a 4xx problem, never 500."""

from urllib.parse import quote, urlencode

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kit.filters.plan import FilterPlan
from tests.example.filters import ItemFilter
from tests.filters.conftest import URL

pytestmark = pytest.mark.django_db

NAMES = [*FilterPlan.for_class(ItemFilter).filters, "ordering", "page", "page_size", "format", "colour"]
TRICKY = [
    *["", "%", "_", "\\", "\\\\", "a%", "%a%", "(", ")", "[", "]", "*", "+", "?", "{", "}", "|", "^", "$"],
    *["(a+)+", "[[:alpha:]]", "\\d+", "a{2,3}", "true", "false", "null", "None", "NaN", "-Infinity", "."],
    *["-count,name", "-", ",", "1,", ",1", "1,2,3", "2024-01-01", "2024-01-01T00:00:00Z", "0001-01-01"],
    *["1e999", "9999-12-31T23:59:59-14:00", "00000000-0000-0000-0000-000000000001", str(2**63), str(2**64)],
    *["\u0661\u0662", "\uff11\uff12", "\u00e9", "\x00", "\u2028", "\U0001f642", "' OR 1=1 --", '"', "%00"],
]
values = st.one_of(
    st.sampled_from(TRICKY),
    st.text(max_size=20),
    st.integers().map(str),
    st.decimals(allow_nan=True, allow_infinity=True).map(str),
    st.floats().map(str),
    st.datetimes().map(lambda value: value.isoformat()),
    st.lists(st.sampled_from(TRICKY) | st.integers().map(str), min_size=1, max_size=4).map(",".join),
)
pairs = st.lists(st.tuples(st.sampled_from(NAMES) | st.text(max_size=12), values), max_size=4)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(pairs=pairs)
def test_encoded_query_strings_never_answer_500(client, items, pairs):
    response = client.get(f"{URL}?{urlencode(pairs)}")

    assert response.status_code in (200, 400, 404, 406), (pairs, response.content)


@settings(max_examples=75, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(raw=st.text(max_size=40))
def test_raw_query_strings_never_answer_500(client, items, raw):
    response = client.get(f"{URL}?{quote(raw, safe='=&%+,')}")

    assert response.status_code in (200, 400, 404), (raw, response.content)

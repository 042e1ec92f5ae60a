"""``kit.api.links.replace_query_param`` writes what DRF's ``replace_query_param`` writes, for any URL."""

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st
from rest_framework.utils.urls import replace_query_param as drf_replace_query_param

from kit.api import links

#: Unreserved characters (the fast path's), and what parsing or writing a query changes: escapes,
#: "+", separators, brackets, a fragment, spaces and controls, non-ASCII.
PLAIN = "aZ09-._~"
OTHERS = "=&%+;?#[]/: \t\u00e9\u212a"
PREFIXES = [
    "http://127.0.0.1/items",
    "https://api.example.com:8443/v1/items/",
    "http://host",
    "http://host/a;b/c%20d",
    "HTTP://host/items",
    "http://[::1]/items",
    "http://h\u00e9/items",
    "ftp://host/items",
    "http://host/items#top",
    "//host/items",
]


@settings(max_examples=600, deadline=None)
@given(
    prefix=st.sampled_from(PREFIXES),
    query=st.none() | st.text(alphabet=PLAIN + "=&" + PLAIN, max_size=30) | st.text(alphabet=PLAIN + OTHERS),
    key=st.sampled_from(["page", "offset", "page_size", "a", "", "p+q", "p q", "\u00e9"]),
    value=st.integers(min_value=0, max_value=10**6) | st.text(alphabet=PLAIN + OTHERS, max_size=4),
)
@example(prefix=PREFIXES[0], query="page=1&page_size=20", key="page", value=2)
@example(prefix=PREFIXES[0], query="page_size=20&name__icontains=7", key="page", value=2)
@example(prefix=PREFIXES[0], query="b=1&a=2&b=3&&=x&c&page=9&page=8", key="page", value=3)
@example(prefix=PREFIXES[0], query="a=b=c", key="page", value=2)
@example(prefix=PREFIXES[0], query="", key="page", value=2)
def test_the_same_url_as_drf(prefix, query, key, value):
    url = prefix if query is None else f"{prefix}?{query}"
    assert links.replace_query_param(url, key, value) == drf_replace_query_param(url, key, value)


@pytest.mark.parametrize(
    "url",
    ["http://127.0.0.1/items?page=1&page_size=20", "https://h/v1/items/?name__icontains=7&page_size=20&x=&y"],
)
def test_a_plain_url_is_written_without_drfs_parsing(url, monkeypatch):
    expected = drf_replace_query_param(url, "page", 2)
    monkeypatch.setattr(links, "drf_replace_query_param", None)  # the fast path does not call it
    assert links.replace_query_param(url, "page", 2) == expected

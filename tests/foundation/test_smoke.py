import kit


def test_version_is_a_string():
    assert kit.__version__.count(".") == 2

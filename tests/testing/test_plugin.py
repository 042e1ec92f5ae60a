"""The plugin inside the kit's own run: what it registers and how the kit is imported."""

import sys

from _pytest.assertion.rewrite import AssertionRewritingHook


def test_the_kit_is_imported_without_assertion_rewriting():
    """pytest marks a plugin's whole distribution for rewriting; the plugin unmarks the kit."""
    import kit.views

    assert not isinstance(kit.views.__spec__.loader, AssertionRewritingHook)
    assert isinstance(sys.modules[__name__].__spec__.loader, AssertionRewritingHook)  # tests are

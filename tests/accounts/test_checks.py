"""System checks for the account flows (kit.E090, kit.E091)."""

from django.core.checks import run_checks

ACCOUNT_IDS = {"kit.E090", "kit.E091"}


def ids():
    return {message.id for message in run_checks()} & ACCOUNT_IDS


def with_kit(settings, **options):
    settings.KIT = {**settings.KIT, **options}


def test_every_flow_with_known_roles_is_clean(settings):
    with_kit(settings, MFA_REQUIRED_ROLES=["admin"], ROLES=["regular", "admin"])
    assert ids() == set()


def test_unknown_flows_and_rates(settings):
    with_kit(settings, ACCOUNT_FLOWS=["signup", "magic_link"])
    assert ids() == {"kit.E090"}
    with_kit(settings, ACCOUNT_FLOWS=["signup"], MFA_THROTTLE_RATE="often")
    assert ids() == {"kit.E090"}


def test_required_second_factor_needs_the_flow_and_known_roles(settings):
    with_kit(settings, ACCOUNT_FLOWS=["signup"], MFA_REQUIRED_ROLES=["admin"], ROLES=["regular", "admin"])
    assert ids() == {"kit.E091"}
    with_kit(settings, ACCOUNT_FLOWS=["mfa"], MFA_REQUIRED_ROLES=["boss"])
    assert ids() == {"kit.E091"}

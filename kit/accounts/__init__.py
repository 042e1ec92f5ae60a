"""Accounts: the account flows over the API (sign-up, password reset and change, email change, TOTP,
sessions) and what the kit keeps about an account across requests (:mod:`kit.accounts.cache`)."""

__all__: list[str] = []

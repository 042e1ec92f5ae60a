"""Accounts: what the kit keeps about an account across requests (:mod:`kit.accounts.cache`)."""

__all__: list[str] = []

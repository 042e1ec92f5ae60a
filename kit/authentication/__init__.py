"""Authentication: DRF authentication classes (null, JWT, API keys) and the auth endpoints.

Choose classes in ``REST_FRAMEWORK["DEFAULT_AUTHENTICATION_CLASSES"]`` (kit.conf.base sets JWT,
API keys and sessions). See docs/authentication.md and docs/api-keys.md.
"""

from kit.authentication.throttling import AuthRateThrottle, LocalFallbackThrottleMixin

__all__ = ["AuthRateThrottle", "LocalFallbackThrottleMixin", "api_keys", "jwt"]

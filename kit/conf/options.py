"""The ``KIT`` settings namespace: one dict of kit options with documented defaults.

Read options as attributes of :data:`kit_settings` (``kit_settings.PAGE_SIZE``). The options are
declared in :mod:`kit.conf.catalog`; options named in ``IMPORT_STRINGS`` are imported on first
access, and an option with a fallback (``PAGE_SIZE``: ``REST_FRAMEWORK["PAGE_SIZE"]``) takes that
setting's value when ``KIT`` leaves it unset. The cache is dropped when ``KIT`` or a fallback's
setting changes (``override_settings`` in tests), as DRF does for ``api_settings``.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.signals import setting_changed
from django.utils.module_loading import import_string

from kit.conf.catalog import OPTIONS

#: The default of every option, from its declaration (kit.conf.catalog).
DEFAULTS: dict[str, Any] = {option.name: option.default for option in OPTIONS}

#: Options holding import strings, imported on first access.
IMPORT_STRINGS: frozenset[str] = frozenset(option.name for option in OPTIONS if option.import_string)

#: Options that take another setting's value when ``KIT`` leaves them unset and that setting is set.
FALLBACKS: dict[str, str] = {option.name: option.fallback for option in OPTIONS if option.fallback}


class KitSettings:
    """Attribute access to ``settings.KIT`` with defaults and lazy imports."""

    def __init__(
        self,
        defaults: dict[str, Any],
        import_strings: frozenset[str],
        fallbacks: dict[str, str] | None = None,
    ) -> None:
        self._defaults = defaults
        self._import_strings = import_strings
        self._fallbacks = fallbacks or {}

    @property
    def user_settings(self) -> dict[str, Any]:
        return getattr(settings, "KIT", None) or {}

    def __getattr__(self, name: str) -> Any:
        """An option's value, on its first read: kept as an instance attribute, so later reads
        are plain attribute lookups (no call of this method) until :meth:`reload`."""
        if name.startswith("_") or name not in self._defaults:
            raise AttributeError(f"Invalid KIT option: {name!r}")
        user_settings = self.user_settings
        value = user_settings[name] if name in user_settings else self._default(name)
        if name in self._import_strings:
            value = _import(value, name)
        self.__dict__[name] = value
        return value

    def _default(self, name: str) -> Any:
        """The declared default, or the value of the option's fallback setting when that is set."""
        if name in self._fallbacks:
            value = _fallback_value(self._fallbacks[name])
            if value is not None:
                return value
        return self._defaults[name]

    def reload(self) -> None:
        for name in self._defaults:
            self.__dict__.pop(name, None)


def _fallback_value(target: str) -> Any:
    """The value of a setting (``NAME``) or of a key of a dict setting (``DICT.KEY``); None if unset."""
    head, _, key = target.partition(".")
    value = getattr(settings, head, None)
    if key:
        return (value or {}).get(key)
    return value


def _import(value: Any, name: str) -> Any:
    if isinstance(value, str):
        return import_string(value)
    if isinstance(value, list | tuple):
        return [import_string(item) if isinstance(item, str) else item for item in value]
    return value


kit_settings = KitSettings(DEFAULTS, IMPORT_STRINGS, FALLBACKS)
_WATCHED_SETTINGS = frozenset({"KIT"} | {target.partition(".")[0] for target in FALLBACKS.values()})


def _reload_kit_settings(*, setting: str, **kwargs: Any) -> None:
    if setting in _WATCHED_SETTINGS:
        kit_settings.reload()


setting_changed.connect(_reload_kit_settings)

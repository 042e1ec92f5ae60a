"""Configuration: the env settings schema and the ``KIT`` options namespace."""

from kit.conf.options import kit_settings

__all__ = ["kit_settings"]

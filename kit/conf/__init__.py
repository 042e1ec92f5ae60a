"""Configuration: the environment settings schema and the ``KIT`` options namespace."""

from kit.conf import fields
from kit.conf.options import kit_settings
from kit.conf.schema import SettingsSchema
from kit.conf.service import ServiceSettings

__all__ = ["ServiceSettings", "SettingsSchema", "base", "fields", "kit_settings"]

"""Django system checks for kit misconfiguration (ids ``kit.E0xx`` errors, ``kit.W0xx`` warnings)."""

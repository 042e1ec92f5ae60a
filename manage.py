#!/usr/bin/env python
"""Management entry point for developing the kit itself (the test project's settings)."""

import os
import sys

if __name__ == "__main__":
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tests.project.settings")
    from kit.cli import execute_from_command_line

    execute_from_command_line(sys.argv)

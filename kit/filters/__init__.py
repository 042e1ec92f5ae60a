"""Filtering of list endpoints: ``ModelFilter``, its operators and the DRF filter backend.

Import the backend from :mod:`kit.filters.backends` (it is ``DEFAULT_FILTER_BACKENDS``).
"""

from kit.filters import operators
from kit.filters.filterset import FieldFilter, ModelFilter

__all__ = ["FieldFilter", "ModelFilter", "operators"]

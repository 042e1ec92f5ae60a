"""The HTTP API layer: envelope and CSV renderers, pagination, content negotiation, view decorators.

Import from the modules listed here: they are DRF settings targets (``REST_FRAMEWORK``), loaded
while DRF itself is being imported, so this package imports none of them.
"""

__all__ = ["cors", "decorators", "negotiation", "pagination", "parsers", "renderers"]

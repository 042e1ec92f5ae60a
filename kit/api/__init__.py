"""The HTTP API layer: envelope and CSV renderers, problem details, error views, view decorators."""

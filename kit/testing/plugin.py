"""pytest plugin entry point (registered as ``pytest11: kit``): fixtures and assertions."""

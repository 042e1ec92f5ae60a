"""Task backends of the kit: ``inprocess`` (the default) and ``rq`` (production)."""

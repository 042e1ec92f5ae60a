"""Task backends of the kit: ``inprocess`` (the default) and ``rq`` (production).

Name them in ``TASKS`` (``"kit.tasks.backends.rq.RQBackend"``); this package imports none of its modules.
"""

__all__ = ["inprocess", "rq", "rq_worker"]

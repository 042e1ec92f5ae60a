"""Cache invalidations that could not be applied (the cache was unreachable): see
:mod:`kit.cache.strict`."""

from __future__ import annotations

from django.db import models


class CacheInvalidation(models.Model):
    """A key to delete from a cache before any process trusts that cache again."""

    cache = models.CharField(max_length=100, help_text="The alias in CACHES.")
    key = models.CharField(max_length=250, help_text="The key, as given to the cache.")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["pk"]

    def __str__(self) -> str:
        return f"{self.cache}:{self.key}"

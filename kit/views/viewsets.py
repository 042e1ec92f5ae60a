"""Model viewsets for DRF routers: the same behaviour as the generic views, routed by actions.

```python
router = DefaultRouter(trailing_slash=False)
router.register("items", ItemViewSet)
```
"""

from __future__ import annotations

from rest_framework.viewsets import ViewSetMixin

from kit.views.mixins import CreateMixin, DestroyMixin, ListMixin, RetrieveMixin, UpdateMixin
from kit.views.model import ModelView


class ReadOnlyModelViewSet(ViewSetMixin, ListMixin, RetrieveMixin, ModelView):
    """``list`` and ``retrieve``."""


class ModelViewSet(ViewSetMixin, ListMixin, CreateMixin, RetrieveMixin, UpdateMixin, DestroyMixin, ModelView):
    """``list``, ``create``, ``retrieve``, ``update``, ``partial_update`` and ``destroy``."""

"""Class-based API views built on DRF's generics: plain, model-backed, generic and viewset flavours.

```python
from kit.views import ListCreateModelView, RetrieveUpdateDestroyModelView

class ItemList(ListCreateModelView):
    model = Item
    resource = "items"
```
"""

from kit.views.base import APIView
from kit.views.export import CSVExportMixin
from kit.views.generics import (
    CreateModelView,
    ListCreateModelView,
    ListModelView,
    RetrieveModelView,
    RetrieveUpdateDestroyModelView,
    RetrieveUpdateModelView,
)
from kit.views.mixins import CreateMixin, DestroyMixin, ListMixin, RetrieveMixin, UpdateMixin
from kit.views.model import ModelView
from kit.views.viewsets import ModelViewSet, ReadOnlyModelViewSet

__all__ = [
    "APIView",
    "CSVExportMixin",
    "CreateMixin",
    "CreateModelView",
    "DestroyMixin",
    "ListCreateModelView",
    "ListMixin",
    "ListModelView",
    "ModelView",
    "ModelViewSet",
    "ReadOnlyModelViewSet",
    "RetrieveMixin",
    "RetrieveModelView",
    "RetrieveUpdateDestroyModelView",
    "RetrieveUpdateModelView",
    "UpdateMixin",
]

"""Filters of the example API: every operator on the field types the kit supports."""

import django_filters

from kit.filters import FieldFilter, ModelFilter
from kit.filters.operators import (
    CONTAINS,
    ENDSWITH,
    EQ,
    GE,
    GT,
    ICONTAINS,
    ILIKE,
    IN,
    IREGEXP,
    ISNULL,
    LE,
    LIKE,
    LT,
    NOT,
    RANGE,
    REGEXP,
    STARTSWITH,
)
from tests.example.models import Item


class ItemFilter(ModelFilter):
    # Colibris style: a model field and an operator (typed like the generated filters).
    owner = FieldFilter(field="owner__username", operator=EQ)
    # django-filter style.
    category_name = django_filters.CharFilter(field_name="category__name", lookup_expr="iexact")

    class Meta:
        model = Item
        fields = {
            "name": (
                EQ,
                NOT,
                IN,
                ISNULL,
                LIKE,
                ILIKE,
                REGEXP,
                IREGEXP,
                CONTAINS,
                ICONTAINS,
                STARTSWITH,
                ENDSWITH,
            ),
            "count": (EQ, NOT, GT, GE, LT, LE, IN, RANGE),
            "price": (EQ, GT, GE, LT, LE, IN, RANGE),
            "is_active": (EQ, NOT),
            "uid": (EQ, IN),
            "created_at": (EQ, GT, GE, LT, LE, RANGE),
            "category": (EQ, NOT, IN, ISNULL),
        }
        ordering_fields = ["name", "count", "price", "created_at", "category"]

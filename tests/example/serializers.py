"""Serializers of the example API."""

from rest_framework import serializers

from tests.example.models import Item


class ItemSerializer(serializers.ModelSerializer):
    class Meta:
        model = Item
        fields = ["id", "name", "count", "price", "is_active", "uid", "created_at", "category", "owner"]
        read_only_fields = ["owner"]

"""Views exercising ``kit.views`` features that the example API does not show."""

import django_filters
from django.urls import include, path
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.routers import DefaultRouter

from kit.views import (
    APIView,
    ListCreateModelView,
    ListModelView,
    ModelViewSet,
    RetrieveUpdateDestroyModelView,
)
from tests.example.models import Category, Item


class GreetingBody(serializers.Serializer):
    name = serializers.CharField(max_length=20)
    times = serializers.IntegerField(min_value=1, max_value=3, default=1)


class GreetingQuery(serializers.Serializer):
    shout = serializers.BooleanField(default=False)
    tags = serializers.ListField(child=serializers.CharField(), required=False)


class Greeting(APIView):
    body_serializer_class = GreetingBody
    query_serializer_class = GreetingQuery

    def post(self, request):
        body = self.get_validated_body()
        query = self.get_validated_query()
        text = " ".join([f"hello {body['name']}"] * body["times"])
        return Response({"text": text.upper() if query["shout"] else text, "tags": query.get("tags", [])})


class ActiveFilter(django_filters.FilterSet):
    class Meta:
        model = Item
        fields = ["is_active"]


class FilteredItems(ListCreateModelView):
    model = Item
    filter_class = ActiveFilter
    ordering = ["name"]


class FilteredItem(RetrieveUpdateDestroyModelView):
    model = Item
    filter_class = ActiveFilter


class ListQuery(serializers.Serializer):
    upper = serializers.BooleanField(default=False)


class ItemNames(ListModelView):
    model = Item
    filter_class = ActiveFilter
    query_serializer_class = ListQuery

    def list(self, request, *args, **kwargs):
        response = super().list(request, *args, **kwargs)
        if self.get_validated_query()["upper"]:
            response.data = [{**row, "name": row["name"].upper()} for row in response.data]
        return response


class ItemBySlug(RetrieveUpdateDestroyModelView):
    model = Item
    lookup_field = "name"


class CategoryViewSet(ModelViewSet):
    model = Category


router = DefaultRouter()
router.register("categories", CategoryViewSet)

urlpatterns = [
    path("greeting", Greeting.as_view()),
    path("items/", FilteredItems.as_view()),
    path("items/<int:pk>/", FilteredItem.as_view()),
    path("items/by-name/<str:name>", ItemBySlug.as_view()),
    path("item-names", ItemNames.as_view()),
    path("router/", include(router.urls)),
]

"""Views exercising kit.api: every kind of error, the envelope, CSV, decorators (not in the schema)."""

import datetime
import decimal
import uuid

from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import connection
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST
from rest_framework import serializers
from rest_framework.authentication import BasicAuthentication
from rest_framework.exceptions import NotFound
from rest_framework.permissions import BasePermission, IsAuthenticated
from rest_framework.response import Response
from rest_framework.throttling import BaseThrottle
from rest_framework.views import APIView

from kit.api.decorators import cors, deprecated, development_only
from kit.api.parsers import JSONParser
from kit.api.renderers import CSVRenderer, EnvelopeJSONRenderer
from kit.errors.exceptions import Problem, abort, register_problem
from kit.views import ListCreateModelView
from tests.example.filters import ItemFilter
from tests.example.models import Category, Item


class TestView(APIView):
    schema = None  # test-only endpoints stay out of the OpenAPI document
    authentication_classes: list = []
    permission_classes: list = []


class AddressSerializer(serializers.Serializer):
    city = serializers.CharField()
    zip = serializers.RegexField(r"^\d{5}$")


class LineSerializer(serializers.Serializer):
    sku = serializers.CharField(max_length=4)
    quantity = serializers.IntegerField(min_value=1)


class OrderSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=10)
    count = serializers.IntegerField()
    address = AddressSerializer()
    lines = LineSerializer(many=True)
    tags = serializers.ListField(child=serializers.CharField(max_length=3), required=False)

    def validate(self, attrs):
        if attrs["count"] == 13:
            raise serializers.ValidationError("Unlucky order.", code="unlucky")
        return attrs


class ValidationView(TestView):
    def post(self, request):
        serializer = OrderSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        return Response(serializer.validated_data, status=201)


class JSONOnlyView(TestView):
    parser_classes = [JSONParser]

    def post(self, request):
        return Response({"received": request.data})


class BasicAuthView(TestView):
    authentication_classes = [BasicAuthentication]
    permission_classes = [IsAuthenticated]

    def get(self, request):
        return Response({"user": request.user.username})


class DenyAll(BasePermission):
    message = "Only robots may enter."

    def has_permission(self, request, view):
        return False


class ForbiddenView(TestView):
    permission_classes = [DenyAll]
    renderer_classes = [EnvelopeJSONRenderer, CSVRenderer]

    def get(self, request):
        return Response({})


class ItemView(TestView):
    def get(self, request, pk):
        return Response({"name": get_object_or_404(Item, pk=pk).name})


class GetOnlyView(TestView):
    def get(self, request):
        return Response({"ok": True})


class AlwaysThrottled(BaseThrottle):
    def allow_request(self, request, view):
        return False

    def wait(self):
        return 12.5


class ThrottledView(TestView):
    throttle_classes = [AlwaysThrottled]

    def get(self, request):
        return Response({})


class ConflictView(TestView):
    def post(self, request):
        item = Item.objects.create(name=request.data["name"])
        return Response({"id": item.pk}, status=201)


class ServerErrorView(TestView):
    def get(self, request):
        raise RuntimeError("boom: secret internals")


class DatabaseView(TestView):
    def get(self, request):
        return Response({"items": Item.objects.count()})


UNKNOWN_COLUMN_SQL = "SELECT no_such_column FROM example_item"


class DatabaseBugView(TestView):
    """A programming error: an unknown column (OperationalError on SQLite and MariaDB)."""

    def get(self, request):
        with connection.cursor() as cursor:
            cursor.execute(UNKNOWN_COLUMN_SQL)
        return Response({})


@register_problem(status=409, code="out_of_stock", title="Out of stock")
class OutOfStock(Exception):
    pass


class RegisteredProblemView(TestView):
    def get(self, request):
        raise OutOfStock("Only 2 left.")


class RaiseView(TestView):
    """Raises what the ``kind`` argument names."""

    def get(self, request, kind):
        if kind == "problem":
            raise Problem(402, "payment_required", "Top up first.", headers={"X-Balance": "0"})
        if kind == "abort":
            abort(404)
        if kind == "django-validation":
            raise DjangoValidationError({"name": ["Too short."], "__all__": ["Broken."]})
        if kind == "django-permission":
            raise PermissionDenied("Not yours.")
        if kind == "drf-not-found":
            raise NotFound()
        raise AssertionError(kind)


class EnvelopeView(TestView):
    def get(self, request):
        response = Response(
            {
                "when": datetime.datetime(2026, 1, 2, 3, 4, 5, 678000, tzinfo=datetime.UTC),
                "naive": datetime.datetime(2026, 1, 2, 3, 4, 5),
                "day": datetime.date(2026, 1, 2),
                "at": datetime.time(10, 30),
                "took": datetime.timedelta(seconds=90),
                "price": decimal.Decimal("12.50"),
                "uid": uuid.UUID("12345678-1234-5678-1234-567812345678"),
                "label": gettext_lazy("Items"),
                "text": "naïve \u2028 line",
                "big": 2**70,
            }
        )
        response.meta = {"extra": 1}
        return response


class NoEnvelopeView(TestView):
    envelope = False

    def get(self, request):
        return Response({"status": "ok"})


class EmptyView(TestView):
    def delete(self, request):
        return Response(status=204)


# Plain Django views (outside DRF).


def plain_not_found(request):
    raise Http404("Nothing here.")


@require_POST
def plain_post_only(request):
    return HttpResponse("posted")


def plain_server_error(request):
    raise ValueError("plain boom")


def plain_database(request):
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"ok": True})


def plain_database_bug(request):
    with connection.cursor() as cursor:
        cursor.execute(UNKNOWN_COLUMN_SQL)
    return JsonResponse({})


# CSV export.


class CategorySerializer(serializers.ModelSerializer):
    class Meta:
        model = Category
        fields = ["id", "name"]


class ExportItemSerializer(serializers.ModelSerializer):
    category = CategorySerializer(allow_null=True, read_only=True)
    labels = serializers.SerializerMethodField()

    class Meta:
        model = Item
        fields = ["id", "name", "price", "is_active", "uid", "created_at", "category", "labels"]

    def get_labels(self, item):
        return [item.name.upper()] if item.count else []


class ExportItemList(ListCreateModelView):
    schema = None
    queryset = Item.objects.select_related("category").order_by("id")
    serializer_class = ExportItemSerializer
    filter_class = ItemFilter
    authentication_classes: list = []
    permission_classes: list = []
    csv_chunk_size = 2


class RenderedCSVView(TestView):
    """CSV through the renderer (no streaming): a list of plain dicts."""

    renderer_classes = [EnvelopeJSONRenderer, CSVRenderer]

    def get(self, request):
        return Response([{"a": 1, "nested": {"b": "=cmd()", "c": None}}, {"a": 2, "d": [1, 2]}])


# Decorators.


@deprecated(since="2026-01-01", sunset=datetime.date(2027, 1, 31), link="https://docs.example.com/v2")
class DeprecatedView(TestView):
    def get(self, request):
        return Response({"old": True})


class PartlyDeprecatedView(TestView):
    def get(self, request):
        return Response({"fresh": True})

    @deprecated(sunset="2027-06-30T12:00:00")
    def delete(self, request):
        return Response(status=204)


@deprecated()
def deprecated_function_view(request):
    return JsonResponse({"old": True})


@development_only
class DevelopmentView(TestView):
    def get(self, request):
        return Response({"debug": True})


class PartlyDevelopmentView(TestView):
    def get(self, request):
        return Response({"public": True})

    @development_only
    def post(self, request):
        return Response({"debug": True})


@cors("https://partner.example")
class PartnerView(TestView):
    def get(self, request):
        return Response({"shared": True})


@cors("*")
def public_function_view(request):
    return JsonResponse({"public": True})

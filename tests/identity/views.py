"""Plain DRF views exercising the kit's authentication and authorization."""

from rest_framework import generics, serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from kit.authentication.null import NullAuthentication
from kit.authorization import require_all_permissions, require_one_permission, require_permission
from kit.authorization.scoping import OwnedQuerysetMixin
from tests.example.models import Item


class MessageSerializer(serializers.Serializer):
    message = serializers.CharField()


class Plain(APIView):
    serializer_class = MessageSerializer  # for the OpenAPI document


class ItemSerializer(serializers.ModelSerializer):
    class Meta:
        model = Item
        fields = ["id", "name", "count", "owner"]


class ItemList(generics.ListCreateAPIView):
    queryset = Item.objects.order_by("id")
    serializer_class = ItemSerializer
    resource = "items"


class ItemDetail(generics.RetrieveUpdateDestroyAPIView):
    queryset = Item.objects.all()
    serializer_class = ItemSerializer
    resource = "items"

    def authorize_object(self, request, obj):
        """Anyone holding items:update may edit; only the owner may delete."""
        return request.method != "DELETE" or obj.owner_id == request.user.pk


class OwnItemList(OwnedQuerysetMixin, generics.ListCreateAPIView):
    queryset = Item.objects.order_by("id")
    serializer_class = ItemSerializer
    resource = "items"
    unscoped_permission = "items:read_all"


class OwnItemDetail(OwnedQuerysetMixin, generics.RetrieveUpdateDestroyAPIView):
    queryset = Item.objects.all()
    serializer_class = ItemSerializer
    resource = "items"
    unscoped_permission = "items:read_all"


class Whoami(Plain):
    """Public: resolves the caller when credentials are sent."""

    def get(self, request):
        return Response({"user": str(request.user), "authenticated": request.user.is_authenticated})

    def post(self, request):
        return Response({"user": str(request.user)})


class ClassPermission(Plain):
    permissions = {"dummy_permission"}

    def get(self, request):
        return Response({"message": "dummy"})


class MethodPermission(Plain):
    @require_permission("dummy_permission")
    def get(self, request):
        return Response({"message": "dummy"})

    def post(self, request):
        return Response({"message": "public post"})


class CombinedPermission(Plain):
    permissions = {"reports:read"}

    @require_one_permission(["reports:export", "admin"])
    @require_all_permissions(["reports:download"])
    def get(self, request):
        return Response({"message": "combined"})


class AuthenticatedOnly(Plain):
    permissions = set()

    def get(self, request):
        return Response({"user": str(request.user)})


@require_permission("admin")
class AdminOnly(Plain):
    def get(self, request):
        return Response({"message": "admin"})


class Development(Plain):
    """Everyone is the dummy account here (null authentication)."""

    authentication_classes = [NullAuthentication]

    def get(self, request):
        return Response({"message": str(request.user)})

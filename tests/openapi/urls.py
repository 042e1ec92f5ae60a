"""Views exercising the kit's OpenAPI generation beyond the example API."""

from django.urls import path
from rest_framework import serializers
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.throttling import AnonRateThrottle

from kit import serializers as kit_serializers
from kit.views import APIView, ListCreateModelView, RetrieveUpdateDestroyModelView
from tests.example.models import Item


class Throttle(AnonRateThrottle):
    rate = "1000/min"


class GuardedItems(ListCreateModelView):
    """The guarded items."""

    model = Item
    permission_classes = [IsAuthenticated]
    throttle_classes = [Throttle]


class GuardedItem(RetrieveUpdateDestroyModelView):
    model = Item
    permission_classes = [IsAuthenticated]
    problem_statuses = {"DELETE": ("400",)}  # e.g. an object that must not be deleted


class GreetingBody(serializers.Serializer):
    name = serializers.CharField()


class GreetingQuery(serializers.Serializer):
    shout = serializers.BooleanField(default=False)


class GreetingResult(serializers.Serializer):
    text = serializers.CharField()


class Greeting(APIView):
    body_serializer_class = GreetingBody
    query_serializer_class = GreetingQuery
    serializer_class = GreetingResult

    def post(self, request):
        return Response({"text": f"hello {self.get_validated_body()['name']}"})


class UploadBody(serializers.Serializer):
    title = serializers.CharField()
    file = serializers.FileField()


class Upload(APIView):
    """Takes a file: multipart besides JSON."""

    body_serializer_class = UploadBody
    serializer_class = GreetingResult

    def post(self, request):
        body = self.get_validated_body()
        return Response({"text": f"{body['title']}: {body['file'].read().decode()}"})


class SignUpBody(kit_serializers.Serializer):
    username = serializers.CharField()
    password = kit_serializers.PasswordField()


class SignUp(APIView):
    body_serializer_class = SignUpBody
    serializer_class = GreetingResult

    def post(self, request):
        return Response({"text": f"welcome {self.get_validated_body()['username']}"})


class Probe(APIView):
    envelope = False
    serializer_class = GreetingResult

    def get(self, request):
        return Response({"text": "ok"})


urlpatterns = [
    path("guarded", GuardedItems.as_view()),
    path("guarded/<int:pk>", GuardedItem.as_view()),
    path("greeting", Greeting.as_view()),
    path("probe", Probe.as_view()),
    path("upload", Upload.as_view()),
    path("sign-up", SignUp.as_view()),
]

"""Small views the testing toolkit's tests call: bodies of each kind, a caller echo, mail, tasks."""

from django.core import mail
from django.http import HttpResponse, JsonResponse
from rest_framework.authentication import BasicAuthentication, SessionAuthentication
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView
from rest_framework_simplejwt.authentication import JWTAuthentication

from kit.authentication.api_keys.authentication import ApiKeyAuthentication
from tests.example.models import Category
from tests.example.views import FilteredItemDetail, FilteredItemList
from tests.testing.tasks import record_category


def envelope(request):
    return JsonResponse({"data": [{"id": 1}], "meta": {"request_id": "r1", "pagination": {"count": 1}}})


def problem(request):
    body = {
        "type": "about:blank",
        "title": "Not Found",
        "status": 404,
        "detail": "No item 7.",
        "instance": request.path,
        "code": "not_found",
        "request_id": "r2",
    }
    return JsonResponse(body, status=404, content_type="application/problem+json")


def unwrapped(request):
    return JsonResponse("healthy", safe=False)


def html(request):
    return HttpResponse("<p>hello</p>")


def no_content(request):
    return HttpResponse(status=204)


class WhoAmI(APIView):
    """The caller and the authentication class that recognised it."""

    authentication_classes = [
        JWTAuthentication,
        ApiKeyAuthentication,
        SessionAuthentication,
        BasicAuthentication,
    ]
    permission_classes = [IsAuthenticated]

    def get(self, request):
        authenticator = type(request.successful_authenticator).__name__
        return Response({"username": request.user.get_username(), "authentication": authenticator})


def send_mail_and_count(request):
    mail.send_mail("Hello", "Body", "from@example.com", ["to@example.com"])
    return JsonResponse({"categories": Category.objects.count()})


def enqueue_task(request):
    result = record_category.enqueue(request.GET["name"])
    return JsonResponse({"status": str(result.status)})


class OpenItemList(FilteredItemList):
    """The example's filtered items (envelope, pagination, filters), open to anonymous callers."""

    authentication_classes = []
    permission_classes = [AllowAny]


class OpenItemDetail(FilteredItemDetail):
    authentication_classes = []
    permission_classes = [AllowAny]

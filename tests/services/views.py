"""Views for the services tests (mounted at /services-test/): they call the upstream ``peer``, or proxy
to it."""

from rest_framework.response import Response
from rest_framework.views import APIView

from kit.services import ProxyView, gather, upstream


class TestView(APIView):
    schema = None
    authentication_classes: list = []
    permission_classes: list = []


class CallView(TestView):
    """Calls ``peer`` at ``?path=`` (default: ``services-test/echo``) and answers its data and meta."""

    def get(self, request):
        path = request.query_params.get("path", "services-test/echo")
        forward = request.query_params.get("forward_auth") == "1"
        answer = upstream("peer").get(path, forward_auth=forward)
        return Response({"upstream": answer.data, "upstream_meta": answer.meta})


class GatherView(TestView):
    """Calls ``peer`` three times at once; failed calls are answered as their problem codes."""

    def get(self, request):
        peer = upstream("peer")
        results = gather(
            lambda: peer.get("services-test/echo"),
            lambda: peer.get("problem"),  # 404 problem (there is no such page on a kit peer either)
            lambda: peer.get("services-test/echo"),
        )
        return Response([getattr(result, "code", None) or result.meta["request_id"] for result in results])


class OpenProxy(ProxyView):
    upstream = "peer"
    prefix = "api/"
    authentication_classes: list = []
    permission_classes: list = []


class GuardedProxy(ProxyView):
    upstream = "peer"
    prefix = "api/"
    permissions = {"peer:read"}

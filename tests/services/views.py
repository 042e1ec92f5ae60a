"""Views for the services tests (mounted at /services-test/): one calls the upstream ``peer``, one
answers as that upstream."""

import logging

from rest_framework.response import Response
from rest_framework.views import APIView

from kit.request_id import get_request_id
from kit.services import ProxyView, gather, upstream

logger = logging.getLogger("tests.services")


class TestView(APIView):
    schema = None
    authentication_classes: list = []
    permission_classes: list = []


class EchoView(TestView):
    """Answers what it received: the request id and the headers propagated to it."""

    def get(self, request):
        logger.info("echo served")
        meta = request.META
        return Response(
            {
                "request_id": get_request_id(),
                "authorization": meta.get("HTTP_AUTHORIZATION"),
                "traceparent": meta.get("HTTP_TRACEPARENT"),
                "port": meta.get("SERVER_PORT"),
            }
        )


class CallView(TestView):
    """Calls ``peer`` at ``?path=`` (default: its echo) and answers its data and meta."""

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

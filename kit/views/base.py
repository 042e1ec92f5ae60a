"""``APIView``: DRF's APIView with validated body and query helpers and authorization attributes."""

from __future__ import annotations

from collections.abc import Collection, Mapping
from typing import Any

from django.db import DEFAULT_DB_ALIAS, router, transaction
from rest_framework import views
from rest_framework.exceptions import MethodNotAllowed, ValidationError
from rest_framework.parsers import BaseParser
from rest_framework.response import Response
from rest_framework.serializers import BaseSerializer

from kit.cache.responses import SAFE_METHODS, invalidate_responses, response_dependencies, view_model
from kit.files.body_limit import UPLOAD_METHODS, refuse_oversized_upload
from kit.views.conflicts import conflict_from_validation
from kit.views.parsers import takes_files, with_multipart


class APIView(views.APIView):
    """A DRF ``APIView`` whose JSON body and query string are validated by serializers.

    - ``body_serializer_class`` validates ``request.data``: ``get_validated_body()``;
    - ``query_serializer_class`` validates ``request.query_params``: ``get_validated_query()``;
    - ``serializer_class`` (optional) documents the response in the OpenAPI schema;
    - ``resource`` and ``permissions`` are read by the kit's authorization permission class.

    Bodies are JSON (``DEFAULT_PARSER_CLASSES``), and also ``multipart/form-data`` when the body
    serializer has a file field (:mod:`kit.views.parsers`).

    Invalid input raises DRF's ``ValidationError``: a 400 ``validation_error`` problem listing every
    error. A request whose only errors are unique violations answers 409 ``conflict``.

    A successful write (POST, PUT, PATCH, DELETE answered 2xx or 3xx) invalidates the cached
    responses of the view and of its model once the transaction commits
    (:func:`kit.cache.invalidate_responses`).
    """

    body_serializer_class: type[BaseSerializer] | None = None
    query_serializer_class: type[BaseSerializer] | None = None
    resource: str | None = None
    permissions: Collection[str] | None = None

    def get_parsers(self) -> list[BaseParser]:
        return with_multipart(list(super().get_parsers()), self.get_body_serializer_class())

    def initial(self, request: Any, *args: Any, **kwargs: Any) -> None:
        """DRF's checks, after refusing (405) a method the view has no handler for, and (413) an
        upload whose declared size is over its file fields' limits (:mod:`kit.files.body_limit`).

        DRF negotiates content, authenticates and checks permissions first: a ``TRACE`` with an
        unknown ``?format=`` answered 406, an anonymous one 401, where the method is the problem.
        """
        method = request.method.lower()
        if method not in self.http_method_names or not hasattr(self, method):
            raise MethodNotAllowed(request.method)
        if method in UPLOAD_METHODS:
            body_serializer_class: Any = self.get_body_serializer_class()
            if body_serializer_class is not None and takes_files(body_serializer_class):
                refuse_oversized_upload(request, body_serializer_class)  # 413 before the body is read
        super().initial(request, *args, **kwargs)

    def get_body_serializer_class(self) -> type[BaseSerializer] | None:
        """The serializer of the request body, known before the request is (used to pick parsers)."""
        return self.body_serializer_class

    def get_serializer_context(self) -> Mapping[str, Any]:
        return {"request": self.request, "format": self.format_kwarg, "view": self}

    def get_body_serializer(self, *args: Any, **kwargs: Any) -> BaseSerializer:
        """Return the serializer that validates the request body (``body_serializer_class``)."""
        assert self.body_serializer_class is not None, f"{type(self).__name__} has no body_serializer_class"
        kwargs.setdefault("context", self.get_serializer_context())
        return self.body_serializer_class(*args, **kwargs)

    def get_query_serializer(self, *args: Any, **kwargs: Any) -> BaseSerializer:
        """Return the serializer that validates the query string (``query_serializer_class``)."""
        assert self.query_serializer_class is not None, f"{type(self).__name__} has no query_serializer_class"
        kwargs.setdefault("context", self.get_serializer_context())
        return self.query_serializer_class(*args, **kwargs)

    def get_validated_body(self, *, partial: bool = False) -> Any:
        """Validate the request body and return the serializer's ``validated_data``."""
        serializer = self.get_body_serializer(data=self.request.data, partial=partial)
        serializer.is_valid(raise_exception=True)
        return serializer.validated_data

    def get_validated_query(self) -> Any:
        """Validate the query string and return the serializer's ``validated_data``."""
        serializer = self.get_query_serializer(data=self.request.query_params)
        serializer.is_valid(raise_exception=True)
        return serializer.validated_data

    def finalize_response(self, request: Any, response: Response, *args: Any, **kwargs: Any) -> Response:
        response = super().finalize_response(request, response, *args, **kwargs)
        if request.method not in SAFE_METHODS and request.method != "OPTIONS" and response.status_code < 400:
            dependencies = response_dependencies(self)
            model = view_model(self)
            using = router.db_for_write(model) if model is not None else DEFAULT_DB_ALIAS
            # robust: a cache that cannot be written is logged, never turned into an error after the write
            transaction.on_commit(lambda: invalidate_responses(*dependencies), using=using, robust=True)
        return response

    def handle_exception(self, exc: Exception) -> Response:
        if isinstance(exc, ValidationError):
            exc = conflict_from_validation(exc) or exc
        return super().handle_exception(exc)

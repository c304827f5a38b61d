"""API plumbing shared by every app: the router and how domain errors become 400s."""

from django.core.exceptions import RequestDataTooBig
from django.core.exceptions import ValidationError as DjangoValidationError
from rest_framework import exceptions, serializers
from rest_framework.routers import DefaultRouter
from rest_framework.views import exception_handler as drf_exception_handler

from partner_center.errors import Conflict, DomainError, NotAllowed

router = DefaultRouter()


def exception_handler(exc, context):
    """Domain errors and model validation errors answer 400 with field errors."""
    if isinstance(exc, Conflict):
        from rest_framework.response import Response

        body = {**exc.as_field_errors(), "existing_id": exc.existing_id}
        return Response(body, status=409)
    if isinstance(exc, NotAllowed):
        exc = exceptions.PermissionDenied(str(exc.message), code=exc.code)
    elif isinstance(exc, DomainError):
        exc = serializers.ValidationError(exc.as_field_errors())
    elif isinstance(exc, RequestDataTooBig):
        exc = exceptions.ParseError(str(exc))
    elif isinstance(exc, DjangoValidationError):
        exc = serializers.ValidationError(
            exc.message_dict if hasattr(exc, "error_dict") else {"non_field_errors": exc.messages}
        )
    return drf_exception_handler(exc, context)

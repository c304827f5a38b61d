"""The deal collaboration API: the thread, next steps and files of an opportunity (PO or
HO alike), through the same services and selectors as the deal page.

- `GET/POST /api/v1/opportunities/{opportunity_pk}/comments/`
- `GET/POST /api/v1/opportunities/{opportunity_pk}/next-steps/`,
  `POST /api/v1/opportunities/next-steps/{id}/complete/` and `.../reopen/`
- `GET/POST /api/v1/opportunities/{opportunity_pk}/files/` (multipart upload),
  `GET/DELETE /api/v1/opportunities/files/{id}/`, `GET .../download/`"""

from __future__ import annotations

from django.http import Http404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.response import Response

from partner_center.accounts.access import HasCapability
from partner_center.api import validated

from .. import selectors as opp_selectors
from ..models import Opportunity
from ..permissions import COLLABORATE_ON_OPPORTUNITIES, VIEW_OPPORTUNITIES
from . import selectors, services
from .models import DealAttachment, DealComment, NextStep
from .serializers import (
    DealCommentCreateSerializer,
    DealCommentSerializer,
    DealFileSerializer,
    DealFileUploadSerializer,
    NextStepCreateSerializer,
    NextStepSerializer,
)
from .views import serve

OPPORTUNITY_PARAM = OpenApiParameter("opportunity_pk", OpenApiTypes.INT, OpenApiParameter.PATH)
ID_PARAM = OpenApiParameter("id", OpenApiTypes.INT, OpenApiParameter.PATH)
CAPS = {
    "default": VIEW_OPPORTUNITIES,
    "create": COLLABORATE_ON_OPPORTUNITIES,
    "complete": COLLABORATE_ON_OPPORTUNITIES,
    "reopen": COLLABORATE_ON_OPPORTUNITIES,
    "destroy": COLLABORATE_ON_OPPORTUNITIES,
}


class _OnDeal:
    """A list under one opportunity the user may see (404 otherwise, before anything)."""

    permission_classes = [HasCapability]
    required_capability = CAPS

    def opportunity(self) -> Opportunity:
        try:
            return opp_selectors.opportunity_for_user(
                self.request.user, int(self.kwargs["opportunity_pk"])
            )
        except (KeyError, ValueError) as exc:
            raise Http404 from exc


@extend_schema(parameters=[OPPORTUNITY_PARAM])
class DealCommentViewSet(_OnDeal, viewsets.GenericViewSet):
    """The comment thread of an opportunity, oldest first."""

    queryset = DealComment.objects.none()
    serializer_class = DealCommentSerializer

    @extend_schema(responses=DealCommentSerializer(many=True))
    def list(self, request, opportunity_pk=None):
        """Comments of the deal, oldest first (paginated)."""
        opp = self.opportunity()
        page = self.paginate_queryset(selectors.comments_of(opp))
        entries = selectors.comment_entries(opp, request.user, page)
        return self.get_paginated_response(DealCommentSerializer(entries, many=True).data)

    @extend_schema(request=DealCommentCreateSerializer, responses={201: DealCommentSerializer})
    def create(self, request, opportunity_pk=None):
        """Post a comment; the other side and the mentioned people are notified."""
        opp = self.opportunity()
        data = validated(DealCommentCreateSerializer, request)
        comment = services.comment_post(actor=request.user, opportunity=opp, **data)
        entry = selectors.comment_entries(opp, request.user, [comment])[0]
        return Response(DealCommentSerializer(entry).data, status=status.HTTP_201_CREATED)


@extend_schema(parameters=[OPPORTUNITY_PARAM])
class DealNextStepViewSet(_OnDeal, viewsets.GenericViewSet):
    """The next steps of an opportunity: open ones first, the nearest due date first."""

    queryset = NextStep.objects.none()
    serializer_class = NextStepSerializer

    @extend_schema(responses=NextStepSerializer(many=True))
    def list(self, request, opportunity_pk=None):
        """Next steps of the deal (paginated)."""
        opp = self.opportunity()
        page = self.paginate_queryset(selectors.next_steps_of(opp))
        for step in page:
            step.opportunity = opp
        data = NextStepSerializer(page, many=True, context={"request": request}).data
        return self.get_paginated_response(data)

    @extend_schema(request=NextStepCreateSerializer, responses={201: NextStepSerializer})
    def create(self, request, opportunity_pk=None):
        """Add a next step with its due date (and optionally its assignee)."""
        opp = self.opportunity()
        v = validated(NextStepCreateSerializer, request)
        step = services.next_step_add(
            actor=request.user,
            opportunity=opp,
            text=v["text"],
            due_on=v["due_on"],
            assignee_id=v.get("assignee"),
        )
        return Response(
            NextStepSerializer(step, context={"request": request}).data,
            status=status.HTTP_201_CREATED,
        )


class NextStepViewSet(mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """One next step: read it, mark it done, reopen it."""

    permission_classes = [HasCapability]
    required_capability = CAPS
    serializer_class = NextStepSerializer

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return NextStep.objects.none()
        return NextStep.objects.select_related("opportunity", "assignee").filter(
            opportunity__in=opp_selectors.opportunities_for(self.request.user).values("pk")
        )

    def _respond(self, step):
        step = self.get_queryset().get(pk=step.pk)
        return Response(NextStepSerializer(step, context={"request": self.request}).data)

    @extend_schema(request=None, responses=NextStepSerializer, parameters=[ID_PARAM])
    @action(detail=True, methods=["post"])
    def complete(self, request, pk=None):
        """Mark the step done."""
        return self._respond(
            services.next_step_complete(actor=request.user, step=self.get_object())
        )

    @extend_schema(request=None, responses=NextStepSerializer, parameters=[ID_PARAM])
    @action(detail=True, methods=["post"])
    def reopen(self, request, pk=None):
        """Mark a done step as open again."""
        return self._respond(services.next_step_reopen(actor=request.user, step=self.get_object()))


@extend_schema(parameters=[OPPORTUNITY_PARAM])
class DealFileViewSet(_OnDeal, viewsets.GenericViewSet):
    """The files of an opportunity (proposal, customer letter, other), the latest first."""

    queryset = DealAttachment.objects.none()
    serializer_class = DealFileSerializer
    parser_classes = [MultiPartParser, FormParser, JSONParser]

    @extend_schema(responses=DealFileSerializer(many=True))
    def list(self, request, opportunity_pk=None):
        """Files of the deal (paginated)."""
        opp = self.opportunity()
        page = self.paginate_queryset(selectors.attachments_of(opp))
        for attachment in page:
            attachment.opportunity = opp
        data = DealFileSerializer(page, many=True, context={"request": request}).data
        return self.get_paginated_response(data)

    @extend_schema(
        request={"multipart/form-data": DealFileUploadSerializer},
        responses={201: DealFileSerializer},
    )
    def create(self, request, opportunity_pk=None):
        """Upload a file (multipart: `kind`, `file`); bad files are refused with 400."""
        opp = self.opportunity()
        data = validated(DealFileUploadSerializer, request)
        attachment = services.attachment_upload(
            actor=request.user,
            opportunity=opp,
            kind=data["kind"],
            upload=data["file"],
        )
        return Response(
            DealFileSerializer(attachment, context={"request": request}).data,
            status=status.HTTP_201_CREATED,
        )


class FileViewSet(mixins.RetrieveModelMixin, mixins.DestroyModelMixin, viewsets.GenericViewSet):
    """One file of a deal: read it, download it, delete it (the uploader or the partner's
    admin)."""

    permission_classes = [HasCapability]
    required_capability = CAPS
    serializer_class = DealFileSerializer

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return DealAttachment.objects.none()
        return selectors.attachments_for(self.request.user).select_related(
            "opportunity", "uploaded_by"
        )

    @extend_schema(parameters=[ID_PARAM], responses={204: None})
    def destroy(self, request, *args, **kwargs):
        """Delete the file; the deal's timeline keeps an event naming it."""
        services.attachment_delete(actor=request.user, attachment=self.get_object())
        return Response(status=status.HTTP_204_NO_CONTENT)

    @extend_schema(
        parameters=[ID_PARAM],
        responses={(200, "application/octet-stream"): OpenApiResponse(OpenApiTypes.BINARY)},
    )
    @action(detail=True, methods=["get"])
    def download(self, request, pk=None):
        """The file itself, as an attachment with its original name."""
        return serve(request, self.get_object())

"""Certification API: the same services and selectors as the pages. Objects outside the
caller's scope answer 404; a refused step answers 400 with the message per field."""

from __future__ import annotations

from django.http import Http404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.response import Response

from partner_center.accounts.access import HasCapability
from partner_center.api import validated
from partner_center.audit.services import record_event
from partner_center.audit.verbs import Verb

from . import selectors, services, uploads
from .filters import (
    BankCardFilter,
    DefenseFilter,
    EnterpriseCertificationFilter,
    LabelApplicationFilter,
)
from .models import (
    Attachment,
    BankCardCertification,
    CapabilityLabel,
    Defense,
    EnterpriseCertification,
    LabelApplication,
    LabelEvidence,
)
from .permissions import (
    MANAGE_CERTIFICATION,
    ORGANIZE_DEFENSE,
    REVIEW_CERTIFICATION,
    USE_CERTIFICATION,
    VIEW_LABEL_APPLICATIONS,
)
from .serializers import (
    ApproveSerializer,
    AttachmentSerializer,
    BankCardCreateSerializer,
    BankCardRejectSerializer,
    BankCardSerializer,
    ConcludeSerializer,
    CriterionDecisionSerializer,
    DefenseListSerializer,
    DefenseRequestSerializer,
    DefenseScheduleSerializer,
    EnterpriseDetailSerializer,
    EnterpriseListSerializer,
    EnterpriseRejectSerializer,
    EnterpriseSetupSerializer,
    EvidenceRemoveSerializer,
    EvidenceSerializer,
    EvidenceUploadSerializer,
    LabelApplicationCreateSerializer,
    LabelApplicationDetailSerializer,
    LabelApplicationListSerializer,
    LabelSerializer,
    OutcomeSerializer,
    SlotUploadSerializer,
    StatementSerializer,
    WithdrawSerializer,
)

PARSERS = [JSONParser, MultiPartParser, FormParser]


def _one_file(request, field: str) -> None:
    """Multipart requests may repeat a file field; certification takes exactly one."""
    files = request.FILES.getlist(field) if hasattr(request.FILES, "getlist") else []
    if len(files) > 1:
        raise ValidationError({field: ["Upload exactly one file."]})


class EnterpriseCertificationViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    """Enterprise certifications: create a draft, upload into the ordered slots, submit;
    reviewers approve or reject with reasons."""

    permission_classes = [HasCapability]
    required_capability = {
        "default": USE_CERTIFICATION,
        "create": MANAGE_CERTIFICATION,
        "setup": MANAGE_CERTIFICATION,
        "upload": MANAGE_CERTIFICATION,
        "submit": MANAGE_CERTIFICATION,
        "revise": MANAGE_CERTIFICATION,
        "approve": REVIEW_CERTIFICATION,
        "reject": REVIEW_CERTIFICATION,
    }
    filterset_class = EnterpriseCertificationFilter
    ordering_fields = ["created_at", "submitted_at"]
    ordering = ["-created_at", "-id"]
    parser_classes = PARSERS

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return EnterpriseCertification.objects.none()
        return selectors.enterprise_certifications_for(self.request.user).order_by(
            "-created_at", "-id"
        )

    def get_serializer_class(self):
        return EnterpriseListSerializer if self.action == "list" else EnterpriseDetailSerializer

    def get_object(self):
        return selectors.get_enterprise_for_user(self.request.user, int(self.kwargs["pk"]))

    def _detail(self, cert, code=status.HTTP_200_OK):
        cert = selectors.get_enterprise_for_user(self.request.user, cert.pk)
        return Response(EnterpriseDetailSerializer(cert).data, status=code)

    @extend_schema(request=EnterpriseSetupSerializer, responses={201: EnterpriseDetailSerializer})
    def create(self, request):
        data = validated(EnterpriseSetupSerializer, request)
        cert = services.enterprise_start(actor=request.user, partner=request.user.partner, **data)
        return self._detail(cert, status.HTTP_201_CREATED)

    @extend_schema(request=EnterpriseSetupSerializer, responses=EnterpriseDetailSerializer)
    @action(detail=True, methods=["post"])
    def setup(self, request, pk=None):
        data = validated(EnterpriseSetupSerializer, request)
        cert = services.enterprise_setup(
            actor=request.user, certification=self.get_object(), **data
        )
        return self._detail(cert)

    @extend_schema(
        request={"multipart/form-data": SlotUploadSerializer},
        responses=EnterpriseDetailSerializer,
        description="Upload into slot `position`; every earlier slot must hold a file.",
    )
    @action(detail=True, methods=["post"], parser_classes=[MultiPartParser, FormParser])
    def upload(self, request, pk=None):
        cert = self.get_object()
        _one_file(request, "file")
        data = validated(SlotUploadSerializer, request)
        services.enterprise_upload(
            actor=request.user, certification=cert, position=data["position"], upload=data["file"]
        )
        return self._detail(cert)

    @extend_schema(request=None, responses=EnterpriseDetailSerializer)
    @action(detail=True, methods=["post"])
    def submit(self, request, pk=None):
        cert = services.enterprise_submit(actor=request.user, certification=self.get_object())
        return self._detail(cert)

    @extend_schema(request=None, responses=EnterpriseDetailSerializer)
    @action(detail=True, methods=["post"])
    def revise(self, request, pk=None):
        cert = services.enterprise_revise(actor=request.user, certification=self.get_object())
        return self._detail(cert)

    @extend_schema(request=ApproveSerializer, responses=EnterpriseDetailSerializer)
    @action(detail=True, methods=["post"])
    def approve(self, request, pk=None):
        data = validated(ApproveSerializer, request)
        cert = services.enterprise_approve(
            actor=request.user, certification=self.get_object(), comment=data["comment"]
        )
        return self._detail(cert)

    @extend_schema(request=EnterpriseRejectSerializer, responses=EnterpriseDetailSerializer)
    @action(detail=True, methods=["post"])
    def reject(self, request, pk=None):
        data = validated(EnterpriseRejectSerializer, request)
        cert = services.enterprise_reject(
            actor=request.user,
            certification=self.get_object(),
            reasons=data["reasons"],
            comment=data["comment"],
        )
        return self._detail(cert)


class BankCardViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Personal bank-card certifications: card details and exactly one face-scan photo."""

    permission_classes = [HasCapability]
    required_capability = {
        "default": USE_CERTIFICATION,
        "create": MANAGE_CERTIFICATION,
        "approve": REVIEW_CERTIFICATION,
        "reject": REVIEW_CERTIFICATION,
    }
    serializer_class = BankCardSerializer
    filterset_class = BankCardFilter
    ordering_fields = ["submitted_at"]
    ordering = ["-submitted_at", "-id"]
    parser_classes = PARSERS

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return BankCardCertification.objects.none()
        return selectors.bank_cards_for(self.request.user).order_by("-submitted_at", "-id")

    def get_object(self):
        return selectors.get_bank_card_for_user(self.request.user, int(self.kwargs["pk"]))

    @extend_schema(
        request={"multipart/form-data": BankCardCreateSerializer},
        responses={201: BankCardSerializer},
    )
    def create(self, request):
        _one_file(request, "face_photo")
        data = validated(BankCardCreateSerializer, request)
        cert = services.bank_card_submit(actor=request.user, partner=request.user.partner, **data)
        return Response(BankCardSerializer(cert).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=ApproveSerializer, responses=BankCardSerializer)
    @action(detail=True, methods=["post"])
    def approve(self, request, pk=None):
        data = validated(ApproveSerializer, request)
        cert = services.bank_card_approve(
            actor=request.user, certification=self.get_object(), comment=data["comment"]
        )
        return Response(BankCardSerializer(cert).data)

    @extend_schema(request=BankCardRejectSerializer, responses=BankCardSerializer)
    @action(detail=True, methods=["post"])
    def reject(self, request, pk=None):
        data = validated(BankCardRejectSerializer, request)
        cert = services.bank_card_reject(
            actor=request.user,
            certification=self.get_object(),
            reasons=data["reasons"],
            comment=data["comment"],
        )
        return Response(BankCardSerializer(cert).data)


class LabelViewSet(viewsets.ReadOnlyModelViewSet):
    """Capability labels open for applications, with their criteria."""

    permission_classes = [HasCapability]
    required_capability = USE_CERTIFICATION
    serializer_class = LabelSerializer
    filter_backends: list = []

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return CapabilityLabel.objects.none()
        return selectors.labels_catalogue()


class LabelApplicationViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    """Label applications: evidence per criterion, review per criterion, online defense."""

    permission_classes = [HasCapability]
    required_capability = {
        "default": VIEW_LABEL_APPLICATIONS,
        "create": MANAGE_CERTIFICATION,
        "statement": MANAGE_CERTIFICATION,
        "evidence": MANAGE_CERTIFICATION,
        "remove_evidence": MANAGE_CERTIFICATION,
        "submit": MANAGE_CERTIFICATION,
        "withdraw": MANAGE_CERTIFICATION,
        "accept_result": MANAGE_CERTIFICATION,
        "request_defense": MANAGE_CERTIFICATION,
        "decide_criterion": REVIEW_CERTIFICATION,
        "conclude": REVIEW_CERTIFICATION,
        "record_outcome": REVIEW_CERTIFICATION,
        "schedule_defense": ORGANIZE_DEFENSE,
    }
    filterset_class = LabelApplicationFilter
    ordering_fields = ["created_at", "submitted_at", "defense_deadline"]
    ordering = ["-created_at", "-id"]
    parser_classes = PARSERS

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return LabelApplication.objects.none()
        return selectors.label_applications_for(self.request.user).order_by("-created_at", "-id")

    def get_serializer_class(self):
        if self.action == "list":
            return LabelApplicationListSerializer
        return LabelApplicationDetailSerializer

    def get_object(self):
        return selectors.get_label_application_for_user(self.request.user, int(self.kwargs["pk"]))

    def _detail(self, application, code=status.HTTP_200_OK):
        app = selectors.get_label_application_for_user(self.request.user, application.pk)
        context = {
            "reviewer": selectors.is_reviewer(self.request.user),
            "defense": selectors.defense_of(app),
        }
        return Response(LabelApplicationDetailSerializer(app, context=context).data, status=code)

    def retrieve(self, request, pk=None):
        return self._detail(self.get_object())

    def _criterion(self, app, criterion_id: int, field: str = "criterion"):
        criterion = app.label.criteria.filter(pk=criterion_id).first()
        if criterion is None:
            raise ValidationError({field: ["This criterion does not belong to the label."]})
        return criterion

    @extend_schema(
        request=LabelApplicationCreateSerializer, responses={201: LabelApplicationDetailSerializer}
    )
    def create(self, request):
        data = validated(LabelApplicationCreateSerializer, request)
        app = services.label_apply(
            actor=request.user,
            partner=request.user.partner,
            label=data["label"],
            statement=data["statement"],
        )
        return self._detail(app, status.HTTP_201_CREATED)

    @extend_schema(request=StatementSerializer, responses=LabelApplicationDetailSerializer)
    @action(detail=True, methods=["post"])
    def statement(self, request, pk=None):
        application = self.get_object()  # 404 for another partner's, before validation
        data = validated(StatementSerializer, request)
        app = services.label_edit(
            actor=request.user, application=application, statement=data["statement"]
        )
        return self._detail(app)

    @extend_schema(
        request={"multipart/form-data": EvidenceUploadSerializer},
        responses={201: EvidenceSerializer},
    )
    @action(detail=True, methods=["post"], parser_classes=[MultiPartParser, FormParser])
    def evidence(self, request, pk=None):
        app = self.get_object()
        _one_file(request, "file")
        data = validated(EvidenceUploadSerializer, request)
        evidence = services.label_add_evidence(
            actor=request.user,
            application=app,
            criterion=self._criterion(app, data["criterion"]),
            upload=data["file"],
            note=data["note"],
        )
        return Response(EvidenceSerializer(evidence).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=EvidenceRemoveSerializer, responses=LabelApplicationDetailSerializer)
    @action(detail=True, methods=["post"], url_path="remove-evidence")
    def remove_evidence(self, request, pk=None):
        app = self.get_object()
        data = validated(EvidenceRemoveSerializer, request)
        evidence = (
            LabelEvidence.objects.filter(pk=data["evidence"], application=app)
            .select_related("attachment", "application")
            .first()
        )
        if evidence is None:
            raise Http404
        services.label_remove_evidence(actor=request.user, evidence=evidence)
        return self._detail(app)

    @extend_schema(request=None, responses=LabelApplicationDetailSerializer)
    @action(detail=True, methods=["post"])
    def submit(self, request, pk=None):
        app = services.label_submit(actor=request.user, application=self.get_object())
        return self._detail(app)

    @extend_schema(request=WithdrawSerializer, responses=LabelApplicationDetailSerializer)
    @action(detail=True, methods=["post"])
    def withdraw(self, request, pk=None):
        data = validated(WithdrawSerializer, request)
        app = services.label_withdraw(
            actor=request.user, application=self.get_object(), reason=data["reason"]
        )
        return self._detail(app)

    @extend_schema(request=None, responses=LabelApplicationDetailSerializer)
    @action(detail=True, methods=["post"], url_path="accept-result")
    def accept_result(self, request, pk=None):
        app = services.label_accept_result(actor=request.user, application=self.get_object())
        return self._detail(app)

    @extend_schema(request=DefenseRequestSerializer, responses=LabelApplicationDetailSerializer)
    @action(detail=True, methods=["post"], url_path="request-defense")
    def request_defense(self, request, pk=None):
        app = self.get_object()
        data = validated(DefenseRequestSerializer, request)
        criteria = [self._criterion(app, cid, "criteria") for cid in data["criteria"]]
        services.label_request_defense(
            actor=request.user,
            application=app,
            channel=data["channel"],
            criteria=criteria,
            statement=data["statement"],
        )
        return self._detail(app)

    @extend_schema(request=CriterionDecisionSerializer, responses=LabelApplicationDetailSerializer)
    @action(detail=True, methods=["post"], url_path="decide-criterion")
    def decide_criterion(self, request, pk=None):
        app = self.get_object()
        data = validated(CriterionDecisionSerializer, request)
        services.label_decide_criterion(
            actor=request.user,
            application=app,
            criterion=self._criterion(app, data["criterion"]),
            verdict=data["verdict"],
            comment=data["comment"],
        )
        return self._detail(app)

    @extend_schema(request=ConcludeSerializer, responses=LabelApplicationDetailSerializer)
    @action(detail=True, methods=["post"])
    def conclude(self, request, pk=None):
        data = validated(ConcludeSerializer, request)
        app = services.label_conclude(
            actor=request.user, application=self.get_object(), summary=data["summary"]
        )
        return self._detail(app)

    @extend_schema(request=DefenseScheduleSerializer, responses=LabelApplicationDetailSerializer)
    @action(detail=True, methods=["post"], url_path="schedule-defense")
    def schedule_defense(self, request, pk=None):
        app = self.get_object()
        data = validated(DefenseScheduleSerializer, request)
        # The serializer's fields are the service's arguments.
        services.defense_schedule(actor=request.user, application=app, **data)
        return self._detail(app)

    @extend_schema(request=OutcomeSerializer, responses=LabelApplicationDetailSerializer)
    @action(detail=True, methods=["post"], url_path="record-outcome")
    def record_outcome(self, request, pk=None):
        app = self.get_object()
        data = validated(OutcomeSerializer, request)
        verdicts = {
            self._criterion(app, v["criterion"], "verdicts").pk: (v["verdict"], v["comment"])
            for v in data["verdicts"]
        }
        services.defense_record_outcome(
            actor=request.user, application=app, verdicts=verdicts, notes=data["notes"]
        )
        return self._detail(app)


class DefenseViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    """Online defenses for the organisers: certification specialists and the partners' PDMs."""

    permission_classes = [HasCapability]
    required_capability = ORGANIZE_DEFENSE
    serializer_class = DefenseListSerializer
    filterset_class = DefenseFilter
    ordering_fields = ["requested_at", "scheduled_at"]
    ordering = ["-requested_at", "-id"]

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Defense.objects.none()
        return selectors.defenses_for(self.request.user).order_by("-requested_at", "-id")


class FileViewSet(mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Stored certification files: metadata, and the download (owner partner and reviewers
    only; 404 for everyone else)."""

    permission_classes = [HasCapability]
    required_capability = USE_CERTIFICATION
    serializer_class = AttachmentSerializer
    filter_backends: list = []

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Attachment.objects.none()
        return selectors.scope(Attachment.objects.all(), self.request.user)

    def get_object(self):
        return selectors.get_attachment_for_user(self.request.user, int(self.kwargs["pk"]))

    @extend_schema(
        # The stored file's own type (see certification.uploads.MIME).
        responses={
            (200, mime): OpenApiResponse(OpenApiTypes.BINARY)
            for mime in dict.fromkeys(uploads.MIME.values())
        }
    )
    @action(detail=True, methods=["get"])
    def download(self, request, pk=None):
        attachment = self.get_object()
        try:
            handle = uploads.open_stored(attachment.path)
        except OSError as exc:
            raise Http404 from exc
        record_event(actor=request.user, subject=attachment, verb=Verb.ATTACHMENT_DOWNLOADED)
        return uploads.download_response(
            handle, filename=attachment.original_name, content_type=attachment.content_type
        )

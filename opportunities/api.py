"""The opportunities API: the same services and selectors as the pages, so the same rules.
Every write accepts an `Idempotency-Key` header (partner_center/idempotency); a PO with an
`external_ref` (a lead with a `crm_id`) already on file answers 409 with its id."""

from __future__ import annotations

from django.http import Http404
from django.shortcuts import get_object_or_404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.response import Response

from partner_center import uploads
from partner_center.accounts.access import HasCapability
from partner_center.accounts.models import Partner
from partner_center.api import validated

from . import selectors, services
from .api_pipeline_tools import LeadOwnerActionMixin, OwnerActionsMixin
from .duplicates import verdict_for
from .filters import DuplicateFilter, LeadFilter, OpportunityFilter
from .models import DuplicatePair, Opportunity, POImport, VendorLead
from .permissions import (
    ASSIGN_OWNERS,
    REVIEW_OPPORTUNITIES,
    VIEW_OPPORTUNITIES,
    WORK_OPPORTUNITIES,
)
from .serializers import (
    BulkReviewResultSerializer,
    BulkReviewSerializer,
    CloseDealSerializer,
    CoreLabelSerializer,
    DecideSerializer,
    DeclineSerializer,
    DuplicateHintSerializer,
    DuplicatePairSerializer,
    ExtensionDecisionSerializer,
    ExtensionRequestSerializer,
    LeadCloseSerializer,
    LeadReopenSerializer,
    LeadSerializer,
    LeadWriteSerializer,
    NoteSerializer,
    OpportunitySerializer,
    POImportCreateSerializer,
    POImportSerializer,
    POUpdateSerializer,
    POWriteSerializer,
    ProgressSerializer,
    RejectSerializer,
    ReturnSerializer,
    ShareSerializer,
    SubmitSerializer,
    TimelineEntrySerializer,
    VerifySerializer,
)
from .transitions import PO_FIELDS, PROGRESS_FIELDS, check_editable

K = Opportunity.Kind
ID_PARAM = OpenApiParameter("id", OpenApiTypes.INT, OpenApiParameter.PATH)


def opportunity_action(url_path, body, service, target, *fields, doc=None):
    """A POST action at `url_path` on one opportunity (the method is named after it, `_` for
    `-`): the body read through `body` (a serializer), then `service(actor=<the user>,
    <target>=<the opportunity>, ...)` with the body's `fields` (none named: all of it) as
    keywords (`OpportunityActionsMixin._act`); the answer is the opportunity as it is now.
    `doc` is the operation's description."""

    def act(self, request, pk=None):
        def call(opp, data):
            values = {k: data[k] for k in fields} if fields else data
            return service(actor=request.user, **{target: opp}, **values)

        return self._act(body, call)

    act.__name__ = act.__qualname__ = url_path.replace("-", "_")
    act.__doc__ = doc
    act = action(detail=True, methods=["post"], url_path=url_path)(act)
    return extend_schema(request=body, responses=OpportunitySerializer, parameters=[ID_PARAM])(act)


class OpportunityActionsMixin:
    """Actions both kinds share: progress updates, timeline, core label (BD); and what the PO
    and HO endpoints list alike (the opportunities of `kind` the user may see)."""

    permission_classes = [HasCapability]
    required_capability = {
        "default": VIEW_OPPORTUNITIES,
        "owner": ASSIGN_OWNERS,
        **dict.fromkeys(("progress", "close", "request_extension"), WORK_OPPORTUNITIES),
        **dict.fromkeys(("decide_extension", "core_label", "bd_owner"), REVIEW_OPPORTUNITIES),
    }
    serializer_class = OpportunitySerializer
    filterset_class = OpportunityFilter
    ordering_fields = ["created_at", "deadline", "amount", "customer_name"]
    ordering = ["-created_at", "-id"]
    kind: str

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Opportunity.objects.none()
        qs = selectors.opportunities_for(self.request.user).filter(kind=self.kind)
        if self.kind == K.HO:
            qs = qs.select_related("lead")
        return qs.order_by("-created_at", "-id")

    def _respond(self, obj):
        obj = self.get_queryset().get(pk=obj.pk)
        return Response(OpportunitySerializer(obj, context={"request": self.request}).data)

    def _act(self, serializer_class, call):
        """A POST action on one opportunity: the object first (404 for one not visible),
        then the body read through `serializer_class` (None: no body), then `call(opp, data)`
        (a service); the answer is the opportunity as it is now."""
        opp = self.get_object()
        data = validated(serializer_class, self.request) if serializer_class else {}
        return self._respond(call(opp, data))

    @extend_schema(
        request=ProgressSerializer, responses=OpportunitySerializer, parameters=[ID_PARAM]
    )
    @action(detail=True, methods=["post"])
    def progress(self, request, pk=None):
        opp = self.get_object()
        # Fields of the opportunity that a progress update never changes: refuse by name.
        locked = [k for k in request.data if k in PO_FIELDS and k not in PROGRESS_FIELDS]
        if locked:
            check_editable(opp, locked)
        data = validated(ProgressSerializer, request, partial=True)
        values = dict(data)
        note = values.pop("note", "")
        opp = services.opportunity_update_progress(
            actor=request.user, opportunity=opp, changes=values, note=note
        )
        return self._respond(opp)

    @extend_schema(responses=TimelineEntrySerializer(many=True), parameters=[ID_PARAM])
    @action(detail=True, methods=["get"])
    def timeline(self, request, pk=None):
        opp = self.get_object()
        return Response(
            TimelineEntrySerializer(selectors.timeline(opp, request.user), many=True).data
        )

    close = opportunity_action(
        "close",
        CloseDealSerializer,
        services.opportunity_close,
        "opportunity",
        doc="The partner closes a protected deal: won, or lost with a reason (R4.1).",
    )
    request_extension = opportunity_action(
        "request-extension",
        ExtensionRequestSerializer,
        services.protection_request_extension,
        "opportunity",
        "note",
    )
    decide_extension = opportunity_action(
        "decide-extension",
        ExtensionDecisionSerializer,
        services.protection_decide_extension,
        "opportunity",
    )
    core_label = opportunity_action(
        "core-label",
        CoreLabelSerializer,
        services.opportunity_set_core_label,
        "opportunity",
        "core_label",
        "note",
    )


class POViewSet(
    OwnerActionsMixin,
    OpportunityActionsMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    """POs: a partner's own (vendor staff: all). Create drafts, change what the field-lock
    matrix allows, submit with the customer's consent; BD reviews and verifies."""

    required_capability = {
        **OpportunityActionsMixin.required_capability,
        **dict.fromkeys(
            ("create", "partial_update", "update", "submit", "resubmit"), WORK_OPPORTUNITIES
        ),
        **dict.fromkeys(
            ("start_verification", "verify", "reject", "return_for_changes", "bulk_review"),
            REVIEW_OPPORTUNITIES,
        ),
    }
    kind = K.PO
    http_method_names = ["get", "post", "patch", "head", "options"]
    parser_classes = [JSONParser, MultiPartParser, FormParser]

    @extend_schema(
        request=POWriteSerializer,
        responses={201: OpportunitySerializer},
    )
    def create(self, request, *args, **kwargs):
        data = validated(POWriteSerializer, request)
        values = dict(data)
        external_ref = values.pop("external_ref", "")
        po = services.po_create(
            actor=request.user, partner=request.user.partner, data=values, external_ref=external_ref
        )
        return Response(
            OpportunitySerializer(po, context={"request": request}).data,
            status=status.HTTP_201_CREATED,
        )

    @extend_schema(request=POUpdateSerializer, responses=OpportunitySerializer)
    def partial_update(self, request, *args, **kwargs):
        po = self.get_object()
        data = validated(POUpdateSerializer, request, partial=True)
        po = services.po_edit(actor=request.user, po=po, changes=dict(data))
        return self._respond(po)

    @extend_schema(exclude=True)
    def update(self, request, *args, **kwargs):
        return self.partial_update(request, *args, **kwargs)

    @extend_schema(request=SubmitSerializer, responses=OpportunitySerializer, parameters=[ID_PARAM])
    @action(detail=True, methods=["post"])
    def submit(self, request, pk=None):
        return self._act(
            SubmitSerializer,
            lambda po, v: services.po_submit(
                actor=request.user,
                po=po,
                consent=services.Consent(
                    confirmed=v["consent_confirmed"],
                    method=v["consent_method"],
                    note=v["consent_note"],
                    file=v.get("consent_file"),
                ),
            ),
        )

    resubmit = opportunity_action("resubmit", NoteSerializer, services.po_resubmit, "po", "note")

    @extend_schema(responses=DuplicateHintSerializer(many=True), parameters=[ID_PARAM])
    @action(detail=True, methods=["get"])
    def duplicates(self, request, pk=None):
        """Likely duplicates as the PO's partner may see them (no other partner named)."""
        po = self.get_object()
        return Response(DuplicateHintSerializer(selectors.duplicate_hints(po), many=True).data)

    start_verification = opportunity_action(
        "start-verification", NoteSerializer, services.po_start_verification, "po", "note"
    )

    @extend_schema(request=VerifySerializer, responses=OpportunitySerializer, parameters=[ID_PARAM])
    @action(detail=True, methods=["post"])
    def verify(self, request, pk=None):
        """Verification passed; or, when another partner's duplicate was verified first,
        the PO comes back rejected by the duplicate rule."""
        return self._act(
            VerifySerializer,
            lambda po, v: services.po_verify(
                actor=request.user,
                po=po,
                account_manager=v["account_manager"],
                confirmed_on=v["account_manager_confirmed_on"],
                note=v["note"],
            ),
        )

    reject = opportunity_action(
        "reject", RejectSerializer, services.po_reject, "po", "reason", "note"
    )
    return_for_changes = opportunity_action(
        "return-for-changes",
        ReturnSerializer,
        services.po_return_for_changes,
        "po",
        "fields",
        "comment",
    )

    @extend_schema(request=BulkReviewSerializer, responses=BulkReviewResultSerializer)
    @action(detail=False, methods=["post"], url_path="bulk-review")
    def bulk_review(self, request):
        """Pass review, return for changes or reject up to 200 POs at once. Each PO goes
        through the single action (its own event and notification); a refused PO is listed
        with its reason and does not stop the others."""
        v = validated(BulkReviewSerializer, request)
        results = services.po_bulk_review(
            request.user,
            v["ids"],
            v["action"],
            comment=v["comment"],
            reason=v["reason"],
            fields=v["fields"],
        )
        done = sum(1 for r in results if r.ok)
        return Response(
            BulkReviewResultSerializer(
                {"done": done, "refused": len(results) - done, "results": results}
            ).data
        )


class HOViewSet(
    OwnerActionsMixin,
    OpportunityActionsMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet,
):
    """HOs shared with the partner (vendor staff: all shares). Accept or decline within
    3 working days; the contact details are masked until accepted."""

    required_capability = {
        **OpportunityActionsMixin.required_capability,
        **dict.fromkeys(("accept", "decline"), WORK_OPPORTUNITIES),
    }
    kind = K.HO

    @extend_schema(request=None, responses=OpportunitySerializer, parameters=[ID_PARAM])
    @action(detail=True, methods=["post"])
    def accept(self, request, pk=None):
        ho = services.ho_accept(actor=request.user, ho=self.get_object())
        return self._respond(ho)

    decline = opportunity_action("decline", DeclineSerializer, services.ho_decline, "ho", "reason")


class LeadViewSet(
    LeadOwnerActionMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):
    """BD's HO pool: leads from the CRM, shared with one PCE partner at a time."""

    permission_classes = [HasCapability]
    required_capability = REVIEW_OPPORTUNITIES
    serializer_class = LeadSerializer
    filterset_class = LeadFilter
    ordering_fields = ["crm_created_at", "customer_name", "amount"]

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return VendorLead.objects.none()
        return selectors.pool_leads()

    @extend_schema(
        request=LeadWriteSerializer,
        responses={201: LeadSerializer},
    )
    def create(self, request, *args, **kwargs):
        data = validated(LeadWriteSerializer, request)
        values = dict(data)
        crm_id = values.pop("crm_id")
        crm_created_at = values.pop("crm_created_at")
        lead = services.lead_create(
            actor=request.user, crm_id=crm_id, crm_created_at=crm_created_at, data=values
        )
        return Response(
            LeadSerializer(self.get_queryset().get(pk=lead.pk)).data, status=status.HTTP_201_CREATED
        )

    @extend_schema(
        request=ShareSerializer, responses={201: OpportunitySerializer}, parameters=[ID_PARAM]
    )
    @action(detail=True, methods=["post"])
    def share(self, request, pk=None):
        lead = self.get_object()
        data = validated(ShareSerializer, request)
        partner = Partner.objects.filter(pk=data["partner"]).first()
        if partner is None:
            raise serializers.ValidationError({"partner": ["Unknown partner."]})
        share = services.ho_share(actor=request.user, lead=lead, partner=partner, note=data["note"])
        return Response(
            OpportunitySerializer(share, context={"request": request}).data,
            status=status.HTTP_201_CREATED,
        )

    @extend_schema(request=LeadCloseSerializer, responses=LeadSerializer, parameters=[ID_PARAM])
    @action(detail=True, methods=["post"])
    def close(self, request, pk=None):
        """Retire the lead from the pool with a reason (R4.2): it wins no duplicate."""
        lead = self.get_object()
        data = validated(LeadCloseSerializer, request)
        services.lead_retire(actor=request.user, lead=lead, **data)
        return Response(LeadSerializer(self.get_queryset().get(pk=lead.pk)).data)

    @extend_schema(request=LeadReopenSerializer, responses=LeadSerializer, parameters=[ID_PARAM])
    @action(detail=True, methods=["post"])
    def reopen(self, request, pk=None):
        lead = self.get_object()
        data = validated(LeadReopenSerializer, request)
        services.lead_reopen(actor=request.user, lead=lead, note=data["note"])
        return Response(LeadSerializer(self.get_queryset().get(pk=lead.pk)).data)


class DuplicatePairViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    """BD's duplicate queue: open candidate pairs with the rule's verdict."""

    permission_classes = [HasCapability]
    required_capability = REVIEW_OPPORTUNITIES
    serializer_class = DuplicatePairSerializer
    filterset_class = DuplicateFilter

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return DuplicatePair.objects.none()
        return selectors.duplicate_queue()

    def paginate_queryset(self, queryset):
        page = super().paginate_queryset(queryset)
        for pair in page if page is not None else []:
            pair.verdict = verdict_for(pair)
        return page

    def get_object(self):
        pair = super().get_object()
        pair.verdict = verdict_for(pair)
        return pair

    @extend_schema(
        request=DecideSerializer, responses=DuplicatePairSerializer, parameters=[ID_PARAM]
    )
    @action(detail=True, methods=["post"])
    def decide(self, request, pk=None):
        pair = get_object_or_404(DuplicatePair, pk=pk)
        data = validated(DecideSerializer, request)
        pair = services.duplicate_decide(
            actor=request.user,
            pair=pair,
            decision=data["decision"],
            note=data["note"],
        )
        pair.verdict = verdict_for(pair)
        return Response(DuplicatePairSerializer(pair).data)


class POImportViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Bulk imports of POs from CSV or XLSX (processed by a worker; poll the import)."""

    permission_classes = [HasCapability]
    required_capability = WORK_OPPORTUNITIES
    serializer_class = POImportSerializer
    parser_classes = [MultiPartParser, FormParser]

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return POImport.objects.none()
        return selectors.imports_for(self.request.user).order_by("-created_at", "-id")

    @extend_schema(request=POImportCreateSerializer, responses={202: POImportSerializer})
    def create(self, request):
        v = validated(POImportCreateSerializer, request)
        imp = services.po_import_start(
            actor=request.user,
            partner=request.user.partner,
            upload=v["file"],
            submit_rows=v["submit_rows"],
            consent=services.Consent(
                confirmed=v["consent_confirmed"], method=v["consent_method"], note=v["consent_note"]
            ),
        )
        return Response(POImportSerializer(imp).data, status=status.HTTP_202_ACCEPTED)

    @extend_schema(
        # The failed rows in the uploaded file's format.
        responses={
            (200, "text/csv"): OpenApiTypes.BINARY,
            (
                200,
                "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            ): OpenApiTypes.BINARY,
        },
        parameters=[ID_PARAM],
    )
    @action(detail=True, methods=["get"], url_path="failed-rows")
    def failed_rows(self, request, pk=None):
        imp = self.get_object()
        if not imp.failed_file:
            raise Http404
        return uploads.field_file_response(imp.failed_file, filename=imp.failed_file_download_name)

"""REST endpoints over the same services and selectors as the pages."""

from __future__ import annotations

from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from partner_center.accounts.access import HasCapability
from partner_center.api import is_schema_view, validated
from partner_center.errors import DomainError

from . import selectors, services
from .filters import (
    AssociationFilter,
    ConsumptionFilter,
    InvitationFilter,
    OrderFilter,
    ResourceFilter,
    VoucherFilter,
)
from .imports import import_payload
from .models import (
    Account,
    AgreementVersion,
    Association,
    ConsumptionRecord,
    ImportRun,
    Invitation,
    MoneyRequest,
    Order,
    Resource,
    Voucher,
)
from .permissions import (
    CUSTOMER_SELF,
    FUND_RESELLERS,
    IMPORT_RECORDS,
    INVITE_CUSTOMERS,
    ISSUE_VOUCHERS,
    MANAGE_RESOURCES,
    MOVE_MONEY,
    RENEW_OWN_RESOURCES,
    UNBIND_CUSTOMERS,
    VIEW_CUSTOMERS,
    VIEW_MONEY_REQUESTS,
    VIEW_RESELLER_FUNDS,
    VIEW_RESELLERS,
)
from .serializers import (
    AgreementVersionSerializer,
    AssociationSerializer,
    AutoRenewSerializer,
    BudgetSerializer,
    ConsumptionRecordSerializer,
    ConsumptionSummaryRowSerializer,
    CustomerMeSerializer,
    ImportPayloadSerializer,
    ImportRunSerializer,
    InvitationAcceptSerializer,
    InvitationCreateSerializer,
    InvitationSerializer,
    InvitationStatusSerializer,
    LedgerEntrySerializer,
    MoneyRequestSerializer,
    MoneySerializer,
    OrderDetailSerializer,
    OrderSerializer,
    ReclaimSerializer,
    RecommendationsSerializer,
    RefuseSerializer,
    RenewSerializer,
    ResellerSerializer,
    ResourceSerializer,
    SignSerializer,
    UnbindSerializer,
    VoucherIssueSerializer,
    VoucherSerializer,
)

PK = OpenApiParameter("id", OpenApiTypes.INT, OpenApiParameter.PATH)
# A money move: 200 with the association, or 202 with the request a second admin decides.
MONEY_MOVED = {200: AssociationSerializer, 202: MoneyRequestSerializer}


class AssociationViewSet(viewsets.ReadOnlyModelViewSet):
    """The partner's customers (associations), their accounts and consumption."""

    permission_classes = [HasCapability]
    required_capability = {
        "default": VIEW_CUSTOMERS,
        "unbind": UNBIND_CUSTOMERS,
        "fund": MOVE_MONEY,
        "reclaim": MOVE_MONEY,
        "budget": MOVE_MONEY,
    }
    serializer_class = AssociationSerializer
    filterset_class = AssociationFilter
    ordering_fields = ["associated_at", "customer__name"]
    ordering = ["-associated_at", "-id"]

    def get_queryset(self):
        if is_schema_view(self):
            return Association.objects.none()
        return selectors.associations_for(self.request.user).order_by("-associated_at", "-id")

    def _account(self) -> Account:
        account = selectors.account_for_association(self.get_object())
        if account is None:
            raise DomainError(_("This customer pays from its own main account (referral model)."))
        return account

    def _fresh(self):
        return Response(self.get_serializer(self.get_queryset().get(pk=self.kwargs["pk"])).data)

    @extend_schema(parameters=[PK], request=UnbindSerializer, responses=AssociationSerializer)
    @action(detail=True, methods=["post"])
    def unbind(self, request, pk=None):
        body = validated(UnbindSerializer, request)
        services.customer_unbind(
            actor=request.user,
            association=self.get_object(),
            reason=body.get("reason", ""),
        )
        return self._fresh()

    def _move_money(self, body_class, move):
        """`move(account, body)`, a money service: the account first (an outsider gets 404
        before any validation), then the body through `body_class`. 200 with the fresh
        object, or 202 with the request a second admin decides."""
        account = self._account()
        result = move(account, validated(body_class, self.request))
        if isinstance(result, MoneyRequest):
            return Response(MoneyRequestSerializer(result).data, status=status.HTTP_202_ACCEPTED)
        return self._fresh()

    @extend_schema(parameters=[PK], request=MoneySerializer, responses=MONEY_MOVED)
    @action(detail=True, methods=["post"])
    def fund(self, request, pk=None):
        return self._move_money(
            MoneySerializer,
            lambda account, body: services.account_fund(
                actor=request.user,
                account=account,
                amount=body["amount"],
                reason=body.get("reason", ""),
            ),
        )

    @extend_schema(parameters=[PK], request=ReclaimSerializer, responses=MONEY_MOVED)
    @action(detail=True, methods=["post"])
    def reclaim(self, request, pk=None):
        return self._move_money(
            ReclaimSerializer,
            lambda account, body: services.account_reclaim(
                actor=request.user,
                account=account,
                amount=body.get("amount"),
                reclaim_all=body.get("reclaim_all", False),
                reason=body.get("reason", ""),
            ),
        )

    @extend_schema(parameters=[PK], request=BudgetSerializer, responses=AssociationSerializer)
    @action(detail=True, methods=["post"])
    def budget(self, request, pk=None):
        account = self._account()  # an outsider gets 404 before any validation
        body = validated(BudgetSerializer, request)
        services.account_set_budget(
            actor=request.user,
            account=account,
            monthly_budget=body["monthly_budget"],
        )
        return self._fresh()

    @extend_schema(parameters=[PK], responses=LedgerEntrySerializer(many=True))
    @action(detail=True, methods=["get"])
    def ledger(self, request, pk=None):
        account = selectors.account_for_association(self.get_object())
        entries = selectors.ledger_for(account) if account else []
        page = self.paginate_queryset(entries)
        return self.get_paginated_response(LedgerEntrySerializer(page, many=True).data)

    @extend_schema(parameters=[PK], responses=ConsumptionSummaryRowSerializer(many=True))
    @action(detail=True, methods=["get"], url_path="consumption-summary")
    def consumption_summary(self, request, pk=None):
        rows = selectors.consumption_summary(self.get_object())
        return Response(ConsumptionSummaryRowSerializer(rows, many=True).data)

    @extend_schema(parameters=[PK], responses=RecommendationsSerializer)
    @action(detail=True, methods=["get"])
    def recommendations(self, request, pk=None):
        return Response(
            RecommendationsSerializer(selectors.recommendations_for(self.get_object())).data
        )


class InvitationViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):
    """Invitation links the partner created."""

    permission_classes = [HasCapability]
    required_capability = INVITE_CUSTOMERS
    serializer_class = InvitationSerializer
    filterset_class = InvitationFilter
    ordering_fields = ["created_at"]
    ordering = ["-created_at"]

    def get_queryset(self):
        if is_schema_view(self):
            return Invitation.objects.none()
        return selectors.invitations_for(self.request.user).order_by("-created_at", "-id")

    @extend_schema(request=InvitationCreateSerializer, responses={201: InvitationSerializer})
    def create(self, request, *args, **kwargs):
        data = validated(InvitationCreateSerializer, request)
        invitation = services.invitation_create(
            actor=request.user,
            billing_model=data.get("billing_model")
            or services.default_billing_model(request.user.partner),
            email=data.get("email", ""),
            note=data.get("note", ""),
        )
        return Response(InvitationSerializer(invitation).data, status=status.HTTP_201_CREATED)

    @extend_schema(parameters=[PK], request=None, responses=InvitationSerializer)
    @action(detail=True, methods=["post"])
    def revoke(self, request, pk=None):
        invitation = services.invitation_revoke(actor=request.user, invitation=self.get_object())
        return Response(InvitationSerializer(invitation).data)


TOKEN = OpenApiParameter("token", OpenApiTypes.STR, OpenApiParameter.PATH)


class InviteStatusView(APIView):
    """What an invitation link offers, and why it cannot be used (if so)."""

    permission_classes = [AllowAny]

    @extend_schema(parameters=[TOKEN], responses=InvitationStatusSerializer)
    def get(self, request, token: str):
        invitation = selectors.invitation_by_token(token)
        if invitation is None:
            raise NotFound()
        problem = services.invitation_problem(invitation, user=request.user)
        latest = selectors.latest_agreement()
        return Response(
            InvitationStatusSerializer(
                {
                    "partner": invitation.partner.name,
                    "billing_model": invitation.billing_model,
                    "expires_at": invitation.expires_at,
                    "usable": not problem,
                    "problem": problem,
                    "agreement_version": latest.version if latest else None,
                }
            ).data
        )


class InviteAcceptView(APIView):
    """The signed-in customer signs the given (latest) agreement and accepts the link."""

    permission_classes = [HasCapability]
    required_capability = CUSTOMER_SELF

    @extend_schema(
        parameters=[TOKEN], request=InvitationAcceptSerializer, responses=CustomerMeSerializer
    )
    def post(self, request, token: str):
        body = validated(InvitationAcceptSerializer, request)
        version = AgreementVersion.objects.filter(version=body["agreement_version"]).first()
        if version is None:
            raise DomainError(_("No such agreement version."), field="agreement_version")
        services.invitation_accept(actor=request.user, token=token, agreement_version_id=version.pk)
        return Response(_me_payload(request.user))


def _me_payload(user) -> dict:
    home = selectors.customer_home(user)
    association = home.association
    return CustomerMeSerializer(
        {
            "customer": home.customer,
            "partner": association.partner.name if association else None,
            "association": association.pk if association else None,
            "billing_model": association.billing_model if association else None,
            "associated_at": association.associated_at if association else None,
            "latest_agreement_version": home.latest.version if home.latest else None,
            "signed_latest_agreement": home.signed_latest,
        }
    ).data


class MeView(APIView):
    """The signed-in customer: its association and agreement status."""

    permission_classes = [HasCapability]
    required_capability = CUSTOMER_SELF

    @extend_schema(responses=CustomerMeSerializer)
    def get(self, request):
        return Response(_me_payload(request.user))


class SignView(APIView):
    """The signed-in customer signs the latest agreement version."""

    permission_classes = [HasCapability]
    required_capability = CUSTOMER_SELF

    @extend_schema(request=SignSerializer, responses=CustomerMeSerializer)
    def post(self, request):
        body = validated(SignSerializer, request)
        version = get_object_or_404(AgreementVersion, version=body["version"])
        services.agreement_sign(actor=request.user, version=version)
        return Response(_me_payload(request.user))


class LatestAgreementView(APIView):
    """The latest association agreement (both languages)."""

    permission_classes = [IsAuthenticated]

    @extend_schema(responses=AgreementVersionSerializer)
    def get(self, request):
        latest = selectors.latest_agreement()
        if latest is None:
            raise NotFound()
        return Response(AgreementVersionSerializer(latest).data)


class _ResourceViewSetBase(viewsets.ReadOnlyModelViewSet):
    permission_classes = [HasCapability]
    serializer_class = ResourceSerializer
    filterset_class = ResourceFilter
    ordering_fields = ["expires_at"]
    ordering = ["expires_at", "id"]

    def get_queryset(self):
        if is_schema_view(self):
            return Resource.objects.none()
        return selectors.resources_for(self.request.user).order_by("expires_at", "id")

    @extend_schema(parameters=[PK], request=AutoRenewSerializer, responses=ResourceSerializer)
    @action(detail=True, methods=["post"], url_path="auto-renew")
    def auto_renew(self, request, pk=None):
        resource = self.get_object()  # 404 for another partner's resource, before validation
        body = validated(AutoRenewSerializer, request)
        resource = services.resource_set_auto_renew(
            actor=request.user,
            resource=resource,
            enabled=body["enabled"],
        )
        return Response(ResourceSerializer(self.get_queryset().get(pk=resource.pk)).data)

    @extend_schema(parameters=[PK], request=RenewSerializer, responses=OrderDetailSerializer)
    @action(detail=True, methods=["post"])
    def renew(self, request, pk=None):
        """Renew and pay from the customer's hosted account: the partner for its customers'
        resources, the customer (`me/resources/`) for its own — one service, one rule."""
        resource = self.get_object()
        body = validated(RenewSerializer, request)
        voucher = None
        code = body.get("voucher")
        if code:
            voucher = Voucher.objects.filter(
                code=code, customer_id=resource.customer_id, partner_id=resource.partner_id
            ).first()
            if voucher is None:
                raise DomainError(_("No such voucher for this customer."), field="voucher")
        order = services.resource_renew(
            actor=request.user,
            resource=resource,
            periods=body["periods"],
            voucher=voucher,
        )
        return Response(OrderDetailSerializer(order).data, status=status.HTTP_201_CREATED)


class ResourceViewSet(_ResourceViewSetBase):
    """Yearly/monthly resources of the partner's customers."""

    required_capability = {
        "default": VIEW_CUSTOMERS,
        "renew": MOVE_MONEY,
        "auto_renew": MANAGE_RESOURCES,
    }


class MyResourceViewSet(_ResourceViewSetBase):
    """The signed-in customer's own yearly/monthly resources (it may renew them and set
    auto-renew)."""

    required_capability = {
        "default": CUSTOMER_SELF,
        "renew": RENEW_OWN_RESOURCES,
    }


class OrderViewSet(viewsets.ReadOnlyModelViewSet):
    """Orders of the partner's customers (recorded from the vendor's site)."""

    permission_classes = [HasCapability]
    required_capability = VIEW_CUSTOMERS
    filterset_class = OrderFilter
    ordering_fields = ["formed_at", "amount"]
    ordering = ["-formed_at", "-id"]

    def get_serializer_class(self):
        return OrderDetailSerializer if self.action == "retrieve" else OrderSerializer

    def get_queryset(self):
        if is_schema_view(self):
            return Order.objects.none()
        qs = selectors.orders_for(self.request.user).order_by("-formed_at", "-id")
        if self.action == "retrieve":
            qs = qs.prefetch_related("lines__resource", "lines__original_order")
        return qs


class ConsumptionViewSet(viewsets.ReadOnlyModelViewSet):
    """Consumption records of the partner's customers, with the account each is booked to."""

    permission_classes = [HasCapability]
    required_capability = VIEW_CUSTOMERS
    serializer_class = ConsumptionRecordSerializer
    filterset_class = ConsumptionFilter
    ordering_fields = ["consumed_at"]
    ordering = ["-consumed_at", "-id"]

    def get_queryset(self):
        if is_schema_view(self):
            return ConsumptionRecord.objects.none()
        return selectors.consumption_for(self.request.user).order_by("-consumed_at", "-id")


class ResellerViewSet(viewsets.ReadOnlyModelViewSet):
    """A distributor's tier-2 resellers: funds, voucher quota and their use."""

    permission_classes = [HasCapability]
    required_capability = {
        "default": VIEW_RESELLERS,
        "fund": FUND_RESELLERS,
        "reclaim": FUND_RESELLERS,
        "grant_quota": FUND_RESELLERS,
        "reduce_quota": FUND_RESELLERS,
    }
    serializer_class = ResellerSerializer
    filterset_class = None
    filter_backends: list = []

    def get_queryset(self):
        from partner_center.accounts.models import Partner

        if is_schema_view(self):
            return Partner.objects.none()
        return selectors.resellers_for(self.request.user).order_by("name")

    def _move(self, request, service):
        reseller = self.get_object()  # an outsider gets 404 before any validation
        body = validated(MoneySerializer, request)
        result = service(
            actor=request.user,
            reseller=reseller,
            amount=body["amount"],
            reason=body.get("reason", ""),
        )
        if isinstance(result, MoneyRequest):
            return Response(MoneyRequestSerializer(result).data, status=status.HTTP_202_ACCEPTED)
        return Response(self.get_serializer(self.get_queryset().get(pk=self.kwargs["pk"])).data)

    @extend_schema(parameters=[PK], request=MoneySerializer, responses=ResellerSerializer)
    @action(detail=True, methods=["post"])
    def fund(self, request, pk=None):
        return self._move(request, services.reseller_fund)

    @extend_schema(parameters=[PK], request=MoneySerializer, responses=ResellerSerializer)
    @action(detail=True, methods=["post"])
    def reclaim(self, request, pk=None):
        return self._move(request, services.reseller_reclaim)

    @extend_schema(parameters=[PK], request=MoneySerializer, responses=ResellerSerializer)
    @action(detail=True, methods=["post"], url_path="grant-quota")
    def grant_quota(self, request, pk=None):
        return self._move(request, services.reseller_grant_quota)

    @extend_schema(parameters=[PK], request=MoneySerializer, responses=ResellerSerializer)
    @action(detail=True, methods=["post"], url_path="reduce-quota")
    def reduce_quota(self, request, pk=None):
        return self._move(request, services.reseller_reduce_quota)

    @extend_schema(parameters=[PK], responses=LedgerEntrySerializer(many=True))
    @action(detail=True, methods=["get"])
    def ledger(self, request, pk=None):
        """Only the movements between the distributor and the reseller [our rule]."""
        page = self.paginate_queryset(selectors.distributor_movements(self.get_object()))
        return self.get_paginated_response(LedgerEntrySerializer(page, many=True).data)


class _VoucherRows:
    """The vouchers the user may see (a reseller's issued ones, a customer's own)."""

    permission_classes = [HasCapability]
    serializer_class = VoucherSerializer
    filterset_class = VoucherFilter
    ordering = ["-issued_at", "-id"]

    def get_queryset(self):
        if is_schema_view(self):
            return Voucher.objects.none()
        return selectors.vouchers_for(self.request.user).order_by("-issued_at", "-id")


class VoucherViewSet(
    _VoucherRows,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):
    """Vouchers a tier-2 reseller issued to its customers from its quota."""

    required_capability = {
        "default": VIEW_RESELLER_FUNDS,
        "create": ISSUE_VOUCHERS,
        "revoke": ISSUE_VOUCHERS,
    }
    ordering_fields = ["issued_at"]

    @extend_schema(
        request=VoucherIssueSerializer,
        responses={201: VoucherSerializer, 202: MoneyRequestSerializer},
    )
    def create(self, request, *args, **kwargs):
        body = validated(VoucherIssueSerializer, request)
        association = Association.objects.filter(
            pk=body["association"], partner_id=request.user.partner_id
        ).first()
        if association is None:
            raise DomainError(_("Choose one of your associated customers."), field="association")
        voucher = services.voucher_issue(
            actor=request.user,
            association=association,
            face_value=body["face_value"],
            valid_until=body["valid_until"],
        )
        if isinstance(voucher, MoneyRequest):
            return Response(MoneyRequestSerializer(voucher).data, status=status.HTTP_202_ACCEPTED)
        voucher = self.get_queryset().get(pk=voucher.pk)
        return Response(VoucherSerializer(voucher).data, status=status.HTTP_201_CREATED)

    @extend_schema(parameters=[PK], request=None, responses=VoucherSerializer)
    @action(detail=True, methods=["post"])
    def revoke(self, request, pk=None):
        services.voucher_revoke(actor=request.user, voucher=self.get_object())
        return Response(VoucherSerializer(self.get_queryset().get(pk=pk)).data)


class MyVoucherViewSet(_VoucherRows, viewsets.ReadOnlyModelViewSet):
    """The signed-in customer's vouchers."""

    required_capability = CUSTOMER_SELF


class ImportView(APIView):
    """The vendor's site sends orders and consumption (idempotent by number). Answers with
    what was recorded, skipped as known, and refused with the reason per row."""

    permission_classes = [HasCapability]
    required_capability = IMPORT_RECORDS

    @extend_schema(request=ImportPayloadSerializer, responses={201: ImportRunSerializer})
    def post(self, request):
        run = import_payload(actor=request.user, payload=request.data, source=ImportRun.Source.API)
        return Response(ImportRunSerializer(run).data, status=status.HTTP_201_CREATED)


class MoneyRequestViewSet(viewsets.ReadOnlyModelViewSet):
    """Money operations above the partner's limit [our rule]: a second partner admin (not
    the requester) approves or refuses; the requester may withdraw its own."""

    permission_classes = [HasCapability]
    required_capability = {"default": VIEW_MONEY_REQUESTS}
    serializer_class = MoneyRequestSerializer
    filterset_class = None
    filter_backends: list = []

    def get_queryset(self):
        if is_schema_view(self):
            return MoneyRequest.objects.none()
        return selectors.money_requests_for(self.request.user)

    @extend_schema(parameters=[PK], request=None, responses=MoneyRequestSerializer)
    @action(detail=True, methods=["post"])
    def approve(self, request, pk=None):
        done = services.money_request_approve(actor=request.user, request=self.get_object())
        return Response(MoneyRequestSerializer(done).data)

    @extend_schema(parameters=[PK], request=RefuseSerializer, responses=MoneyRequestSerializer)
    @action(detail=True, methods=["post"])
    def refuse(self, request, pk=None):
        body = validated(RefuseSerializer, request)
        done = services.money_request_refuse(
            actor=request.user, request=self.get_object(), note=body.get("note", "")
        )
        return Response(MoneyRequestSerializer(done).data)

    @extend_schema(parameters=[PK], request=None, responses=MoneyRequestSerializer)
    @action(detail=True, methods=["post"])
    def cancel(self, request, pk=None):
        done = services.money_request_cancel(actor=request.user, request=self.get_object())
        return Response(MoneyRequestSerializer(done).data)

from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response
from rest_framework.views import APIView

from partner_center.accounts.access import HasCapability
from partner_center.api import validated

from . import services
from .filters import MembershipFilter
from .models import ContactChange, Membership
from .permissions import ANSWER_INVITATION, MANAGE_MEMBERS, MANAGE_PROFILE, VIEW_PROFILE
from .selectors import contact_changes_for, memberships_for, open_invitations_of
from .serializers import (
    CodeSerializer,
    ContactChangeSerializer,
    InvitationSerializer,
    InviteSerializer,
    LegalRepresentativeSerializer,
    MembershipSerializer,
    MoneyGrantSerializer,
    ProfileSerializer,
)

ID_PARAM = OpenApiParameter("id", int, OpenApiParameter.PATH)


@extend_schema(parameters=[ID_PARAM])
class MembershipViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """The partner's members and invitations (partner admin). `status` is one of invited,
    expired, withdrawn, linked, unlinked."""

    permission_classes = [HasCapability]
    required_capability = MANAGE_MEMBERS
    serializer_class = MembershipSerializer
    filterset_class = MembershipFilter
    filter_backends = [DjangoFilterBackend]
    lookup_value_regex = r"\d+"

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Membership.objects.none()
        return memberships_for(self.request.user)

    def _membership(self):
        return self.get_object()

    @extend_schema(request=InviteSerializer, responses={201: MembershipSerializer}, parameters=[])
    def create(self, request):
        """Invite a person's account. Refusals answer 400 with the reason under `email`."""
        body = validated(InviteSerializer, request)
        membership = services.member_invite(
            actor=request.user, partner=request.user.partner, email=body["email"]
        )
        return Response(MembershipSerializer(membership).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=None, responses=MembershipSerializer)
    @action(detail=True, methods=["post"])
    def unlink(self, request, pk=None):
        membership = services.member_unlink(actor=request.user, membership=self._membership())
        return Response(MembershipSerializer(membership).data)

    @extend_schema(request=None, responses=MembershipSerializer)
    @action(detail=True, methods=["post"])
    def withdraw(self, request, pk=None):
        membership = services.invitation_withdraw(actor=request.user, membership=self._membership())
        return Response(MembershipSerializer(membership).data)

    @extend_schema(request=MoneyGrantSerializer, responses=MembershipSerializer)
    @action(detail=True, methods=["post"], url_path="money-grant")
    def money_grant(self, request, pk=None):
        membership = self._membership()  # 404 for another partner's member, before validation
        body = validated(MoneyGrantSerializer, request)
        services.member_set_money_grant(
            actor=request.user, membership=membership, allowed=body["allowed"]
        )
        membership.refresh_from_db()
        return Response(MembershipSerializer(membership).data)


@extend_schema(parameters=[ID_PARAM])
class InvitationViewSet(viewsets.ReadOnlyModelViewSet):
    """Open invitations addressed to the signed-in person; accept or decline them."""

    permission_classes = [HasCapability]
    required_capability = ANSWER_INVITATION
    serializer_class = InvitationSerializer
    pagination_class = None
    filter_backends: list = []
    lookup_value_regex = r"\d+"

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Membership.objects.none()
        return open_invitations_of(self.request.user)

    @extend_schema(request=None, responses=MembershipSerializer)
    @action(detail=True, methods=["post"])
    def accept(self, request, pk=None):
        membership = services.invitation_accept(actor=request.user, membership=self.get_object())
        return Response(MembershipSerializer(membership).data)

    @extend_schema(request=None, responses=MembershipSerializer)
    @action(detail=True, methods=["post"])
    def decline(self, request, pk=None):
        membership = services.invitation_decline(actor=request.user, membership=self.get_object())
        return Response(MembershipSerializer(membership).data)


class ProfileView(APIView):
    """The caller's partner profile."""

    permission_classes = [HasCapability]
    required_capability = VIEW_PROFILE

    @extend_schema(responses=ProfileSerializer)
    def get(self, request):
        return Response(ProfileSerializer(request.user.partner).data)


class LegalRepresentativeView(APIView):
    """Change the legal representative; the change is recorded (who, when, from, to)."""

    permission_classes = [HasCapability]
    required_capability = MANAGE_PROFILE

    @extend_schema(request=LegalRepresentativeSerializer, responses=ProfileSerializer)
    def post(self, request):
        body = validated(LegalRepresentativeSerializer, request)
        partner = services.partner_change_legal_representative(
            actor=request.user, partner=request.user.partner, **body
        )
        return Response(ProfileSerializer(partner).data)


@extend_schema(parameters=[ID_PARAM])
class ContactChangeViewSet(
    mixins.CreateModelMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet,
):
    """Change the contact e-mail or phone: create sends a code to the new value; `confirm`
    with the code makes it take effect."""

    permission_classes = [HasCapability]
    required_capability = MANAGE_PROFILE
    serializer_class = ContactChangeSerializer
    filter_backends: list = []
    lookup_value_regex = r"\d+"

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return ContactChange.objects.none()
        return contact_changes_for(self.request.user)

    def perform_create(self, serializer):
        serializer.instance = services.contact_change_start(
            actor=self.request.user,
            partner=self.request.user.partner,
            channel=serializer.validated_data["channel"],
            new_value=serializer.validated_data["new_value"],
        )

    @extend_schema(request=CodeSerializer, responses=ProfileSerializer)
    @action(detail=True, methods=["post"])
    def confirm(self, request, pk=None):
        change = self.get_object()  # 404 for another's change, before validation
        body = validated(CodeSerializer, request)
        partner = services.contact_change_confirm(
            actor=request.user, change=change, code=body["code"]
        )
        return Response(ProfileSerializer(partner).data)

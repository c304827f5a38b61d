"""The API of the pipeline tools (issue [5]): reassigning owners (an action on POs, HOs and
leads) and the user's saved views of the lists."""

from __future__ import annotations

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from partner_center.accounts.access import HasCapability
from partner_center.accounts.models import User
from partner_center.api import validated

from .models import SavedView
from .permissions import VIEW_OPPORTUNITIES
from .serializers import LeadSerializer, OpportunitySerializer
from .services import owners, saved_views

ID_PARAM = OpenApiParameter("id", OpenApiTypes.INT, OpenApiParameter.PATH)


class OwnerSerializer(serializers.Serializer):
    owner = serializers.IntegerField(
        min_value=1, max_value=2**63 - 1, help_text="A user of the opportunity's partner."
    )


class BDOwnerSerializer(serializers.Serializer):
    bd_owner = serializers.IntegerField(
        min_value=1, max_value=2**63 - 1, help_text="An active BD user."
    )


class SavedViewSerializer(serializers.ModelSerializer):
    class Meta:
        model = SavedView
        fields = ("id", "list_key", "name", "query", "created_at")
        read_only_fields = ("id", "created_at")
        extra_kwargs = {
            "query": {
                "required": True,
                "help_text": "The list's filters and sort as a query string, e.g. "
                "`state=returned&sort=deadline`; other parameters are dropped.",
            },
            # A new name is checked by the service (same name again: the view is replaced).
            "name": {"validators": []},
        }
        validators: list = []


def _user(pk: int) -> User | None:
    return User.objects.filter(pk=pk).first()


class OwnerActionsMixin:
    """`owner` and `bd-owner` actions of the PO and HO endpoints."""

    @extend_schema(request=OwnerSerializer, responses=OpportunitySerializer, parameters=[ID_PARAM])
    @action(detail=True, methods=["post"])
    def owner(self, request, pk=None):
        """Give the opportunity to another user of the partner (partner admin)."""
        opp = self.get_object()
        data = validated(OwnerSerializer, request)
        opp = owners.opportunity_set_owner(
            actor=request.user, opportunity=opp, owner=_user(data["owner"])
        )
        return self._respond(opp)

    @extend_schema(
        request=BDOwnerSerializer, responses=OpportunitySerializer, parameters=[ID_PARAM]
    )
    @action(detail=True, methods=["post"], url_path="bd-owner")
    def bd_owner(self, request, pk=None):
        """Give the opportunity to another BD user (BD)."""
        opp = self.get_object()
        data = validated(BDOwnerSerializer, request)
        opp = owners.opportunity_set_bd_owner(
            actor=request.user, opportunity=opp, bd_owner=_user(data["bd_owner"])
        )
        return self._respond(opp)


class LeadOwnerActionMixin:
    @extend_schema(request=BDOwnerSerializer, responses=LeadSerializer, parameters=[ID_PARAM])
    @action(detail=True, methods=["post"], url_path="bd-owner")
    def bd_owner(self, request, pk=None):
        """Give the lead to another BD user; its later shares inherit the BD owner."""
        lead = self.get_object()
        data = validated(BDOwnerSerializer, request)
        owners.lead_set_bd_owner(actor=request.user, lead=lead, bd_owner=_user(data["bd_owner"]))
        return Response(LeadSerializer(self.get_queryset().get(pk=lead.pk)).data)


LIST_KEY_PARAM = OpenApiParameter(
    "list_key",
    OpenApiTypes.STR,
    OpenApiParameter.QUERY,
    required=False,
    enum=list(SavedView.ListKey.values),
    description="Only the views of this list.",
)


class SavedViewViewSet(
    mixins.ListModelMixin,
    mixins.CreateModelMixin,
    mixins.DestroyModelMixin,
    viewsets.GenericViewSet,
):
    """The user's own saved views of the opportunity lists (filters and sort under a name).
    Creating a view with a name the user already has for that list replaces its filters."""

    permission_classes = [HasCapability]
    required_capability = VIEW_OPPORTUNITIES
    serializer_class = SavedViewSerializer
    http_method_names = ["get", "post", "delete", "head", "options"]

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return SavedView.objects.none()
        qs = SavedView.objects.filter(user=self.request.user).order_by("list_key", "name", "id")
        list_key = self.request.query_params.get("list_key")
        if list_key:
            qs = qs.filter(list_key=list_key)
        return qs

    @extend_schema(parameters=[LIST_KEY_PARAM])
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)

    def create(self, request, *args, **kwargs):
        data = validated(SavedViewSerializer, request)
        view = saved_views.saved_view_save(actor=request.user, **data)
        return Response(SavedViewSerializer(view).data, status=status.HTTP_201_CREATED)

    def perform_destroy(self, instance):
        saved_views.saved_view_delete(actor=self.request.user, view=instance)

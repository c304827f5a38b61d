"""The billing API: the same selectors, filters and services as the pages."""

from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response

from partner_center import exports
from partner_center.accounts.access import HasCapability
from partner_center.api import validated

from . import selectors, services
from .detail_exports import csv_stream, has_resellers, xlsx_file
from .filters import BillFilter, BillLineFilter, ExportTaskFilter, InvoiceFilter
from .models import Bill, BillLine, ExportTask, Invoice
from .permissions import REQUEST_INVOICE, VIEW_BILLS
from .serializers import (
    BillLineSerializer,
    BillSerializer,
    ExportRequestSerializer,
    ExportTaskSerializer,
    InvoiceRequestSerializer,
    InvoiceSerializer,
    RefreshRequestSerializer,
)
from .views import export_pdf

BILL_PK = OpenApiParameter("bill_pk", OpenApiTypes.INT, OpenApiParameter.PATH)
# The filters of the lines endpoint, which the bill's detail exports take too.
DETAIL_FILTERS = [OpenApiParameter(name, str) for name in ("q", "line_type", "product", "reseller")]


class BillViewSet(viewsets.ReadOnlyModelViewSet):
    """The partner's bills, one per billing period, with the overview totals."""

    permission_classes = [HasCapability]
    required_capability = VIEW_BILLS
    serializer_class = BillSerializer
    filterset_class = BillFilter
    ordering_fields = ["period"]
    ordering = ["-period"]

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Bill.objects.none()
        return selectors.bills_for(self.request.user).select_related("invoice")

    def _lines(self, bill):
        filterset = BillLineFilter(self.request.query_params, selectors.bill_lines(bill))
        if not filterset.is_valid():
            raise ValidationError(filterset.errors)
        return filterset.qs

    @extend_schema(
        request=RefreshRequestSerializer,
        responses={202: None},
        description="Rebuild the running period's bill with the latest orders and consumption "
        "(queued; read the bill again in a moment).",
    )
    @action(detail=False, methods=["post"])
    def refresh(self, request):
        body = validated(RefreshRequestSerializer, request)
        services.bill_refresh_request(
            actor=request.user, partner=request.user.partner, period=body["period"]
        )
        return Response(status=status.HTTP_202_ACCEPTED)

    @extend_schema(
        request=ExportRequestSerializer,
        responses={202: ExportTaskSerializer},
        description="Queue a PDF export of the bill; poll the export task, then download it.",
    )
    @action(detail=True, methods=["post"], url_path="export-pdf")
    def export_pdf(self, request, pk=None):
        bill = self.get_object()
        body = validated(ExportRequestSerializer, request)
        task, _created = services.export_request(
            actor=request.user, bill=bill, language=body.get("language")
        )
        return Response(ExportTaskSerializer(task).data, status=status.HTTP_202_ACCEPTED)

    @extend_schema(
        filters=False,
        parameters=DETAIL_FILTERS,
        responses={(200, "text/csv"): OpenApiResponse(OpenApiTypes.BINARY)},
        description="The bill's detail lines as CSV (streamed), with the same filters as the lines endpoint.",
    )
    @action(detail=True, methods=["get"], url_path="details-csv")
    def details_csv(self, request, pk=None):
        bill = self.get_object()
        return exports.csv_response(
            csv_stream(self._lines(bill), with_reseller=has_resellers(bill)),
            filename=f"bill-{bill.period}-details.csv",
        )

    @extend_schema(
        filters=False,
        parameters=DETAIL_FILTERS,
        responses={
            (
                200,
                "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            ): OpenApiResponse(OpenApiTypes.BINARY)
        },
        description="The bill's detail lines as an XLSX workbook.",
    )
    @action(detail=True, methods=["get"], url_path="details-xlsx")
    def details_xlsx(self, request, pk=None):
        bill = self.get_object()
        handle = xlsx_file(self._lines(bill), with_reseller=has_resellers(bill), title=bill.period)
        return exports.xlsx_response(handle, filename=f"bill-{bill.period}-details.xlsx")


@extend_schema(parameters=[BILL_PK])
class BillLineViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    """The detail lines of one bill, filtered like the bill details page."""

    permission_classes = [HasCapability]
    required_capability = VIEW_BILLS
    serializer_class = BillLineSerializer
    filterset_class = BillLineFilter
    ordering_fields = ["occurred_at", "amount", "customer_name"]
    ordering = ["occurred_at", "id"]

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return BillLine.objects.none()
        bill = selectors.get_bill_for_user(self.request.user, self.kwargs["bill_pk"])
        return selectors.bill_lines(bill)


class ExportTaskViewSet(viewsets.ReadOnlyModelViewSet):
    """PDF export tasks of the partner: state, progress, and the file when done."""

    permission_classes = [HasCapability]
    required_capability = VIEW_BILLS
    serializer_class = ExportTaskSerializer
    filterset_class = ExportTaskFilter
    ordering = ["-created_at", "-id"]

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return ExportTask.objects.none()
        return selectors.exports_for(self.request.user)

    @extend_schema(responses={(200, "application/pdf"): OpenApiResponse(OpenApiTypes.BINARY)})
    @action(detail=True, methods=["get"])
    def download(self, request, pk=None):
        return export_pdf(self.get_object())


class InvoiceViewSet(
    mixins.CreateModelMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet,
):
    """VAT invoices (6%) of settled bills. POST asks for the invoice of one bill."""

    permission_classes = [HasCapability]
    required_capability = {"default": VIEW_BILLS, "create": REQUEST_INVOICE}
    serializer_class = InvoiceSerializer
    filterset_class = InvoiceFilter
    ordering = ["-requested_at", "-id"]

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Invoice.objects.none()
        return selectors.invoices_for(self.request.user).prefetch_related("lines")

    @extend_schema(request=InvoiceRequestSerializer, responses={201: InvoiceSerializer})
    def create(self, request, *args, **kwargs):
        body = validated(InvoiceRequestSerializer, request)
        bill = selectors.bills_for(request.user).filter(pk=body["bill"]).first()
        if bill is None:
            raise ValidationError({"bill": [_("No such bill.")]})
        invoice = services.invoice_request(actor=request.user, bill=bill)
        invoice = self.get_queryset().get(pk=invoice.pk)
        return Response(InvoiceSerializer(invoice).data, status=status.HTTP_201_CREATED)

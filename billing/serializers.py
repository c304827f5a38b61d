from django.urls import reverse
from rest_framework import serializers

from partner_center.serializer_fields import ReadOnlyCharField, ReadOnlyModelSerializer

from .models import Bill, BillLine, ExportTask, Invoice, InvoiceLine


class BillSerializer(ReadOnlyModelSerializer):
    number = ReadOnlyCharField()
    invoice = serializers.SerializerMethodField()

    class Meta:
        model = Bill
        fields = [
            "id",
            "number",
            "partner",
            "period",
            "state",
            "consumption_amount",
            "refund_amount",
            "voucher_amount",
            "amount_due",
            "tax_amount",
            "line_count",
            "generated_at",
            "settled_at",
            "invoice",
        ]

    def get_invoice(self, bill) -> int | None:
        invoice = getattr(bill, "invoice", None)
        return invoice.pk if invoice else None


class BillLineSerializer(ReadOnlyModelSerializer):
    class Meta:
        model = BillLine
        fields = [
            "id",
            "occurred_at",
            "line_type",
            "customer_name",
            "customer_account",
            "product_code",
            "product_name",
            "order_no",
            "source_ref",
            "amount",
            "voucher_amount",
            "reseller",
            "reseller_name",
        ]


class ExportTaskSerializer(ReadOnlyModelSerializer):
    period = ReadOnlyCharField(source="bill.period")
    download_url = serializers.SerializerMethodField()

    class Meta:
        model = ExportTask
        fields = [
            "id",
            "bill",
            "period",
            "kind",
            "language",
            "state",
            "progress",
            "failure_reason",
            "page_count",
            "file_size",
            "created_at",
            "started_at",
            "finished_at",
            "expires_at",
            "download_url",
        ]

    def get_download_url(self, task) -> str | None:
        if task.state != ExportTask.State.DONE:
            return None
        return reverse("billing-api-exports-download", args=[task.pk])


class InvoiceLineSerializer(ReadOnlyModelSerializer):
    class Meta:
        model = InvoiceLine
        fields = InvoiceLine.SHOWN_FIELDS


class InvoiceSerializer(ReadOnlyModelSerializer):
    period = ReadOnlyCharField(source="bill.period")
    lines = InvoiceLineSerializer(many=True, read_only=True)

    class Meta:
        model = Invoice
        fields = [
            "id",
            "number",
            "bill",
            "period",
            "state",
            "buyer_name",
            "buyer_tax_id",
            "tax_rate",
            "net_amount",
            "tax_amount",
            "total_amount",
            "requested_at",
            "issued_at",
            "lines",
        ]


class InvoiceRequestSerializer(serializers.Serializer):
    bill = serializers.IntegerField(help_text="Id of a settled bill of your partner.")


class ExportRequestSerializer(serializers.Serializer):
    language = serializers.ChoiceField(
        choices=["zh-hans", "en"], required=False, help_text="Language of the PDF."
    )


class RefreshRequestSerializer(serializers.Serializer):
    period = serializers.RegexField(
        r"^[0-9]{4}-(0[1-9]|1[0-2])$", help_text="The running billing period, YYYY-MM."
    )

from django.urls import path, register_converter

from . import views


class PeriodConverter:
    """A billing period in a URL: YYYY-MM."""

    regex = r"[0-9]{4}-(?:0[1-9]|1[0-2])"

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value


register_converter(PeriodConverter, "period")

app_name = "billing"
urlpatterns = [
    path("", views.bill_home, name="bill"),
    path("<period:period>/", views.bill_overview, name="bill_overview"),
    path("<period:period>/details/", views.bill_details, name="bill_details"),
    path("<period:period>/details.csv", views.bill_details_csv, name="bill_details_csv"),
    path("<period:period>/details.xlsx", views.bill_details_xlsx, name="bill_details_xlsx"),
    path("<period:period>/export-pdf/", views.bill_export_pdf, name="bill_export_pdf"),
    path("<period:period>/invoice/", views.bill_request_invoice, name="bill_request_invoice"),
    path("<period:period>/refresh/", views.bill_refresh, name="bill_refresh"),
    path("exports/", views.export_list, name="exports"),
    path("exports/<int:pk>/download/", views.export_download, name="export_download"),
    path("invoices/", views.invoice_list, name="invoices"),
    path("invoices/<int:pk>/", views.invoice_detail, name="invoice"),
]

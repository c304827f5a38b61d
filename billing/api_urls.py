from partner_center.api import Router

from . import api

router = Router()
router.register("billing/bills", api.BillViewSet, basename="billing-api-bills")
router.register(
    r"billing/bills/(?P<bill_pk>[0-9]+)/lines", api.BillLineViewSet, basename="billing-api-lines"
)
router.register("billing/exports", api.ExportTaskViewSet, basename="billing-api-exports")
router.register("billing/invoices", api.InvoiceViewSet, basename="billing-api-invoices")
urlpatterns = router.urls

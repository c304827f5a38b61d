"""The lifecycles of bills and invoices.

    bill:    open (generated and regenerated while the period runs) ─▶ settle ─▶ settled
    invoice: request (a settled bill's VAT invoice) ─▶ requested ─▶ issue ─▶ issued

A settled bill never changes again and an issued invoice is final. Export tasks have their
own job states (`services.export_*`), not a lifecycle of the business."""

from django.utils.translation import gettext_lazy, pgettext_lazy

from partner_center.workflow import By, Lifecycle, t

from .models import Bill, Invoice

B = Bill.State
I = Invoice.State  # noqa: E741

BILL = Lifecycle(
    key="bill",
    model=Bill,
    initial=("open",),
    transitions=[
        t(
            "open",
            (),
            B.OPEN,
            By.SYSTEM,
            gettext_lazy("Bill opened for the period"),
            event="opened",
        ),
        t(
            "settle",
            {B.OPEN},
            B.SETTLED,
            By.SYSTEM,
            pgettext_lazy("bill step", "Settled: the figures are final"),
            event="settled",
        ),
    ],
)

INVOICE = Lifecycle(
    key="invoice",
    model=Invoice,
    initial=("request",),
    transitions=[
        t(
            "request",
            (),
            I.REQUESTED,
            By.PARTNER,
            gettext_lazy("Invoice requested"),
            event="requested",
        ),
        t(
            "issue",
            {I.REQUESTED},
            I.ISSUED,
            By.VENDOR,
            gettext_lazy("Invoice issued"),
            event="issued",
        ),
    ],
)

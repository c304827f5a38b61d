"""The lifecycle of a bill PDF export and its lease (see partner_center/jobs.py)."""

from django.utils.translation import gettext_lazy as _

from partner_center.jobs import JobKind
from partner_center.workflow import By, Lifecycle, t

from .models import ExportTask

S = ExportTask.State

EXPORT_LIFECYCLE = Lifecycle(
    key="bill_export",
    model=ExportTask,
    initial=("request",),
    transitions=[
        t("request", [], S.QUEUED, By.PARTNER, _("Export requested")),
        t("start", [S.QUEUED], S.RENDERING, By.SYSTEM, _("Rendering started")),
        t("resume", [S.RENDERING], None, By.SYSTEM, _("Rendering taken over after a stop")),
        t("requeue", [S.RENDERING], S.QUEUED, By.SYSTEM, _("Queued again after a stop")),
        t("finish", [S.RENDERING], S.DONE, By.SYSTEM, _("File ready")),
        t("fail", [S.QUEUED, S.RENDERING], S.FAILED, By.SYSTEM, _("Export failed")),
        t("expire", [S.DONE], S.EXPIRED, By.SYSTEM, _("File deleted after its time")),
    ],
)

EXPORT_JOB = JobKind(
    lifecycle=EXPORT_LIFECYCLE,
    queued=S.QUEUED,
    running=S.RENDERING,
    task_name="billing.tasks.render_bill_pdf",
    task_kwarg="task_id",
    owner_field="requested_by",
    failed_message=_(
        "The bill PDF export stopped several times and was given up. Request a new export."
    ),
    notify_kind="billing.export_failed",
    link_name="billing:exports",
)

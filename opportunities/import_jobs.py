"""The lifecycle of a PO import and its lease (see partner_center/jobs.py)."""

from django.utils.translation import gettext_lazy as _

from partner_center.jobs import JobKind
from partner_center.workflow import By, Lifecycle, t

from .models import POImport

S = POImport.State

IMPORT_LIFECYCLE = Lifecycle(
    key="po_import",
    model=POImport,
    transitions=[
        t("start", [S.QUEUED], S.RUNNING, By.SYSTEM, _("Import started")),
        t("resume", [S.RUNNING], None, By.SYSTEM, _("Import taken over after a stop")),
        t("requeue", [S.RUNNING], S.QUEUED, By.SYSTEM, _("Import queued again after a stop")),
        t("finish", [S.RUNNING], S.DONE, By.SYSTEM, _("Import finished")),
        t("fail", [S.QUEUED, S.RUNNING], S.FAILED, By.SYSTEM, _("Import failed")),
    ],
)

IMPORT_JOB = JobKind(
    lifecycle=IMPORT_LIFECYCLE,
    queued=S.QUEUED,
    running=S.RUNNING,
    task_name="opportunities.tasks.run_po_import",
    task_kwarg="import_id",
    owner_field="created_by",
    failed_message=_(
        "The PO import stopped several times and was given up. The rows imported so far are "
        "kept; upload the remaining rows again."
    ),
    notify_kind="opportunities.import_failed",
    link_name="opportunities:import",
)

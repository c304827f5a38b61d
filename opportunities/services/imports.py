"""Bulk import of POs from a file."""

from __future__ import annotations

from django.conf import settings
from django.db import transaction
from django.utils import translation

from partner_center import uploads
from partner_center.accounts.access import require
from partner_center.accounts.models import Partner
from partner_center.audit.services import record_event
from partner_center.audit.verbs import Verb
from partner_center.programs.services import ensure_pce_member

from ..permissions import ACT_FOR_PARTNER
from .pos import Consent, _check_consent

# ---- Bulk import -------------------------------------------------------------------------


@transaction.atomic
def po_import_start(
    *,
    actor,
    partner: Partner,
    upload,
    submit_rows: bool = False,
    consent: Consent | None = None,
):
    """Store an uploaded CSV/XLSX and queue its import (rows are processed by a worker)."""
    from partner_center.outbox.services import enqueue

    from ..models import POImport

    require(actor, ACT_FOR_PARTNER, partner_id=partner.pk)
    if submit_rows:
        ensure_pce_member(partner.pk, field="submit_rows")
        _check_consent(consent or Consent(confirmed=False))
    checked = uploads.check_spreadsheet(upload, field="file")  # refused files are never stored
    name = checked.original_name[:200]
    imp = POImport(
        partner=partner,
        created_by=actor,
        file_name=name,
        submit_rows=submit_rows,
        consent_method=consent.method if submit_rows and consent else "",
        consent_note=(consent.note or "").strip() if submit_rows and consent else "",
        language=translation.get_language() or settings.LANGUAGE_CODE,
    )
    from partner_center.storage import save_or_refuse

    upload.seek(0)
    stored = save_or_refuse(
        imp.file.storage,
        imp.file.field.generate_filename(imp, uploads.generated_name(checked)),
        upload,
        field="file",
    )
    imp.file.name = stored
    try:
        imp.save()
    except BaseException:
        uploads.delete_quietly(stored)  # no orphan file
        raise
    record_event(actor=actor, subject=imp, verb=Verb.PO_IMPORT_QUEUED, data={"file": name})
    enqueue("opportunities.tasks.run_po_import", {"import_id": imp.pk}, key=f"po-import:{imp.pk}")
    return imp

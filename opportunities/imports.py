"""Bulk import of POs from CSV or XLSX. Each row is validated by the same form as the page
and created by the same service; a row either becomes a PO (submitted too, if asked) or goes
into the file of failed rows with its reason. The file of failed rows has the uploaded
format and columns, plus the row number and the reason."""

from __future__ import annotations

import csv
import io
import uuid
from dataclasses import dataclass

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from openpyxl import Workbook, load_workbook

from partner_center import exports
from partner_center.errors import DomainError

from .catalog import Industry, Product, Region
from .models import POImport

MAX_ROWS = 5000


@dataclass(frozen=True)
class Column:
    name: str
    label: object  # lazy translation
    example: str


COLUMNS = (
    Column("external_ref", gettext_lazy("External reference"), "CRM-2026-0001"),
    Column("customer_name", gettext_lazy("Customer name"), "江南智造装备股份有限公司"),
    Column("customer_credit_code", gettext_lazy("Customer credit code"), ""),
    Column("customer_industry", gettext_lazy("Industry"), "manufacturing"),
    Column("customer_region", gettext_lazy("Region"), "east"),
    Column("contact_name", gettext_lazy("Contact person"), "周工"),
    Column("contact_phone", gettext_lazy("Contact phone"), "13912345678"),
    Column("project_name", gettext_lazy("Project name"), "MES 系统上云"),
    Column("products", gettext_lazy("Products"), "ecs, rds"),
    Column("amount", gettext_lazy("Estimated amount (CNY)"), "680000.00"),
    Column("expected_close_date", gettext_lazy("Expected close date"), "2026-12-31"),
    Column("description", gettext_lazy("Description"), ""),
)
REASON_COLUMN = gettext_lazy("Why it failed")
ROW_COLUMN = gettext_lazy("Row")


# Chinese headers of templates downloaded before the glossary settled a term: files made
# from an old template still import.
LEGACY_HEADERS = {"区域": "customer_region", "描述": "description"}


def header_key(text: str) -> str:
    """A header cell compared without case or full-/half-width brackets and spaces."""
    return text.strip().lower().replace("（", "(").replace("）", ")").replace(" ", "")


def _header_aliases() -> dict[str, str]:
    """Header text (code, English or Chinese label, legacy label) → column name."""
    aliases = {header_key(k): v for k, v in LEGACY_HEADERS.items()}
    for col in COLUMNS:
        aliases[header_key(col.name)] = col.name
        for lang in ("en", "zh-hans"):
            with translation.override(lang):
                aliases[header_key(str(col.label))] = col.name
    return aliases


def _choice_aliases(choices) -> dict[str, str]:
    aliases = {}
    for code, label in choices:
        aliases[code.lower()] = code
        for lang in ("en", "zh-hans"):
            with translation.override(lang):
                aliases[str(label).strip().lower()] = code
    return aliases


def template_rows() -> tuple[list[str], list[str]]:
    """Header (in the current language) and one example row."""
    return [str(c.label) for c in COLUMNS], [c.example for c in COLUMNS]


def template_csv() -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    header, example = template_rows()
    writer.writerow(header)
    writer.writerow(example)
    return ("\ufeff" + out.getvalue()).encode("utf-8")  # BOM: Excel opens it as UTF-8


def template_xlsx() -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.title = "POs"
    header, example = template_rows()
    ws.append(header)
    ws.append(example)
    help_ws = wb.create_sheet(_("Codes"))
    help_ws.append([_("Column"), _("Code"), _("Meaning")])
    for column, choices in (
        ("products", Product.choices),
        ("customer_industry", Industry.choices),
        ("customer_region", Region.choices),
    ):
        for code, label in choices:
            help_ws.append([column, code, str(label)])
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


class ImportFileError(Exception):
    pass


def read_rows(path_or_file, file_format: str) -> tuple[list[str], list[list[str]]]:
    """(header, rows) as text cells."""
    if file_format == "xlsx":
        try:
            wb = load_workbook(path_or_file, read_only=True, data_only=True)
        except Exception as exc:  # noqa: BLE001 - any unreadable workbook
            raise ImportFileError(_("The file is not a readable XLSX workbook.")) from exc
        ws = wb.worksheets[0]
        rows = [
            ["" if v is None else _cell_text(v) for v in row]
            for row in ws.iter_rows(values_only=True)
        ]
        wb.close()
    else:
        raw = path_or_file.read()
        for encoding in ("utf-8-sig", "gb18030"):
            try:
                text = raw.decode(encoding)
                break
            except UnicodeDecodeError:
                continue
        else:
            raise ImportFileError(_("The CSV file is neither UTF-8 nor GB18030 text."))
        rows = list(csv.reader(io.StringIO(text)))
    rows = [r for r in rows if any((c or "").strip() for c in r)]
    if not rows:
        raise ImportFileError(_("The file is empty."))
    return [c.strip() for c in rows[0]], rows[1:]


def _cell_text(value) -> str:
    from datetime import date, datetime

    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == value.min.time() else value.isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _split_products(text: str, aliases: dict[str, str]) -> list[str]:
    parts = [
        p.strip() for p in text.replace("、", ",").replace(";", ",").replace("|", ",").split(",")
    ]
    return [aliases.get(p.lower(), p) for p in parts if p]


def row_to_data(values: dict[str, str]) -> tuple[str, dict]:
    """(external reference, form data) from one row's cells by column name."""
    products = _split_products(values.get("products", ""), _choice_aliases(Product.choices))
    industry = _choice_aliases(Industry.choices).get(
        values.get("customer_industry", "").strip().lower(), values.get("customer_industry", "")
    )
    region = _choice_aliases(Region.choices).get(
        values.get("customer_region", "").strip().lower(), values.get("customer_region", "")
    )
    data = {
        "customer_name": values.get("customer_name", ""),
        "customer_credit_code": values.get("customer_credit_code", "").strip().upper(),
        "customer_industry": industry,
        "customer_region": region,
        "contact_name": values.get("contact_name", ""),
        "contact_phone": values.get("contact_phone", ""),
        "project_name": values.get("project_name", ""),
        "products": products,
        "amount": values.get("amount", "").replace(",", "").replace("¥", "").strip(),
        "expected_close_date": values.get("expected_close_date", "").strip(),
        "description": values.get("description", ""),
    }
    return values.get("external_ref", "").strip(), data


def _form_error_text(form) -> str:
    parts = []
    for name, errors in form.errors.items():
        label = form.fields[name].label if name in form.fields else ""
        parts.append(f"{label}: {' '.join(errors)}" if label else " ".join(errors))
    return "; ".join(parts)


def _write_failed(imp: POImport, header: list[str], failed: list[tuple[int, list[str], str]]):
    out_header = [str(ROW_COLUMN), *header, str(REASON_COLUMN)]
    out_rows = [[str(n), *cells, reason] for n, cells, reason in failed]
    # Cells came from the uploader: written formula-safe, stored under a generated name.
    if imp.file.name.endswith(".xlsx"):
        writer = exports.XlsxWriter(title="POs", freeze_header=False)
        writer.header(out_header)
        for row in out_rows:
            writer.row(row)
        content, extension = writer.to_bytes(), "xlsx"
    else:
        content, extension = exports.csv_bytes(out_header, out_rows), "csv"
    imp.failed_file.save(f"{uuid.uuid4().hex}.{extension}", ContentFile(content), save=False)


def run_import(import_id: int) -> int:
    """Process a queued import; returns the number of POs created. Safe to run twice: an
    import that is not queued any more is left alone."""
    from .forms import POForm
    from .services import Consent, po_create, po_submit

    claimed = POImport.objects.filter(pk=import_id, state=POImport.State.QUEUED).update(
        state=POImport.State.RUNNING
    )
    if not claimed:
        return 0
    imp = POImport.objects.select_related("partner", "created_by").get(pk=import_id)
    actor = imp.created_by
    fmt = "xlsx" if imp.file.name.endswith(".xlsx") else "csv"
    with translation.override(imp.language or "zh-hans"):
        try:
            with imp.file.open("rb") as fh:
                header, rows = read_rows(fh, fmt)
            aliases = _header_aliases()
            names = [aliases.get(header_key(h)) for h in header]
            missing = [
                str(c.label)
                for c in COLUMNS
                if c.name in ("customer_name", "project_name", "products") and c.name not in names
            ]
            if missing:
                raise ImportFileError(
                    _("Columns missing: %(columns)s. Start from the template.")
                    % {"columns": ", ".join(missing)}
                )
            if len(rows) > MAX_ROWS:
                raise ImportFileError(_("At most %(n)s rows per file.") % {"n": MAX_ROWS})
        except ImportFileError as exc:
            imp.state = POImport.State.FAILED
            imp.error = str(exc)
            imp.finished_at = timezone.now()
            imp.save(update_fields=["state", "error", "finished_at"])
            return 0
        imp.total_rows = len(rows)
        imp.save(update_fields=["total_rows"])
        failed: list[tuple[int, list[str], str]] = []
        created: list[int] = []
        for index, cells in enumerate(rows, start=2):  # row 1 is the header
            cells = [*cells, *[""] * (len(header) - len(cells))][: len(header)]
            values = {n: (c or "").strip() for n, c in zip(names, cells, strict=True) if n}
            external_ref, data = row_to_data(values)
            form = POForm(data=data)
            reason = ""
            if not form.is_valid():
                reason = _form_error_text(form)
            else:
                try:
                    with transaction.atomic():
                        po = po_create(
                            actor=actor,
                            partner=imp.partner,
                            data=form.cleaned_data,
                            external_ref=external_ref,
                        )
                        if imp.submit_rows:
                            po_submit(
                                actor=actor,
                                po=po,
                                consent=Consent(
                                    confirmed=True,
                                    method=imp.consent_method,
                                    note=imp.consent_note,
                                ),
                            )
                    created.append(po.pk)
                except DomainError as exc:
                    reason = str(exc.message)
            if reason:
                failed.append((index, cells, reason))
            if (index - 1) % 50 == 0:
                POImport.objects.filter(pk=imp.pk).update(processed_rows=index - 1)
        imp.processed_rows = len(rows)
        imp.succeeded = len(created)
        imp.failed = len(failed)
        imp.created_ids = created
        if failed:
            _write_failed(imp, header, failed)
        imp.state = POImport.State.DONE
        imp.finished_at = timezone.now()
        imp.save(
            update_fields=[
                "processed_rows",
                "succeeded",
                "failed",
                "created_ids",
                "failed_file",
                "state",
                "finished_at",
            ]
        )
    return len(created)

"""Importing orders and consumption from the vendor's site (the portal does not sell).

One payload, JSON:

    {"orders": [{"order_no", "customer_account", "type", "product", "product_name",
                 "amount", "formed_at", "voucher_code", "voucher_amount",
                 "lines": [{"resource_id", "name", "region", "billing_mode", "periods",
                            "amount", "renewal_price", "expires_at", "original_order_no"}]}],
     "consumption": [{"record_no", "customer_account", "product", "product_name", "amount",
                      "consumed_at", "resource_id", "order_no", "voucher_code",
                      "voucher_amount"}]}

Each row is validated and recorded in its own transaction: good rows are recorded, bad rows
are listed with the reason, rows recorded before are skipped (idempotent by number). Orders
go first, then consumption."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from partner_center.errors import DomainError

from . import services
from .models import ImportRun
from .serializers import ImportConsumptionSerializer, ImportOrderSerializer

MAX_ROWS = 5000


@dataclass
class ImportOutcome:
    created: int = 0
    skipped: int = 0
    errors: list[dict] = field(default_factory=list)


def _flatten(errors) -> str:
    if isinstance(errors, dict):
        return "; ".join(f"{k}: {_flatten(v)}" for k, v in errors.items())
    if isinstance(errors, list):
        return "; ".join(_flatten(e) for e in errors)
    return str(errors)


def _order_data(v: dict) -> services.OrderData:
    return services.OrderData(
        order_no=v["order_no"],
        customer_account=v["customer_account"],
        order_type=v["type"],
        product_code=v["product"],
        product_name=v.get("product_name", ""),
        amount=v["amount"],
        formed_at=v["formed_at"],
        voucher_code=v.get("voucher_code", ""),
        voucher_amount=v.get("voucher_amount") or services.ZERO,
        lines=[
            services.LineData(
                resource_id=line["resource_id"],
                amount=line["amount"],
                name=line.get("name", ""),
                region=line.get("region", ""),
                period_unit=line.get("billing_mode") or "month",
                periods=line.get("periods") or 1,
                renewal_price=line.get("renewal_price"),
                expires_at=line.get("expires_at"),
                original_order_no=line.get("original_order_no", ""),
            )
            for line in v["lines"]
        ],
    )


def _consumption_data(v: dict) -> services.ConsumptionData:
    return services.ConsumptionData(
        record_no=v["record_no"],
        customer_account=v["customer_account"],
        product_code=v["product"],
        product_name=v.get("product_name", ""),
        amount=v["amount"],
        consumed_at=v["consumed_at"],
        resource_id=v.get("resource_id", ""),
        order_no=v.get("order_no", ""),
        voucher_code=v.get("voucher_code", ""),
        voucher_amount=v.get("voucher_amount") or services.ZERO,
    )


def _run_rows(rows, kind: str, key: str, serializer_class, to_data, record, actor, outcome):
    for index, row in enumerate(rows):
        number = row.get(key, "") if isinstance(row, dict) else ""
        serializer = serializer_class(data=row)
        if not serializer.is_valid():
            outcome.errors.append(
                {"kind": kind, "row": index, "number": number, "error": _flatten(serializer.errors)}
            )
            continue
        try:
            with transaction.atomic():
                _obj, created = record(actor=actor, data=to_data(serializer.validated_data))
        except DomainError as exc:
            outcome.errors.append(
                {
                    "kind": kind,
                    "row": index,
                    "number": number,
                    "error": f"{exc.field}: {exc.message}" if exc.field else str(exc.message),
                }
            )
            continue
        except IntegrityError:  # the same number recorded by a parallel import
            created = False
        if created:
            outcome.created += 1
        else:
            outcome.skipped += 1


def import_payload(*, actor, payload: dict, source: str) -> ImportRun:
    """Record a payload's orders and consumption; returns the stored outcome."""
    if not isinstance(payload, dict):
        raise DomainError(_("The payload must be a JSON object with orders and consumption lists."))
    orders = payload.get("orders") or []
    consumption = payload.get("consumption") or []
    if not isinstance(orders, list) or not isinstance(consumption, list):
        raise DomainError(_("The payload must be a JSON object with orders and consumption lists."))
    if len(orders) + len(consumption) > MAX_ROWS:
        raise DomainError(_("At most %(n)s rows per import.") % {"n": MAX_ROWS})
    outcome = ImportOutcome()
    _run_rows(
        orders,
        "order",
        "order_no",
        ImportOrderSerializer,
        _order_data,
        services.order_record,
        actor,
        outcome,
    )
    _run_rows(
        consumption,
        "consumption",
        "record_no",
        ImportConsumptionSerializer,
        _consumption_data,
        services.consumption_record,
        actor,
        outcome,
    )
    return ImportRun.objects.create(
        source=source,
        actor=actor if getattr(actor, "pk", None) else None,
        created=outcome.created,
        skipped=outcome.skipped,
        failed=len(outcome.errors),
        errors=outcome.errors,
    )

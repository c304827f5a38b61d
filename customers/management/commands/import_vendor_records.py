import json
import sys

from django.core.management.base import BaseCommand, CommandError

from customers.imports import import_payload
from customers.models import ImportRun
from partner_center.errors import DomainError


class Command(BaseCommand):
    help = (
        "Record orders and consumption from the vendor's site: a JSON file (or - for stdin) "
        'shaped {"orders": [...], "consumption": [...]} (see customers/imports.py). '
        "Idempotent by order and record number."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", help="JSON file, or - for standard input")

    def handle(self, *args, path, **options):
        try:
            if path == "-":
                payload = json.load(sys.stdin)
            else:
                with open(path, encoding="utf-8") as fh:
                    payload = json.load(fh)
        except (OSError, json.JSONDecodeError) as exc:
            raise CommandError(f"Cannot read {path}: {exc}") from exc
        try:
            run = import_payload(actor=None, payload=payload, source=ImportRun.Source.COMMAND)
        except DomainError as exc:
            raise CommandError(str(exc.message)) from exc
        self.stdout.write(
            f"recorded {run.created}, already recorded {run.skipped}, refused {run.failed}"
        )
        for error in run.errors:
            self.stdout.write(
                f"  {error['kind']} #{error['row']} {error['number']}: {error['error']}"
            )
        if run.failed:
            raise CommandError(f"{run.failed} row(s) refused")

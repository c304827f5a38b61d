"""Load a year's official working-day schedule (holidays and make-up days) from a small CSV
or JSON file in one go; running SLA clocks are recomputed once (R4.3).

    python manage.py load_calendar 2027.csv --complete

CSV columns: date, working, note (working: 1/0, yes/no, workday/holiday). JSON:
{"year": 2027, "complete": true, "days": [{"date": "2027-01-01", "working": false}]}."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from partner_center.errors import DomainError
from partner_center.workcalendar.services import calendar_load, parse_schedule


class Command(BaseCommand):
    help = "Load a year's official holidays and make-up days from a CSV or JSON file."

    def add_arguments(self, parser):
        parser.add_argument("file", help="CSV (date,working,note) or JSON schedule file")
        parser.add_argument(
            "--complete",
            action="store_true",
            help="Mark the year as fully entered (deadlines in it are no longer provisional).",
        )

    def handle(self, *args, file, complete, **options):
        path = Path(file)
        try:
            content = path.read_text(encoding="utf-8-sig")
        except OSError as exc:
            raise CommandError(f"cannot read {path}: {exc}") from exc
        try:
            days, file_complete = parse_schedule(content, path.name)
            changed = calendar_load(actor=None, days=days, complete=complete or file_complete)
        except DomainError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(
            f"{len(days)} days loaded for {days[0][0].year}; {len(changed)} changed the calendar."
        )

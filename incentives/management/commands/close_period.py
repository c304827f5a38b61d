"""Close a billing period by hand (what the beat task does on the 1st to 3rd of a month)."""

from django.core.management.base import BaseCommand, CommandError

from incentives import periods, services


class Command(BaseCommand):
    help = "Write and send the estimated incentives and indicators of a closed billing period."

    def add_arguments(self, parser):
        parser.add_argument("period", nargs="?", help="YYYY-MM (default: the last ended period)")

    def handle(self, *args, period=None, **options):
        period = period or periods.last_closed_period()
        try:
            result = services.period_close(period=period)
        except ValueError as exc:
            raise CommandError(f"Cannot close {period}: {exc}") from exc
        self.stdout.write(f"{result.period}: {result.written} written, {result.sent} sent")

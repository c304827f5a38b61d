import json

from django.core.management.base import BaseCommand

from partner_center.health import CHECKS, _timed


class Command(BaseCommand):
    help = "Run the /healthz checks (all, or those named); exit 1 when one fails."

    def add_arguments(self, parser):
        parser.add_argument("names", nargs="*", help=", ".join(CHECKS))

    def handle(self, *args, names=None, **options):
        results = {name: _timed(CHECKS[name]) for name in (names or CHECKS)}
        self.stdout.write(json.dumps(results))
        if not all(r["ok"] for r in results.values()):
            raise SystemExit(1)

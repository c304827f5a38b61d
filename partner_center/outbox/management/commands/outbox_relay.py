import time

from django.core.management.base import BaseCommand

from partner_center.outbox.services import relay_due


class Command(BaseCommand):
    help = "Send the due outbox entries to the broker (once, or every --every seconds)."

    def add_arguments(self, parser):
        parser.add_argument("--every", type=float, default=0, help="loop with this interval")

    def handle(self, *args, every: float = 0, **options):
        while True:
            result = relay_due()
            self.stdout.write(f"sent {result['sent']}, failed {result['failed']}")
            if not every:
                return
            time.sleep(every)

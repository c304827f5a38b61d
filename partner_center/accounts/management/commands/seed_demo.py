from django.core.management.base import BaseCommand

from partner_center.demo import DEMO_PASSWORD, load_all


class Command(BaseCommand):
    help = "Load the demo data (partners of every type, BD staff, an admin) once."

    def handle(self, *args, **options):
        ctx = load_all()
        if ctx is None:
            self.stdout.write("Demo data is loaded already.")
            return
        self.stdout.write(self.style.SUCCESS("Demo data loaded. Sign in with any of these:"))
        for email, shows in ctx.logins:
            self.stdout.write(f"  {email:<32} {DEMO_PASSWORD}   {shows}")
